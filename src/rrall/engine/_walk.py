"""Walking a patient through a guideline, in three-valued logic.

An unknown fact follows every branch it could take. Each route keeps what it
had to assume; an option reached only by assuming something is offered with
those assumptions as its conditions, and one no route reaches is excluded,
with the reason from the point closest to it where its routes were cut.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from ._conditions import (
    AllOf,
    AnyOf,
    Condition,
    Not,
    conjuncts,
    describe,
    evaluate,
    facts_read,
    residual,
)
from ._graph import Decision, Guideline, Node, Regimen
from ._knowledge import Knowledge
from ._schema import Value

__all__ = ["Exclusion", "Option", "Requirement", "Step", "WalkResult", "walk"]


@frozen
class Requirement:
    """An unresolved condition an option depends on, with the facts it reads."""

    condition: Condition
    text: str
    facts: tuple[str, ...]


@frozen
class Option:
    """A regimen the text offers this patient.

    ``conditions`` is empty when the known facts settle it (a definite
    option); otherwise every requirement in it must hold.
    ``already_given`` lists the option's drugs the patient already had
    (None when that history is unknown).
    """

    id: str
    name: str
    drugs: tuple[str, ...]
    brands: tuple[str, ...]
    variants: tuple[str, ...]
    notes: tuple[str, ...]
    quotes: tuple[str, ...]
    already_given: tuple[str, ...] | None
    conditions: tuple[Requirement, ...]

    @property
    def quote(self) -> str:
        """The verbatim span of the source that offers this option."""
        return self.quotes[0]

    @property
    def definite(self) -> bool:
        """True when the known facts settle this option."""
        return not self.conditions


@frozen
class Exclusion:
    """A regimen the text does not offer this patient, and why."""

    id: str
    name: str
    reason: str
    node: str
    quote: str


@frozen
class Step:
    """One node on the path: the facts it read, the branches taken, its citation."""

    node: str
    kind: str
    label: str
    read: tuple[tuple[str, str], ...]
    taken: tuple[str, ...]
    quote: str


@frozen
class WalkResult:
    """The outcome of walking one patient through a guideline."""

    guideline: str
    #: The patient's known facts in their JSON form.
    patient: dict[str, object]
    options: tuple[Option, ...]
    excluded: tuple[Exclusion, ...]
    missing: tuple[str, ...]
    path: tuple[Step, ...]

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The ids of the offered options, in the text's order."""
        return tuple(option.id for option in self.options)

    @property
    def definite(self) -> tuple[Option, ...]:
        """The options the known facts settle."""
        return tuple(option for option in self.options if option.definite)

    @property
    def conditional(self) -> tuple[Option, ...]:
        """The options that depend on unknown facts."""
        return tuple(option for option in self.options if not option.definite)

    def option(self, option_id: str) -> Option | None:
        """The offered option with id ``option_id``, or None."""
        return next((option for option in self.options if option.id == option_id), None)

    def exclusion(self, option_id: str) -> Exclusion | None:
        """Why the leaf ``option_id`` is excluded, or None if it is offered."""
        return next((item for item in self.excluded if item.id == option_id), None)


@frozen
class _Cut:
    depth: int
    node: str
    reason: str


