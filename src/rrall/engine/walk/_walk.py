"""Walking a patient through a guideline, in three-valued logic.

An unknown fact follows every branch it could take. Each route keeps what it
had to assume; an option reached only by assuming something is offered with
those assumptions as its conditions, and one no route reaches is excluded,
with the reason from the point closest to it where its routes were cut.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from ..model._conditions import (
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
from ..model._graph import Guideline, Node, Regimen
from ..model._knowledge import Knowledge, inferred_words
from ..model._schema import Value
from ._result import Exclusion, Option, Requirement, Step, WalkResult

__all__ = ["Exclusion", "Option", "Requirement", "Step", "WalkResult", "walk_three_valued"]


@frozen
class _Cut:
    depth: int
    node: str
    reason: str


class _Walker:
    """Mutable scratch space for one walk; never escapes `walk`."""

    def __init__(
        self, guideline: Guideline, facts: Mapping[str, Value | None], shown: Mapping[str, str] | None
    ) -> None:
        self.guideline = guideline
        self.schema = guideline.schema
        self.facts = facts
        self.shown = shown or {}
        self.reading = _readings(guideline)
        self.start = Knowledge.of(self.schema, facts)
        self.routes: dict[str, list[tuple[Condition, ...]]] = {}
        self.cuts: dict[str, list[_Cut]] = {}
        self.steps: dict[str, tuple[Node, dict[str, None]]] = {}
        # Leaves often share routes: each route is simplified once per walk.
        self.simplified: dict[tuple[Condition, ...], tuple[Condition, ...]] = {}

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
        needs = _joined([describe(part, self.schema) for part in failing])
        names = dict.fromkeys(n for part in failing for n in facts_read(part))
        clauses = [self._clause(name) for name in names]
        return _sentence(_reason_prefix(self.guideline, node, target), needs, clauses)

    def _clause(self, name: str) -> str:
        """The patient's value of ``name`` in a reason; for an unknown one, what the patient's
        other facts imply of it (the real cause: one TKI received, so two cannot have failed)."""
        fact = self.schema.fact(name)
        value = self.facts.get(name)
        if value is not None:
            return fact.clause(self.show(name, value))
        inferred = inferred_words(fact, self.start.domain(name))
        return f"{fact.label} unknown, but {inferred} (inferred)" if inferred else f"{fact.label} unknown"

    def show(self, name: str, value: Value | None) -> str:
        """``value`` of fact ``name`` as shown (`Schema.show`), or as ``shown`` gives it."""
        given = self.shown.get(name) if value is not None else None
        return self.schema.show(name, value) if given is None else given

    def requirements(self, routes: list[tuple[Condition, ...]]) -> tuple[Requirement, ...]:
        simplified = [self._simplified(route) for route in routes]
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

    def _simplified(self, route: tuple[Condition, ...]) -> tuple[Condition, ...]:
        done = self.simplified.get(route)
        if done is None:
            done = self.simplified[route] = self._simplify(route)
        return done

    def _simplify(self, route: tuple[Condition, ...]) -> tuple[Condition, ...]:
        """Drop repeats, and parts the rest of the route already implies."""
        parts = list(dict.fromkeys(route))
        for part in list(parts):
            given = self.start.assume(AllOf(tuple(other for other in parts if other != part)))
            if evaluate(part, given) is True or not given.assume(Not(part)).consistent:
                parts.remove(part)
        return tuple(parts)


def walk_three_valued(
    guideline: Guideline, facts: Mapping[str, Value | None], shown: Mapping[str, str] | None = None
) -> WalkResult:
    """What a walk means: ``facts`` (None: unknown) through ``guideline``, each unknown fact
    following every branch it could take. Every faster path is a cache of this function.

    ``shown`` replaces the shown value (`Schema.show`) of some known facts in the words of
    the result; the fast path's templates (`rrall.engine.walk._cache`) mark values that way.
    """
    walker = _Walker(guideline, facts, shown)
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
        already = (
            None if not isinstance(given, frozenset) else _already_given(guideline, leaf.components, given)
        )
        options.append(
            Option(
                leaf.id,
                leaf.label,
                leaf.components,
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
        provenance=guideline.provenance,
        walked=guideline,
    )


def _reason_prefix(guideline: Guideline, node: Node, target: str) -> str:
    """How the reason for a cut branch (from ``node`` to ``target``) begins: the option it
    led to "is for", or, for a node above options, "“…”, from “…”, is for" (every option below it
    shares the reason)."""
    reached = guideline.by_id[target]
    if isinstance(reached, Regimen):
        return f"{reached.label} is for "
    return f"“{reached.label}”, from “{node.label}”, is for "


def _joined(words: list[str]) -> str:
    """Failing parts in words, joined by "and" (a part that is an "or" in brackets)."""
    if len(words) == 1:
        return words[0]
    return " and ".join(
        f"({text})" if " or " in text and not text.startswith("(") else text for text in words
    )


def _sentence(prefix: str, needs: str, clauses: list[str]) -> str:
    """A reason: what ruled the option out, then the patient's values that did."""
    return f"{prefix}{needs}; this patient: {'; '.join(clauses)}."


def _already_given(guideline: Guideline, items: tuple[str, ...], given: frozenset[str]) -> tuple[str, ...]:
    """The components already had, by the guideline's rule (`History`: the names that count as each)."""
    if not given:
        return ()
    return tuple(item for item in items if not given.isdisjoint(guideline.counted_names(item)))


def _missing(options: list[Option], walker: _Walker) -> tuple[str, ...]:
    """Unknown facts that would change the options, most decisive first."""
    weight: dict[str, int] = {}
    for option in options:
        for name in dict.fromkeys(n for req in option.conditions for n in req.facts):
            weight[name] = weight.get(name, 0) + 1
    first_read = {
        name: index
        for index, name in reversed(
            list(enumerate(n for node, _ in walker.steps.values() for n in walker.reading[node.id]))
        )
    }
    order = {name: index for index, name in enumerate(walker.schema.names)}
    return tuple(sorted(weight, key=lambda n: (-weight[n], first_read.get(n, len(first_read)), order[n])))


def _readings(guideline: Guideline) -> Mapping[str, tuple[str, ...]]:
    """For each node, the facts its branches read, branch by branch, repeats kept (made once)."""
    found = guideline.memo.get(_readings)
    if found is None:
        found = guideline.memo[_readings] = {
            node.id: tuple(n for branch in node.branches for n in facts_read(branch.when))
            for node in guideline.nodes
        }
    return found  # type: ignore[return-value]  # what it put there


def _step(walker: _Walker, node: Node, taken: dict[str, None]) -> Step:
    names = dict.fromkeys(walker.reading[node.id])
    read = tuple((n, walker.show(n, walker.facts.get(n))) for n in names)
    return Step(node.id, node.kind, node.label, read, tuple(taken), walker.guideline.step_quote(node, taken))
