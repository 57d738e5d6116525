"""A second, made-up guideline: toy fever triage. NOT MEDICAL ADVICE.

It exists to show, and to test, that rrall's engine walks, draws, verifies and
diffs any guideline, not only R/R ALL: a decimal fact with a unit (the
temperature in °C), a true/false fact (a stiff neck) and a whole number (age).
Its source text (source.txt beside this file) is made up too; every node
quotes it verbatim.

    python examples/toy_triage/guideline.py > examples/toy_triage/toy-triage.json

writes the export that every command reads with ``--guideline``:

    rrall walk --guideline examples/toy_triage/toy-triage.json examples/toy_triage/patients/no-fever.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rrall.engine import (
    AtLeast,
    AtMost,
    Boolean,
    Branch,
    Decision,
    Guideline,
    Integer,
    Is,
    Leaf,
    LeafWords,
    Measure,
    Not,
    Publication,
    Schema,
    record_class,
)
from rrall.engine.tools._serialize import guideline_to_dict

HERE = Path(__file__).resolve().parent
SOURCE = (HERE / "source.txt").read_text(encoding="utf-8")

SCHEMA = Schema(
    facts=(
        Measure("temperature", "temperature", unit="°C", minimum=30.0, maximum=45.0),
        Boolean("stiff_neck", "stiff neck", yes="a stiff neck", no="no stiff neck"),
        Integer("age", "age", minimum=0, maximum=120),
    )
)

if TYPE_CHECKING:
    from typing import NoReturn

    from attrs import frozen

    from rrall.engine import Record

    # `record_declaration(SCHEMA, "TriagePatient", doc=...)`: tests/test_records.py checks it.
    # Its docstring is written here only: the generated class reads it from here.
    @frozen(init=False)
    class TriagePatient(Record):
        """A person with a fever, as the toy triage's facts (made up: not medical advice).

        Generated from `SCHEMA` by `rrall.engine.record_class`: each fact a field,
        None when unknown; a bad value raises `rrall.InvalidRecord` naming it.

        Examples:
            >>> TriagePatient(temperature=38.3, stiff_neck=False)
            TriagePatient(temperature=38.3, stiff_neck=False, age=None)
        """

        temperature: float | None
        stiff_neck: bool | None
        age: int | None

        def __init__(
            self,
            /,
            *,
            temperature: float | None = None,
            stiff_neck: bool | None = None,
            age: int | None = None,
            **unknown: NoReturn,
        ) -> None: ...

else:
    TriagePatient = record_class(SCHEMA, "TriagePatient", module=__name__)

FEVER = AtLeast("temperature", 38.0)
STIFF_NECK = Is("stiff_neck", True)
UNDER_FIVE = AtMost("age", 4)

NODES = (
    Decision(
        "fever",
        "Fever (≥ 38.0 °C)?",
        "A temperature of 38.0 °C or more counts as a fever.",
        branches=[
            Branch("rest-at-home", Not(FEVER), "no fever", "Without a fever, the example offers one option:"),
            Branch("stiff-neck", FEVER, "fever"),
        ],
    ),
    Decision(
        "stiff-neck",
        "Stiff neck?",
        "With a fever and a stiff neck, the example offers one option:",
        branches=[
            Branch("emergency", STIFF_NECK, "stiff neck"),
            Branch(
                "age",
                Not(STIFF_NECK),
                "no stiff neck",
                "With a fever and no stiff neck, children younger than 5 years are offered:",
            ),
        ],
    ),
    Decision(
        "age",
        "Younger than 5?",
        "With a fever and no stiff neck, children younger than 5 years are offered:",
        branches=[
            Branch("same-day-doctor", UNDER_FIVE, "under 5"),
            Branch(
                "paracetamol",
                Not(UNDER_FIVE),
                "5 or older",
                "Everyone aged 5 years or more with a fever and no stiff neck is offered:",
            ),
        ],
    ),
    Leaf("rest-at-home", "Rest and fluids at home", "Rest and drink fluids at home."),
    Leaf("emergency", "Emergency department now", "Go to the emergency department now."),
    Leaf("same-day-doctor", "Doctor the same day", "See a doctor the same day."),
    Leaf("paracetamol", "Paracetamol and rest", "Take paracetamol and rest at home."),
)

TOY_TRIAGE = Guideline(
    name="toy-triage",
    title="Toy fever triage (a made-up example, not medical advice)",
    source=SOURCE,
    schema=SCHEMA,
    root="fever",
    nodes=NODES,
    disclaimer="A made-up example for rrall's tests. It is not medical advice and follows no real "
    "guideline: never use it to decide anyone's care.",
    version="1",
    publication=Publication(
        publisher="rrall (made up for its tests)", title="Toy fever triage", captured="2026-12-01"
    ),
    # A triage's outcomes are dispositions: where the person goes next.
    leaf_words=LeafWords(kind="disposition"),
    record=TriagePatient.from_dict,
)
"""The toy fever triage, encoded: a made-up example, not medical advice."""


def export() -> str:
    """The guideline as `rrall export --format json` writes it."""
    return json.dumps(guideline_to_dict(TOY_TRIAGE), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    sys.stdout.write(export())
