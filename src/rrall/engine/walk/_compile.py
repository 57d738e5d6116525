"""A guideline's declarative conditions compiled to Python, once per guideline.

The conditions are data, so they can be turned into source text: ``Is("ph",
"negative")`` becomes ``f1 == 'negative'``, ``AllOf`` becomes ``and``, and the
whole graph becomes one straight-line function of the facts that says which
leaves are reached. `compile_guideline` builds that text, compiles it with
`compile`/`exec` once, and returns a `Compiled` guideline, which
`rrall.engine.compiled` keeps per guideline.

The generated code is two-valued, so it is only used when every fact the
conditions read is known; then it is exact, because each condition of a
reached node is then True or False, which is all `walk` looks at. When any
such fact is unknown, `Compiled.screen` falls back to `walk`, which follows
every branch an unknown fact could take.

Nothing here knows about a particular guideline: every name and value in the
generated text comes from the guideline's nodes and schema (through `repr`,
so a value cannot inject code).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING

from attrs import frozen

from ..model._conditions import (
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
    atoms,
    conjuncts,
    facts_read,
)
from ..model._knowledge import components
from ..model._schema import (
    Boolean,
    Choice,
    Implies,
    Integer,
    Measure,
    Schema,
    Subset,
    SubsetOf,
    Value,
    domain_of,
)
from ._source import load_source
from ._walk import starts_consistent

if TYPE_CHECKING:
    from ..model._graph import Guideline

__all__ = [
    "Compiled",
    "Facts",
    "class_key_source",
    "compile_conditions",
    "compile_consistency",
    "compile_guideline",
    "condition_source",
    "consistency_source",
    "consistency_test",
    "load_source",
    "screen_source",
]

#: A patient's facts by name, as `Schema.facts_of` gives them (None: unknown).
Facts = Mapping[str, "Value | None"]
Test = Callable[[Facts], bool]


def condition_source(
    condition: Condition, variable: Mapping[str, str], shared: Mapping[str, str] | None = None
) -> str:
    """``condition`` as a Python expression, reading fact ``name`` as ``variable[name]``.

    An atom whose text is a key of ``shared`` is read from that local variable
    instead (computed once). Two-valued: only meaningful when every fact the
    condition reads is known.
    """
    if isinstance(condition, (AllOf, AnyOf)):
        if not condition.conditions:
            return "True" if isinstance(condition, AllOf) else "False"
        parts = [condition_source(child, variable, shared) for child in condition.conditions]
        if len(parts) == 1:
            return parts[0]
        joiner = " and " if isinstance(condition, AllOf) else " or "
        return "(" + joiner.join(parts) + ")"
    if isinstance(condition, Not):
        return f"(not {condition_source(condition.condition, variable, shared)})"
    text = _atom_source(condition, variable[condition.fact])
    return text if shared is None else shared.get(text, text)


def _atom_source(condition: Atom, name: str) -> str:
    if isinstance(condition, Is):
        return f"{name} == {condition.value!r}"
    if isinstance(condition, AtLeast):
        return f"{name} >= {condition.bound!r}"
    if isinstance(condition, AtMost):
        return f"{name} <= {condition.bound!r}"
    if isinstance(condition, Contains):
        return f"{condition.item!r} in {name}"
    assert isinstance(condition, CountAtLeast)
    return f"len({name}) >= {int(condition.bound)!r}"


def _reads(name: str) -> str:
    return f"facts[{name!r}]"


def compile_conditions(conditions: Sequence[Condition]) -> tuple[Test, ...]:
    """One two-valued test of the facts for each condition, compiled together."""
    lines = []
    for index, condition in enumerate(conditions):
        variable = {name: _reads(name) for name in facts_read(condition)}
        lines += [f"def test_{index}(facts):", f"    return {condition_source(condition, variable)}", ""]
    namespace = load_source("\n".join(lines), "<rrall conditions>", {})
    return tuple(namespace[f"test_{index}"] for index in range(len(conditions)))  # type: ignore[misc]


@frozen
class _Term:
    """One edge into a node: taken when ``reach`` (the source's) and ``test`` hold."""

    source: str
    reach: str
    test: str
    condition: Condition
    reads: tuple[str, ...]
    #: (decision, branch index) when the edge is taken exactly when that branch is.
    cover: tuple[str, int] | None

    @property
    def expression(self) -> str:
        if "False" in (self.reach, self.test):
            return "False"
        if self.reach == "True":
            return self.test
        return self.reach if self.test == "True" else f"({self.reach} and {self.test})"


def _either(guideline: Guideline, reach: Mapping[str, str], terms: list[_Term]) -> str:
    """The reach of a node from its incoming edges. The branches of a decision
    cover every patient exactly once (checked when the guideline is built), so
    edges from all of a decision's branches together are just its reach."""
    covered: dict[str, set[int]] = {}
    for term in terms:
        if term.cover is not None:
            covered.setdefault(term.cover[0], set()).add(term.cover[1])
    whole = {d for d, seen in covered.items() if len(seen) == len(guideline.by_id[d].branches)}
    parts = [
        reach[term.cover[0]] if term.cover is not None and term.cover[0] in whole else term.expression
        for term in terms
    ]
    parts = list(dict.fromkeys(part for part in parts if part != "False"))
    if "True" in parts:
        return "True"
    if not parts:
        return "False"
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def _topological(guideline: Guideline) -> list[str]:
    """Node ids from the root, every node after all the nodes that lead to it."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(node_id: str) -> None:
        seen.add(node_id)
        for branch in guideline.by_id[node_id].branches:
            if branch.to not in seen:
                visit(branch.to)
        order.append(node_id)

    visit(guideline.root)
    return order[::-1]


def screen_source(guideline: Guideline) -> str:
    """The source text of the generated screening function for ``guideline``.

    Node reaches are computed first; then, for the leaves in the text's
    order, one ``if`` per run of leaves reached from the same node. Each fact
    is read (and checked to be known) just before the first code that needs
    it, so a fact no reached node reads may stay unknown.
    """
    reads = _facts_read_by(guideline)
    variable = {name: f"f{index}" for index, name in enumerate(reads)}
    incoming: dict[str, list[_Term]] = {}
    reach = {guideline.root: "True"}
    leaves = {leaf.id for leaf in guideline.leaves}
    origin: dict[str, tuple[str, int]] = {}
    shared: dict[str, str] = {}
    body: list[str] = []
    needed: list[str] = []
    for node_id in _topological(guideline):
        if node_id != guideline.root:
            terms = incoming.get(node_id, [])
            expression = _either(guideline, reach, terms)
            if node_id not in leaves:
                needed += [name for term in terms for name in term.reads]
                if expression not in ("True", "False") and " " in expression:
                    name = f"n{len(reach)}"
                    body.append(f"    {name} = {expression}  # {node_id}")
                    shared.setdefault(expression, name)
                    expression = name
            if len(terms) == 1 and terms[0].cover is not None:
                origin[node_id] = terms[0].cover
            reach[node_id] = expression
        node = guideline.by_id[node_id]
        for index, branch in enumerate(node.branches):
            test = condition_source(branch.when, variable)
            cover = (node_id, index) if node.kind == "decision" else None
            if test == "True" and node_id in origin:
                cover = origin[node_id]
            incoming.setdefault(branch.to, []).append(
                _Term(node_id, reach[node_id], test, branch.when, facts_read(branch.when), cover)
            )
    body.append("    options = []")
    body += _leaf_lines(guideline, reach, incoming, variable, shared, needed, len(body))
    body.append("    return tuple(options)")
    head = [f"def screen(facts):  # {guideline.name}", *_read(list(dict.fromkeys(needed)), variable, "    ")]
    return "\n".join(head + body) + "\n"


def _leaf_lines(
    guideline: Guideline,
    reach: Mapping[str, str],
    incoming: dict[str, list[_Term]],
    variable: Mapping[str, str],
    shared: Mapping[str, str],
    needed: list[str],
    offset: int,
) -> list[str]:
    """The screen's lines that add the reached leaves, in the text's order (`_groups`); the
    facts read at the top of the function are added to ``needed``. ``offset``: the lines
    before them (local names count from it)."""
    body: list[str] = []
    top = set(needed)
    for outer, group in _groups(guideline, reach, incoming):
        indent = "    "
        if outer != "True":
            body.append(f"    if {outer}:")
            indent = "        "
            body += _read(
                list(dict.fromkeys(n for _, _, r in group for n in r if n not in top)), variable, indent
            )
        else:
            needed += [n for _, _, r in group for n in r]
        local = dict(shared)
        texts = [
            _atom_source(atom, variable[atom.fact])
            for condition, _, _ in group
            if condition is not None
            for atom in atoms(condition)
        ]
        for text in dict.fromkeys(texts):
            if texts.count(text) > 1 and text not in local:
                local[text] = f"a{offset + len(body)}"
                body.append(f"{indent}{local[text]} = {text}")
        tests = [
            (reach[leaf_id] if condition is None else condition_source(condition, variable, local), leaf_id)
            for condition, leaf_id, _ in group
        ]
        for test, ids in _runs(tests):
            add = f"options.append({ids[0]!r})" if len(ids) == 1 else f"options += {ids!r}"
            body += [f"{indent}{add}"] if test == "True" else [f"{indent}if {test}:", f"{indent}    {add}"]
    return body


def _facts_read_by(guideline: Guideline) -> list[str]:
    """The facts any condition of ``guideline`` reads, in first-use order."""
    return list(
        dict.fromkeys(n for node in guideline.nodes for b in node.branches for n in facts_read(b.when))
    )


def _read(names: list[str], variable: Mapping[str, str], indent: str) -> list[str]:
    """Read facts into local variables; any unknown one means: walk instead."""
    if not names:
        return []
    lines = [f"{indent}{variable[name]} = facts[{name!r}]" for name in names]
    unknown = " or ".join(f"{variable[name]} is None" for name in names)
    return [*lines, f"{indent}if {unknown}:", f"{indent}    return fallback(facts)"]


def _groups(
    guideline: Guideline, reach: Mapping[str, str], incoming: dict[str, list[_Term]]
) -> Iterator[tuple[str, list[tuple[Condition | None, str, tuple[str, ...]]]]]:
    """The leaves in the text's order as (reach, [(condition, leaf id, facts read)]), the
    condition None when the leaf's whole reach is its test:
    consecutive leaves reached from the same node share one ``if`` on its reach."""
    group: list[tuple[Condition | None, str, tuple[str, ...]]] = []
    current = ""
    for leaf in guideline.leaves:
        terms = incoming[leaf.id]
        condition: Condition | None = None
        if len(terms) == 1 and terms[0].reach not in ("True", "False"):
            outer, test, reads = terms[0].reach, terms[0].test, terms[0].reads
            condition = terms[0].condition
        else:
            outer, test = "True", reach[leaf.id]
            reads = tuple(name for term in terms for name in term.reads)
        if test == "False":
            continue
        if group and outer != current:
            yield current, group
            group = []
        current = outer
        group.append((condition, leaf.id, reads))
    if group:
        yield current, group


def _runs(pairs: list[tuple[str, str]]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Consecutive leaves under the same test, grouped."""
    run: list[str] = []
    current = ""
    for test, leaf_id in pairs:
        if run and test != current:
            yield current, tuple(run)
            run = []
        current = test
        run.append(leaf_id)
    if run:
        yield current, tuple(run)


#: Values of a set fact kept in order by `_Ordered` beyond its table (per fact).
ORDERED = 4096


class _Ordered(dict[frozenset[str], tuple[str, ...]]):
    """A set fact's values in the schema's order, from a table built once for a small
    universe; any other value is ordered on demand, and kept while the fact has at most
    `ORDERED` more (a fact without a universe: its values met, sorted)."""

    def __init__(self, fact: Subset) -> None:
        universe = fact.universe or ()
        if len(universe) <= 10:
            for size in range(len(universe) + 1):
                for chosen in combinations(universe, size):
                    self[frozenset(chosen)] = chosen
        self.fact = fact
        self.bound = len(self) + ORDERED

    def __missing__(self, value: frozenset[str]) -> tuple[str, ...]:
        ordered = self.fact.ordered(value)
        if len(self) < self.bound:
            self[value] = ordered
        return ordered


@frozen
class Compiled:
    """A guideline's conditions compiled to Python (see the module's docstring).

    ``screen(facts)`` returns the offered option ids, exactly
    ``walk(facts, guideline).option_ids`` (calling ``fallback`` for a patient with a fact it
    reads unknown); ``source`` is its generated text, for reading. ``reads`` names the
    facts the conditions read.

    ``class_key(facts)`` is the patient's equivalence class (`class_key_source`): two
    patients with the same key are walked alike but for their own values in the words;
    ``key_source`` is its text. ``patient_json(facts)`` is ``schema.to_json(facts)``, fast.
    """

    reads: tuple[str, ...]
    source: str
    screen: Callable[[Facts], tuple[str, ...]]
    class_key: Callable[[Facts], tuple[object, ...]]
    key_source: str
    patient_json: Callable[[Facts], dict[str, object]]


def _reader(fact: Choice) -> str:
    """The type a choice fact's domain reads a value as (`domain_of`): ``bool`` or ``str``."""
    return "bool" if isinstance(fact, Boolean) else "str"


def _known_atom_source(atom: Atom, schema: Schema, name: str) -> str | None:
    """``atom`` on a known value, as `Knowledge` reads it (its domain that one value: a choice's
    read by `str` or `bool`); None for an atom it could read otherwise (a whole-number or
    count bound that is not whole, an atom of another kind of fact)."""
    fact = schema.fact(atom.fact)
    if isinstance(fact, Choice):
        return f"{_reader(fact)}({name}) == {atom.value!r}" if isinstance(atom, Is) else None
    if isinstance(atom, (AtLeast, AtMost)) and isinstance(fact, (Integer, Measure)):
        if isinstance(fact, Integer) and atom.bound != int(atom.bound):
            return None  # `RangeDomain.assume` rounds the bound, its `evaluate` does not
        return _atom_source(atom, name)
    if isinstance(atom, Contains) and isinstance(fact, Subset):
        return _atom_source(atom, name)
    if isinstance(atom, CountAtLeast) and isinstance(fact, Subset) and atom.bound == int(atom.bound):
        return _atom_source(atom, name)
    return None


def _known_source(condition: Condition, schema: Schema, variable: Mapping[str, str]) -> str | None:
    """``condition``'s truth on known values (`_known_atom_source`); None if an atom has none."""
    if isinstance(condition, (AllOf, AnyOf)):
        parts = [_known_source(child, schema, variable) for child in condition.conditions]
        if any(part is None for part in parts):
            return None
        if not parts:
            return "True" if isinstance(condition, AllOf) else "False"
        return "(" + (" and " if isinstance(condition, AllOf) else " or ").join(map(str, parts)) + ")"
    if isinstance(condition, Not):
        inner = _known_source(condition.condition, schema, variable)
        return None if inner is None else f"(not {inner})"
    return _known_atom_source(condition, schema, variable[condition.fact])


def _narrows(condition: Condition, holds: bool) -> bool:
    """Whether `Knowledge`, taking ``condition`` to hold (``holds``) on known values, leaves
    some fact no value exactly when ``condition`` does not hold so: an atom, its negation, or
    a conjunction of such (taken to hold: a disjunction's negation); a disjunction taken to
    hold narrows only through a part that alone may hold, so a false one narrows nothing."""
    if isinstance(condition, Not):
        return _narrows(condition.condition, not holds)
    if isinstance(condition, (AllOf, AnyOf)):
        every = isinstance(condition, AllOf) == holds
        return every and all(_narrows(child, holds) for child in condition.conditions)
    return True


def consistency_source(schema: Schema, variable: Mapping[str, str]) -> tuple[str, str] | None:
    """``Knowledge.of(schema, facts).consistent`` without a walk, as two expressions over the
    facts' variables: ``known``, true when every fact a constraint reads is known (and every
    fact that has no value at all unknown), and ``holds``, exact when ``known`` is.

    Then each fact a constraint reads has its one value as its domain, and `Knowledge` (which
    only narrows) leaves a fact no value exactly when a constraint fails: a `SubsetOf` when its
    subset is not within its superset; an `Implies` when ``when`` holds and ``then`` fails, for
    a ``then`` it narrows exactly (`_narrows`); a constraint that holds narrows nothing, nor
    does a ``when`` that fails, taken to fail. Facts it does not read keep their domains, empty
    only for a fact with no value at all. None when some constraint has another shape: the
    walk's memo answers then.
    """
    known: list[str] = []
    holds: list[str] = []
    for constraint in schema.constraints:
        if isinstance(constraint, SubsetOf):
            inner, outer = variable[constraint.subset], variable[constraint.superset]
            known += [inner, outer]
            holds.append(f"{inner} <= {outer}")
            continue
        assert isinstance(constraint, Implies)
        when = _known_source(constraint.when, schema, variable)
        then = _known_source(constraint.then, schema, variable)
        if when is None or then is None or not _narrows(constraint.then, True):
            return None
        known += [variable[name] for name in (*facts_read(constraint.when), *facts_read(constraint.then))]
        holds.append(f"(not {when} or {then})")
    known += [variable[fact.name] for fact in schema.facts if domain_of(fact, None).empty]
    present = [f"{name} is not None" for name in dict.fromkeys(known)]
    return " and ".join(present) or "True", " and ".join(holds) or "True"


def consistency_test(schema: Schema, variable: Mapping[str, str], fallback: str) -> str:
    """The source of ``Knowledge.of(schema, facts).consistent`` over the facts' variables:
    `consistency_source`'s ``holds`` when its ``known`` is true, else ``fallback`` (the source
    of the memo's answer); ``"True"`` when every start is consistent."""
    known, holds = consistency_source(schema, variable) or ("False", "True")
    if (known, holds) == ("True", "True"):
        return "True"
    return fallback if known == "False" else f"({holds}) if {known} else {fallback}"


def compile_consistency(
    schema: Schema, fallback: Callable[[Facts], bool]
) -> tuple[Callable[[Facts], bool], str]:
    """A test of ``Knowledge.of(schema, facts).consistent`` (`consistency_source`), asking
    ``fallback(facts)`` when a fact a constraint reads is unknown; and its source text."""
    variable = {name: f"v{index}" for index, name in enumerate(schema.names)}
    test = consistency_test(schema, variable, "fallback(facts)")
    used = [name for name in schema.names if re.search(rf"\b{variable[name]}\b", test)]
    lines = ["def consistent(facts):", *(f"    {variable[name]} = facts.get({name!r})" for name in used)]
    lines.append(f"    return {test}")
    source = "\n".join(lines) + "\n"
    namespace = load_source(source, f"<rrall consistent {id(schema):x}>", {"fallback": fallback})
    return namespace["consistent"], source  # type: ignore[return-value]


def _constraint_atoms(guideline: Guideline) -> list[Atom]:
    """The atoms of the schema's `Implies` constraints."""
    from ..model._schema import Implies

    return [
        atom
        for constraint in guideline.schema.constraints
        if isinstance(constraint, Implies)
        for atom in (*atoms(constraint.when), *atoms(constraint.then))
    ]


def class_key_source(guideline: Guideline) -> str:
    """The source text of ``class_key(facts)``: the patient's equivalence class for the walk.

    The walk reads a known fact only through the atoms of the conditions and of the
    constraints (and, in words, through its shown value, which the key leaves out), and an
    unknown fact through its domain, which follows from the key. So the key holds, for each
    group of linked facts (`components`): the value of a choice fact a condition reads (its
    value is shown; None: unknown); for each other atom, whether it holds (None: its fact is
    unknown; a choice's value read as its domain reads it); for each `SubsetOf` constraint,
    whether it holds when both sides are known, else both sides' values (what an unknown side
    may be follows from the known one).

    A group no node the walk may visit reads is left out (``...``): the walk never looks at
    it but to ask whether the start is consistent, which the key's first item says. A node
    may be visited when some branch into it comes from a node that may be and its condition
    may hold by the atoms' values (`_may`): the walk only takes branches whose condition is
    not false on a consistent narrowing of the start, which is never false where those
    values are not. Within a condition, a fact read only in a later part of a disjunction
    that an earlier part settles is not read either (`_relevant`), and a group's constraint
    parts are left out when every fact of it a condition reads is known (`_kept`). The key
    ends with, for each fact a node that may be visited reads, whether it is known (for a
    choice, its value): that node's path step shows it. An inconsistent start keeps every
    group. Whether the start is consistent is compiled too (`consistency_source`) where every
    fact a constraint reads is known; else the walk's memo answers (``consistent``).
    """
    schema = guideline.schema
    variable = {name: f"v{index}" for index, name in enumerate(schema.names)}
    group_of = {name: index for index, group in enumerate(components(schema)) for name in group}
    parts, local = _key_parts(guideline, variable, group_of)
    named = {text: f"p{index}" for index, text in enumerate(parts)}
    test = consistency_test(schema, variable, "consistent(facts)")
    read = dict.fromkeys(
        name
        for text in [*parts, test]
        for name in schema.names
        if re.search(rf"\b{variable[name]}\b", text)  # the facts each part reads
    )
    lines = [f"def class_key(facts):  # {guideline.name}"]
    lines += [f"    {variable[name]} = facts[{name!r}]" for name in read]
    lines += [f"    {named[text]} = {text}" if named[text] != text else "" for text in parts]
    every = "".join(f"{named[text]}, " for text in parts)
    if test != "True":  # else every start is consistent
        lines += [f"    if not ({test}):", f"        return (False, {every})"]
    part = {atom: named[text] for atom, text in local.items()}
    may = _reach(guideline, part, variable)
    lines += [f"    {name} = {expression}" for name, expression in may.values()]
    reached, seen = _reading(guideline, may, part, variable, group_of)
    of_conditions = {local[atom] for n in guideline.nodes for b in n.branches for atom in atoms(b.when)}
    linked = {group for text, group in parts.items() if text not in of_conditions}
    for group, reaches in reached.items():
        lines.append(f"    g{group} = {' or '.join(dict.fromkeys(reaches))}")
        if group in linked:  # whether every fact of the group a condition reads is known
            known = [f"{variable[name]} is not None" for name in seen if group_of[name] == group]
            lines.append(f"    k{group} = {' and '.join(known)}")
    kept = "".join(
        _kept(named[text], group, group in reached, text in of_conditions) for text, group in parts.items()
    )
    lines.append(f"    return (True, {kept}{_step_parts(schema, variable, seen)})")
    return "\n".join(line for line in lines if line) + "\n"


def _step_parts(schema: Schema, variable: Mapping[str, str], seen: Mapping[str, list[str]]) -> str:
    """The key's last parts: a visited node's path step shows each fact its branches read,
    a choice's value or whether another is known (``...`` when no node reading it may be)."""
    return "".join(
        f"({variable[fact]} if {' or '.join(dict.fromkeys(nodes))} else ...), "
        if isinstance(schema.fact(fact), Choice)
        else f"({variable[fact]} is None if {' or '.join(dict.fromkeys(nodes))} else ...), "
        for fact, nodes in seen.items()
    )


def _reading(
    guideline: Guideline,
    may: Mapping[str, tuple[str, str]],
    part: Mapping[Atom, str],
    variable: Mapping[str, str],
    group_of: Mapping[str, int],
) -> tuple[dict[int, list[str]], dict[str, list[str]]]:
    """For each group, the expressions saying when the walk may read it (`_relevant`); for
    each fact a condition reads, those saying when a node that reads it may be visited."""
    reached: dict[int, list[str]] = {}
    seen: dict[str, list[str]] = {}
    for node in guideline.nodes:
        for branch in node.branches:
            for fact, relevant in _relevant(branch.when, may[node.id][0], guideline.schema, part, variable):
                reached.setdefault(group_of[fact], []).append(relevant)
                seen.setdefault(fact, []).append(may[node.id][0])
    return reached, seen


def _kept(name: str, group: int, reached: bool, read: bool) -> str:
    """A part of the key as returned: left out (``...``) when no node the walk may visit
    reads its group; and a part no condition reads (a constraint's) also when every fact of
    the group a condition reads is known. Then the walk reads those facts only by their own
    values (a known fact's domain is its value), and the constraints only through whether
    the start is consistent, which the key says."""
    if not reached:
        return "..., "
    if read:
        return f"{name} if g{group} else ..., "
    return f"{name} if g{group} and not k{group} else ..., "


def _key_parts(
    guideline: Guideline, variable: Mapping[str, str], group_of: Mapping[str, int]
) -> tuple[dict[str, int], dict[Atom, str]]:
    """The key's parts (each part's text, and its group) and the part of each atom."""
    schema = guideline.schema
    parts: dict[str, int] = {}
    local: dict[Atom, str] = {}
    conditions = [b.when for node in guideline.nodes for b in node.branches]
    displayed = {name for condition in conditions for name in facts_read(condition)}
    for atom in [a for c in conditions for a in atoms(c)] + _constraint_atoms(guideline):
        name = variable[atom.fact]
        kind = schema.fact(atom.fact)
        if isinstance(kind, Choice) and atom.fact in displayed:
            text = name
        elif isinstance(kind, Choice):  # never shown: only what its atoms say, as its domain reads it
            assert isinstance(atom, Is)
            text = f"None if {name} is None else {_reader(kind)}({name}) == {atom.value!r}"
        else:
            text = f"None if {name} is None else {_atom_source(atom, name)}"
        parts.setdefault(text, group_of[atom.fact])
        local[atom] = text
    for constraint in schema.constraints:
        if isinstance(constraint, SubsetOf):
            inner, outer = variable[constraint.subset], variable[constraint.superset]
            text = f"({inner}, {outer}) if {inner} is None or {outer} is None else {inner} <= {outer}"
            parts.setdefault(text, group_of[constraint.subset])
    return parts, local


def _relevant(
    condition: Condition, reach: str, schema: Schema, part: Mapping[Atom, str], variable: Mapping[str, str]
) -> Iterator[tuple[str, str]]:
    """Each fact ``condition`` reads, with an expression saying when the walk may read more
    of it than whether it is known: whenever its node may be visited (``reach``), but for a
    fact only in a later part of a disjunction among the condition's conjuncts, where an
    earlier part surely holds and every other conjunct is surely true or false. Then the
    condition is decided on every route: the disjunction holds, whatever that part is, so
    it is never assumed, never left as a residual, and no reason names it."""
    parts = conjuncts(condition)
    for index, conjunct in enumerate(parts):
        if not isinstance(conjunct, AnyOf) or len(conjunct.conditions) < 2:
            yield from ((fact, reach) for fact in facts_read(conjunct))
            continue
        others = [
            f"({_must(c, schema, part, variable)} or not {_may(c, schema, part, variable)})"
            for c in parts[:index] + parts[index + 1 :]
        ]
        earlier: list[str] = []
        for child in conjunct.conditions:
            if earlier:
                decided = " and ".join(others) or "True"
                relevant = f"({reach} and not (({' or '.join(earlier)}) and {decided}))"
            else:
                relevant = reach
            yield from ((fact, relevant) for fact in facts_read(child))
            earlier.append(_must(child, schema, part, variable))


def _reach(
    guideline: Guideline, part: Mapping[Atom, str], variable: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """For each node but the leaves, in topological order: the local name that says whether
    the walk may visit it, and its expression over the key's parts."""
    schema = guideline.schema
    incoming: dict[str, list[str]] = {}
    reach: dict[str, tuple[str, str]] = {}
    for node_id in _topological(guideline):
        node = guideline.by_id[node_id]
        if not node.branches:
            continue
        terms = incoming.get(node_id, [])
        expression = "True" if node_id == guideline.root else " or ".join(terms) or "False"
        reach[node_id] = name = f"m{len(reach)}", expression
        for branch in node.branches:
            incoming.setdefault(branch.to, []).append(
                f"({name[0]} and {_may(branch.when, schema, part, variable)})"
            )
    return reach


def _may(condition: Condition, schema: Schema, part: Mapping[Atom, str], variable: Mapping[str, str]) -> str:
    """An expression that is true whenever ``condition`` may hold: it is not false on any
    consistent knowledge narrower than the atoms' values say (Kleene: a conjunction is false
    only when a part is, a disjunction when all are, a negation when its part surely holds)."""
    return _truth(condition, False, schema, part, variable)


def _must(condition: Condition, schema: Schema, part: Mapping[Atom, str], variable: Mapping[str, str]) -> str:
    """An expression that is true only when ``condition`` surely holds (`_may`'s dual)."""
    return _truth(condition, True, schema, part, variable)


def _truth(
    condition: Condition, surely: bool, schema: Schema, part: Mapping[Atom, str], variable: Mapping[str, str]
) -> str:
    """`_must` of ``condition`` when ``surely``, else `_may`."""
    if isinstance(condition, (AllOf, AnyOf)):
        joiner = " and " if isinstance(condition, AllOf) else " or "
        empty = "True" if isinstance(condition, AllOf) else "False"
        inner = [_truth(child, surely, schema, part, variable) for child in condition.conditions]
        return "(" + joiner.join(inner) + ")" if inner else empty
    if isinstance(condition, Not):
        return f"(not {_truth(condition.condition, not surely, schema, part, variable)})"
    fact = schema.fact(condition.fact)
    if isinstance(fact, Choice):
        assert isinstance(condition, Is)
        name, kind = variable[condition.fact], _reader(fact)
        if surely:
            return f"({name} == {condition.value!r})"
        # a value of another type is read as its domain reads it (str(), bool()): may be
        return f"({name} is None or {name} == {condition.value!r} or not isinstance({name}, {kind}))"
    return f"({part[condition]} is True)" if surely else f"({part[condition]} is not False)"


def _patient_json_source(guideline: Guideline) -> tuple[str, dict[str, object]]:
    """The source text of ``patient_json(facts)`` (``schema.to_json(facts)``), and its namespace:
    one dict display when every fact is known, else each known fact added in turn."""
    namespace: dict[str, object] = {}
    lines = [f"def patient_json(facts):  # {guideline.name}"]
    values: dict[str, str] = {}
    for index, fact in enumerate(guideline.schema.facts):
        name = f"v{index}"
        lines.append(f"    {name} = facts[{fact.name!r}]")
        values[name] = name
        if isinstance(fact, Subset):
            namespace[f"o_{name}"] = _Ordered(fact)  # in the schema's order (sorted: no universe)
            values[name] = f"[*o_{name}[{name}]]"
    names = [f"v{index}" for index in range(len(values))]
    every = ", ".join(
        f"{fact.name!r}: {values[name]}" for fact, name in zip(guideline.schema.facts, names, strict=True)
    )
    if names:
        lines += [
            f"    if {' and '.join(f'{name} is not None' for name in names)}:",
            f"        return {{{every}}}",
        ]
    lines.append("    patient = {}")
    for fact, name in zip(guideline.schema.facts, names, strict=True):
        lines += [f"    if {name} is not None:", f"        patient[{fact.name!r}] = {values[name]}"]
    lines.append("    return patient")
    return "\n".join(lines) + "\n", namespace


def compile_guideline(guideline: Guideline, fallback: Callable[[Facts], tuple[str, ...]]) -> Compiled:
    """Generate and load the screening, class-key and patient-JSON functions of ``guideline``.

    ``fallback(facts)``: the option ids by the walk, for a patient ``screen`` cannot settle.
    """
    source = screen_source(guideline)
    screen = load_source(source, f"<rrall screen {guideline.name}>", {"fallback": fallback})
    key_source = class_key_source(guideline)
    key = load_source(
        key_source, f"<rrall class_key {guideline.name}>", {"consistent": starts_consistent(guideline)}
    )
    json_source, namespace = _patient_json_source(guideline)
    patient = load_source(json_source, f"<rrall patient_json {guideline.name}>", namespace)
    return Compiled(
        reads=tuple(_facts_read_by(guideline)),
        source=source,
        screen=screen["screen"],  # type: ignore[arg-type]
        class_key=key["class_key"],  # type: ignore[arg-type]
        key_source=key_source,
        patient_json=patient["patient_json"],  # type: ignore[arg-type]
    )
