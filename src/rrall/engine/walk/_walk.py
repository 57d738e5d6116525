"""Walking a patient through a guideline, in three-valued logic.

An unknown fact follows every branch it could take. Each route keeps what it
had to assume; an option reached only by assuming something is offered with
those assumptions as its conditions, and one no route reaches is excluded,
with the reason from the point closest to it where its routes were cut.

The walk's steps are pure functions of what is known (`Knowledge`), and what
is known of one group of linked facts (`components`) never depends on another
group. So each guideline keeps, beside its nodes, what its walks have worked
out (`_Memo`): the knowledge a group's values give, each branch's verdict,
residual and reason words for the domains of the facts it reads, the knowledge
on a route after assuming a branch, each route (made once, so that its identity
stands for its conditions), the simplified conditions of a route, a leaf's
requirements and option, a path step and the missing facts, by the start's
state in the groups they read. Each entry
is made by the same code a walk would run, the first time it is needed; a
later walk meeting the same domains reads it instead. Bounded: `MEMO`, `APART`.

Equal values reached apart are made one object (domains, residuals, the words of
a cut's reason, a leaf's requirements), so that what is kept by their identities is shared: two walks
that narrow an unknown age alike on different routes meet the same entries.
Assuming a condition applies only the constraints of the groups it reads.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

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
from ..model._domains import Domain
from ..model._graph import Branch, Guideline, Leaf, Node
from ..model._knowledge import Knowledge, components, constrained, inferred_words
from ..model._schema import Constraint, Value, domain_of
from ._result import Exclusion, Option, Requirement, Step, WalkResult

_NONE: frozenset[str] = frozenset()

__all__ = [
    "APART",
    "MEMO",
    "Exclusion",
    "Option",
    "Requirement",
    "Step",
    "WalkResult",
    "starts_consistent",
    "walk_three_valued",
]

#: Entries a guideline's walk memo holds before it starts afresh (about 475 bytes each, so
#: about 5.7 MB when full; a thorough `rrall verify` of R/R ALL makes 4,159, a cohort of 6,000
#: seeded patients with 30% unknown about 19,000, most of them in its first 2,000).
MEMO = 12_000
#: Entries kept apart from the memo's count, per table (emptied when full, and dropped with
#: the memo): the path steps of nodes that read more than two groups of facts, the starts
#: of a group no branch reads (a history of many values, say), and leaves' exclusions. With
#: random patients these are rarely met again, but a thorough `rrall verify` meets each many
#: times.
APART = 2_048


class _Edge:
    """A branch, with what a walk needs of it that no patient changes, made once."""

    __slots__ = (
        "below",
        "branch",
        "closure",
        "leaf",
        "linked",
        "number",
        "only",
        "prefix",
        "reading",
        "reads",
        "target",
        "whole",
        "wholly",
    )

    def __init__(self, number: int, guideline: Guideline, node: Node, branch: Branch, plan: _Plan) -> None:
        self.number = number
        self.branch = branch
        self.target = guideline.by_id[branch.to]
        self.leaf = isinstance(self.target, Leaf)
        self.reads = facts_read(branch.when)
        self.closure = plan.closure(self.reads)
        #: The one fact it reads, and the one fact of its closure (else None): keyed by one id.
        self.only = self.reads[0] if len(self.reads) == 1 else None
        self.whole = self.closure[0] if len(self.closure) == 1 else None
        #: The domains of the facts it reads, and of its closure, as a tuple (two or more).
        self.reading = _getter(self.reads)
        self.wholly = _getter(self.closure)
        self.linked = plan.linked(plan.mask(self.reads))
        self.prefix = _reason_prefix(guideline, node, branch.to)
        self.below = guideline.leaves_below[branch.to]


class _Verdict:
    """A branch's verdict for the domains of the facts it reads; when unknown, its residual's
    conjuncts (made with it, so that walks at once keep one); its reason's words (the failing
    parts described, and the facts they read) when first needed."""

    __slots__ = ("extra", "failing", "value")

    def __init__(self, value: bool | None) -> None:
        self.value = value
        self.extra: tuple[Condition, ...] | None = None
        self.failing: tuple[str, tuple[str, ...], tuple[int, ...]] | None = None


#: Where a leaf's routes were cut: the depth, the node, and the branch with its verdict and the
#: knowledge there, from which its reason is made only if the cut is one of a leaf's deepest.
_Cut = tuple[int, str, _Edge, _Verdict, Knowledge]


class _Memo:
    """What walks of one guideline have worked out (see the module's docstring).

    Keys hold the identities (`id`) of domains and conditions; each such object is kept
    alive by an entry of this memo (or by the guideline), so an identity is never reused
    while its key lives. A memo is dropped whole, never entry by entry.
    """

    __slots__ = (
        "assumed",
        "closures",
        "domains",
        "exclusions",
        "failing",
        "failing_parts",
        "missing",
        "options",
        "quotes",
        "reasons",
        "required",
        "requirements",
        "residuals",
        "routes",
        "shown",
        "simplified",
        "size",
        "size_of_domains",
        "starts",
        "steps",
        "verdicts",
        "wide_steps",
        "widths",
    )

    def __init__(self, groups: int, edges: int) -> None:
        self.starts: list[dict[object, tuple[tuple[Domain, ...], bool]]] = [{} for _ in range(groups)]
        #: Per branch (by its number): its verdicts and what assuming it gives, by the domains'
        #: identities (one, or a tuple of them).
        self.verdicts: list[dict[object, _Verdict]] = [{} for _ in range(edges)]
        self.assumed: list[dict[object, tuple[tuple[Domain, ...], bool]]] = [{} for _ in range(edges)]
        self.closures: dict[int, tuple[Condition, int]] = {}
        self.simplified: dict[tuple[object, ...], tuple[Condition, ...]] = {}
        self.required: dict[tuple[object, ...], tuple[Requirement, ...]] = {}
        #: Each leaf's requirements met, as itself: equal ones reached by other routes or
        #: starts are one object, so that the options and missing facts kept by their identity
        #: are shared (over 3,000 patients with 30% unknown, about 60 values for 550 keys).
        self.requirements: dict[tuple[Requirement, ...], tuple[Requirement, ...]] = {}
        self.quotes: dict[tuple[str, tuple[str, ...]], str] = {}
        #: Residuals and reasons' words, each equal one made once (so that their identities
        #: stand for their values); routes, each made once: a route and what a branch assumes
        #: (their identities) -> the longer route.
        self.residuals: dict[tuple[Condition, ...], tuple[Condition, ...]] = {}
        self.failing: dict[
            tuple[str, tuple[str, ...], tuple[int, ...]], tuple[str, tuple[str, ...], tuple[int, ...]]
        ] = {}
        self.routes: dict[tuple[int, int], tuple[Condition, ...]] = {}
        #: A branch's reason's words, by its number and which of its conjuncts fail.
        self.failing_parts: dict[tuple[int, ...], tuple[str, tuple[str, ...], tuple[int, ...]]] = {}
        #: A leaf's exclusion, by its node and its reasons' identities (each kept in `reasons`;
        #: `APART`, not counted in `size`).
        self.exclusions: dict[tuple[object, ...], Exclusion] = {}
        #: A cut's reason, by its verdict and the start's state in the groups it shows.
        self.reasons: dict[tuple[int, ...], str] = {}
        self.shown: dict[tuple[object, ...], str] = {}
        #: A leaf's routes (their identities) -> the groups their conditions read.
        self.widths: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.options: dict[tuple[object, ...], Option] = {}
        self.steps: dict[tuple[object, ...], Step] = {}
        #: Steps of nodes reading more than two groups (`APART`, not counted in `size`).
        self.wide_steps: dict[tuple[object, ...], Step] = {}
        self.missing: dict[tuple[object, ...], tuple[str, ...]] = {}
        #: Each domain met, as itself: equal domains reached apart are one object, so that
        #: the entries kept by their identities are found by either.
        self.domains: dict[Domain, Domain] = {}
        self.size_of_domains = 0
        self.size = 0

    def interned(self, made: tuple[Domain, ...]) -> tuple[Domain, ...]:
        """``made``, each domain replaced by the equal one met first."""
        domains = self.domains
        found = tuple([domains.setdefault(domain, domain) for domain in made])
        self.size += len(domains) - self.size_of_domains
        self.size_of_domains = len(domains)
        return found


class _Plan:
    """One guideline's walks' shared part: its groups of linked facts, each node's branches
    (`_Edge`) and facts read, and the current `_Memo`."""

    def __init__(self, guideline: Guideline) -> None:
        schema = guideline.schema
        self.guideline = guideline
        self.names = schema.names
        self.groups = components(schema)
        self.group_of = {name: index for index, group in enumerate(self.groups) for name in group}
        self.order = {name: index for index, name in enumerate(self.names)}
        grouped = [name for group in self.groups for name in group]
        #: Values given group by group, in the schema's order.
        self.in_schema_order = _picker([grouped.index(name) for name in self.names])
        #: Each group's constraints, in schema order; and those of some groups, by their mask.
        self.constraints = [
            tuple(c for c in schema.constraints if self.group_of[constrained(c)[0]] == index)
            for index in range(len(self.groups))
        ]
        self.linked_by_mask: dict[int, tuple[Constraint, ...]] = {}
        self.masks: dict[int, tuple[int, ...]] = {}
        self.edges: dict[str, tuple[_Edge, ...]] = {}
        for node in guideline.nodes:
            start = sum(len(edges) for edges in self.edges.values())
            self.edges[node.id] = tuple(
                _Edge(start + index, guideline, node, branch, self)
                for index, branch in enumerate(node.branches)
            )
        #: For each node, the facts its branches read, branch by branch, repeats kept.
        self.reading = {
            node.id: tuple(n for branch in node.branches for n in facts_read(branch.when))
            for node in guideline.nodes
        }
        self.shown_read = {node_id: tuple(dict.fromkeys(names)) for node_id, names in self.reading.items()}
        self.edge_count = sum(len(edges) for edges in self.edges.values())
        self.memo = _Memo(len(self.groups), self.edge_count)
        linked = {name for constraint in schema.constraints for name in constrained(constraint)}
        #: The groups whose domains may start empty: those a constraint links (a record that
        #: breaks it), or with a fact that has no value at all.
        self.risky = tuple(
            group
            for group in self.groups
            if linked & set(group) or any(domain_of(schema.fact(name), None).empty for name in group)
        )
        self.starts_consistent: dict[object, bool] = {}
        #: For each node, the groups of the facts it reads.
        self.step_groups = {
            node_id: self.bits(self.mask(names)) for node_id, names in self.shown_read.items()
        }
        #: The nodes whose steps are kept by the memo: those reading at most two groups (one
        #: reading more shows a mix of values rarely met again: kept apart, `APART`).
        self.kept_steps = frozenset(node for node, groups in self.step_groups.items() if len(groups) <= 2)
        #: Whether each group is read by some branch: one that is not has no state a key needs,
        #: and its start is kept apart (`APART`), not counted.
        read = self.mask(tuple(name for names in self.reading.values() for name in names))
        self.unread = tuple(not read >> index & 1 for index in range(len(self.groups)))
        self._count_components(guideline)

    def _count_components(self, guideline: Guideline) -> None:
        #: Per leaf, each component with the names that count as it, and all of those names.
        self.counted = {
            leaf.id: tuple((item, frozenset(guideline.counted_names(item))) for item in leaf.components)
            for leaf in guideline.leaves
        }
        self.counted_any = {
            leaf.id: frozenset().union(*(names for _, names in items))
            for leaf, items in zip(guideline.leaves, self.counted.values(), strict=True)
        }
        self.counted_every = frozenset().union(*self.counted_any.values())
        #: Per leaf, its option with nothing required, with no components had (index 0: ``()``)
        #: and with the history unknown (index 1: None).
        self.plain = {leaf.id: (_option(leaf, (), ()), _option(leaf, None, ())) for leaf in guideline.leaves}

    def already_given(self, leaf: Leaf, given: frozenset[str]) -> tuple[str, ...]:
        """`_already_given` of ``leaf``'s components, from the names counted as each (made once)."""
        if not given or given.isdisjoint(self.counted_any[leaf.id]):
            return ()
        return tuple(item for item, names in self.counted[leaf.id] if not given.isdisjoint(names))

    def mask(self, names: tuple[str, ...]) -> int:
        """The groups of ``names``, one bit each."""
        mask = 0
        for name in names:
            mask |= 1 << self.group_of[name]
        return mask

    def bits(self, mask: int) -> tuple[int, ...]:
        """The groups in ``mask``, in order."""
        found = self.masks.get(mask)
        if found is None:
            found = self.masks.setdefault(mask, tuple(g for g in range(len(self.groups)) if mask >> g & 1))
        return found

    def linked(self, mask: int) -> tuple[Constraint, ...]:
        """The constraints of the groups in ``mask``, in schema order (what `Knowledge.assume`
        needs to apply on a condition reading only those groups; at most one entry per mask)."""
        found = self.linked_by_mask.get(mask)
        if found is None:
            wanted = {id(c) for group in self.bits(mask) for c in self.constraints[group]}
            found = tuple(c for c in self.guideline.schema.constraints if id(c) in wanted)
            found = self.linked_by_mask.setdefault(mask, found)
        return found

    def linked_to(self, condition: Condition) -> tuple[Constraint, ...]:
        """The constraints of the groups ``condition`` reads (see `linked`)."""
        return self.linked(self.mask(facts_read(condition)))

    def group_start(self, index: int, facts: Mapping[str, Value | None]) -> tuple[Domain, ...]:
        """``Knowledge.of(schema, facts)``'s domains of group ``index``: its facts' own, with
        the group's constraints applied (no other group's fact changes them)."""
        schema, group = self.guideline.schema, self.groups[index]
        if not self.constraints[index]:  # nothing to apply: what `settled` gives back
            return tuple([domain_of(schema.fact(name), facts.get(name)) for name in group])
        exact = Knowledge(schema, {name: domain_of(schema.fact(name), facts.get(name)) for name in group})
        settled = exact.settled(self.constraints[index]).domains
        return tuple([settled[name] for name in group])

    def closure(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Every fact of the groups of ``names``, in schema order."""
        wanted = {self.group_of[name] for name in names}
        return tuple(name for name in self.names if self.group_of[name] in wanted)

    def consistent(self, facts: Mapping[str, Value | None]) -> bool:
        """``Knowledge.of(schema, facts).consistent``, group by group, each group's answer kept
        by its values (at most `MEMO`). False for a value that cannot be hashed: the class
        key then keeps every part, as for an inconsistent start."""
        known = self.starts_consistent
        for group in self.risky:
            values = tuple([facts.get(name) for name in group])
            key = (group, values, tuple(map(type, values)))
            try:
                holds = known.get(key)
            except TypeError:
                return False
            if holds is None:
                if len(known) >= MEMO:
                    known = self.starts_consistent = {}
                start = Knowledge.of(self.guideline.schema, {name: facts.get(name) for name in group})
                holds = known.setdefault(key, not any(start.domains[name].empty for name in group))
            if not holds:
                return False
        return True

    def current(self) -> _Memo:
        """The memo to use for a walk, a fresh one when the last is full."""
        memo = self.memo
        if memo.size > MEMO:
            memo = self.memo = _Memo(len(self.groups), self.edge_count)
        return memo


def _picker(indices: list[int]) -> Callable[[list[Domain]], tuple[Domain, ...]]:
    """The items at ``indices``, as a tuple (`operator.itemgetter` gives one item bare)."""
    if len(indices) > 1:
        return operator.itemgetter(*indices)  # a tuple, for two or more
    return lambda items: tuple([items[index] for index in indices])


def _getter(names: tuple[str, ...]) -> Callable[[Mapping[str, Domain]], tuple[Domain, ...]]:
    """The domains of ``names`` as a tuple, for two or more names (else the empty tuple)."""
    if len(names) > 1:
        return operator.itemgetter(*names)
    return lambda domains: ()


def starts_consistent(guideline: Guideline) -> Callable[[Mapping[str, Value | None]], bool]:
    """A test of whether a patient's facts are consistent with the schema's constraints, as
    the walk starts (``Knowledge.of(schema, facts).consistent``), answered from a memo."""
    return _plan(guideline).consistent


def _plan(guideline: Guideline) -> _Plan:
    plan = guideline.memo.get(_Plan)
    if plan is None:
        plan = guideline.memo.setdefault(_Plan, _Plan(guideline))
    return plan  # type: ignore[return-value]  # what it put there


def _start(
    plan: _Plan, memo: _Memo, facts: Mapping[str, Value | None]
) -> tuple[Knowledge, bool, tuple[int, ...]]:
    """``Knowledge.of(schema, facts)``, group by group from ``memo``, whether it is consistent,
    and each group's state (the identity of its entry). Values that cannot be hashed raise
    `TypeError` (the caller walks with a memo of its own)."""
    domains: list[Domain] = []
    states: list[int] = []
    consistent = True
    get = facts.get
    for index, (group, known) in enumerate(zip(plan.groups, memo.starts, strict=True)):
        if len(group) == 1:
            value = get(group[0])
            key: object = (value, type(value))  # 1 and True are equal, but shown apart
        else:
            values = tuple(map(get, group))
            key = (values, tuple(map(type, values)))
        found = known.get(key)
        unread = plan.unread[index]
        if found is None:
            made = plan.group_start(index, facts)
            if not unread:
                made = memo.interned(made)
                memo.size += 1
            elif len(known) >= APART:  # kept apart (no key reads its state): emptied when full
                known.clear()
            found = known.setdefault(key, (made, not any(domain.empty for domain in made)))
        domains += found[0]
        consistent = consistent and found[1]
        states.append(-1 if unread else id(found))
    start = Knowledge(
        plan.guideline.schema, dict(zip(plan.names, plan.in_schema_order(domains), strict=True))
    )
    return start, consistent, tuple(states)


class _Walker:
    """Mutable scratch space for one walk; never escapes `walk`."""

    def __init__(
        self, guideline: Guideline, facts: Mapping[str, Value | None], shown: Mapping[str, str] | None
    ) -> None:
        self.guideline = guideline
        self.schema = guideline.schema
        self.facts = facts
        self.shown = shown or {}
        self.plan = _plan(guideline)
        self.memo = self.plan.current()
        try:
            self.start, self.consistent, self.states = _start(self.plan, self.memo, facts)
        except TypeError:  # an unhashable value: this walk keeps its own memo
            self.memo = _Memo(len(self.plan.groups), self.plan.edge_count)
            self.start = Knowledge.of(self.schema, facts)
            self.consistent = self.start.consistent
            self.states = (id(self.start),) * len(self.plan.groups)  # one start, for one walk
        self.routes: dict[str, list[tuple[Condition, ...]]] = {}
        self.cuts: dict[str, list[_Cut]] = {}
        self.steps: dict[str, tuple[Node, dict[str, None]]] = {}
        self.clauses: dict[str, str] = {}
        self.reasons: dict[int, str] = {}  # by the identity of a cut (kept by `cuts`)

    def visit(
        self, node: Node, knowledge: Knowledge, consistent: bool, pending: tuple[Condition, ...], depth: int
    ) -> None:
        """Follow each branch of ``node`` that may be taken (a leaf reached keeps its route)."""
        step = self.steps.get(node.id)
        if step is None:
            step = self.steps[node.id] = (node, {})
        taken = step[1]
        domains, verdicts, routes = knowledge.domains, self.memo.verdicts, self.routes
        for edge in self.plan.edges[node.id]:
            one = edge.only
            key = id(domains[one]) if one is not None else tuple(map(id, edge.reading(domains)))
            verdict = verdicts[edge.number].get(key)
            if verdict is None:
                verdict = self._verdict(edge, knowledge, key)
            value = verdict.value
            if value is None:
                narrowed, holds = self._assumed(edge, knowledge, consistent)
                if holds:
                    taken[edge.branch.to] = None
                    longer = self._longer(pending, verdict)
                    if edge.leaf:
                        routes.setdefault(edge.branch.to, []).append(longer)
                    else:
                        self.visit(edge.target, narrowed, True, longer, depth + 1)
                    continue
                value = False
            if value:
                taken[edge.branch.to] = None
                if edge.leaf:
                    routes.setdefault(edge.branch.to, []).append(pending)
                else:
                    self.visit(edge.target, knowledge, consistent, pending, depth + 1)
            else:
                cut = (depth, node.id, edge, verdict, knowledge)
                for leaf in edge.below:
                    self.cuts.setdefault(leaf, []).append(cut)

    def _longer(self, pending: tuple[Condition, ...], verdict: _Verdict) -> tuple[Condition, ...]:
        """``pending`` and what ``verdict``'s branch assumes: made once per memo, so that a route's
        identity stands for its conditions (``pending`` is the empty route or such a route)."""
        assert verdict.extra is not None  # made with the verdict
        key = (id(pending), id(verdict.extra))
        route = self.memo.routes.get(key)
        if route is None:
            route = self.memo.routes.setdefault(key, pending + verdict.extra)
            self.memo.size += 1
        return route

    def _verdict(self, edge: _Edge, knowledge: Knowledge, key: object) -> _Verdict:
        """The verdict of ``edge`` on ``knowledge`` (``key``: its domains' identities)."""
        table = self.memo.verdicts[edge.number]
        verdict = table.get(key)
        if verdict is None:
            verdict = _Verdict(evaluate(edge.branch.when, knowledge))
            if verdict.value is None:  # made here, not later: walks at once keep one residual
                extra = conjuncts(residual(edge.branch.when, knowledge))
                verdict.extra = self.memo.residuals.setdefault(extra, extra)
                self.memo.size += 1
            verdict = table.setdefault(key, verdict)
            self.memo.size += 1
        return verdict

    def _assumed(self, edge: _Edge, knowledge: Knowledge, consistent: bool) -> tuple[Knowledge, bool]:
        """``knowledge.assume(edge's condition)`` and whether it is consistent."""
        domains, one = knowledge.domains, edge.whole
        key = id(domains[one]) if one is not None else tuple(map(id, edge.wholly(domains)))
        table = self.memo.assumed[edge.number]
        found = table.get(key)
        if found is None:
            narrowed = knowledge.assume(edge.branch.when, edge.linked)
            made = self.memo.interned(tuple([narrowed.domains[name] for name in edge.closure]))
            found = table.setdefault(key, (made, not any(domain.empty for domain in made)))
            self.memo.size += 1
        made, holds = found
        if one is not None:
            if made[0] is domains[one]:  # nothing narrowed: the same knowledge
                return knowledge, holds if consistent else knowledge.consistent
            changed = dict(domains)
            changed[one] = made[0]
        else:
            changed = dict(domains)
            changed.update(zip(edge.closure, made, strict=True))
        narrowed = Knowledge(self.schema, changed)
        return narrowed, holds if consistent else narrowed.consistent

    def reason(self, cut: _Cut) -> str:
        """The reason of ``cut``, made once per walk."""
        found = self.reasons.get(id(cut))
        if found is None:
            found = self.reasons[id(cut)] = self._reason(cut[2], cut[3], cut[4])
        return found

    def _reason(self, edge: _Edge, verdict: _Verdict, knowledge: Knowledge) -> str:
        """A cut's reason: kept by its verdict and the start's state in the groups of the facts
        it shows (which give their words), unless the walk was given shown values."""
        if verdict.failing is None:
            verdict.failing = self._failing(edge, knowledge)
        needs, names, groups = verdict.failing
        if self.shown:  # a template's walk (`rrall.engine.walk._cache`): a class rarely met again
            return _sentence(edge.prefix, needs, [self._clause(name) for name in names])
        states = self.states
        key = (id(edge.prefix), id(verdict.failing), *map(states.__getitem__, groups))
        found = self.memo.reasons.get(key)
        if found is None:
            found = _sentence(edge.prefix, needs, [self._clause(name) for name in names])
            found = self.memo.reasons.setdefault(key, found)
            self.memo.size += 1
        return found

    def _failing(self, edge: _Edge, knowledge: Knowledge) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
        """The words of ``edge``'s failing conjuncts on ``knowledge`` (all of its condition when
        none fails alone), the facts they read and their groups: kept by which parts fail."""
        parts = conjuncts(edge.branch.when)
        fails = tuple([index for index, part in enumerate(parts) if evaluate(part, knowledge) is False])
        key = (edge.number, *fails)
        words = self.memo.failing_parts.get(key)
        if words is None:
            failing = [parts[index] for index in fails] or [edge.branch.when]
            needs = _joined([describe(part, self.schema) for part in failing])
            names = tuple(dict.fromkeys(n for part in failing for n in facts_read(part)))
            words = (needs, names, self.plan.bits(self.plan.mask(names)))
            words = self.memo.failing_parts.setdefault(key, self.memo.failing.setdefault(words, words))
            self.memo.size += 1
        return words

    def _clause(self, name: str) -> str:
        """The patient's value of ``name`` in a reason; for an unknown one, what the patient's
        other facts imply of it (the real cause: one TKI received, so two cannot have failed)."""
        clause = self.clauses.get(name)
        if clause is None:
            fact = self.schema.fact(name)
            value = self.facts.get(name)
            if value is not None:
                clause = fact.clause(self.show(name, value))
            else:
                inferred = inferred_words(fact, self.start.domain(name))
                clause = (
                    f"{fact.label} unknown, but {inferred} (inferred)"
                    if inferred
                    else f"{fact.label} unknown"
                )
            self.clauses[name] = clause
        return clause

    def show(self, name: str, value: Value | None) -> str:
        """``value`` of fact ``name`` as shown (`Schema.show`), or as ``shown`` gives it."""
        given = self.shown.get(name) if value is not None else None
        if given is not None:
            return given
        key = (name, type(value), value)
        try:
            shown = self.memo.shown.get(key)
        except TypeError:  # a value that cannot be hashed
            return self.schema.show(name, value)
        if shown is None:
            shown = self.memo.shown.setdefault(key, self.schema.show(name, value))
            self.memo.size += 1
        return shown

    def routes_key(self, routes: list[tuple[Condition, ...]]) -> tuple[object, ...]:
        """What a leaf's requirements are kept by: its ``routes`` (each made by `_longer`, or the
        empty route), whether the start is consistent, and its state in the groups they read."""
        memo, states = self.memo, self.states
        routed = tuple(map(id, routes))
        width = memo.widths.get(routed)
        if width is None:
            width = memo.widths.setdefault(routed, self._width(routes))
            memo.size += 1
        return (self.consistent, routed, *map(states.__getitem__, width))

    def requirements(
        self, routes: list[tuple[Condition, ...]], key: tuple[object, ...]
    ) -> tuple[Requirement, ...]:
        """A leaf's requirements for its ``routes``, kept by their `routes_key`, ``key``."""
        memo = self.memo
        found = memo.required.get(key)
        if found is None:
            simplified = [self._simplified(route) for route in routes]
            made = () if any(not route for route in simplified) else self._requirements(simplified)
            made = memo.requirements.setdefault(made, made)  # equal ones made apart: one object
            found = memo.required.setdefault(key, made)
            memo.size += 1
        return found

    def _requirements(self, simplified: list[tuple[Condition, ...]]) -> tuple[Requirement, ...]:
        unique = list(dict.fromkeys(simplified))
        common = [c for c in unique[0] if all(c in route for route in unique[1:])]
        rests = [tuple(c for c in route if c not in common) for route in unique]
        needed: list[Condition] = list(common)
        if all(rests) and len(rests) > 1:
            either = AnyOf(tuple(r[0] if len(r) == 1 else AllOf(r) for r in rests))
            both = AllOf(tuple(common))
            linked = self.plan.linked_to
            if self.start.assume(both, linked(both)).assume(Not(either), linked(either)).consistent:
                needed.append(either)
        elif len(rests) == 1:
            needed += rests[0]
        return tuple(Requirement(c, describe(c, self.schema), facts_read(c)) for c in needed)

    def _start_key(self, routes: list[tuple[Condition, ...]]) -> list[int]:
        """The start's state in every group ``routes`` read (all that their simplifying reads)."""
        return [self.states[group] for group in self._width(routes)]

    def _width(self, routes: list[tuple[Condition, ...]]) -> tuple[int, ...]:
        """The groups ``routes`` read, in order."""
        closures = self.memo.closures
        mask = 0
        for route in routes:
            for part in route:
                found = closures.get(id(part))
                if found is None:
                    found = closures.setdefault(id(part), (part, self.plan.mask(facts_read(part))))
                mask |= found[1]
        return self.plan.bits(mask)

    def _simplified(self, route: tuple[Condition, ...]) -> tuple[Condition, ...]:
        key = (self.consistent, *map(id, route), -1, *self._start_key([route]))
        done = self.memo.simplified.get(key)
        if done is None:
            done = self.memo.simplified.setdefault(key, self._simplify(route))
            self.memo.size += 1
        return done

    def _simplify(self, route: tuple[Condition, ...]) -> tuple[Condition, ...]:
        """Drop repeats, and parts the rest of the route already implies."""
        parts = list(dict.fromkeys(route))
        linked = self.plan.linked_to
        for part in list(parts):
            others = AllOf(tuple(other for other in parts if other != part))
            given = self.start.assume(others, linked(others))
            if evaluate(part, given) is True or not given.assume(Not(part), linked(part)).consistent:
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
    root = guideline.by_id[guideline.root]
    if isinstance(root, Leaf):  # a guideline of one option: reached by the empty route
        walker.routes[root.id] = [()]
    else:
        walker.visit(root, walker.start, walker.consistent, (), 0)

    options, excluded = _leaves(walker)
    return WalkResult(
        guideline=guideline.name,
        patient=guideline.schema.to_json(facts),
        options=options,
        excluded=excluded,
        missing=_missing(options, walker),
        path=tuple([_step(walker, node, taken) for node, taken in walker.steps.values()]),
        provenance=guideline.provenance,
        walked=guideline,
    )


def _leaves(walker: _Walker) -> tuple[tuple[Option, ...], tuple[Exclusion, ...]]:
    """Each leaf as an option (reached by a route) or an exclusion (`_exclusion`); an option is
    made once per memo for its requirements (once per guideline when it has none), unless the
    patient had some of its components or the walk was given shown values (a template's)."""
    guideline, plan, made = walker.guideline, walker.plan, walker.memo.options
    given = walker.facts.get(guideline.history_fact) if guideline.history_fact else None
    if not isinstance(given, frozenset):
        given = None  # no components already had: None for every option
    elif given.isdisjoint(plan.counted_every):
        given = _NONE  # () for every option
    options, excluded = [], []
    routes_of = walker.routes
    for leaf in guideline.leaves:
        routes = routes_of.get(leaf.id)
        if routes is None:
            excluded.append(_exclusion(walker, leaf))
            continue
        already = None if given is None else () if given is _NONE else plan.already_given(leaf, given)
        # reached by the empty route: nothing required (what `requirements` gives it)
        required = () if () in routes else walker.requirements(routes, walker.routes_key(routes))
        if already or walker.shown:  # rarely met again (what the patient had; a template's walk)
            options.append(_option(leaf, already, required))
            continue
        if not required:
            options.append(plan.plain[leaf.id][already is None])
            continue
        key = (leaf.id, already, id(required))  # ``required`` is kept by the memo
        option = made.get(key)
        if option is None:
            option = made.setdefault(key, _option(leaf, already, required))
            walker.memo.size += 1
        options.append(option)
    return tuple(options), tuple(excluded)


def _exclusion(walker: _Walker, leaf: Leaf) -> Exclusion:
    """``leaf`` excluded, with the reason of its deepest cuts (each once, in the walk's order):
    kept by the memo by its reasons (each kept by the memo), unless the walk was given shown
    values (a template's: its reasons are its own)."""
    cuts = walker.cuts.get(leaf.id)
    if not cuts:
        return _excluded(walker.guideline, leaf, walker.guideline.root, [])
    if len(cuts) == 1:
        chosen = [(cuts[0][1], walker.reason(cuts[0]))]
    else:
        deepest = max(cut[0] for cut in cuts)
        chosen = list(dict.fromkeys((c[1], walker.reason(c)) for c in cuts if c[0] == deepest))
    if walker.shown:
        return _excluded(walker.guideline, leaf, chosen[0][0], chosen)
    key = (leaf.id, chosen[0][0], *[id(reason) for _, reason in chosen])
    memo = walker.memo
    table = memo.exclusions
    found = table.get(key)
    if found is None:
        if len(table) >= APART:  # kept apart (no other key reads them): emptied when full
            table.clear()
        found = table.setdefault(key, _excluded(walker.guideline, leaf, chosen[0][0], chosen))
    return found


def _excluded(guideline: Guideline, leaf: Leaf, node: str, chosen: list[tuple[str, str]]) -> Exclusion:
    reason = "; ".join(r for _, r in chosen)
    return Exclusion(leaf.id, leaf.label, reason or "not reached", node, guideline.by_id[node].quote)


def _option(leaf: Leaf, already: tuple[str, ...] | None, required: tuple[Requirement, ...]) -> Option:
    return Option(
        leaf.id,
        leaf.label,
        leaf.components,
        leaf.aliases,
        leaf.variants,
        leaf.notes,
        leaf.quotes,
        already,
        required,
    )


def _reason_prefix(guideline: Guideline, node: Node, target: str) -> str:
    """How the reason for a cut branch (from ``node`` to ``target``) begins: the option it
    led to "is for", or, for a node above options, "“…”, from “…”, is for" (every option below it
    shares the reason)."""
    reached = guideline.by_id[target]
    if isinstance(reached, Leaf):
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


def _missing(options: tuple[Option, ...], walker: _Walker) -> tuple[str, ...]:
    """Unknown facts that would change the options, most decisive first (kept by the options'
    requirements, each kept by the memo, and the nodes visited, in order)."""
    if all(not option.conditions for option in options):
        return ()
    if walker.shown:  # a template's walk (`rrall.engine.walk._cache`): a class rarely met again
        return _decisive(options, walker)
    key = (*[id(option.conditions) for option in options], *walker.steps)
    found = walker.memo.missing.get(key)
    if found is None:
        found = walker.memo.missing.setdefault(key, _decisive(options, walker))
        walker.memo.size += 1
    return found


def _decisive(options: tuple[Option, ...], walker: _Walker) -> tuple[str, ...]:
    weight: dict[str, int] = {}
    for option in options:
        if option.conditions:
            for name in dict.fromkeys([n for req in option.conditions for n in req.facts]):
                weight[name] = weight.get(name, 0) + 1
    reading = walker.plan.reading
    first_read: dict[str, int] = {}  # where each fact is first read, counting every read
    index = 0
    for node, _ in walker.steps.values():
        for name in reading[node.id]:
            first_read.setdefault(name, index)
            index += 1
    order = walker.plan.order
    return tuple(sorted(weight, key=lambda n: (-weight[n], first_read.get(n, len(first_read)), order[n])))


def _step(walker: _Walker, node: Node, taken: dict[str, None]) -> Step:
    """The step at ``node``: kept by the branches taken and the start's state in the groups of
    the facts it reads (which gives their shown values), unless the walk was given shown values."""
    names = walker.plan.shown_read[node.id]
    branches = tuple(taken)
    if walker.shown:  # a template's walk (`rrall.engine.walk._cache`): a class rarely met again
        return _made_step(walker, node, taken, branches, names)
    memo = walker.memo
    key = (node.id, branches, *map(walker.states.__getitem__, walker.plan.step_groups[node.id]))
    kept = node.id in walker.plan.kept_steps
    table = memo.steps if kept else memo.wide_steps
    found = table.get(key)
    if found is None:
        if not kept and len(table) >= APART:
            table.clear()
        found = table.setdefault(key, _made_step(walker, node, taken, branches, names))
        memo.size += kept
    return found


def _made_step(
    walker: _Walker, node: Node, taken: dict[str, None], branches: tuple[str, ...], names: tuple[str, ...]
) -> Step:
    read = tuple([(n, walker.show(n, walker.facts.get(n))) for n in names])
    quotes = walker.memo.quotes
    quote = quotes.get((node.id, branches))
    if quote is None:
        quote = quotes.setdefault((node.id, branches), walker.guideline.step_quote(node, taken))
        walker.memo.size += 1
    return Step(node.id, node.kind, node.label, read, branches, quote)
