"""The patient: the facts the R/R ALL text decides on.

Every field is optional: a missing field is an unknown fact, never a default.
`Patient` is generated from `PATIENT_SCHEMA` (`rrall.engine.record_class`); its
typed declaration, for mypy, is the schema's too (`record_declaration`, checked
by tests/test_records.py).
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING

from ..engine import AtLeast, Choice, Implies, Integer, Is, Schema, Subset, SubsetOf, record_class
from ._drugs import normalise_drug_names

__all__ = ["CD20", "PATIENT_SCHEMA", "TKI", "Lineage", "Patient", "Ph", "Status"]


class Ph(str, Enum):
    """Philadelphia chromosome (BCR-ABL1)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


class Lineage(str, Enum):
    """B-cell or T-cell ALL."""

    B = "B"
    T = "T"


class Status(str, Enum):
    """The two situations the text defines."""

    RELAPSED = "relapsed"
    REFRACTORY = "refractory"


class CD20(str, Enum):
    """CD20 on the leukemia cells."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


class TKI(str, Enum):
    """Tyrosine kinase inhibitors used in Ph-positive ALL."""

    IMATINIB = "imatinib"
    DASATINIB = "dasatinib"
    PONATINIB = "ponatinib"
    NILOTINIB = "nilotinib"
    BOSUTINIB = "bosutinib"


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


PATIENT_SCHEMA = Schema(
    facts=(
        Integer("age", "age", minimum=0, maximum=120),
        Choice("ph", "Ph status", _values(Ph), phrase="Ph-{value} ALL"),
        Choice("lineage", "lineage", _values(Lineage), phrase="{value}-cell ALL"),
        Choice("status", "disease status", _values(Status), phrase="{value} disease"),
        Integer("relapses", "relapses", minimum=0, maximum=99),
        Integer("prior_therapies", "prior therapy lines", minimum=0, maximum=99),
        Choice("cd20", "CD20", _values(CD20), phrase="CD20-{value} disease"),
        Subset("tkis_received", "TKIs received", _values(TKI)),
        Subset("tkis_failed", "TKIs failed", _values(TKI)),
        Subset("induction_drugs", "induction drugs"),
    ),
    constraints=(
        SubsetOf("tkis_failed", "tkis_received"),
        Implies(
            Is("status", "relapsed"),
            AtLeast("relapses", 1),
            field="relapses",
            message="must be at least 1 when status is 'relapsed'",
        ),
    ),
)
"""The facts the R/R ALL text decides on, their values and the constraints between them."""

#: The enum of each fact whose values it names.
_ENUMS: dict[str, type[Enum]] = {
    "ph": Ph,
    "lineage": Lineage,
    "status": Status,
    "cd20": CD20,
    "tkis_received": TKI,
    "tkis_failed": TKI,
}


def _generic_names(given: object) -> object:
    """Induction drugs as given, their brands and abbreviations ("Oncovin", "ara-C") as the
    generic names the regimens use; anything but a list of names is left to the schema."""
    if isinstance(given, (list, tuple)) and all(isinstance(drug, str) for drug in given):
        names = tuple(given)
        if sum(map(len, names)) <= _CACHED_CHARACTERS:
            return _generic(names)
        return normalise_drug_names(names)[0]
    return given


#: The longest lists of names (in characters) kept: the cache holds at most 4,096 x 1 kB.
_CACHED_CHARACTERS = 1024


@lru_cache(maxsize=4096)
def _generic(drugs: tuple[str, ...]) -> tuple[str, ...]:
    """`normalise_drug_names`, kept for lists seen before (a cohort repeats a few often)."""
    return tuple(normalise_drug_names(drugs)[0])


class _Drugs:
    """What a `Patient` adds to the generated record: its warnings about drug names."""

    __slots__ = ()
    induction_drugs: tuple[str, ...] | None

    @property
    def warnings(self) -> tuple[str, ...]:
        """Warnings about the facts as given: each induction drug rrall does not recognise.

        Examples:
            >>> Patient(induction_drugs=["VCR", "drug x"]).warnings
            ("induction drug 'drug x' is not a drug rrall recognises; kept as given",)
        """
        return normalise_drug_names(self.induction_drugs or ())[1]


if TYPE_CHECKING:
    from typing import NoReturn

    from attrs import frozen

    from ..engine import Record

    # `record_declaration(PATIENT_SCHEMA, "Patient", enums=_ENUMS, bases=(_Drugs,), doc=...)`:
    # tests/test_records.py checks this is the same text. Its docstring is written here only:
    # the generated class reads it from here (`record_class` with no ``doc``).
    @frozen(init=False)
    class Patient(_Drugs, Record):
        """A patient with relapsed or refractory ALL, as the text's facts.

        Every field is optional: one left out is unknown, and the walk follows
        every branch it could take. Enum fields accept their JSON strings, so
        ``Patient(**json.loads(text))`` works. Invalid input raises
        `rrall.InvalidRecord` (a ``ValueError`` and a ``TypeError``) naming every
        bad field at once. The fields are described in the patient JSON reference
        (docs/patient.md).

        Examples:
            >>> patient = Patient(age=34, ph="negative", lineage="B")
            >>> patient.lineage
            <Lineage.B: 'B'>
            >>> patient.to_dict()
            {'age': 34, 'ph': 'negative', 'lineage': 'B'}
            >>> Patient.from_dict({"age": 34, "ph": "negative", "lineage": "B"}) == patient
            True
        """

        age: int | None
        ph: Ph | None
        lineage: Lineage | None
        status: Status | None
        relapses: int | None
        prior_therapies: int | None
        cd20: CD20 | None
        tkis_received: tuple[TKI, ...] | None
        tkis_failed: tuple[TKI, ...] | None
        induction_drugs: tuple[str, ...] | None

        def __init__(
            self,
            /,
            *,
            age: int | None = None,
            ph: Ph | str | None = None,
            lineage: Lineage | str | None = None,
            status: Status | str | None = None,
            relapses: int | None = None,
            prior_therapies: int | None = None,
            cd20: CD20 | str | None = None,
            tkis_received: list[TKI | str] | tuple[TKI | str, ...] | None = None,
            tkis_failed: list[TKI | str] | tuple[TKI | str, ...] | None = None,
            induction_drugs: list[str] | tuple[str, ...] | None = None,
            **unknown: NoReturn,
        ) -> None: ...

else:
    Patient = record_class(
        PATIENT_SCHEMA,
        "Patient",
        enums=_ENUMS,
        prepare={"induction_drugs": _generic_names},
        bases=(_Drugs,),
        module=__name__,
    )
