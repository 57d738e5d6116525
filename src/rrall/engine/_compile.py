"""A guideline's declarative conditions compiled to Python, once per guideline.

The conditions are data, so they can be turned into source text: ``Is("ph",
"negative")`` becomes ``f1 == 'negative'``, ``AllOf`` becomes ``and``, and the
whole graph becomes one straight-line function of the facts that says which
leaves are reached. `compile_guideline` builds that text, compiles it with
`compile`/`exec` once, and returns a `Compiled` guideline, which
`Guideline.compiled` caches.

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

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from itertools import combinations
from typing import TYPE_CHECKING

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
    atoms,
    facts_read,
)
from ._schema import Boolean, Choice, Fact, Integer, Schema, Subset, Value

if TYPE_CHECKING:
    from ._graph import Guideline, Regimen
    from ._walk import Option, WalkResult, _ClassWalk

__all__ = [
    "Compiled",
    "CompiledBranch",
    "Facts",
    "Part",
    "by_class_source",
    "compile_conditions",
    "compile_guideline",
    "condition_source",
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
    namespace: dict[str, object] = {}
    exec(compile("\n".join(lines), "<rrall conditions>", "exec"), namespace)
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
                local[text] = f"a{len(body)}"
                body.append(f"{indent}{local[text]} = {text}")
        tests = [
            (reach[leaf_id] if condition is None else condition_source(condition, variable, local), leaf_id)
            for condition, leaf_id, _ in group
        ]
        for test, ids in _runs(tests):
            add = f"options.append({ids[0]!r})" if len(ids) == 1 else f"options += {ids!r}"
            body += [f"{indent}{add}"] if test == "True" else [f"{indent}if {test}:", f"{indent}    {add}"]
    body.append("    return tuple(options)")
    head = [f"def screen(facts):  # {guideline.name}", *_read(list(dict.fromkeys(needed)), variable, "    ")]
    return "\n".join(head + body) + "\n"


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
    guideline: Guideline, reach: dict[str, str], incoming: dict[str, list[_Term]]
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


@frozen
class Part:
    """A part of a branch condition that must hold: its test, its words, the facts it reads."""

    test: Test
    words: str
    reads: tuple[str, ...]


@frozen
class CompiledBranch:
    """A branch with its condition compiled: the whole test and its conjuncts' tests.

    ``prefix`` is how `walk` begins the reason when the branch is cut.
    """

    to: str
    test: Test
    parts: tuple[Part, ...]
    whole: Part
    prefix: str


@frozen
class Compiled:
    """A guideline compiled to Python (see the module's docstring).

    ``screen(facts)`` returns the offered option ids, exactly
    ``walk(facts, guideline).option_ids``; ``source`` is its generated text,
    for reading. ``reads`` names the facts the conditions read.

    The rest serve `walk` for patients whose every fact in ``settled`` is
    known and whose facts keep the schema's constraints (``consistent``):
    then every condition is True or False, and ``branches`` (by node id) and
    ``names`` (the facts each node's branches read; ``reading``: the same,
    branch by branch, repeats kept) replace the three-valued
    walk; ``labels`` are the facts' labels; ``leaves_below`` is
    `Guideline.leaves_below` as bit masks of ``leaf_bits``. ``counts_as`` maps each name a
    patient may have had to the leaves' drugs it counts as (the drug itself,
    or a formulation of it: "vincristine" counts as "vincristine sulfate
    liposome"). ``options`` holds each leaf's definite `Option`, built once,
    by the set of its drugs (``drug_sets``) already given (None: unknown),
    for leaves of at most 8 drugs.

    For a complete patient `walk` goes faster still: ``walk_by_class`` finds
    its class, and ``class_walks`` holds, per class met, a generated function
    that builds the result (see `rrall.engine._walk._class_walk`).
    """

    reads: tuple[str, ...]
    source: str
    screen: Callable[[Facts], tuple[str, ...]]
    settled: tuple[str, ...]
    consistent: Test
    branches: Mapping[str, tuple[CompiledBranch, ...]]
    names: Mapping[str, tuple[str, ...]]
    reading: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, str]
    #: The schema's facts by name (for the words of reasons: `Choice.clause` and the like).
    fact_by_name: Mapping[str, Fact]
    leaf_bits: Mapping[str, int]
    leaves_below: Mapping[str, int]
    counts_as: Mapping[str, tuple[str, ...]]
    drug_sets: Mapping[str, frozenset[str]]
    options: Mapping[str, Mapping[frozenset[str] | None, Option]]
    #: ``options`` by bit masks: for each name a patient may have had, the drugs it counts as
    #: (bit ``i``: the ``i``-th drug of the leaves); for each leaf, its drugs' mask and its
    #: definite options by the mask of its drugs already given.
    drug_bits: Mapping[str, int]
    masked_options: Mapping[str, tuple[int, Mapping[int, Option]]]
    #: See `by_class_source`: `walk` for a patient with every fact in ``settled`` known and
    #: the constraints kept, else None; and the patient's JSON form for those patients.
    walk_by_class: Callable[[Facts], WalkResult | None]
    patient_json: Callable[[Facts], dict[str, object]]
    by_class_source: str
    #: What each part of the key stands for: a choice fact's name, or an atom.
    key_parts: tuple[str | Atom, ...]
    #: `Schema.show` of a known value, by fact name.
    shows: Mapping[str, Callable[[Value], str]]
    #: `walk` for each class of complete patients (a `rrall.engine._walk._class_walk`), filled
    #: in by `walk` the first time it meets the class; never emptied. Every entry is a function
    #: of its key alone, so the results do not depend on what it holds.
    class_walks: dict[tuple[Value | bool, ...], _ClassWalk]


def _constraint_source(
    guideline: Guideline, variable: Mapping[str, str] | None = None
) -> tuple[str, tuple[str, ...]]:
    """The schema's constraints as one two-valued Python expression, and the facts it reads
    (fact ``name`` read as ``variable[name]``, else from ``facts``)."""
    from ._schema import SubsetOf

    read = {name: _reads(name) for name in guideline.schema.names} if variable is None else variable
    parts, reads = ["True"], []
    for constraint in guideline.schema.constraints:
        if isinstance(constraint, SubsetOf):
            parts.append(f"{read[constraint.subset]} <= {read[constraint.superset]}")
            reads += [constraint.subset, constraint.superset]
        else:
            names = [*facts_read(constraint.when), *facts_read(constraint.then)]
            variable = {name: read[name] for name in names}
            when = condition_source(constraint.when, variable)
            then = condition_source(constraint.then, variable)
            parts.append(f"(not {when} or {then})")
            reads += names
    return " and ".join(parts), tuple(dict.fromkeys(reads))


class _Ordered(dict[frozenset[str], tuple[str, ...]]):
    """A set fact's values in the schema's order, from a table built once for a small
    universe; any other value is ordered on demand (and not kept)."""

    def __init__(self, fact: Subset) -> None:
        universe = fact.universe or ()
        if len(universe) <= 10:
            for size in range(len(universe) + 1):
                for chosen in combinations(universe, size):
                    self[frozenset(chosen)] = chosen
        self.fact = fact

    def __missing__(self, value: frozenset[str]) -> tuple[str, ...]:
        return self.fact.ordered(value)


class _Shown(dict[frozenset[str], str]):
    """`Subset.show` of a set fact's values, from the same kind of table as `_Ordered`."""

    def __init__(self, fact: Subset) -> None:
        for value, ordered in _Ordered(fact).items():
            self[value] = ", ".join(ordered) or "none"
        self.fact = fact

    def __missing__(self, value: frozenset[str]) -> str:
        return self.fact.show(value)


def by_class_source(guideline: Guideline) -> tuple[str, tuple[str | Atom, ...], dict[str, object]]:
    """The source text of ``walk_by_class(facts)``, what each part of its class key stands
    for, and its namespace.

    ``walk_by_class`` returns None unless every fact in ``settled`` (the facts
    the conditions and constraints read) is known and the constraints hold:
    the patients `walk` takes the settled path for. For those it finds the
    patient's class, a tuple with, for each part: the value of a choice fact
    the conditions read (a fact name), or whether an atom on another fact
    holds (an atom); two patients of one class answer every condition alike.
    It returns the walk of the patient by the class's function in
    ``class_walks``, made by ``class_walk(facts, key)`` the first time the
    class is met (both put in the namespace by `compile_guideline`). The same
    text defines ``patient_json(facts)``: ``schema.to_json(facts)`` for those
    patients, fast.
    """
    schema = guideline.schema
    variable = {name: f"v{index}" for index, name in enumerate(schema.names)}
    reads = _facts_read_by(guideline)
    settled = list(dict.fromkeys(reads + list(_constraint_source(guideline)[1])))
    constraint, _ = _constraint_source(guideline, variable)
    parts: dict[str, str | Atom] = {
        variable[name]: name for name in reads if isinstance(schema.fact(name), Choice)
    }
    for node in guideline.nodes:
        for branch in node.branches:
            for atom in atoms(branch.when):
                if not (isinstance(atom, Is) and isinstance(schema.fact(atom.fact), Choice)):
                    parts.setdefault(_atom_source(atom, variable[atom.fact]), atom)
    namespace: dict[str, object] = {}
    lines = [f"def walk_by_class(facts):  # {guideline.name}"]
    lines += [f"    {variable[name]} = facts[{name!r}]" for name in settled]
    if settled:
        unknown = " or ".join(f"{variable[name]} is None" for name in settled)
        lines += [f"    if {unknown}:", "        return None"]
    lines += [f"    if not ({constraint}):", "        return None"]
    lines += [
        f"    key = ({''.join(text + ', ' for text in parts)})",
        "    known = class_walks.get(key)",
        "    if known is None:",
        "        known = class_walks[key] = class_walk(facts, key)",
        "    return known(facts)",
    ]
    lines += ["", "", f"def patient_json(facts):  # {guideline.name}"]
    lines += [f"    {variable[name]} = facts[{name!r}]" for name in settled]
    shown: list[str] = []
    later: list[str] = []
    for fact in schema.facts:
        name = variable[fact.name]
        value = name
        if isinstance(fact, Subset):
            namespace[f"o_{name}"] = _Ordered(fact)
            value = f"list(o_{name}[{name}])" if fact.universe is not None else f"sorted({name})"
        if fact.name in settled and not later:
            shown.append(f"{fact.name!r}: {value}")
        elif fact.name in settled:
            later.append(f"    patient[{fact.name!r}] = {value}")
        else:
            later += [
                f"    {name} = facts[{fact.name!r}]",
                f"    if {name} is not None:",
                f"        patient[{fact.name!r}] = {value}",
            ]
    lines.append(f"    patient = {{{', '.join(shown)}}}")
    lines += later
    lines.append("    return patient")
    return "\n".join(lines) + "\n", tuple(parts.values()), namespace


def _shows(schema: Schema) -> dict[str, Callable[[Value], str]]:
    """`Schema.show` of a known value, fact by fact, fast: a choice or an integer is
    shown as ``str`` gives it, a set from a `_Shown` table."""
    shows: dict[str, Callable[[Value], str]] = {}
    for fact in schema.facts:
        if isinstance(fact, Subset):
            shows[fact.name] = _Shown(fact).__getitem__  # type: ignore[assignment]
        elif isinstance(fact, (Choice, Integer)) and not isinstance(fact, Boolean):  # `show` is `str`
            shows[fact.name] = str
        else:
            shows[fact.name] = fact.show
    return shows


def _definite_options(leaf: Regimen) -> dict[frozenset[str] | None, Option]:
    """The leaf's definite option for each subset of its drugs already given (and None)."""
    from ._walk import Option

    table: dict[frozenset[str] | None, Option] = {}
    if len(leaf.drugs) > 8:
        return table
    fields = (leaf.id, leaf.label, leaf.drugs, leaf.brands, leaf.variants, leaf.notes, leaf.quotes)
    table[None] = Option(*fields, None, ())
    for size in range(len(leaf.drugs) + 1):
        for already in combinations(leaf.drugs, size):
            table[frozenset(already)] = Option(*fields, already, ())
    return table


def counts_as_drugs(guideline: Guideline) -> tuple[str, ...]:
    """Every drug of the leaves, once, in the text's order."""
    return tuple(dict.fromkeys(drug for leaf in guideline.leaves for drug in leaf.drugs))


def _masked(
    table: Mapping[frozenset[str] | None, Option], bit: Mapping[str, int]
) -> tuple[int, dict[int, Option]]:
    """A leaf's `_definite_options` table keyed by bit masks of the drugs given (not None)."""
    masked = {
        sum(bit[drug] for drug in given): option for given, option in table.items() if given is not None
    }
    return max(masked, default=0), masked


def compile_guideline(guideline: Guideline) -> Compiled:
    """Generate, compile and load the screening function and condition tests of ``guideline``."""
    from ._conditions import conjuncts, describe
    from ._walk import _class_walk, _reason_prefix, walk

    def fallback(facts: Facts) -> tuple[str, ...]:
        return walk(facts, guideline).option_ids

    source = screen_source(guideline)
    namespace: dict[str, object] = {"fallback": fallback}
    exec(compile(source, f"<rrall screen {guideline.name}>", "exec"), namespace)
    reads = tuple(_facts_read_by(guideline))
    constraint, constraint_reads = _constraint_source(guideline)
    consistent: dict[str, object] = {}
    exec(
        compile(f"def consistent(facts):\n    return {constraint}\n", "<rrall constraints>", "exec"),
        consistent,
    )

    by_class_text, key_parts, by_class = by_class_source(guideline)
    class_walks: dict[tuple[Value | bool, ...], _ClassWalk] = {}
    by_class.update(class_walks=class_walks, class_walk=partial(_class_walk, guideline))
    exec(compile(by_class_text, f"<rrall walk_by_class {guideline.name}>", "exec"), by_class)
    conditions = [b.when for node in guideline.nodes for b in node.branches]
    parts = [[*conjuncts(c)] for c in conditions]
    tests = iter(compile_conditions(conditions + [p for ps in parts for p in ps]))
    branch_tests = [next(tests) for _ in conditions]
    schema = guideline.schema
    reading = {
        node.id: tuple(n for b in node.branches for n in facts_read(b.when)) for node in guideline.nodes
    }
    bits = {leaf.id: 1 << index for index, leaf in enumerate(guideline.leaves)}
    counts_as: dict[str, tuple[str, ...]] = {}
    for drug in counts_as_drugs(guideline):
        for name in guideline.counted_names(drug):
            counts_as[name] = (*counts_as.get(name, ()), drug)
    drug_bit = {drug: 1 << index for index, drug in enumerate(counts_as_drugs(guideline))}
    options = {leaf.id: _definite_options(leaf) for leaf in guideline.leaves}
    table: dict[str, tuple[CompiledBranch, ...]] = {}
    position = 0
    for node in guideline.nodes:
        compiled = []
        for branch in node.branches:
            whole = Part(branch_tests[position], describe(branch.when, schema), facts_read(branch.when))
            split = tuple(Part(next(tests), describe(p, schema), facts_read(p)) for p in parts[position])
            compiled.append(
                CompiledBranch(
                    branch.to, whole.test, split, whole, _reason_prefix(guideline, node, branch.to)
                )
            )
            position += 1
        table[node.id] = tuple(compiled)
    return Compiled(
        reads=reads,
        source=source,
        screen=namespace["screen"],  # type: ignore[arg-type]
        settled=tuple(dict.fromkeys(reads + constraint_reads)),
        consistent=consistent["consistent"],  # type: ignore[arg-type]
        branches=table,
        names={node.id: tuple(dict.fromkeys(reading[node.id])) for node in guideline.nodes},
        reading=reading,
        labels={fact.name: fact.label for fact in schema.facts},
        fact_by_name={fact.name: fact for fact in schema.facts},
        leaf_bits=bits,
        leaves_below={
            node_id: sum(bits[leaf] for leaf in leaves) for node_id, leaves in guideline.leaves_below.items()
        },
        counts_as=counts_as,
        drug_sets={leaf.id: frozenset(leaf.drugs) for leaf in guideline.leaves},
        options=options,
        drug_bits={name: sum(drug_bit[drug] for drug in drugs) for name, drugs in counts_as.items()},
        masked_options={leaf.id: _masked(options[leaf.id], drug_bit) for leaf in guideline.leaves},
        walk_by_class=by_class["walk_by_class"],  # type: ignore[arg-type]
        patient_json=by_class["patient_json"],  # type: ignore[arg-type]
        by_class_source=by_class_text,
        key_parts=key_parts,
        shows=_shows(schema),
        class_walks=class_walks,
    )
