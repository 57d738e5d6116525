"""Walking a patient through a guideline, in three-valued logic.

An unknown fact follows every branch it could take. Each route keeps what it
had to assume; an option reached only by assuming something is offered with
those assumptions as its conditions, and one no route reaches is excluded,
with the reason from the point closest to it where its routes were cut.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from ._conditions import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Condition,
    CountAtLeast,
    Not,
    conjuncts,
    describe,
    evaluate,
    facts_read,
    residual,
)
from ._graph import Guideline, Node, Regimen
from ._knowledge import Knowledge, inferred_words
from ._result import _DEFERRED, Exclusion, Option, Requirement, Step, WalkResult
from ._schema import Value

if TYPE_CHECKING:
    from ._compile import CompiledBranch

__all__ = ["Exclusion", "Option", "Requirement", "Step", "WalkResult", "walk"]


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
            return fact.clause(fact.show(value))
        inferred = inferred_words(fact, self.start.domain(name))
        return f"{fact.label} unknown, but {inferred} (inferred)" if inferred else f"{fact.label} unknown"

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


def walk(patient: object, guideline: Guideline) -> WalkResult:
    """Walk ``patient`` through ``guideline``: a pure function of its inputs.

    Args:
        patient: A record whose attributes are the guideline's facts (for R/R
            ALL, a `rrall.Patient`), or a mapping in the JSON form, validated first.
        guideline: The guideline to walk.

    Returns:
        The options offered, the options excluded and why, the missing facts
            and the path taken.

    Raises:
        InvalidRecord: ``patient`` is a mapping that breaks the guideline's schema.
    """
    schema = guideline.schema
    stored = getattr(patient, "__facts__", None)  # `Schema.facts_view`, inline: walk is hot
    facts = stored[1] if stored is not None and stored[0] is schema else schema.facts_of(patient)
    result = guideline.compiled.walk_by_class(facts)
    if result is None:  # a fact the conditions or constraints read is unknown, or a constraint breaks
        return _walk_three_valued(guideline, facts)
    return result


def _walk_three_valued(guideline: Guideline, facts: Mapping[str, Value | None]) -> WalkResult:
    """`walk` in general: unknown facts follow every branch they could take."""
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
        already = None if not isinstance(given, frozenset) else _already_given(guideline, leaf.drugs, given)
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
        provenance=guideline.provenance,
    )


def _walk_settled(
    guideline: Guideline, facts: Mapping[str, Value | None], shown: Mapping[str, str] | None = None
) -> WalkResult:
    """`walk` when every condition is True or False: the same result, from the
    compiled tests and tables of `Guideline.compiled` instead of `Knowledge`.

    Every fact the conditions and constraints read is known and the facts keep
    the constraints, so each domain is one value and stays so; no route
    assumes anything, so every option is definite and nothing is missing.
    Cuts are kept as (depth, node, branch) and put in words only when an
    excluded leaf needs them. ``shown``: each read fact's value as shown
    (`Schema.show`), given by `_class_walk` to mark the values that vary.
    """
    compiled = guideline.compiled
    schema = guideline.schema
    by_id = guideline.by_id
    reached: set[str] = set()
    cuts: list[tuple[int, Node, CompiledBranch]] = []
    steps: dict[str, tuple[Node, dict[str, None]]] = {}
    if shown is None:
        shown = {name: schema.show(name, facts[name]) for name in compiled.reads}

    def visit(node: Node, depth: int) -> None:
        if isinstance(node, Regimen):
            reached.add(node.id)
            return
        taken = steps.setdefault(node.id, (node, {}))[1]
        for branch in compiled.branches[node.id]:
            if branch.test(facts):
                taken[branch.to] = None
                visit(by_id[branch.to], depth + 1)
            else:
                cuts.append((depth, node, branch))

    visit(by_id[guideline.root], 0)
    reasons: dict[int, str] = {}

    def reason(index: int) -> str:
        text = reasons.get(index)
        if text is None:
            _, node, branch = cuts[index]
            text = reasons[index] = _settled_reason(guideline, node, branch, facts, shown)
        return text

    given = facts.get(guideline.history_fact) if guideline.history_fact else None
    had: frozenset[str] | None = None
    if isinstance(given, frozenset):
        had = frozenset([drug for name in given for drug in compiled.counts_as.get(name, ())])
    cut_below = [compiled.leaves_below[branch.to] for _, _, branch in cuts]  # as bit masks
    explained: dict[tuple[int, ...], tuple[str, str]] = {}  # by the cuts above a leaf

    def explain(mine: tuple[int, ...]) -> tuple[str, str]:
        """The node and reason of the deepest of the cuts ``mine``."""
        deepest = max((cuts[i][0] for i in mine), default=0)
        chosen = list(dict.fromkeys([(cuts[i][1].id, reason(i)) for i in mine if cuts[i][0] == deepest]))
        node_id = chosen[0][0] if chosen else guideline.root
        return node_id, "; ".join([text for _, text in chosen]) or "not reached"

    options, excluded = [], []
    for leaf in guideline.leaves:
        if leaf.id not in reached:
            bit = compiled.leaf_bits[leaf.id]
            mine = tuple([index for index, leaves in enumerate(cut_below) if leaves & bit])
            found = explained.get(mine)
            if found is None:
                found = explained[mine] = explain(mine)
            node_id, why = found
            excluded.append(Exclusion(leaf.id, leaf.label, why, node_id, by_id[node_id].quote))
            continue
        given_here = None if had is None else had & compiled.drug_sets[leaf.id]
        option = compiled.options[leaf.id].get(given_here)
        if option is None:  # a leaf of many drugs: not in the table
            already = None if given_here is None else tuple(d for d in leaf.drugs if d in given_here)
            fields = (leaf.id, leaf.label, leaf.drugs, leaf.brands, leaf.variants, leaf.notes, leaf.quotes)
            option = Option(*fields, already, ())
        options.append(option)
    path = [
        Step(
            node.id,
            node.kind,
            node.label,
            tuple([(name, shown[name]) for name in compiled.names[node.id]]),
            tuple(taken),
            guideline.step_quote(node, taken),
        )
        for node, taken in steps.values()
    ]
    return WalkResult(
        guideline=guideline.name,
        patient=schema.to_json(facts),
        options=tuple(options),
        excluded=tuple(excluded),
        missing=(),
        path=tuple(path),
        provenance=guideline.provenance,
    )


#: `walk` for the complete patients of one class: see `_class_walk`.
_ClassWalk = Callable[[Mapping[str, Value | None]], WalkResult]


_MARK = "\x00"


def _pinned(guideline: Guideline, key: tuple[Value | bool, ...], name: str) -> Value | None:
    """The value every patient of class ``key`` has for fact ``name``, when the key fixes it."""
    from ._schema import Choice, Integer, Subset

    parts = guideline.compiled.key_parts
    fact = guideline.schema.fact(name)
    if isinstance(fact, Choice):
        return key[parts.index(name)]
    tests = [
        (part, held)
        for part, held in zip(parts, key, strict=True)
        if not isinstance(part, str) and part.fact == name
    ]
    if isinstance(fact, Integer):
        low: list[int] = []
        high: list[int] = []
        for part, held in tests:
            if isinstance(part, AtLeast):
                bound = int(part.bound)
                (low if held else high).append(bound if held else bound - 1)
            elif isinstance(part, AtMost):
                bound = int(part.bound)
                (high if held else low).append(bound if held else bound + 1)
        return max(low) if low and high and max(low) == min(high) else None
    if isinstance(fact, Subset):
        empty = any(isinstance(p, CountAtLeast) and p.bound <= 1 and not held for p, held in tests)
        return frozenset() if empty else None
    return None


def _class_walk(
    guideline: Guideline, facts: Mapping[str, Value | None], key: tuple[Value | bool, ...]
) -> _ClassWalk:
    """`_walk_settled` for the class ``key`` (`Compiled.walk_by_class`) of ``facts``, as a
    function generated once for the class.

    Why it gives the same result. `walk_by_class` finds a class only for the
    patients `_walk_settled` is for (the same gate). In `_walk_settled` the branches
    taken, the cuts, the failing parts of each cut condition, hence the
    options, the excluded leaves with their nodes and the words of their
    reasons, and the path's nodes with the facts they read, depend only on
    the truth of the conditions' atoms, which the key fixes (a choice fact by
    its value, any other atom by its truth). What else the result holds is:
    the patient's JSON form; the shown value of each fact read, which enters
    reasons and path steps verbatim; and each option's ``already_given``,
    which depends only on the history fact. So `_walk_settled` runs once,
    here, on this patient, with the history unknown and each shown value that
    can vary within the class (every fact read but a choice, an integer the
    atoms pin to one number, or a set they pin to empty) replaced by a
    marker. From that result the function is generated: it takes each option
    from `Compiled.masked_options` by the drugs already given (``had``: the
    `Compiled.drug_bits` of the history), the same table, by masks, that
    `_walk_settled` uses; and it rebuilds the excluded leaves and the path
    with the markers filled in from the patient's shown values
    (`Compiled.shows`: `Schema.show`), with the patient's JSON form
    (`Compiled.patient_json`: `Schema.to_json`).

    It builds the options at once and the rest, which puts the patient's own
    values in words, the first time a field other than ``options`` is read
    (`WalkResult.__getattr__`): every field holds the same value whenever it
    is read, and a caller who reads only the options does not pay for the words.

    `_walk_settled` walks each patient of the class instead when an option is
    not in `Compiled.masked_options` (a leaf of many drugs), when a text could
    be mistaken for a marker, or when two facts share a label (then two
    reasons that differ only in which fact they show could read alike for
    some patients and not others).
    """
    each_time = partial(_walk_settled, guideline)
    compiled = guideline.compiled
    schema = guideline.schema
    unknown_history = dict(facts)
    if guideline.history_fact:
        unknown_history[guideline.history_fact] = None
    shown: dict[str, str] = {}
    for name in compiled.reads:
        value = _pinned(guideline, key, name)
        shown[name] = f"{_MARK}{name}{_MARK}" if value is None else schema.show(name, value)
    plain = _walk_settled(guideline, unknown_history)
    texts = [item.reason for item in plain.excluded] + [v for step in plain.path for _, v in step.read]
    labels = [fact.label for fact in schema.facts]
    if any(_MARK in text for text in [*texts, *compiled.reads]) or len(set(labels)) < len(labels):
        return each_time
    marked = _walk_settled(guideline, unknown_history, shown)
    if any(not compiled.masked_options[option.id][1] for option in marked.options):
        return each_time
    namespace: dict[str, object] = {"new": object.__new__}

    def constant(value: object) -> str:
        namespace[f"c{len(namespace)}"] = value
        return f"c{len(namespace) - 1}"

    def items(texts: list[str]) -> str:
        return "(" + "".join(text + ", " for text in texts) + ")"

    variable: dict[str, str] = {}

    def filled(text: str) -> str:
        pieces = text.split(_MARK)
        for name in pieces[1::2]:
            variable.setdefault(name, f"s{len(variable)}")
        parts = [constant(p) if i % 2 == 0 else variable[p] for i, p in enumerate(pieces) if p or i % 2]
        return " + ".join(parts) or "''"

    body: list[str] = []

    def build(cls: type, values: list[str]) -> str:
        """A new ``cls`` with fields ``values``: built in place, slot by slot, when attrs'
        ``__init__`` would only set them (no validator, converter or post-init)."""
        local = f"o{len(body)}"
        fields = attrs.fields(cls)
        plain = not hasattr(cls, "__attrs_post_init__") and all(
            f.validator is None and f.converter is None for f in fields
        )
        if not plain:
            body.append(f"    {local} = {constant(cls)}({', '.join(values)})")
            return local
        body.append(f"    {local} = new({constant(cls)})")
        body.extend(
            f"    {constant(getattr(cls, f.name).__set__)}({local}, {v})"
            for f, v in zip(fields, values, strict=True)
        )
        return local

    excluded = [
        constant(item)
        if _MARK not in item.reason
        else build(
            Exclusion,
            [
                *map(constant, (item.id, item.name)),
                filled(item.reason),
                *map(constant, (item.node, item.quote)),
            ],
        )
        for item in marked.excluded
    ]
    path = [
        constant(step)
        if not any(_MARK in value for _, value in step.read)
        else build(
            Step,
            [
                *map(constant, (step.node, step.kind, step.label)),
                items(
                    [
                        constant(pair)
                        if _MARK not in pair[1]
                        else f"({constant(pair[0])}, {filled(pair[1])})"
                        for pair in step.read
                    ]
                ),
                *map(constant, (step.taken, step.quote)),
            ],
        )
        for step in marked.path
    ]
    tables = [compiled.masked_options[option.id] for option in marked.options]
    drugs = 0
    for mask, _ in tables:
        drugs |= mask
    given = [f"{constant(table)}[had & {mask}]" if mask else constant(table[0]) for mask, table in tables]
    lines = ["def walk(facts):"]
    if guideline.history_fact:
        lines += [
            f"    given = facts[{guideline.history_fact!r}]",
            "    if given is None:",
            f"        options = {constant(marked.options)}",
            "    else:",
            "        had = 0",
            "        for name in given:",
            f"            had |= {constant(compiled.drug_bits)}.get(name, 0)",
            f"        if had & {drugs}:",
            f"            options = {items(given)}",
            "        else:",
            f"            options = {constant(tuple(table[0] for _, table in tables))}",
        ]
    else:
        lines.append(f"    options = {constant(marked.options)}")
    lines += [
        f"    result = new({constant(WalkResult)})",
        f"    {constant(_set_options)}(result, options)",
        f"    {constant(_set_pending)}(result, (fill, facts))",
        "    return result",
        "",
        "",
        "def fill(result, facts):",
    ]
    for name, local in variable.items():
        lines.append(f"    {local} = {constant(compiled.shows[name])}(facts[{name!r}])")
    values = [constant(guideline.name), f"{constant(compiled.patient_json)}(facts)", items(excluded), "()"]
    values_after_path = [constant(guideline.provenance)]
    lines += [
        *body,
        *(
            f"    {constant(_slot_setter(name))}(result, {value})"
            for name, value in zip(_DEFERRED, [*values, items(path), *values_after_path], strict=True)
        ),
        f"    {constant(_slot_setter('_pending'))}(result, None)",
    ]
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<rrall walk {guideline.name} class {key!r}>", "exec"), namespace)
    return namespace["walk"]  # type: ignore[return-value]


# `_class_walk` builds a deferred WalkResult slot by slot, as attrs' __init__ would: it
# has no validator, converter or post-init (tests/test_walk_deferred.py checks).
def _slot_setter(name: str) -> Callable[[WalkResult, object], None]:
    return getattr(WalkResult, name).__set__  # type: ignore[no-any-return]  # a slot's descriptor


_set_options = _slot_setter("options")
_set_pending = _slot_setter("_pending")


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


def _settled_reason(
    guideline: Guideline,
    node: Node,
    branch: CompiledBranch,
    facts: Mapping[str, Value | None],
    shown: Mapping[str, str],
) -> str:
    """`_Walker._reason` for known facts: the failing parts of the branch's condition."""
    if len(branch.parts) == 1:  # the one part fails
        needs, read = branch.whole.words, branch.whole.reads
    else:
        failing = [part for part in branch.parts if not part.test(facts)] or [branch.whole]
        needs = _joined([part.words for part in failing])
        read = tuple(dict.fromkeys([n for part in failing for n in part.reads]))
    facts_by_name = guideline.compiled.fact_by_name
    return _sentence(branch.prefix, needs, [facts_by_name[name].clause(shown[name]) for name in read])


def _already_given(guideline: Guideline, drugs: tuple[str, ...], given: frozenset[str]) -> tuple[str, ...]:
    """The drugs already given, by the guideline's rule (`History`: the names that count as each)."""
    return tuple(drug for drug in drugs if not given.isdisjoint(guideline.counted_names(drug)))


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
                    n for node, _ in walker.steps.values() for n in walker.guideline.compiled.reading[node.id]
                )
            )
        )
    }
    order = {name: index for index, name in enumerate(walker.schema.names)}
    return tuple(sorted(weight, key=lambda n: (-weight[n], first_read.get(n, len(first_read)), order[n])))


def _step(walker: _Walker, node: Node, taken: dict[str, None]) -> Step:
    names = walker.guideline.compiled.names[node.id]
    read = tuple((n, walker.schema.show(n, walker.facts.get(n))) for n in names)
    return Step(node.id, node.kind, node.label, read, tuple(taken), walker.guideline.step_quote(node, taken))
