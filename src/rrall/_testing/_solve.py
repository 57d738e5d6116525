"""Routes through a guideline, and the facts that satisfy a condition, exactly.

A *term* is a conjunction of literals (an atomic condition, or its negation).
A condition expands into the terms whose union it is (its disjunctive normal
form); a term is kept only while some patient can still satisfy it under the
schema's constraints. `rrall.testing` draws a term, then each fact from what
the term leaves it: that is how it makes patients that reach or avoid a leaf
directly, instead of drawing at random and throwing patients away.

Nothing here imports Hypothesis, and nothing here knows about R/R ALL.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import networkx as nx
from attrs import frozen

from ..engine import (
    ALWAYS,
    AllOf,
    AnyOf,
    Atom,
    Condition,
    Guideline,
    Implies,
    Knowledge,
    Not,
    Schema,
    SetDomain,
    SubsetOf,
    Value,
)

__all__ = [
    "MAX_TERMS",
    "Literal",
    "Route",
    "Solver",
    "Term",
    "TooComplex",
    "allowed",
    "dead_routes",
    "fact_order",
    "least",
    "most",
    "plan",
    "route_plans",
    "routes",
    "routes_to",
    "settle",
]

R = TypeVar("R")

#: An atomic condition and whether it holds.
Literal = tuple[Atom, bool]

#: More terms than this for one strategy means the conditions are too tangled to expand.
MAX_TERMS = 20_000


class TooComplex(ValueError):
    """The conditions expand into more than `MAX_TERMS` terms."""


@frozen
class Term:
    """A conjunction of literals.

    ``keep`` names the facts a partial patient must keep known for the term's
    point to stand (the facts that cut a leaf's routes, when avoiding it).
    """

    literals: tuple[Literal, ...] = ()
    keep: frozenset[str] = frozenset()

    @property
    def condition(self) -> Condition:
        """The term as one condition."""
        return AllOf(tuple(_condition(literal) for literal in self.literals))


def _condition(literal: Literal) -> Condition:
    atom, holds = literal
    return atom if holds else Not(atom)


@frozen
class Route:
    """A root-to-leaf route: its node ids and the branch conditions along it."""

    nodes: tuple[str, ...]
    conditions: tuple[Condition, ...]

    @property
    def leaf(self) -> str:
        """The id of the leaf the route ends at."""
        return self.nodes[-1]

    @property
    def condition(self) -> Condition:
        """Every condition along the route, as one."""
        return AllOf(self.conditions)


_CACHE: dict[tuple[str, int, tuple[object, ...]], tuple[Guideline, Any]] = {}


def _cached(function: Callable[..., R]) -> Callable[..., R]:
    """Cache a function of a guideline (and hashable arguments) by the guideline's identity.

    A `Guideline` need not be hashable; the cache keeps each one it has seen alive.
    """

    @functools.wraps(function)
    def cached(guideline: Guideline, *arguments: object) -> R:
        key = (function.__name__, id(guideline), arguments)
        entry = _CACHE.get(key)
        if entry is None or entry[0] is not guideline:
            entry = _CACHE[key] = (guideline, function(guideline, *arguments))
        return entry[1]

    return cached


@_cached
def routes(guideline: Guideline) -> tuple[Route, ...]:
    """Every root-to-leaf route of ``guideline``, leaf by leaf in the guideline's order."""
    graph = guideline.graph
    found: list[Route] = []
    for leaf in guideline.leaves:
        if leaf.id == guideline.root:
            found.append(Route((leaf.id,), ()))
            continue
        for path in nx.all_simple_paths(graph, guideline.root, leaf.id):
            conditions = tuple(graph.edges[u, v]["branch"].when for u, v in itertools.pairwise(path))
            found.append(Route(tuple(path), conditions))
    return tuple(found)


def routes_to(guideline: Guideline, leaf: str) -> tuple[Route, ...]:
    """The routes of ``guideline`` that end at ``leaf``."""
    return tuple(route for route in routes(guideline) if route.leaf == leaf)


def fact_order(schema: Schema) -> tuple[str, ...]:
    """The schema's facts, each superset (of a `SubsetOf`) before its subsets."""
    graph = nx.DiGraph()
    graph.add_nodes_from(schema.names)
    graph.add_edges_from(
        (constraint.superset, constraint.subset)
        for constraint in schema.constraints
        if isinstance(constraint, SubsetOf)
    )
    position = {name: index for index, name in enumerate(schema.names)}
    return tuple(nx.lexicographical_topological_sort(graph, key=position.__getitem__))


# -- set domains, read exactly ----------------------------------------------------


def allowed(domain: SetDomain) -> frozenset[str] | None:
    """The items a set may hold (None: any name not barred)."""
    return None if domain.may is None else domain.may - domain.barred


def least(domain: SetDomain) -> int:
    """The fewest items the set can hold."""
    return max(domain.low, len(domain.must))


def most(domain: SetDomain) -> int | None:
    """The most items the set can hold (None: no bound)."""
    items = allowed(domain)
    bounds = [bound for bound in (domain.high, None if items is None else len(items)) if bound is not None]
    return min(bounds) if bounds else None


def _set_feasible(domain: SetDomain) -> bool:
    items = allowed(domain)
    if domain.must & domain.barred or (items is not None and not domain.must <= items):
        return False
    bound = most(domain)
    return bound is None or least(domain) <= bound


def _pair_feasible(inner: SetDomain, outer: SetDomain) -> bool:
    """Some set in ``outer``'s domain has a subset in ``inner``'s."""
    barred = inner.barred | outer.barred
    finite = [items for items in (allowed(inner), allowed(outer)) if items is not None]
    usable = None if not finite else frozenset.intersection(*finite) - barred
    held = outer.must - barred if usable is None else outer.must & usable
    extra = max(0, least(inner) - len(held))
    if usable is not None and len(usable - outer.must) < extra:
        return False
    bound = most(outer)
    return bound is None or max(outer.low, len(outer.must | inner.must) + extra) <= bound


class Solver:
    """Expands conditions into satisfiable terms, for patients that extend ``facts``."""

    def __init__(self, schema: Schema, facts: Mapping[str, Value | None] | None = None) -> None:
        self.schema = schema
        self.start = settle(Knowledge.of(schema, facts or {}))
        self._feasible: dict[frozenset[Literal], bool] = {}

    def narrow(self, literals: Iterable[Literal], start: Knowledge | None = None) -> Knowledge:
        """What the start (or ``start``) knowledge becomes once every literal holds."""
        knowledge = start or self.start
        return settle(knowledge.assume(AllOf(tuple(_condition(literal) for literal in literals))))

    def feasible(self, literals: Sequence[Literal]) -> bool:
        """True when some patient extending the start facts satisfies every literal."""
        key = frozenset(literals)
        if key not in self._feasible:
            self._feasible[key] = self.satisfied(self.narrow(literals))
        return self._feasible[key]

    def satisfied(self, knowledge: Knowledge) -> bool:
        """True when the domains of ``knowledge`` hold a record that meets the constraints.

        Exact for literal conjunctions whose sets are tied by one `SubsetOf` each;
        `Knowledge.consistent` alone can miss a set that cannot be filled.
        """
        if not knowledge.consistent:
            return False
        for domain in knowledge.domains.values():
            if isinstance(domain, SetDomain) and not _set_feasible(domain):
                return False
        for constraint in self.schema.constraints:
            if isinstance(constraint, SubsetOf):
                inner = knowledge.domain(constraint.subset)
                outer = knowledge.domain(constraint.superset)
                assert isinstance(inner, SetDomain)
                assert isinstance(outer, SetDomain)
                if not _pair_feasible(inner, outer):
                    return False
        return True

    def conjoin(self, left: Sequence[Term], right: Sequence[Term]) -> list[Term]:
        """The satisfiable terms of (any of ``left``) and (any of ``right``)."""
        found: dict[tuple[frozenset[Literal], frozenset[str]], Term] = {}
        for first in left:
            for second in right:
                literals = first.literals + tuple(lit for lit in second.literals if lit not in first.literals)
                if self.feasible(literals):
                    keep = first.keep | second.keep
                    found.setdefault((frozenset(literals), keep), Term(literals, keep))
                    if len(found) > MAX_TERMS:
                        raise TooComplex(f"the conditions expand into more than {MAX_TERMS} cases")
        return list(found.values())

    def expand(self, condition: Condition, holds: bool = True, *, keep: bool = False) -> list[Term]:
        """The satisfiable terms whose union is ``condition`` (or, with ``holds=False``, its negation).

        With ``keep``, each term keeps the facts it reads.
        """
        if isinstance(condition, Not):
            return self.expand(condition.condition, not holds, keep=keep)
        if isinstance(condition, (AllOf, AnyOf)):
            parts = [self.expand(child, holds, keep=keep) for child in condition.conditions]
            if isinstance(condition, AllOf) == holds:  # every child must come out as ``holds``
                terms = [Term()]
                for part in parts:
                    terms = self.conjoin(terms, part)
                return terms
            return self.conjoin([Term()], [term for part in parts for term in part])
        literal: Literal = (condition, holds)
        if not self.feasible((literal,)):
            return []
        return [Term((literal,), frozenset({condition.fact}) if keep else frozenset())]

    def constraint_terms(self) -> list[Term]:
        """The satisfiable terms of the schema's `Implies` constraints (``when`` fails or ``then`` holds)."""
        terms = [Term()]
        for constraint in self.schema.constraints:
            if isinstance(constraint, Implies):
                terms = self.conjoin(terms, self.expand(AnyOf((Not(constraint.when), constraint.then))))
        return terms

    def satisfiable(self, condition: Condition) -> bool:
        """True when some patient extending the start facts satisfies ``condition``."""
        return bool(self.conjoin(self.expand(condition), self.constraint_terms()))


def settle(knowledge: Knowledge) -> Knowledge:
    """Apply the schema's constraints until nothing more follows."""
    for _ in range(2 * len(knowledge.schema.constraints) + 8):
        settled = knowledge.assume(ALWAYS)
        if settled.domains == knowledge.domains:
            return settled
        knowledge = settled
    return knowledge


def plan(
    guideline: Guideline,
    reaching: tuple[str, ...] = (),
    avoiding: tuple[str, ...] = (),
    facts: Mapping[str, Value | None] | None = None,
) -> tuple[Term, ...]:
    """The terms of "offered every leaf in ``reaching`` and none in ``avoiding``" for a complete
    patient extending ``facts``, with the schema's constraints.

    A complete patient is offered a leaf when every condition on some route to it
    holds, and is not offered it when, on every route, some condition fails.
    """
    if facts is None:
        return _plan(guideline, reaching, avoiding)
    return _expand_plan(Solver(guideline.schema, facts), guideline, reaching, avoiding)


@_cached
def _plan(guideline: Guideline, reaching: tuple[str, ...], avoiding: tuple[str, ...]) -> tuple[Term, ...]:
    return _expand_plan(Solver(guideline.schema), guideline, reaching, avoiding)


def _expand_plan(
    solver: Solver, guideline: Guideline, reaching: tuple[str, ...], avoiding: tuple[str, ...]
) -> tuple[Term, ...]:
    terms = [Term()]
    for leaf in reaching:
        offered = [term for route in routes_to(guideline, leaf) for term in solver.expand(route.condition)]
        terms = solver.conjoin(terms, offered)
    for leaf in avoiding:
        for route in routes_to(guideline, leaf):
            terms = solver.conjoin(terms, solver.expand(route.condition, False, keep=True))
    return tuple(solver.conjoin(terms, solver.constraint_terms()))


@_cached
def route_plans(guideline: Guideline) -> tuple[tuple[Route, tuple[Term, ...]], ...]:
    """Every route with the terms of the complete patients that follow it (none: a dead route)."""
    solver = Solver(guideline.schema)
    constraints = solver.constraint_terms()
    return tuple(
        (route, tuple(solver.conjoin(solver.expand(route.condition), constraints)))
        for route in routes(guideline)
    )


def dead_routes(guideline: Guideline) -> tuple[Route, ...]:
    """The routes no patient follows: their conditions contradict each other."""
    return tuple(route for route, terms in route_plans(guideline) if not terms)
