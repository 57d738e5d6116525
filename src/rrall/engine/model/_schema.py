"""The facts a guideline reads: their names, kinds, values, words and constraints.

A schema validates a raw record (a dict from JSON, or keyword arguments),
reporting every problem at once, and describes conditions in words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from enum import Enum
from functools import cached_property
from itertools import combinations, pairwise
from typing import Union

from attrs import field, frozen

from ..exceptions import InvalidRecord, Problem, _clipped
from ._conditions import (
    AtLeast,
    AtMost,
    Atom,
    Condition,
    Contains,
    CountAtLeast,
    Is,
    evaluate,
)
from ._domains import ChoiceDomain, Domain, MeasureDomain, RangeDomain, SetDomain

__all__ = [
    "Boolean",
    "Choice",
    "Fact",
    "Implies",
    "Integer",
    "InvalidRecord",
    "Measure",
    "Problem",
    "Schema",
    "Subset",
    "SubsetOf",
    "Value",
]

#: A known fact's value: a choice (str), true/false (bool), a whole number (int), a decimal
#: measure (float), or a set.
Value = Union[str, bool, int, float, frozenset[str]]
"""A known fact's value: a choice (str), true/false (bool), a whole number (int), a decimal
measure (float), or a set."""


_ABSENT = object()


def _shown(raw: object) -> str:
    """A bad value as an error message shows it, cut to `_SHOWN` characters."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return _clipped(repr(raw))
    if isinstance(raw, float) and math.isnan(raw):
        return "NaN"
    if isinstance(raw, int) and raw.bit_length() > 128:  # str() of it may be long, or refused (4300 digits)
        return f"a number over 10**{math.floor((raw.bit_length() - 1) * math.log10(2))}"
    return (
        _clipped(repr(raw))
        if not isinstance(raw, (list, tuple, set, frozenset, dict))
        else type(raw).__name__
    )


@frozen
class Choice:
    """A fact that takes one of a few named values, e.g. Ph status."""

    name: str
    label: str
    values: tuple[str, ...]
    #: How ``Is(fact, value)`` reads, with ``{value}`` filled in.
    phrase: str = "{value}"

    def parse(self, raw: object) -> str | Problem:
        """Validate one raw value of this fact.

        Args:
            raw: The value as given (from JSON, or an enum member).

        Returns:
            The value in its internal form, or a `Problem` saying what is wrong.
        """
        if isinstance(raw, Enum):
            raw = raw.value
        if not isinstance(raw, str):
            return Problem(self.name, f"must be one of {self._choices()}, got {_shown(raw)}", True)
        if raw not in self.values:
            return Problem(self.name, f"must be one of {self._choices()}, got {_shown(raw)}")
        return raw

    def _choices(self) -> str:
        return ", ".join(repr(value) for value in self.values)

    def describe(self, atom: Atom, *, holds: bool) -> str:
        """The atom ``atom`` on this fact in words; negated when ``holds`` is false."""
        assert isinstance(atom, Is)
        text = self.phrase.format(value=atom.value)
        return text if holds else f"not {text}"

    def show(self, value: Value) -> str:
        """A known value as a clinician reads it."""
        return str(value)

    def clause(self, shown: str) -> str:
        """A patient's value in the words of a reason ("CD20-positive disease"), from `show`."""
        return self.phrase.format(value=shown)

    def representatives(self, atoms: Iterable[Atom]) -> tuple[Value, ...]:
        """One value for each class of values the given atoms can tell apart."""
        return self.values


