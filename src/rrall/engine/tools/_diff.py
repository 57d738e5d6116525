"""The behavioural difference between two versions of a guideline.

Both versions are walked for every equivalence class of patients under the
conditions of either (unknown being a value of every fact, as in `verify`),
and the classes whose options change are reported: options added or removed,
and options that turn definite or conditional. Classes that change alike are
grouped, and each group is described by the facts that matter: a fact whose
every class is in the group is left out.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

from attrs import frozen

from ..exceptions import DiffError
from ..model._conditions import Condition, Contains, CountAtLeast, Is, atoms, evaluate, facts_read
from ..model._graph import Guideline
from ..model._knowledge import Knowledge
from ..model._schema import Choice, Integer, Subset, Value
from ..walk._cache import walk
from ._verify import Facts, PatientClasses, _at_edges, guideline_conditions, patient_classes, record

__all__ = ["Change", "Diff", "DiffError", "diff", "diff_report", "diff_to_dict"]


@frozen
class Change:
    """A group of patient classes whose options change in the same way.

    ``when`` describes the classes, one line per product of fact values
    (facts not named may take any value); ``example`` is one patient of
    the group in JSON form, each whole number on the edge of a condition (as
    `verify`'s witnesses).
    """

    classes: int
    when: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    now_definite: tuple[str, ...]
    now_conditional: tuple[str, ...]
    example: dict[str, object]

    @property
    def summary(self) -> str:
        """The change in words, e.g. ``added: blinatumomab; removed: mopad``."""
        parts = [
            f"{what}: {', '.join(ids)}"
            for what, ids in (
                ("added", self.added),
                ("removed", self.removed),
                ("now definite", self.now_definite),
                ("now conditional", self.now_conditional),
            )
            if ids
        ]
        return "; ".join(parts)


@frozen
class Diff:
    """Every class of patients whose options differ between ``old`` and ``new``."""

    old: str
    new: str
    classes: int
    changed: int
    changes: tuple[Change, ...]

    @property
    def same(self) -> bool:
        """True when no class of patients is offered anything different."""
        return not self.changes


Outcome = dict[str, bool]  # option id -> definite


def _outcome(facts: Facts, guideline: Guideline, leaves: frozenset[str]) -> Outcome:
    result = walk(record(facts), guideline)
    return {option.id: option.definite for option in result.options if option.id in leaves}


#: Beyond this many root-to-leaf routes, every leaf is taken as changed (no shortcut).
_MOST_ROUTES = 20_000


def _routes_by_leaf(guideline: Guideline) -> dict[str, set[tuple[Condition, ...]]] | None:
    """Each leaf's routes from the root, as the conditions along them (None: too many)."""
    found: dict[str, set[tuple[Condition, ...]]] = {}
    stack: list[tuple[str, tuple[Condition, ...]]] = [(guideline.root, ())]
    count = 0
    while stack:
        node_id, route = stack.pop()
        node = guideline.by_id[node_id]
        if not node.branches:
            found.setdefault(node_id, set()).add(route)
            count += 1
            if count > _MOST_ROUTES:
                return None
        stack.extend((branch.to, (*route, branch.when)) for branch in node.branches)
    return found


def _changed_leaves(old: Guideline, new: Guideline) -> tuple[frozenset[str], list[Condition]]:
    """The leaves whose routes differ between the versions, and the conditions on those routes.

    A leaf's option (offered, and definite or not) depends only on the conditions along its
    routes and the patient's facts, so a leaf whose routes are the same in both versions is
    offered alike to every patient, and only the facts its changed routes read matter.
    """
    before, after = _routes_by_leaf(old), _routes_by_leaf(new)
    everything = guideline_conditions(old) + guideline_conditions(new)
    if before is None or after is None:
        return frozenset(before or ()) | frozenset(after or ()) | _all_leaves(old, new), everything
    changed = frozenset(leaf for leaf in before.keys() | after.keys() if before.get(leaf) != after.get(leaf))
    conditions = [
        condition
        for routes in (before, after)
        for leaf in changed
        for route in routes.get(leaf, ())
        for condition in route
    ]
    return changed, conditions


def _all_leaves(old: Guideline, new: Guideline) -> frozenset[str]:
    return frozenset(leaf.id for leaf in (*old.leaves, *new.leaves))


def _change_key(old: Outcome, new: Outcome, order: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    def ids(keep: set[str]) -> tuple[str, ...]:
        return tuple(leaf for leaf in order if leaf in keep)

    both = old.keys() & new.keys()
    return (
        ids(set(new) - set(old)),
        ids(set(old) - set(new)),
        ids({leaf for leaf in both if new[leaf] and not old[leaf]}),
        ids({leaf for leaf in both if old[leaf] and not new[leaf]}),
    )


T = TypeVar("T", bound=Hashable)
Cube = tuple["frozenset[T] | None", ...]


def _matches(item: Sequence[T], cube: Cube[T], axis: int) -> bool:
    return all(values is None or item[k] in values for k, values in enumerate(cube) if k != axis)


def _cubes(
    chosen: Sequence[tuple[T, ...]],
    universe: Sequence[tuple[T, ...]] = (),
    product: Sequence[Sequence[T]] | None = None,
) -> list[Cube[T]]:
    """``chosen`` as a union of products of value sets, exactly; None where a product takes every
    value of that axis that ``universe`` has next to the rest of it (or, when the universe is the
    whole ``product`` of the axes' values, every value of the axis)."""
    cubes: set[Cube[T]] = {tuple(frozenset({value}) for value in item) for item in chosen}
    axes = len(product) if product is not None else len(universe[0]) if universe else 0
    for axis in range(axes):
        merged: dict[Cube[T], set[T]] = {}
        for cube in cubes:
            rest = (*cube[:axis], frozenset(), *cube[axis + 1 :])  # the empty set marks the axis
            values = cube[axis]
            assert values is not None
            merged.setdefault(rest, set()).update(values)
        cubes = set()
        for rest, found in merged.items():
            if product is not None:
                possible = set(product[axis])
            else:
                possible = {item[axis] for item in universe if _matches(item, rest, axis)}
            whole = None if possible <= found else frozenset(found)
            cubes.add((*rest[:axis], whole, *rest[axis + 1 :]))
    return sorted(cubes, key=repr)


def _interval(fact: Integer, low: int, high: int) -> str:
    if low == high:
        return f"{fact.label} {low}"
    if low == fact.minimum:
        return f"{fact.label} ≤ {high}"
    if high == fact.maximum:
        return f"{fact.label} ≥ {low}"
    return f"{fact.label} {low}–{high}"


#: A fact of one class, as words to merge: ("unknown",), ("range", low, high) for a whole
#: number or a set's size (high None: no limit), or ("word", text).
Token = tuple[object, ...]


class _Describer:
    """Words for the class of one component, from the atoms that tell its classes apart."""

    def __init__(self, classes: PatientClasses, conditions: Sequence[Condition]) -> None:
        self.schema = classes.schema
        self.read = classes.read
        self.atoms = list(dict.fromkeys(atom for condition in conditions for atom in atoms(condition)))

    def fact(self, name: str, value: Value | None, knowledge: Knowledge) -> tuple[Token, ...]:
        fact = self.schema.fact(name)
        own = [atom for atom in self.atoms if atom.fact == name]
        if value is None and not isinstance(fact, Subset):
            return (("unknown",),)
        if isinstance(fact, Choice):
            text = fact.describe(Is(name, str(value)), holds=True)
            return (("word", f"{fact.label} {text}" if text == value else text),)  # a bare value: label it
        if isinstance(fact, Integer):
            assert isinstance(value, int)
            return (("range", *fact.range_of(value, own)),)
        tokens: list[Token] = [("unknown",)] if value is None else []
        counts = [atom for atom in own if isinstance(atom, CountAtLeast)]
        low = max((a.bound for a in counts if evaluate(a, knowledge) is True), default=0)
        high = min((a.bound - 1 for a in counts if evaluate(a, knowledge) is False), default=None)
        if counts and (low > 0 or high is not None):
            tokens.append(("range", low, high))
        for atom in own:
            verdict = evaluate(atom, knowledge) if isinstance(atom, Contains) else None
            if verdict is not None:
                tokens.append(("word", fact.describe(atom, holds=verdict)))
        return tuple(tokens)

    def features(self, facts: Facts) -> tuple[tuple[Token, ...], ...]:
        """The tokens for each fact (read by some condition) of one component class."""
        knowledge = Knowledge.of(self.schema, facts)
        return tuple(self.fact(name, value, knowledge) for name, value in facts.items() if name in self.read)

    def values(self, part: Sequence[Facts], chosen: Iterable[int]) -> str:
        """Words for some classes of one component: merged fact by fact where they cover every
        case, adjacent ranges joined, and alternatives another one covers left out."""
        names = [name for name in part[0] if name in self.read]
        every = [self.features(facts) for facts in part]
        cubes = _cubes([tuple(features) for features in (every[index] for index in chosen)], every)
        shown = []
        for cube in cubes:
            words = []
            for name, values in zip(names, cube, strict=True):
                if values is None:
                    continue
                texts = [self._words(name, value) for value in _simplest(values)]
                words.append(texts[0] if len(texts) == 1 else "(" + " or ".join(sorted(texts)) + ")")
            shown.append(" and ".join(words))
        shown = sorted(dict.fromkeys(shown))
        return shown[0] if len(shown) == 1 else "(" + " or ".join(shown) + ")"

    def _words(self, name: str, tokens: tuple[Token, ...]) -> str:
        fact = self.schema.fact(name)
        words = []
        for token in tokens:
            if token[0] == "unknown":
                words.append(f"{fact.label} unknown")
            elif token[0] == "word":
                words.append(str(token[1]))
            elif isinstance(fact, Integer):
                words.append(_interval(fact, int(token[1]), int(token[2])))  # type: ignore[call-overload]
            else:
                words.append(_count_words(fact.label, int(token[1]), token[2]))  # type: ignore[call-overload]
        return " and ".join(words)


def _count_words(label: str, low: int, high: object) -> str:
    if high is None:
        return f"≥ {low} {label}"
    if high == 0:
        return f"no {label}"
    if low == high:
        return f"{low} {label}"
    return f"< {int(high) + 1} {label}" if low == 0 else f"{low}–{high} {label}"  # type: ignore[call-overload]


def _simplest(values: frozenset[tuple[Token, ...]]) -> list[tuple[Token, ...]]:
    """Alternatives for one fact with adjacent ranges merged and those another covers dropped."""
    merged = set(values)
    changed = True
    while changed:
        changed = False
        for a, b in itertools.permutations(merged, 2):
            joined = _join(a, b)
            if joined is not None:
                merged -= {a, b}
                merged.add(joined)
                changed = True
                break
    return sorted((v for v in merged if not any(o != v and _covers(o, v) for o in merged)), key=repr)


def _join(a: tuple[Token, ...], b: tuple[Token, ...]) -> tuple[Token, ...] | None:
    """``a`` or ``b`` as one alternative, when they differ only in adjacent ranges."""
    rest_a = [t for t in a if t[0] != "range"]
    rest_b = [t for t in b if t[0] != "range"]
    ranges_a = [t for t in a if t[0] == "range"]
    ranges_b = [t for t in b if t[0] == "range"]
    if rest_a != rest_b or len(ranges_a) != 1 or len(ranges_b) != 1:
        return None
    (_, low_a, high_a), (_, low_b, high_b) = ranges_a[0], ranges_b[0]
    if high_a is None or int(high_a) + 1 != low_b:  # type: ignore[call-overload]
        return None
    return (*rest_a, ("range", low_a, high_b))


def _covers(wide: tuple[Token, ...], narrow: tuple[Token, ...]) -> bool:
    """Every patient ``narrow`` describes is one ``wide`` describes (each of its terms holds)."""
    for token in wide:
        if token in narrow:
            continue
        if token[0] != "range":
            return False
        inside = [
            t
            for t in narrow
            if t[0] == "range"
            and int(t[1]) >= int(token[1])  # type: ignore[call-overload]
            and (token[2] is None or (t[2] is not None and int(t[2]) <= int(token[2])))  # type: ignore[call-overload]
        ]
        if not inside:
            return False
    return True


def diff(old: Guideline, new: Guideline, *, complete_only: bool = False) -> Diff:
    """The classes of patients whose options differ between two versions of a guideline.

    Args:
        old: The version to compare from.
        new: The version to compare to; it must read the same facts (schema).
        complete_only: Compare only patients who know every fact read (faster).

    Raises:
        DiffError: The versions have different schemas.
    """
    if old.schema != new.schema:
        raise DiffError("the two versions read different facts (their schemas differ)")
    conditions = guideline_conditions(old) + guideline_conditions(new)
    classes = patient_classes(old.schema, conditions)
    if complete_only:
        classes = classes.completed()
    sizes = [len(part) for part in classes.parts]
    every = list(itertools.product(*(range(size) for size in sizes)))
    groups = _changed_groups(old, new, classes, every)
    describer = _Describer(classes, conditions)
    at_edges = _at_edges(old.schema, conditions)
    changes = [
        _change(key, keys, classes, sizes, describer, old.schema.to_json(at_edges(_facts(classes, keys[0]))))
        for key, keys in groups.items()
    ]
    changes.sort(key=lambda change: -change.classes)
    return Diff(old.name, new.name, len(every), sum(change.classes for change in changes), tuple(changes))


def _facts(classes: PatientClasses, key: tuple[int, ...]) -> Facts:
    """The facts of the class ``key`` picks, one part of the partition per fact group."""
    facts: Facts = {}
    for part, index in zip(classes.parts, key, strict=True):
        facts.update(part[index])
    return facts


def _changed_groups(
    old: Guideline, new: Guideline, classes: PatientClasses, every: list[tuple[int, ...]]
) -> dict[tuple[tuple[str, ...], ...], list[tuple[int, ...]]]:
    """The classes whose options change, grouped by how they change."""
    order = list(dict.fromkeys([leaf.id for leaf in old.leaves] + [leaf.id for leaf in new.leaves]))
    changed, read_by_changed = _changed_leaves(old, new)
    # Only the components holding facts the changed routes read can change those leaves' options:
    # classes alike on them are walked once.
    touched = {name for condition in read_by_changed for name in facts_read(condition)}
    relevant = [index for index, part in enumerate(classes.parts) if touched & set(part[0])]
    groups: dict[tuple[tuple[str, ...], ...], list[tuple[int, ...]]] = {}
    outcomes: dict[tuple[int, ...], tuple[tuple[tuple[str, ...], ...], bool]] = {}
    for key in every:
        projected = tuple(key[index] for index in relevant)
        known = outcomes.get(projected)
        if known is None:
            facts = _facts(classes, key)
            before, after = _outcome(facts, old, changed), _outcome(facts, new, changed)
            known = outcomes[projected] = (_change_key(before, after, order), before != after)
        if known[1]:
            groups.setdefault(known[0], []).append(key)
    return groups


def _change(
    how: tuple[tuple[str, ...], ...],
    keys: list[tuple[int, ...]],
    classes: PatientClasses,
    sizes: list[int],
    describer: _Describer,
    example: dict[str, object],
) -> Change:
    """One way the options change, for the classes ``keys``, described in words."""
    added, removed, definite, conditional = how
    lines = []
    for cube in _cubes(keys, product=[range(size) for size in sizes]):
        words = [
            describer.values(part, values)
            for part, values in zip(classes.parts, cube, strict=True)
            if values is not None
        ]
        lines.append("; ".join(word for word in words if word) or "every patient")
    return Change(len(keys), tuple(lines), added, removed, definite, conditional, example)


def diff_to_dict(result: Diff, old: str = "", new: str = "") -> dict[str, object]:
    """The JSON form of a diff; ``old``/``new`` name the versions as the user gave them."""
    return {
        "old": old or result.old,
        "new": new or result.new,
        "same": result.same,
        "classes": result.classes,
        "changed": result.changed,
        "changes": [
            {
                "classes": change.classes,
                "when": list(change.when),
                "added": list(change.added),
                "removed": list(change.removed),
                "now_definite": list(change.now_definite),
                "now_conditional": list(change.now_conditional),
                "example": change.example,
            }
            for change in result.changes
        ],
    }


def diff_report(result: Diff, old: str = "", new: str = "") -> str:
    """The diff in words: each group of changed classes, what changes, and an example."""
    lines = [f"Behavioural diff: {old or result.old} → {new or result.new}"]
    if result.same:
        lines.append(f"No difference: all {result.classes} classes of patients get the same options.")
        return "\n".join(lines) + "\n"
    lines.append(
        f"{result.changed} of {result.classes} classes of patients change, in {len(result.changes)} group(s)."
    )
    for number, change in enumerate(result.changes, 1):
        lines += ["", f"{number}. {change.summary} ({change.classes} classes)"]
        lines += [f"   when {line}" for line in change.when[:12]]
        if len(change.when) > 12:
            lines.append(f"   … and {len(change.when) - 12} more descriptions")
        example = ", ".join(f"{name}={value}" for name, value in change.example.items())
        lines.append(f"   e.g. {example or 'a patient with nothing known'}")
    return "\n".join(lines) + "\n"
