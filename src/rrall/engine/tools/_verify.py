"""Exhaustive verification of a guideline, over every class of patients it can tell apart.

The conditions of a guideline read finitely many facts against finitely many
thresholds, so patients fall into finitely many *equivalence classes*: two
patients in one class answer every condition alike, and the walk treats them
alike. Unknown is a value of every fact, so partly known patients have their
classes too.

The classes are built per *component*: facts linked by a schema constraint
(a `SubsetOf`, an `Implies`) are enumerated together, so that only valid
combinations are kept, and combinations whose conditions all answer alike
(their *signature*: the three-valued verdict of every atom that reads them)
count once. The classes of the whole record are the product of the
components' classes. A fact no condition reads contributes one value:
unknown.

`verify` walks every class and checks the graph: every leaf reachable (with a
witness patient), every decision exclusive and complete, no dead ends, no
cycle, every route satisfiable, every node cited, every golden case passing,
and a walk that never raises.
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import SimpleNamespace

import attrs
from attrs import field, frozen

from ..model._conditions import Atom, Condition, Contains, CountAtLeast, atoms, evaluate, facts_read
from ..model._graph import Decision, Guideline, Leaf, OptionGroup, _has_cycle
from ..model._knowledge import Knowledge, components
from ..model._schema import Integer, InvalidRecord, Schema, Subset, SubsetOf, Value
from ..walk._cache import compiled, walk
from ..walk._walk import walk_three_valued

__all__ = [
    "Check",
    "PatientClasses",
    "Verification",
    "patient_classes",
    "verification_report",
    "verification_to_dict",
    "verify",
]

Facts = dict[str, "Value | None"]


# -- Equivalence classes ------------------------------------------------------


@frozen
class PatientClasses:
    """Every class of records the given conditions can tell apart.

    ``parts`` holds, per component of linked facts, one representative
    combination of values for each class of that component; a class of the
    whole record takes one combination from each part. ``read`` names the facts
    some condition reads: a class that knows all of them is *complete*.
    """

    schema: Schema
    parts: tuple[tuple[Facts, ...], ...]
    read: frozenset[str]

    def __len__(self) -> int:
        return math.prod(len(part) for part in self.parts)

    def __iter__(self) -> Iterator[Facts]:
        for combination in itertools.product(*self.parts):
            facts: Facts = {}
            for part in combination:
                facts.update(part)
            yield facts

    def complete(self, facts: Mapping[str, Value | None]) -> bool:
        """True when ``facts`` knows every fact some condition reads."""
        return all(facts.get(name) is not None for name in self.read)

    def completed(self) -> PatientClasses:
        """Only the complete classes: those that know every fact some condition reads."""
        parts = tuple(
            tuple(
                facts for facts in part if all(facts[name] is not None for name in facts if name in self.read)
            )
            for part in self.parts
        )
        return PatientClasses(self.schema, parts, self.read)

    def projected(self, names: Iterable[str]) -> Iterator[Facts]:
        """The classes of only the components holding ``names`` (others left unknown)."""
        wanted = set(names)
        parts = [part for part in self.parts if wanted & set(part[0])]
        for combination in itertools.product(*parts):
            facts: Facts = {}
            for part in combination:
                facts.update(part)
            yield facts


def _constraint_atoms(schema: Schema) -> list[Atom]:
    found: list[Atom] = []
    for constraint in schema.constraints:
        if not isinstance(constraint, SubsetOf):
            found += [*atoms(constraint.when), *atoms(constraint.then)]
    return found


def _set_pool(schema: Schema, names: Sequence[str], reading: Sequence[Atom]) -> list[str]:
    """Items enough to realise every answer of the atoms on the component's set facts."""
    named = list(dict.fromkeys(a.item for a in reading if isinstance(a, Contains) and a.fact in names))
    most = max((a.bound for a in reading if isinstance(a, CountAtLeast) and a.fact in names), default=0)
    fillers: list[str] = []
    for name in names:
        fact = schema.fact(name)
        if isinstance(fact, Subset):
            universe = fact.universe or tuple(f"other-{index}" for index in range(1, most + 1))
            fillers += [item for item in universe if item not in named and item not in fillers]
    return named + fillers[:most]