@frozen
class Boolean(Choice):
    """A true/false fact, e.g. a stiff neck; tested by ``Is(fact, True)`` or ``Is(fact, False)``.

    Attributes:
        yes: The words for true, e.g. ``"a stiff neck"``.
        no: The words for false, e.g. ``"no stiff neck"``.
    """

    values: tuple[bool, ...] = field(default=(True, False), kw_only=True)  # type: ignore[assignment]
    yes: str = field(default="yes", kw_only=True)
    no: str = field(default="no", kw_only=True)

    def parse(self, raw: object) -> bool | Problem:  # type: ignore[override]
        """Validate one raw value of this fact: true or false.

        Returns:
            The value, or a `Problem` saying what is wrong.
        """
        if not isinstance(raw, bool):
            return Problem(self.name, f"must be true or false, got {_shown(raw)}", True)
        return raw

    def describe(self, atom: Atom, *, holds: bool) -> str:
        """The atom ``atom`` on this fact in words; negated when ``holds`` is false."""
        assert isinstance(atom, Is)
        return self.yes if bool(atom.value) == holds else self.no

    def show(self, value: Value) -> str:
        """A known value as a clinician reads it: "yes" or "no"."""
        return "yes" if value is True else "no"

    def clause(self, shown: str) -> str:
        """A patient's value in the words of a reason ("no stiff neck"), from `show`."""
        return self.yes if shown == "yes" else self.no


@frozen
class Integer:
    """A whole-number fact within ``minimum``..``maximum``, e.g. age or a count."""

    name: str
    label: str
    minimum: int
    maximum: int

    def parse(self, raw: object) -> int | Problem:
        """Validate one raw value of this fact.

        Args:
            raw: The value as given (from JSON, or an enum member).

        Returns:
            The value in its internal form, or a `Problem` saying what is wrong.
        """
        if isinstance(raw, bool) or not isinstance(raw, int):
            return Problem(self.name, f"must be a whole number, got {_shown(raw)}", True)
        if not self.minimum <= raw <= self.maximum:
            return Problem(self.name, f"must be from {self.minimum} to {self.maximum}, got {_shown(raw)}")
        return raw

    def describe(self, atom: Atom, *, holds: bool) -> str:
        """The atom ``atom`` on this fact in words; negated when ``holds`` is false."""
        assert isinstance(atom, (AtLeast, AtMost))
        if isinstance(atom, AtLeast):
            return f"{self.label} ≥ {atom.bound}" if holds else f"{self.label} < {atom.bound}"
        return f"{self.label} ≤ {atom.bound}" if holds else f"{self.label} > {atom.bound}"

    def show(self, value: Value) -> str:
        """A known value as a clinician reads it."""
        return str(value)

    def clause(self, shown: str) -> str:
        """A patient's value in the words of a reason ("age 17"), from `show`."""
        return f"{self.label} {shown}"

    def representatives(self, atoms: Iterable[Atom]) -> tuple[Value, ...]:
        """One value for each class of values the given atoms can tell apart."""
        cuts = {self.minimum}
        for atom in atoms:
            if isinstance(atom, AtLeast):
                cuts.add(int(atom.bound))  # whole: the guideline checks an integer's bounds
            elif isinstance(atom, AtMost):
                cuts.add(int(atom.bound) + 1)
        return tuple(sorted(cut for cut in cuts if self.minimum <= cut <= self.maximum))

    def range_of(self, value: int, atoms: Iterable[Atom]) -> tuple[int, int]:
        """The lowest and highest whole numbers the given atoms cannot tell from ``value``."""
        cuts = [cut for cut in self.representatives(atoms) if isinstance(cut, int)]  # all are
        low = max(cut for cut in cuts if cut <= value)  # the minimum is a cut
        high = min((cut - 1 for cut in cuts if cut > value), default=self.maximum)
        return low, high


