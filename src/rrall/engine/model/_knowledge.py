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
from typing import cast

from attrs import frozen

from ._conditions import (
    AllOf,
    AnyOf,
    Condition,
    Not,
    evaluate,
    facts_read,
)
from ._domains import ChoiceDomain, Domain, MeasureDomain, RangeDomain, SetDomain
from ._schema import (
    Boolean,
    Choice,
    Constraint,
    Fact,
    Implies,
    Integer,
    Schema,
    Subset,
    SubsetOf,
    Value,
    domain_of,
)

__all__ = ["Knowledge", "components", "constrained", "inferred_words"]


@frozen
class Knowledge:
    """The domain of every fact of a schema, for one patient on one route."""

    schema: Schema
    domains: Mapping[str, Domain]

    @classmethod
    def exact(cls, schema: Schema, facts: Mapping[str, Value | None]) -> Knowledge:
        """The knowledge the facts give directly, without constraints."""
        return cls(schema, {fact.name: domain_of(fact, facts.get(fact.name)) for fact in schema.facts})

    @classmethod
    def of(cls, schema: Schema, facts: Mapping[str, Value | None]) -> Knowledge:
        """The knowledge the facts give, with the schema's constraints applied."""
        return cls.exact(schema, facts).settled()

    def domain(self, name: str) -> Domain:
        """The values fact ``name`` can still take."""
        return self.domains[name]

    @property
    def consistent(self) -> bool:
        """False when some fact has no value left (the route is impossible)."""
        return not any(domain.empty for domain in self.domains.values())

    def assume(self, condition: Condition, linked: tuple[Constraint, ...] | None = None) -> Knowledge:
        """The knowledge on a route where ``condition`` is taken to hold.

        ``linked``: apply only these of the schema's constraints (in schema order), for
        knowledge that holds with every constraint already: those of the groups of linked
        facts (`components`) that ``condition`` reads give the same domains, since what is
        known of one group never depends on another.
        """
        view = Knowledge(self.schema, dict(self.domains))
        _narrow(view, condition, True)
        return _settled(view, self.schema.constraints if linked is None else linked)

    def settled(self, linked: tuple[Constraint, ...] | None = None) -> Knowledge:
        """This knowledge with the schema's constraints (or ``linked``, in schema order)
        applied until nothing more follows (domains only shrink; one left as it was is kept)."""
        constraints = self.schema.constraints if linked is None else linked
        if not constraints:
            return self
        return _settled(Knowledge(self.schema, dict(self.domains)), constraints)


def _settled(view: Knowledge, constraints: tuple[Constraint, ...]) -> Knowledge:
    """``view`` (its own domains) with ``constraints`` applied until nothing more follows."""
    while constraints and _propagated_once(view, constraints):
        pass
    return view


def _narrow(view: Knowledge, condition: Condition, holds: bool) -> None:
    """Narrow ``view``'s own (mutable) domains to ``condition`` holding (``holds``) or failing."""
    if isinstance(condition, Not):
        _narrow(view, condition.condition, not holds)
    elif isinstance(condition, (AllOf, AnyOf)):
        if isinstance(condition, AllOf) == holds:  # all parts hold (or, negated, all parts fail)
            for child in condition.conditions:
                _narrow(view, child, holds)
            return
        live = [child for child in condition.conditions if evaluate(child, view) is not (not holds)]
        if len(live) == 1:
            _narrow(view, live[0], holds)
    else:
        domains = cast("dict[str, Domain]", view.domains)
        domains[condition.fact] = domains[condition.fact].assume(condition, holds)


def _propagated_once(view: Knowledge, constraints: tuple[Constraint, ...]) -> bool:
    """Apply each of ``constraints`` once to ``view``'s own domains; whether any changed (a
    domain equal to the one before it is put back, so that what did not change stays itself)."""
    domains = cast("dict[str, Domain]", view.domains)
    changed = False
    for constraint in constraints:
        if isinstance(constraint, SubsetOf):
            names: tuple[str, ...] = (constraint.subset, constraint.superset)
            before = [domains[name] for name in names]
            inner, outer = before
            assert isinstance(inner, SetDomain)
            assert isinstance(outer, SetDomain)
            domains[constraint.subset] = inner.within(outer)
            domains[constraint.superset] = outer.around(inner)
        elif isinstance(constraint, Implies):
            names = (*facts_read(constraint.when), *facts_read(constraint.then))
            before = [domains[name] for name in names]
            if evaluate(constraint.when, view) is True:
                _narrow(view, constraint.then, True)
            elif evaluate(constraint.then, view) is False:
                _narrow(view, constraint.when, False)
        else:
            continue
        for name, old in zip(names, before, strict=True):
            if domains[name] == old:
                domains[name] = old
            else:
                changed = True
    return changed


def constrained(constraint: Constraint) -> tuple[str, ...]:
    """The facts ``constraint`` links: a `SubsetOf`'s two sides; an `Implies`'s facts read, and
    the field it names."""
    if isinstance(constraint, SubsetOf):
        return (constraint.subset, constraint.superset)
    return (*facts_read(constraint.when), *facts_read(constraint.then), constraint.field)


def components(schema: Schema) -> list[tuple[str, ...]]:
    """The schema's facts grouped by the constraints that link them, in schema order.

    What `Knowledge` knows of one group never depends on another group: `Knowledge.assume`
    on a condition changes only the groups of the facts it reads, by their domains alone.
    """
    parent = {name: name for name in schema.names}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    for constraint in schema.constraints:
        linked = constrained(constraint)
        for other in linked[1:]:
            parent[root(other)] = root(linked[0])
    groups: dict[str, list[str]] = {}
    for name in schema.names:
        groups.setdefault(root(name), []).append(name)
    return [tuple(group) for group in groups.values()]


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
