"""Declarative conditions over named facts, evaluated in three-valued logic.

A condition never holds a function: it is data that can be evaluated, described
in words, serialised, enumerated and compiled. Evaluation is against
`Knowledge` (what is known or can be inferred about each fact), and returns
True, False or None for "depends on facts that are not known".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol, Union

from attrs import field, fields, frozen

if TYPE_CHECKING:
    from ._knowledge import Knowledge
    from ._schema import Schema

__all__ = [
    "ALWAYS",
    "NEVER",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "AtMost",
    "Condition",
    "Contains",
    "CountAtLeast",
    "Is",
    "Not",
    "atoms",
    "condition_from_dict",
    "condition_to_dict",
    "describe",
    "evaluate",
    "facts_read",
    "residual",
]


@frozen
class Is:
    """The choice fact ``fact`` has the value ``value`` (True or False for a true/false fact)."""

    fact: str
    value: str | bool


@frozen
class AtLeast:
    """The number fact ``fact`` (whole or decimal) is ``bound`` or more."""

    fact: str
    bound: int | float


@frozen
class AtMost:
    """The number fact ``fact`` (whole or decimal) is ``bound`` or less."""

    fact: str
    bound: int | float


@frozen
class Contains:
    """The set fact ``fact`` contains ``item``."""

    fact: str
    item: str


@frozen
class CountAtLeast:
    """The set fact ``fact`` has ``bound`` or more members."""

    fact: str
    bound: int


@frozen
class Not:
    """The negation of ``condition``."""

    condition: Condition


def _as_tuple(conditions: tuple[Condition, ...] | list[Condition]) -> tuple[Condition, ...]:
    return tuple(conditions)


@frozen
class AllOf:
    """Every one of ``conditions`` holds; with none, it always holds."""

    conditions: tuple[Condition, ...] = field(converter=_as_tuple, default=())


@frozen
class AnyOf:
    """At least one of ``conditions`` holds; with none, it never holds."""

    conditions: tuple[Condition, ...] = field(converter=_as_tuple, default=())


Atom = Union[Is, AtLeast, AtMost, Contains, CountAtLeast]
Condition = Union[Is, AtLeast, AtMost, Contains, CountAtLeast, Not, AllOf, AnyOf]
"""Any condition: an atom on one fact, or `Not`, `AllOf`, `AnyOf` of conditions."""
ATOM_TYPES = (Is, AtLeast, AtMost, Contains, CountAtLeast)

#: The condition that always holds (an empty conjunction).
ALWAYS: Condition = AllOf(())
"""The condition that always holds (an empty conjunction)."""
#: The condition that never holds (an empty disjunction).
NEVER: Condition = AnyOf(())
"""The condition that never holds (an empty disjunction)."""


def atoms(condition: Condition) -> Iterator[Atom]:
    """Yield the atomic conditions inside ``condition``, in order."""
    if isinstance(condition, Not):
        yield from atoms(condition.condition)
    elif isinstance(condition, (AllOf, AnyOf)):
        for child in condition.conditions:
            yield from atoms(child)
    else:
        yield condition


def facts_read(condition: Condition) -> tuple[str, ...]:
    """The names of the facts ``condition`` reads, in first-use order."""
    return tuple(dict.fromkeys(atom.fact for atom in atoms(condition)))


class _Domain(Protocol):
    def evaluate(self, atom: Atom) -> bool | None: ...


class Domains(Protocol):
    """What `evaluate` reads: the values each fact can take (e.g. `Knowledge`)."""

    def domain(self, name: str) -> _Domain: ...


def evaluate(condition: Condition, knowledge: Domains) -> bool | None:
    """Kleene three-valued evaluation: None means "depends on unknown facts"."""
    if isinstance(condition, AllOf):
        result: bool | None = True
        for child in condition.conditions:
            value = evaluate(child, knowledge)
            if value is False:
                return False
            if value is None:
                result = None
        return result
    if isinstance(condition, AnyOf):
        result = False
        for child in condition.conditions:
            value = evaluate(child, knowledge)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    if isinstance(condition, Not):
        value = evaluate(condition.condition, knowledge)
        return None if value is None else not value
    return knowledge.domain(condition.fact).evaluate(condition)


def residual(condition: Condition, knowledge: Knowledge) -> Condition:
    """What is left of ``condition`` once the known facts are filled in."""
    value = evaluate(condition, knowledge)
    if value is True:
        return ALWAYS
    if value is False:
        return NEVER
    if isinstance(condition, (AllOf, AnyOf)):
        decided = bool(isinstance(condition, AllOf))
        rest = tuple(
            residual(child, knowledge)
            for child in condition.conditions
            if evaluate(child, knowledge) is not decided
        )
        return rest[0] if len(rest) == 1 else type(condition)(rest)
    if isinstance(condition, Not):
        return Not(residual(condition.condition, knowledge))
    return condition


def conjuncts(condition: Condition) -> tuple[Condition, ...]:
    """Split a condition into the parts that must all hold."""
    if isinstance(condition, AllOf):
        return tuple(part for child in condition.conditions for part in conjuncts(child))
    return (condition,)


def describe(condition: Condition, schema: Schema, *, nested: bool = False) -> str:
    """``condition`` in words a clinician reads, using the schema's labels."""
    if isinstance(condition, (AllOf, AnyOf)):
        if not condition.conditions:
            return "always" if isinstance(condition, AllOf) else "never"
        joiner = " and " if isinstance(condition, AllOf) else " or "
        text = joiner.join(describe(child, schema, nested=True) for child in condition.conditions)
        return f"({text})" if nested and len(condition.conditions) > 1 else text
    if isinstance(condition, Not):
        inner = condition.condition
        if isinstance(inner, ATOM_TYPES):
            return schema.fact(inner.fact).describe(inner, holds=False)
        if isinstance(inner, Not):
            return describe(inner.condition, schema, nested=nested)
        if inner.conditions:  # De Morgan: "not (A and B)" reads as "not A or not B"
            flipped = AnyOf if isinstance(inner, AllOf) else AllOf
            return describe(flipped(tuple(Not(child) for child in inner.conditions)), schema, nested=nested)
        return f"not {describe(inner, schema, nested=True)}"
    return schema.fact(condition.fact).describe(condition, holds=True)


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    """A condition as a tagged dict, e.g. ``{"fact": "ph", "value": "negative", "type": "Is"}``."""
    tag = type(condition).__name__
    if isinstance(condition, (AllOf, AnyOf)):
        return {"conditions": [condition_to_dict(child) for child in condition.conditions], "type": tag}
    if isinstance(condition, Not):
        return {"condition": condition_to_dict(condition.condition), "type": tag}
    return {**{name: getattr(condition, name) for name in _ATOM_FIELDS[tag]}, "type": tag}