def _candidates(schema: Schema, name: str, reading: Sequence[Atom], pool: Sequence[str]) -> tuple[Value, ...]:
    fact = schema.fact(name)
    own = [atom for atom in reading if atom.fact == name]
    if not isinstance(fact, Subset):
        return fact.representatives(own)
    subsets = (
        frozenset(chosen) for size in range(len(pool) + 1) for chosen in itertools.combinations(pool, size)
    )
    return tuple(value for value in subsets if not _is_problem(fact.parse(value)))


def _is_problem(parsed: object) -> bool:
    return not isinstance(parsed, (str, int, frozenset))


def _component_classes(schema: Schema, names: Sequence[str], conditions: Sequence[Atom]) -> tuple[Facts, ...]:
    reading = [atom for atom in conditions if atom.fact in names]
    if not reading:  # no condition reads these facts: one class, unknown
        return ({name: None for name in names},)
    every = reading + [atom for atom in _constraint_atoms(schema) if atom.fact in names]
    pool = _set_pool(schema, names, every)
    choices = [(*_candidates(schema, name, every, pool), None) for name in names]
    best: dict[tuple[bool | None, ...], Facts] = {}
    for values in itertools.product(*choices):
        facts: Facts = dict(zip(names, values, strict=True))
        try:
            schema.parse(schema.to_json(facts))
        except InvalidRecord:
            continue
        knowledge = Knowledge.of(schema, facts)
        signature = tuple(evaluate(atom, knowledge) for atom in reading)
        known = sum(value is not None for value in values)
        kept = best.get(signature)
        if kept is None or known > sum(value is not None for value in kept.values()):
            best[signature] = facts
    return tuple(best.values())


def patient_classes(schema: Schema, conditions: Iterable[Condition]) -> PatientClasses:
    """The equivalence classes of records under ``conditions`` (with unknown as a value).

    Args:
        schema: The facts and the constraints between them.
        conditions: Every condition that may read a record (for a guideline, its
            branch conditions; for a diff, both versions').
    """
    found = list(dict.fromkeys(atom for condition in conditions for atom in atoms(condition)))
    parts = tuple(_component_classes(schema, names, found) for names in components(schema))
    return PatientClasses(schema, parts, frozenset(atom.fact for atom in found))


def _at_edges(schema: Schema, conditions: Iterable[Condition]) -> Callable[[Facts], Facts]:
    """Shows a class by a record with each whole number on the edge of a condition.

    A class holds every whole number of a range between two cuts of the atoms,
    and stands for it by the range's bottom, which for the first range is the
    schema's minimum (an age of 0). Shown instead is the top of the range, the
    last value before the next cut (an age of 17, the last before 18), or the
    bottom of the last range, itself a cut: always a value where a condition
    turns, so the one a reviewer checks. Every value of a range is in its class.
    """
    reading = [*(atom for condition in conditions for atom in atoms(condition)), *_constraint_atoms(schema)]
    integers = {fact.name: fact for fact in schema.facts if isinstance(fact, Integer)}

    def shown(facts: Facts) -> Facts:
        moved = dict(facts)
        for name, fact in integers.items():
            value = facts.get(name)
            if isinstance(value, int):
                low, high = fact.range_of(value, (atom for atom in reading if atom.fact == name))
                moved[name] = low if high == fact.maximum else high
        return moved

    return shown


def guideline_conditions(guideline: Guideline) -> list[Condition]:
    """Every branch condition of ``guideline``."""
    return [branch.when for node in guideline.nodes for branch in node.branches]


def record(facts: Mapping[str, Value | None]) -> SimpleNamespace:
    """A record object for `walk` (already valid: no need to parse it again)."""
    return SimpleNamespace(**facts)


# -- The result ---------------------------------------------------------------


@frozen
class Check:
    """One property of the guideline, whether it holds, and the evidence."""

    name: str
    ok: bool
    detail: str


