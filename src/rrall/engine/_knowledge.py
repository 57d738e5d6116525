"""What is known, or can be inferred, about each fact of one patient.

Each fact has a domain: the values it can still take. A known fact's domain is
one value; an unknown fact's is everything its schema allows. Following a
branch that depends on an unknown fact narrows the domain (taking "age ≥ 18"
means later conditions may assume it), and the schema's constraints carry
what is known about one fact over to another (TKIs failed are among those
received).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Union

from attrs import frozen

from ._conditions import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Atom,
    Condition,
    Contains,
    CountAtLeast,
    Is,
    Not,
    evaluate,
)
from ._schema import Boolean, Choice, Fact, Implies, Integer, Measure, Schema, Subset, SubsetOf, Value

__all__ = ["Knowledge"]


@frozen
class ChoiceDomain:
    possible: frozenset[str | bool]

    def evaluate(self, atom: Atom) -> bool | None:
        assert isinstance(atom, Is)
        if atom.value not in self.possible:
            return False
        return True if len(self.possible) == 1 else None

    def assume(self, atom: Atom, holds: bool) -> ChoiceDomain:
        assert isinstance(atom, Is)
        if holds:
            return ChoiceDomain(self.possible & {atom.value})
        return ChoiceDomain(self.possible - {atom.value})

    @property
    def empty(self) -> bool:
        return not self.possible


@frozen
class RangeDomain:
    low: int
    high: int

    def evaluate(self, atom: Atom) -> bool | None:
        if isinstance(atom, AtLeast):
            return True if self.low >= atom.bound else False if self.high < atom.bound else None
        assert isinstance(atom, AtMost)
        return True if self.high <= atom.bound else False if self.low > atom.bound else None

    def assume(self, atom: Atom, holds: bool) -> RangeDomain:
        assert isinstance(atom, (AtLeast, AtMost))
        bound = int(atom.bound)  # whole: the guideline checks an integer's bounds
        if isinstance(atom, AtLeast):
            if holds:
                return RangeDomain(max(self.low, bound), self.high)
            return RangeDomain(self.low, min(self.high, bound - 1))
        if holds:
            return RangeDomain(self.low, min(self.high, bound))
        return RangeDomain(max(self.low, bound + 1), self.high)

    @property
    def empty(self) -> bool:
        return self.low > self.high


@frozen
class MeasureDomain:
    """The decimals from ``low`` to ``high``, each end left out when ``*_open``."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def evaluate(self, atom: Atom) -> bool | None:
        if isinstance(atom, AtLeast):
            if self.low >= atom.bound:
                return True
            below = self.high < atom.bound or (self.high == atom.bound and self.high_open)
            return False if below else None
        assert isinstance(atom, AtMost)
        if self.high <= atom.bound:
            return True
        above = self.low > atom.bound or (self.low == atom.bound and self.low_open)
        return False if above else None

    def assume(self, atom: Atom, holds: bool) -> MeasureDomain:
        at_least = isinstance(atom, AtLeast)
        if at_least == holds:  # a lower bound: ≥ bound, or (not ≤ bound) > bound
            return self._above(atom.bound, opened=not at_least)  # type: ignore[union-attr]
        return self._below(atom.bound, opened=at_least)  # type: ignore[union-attr]

    def _above(self, bound: float, *, opened: bool) -> MeasureDomain:
        if bound > self.low or (bound == self.low and opened):
            return MeasureDomain(bound, self.high, opened, self.high_open)
        return self

    def _below(self, bound: float, *, opened: bool) -> MeasureDomain:
        if bound < self.high or (bound == self.high and opened):
            return MeasureDomain(self.low, bound, self.low_open, opened)
        return self

    @property
    def empty(self) -> bool:
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))


@frozen
class SetDomain:
    """Items surely in (``must``), items that may be in (``may``; None: any
    name not in ``barred``), and bounds on the size."""

    must: frozenset[str]
    may: frozenset[str] | None
    barred: frozenset[str]
    low: int
    high: int | None

    def evaluate(self, atom: Atom) -> bool | None:
        if isinstance(atom, Contains):
            if atom.item in self.must:
                return True
            if atom.item in self.barred or (self.may is not None and atom.item not in self.may):
                return False
            return None
        assert isinstance(atom, CountAtLeast)
        if max(self.low, len(self.must)) >= atom.bound:
            return True
        if self._most() is not None and self._most() < atom.bound:  # type: ignore[operator]
            return False
        return None

    def _most(self) -> int | None:
        bounds = [
            bound for bound in (self.high, None if self.may is None else len(self.may)) if bound is not None
        ]
        return min(bounds) if bounds else None

    def assume(self, atom: Atom, holds: bool) -> SetDomain:
        if isinstance(atom, Contains):
            if holds:
                return SetDomain(self.must | {atom.item}, self.may, self.barred, self.low, self.high)
            may = None if self.may is None else self.may - {atom.item}
            return SetDomain(self.must, may, self.barred | {atom.item}, self.low, self.high)
        assert isinstance(atom, CountAtLeast)
        if holds:
            return SetDomain(self.must, self.may, self.barred, max(self.low, atom.bound), self.high)
        high = atom.bound - 1 if self.high is None else min(self.high, atom.bound - 1)
        return SetDomain(self.must, self.may, self.barred, self.low, high)

    def within(self, outer: SetDomain) -> SetDomain:
        """Narrow this domain to a subset of ``outer``."""
        barred = self.barred | outer.barred
        may = self.may if outer.may is None else outer.may if self.may is None else self.may & outer.may
        may = None if may is None else may - barred
        highs = [bound for bound in (self.high, outer._most()) if bound is not None]
        return SetDomain(self.must, may, barred, self.low, min(highs) if highs else None)

    def around(self, inner: SetDomain) -> SetDomain:
        """Widen what is surely in this domain to cover a subset ``inner``."""
        return SetDomain(self.must | inner.must, self.may, self.barred, max(self.low, inner.low), self.high)

    @property
    def empty(self) -> bool:
        most = self._most()
        return (
            bool(self.must & self.barred)
            or (self.may is not None and not self.must <= self.may)
            or (most is not None and max(self.low, len(self.must)) > most)
        )