@frozen
class Measure:
    """A decimal fact with a unit within ``minimum``..``maximum``, e.g. a temperature in °C.

    Whole numbers are accepted too (38 is 38.0); conditions on it are `AtLeast` and `AtMost`.
    """

    name: str
    label: str
    unit: str
    minimum: float
    maximum: float

    def parse(self, raw: object) -> float | Problem:
        """Validate one raw value of this fact: a finite number in range.

        Returns:
            The value as a float, or a `Problem` saying what is wrong.
        """
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            return Problem(self.name, f"must be a number ({self.unit}), got {_shown(raw)}", True)
        if not self.minimum <= raw <= self.maximum:
            return Problem(
                self.name, f"must be from {self._num(self.minimum)} to {self._num(self.maximum)}, got {raw}"
            )
        return float(raw)

    def _num(self, value: float) -> str:
        return f"{float(value)} {self.unit}"

    def describe(self, atom: Atom, *, holds: bool) -> str:
        """The atom ``atom`` on this fact in words; negated when ``holds`` is false."""
        assert isinstance(atom, (AtLeast, AtMost))
        bound = self._num(atom.bound)
        if isinstance(atom, AtLeast):
            return f"{self.label} ≥ {bound}" if holds else f"{self.label} < {bound}"
        return f"{self.label} ≤ {bound}" if holds else f"{self.label} > {bound}"

    def show(self, value: Value) -> str:
        """A known value as a clinician reads it, with its unit ("38.3 °C")."""
        assert isinstance(value, (int, float))
        return self._num(value)

    def clause(self, shown: str) -> str:
        """A patient's value in the words of a reason ("temperature 37.2 °C"), from `show`."""
        return f"{self.label} {shown}"

    def representatives(self, atoms: Iterable[Atom]) -> tuple[Value, ...]:
        """One value for each class of values the atoms can tell apart: each bound tested, the
        ends of the range, and a value between each two of those."""
        points = {self.minimum, self.maximum}
        points.update(a.bound for a in atoms if isinstance(a, (AtLeast, AtMost)))
        cuts = sorted(p for p in points if self.minimum <= p <= self.maximum)
        between = [(low + high) / 2 for low, high in pairwise(cuts)]
        return tuple(sorted({*cuts, *between}))


@frozen
class Subset:
    """A fact that is a set of items, e.g. the TKIs received.

    With a ``universe`` only its items are allowed; without one, any non-empty
    names are (normalised to lower case).
    """

    name: str
    label: str
    universe: tuple[str, ...] | None = None

    def parse(self, raw: object) -> frozenset[str] | Problem:
        """Validate one raw value of this fact.

        Args:
            raw: The value as given (from JSON, or an enum member).

        Returns:
            The value in its internal form, or a `Problem` saying what is wrong.
        """
        if isinstance(raw, (str, bytes)) or not isinstance(raw, (list, tuple, set, frozenset)):
            return Problem(self.name, f"must be a list, got {_shown(raw)}", True)
        items: list[str] = []
        for item in raw:
            if isinstance(item, Enum):
                item = item.value
            if not isinstance(item, str):
                return Problem(self.name, f"must be a list of names, got an item {_shown(item)}", True)
            if self.universe is None:
                item = item.strip().lower()
                if not item:
                    return Problem(self.name, "must not hold an empty name")
            elif item not in self.universe:
                allowed = ", ".join(repr(value) for value in self.universe)
                return Problem(self.name, f"unknown item {_shown(item)}; must be among {allowed}")
            items.append(item)
        return frozenset(items)

    def ordered(self, items: Iterable[str]) -> tuple[str, ...]:
        """``items`` in the schema's canonical order (the universe's, else sorted)."""
        if self.universe is None:
            return tuple(sorted(items))
        present = set(items)
        return tuple(item for item in self.universe if item in present)

    def describe(self, atom: Atom, *, holds: bool) -> str:
        """The atom ``atom`` on this fact in words; negated when ``holds`` is false."""
        assert isinstance(atom, (Contains, CountAtLeast))
        if isinstance(atom, Contains):
            return f"{atom.item} {'in' if holds else 'not in'} {self.label}"
        if holds:
            return f"≥ {atom.bound} {self.label}"
        return f"no {self.label}" if atom.bound == 1 else f"< {atom.bound} {self.label}"

    def show(self, value: Value) -> str:
        """A known value as a clinician reads it: its items, or "none"."""
        assert isinstance(value, frozenset)
        return ", ".join(self.ordered(value)) or "none"

    def clause(self, shown: str) -> str:
        """A patient's value in the words of a reason ("TKIs failed: none"), from `show`."""
        return f"{self.label}: {shown}"

    def representatives(self, atoms: Iterable[Atom]) -> tuple[Value, ...]:
        """Sets that realise every combination of the atoms' answers."""
        atoms = [atom for atom in atoms if isinstance(atom, (Contains, CountAtLeast))]
        named = list(dict.fromkeys(atom.item for atom in atoms if isinstance(atom, Contains)))
        most = max((atom.bound for atom in atoms if isinstance(atom, CountAtLeast)), default=0)
        fillers = [item for item in (self.universe or ()) if item not in named]
        fillers += [f"other-{index}" for index in range(most)] if self.universe is None else []
        pool = named + fillers[:most]
        seen: dict[tuple[bool, ...], frozenset[str]] = {}
        for size in range(len(pool) + 1):
            for chosen in combinations(pool, size):
                value = frozenset(chosen)
                signature = tuple(_holds(atom, value) for atom in atoms)
                seen.setdefault(signature, value)
        return tuple(seen.values())