@frozen
class Verification:
    """The outcome of `verify`: every check over every class of patients.

    ``witnesses`` gives, for each leaf, a complete patient (JSON form) the
    text offers it to, each whole number on the edge of a condition. ``notes``
    are findings that do not fail the guideline.
    """

    guideline: str
    classes: int
    complete: int
    checks: tuple[Check, ...]
    witnesses: dict[str, dict[str, object]]
    notes: tuple[str, ...] = ()
    seconds: float = field(default=0.0, eq=False)

    @property
    def ok(self) -> bool:
        """True when every check holds."""
        return all(check.ok for check in self.checks)

    def check(self, name: str) -> Check:
        """The check called ``name``; ``KeyError`` if there is none."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)


# -- The checks ---------------------------------------------------------------


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _shown(schema: Schema, facts: Mapping[str, Value | None]) -> str:
    known = schema.to_json({name: value for name, value in facts.items()})
    return "{" + ", ".join(f"{name}: {value}" for name, value in known.items()) + "}" if known else "{}"


def _check_acyclic(guideline: Guideline) -> Check:
    edges = {node.id: list(dict.fromkeys(branch.to for branch in node.branches)) for node in guideline.nodes}
    if not _has_cycle(edges):  # plain Python: networkx takes longer to import than verify to run
        count = sum(len(targets) for targets in edges.values())
        return Check("acyclic", True, f"{len(edges)} nodes, {count} edges, no cycle")
    import networkx as nx  # only to name the cycle (a built guideline has none: it is checked)

    cycle = " -> ".join(edge[0] for edge in nx.find_cycle(guideline.graph))
    return Check("acyclic", False, f"cycle: {cycle}")


def _check_citations(guideline: Guideline) -> Check:
    source = _normalise(guideline.source)
    bad = [
        node.id
        for node in guideline.nodes
        if not node.quotes or any(not q.strip() or _normalise(q) not in source for q in node.quotes)
    ]
    if bad:
        return Check("citations", False, f"quotes missing from the source: {', '.join(bad)}")
    quotes = sum(len(node.quotes) for node in guideline.nodes)
    return Check("citations", True, f"all {quotes} quotes of {len(guideline.nodes)} nodes are in the source")


def _routes(guideline: Guideline) -> Iterator[tuple[list[str], bool]]:
    """Every root-to-leaf route, and whether its conditions can all hold together."""
    stack = [([guideline.root], Knowledge.of(guideline.schema, {}))]
    while stack:
        route, knowledge = stack.pop()
        node = guideline.by_id[route[-1]]
        if isinstance(node, Leaf):
            yield route, True
            continue
        for branch in reversed(node.branches):
            narrowed = knowledge.assume(branch.when)
            if narrowed.consistent:
                stack.append(([*route, branch.to], narrowed))
            else:
                yield [*route, branch.to], False


def _check_routes(guideline: Guideline) -> tuple[Check, tuple[str, ...]]:
    """Every edge and leaf lies on a route some patient can follow.

    A route through a shared subgraph may be unsatisfiable on purpose (a guard
    inside it that only patients from one parent meet): that is a note. An
    edge that lies on no satisfiable route at all is dead, and fails.
    """
    routes = list(_routes(guideline))
    live = {(a, b) for route, ok in routes if ok for a, b in itertools.pairwise(route)}
    edges = [(node.id, branch.to) for node in guideline.nodes for branch in node.branches]
    dead = [f"{a} -> {b}" for a, b in edges if (a, b) not in live]
    notes = tuple(
        f"no patient follows the route {' -> '.join(route)} (each of its edges is used by another route)"
        for route, ok in routes
        if not ok
    )
    if dead:
        return Check("routes", False, f"edges on no satisfiable route: {'; '.join(dead)}"), notes
    return Check(
        "routes",
        True,
        f"every edge lies on a satisfiable route ({len(routes) - len(notes)} of {len(routes)} routes)",
    ), notes


def _check_decisions(guideline: Guideline, classes: PatientClasses) -> Check:
    problems: list[str] = []
    decisions = [node for node in guideline.nodes if isinstance(node, Decision)]
    for decision in decisions:
        reads = {name for branch in decision.branches for name in facts_read(branch.when)}
        for facts in classes.projected(reads):
            knowledge = Knowledge.of(guideline.schema, facts)
            verdicts = [evaluate(branch.when, knowledge) for branch in decision.branches]
            surely, maybe = verdicts.count(True), len(verdicts) - verdicts.count(False)
            known = all(facts.get(name) is not None for name in reads)
            if surely > 1 or maybe == 0 or (known and surely != 1):
                verdict = "no branch" if maybe == 0 or surely == 0 else f"{surely} branches"
                problems.append(f"{decision.id!r} gives {verdict} for {_shown(guideline.schema, facts)}")
    if problems:
        return Check("decisions", False, "; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))
    return Check(
        "decisions",
        True,
        f"each of {len(decisions)} decisions takes exactly one branch for every complete class",
    )


def _check_golden(guideline: Guideline) -> Check:
    if not guideline.golden:
        return Check("golden", True, "no golden cases stored")
    leaf_ids = {leaf.id for leaf in guideline.leaves}
    problems: list[str] = []
    for case in guideline.golden:
        unknown = [i for i in (*case.offered, *case.conditional, *case.not_offered) if i not in leaf_ids]
        if unknown:
            problems.append(f"{case.name!r} names unknown leaves {unknown}")
            continue
        try:
            result = walk(case.patient, guideline)
        except (InvalidRecord, KeyError) as error:
            problems.append(f"{case.name!r}: invalid patient ({error})")
            continue
        problems += [f"{case.name!r} {failure}" for failure in case.failures(result)]
    covered = {leaf for case in guideline.golden for leaf in case.offered}
    missing = [leaf.id for leaf in guideline.leaves if leaf.id not in covered]
    if missing:
        problems.append(f"no golden case offers {', '.join(missing)}")
    if problems:
        return Check("golden", False, "; ".join(problems))
    return Check("golden", True, f"all {len(guideline.golden)} golden cases pass; every leaf has one")


@frozen
class _Walked:
    """What walking the classes found: a witness per leaf, the nodes that took no branch
    (with their classes), the complete classes with no option, and what raised."""

    witnesses: dict[str, dict[str, object]]
    stuck: dict[str, list[Facts]]
    empty: list[str]
    crashes: list[str]
    complete: int


@frozen
class _Outcome:
    """What the checks read of one walk: whether it offers anything, the options it offers
    whatever the unknown facts are, and the nodes where it took no branch."""

    offers: bool
    definite: tuple[str, ...]
    stuck: tuple[str, ...]


def _walk_classes(
    guideline: Guideline, classes: PatientClasses, at_edges: Callable[[Facts], Facts], *, thorough: bool
) -> _Walked:
    """Walk each complete class (every class, when ``thorough``) once with the definition
    itself (`walk_three_valued`), but for classes the walk cannot tell apart: two classes
    with one `Compiled.class_key` are walked alike (the same options, branches and cuts; the
    key is exact, and tested so against the definition), so the first one's outcome stands
    for both. A class whose walk raised is no class's stand-in: each is walked."""
    schema = guideline.schema
    walked = _Walked({}, {}, [], [], 0)
    key_of = compiled(guideline).class_key
    outcomes: dict[tuple[object, ...], _Outcome] = {}
    for facts in classes if thorough else classes.completed():
        key = key_of(facts)
        outcome = outcomes.get(key)
        if outcome is None:
            try:
                result = walk_three_valued(guideline, facts)
            except Exception as error:  # the check is that nothing escapes
                walked.crashes.append(f"{_shown(schema, at_edges(facts))}: {type(error).__name__}: {error}")
                continue
            outcome = outcomes[key] = _Outcome(
                bool(result.options),
                tuple(option.id for option in result.definite),
                tuple(step.node for step in result.path if not step.taken),
            )
        if not classes.complete(facts):
            continue
        walked = attrs.evolve(walked, complete=walked.complete + 1)
        if not outcome.offers:
            walked.empty.append(_shown(schema, at_edges(facts)))
        for option in outcome.definite:
            if option not in walked.witnesses:
                walked.witnesses[option] = schema.to_json(at_edges(facts))
        for node in outcome.stuck:
            walked.stuck.setdefault(node, []).append(facts)
    return walked


