"""Record classes are generated from a guideline's schema (`rrall.engine.record_class`): a record
takes exactly what the schema takes, with the schema's messages, and R/R ALL's `Patient` is one."""

from __future__ import annotations

import ast
import enum
import inspect
import linecache
import math
import pickle
import pydoc
import textwrap
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rrall import TKI, InvalidRecord, Patient, Ph
from rrall.engine import (
    AtLeast,
    Boolean,
    Choice,
    Implies,
    Integer,
    Is,
    Measure,
    Record,
    Schema,
    Subset,
    SubsetOf,
    record_class,
    record_declaration,
    record_source,
)
from rrall.rr_all import PATIENT_SCHEMA, _patient
from test_toy_guideline import TOY

ROOT = Path(__file__).resolve().parent.parent
TOY_FILE = ROOT / "examples" / "toy_triage" / "guideline.py"


def declared(path: Path, name: str) -> str:
    """The class ``name`` a module declares under ``if TYPE_CHECKING:``, as source text."""
    text = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                if isinstance(child, ast.ClassDef) and child.name == name:
                    first = child.decorator_list[0].lineno - 1
                    return textwrap.dedent("".join(text.splitlines(keepends=True)[first : child.end_lineno]))
    raise AssertionError(f"{path} declares no {name} under TYPE_CHECKING")


# -- the declarations type checkers read are the generated classes' --------------


def test_the_patient_declared_for_type_checkers_is_the_generated_class() -> None:
    expected = record_declaration(
        PATIENT_SCHEMA, "Patient", enums=_patient._ENUMS, bases=(_patient._Drugs,), doc=Patient.__doc__ or ""
    )
    assert declared(ROOT / "src" / "rrall" / "rr_all" / "_patient.py", "Patient") == expected


def test_the_toy_patient_declared_for_type_checkers_is_the_generated_class() -> None:
    expected = record_declaration(TOY.SCHEMA, "TriagePatient", doc=TOY.TriagePatient.__doc__ or "")
    assert declared(TOY_FILE, "TriagePatient") == expected