class _Walker:
    """Mutable scratch space for one walk; never escapes `walk`."""

    def __init__(self, guideline: Guideline, facts: Mapping[str, Value | None]) -> None:
        self.guideline = guideline
        self.schema = guideline.schema
        self.facts = facts
        self.start = Knowledge.of(self.schema, facts)
        self.routes: dict[str, list[tuple[Condition, ...]]] = {}
        self.cuts: dict[str, list[_Cut]] = {}
        self.steps: dict[str, tuple[Node, dict[str, None]]] = {}

    def visit(self, node: Node, knowledge: Knowledge, pending: tuple[Condition, ...], depth: int) -> None:
        if isinstance(node, Regimen):
            self.routes.setdefault(node.id, []).append(pending)
            return
        taken = self.steps.setdefault(node.id, (node, {}))[1]
        for branch in node.branches:
            target = self.guideline.by_id[branch.to]
            verdict = evaluate(branch.when, knowledge)
            if verdict is None:
                narrowed = knowledge.assume(branch.when)
                if narrowed.consistent:
                    taken[branch.to] = None
                    extra = conjuncts(residual(branch.when, knowledge))
                    self.visit(target, narrowed, pending + extra, depth + 1)
                    continue
                verdict = False
            if verdict:
                taken[branch.to] = None
                self.visit(target, knowledge, pending, depth + 1)
            else:
                cut = _Cut(depth, node.id, self._reason(node, branch.when, branch.to, knowledge))
                for leaf in self.guideline.leaves_below[branch.to]:
                    self.cuts.setdefault(leaf, []).append(cut)

    def _reason(self, node: Node, condition: Condition, target: str, knowledge: Knowledge) -> str:
        failing = [part for part in conjuncts(condition) if evaluate(part, knowledge) is False]
        failing = failing or [condition]
        needs = " and ".join(describe(part, self.schema) for part in failing)
        shown = "; ".join(
            f"{self.schema.fact(name).label}: {self.schema.show(name, self.facts.get(name))}"
            for name in dict.fromkeys(n for part in failing for n in facts_read(part))
        )
        if isinstance(node, Decision):
            branch = next(b for b in node.branches if b.to == target)
            label = self.guideline.edge_label(branch)
            return f"{node.label} — not {label!r}: requires {needs} ({shown})"
        return f"{self.guideline.by_id[target].label} requires {needs} ({shown})"

    def requirements(self, routes: list[tuple[Condition, ...]]) -> tuple[Requirement, ...]:
        simplified = [self._simplify(route) for route in routes]
        if any(not route for route in simplified):
            return ()
        unique = list(dict.fromkeys(simplified))
        common = [c for c in unique[0] if all(c in route for route in unique[1:])]
        rests = [tuple(c for c in route if c not in common) for route in unique]
        needed: list[Condition] = list(common)
        if all(rests) and len(rests) > 1:
            either = AnyOf(tuple(r[0] if len(r) == 1 else AllOf(r) for r in rests))
            if self.start.assume(AllOf(tuple(common))).assume(Not(either)).consistent:
                needed.append(either)
        elif len(rests) == 1:
            needed += rests[0]
        return tuple(Requirement(c, describe(c, self.schema), facts_read(c)) for c in needed)

    def _simplify(self, route: tuple[Condition, ...]) -> tuple[Condition, ...]:
        """Drop repeats, and parts the rest of the route already implies."""
        parts = list(dict.fromkeys(route))
        for part in list(parts):
            given = self.start.assume(AllOf(tuple(other for other in parts if other != part)))
            if evaluate(part, given) is True or not given.assume(Not(part)).consistent:
                parts.remove(part)
        return tuple(parts)


def walk(patient: object, guideline: Guideline) -> WalkResult:
    """Walk ``patient`` through ``guideline``: a pure function of its inputs.

    ``patient`` is a record whose attributes are the guideline's facts (for
    R/R ALL, a `rrall.Patient`) or a mapping in the JSON form, validated first.
    """
    facts = guideline.schema.facts_of(patient)
    walker = _Walker(guideline, facts)
    walker.visit(guideline.by_id[guideline.root], walker.start, (), 0)

    given = facts.get(guideline.history_fact) if guideline.history_fact else None
    options, excluded = [], []
    for leaf in guideline.leaves:
        routes = walker.routes.get(leaf.id)
        if routes is None:
            cuts = walker.cuts.get(leaf.id, [])
            deepest = max((cut.depth for cut in cuts), default=0)
            chosen = list(dict.fromkeys((c.node, c.reason) for c in cuts if c.depth == deepest))
            node = chosen[0][0] if chosen else guideline.root
            reason = "; ".join(r for _, r in chosen) or "not reached"
            quote = guideline.by_id[node].quote
            excluded.append(Exclusion(leaf.id, leaf.label, reason, node, quote))
            continue
        already = None if not isinstance(given, frozenset) else _already_given(leaf.drugs, given)
        options.append(
            Option(
                leaf.id,
                leaf.label,
                leaf.drugs,
                leaf.brands,
                leaf.variants,
                leaf.notes,
                leaf.quotes,
                already,
                walker.requirements(routes),
            )
        )
    return WalkResult(
        guideline=guideline.name,
        patient=guideline.schema.to_json(facts),
        options=tuple(options),
        excluded=tuple(excluded),
        missing=_missing(options, walker),
        path=tuple(_step(walker, node, taken) for node, taken in walker.steps.values()),
    )


def _already_given(drugs: tuple[str, ...], given: frozenset[str]) -> tuple[str, ...]:
    """The drugs already given; a formulation counts as its active drug
    ("vincristine sulfate liposome" as "vincristine")."""
    return tuple(d for d in drugs if any(d == g or d.startswith(g + " ") for g in given))


def _missing(options: list[Option], walker: _Walker) -> tuple[str, ...]:
    """Unknown facts that would change the options, most decisive first."""
    weight: dict[str, int] = {}
    for option in options:
        for name in dict.fromkeys(n for req in option.conditions for n in req.facts):
            weight[name] = weight.get(name, 0) + 1
    first_read = {
        name: index
        for index, name in reversed(
            list(
                enumerate(
                    n for node, _ in walker.steps.values() for b in node.branches for n in facts_read(b.when)
                )
            )
        )
    }
    order = {name: index for index, name in enumerate(walker.schema.names)}
    return tuple(sorted(weight, key=lambda n: (-weight[n], first_read.get(n, len(first_read)), order[n])))


def _step(walker: _Walker, node: Node, taken: dict[str, None]) -> Step:
    names = dict.fromkeys(n for b in node.branches for n in facts_read(b.when))
    read = tuple((n, walker.schema.show(n, walker.facts.get(n))) for n in names)
    return Step(node.id, node.kind, node.label, read, tuple(taken), node.quote)