Domain = Union[ChoiceDomain, RangeDomain, MeasureDomain, SetDomain]


def _domain(fact: Fact, value: Value | None) -> Domain:
    if isinstance(fact, Boolean):
        return ChoiceDomain(frozenset(fact.values) if value is None else frozenset({bool(value)}))
    if isinstance(fact, Choice):
        return ChoiceDomain(frozenset(fact.values) if value is None else frozenset({str(value)}))
    if isinstance(fact, Measure):
        if value is None:
            return MeasureDomain(fact.minimum, fact.maximum)
        assert isinstance(value, (int, float))
        return MeasureDomain(value, value)
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


@frozen
class Knowledge:
    """The domain of every fact of a schema, for one patient on one route."""

    schema: Schema
    domains: Mapping[str, Domain]

    @classmethod
    def exact(cls, schema: Schema, facts: Mapping[str, Value | None]) -> Knowledge:
        """The knowledge the facts give directly, without constraints."""
        return cls(schema, {fact.name: _domain(fact, facts.get(fact.name)) for fact in schema.facts})

    @classmethod
    def of(cls, schema: Schema, facts: Mapping[str, Value | None]) -> Knowledge:
        """The knowledge the facts give, with the schema's constraints applied."""
        return cls.exact(schema, facts)._propagated()

    def domain(self, name: str) -> Domain:
        """The values fact ``name`` can still take."""
        return self.domains[name]

    @property
    def consistent(self) -> bool:
        """False when some fact has no value left (the route is impossible)."""
        return not any(domain.empty for domain in self.domains.values())

    def assume(self, condition: Condition) -> Knowledge:
        """The knowledge on a route where ``condition`` is taken to hold."""
        return self._assumed(condition, True)._propagated()

    def _assumed(self, condition: Condition, holds: bool) -> Knowledge:
        if isinstance(condition, Not):
            return self._assumed(condition.condition, not holds)
        if isinstance(condition, (AllOf, AnyOf)):
            every = isinstance(condition, AllOf) == holds
            if every:  # all parts hold (or, negated, all parts fail)
                knowledge = self
                for child in condition.conditions:
                    knowledge = knowledge._assumed(child, holds)
                return knowledge
            live = [child for child in condition.conditions if evaluate(child, self) is not (not holds)]
            return self._assumed(live[0], holds) if len(live) == 1 else self
        domain = self.domains[condition.fact].assume(condition, holds)
        return Knowledge(self.schema, {**self.domains, condition.fact: domain})

    def _propagated(self) -> Knowledge:
        """Apply the constraints until nothing more follows (domains only shrink)."""
        knowledge = self
        while True:
            narrowed = knowledge._propagated_once()
            if narrowed.domains == knowledge.domains:
                return narrowed
            knowledge = narrowed

    def _propagated_once(self) -> Knowledge:
        knowledge = self
        for constraint in self.schema.constraints:
            if isinstance(constraint, SubsetOf):
                inner = knowledge.domains[constraint.subset]
                outer = knowledge.domains[constraint.superset]
                assert isinstance(inner, SetDomain)
                assert isinstance(outer, SetDomain)
                domains = {
                    **knowledge.domains,
                    constraint.subset: inner.within(outer),
                    constraint.superset: outer.around(inner),
                }
                knowledge = Knowledge(knowledge.schema, domains)
            elif isinstance(constraint, Implies):
                if evaluate(constraint.when, knowledge) is True:
                    knowledge = knowledge._assumed(constraint.then, True)
                elif evaluate(constraint.then, knowledge) is False:
                    knowledge = knowledge._assumed(constraint.when, False)
        return knowledge


def inferred_words(fact: Fact, domain: Domain) -> str:
    """What the constraints and the route tell about an unknown fact, in words ("" for nothing):
    e.g. "≥ 1" for relapses when the disease is relapsed, or "at most 1, among imatinib" for the
    TKIs failed when one TKI was received."""
    if isinstance(domain, MeasureDomain):
        return ""  # no constraint of a schema narrows a measure by itself
    if isinstance(domain, ChoiceDomain):
        if isinstance(fact, Boolean) and len(domain.possible) == 1:
            return fact.yes if True in domain.possible else fact.no
        if isinstance(fact, Choice) and domain.possible != frozenset(fact.values):
            return " or ".join(fact.phrase.format(value=v) for v in fact.values if v in domain.possible)
        return ""
    if isinstance(domain, RangeDomain):
        assert isinstance(fact, Integer)
        if domain.low == domain.high:
            return str(domain.low)
        words = []
        if domain.low > fact.minimum:
            words.append(f"≥ {domain.low}")
        if domain.high < fact.maximum:
            words.append(f"≤ {domain.high}")
        return " and ".join(words)
    assert isinstance(fact, Subset)
    words = []
    most = domain._most()
    universe = None if fact.universe is None else frozenset(fact.universe)
    if domain.low > len(domain.must):
        words.append(f"at least {domain.low}")
    if most is not None and domain.may and (universe is None or most < len(universe)):
        words.append(f"at most {most}")
    if domain.must:
        words.append("including " + ", ".join(fact.ordered(domain.must)))
    if domain.may is not None and domain.may != universe:
        words.append(f"only {', '.join(fact.ordered(domain.may))} possible" if domain.may else "none")
    return ", ".join(words)
