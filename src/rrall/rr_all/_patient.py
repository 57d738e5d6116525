"""The patient: the facts the R/R ALL text decides on.

Every field is optional: a missing field is an unknown fact, never a default.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, NoReturn, TypeVar, cast

from attrs import field, frozen

from ..engine import (
    AtLeast,
    Choice,
    Implies,
    Integer,
    InvalidRecord,
    Is,
    Problem,
    Schema,
    Subset,
    SubsetOf,
    Value,
    converter,
)
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

E = TypeVar("E", bound=Enum)


def _member(enum: type[E], value: object) -> E | None:
    return None if value is None else enum(value)


def _members(enum: type[E], values: object, order: tuple[str, ...] | None) -> tuple[E, ...] | None:
    if values is None:
        return None
    assert isinstance(values, frozenset)
    return tuple(enum(value) for value in (order or sorted(values)) if value in values)


@frozen(init=False)
class Patient:
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

    age: int | None = None
    ph: Ph | None = None
    lineage: Lineage | None = None
    status: Status | None = None
    relapses: int | None = None
    prior_therapies: int | None = None
    cd20: CD20 | None = None
    tkis_received: tuple[TKI, ...] | None = None
    tkis_failed: tuple[TKI, ...] | None = None
    induction_drugs: tuple[str, ...] | None = None
    # The parsed facts, kept for `Schema.facts_of`: private, not an argument, not in eq, hash or repr.
    _facts: tuple[Schema, dict[str, Value | None]] = field(init=False, eq=False, repr=False)
    if TYPE_CHECKING:
        __facts__: tuple[Schema, dict[str, Value | None]]

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
    ) -> None:
        given = dict(locals())
        del given["self"], given["unknown"]
        if isinstance(induction_drugs, (list, tuple)) and all(isinstance(d, str) for d in induction_drugs):
            # Brands and abbreviations ("Oncovin", "ara-C") become the generic names the regimens use.
            given["induction_drugs"] = normalise_drug_names(induction_drugs)[0]
        facts = PATIENT_SCHEMA.parse({**given, **unknown})
        tki_order = _values(TKI)
        drugs = facts["induction_drugs"]
        self.__attrs_init__(
            age=cast("int | None", facts["age"]),
            ph=_member(Ph, facts["ph"]),
            lineage=_member(Lineage, facts["lineage"]),
            status=_member(Status, facts["status"]),
            relapses=cast("int | None", facts["relapses"]),
            prior_therapies=cast("int | None", facts["prior_therapies"]),
            cd20=_member(CD20, facts["cd20"]),
            tkis_received=_members(TKI, facts["tkis_received"], tki_order),
            tkis_failed=_members(TKI, facts["tkis_failed"], tki_order),
            induction_drugs=None if drugs is None else tuple(sorted(cast("frozenset[str]", drugs))),
        )
        object.__setattr__(self, "_facts", (PATIENT_SCHEMA, facts))

    @classmethod
    def from_dict(cls, data: object) -> Patient:
        """A patient from its JSON form.

        Args:
            data: A dict as read from JSON; absent keys and ``None`` are unknown facts.

        Raises:
            InvalidRecord: ``data`` is not a dict, or breaks the schema; every
                problem is listed.
        """
        return converter.structure(data, cls)

    def to_dict(self) -> dict[str, object]:
        """The JSON form: known facts only, enums as their strings."""
        return converter.unstructure(self)  # type: ignore[no-any-return]

    @property
    def warnings(self) -> tuple[str, ...]:
        """Warnings about the facts as given: each induction drug rrall does not recognise.

        Examples:
            >>> Patient(induction_drugs=["VCR", "drug x"]).warnings
            ("induction drug 'drug x' is not a drug rrall recognises; kept as given",)
        """
        return normalise_drug_names(self.induction_drugs or ())[1]

    @property
    def known(self) -> tuple[str, ...]:
        """The names of the facts that are known."""
        return tuple(name for name in PATIENT_SCHEMA.names if getattr(self, name) is not None)

    @property
    def unknown(self) -> tuple[str, ...]:
        """The names of the facts that are unknown."""
        return tuple(name for name in PATIENT_SCHEMA.names if getattr(self, name) is None)


# `Schema.facts_of` reads the parsed facts as ``__facts__``: the `_facts` slot itself, so
# reading it is as fast as reading any field.
Patient.__facts__ = vars(Patient)["_facts"]


def _structure_patient(data: object, _: type) -> Patient:
    if not isinstance(data, dict):
        raise InvalidRecord([Problem("patient", f"must be a JSON object, got {type(data).__name__}", True)])
    return Patient(**{str(key): value for key, value in data.items()})


converter.register_structure_hook(Patient, _structure_patient)
converter.register_unstructure_hook(
    Patient, lambda patient: PATIENT_SCHEMA.to_json(PATIENT_SCHEMA.facts_of(patient))
)