def _holds(atom: Atom, value: frozenset[str]) -> bool:
    if isinstance(atom, Contains):
        return atom.item in value
    assert isinstance(atom, CountAtLeast)
    return len(value) >= atom.bound


Fact = Union[Boolean, Choice, Integer, Measure, Subset]
"""Any kind of fact: `Choice`, `Boolean`, `Integer`, `Measure` or `Subset`."""


@frozen
class SubsetOf:
    """Every item of set fact ``subset`` is also in set fact ``superset``."""

    subset: str
    superset: str


@frozen
class Implies:
    """When ``when`` holds, ``then`` must hold too; a breach is reported on ``field``."""

    when: Condition
    then: Condition
    field: str
    message: str


Constraint = Union[SubsetOf, Implies]


@frozen
class Schema:
    """The named facts a guideline reads, and the constraints between them."""

    facts: tuple[Fact, ...]
    constraints: tuple[Constraint, ...] = ()

    @cached_property
    def _by_name(self) -> dict[str, Fact]:
        return {fact.name: fact for fact in self.facts}

    @property
    def names(self) -> tuple[str, ...]:
        """The fact names, in schema order."""
        return tuple(fact.name for fact in self.facts)

    def fact(self, name: str) -> Fact:
        """The fact called ``name``; ``KeyError`` if the schema has none."""
        return self._by_name[name]

    def parse(self, raw: Mapping[str, object]) -> dict[str, Value | None]:
        """Validate a raw record; ``InvalidRecord`` lists every problem at once.

        Absent keys and ``None`` values are unknown facts.
        """
        problems: list[Problem] = [
            Problem(str(key), "is not a known field", True) for key in raw if key not in self._by_name
        ]
        values: dict[str, Value | None] = {}
        for fact in self.facts:
            given = raw.get(fact.name)
            if given is None:
                values[fact.name] = None
                continue
            parsed = fact.parse(given)
            if isinstance(parsed, Problem):
                problems.append(parsed)
                values[fact.name] = None
            else:
                values[fact.name] = parsed
        problems += self._breaches(values)
        if problems:
            raise InvalidRecord(problems)
        return values

    def _breaches(self, values: Mapping[str, Value | None]) -> list[Problem]:
        problems = []
        for constraint in self.constraints:
            if isinstance(constraint, SubsetOf):
                inner, outer = values[constraint.subset], values[constraint.superset]
                if isinstance(inner, frozenset) and isinstance(outer, frozenset) and not inner <= outer:
                    fact = self.fact(constraint.subset)
                    assert isinstance(fact, Subset)
                    stray = ", ".join(fact.ordered(inner - outer))
                    problems.append(Problem(constraint.subset, f"{stray} not in {constraint.superset}"))
            else:
                known = _Known(self, values)
                when, then = evaluate(constraint.when, known), evaluate(constraint.then, known)
                if when is True and then is False:
                    problems.append(Problem(constraint.field, constraint.message))
        return problems

    def facts_of(self, record: object) -> dict[str, Value | None]:
        """The facts of a record object (its attributes named as the facts).

        Enum members become their values and sequences become sets; a record
        that is a mapping is validated with `parse` first. A record may keep
        its facts already read: an attribute ``__facts__`` holding
        ``(schema, facts)``, used (copied) when ``schema`` is this one.
        """
        stored = getattr(record, "__facts__", None)
        if stored is not None and stored[0] is self:
            return dict(stored[1])
        if isinstance(record, Mapping):
            return self.parse(record)
        facts: dict[str, Value | None] = {}
        for name in self.names:
            value: object = getattr(record, name, _ABSENT)
            if value is _ABSENT:
                raise TypeError(
                    f"expected a mapping of facts or a record with them as attributes, got "
                    f"{type(record).__name__} (no attribute {name!r})"
                )
            if isinstance(value, Enum):
                value = value.value
            elif isinstance(value, (tuple, list, set)):
                value = frozenset(item.value if isinstance(item, Enum) else item for item in value)
            facts[name] = value  # type: ignore[assignment]  # a record's attributes are its facts
        return facts

    def facts_view(self, record: object) -> Mapping[str, Value | None]:
        """`facts_of` for a caller that only reads: the facts a record keeps, not copied.

        The mapping may be the record's own, so it must not be changed.
        """
        stored = getattr(record, "__facts__", None)
        if stored is not None and stored[0] is self:
            return stored[1]  # type: ignore[no-any-return]
        return self.facts_of(record)

    def to_json(self, facts: Mapping[str, Value | None]) -> dict[str, object]:
        """The known facts in their JSON form (sets as lists in schema order)."""
        return {name: self._json_value(name, value) for name, value in facts.items() if value is not None}

    def _json_value(self, name: str, value: Value) -> object:
        fact = self.fact(name)
        return (
            list(fact.ordered(value)) if isinstance(fact, Subset) and isinstance(value, frozenset) else value
        )

    def show(self, name: str, value: Value | None) -> str:
        """A fact's value as a clinician reads it ("unknown" when not known)."""
        return "unknown" if value is None else self.fact(name).show(value)