#: Each atom's fields, in the order of its dict form.
_ATOM_FIELDS = {cls.__name__: tuple(f.name for f in fields(cls)) for cls in ATOM_TYPES}


def condition_from_dict(data: object) -> Condition:
    """The inverse of `condition_to_dict`; ``ValueError`` naming what is wrong otherwise."""
    if not isinstance(data, dict):
        raise ValueError(f"a condition must be an object, got {type(data).__name__}")
    tag = data.get("type")
    if tag in ("AllOf", "AnyOf"):
        children = data.get("conditions")
        if not isinstance(children, list):
            raise ValueError(f"{tag}: 'conditions' must be a list")
        parts = tuple(condition_from_dict(child) for child in children)
        return AllOf(parts) if tag == "AllOf" else AnyOf(parts)
    if tag == "Not":
        return Not(condition_from_dict(data.get("condition")))
    if tag not in _ATOM_FIELDS:
        raise ValueError(f"unknown condition type {tag!r}")
    names = _ATOM_FIELDS[tag]
    if set(data) != {*names, "type"}:
        raise ValueError(f"{tag} has the fields {', '.join(names)}, got {', '.join(sorted(data))}")
    cls = next(cls for cls in ATOM_TYPES if cls.__name__ == tag)
    return cls(*(data[name] for name in names))
