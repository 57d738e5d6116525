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

from ._conditions import Condition, Contains, CountAtLeast, Is, atoms, evaluate
from ._graph import Guideline
from ._knowledge import Knowledge
from ._schema import Choice, Integer, Value
from ._verify import Facts, PatientClasses, guideline_conditions, patient_classes, record
from ._walk import walk

__all__ = ["Change", "Diff", "DiffError", "diff", "diff_report", "diff_to_dict"]


class DiffError(ValueError):
    """The two versions cannot be compared (they read different facts)."""


@frozen
class Change:
    """A group of patient classes whose options change in the same way.

    ``when`` describes the classes, one line per product of fact values
    (facts not named may take any value); ``example`` is one patient of
    the group in JSON form.
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


def _outcome(facts: Facts, guideline: Guideline) -> Outcome:
    result = walk(record(facts), guideline)
    return {option.id: option.definite for option in result.options}


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


class _Describer:
    """Words for the class of one component, from the atoms that tell its classes apart."""

    def __init__(self, classes: PatientClasses, conditions: Sequence[Condition]) -> None:
        self.schema = classes.schema
        self.read = classes.read
        self.atoms = list(dict.fromkeys(atom for condition in conditions for atom in atoms(condition)))

    def fact(self, name: str, value: Value | None, knowledge: Knowledge) -> list[str]:
        fact = self.schema.fact(name)
        own = [atom for atom in self.atoms if atom.fact == name]
        if name not in self.read:
            return []
        if isinstance(fact, Choice):
            if value is None:
                return [f"{fact.label} unknown"]
            text = fact.describe(Is(name, str(value)), holds=True)
            return [f"{fact.label} {text}" if text == value else text]  # a bare value needs its label
        if isinstance(fact, Integer):
            if value is None:
                return [f"{fact.label} unknown"]
            assert isinstance(value, int)
            return [_interval(fact, *fact.range_of(value, own))]
        words = [f"{fact.label} unknown"] if value is None else []
        counts = [atom for atom in own if isinstance(atom, CountAtLeast)]
        true_counts = [a for a in counts if evaluate(a, knowledge) is True]
        false_counts = [a for a in counts if evaluate(a, knowledge) is False]
        if true_counts:
            words.append(fact.describe(max(true_counts, key=lambda a: a.bound), holds=True))
        if false_counts:
            words.append(fact.describe(min(false_counts, key=lambda a: a.bound), holds=False))
        for atom in own:
            verdict = evaluate(atom, knowledge) if isinstance(atom, Contains) else None
            if verdict is not None:
                words.append(fact.describe(atom, holds=verdict))
        return words

    def features(self, facts: Facts) -> tuple[tuple[str, ...], ...]:
        """The words for each fact (read by some condition) of one component class."""
        knowledge = Knowledge.of(self.schema, facts)
        return tuple(
            tuple(self.fact(name, value, knowledge)) for name, value in facts.items() if name in self.read
        )

    def values(self, part: Sequence[Facts], chosen: Iterable[int]) -> str:
        """Words for some classes of one component: merged fact by fact where they cover every case."""
        every = [self.features(facts) for facts in part]
        cubes = _cubes([tuple(features) for features in (every[index] for index in chosen)], every)
        shown = []
        for cube in cubes:
            words = []
            for values in cube:
                if values is None:
                    continue
                texts = sorted(" and ".join(value) for value in values)
                words.append(texts[0] if len(texts) == 1 else "(" + " or ".join(texts) + ")")
            shown.append(" and ".join(words))
        return shown[0] if len(shown) == 1 else "(" + " or ".join(shown) + ")"


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
    order = list(dict.fromkeys([leaf.id for leaf in old.leaves] + [leaf.id for leaf in new.leaves]))
    groups: dict[tuple[tuple[str, ...], ...], list[tuple[int, ...]]] = {}
    every = list(itertools.product(*(range(size) for size in sizes)))
    for key in every:
        facts: Facts = {}
        for part, index in zip(classes.parts, key, strict=True):
            facts.update(part[index])
        before, after = _outcome(facts, old), _outcome(facts, new)
        if before != after:
            groups.setdefault(_change_key(before, after, order), []).append(key)
    describer = _Describer(classes, conditions)
    changes = []
    for (added, removed, definite, conditional), keys in groups.items():
        lines = []
        for cube in _cubes(keys, product=[range(size) for size in sizes]):
            words = [
                describer.values(part, values)
                for part, values in zip(classes.parts, cube, strict=True)
                if values is not None
            ]
            lines.append("; ".join(word for word in words if word) or "every patient")
        first: Facts = {}
        for part, index in zip(classes.parts, keys[0], strict=True):
            first.update(part[index])
        changes.append(
            Change(len(keys), tuple(lines), added, removed, definite, conditional, old.schema.to_json(first))
        )
    changes.sort(key=lambda change: -change.classes)
    return Diff(old.name, new.name, len(every), sum(change.classes for change in changes), tuple(changes))


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