def test_mypy_sees_the_fields_and_the_keywords_of_the_generated_patient(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    user = tmp_path / "user.py"
    user.write_text(
        textwrap.dedent(
            """\
            import attrs
            from rrall import Patient

            patient = Patient(ph="positive", tkis_received=["imatinib"], age=40)
            reveal_type(patient.ph)
            reveal_type(patient.tkis_received)
            reveal_type(patient.age)
            reveal_type(Patient.from_dict({}))
            reveal_type(attrs.evolve(patient, age=41))
            Patient(colour="blue")
            Patient(age="forty")
            """
        ),
        encoding="utf-8",
    )
    out, _, status = api.run(["--strict", "--no-error-summary", str(user)])
    found = [line.split(": ", 1)[1] for line in out.splitlines()]
    assert found[:5] == [
        'note: Revealed type is "rrall.rr_all._patient.Ph | None"',
        'note: Revealed type is "tuple[rrall.rr_all._patient.TKI, ...] | None"',
        'note: Revealed type is "int | None"',
        'note: Revealed type is "rrall.rr_all._patient.Patient"',
        'note: Revealed type is "rrall.rr_all._patient.Patient"',
    ], out
    assert any('"colour"' in line and '"Never"' in line for line in found[5:]), out
    assert any('"age"' in line and '"str"' in line for line in found[5:]), out
    assert status == 1


# -- R/R ALL's Patient keeps its contract ---------------------------------------


def test_patient_is_a_generated_record_with_the_fields_in_schema_order() -> None:
    assert issubclass(Patient, Record)
    assert Patient.__schema__ is PATIENT_SCHEMA
    fields = attrs.fields(Patient)
    assert [f.name for f in fields] == [*PATIENT_SCHEMA.names, "_facts"]
    assert fields.ph.type == Ph | None
    assert fields.tkis_received.type == tuple[TKI, ...] | None
    assert (Patient.__module__, Patient.__qualname__) == ("rrall.rr_all._patient", "Patient")


def test_its_generated_source_is_registered_for_tracebacks_and_inspect() -> None:
    source = inspect.getsource(Patient.__init__)
    assert source.startswith("def __init__(")
    prepare = {"induction_drugs": len}
    assert source in record_source(PATIENT_SCHEMA, "Patient", enums=_patient._ENUMS, prepare=prepare)
    filename = Patient.__init__.__code__.co_filename
    assert filename.startswith("<rrall record rrall.rr_all._patient.Patient")
    assert filename in linecache.cache


def test_a_traceback_through_a_generated_init_shows_its_lines() -> None:
    def refuse(value: object) -> object:
        raise LookupError("refused")

    schema = Schema((Subset("drugs", "drugs"),))
    Visit = record_class(schema, "Visit", prepare={"drugs": refuse})
    with pytest.raises(LookupError) as caught:
        Visit(drugs=["a"])
    frames = traceback.extract_tb(caught.tb)
    assert any(frame.line == "drugs = _prepare_drugs(drugs)" for frame in frames), frames


def test_a_patient_pickles_copies_and_evolves_as_a_patient() -> None:
    patient = Patient(age=61, ph="positive", tkis_received=["imatinib"], tkis_failed=["imatinib"])
    assert pickle.loads(pickle.dumps(patient)) == patient
    assert pickle.loads(pickle.dumps(patient)).__facts__[1] == patient.__facts__[1]
    older = attrs.evolve(patient, age=62)
    assert (older.age, older.tkis_failed) == (62, (TKI.IMATINIB,))
    with pytest.raises(InvalidRecord, match="tkis_failed: imatinib not in tkis_received"):
        attrs.evolve(patient, tkis_received=[])


def _outcome(make: Callable[[dict[str, object]], object], record: dict[str, object]) -> Any:
    """What ``make(record)`` gives, or the `InvalidRecord` it raises."""
    try:
        return make(record)
    except InvalidRecord as error:
        return error


_values = (
    st.sampled_from(["positive", "negative", "B", "T", "relapsed", "refractory", "imatinib", "", " VCR "])
    | st.sampled_from([Ph.POSITIVE, TKI.DASATINIB, True, 1.5, math.nan, 10**60])
    | st.integers(-2, 130)
)
_records = st.dictionaries(
    st.sampled_from([*PATIENT_SCHEMA.names, "self", "unknown", "_facts"]),
    _values
    | st.lists(_values, max_size=3)
    | st.tuples(_values)
    | st.frozensets(st.sampled_from(["imatinib"])),
    max_size=6,
)


@given(_records)
@example({"status": "relapsed", "relapses": 0})
@example({"tkis_received": ["imatinib"], "tkis_failed": ["imatinib", "dasatinib"]})
@example({"induction_drugs": ["Oncovin", "ara-C"], "relapses": 2, "status": "relapsed"})
def test_a_patient_takes_exactly_what_the_schema_takes_with_its_messages(record: dict[str, object]) -> None:
    given = dict(record)
    drugs = given.get("induction_drugs")
    if isinstance(drugs, (list, tuple)) and all(isinstance(d, str) for d in drugs):
        given["induction_drugs"] = list(_patient.normalise_drug_names(drugs)[0])
    expected = _outcome(PATIENT_SCHEMA.parse, given)
    if isinstance(expected, InvalidRecord):
        assert _outcome(lambda r: Patient(**r), record).problems == expected.problems  # type: ignore[union-attr]
        return
    facts = expected
    patient = Patient(**record)  # type: ignore[arg-type]
    assert patient.__facts__ == (PATIENT_SCHEMA, facts)
    assert PATIENT_SCHEMA.facts_of(Patient.from_dict(patient.to_dict())) == facts


# -- any schema ------------------------------------------------------------------


class Colour(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


SCHEMA = Schema(
    facts=(
        Measure("temperature", "temperature", unit="°C", minimum=30.0, maximum=45.0),
        Boolean("cough", "cough", yes="a cough", no="no cough"),
        Integer("visits", "visits", minimum=0, maximum=9),
        Choice("colour", "colour", ("red", "blue")),
        Choice("shade", "shade", ("red", "blue")),
        Subset("seen", "seen", ("a", "b", "c")),
        Subset("had", "had", ("a", "b", "c")),
        Subset("notes", "notes"),
    ),
    constraints=(
        SubsetOf("had", "seen"),
        Implies(Is("cough", True), AtLeast("visits", 1), field="visits", message="must be ≥ 1 with a cough"),
    ),
)
Visit = record_class(SCHEMA, "Visit", enums={"shade": Colour}, module=__name__)


def test_each_kind_of_fact_becomes_a_field_of_its_type() -> None:
    visit = Visit(
        temperature=38, cough=True, visits=2, colour="red", shade="blue", seen=["b", "a"], notes=[" X ", "y"]
    )
    assert (visit.temperature, visit.cough, visit.visits) == (38.0, True, 2)
    assert isinstance(visit.temperature, float)
    assert (visit.colour, visit.shade) == ("red", Colour.BLUE)
    assert (visit.seen, visit.had, visit.notes) == (("a", "b"), None, ("x", "y"))
    assert visit.to_dict() == {
        "temperature": 38.0,
        "cough": True,
        "visits": 2,
        "colour": "red",
        "shade": "blue",
        "seen": ["a", "b"],
        "notes": ["x", "y"],
    }
    assert visit.known == ("temperature", "cough", "visits", "colour", "shade", "seen", "notes")
    assert visit.unknown == ("had",)
    assert repr(Visit(cough=False)) == (
        "Visit(temperature=None, cough=False, visits=None, colour=None, shade=None, seen=None, had=None, "
        "notes=None)"
    )
    assert pickle.loads(pickle.dumps(visit)) == visit
    assert hash(visit) == hash(Visit(**visit.to_dict()))  # type: ignore[arg-type]


_any = (
    st.none()
    | st.booleans()
    | st.integers(-1, 11)
    | st.floats(allow_nan=True)
    | st.sampled_from(["red", "blue", "a", "b", " c ", "", Colour.RED])
)
_visits = st.dictionaries(
    st.sampled_from([*SCHEMA.names, "other"]), _any | st.lists(_any, max_size=3), max_size=5
)


@given(_visits)
@example({"cough": True, "visits": 0})
@example({"temperature": math.inf})
@example({"had": ["a"], "seen": []})
def test_any_record_takes_exactly_what_its_schema_takes_with_its_messages(record: dict[str, object]) -> None:
    expected = _outcome(SCHEMA.parse, record)
    if isinstance(expected, InvalidRecord):
        assert _outcome(lambda r: Visit(**r), record).problems == expected.problems  # type: ignore[union-attr]
    else:
        assert Visit(**record).__facts__ == (SCHEMA, expected)  # type: ignore[arg-type]


def test_from_dict_names_a_record_that_is_not_an_object() -> None:
    with pytest.raises(InvalidRecord, match="patient: must be a JSON object, got list"):
        Visit.from_dict([])
    Other = record_class(SCHEMA, "Other", word="visit")
    with pytest.raises(InvalidRecord, match="visit: must be a JSON object, got str"):
        Other.from_dict("x")


@pytest.mark.parametrize(
    "name", ["class", "_hidden", "two words", "self", "to_dict", "known", "facts", "int", "len"]
)
def test_a_fact_whose_name_cannot_be_a_field_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="cannot be a field"):
        record_class(Schema((Integer(name, "x", 0, 1),)), "Bad")


def test_facts_named_like_the_generated_codes_own_names_are_plain_fields() -> None:
    named = Schema(
        (
            Integer("schema", "schema", 0, 9),
            Choice("field", "field", ("a", "b")),
            Subset("values", "values"),
            Boolean("slow", "slow"),
            Integer("values_", "values", 0, 9),
        )
    )
    Odd = record_class(named, "Odd")
    odd = Odd(schema=1, field="a", values=["x"], slow=True, values_=2)
    assert (odd.schema, odd.field, odd.values, odd.slow, odd.values_) == (1, "a", ("x",), True, 2)
    assert odd.__facts__[0] is named
    with pytest.raises(InvalidRecord, match="schema: must be from 0 to 9, got 10; slow: must be true or"):
        Odd(schema=10, slow="yes")


def test_an_enum_that_does_not_list_the_facts_values_is_refused() -> None:
    with pytest.raises(ValueError, match="enum Colour does not list the values of fact 'colour'"):
        record_class(Schema((Choice("colour", "colour", ("blue", "red")),)), "Bad", enums={"colour": Colour})


# -- a docstring written once ------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "path"),
    [(Patient, ROOT / "src" / "rrall" / "rr_all" / "_patient.py"), (TOY.TriagePatient, TOY_FILE)],
    ids=["Patient", "TriagePatient"],
)
def test_a_generated_class_shows_the_docstring_written_once_in_its_declaration(cls: type, path: Path) -> None:
    doc = inspect.getdoc(cls)
    assert doc is not None
    first = doc.splitlines()[0]
    assert path.read_text(encoding="utf-8").count(first) == 1  # in the declaration only
    assert inspect.cleandoc(declared(path, cls.__name__).split('"""')[1]) == doc
    assert pydoc.render_doc(cls, renderer=pydoc.plaintext).count(first) == 1  # help() shows it once