def _check_walk(walked: _Walked, classes: int, thorough: bool) -> Check:
    return Check(
        "walk",
        not walked.crashes,
        "; ".join(walked.crashes[:3])
        or f"the walk returns for all {classes if thorough else walked.complete} "
        + ("classes" if thorough else "complete classes (--thorough: every class)"),
    )


def _check_dead_ends(guideline: Guideline, walked: _Walked, at_edges: Callable[[Facts], Facts]) -> Check:
    schema, stuck, empty = guideline.schema, walked.stuck, walked.empty
    deciding = [node for node in stuck if isinstance(guideline.by_id[node], Decision)]
    dead = [f"{len(empty)} complete class(es) get no option, e.g. {empty[0]}"] if empty else []
    dead += [
        f"decision {node!r} takes no branch for {_shown(schema, at_edges(stuck[node][0]))}"
        for node in deciding
    ]
    return Check(
        "dead ends",
        not dead,
        "; ".join(dead) or f"every one of {walked.complete} complete classes gets an option",
    )


def verify(guideline: Guideline, *, thorough: bool = False) -> Verification:
    """Check ``guideline`` over every equivalence class of patients (exhaustive, not sampled).

    Every class, unknown facts included, meets the decision check in
    three-valued logic; the complete classes are walked for the witnesses and
    the dead ends. With ``thorough`` the walk is also run on every class with
    unknown facts, to show it returns for each (about 10 s for R/R ALL,
    against well under a second without).

    Args:
        guideline: The guideline to check.
        thorough: Also walk every class that has unknown facts.

    Returns:
        A `Verification`: ``ok``, the number of classes, each check with its
        evidence, and a witness patient per leaf.
    """
    started = time.perf_counter()
    schema = guideline.schema
    conditions = guideline_conditions(guideline)
    classes = patient_classes(schema, conditions)
    at_edges = _at_edges(schema, conditions)
    routes, route_notes = _check_routes(guideline)
    checks = [_check_acyclic(guideline), _check_citations(guideline), routes]
    checks.append(_check_decisions(guideline, classes))

    walked = _walk_classes(guideline, classes, at_edges, thorough=thorough)
    witnesses, stuck, complete = walked.witnesses, walked.stuck, walked.complete
    checks += [_check_walk(walked, len(classes), thorough), _check_dead_ends(guideline, walked, at_edges)]
    unreached = [leaf.id for leaf in guideline.leaves if leaf.id not in witnesses]
    checks.append(
        Check(
            "reachable",
            not unreached,
            f"no complete patient is offered {', '.join(unreached)}"
            if unreached
            else f"each of {len(guideline.leaves)} leaves has a witness patient",
        )
    )
    checks.append(_check_golden(guideline))
    notes = route_notes + tuple(
        f"option group {node!r} offers nothing for {len(stuck[node])} complete class(es), "
        f"e.g. {_shown(schema, at_edges(stuck[node][0]))}"
        for node in stuck
        if isinstance(guideline.by_id[node], OptionGroup)
    )
    ordered = {leaf.id: witnesses[leaf.id] for leaf in guideline.leaves if leaf.id in witnesses}
    return Verification(
        guideline=guideline.name,
        classes=len(classes),
        complete=complete,
        checks=tuple(checks),
        witnesses=ordered,
        notes=notes,
        seconds=time.perf_counter() - started,
    )