def domain_of(fact: Fact, value: Value | None) -> Domain:
    """The values ``fact`` can take when its value is ``value`` (None: unknown), before constraints."""
    if isinstance(fact, Boolean):
        return ChoiceDomain(frozenset(fact.values) if value is None else frozenset({bool(value)}))
    if isinstance(fact, Measure):
        if value is None:
            return MeasureDomain(fact.minimum, fact.maximum)
        assert isinstance(value, (int, float))
        return MeasureDomain(value, value)
    if isinstance(fact, Choice):
        return ChoiceDomain(frozenset(fact.values) if value is None else frozenset({str(value)}))
    if isinstance(fact, Integer):
        if value is None:
            return RangeDomain(fact.minimum, fact.maximum)
        assert isinstance(value, int)
        return RangeDomain(value, value)
    if value is None:
        universe = None if fact.universe is None else frozenset(fact.universe)
        return SetDomain(frozenset(), universe, frozenset(), 0, None)
    assert isinstance(value, frozenset)
    return SetDomain(value, value, frozenset(), len(value), len(value))


class _Known:
    """The facts as given, each fact's domain its value (or all values, when unknown)."""

    def __init__(self, schema: Schema, values: Mapping[str, Value | None]) -> None:
        self.schema = schema
        self.values = values

    def domain(self, name: str) -> Domain:
        return domain_of(self.schema.fact(name), self.values.get(name))