# -- Output -------------------------------------------------------------------


def verification_to_dict(verification: Verification) -> dict[str, object]:
    """The JSON form: ``{"ok", "classes", "checks", "witnesses", ...}``."""
    return {
        "guideline": verification.guideline,
        "ok": verification.ok,
        "classes": verification.classes,
        "complete": verification.complete,
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in verification.checks],
        "witnesses": verification.witnesses,
        "notes": list(verification.notes),
    }


def verification_report(verification: Verification) -> str:
    """A readable report: each check, the notes, and a witness per leaf."""
    verdict = "OK" if verification.ok else "FAILED"
    lines = [
        f"Verification of {verification.guideline}: {verdict}",
        f"{verification.classes} equivalence classes of patients ({verification.complete} complete), "
        f"checked in {verification.seconds:.2f} s",
        "",
    ]
    for check in verification.checks:
        lines.append(f"  [{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}")
    if verification.notes:
        lines += ["", "Notes (not failures):"]
        lines += [f"  - {note}" for note in verification.notes]
    lines += ["", "Witnesses (a complete patient offered each leaf):"]
    for leaf, patient in verification.witnesses.items():
        shown = ", ".join(f"{name}={value}" for name, value in patient.items())
        lines.append(f"  {leaf}: {shown}")
    return "\n".join(lines) + "\n"
