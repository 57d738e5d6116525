"""Hypothesis strategies for the patients of a guideline, built from its schema and graph."""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar, overload

from attrs import frozen
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from ..engine import (
    Choice,
    ChoiceDomain,
    Condition,
    Contains,
    Guideline,
    Integer,
    Knowledge,
    Measure,
    MeasureDomain,
    RangeDomain,
    Schema,
    SetDomain,
    Subset,
    SubsetOf,
    Value,
    atoms,
    facts_read,
)
from ..rr_all import RR_ALL, Patient
from ._solve import Solver, Term, TooComplex, allowed, fact_order, least, most, plan, route_plans, settle

__all__ = ["PathCase", "completions", "partial_patients", "paths", "patients"]

T = TypeVar("T")
#: Builds a guideline's record (e.g. a `rrall.Patient`) from its JSON form.
RecordBuilder = Callable[[dict[str, Any]], T]
#: One leaf id, several, or none.
Leaves = str | Iterable[str] | None
_Draw = DrawFn


@frozen
class PathCase(Generic[T]):
    """A root-to-leaf route of a guideline, and a complete patient who follows it.

    Drawn by `paths`; checked by `check_path_satisfiable`.

    Attributes:
        nodes: The node ids along the route, from the root to the leaf.
        leaf: The id of the leaf the route ends at.
        conditions: The branch condition of each edge along the route, in order.
        patient: A complete patient who meets every one of them, so a walk
            takes the route to ``leaf``.
    """

    nodes: tuple[str, ...]
    leaf: str
    conditions: tuple[Condition, ...]
    patient: T


def _record_for(guideline: Guideline, record: RecordBuilder[Any] | None) -> RecordBuilder[Any]:
    if record is not None:
        return record
    return guideline.record or dict


def _leaves(guideline: Guideline, value: Leaves, argument: str) -> tuple[str, ...]:
    if value is None:
        return ()
    chosen = (value,) if isinstance(value, str) else tuple(value)
    ids = [leaf.id for leaf in guideline.leaves]
    for leaf in chosen:
        if leaf not in ids:
            raise InvalidArgument(
                f"{argument}={leaf!r} is not a leaf of {guideline.name!r}; its leaves are {', '.join(ids)}"
            )
    return tuple(dict.fromkeys(chosen))


def _terms(
    guideline: Guideline,
    reaching: Leaves,
    avoiding: Leaves,
    facts: Mapping[str, Value | None] | None = None,
) -> tuple[Term, ...]:
    wanted = _leaves(guideline, reaching, "reaching")
    unwanted = _leaves(guideline, avoiding, "avoiding")
    try:
        terms = plan(guideline, wanted, unwanted, facts)
    except TooComplex as error:
        raise InvalidArgument(f"cannot expand the conditions: {error}") from None
    if not terms:
        asked = [f"offered {', '.join(wanted)}"] if wanted else []
        asked += [f"not offered {', '.join(unwanted)}"] if unwanted else []
        given = "" if facts is None else f" with {guideline.schema.to_json(facts)}"
        what = " and ".join(asked) or "valid"
        raise InvalidArgument(f"no complete patient of {guideline.name!r}{given} is {what}")
    return terms


def _names(guideline: Guideline, fact: Subset) -> SearchStrategy[str]:
    """Names for a set fact with no fixed universe: the guideline's own, and others."""
    named = [
        atom.item
        for node in guideline.nodes
        for branch in node.branches
        for atom in atoms(branch.when)
        if isinstance(atom, Contains) and atom.fact == fact.name
    ]
    if fact.name == guideline.history_fact:
        named += [item for leaf in guideline.leaves for item in leaf.components]
    other = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=12)
    named = list(dict.fromkeys(named))
    return st.sampled_from(named) | other if named else other


def _measures(domain: MeasureDomain) -> SearchStrategy[float]:
    """Decimals of ``domain``: its closed ends often (where conditions turn), any value inside."""
    ends = [
        end for end, opened in ((domain.low, domain.low_open), (domain.high, domain.high_open)) if not opened
    ]
    inside = st.floats(
        domain.low, domain.high, exclude_min=domain.low_open, exclude_max=domain.high_open, allow_nan=False
    )
    return st.sampled_from(ends) | inside if ends else inside


def _fresh(draw: _Draw, names: SearchStrategy[str], count: int, taken: Iterable[str]) -> list[str]:
    """``count`` distinct names, none of them in ``taken``."""
    taken = set(taken)
    size = count + len(taken)
    drawn: list[str] = draw(st.lists(names, min_size=size, max_size=size, unique=True))
    return [name for name in drawn if name not in taken][:count]


def _draw_set(
    draw: _Draw, guideline: Guideline, fact: Subset, domain: SetDomain, inners: list[SetDomain]
) -> frozenset[str]:
    """A set in ``domain`` that still leaves room for each of its subsets (``inners``)."""
    items = allowed(domain)
    pool = None if items is None else [item for item in fact.ordered(items) if item not in domain.must]
    chosen = list(fact.ordered(domain.must))
    names = _names(guideline, fact)
    for inner in inners:

        def usable(item: str, inner: SetDomain = inner) -> bool:
            return item not in inner.barred and (inner.may is None or item in inner.may)

        short = least(inner) - sum(1 for item in chosen if usable(item))
        if short <= 0:
            continue
        if pool is not None:
            candidates: list[str] | None = [item for item in pool if item not in chosen and usable(item)]
        elif inner.may is not None:
            candidates = [item for item in sorted(inner.may) if item not in chosen and usable(item)]
            candidates = [item for item in candidates if item not in domain.barred]
        else:
            candidates = None
        if candidates is None:
            chosen += _fresh(draw, names, short, set(chosen) | domain.barred | inner.barred)
        else:
            chosen += draw(st.permutations(candidates))[:short]
    low = max(least(domain), len(chosen))
    bound = most(domain)
    high = low + 3 if bound is None else bound
    size: int = draw(st.integers(low, high))
    rest = size - len(chosen)
    if rest > 0 and pool is not None:
        chosen += draw(st.permutations([item for item in pool if item not in chosen]))[:rest]
    elif rest > 0:
        chosen += _fresh(draw, names, rest, set(chosen) | domain.barred)
    return frozenset(chosen)


def _tied(schema: Schema) -> frozenset[str]:
    """The facts some constraint of ``schema`` reads."""
    names: set[str] = set()
    for constraint in schema.constraints:
        if isinstance(constraint, SubsetOf):
            names |= {constraint.subset, constraint.superset}
        else:
            names |= set(facts_read(constraint.when)) | set(facts_read(constraint.then))
    return frozenset(names)


def _draw_facts(
    draw: _Draw, guideline: Guideline, solver: Solver, term: Term, base: Mapping[str, Value | None]
) -> dict[str, Value]:
    """A complete patient's facts: those of ``base``, and the rest drawn so that ``term`` holds."""
    schema = guideline.schema
    facts: dict[str, Value] = {name: value for name, value in base.items() if value is not None}
    knowledge = solver.narrow(term.literals, settle(Knowledge.of(schema, facts)))
    tied = _tied(schema)
    for name in fact_order(schema):
        if name in facts:
            continue
        fact, domain = schema.fact(name), knowledge.domain(name)
        value: Value
        if isinstance(fact, Choice):
            assert isinstance(domain, ChoiceDomain)
            value = draw(st.sampled_from([option for option in fact.values if option in domain.possible]))
        elif isinstance(fact, Integer):
            assert isinstance(domain, RangeDomain)
            value = draw(st.integers(domain.low, domain.high))
        elif isinstance(fact, Measure):
            assert isinstance(domain, MeasureDomain)
            value = draw(_measures(domain))
        else:
            assert isinstance(domain, SetDomain)
            inners = []
            for constraint in schema.constraints:
                if isinstance(constraint, SubsetOf) and constraint.superset == name:
                    inner = knowledge.domain(constraint.subset)
                    if constraint.subset not in facts and isinstance(inner, SetDomain):
                        inners.append(inner)
            value = _draw_set(draw, guideline, fact, domain, inners)
        facts[name] = value
        if name not in tied and len(facts) < len(schema.names):
            continue  # no constraint reads it: the other facts' domains stay as they are
        knowledge = solver.narrow(term.literals, settle(Knowledge.of(schema, facts)))
        if not solver.satisfied(knowledge):  # pragma: no cover - a bug in rrall.testing, not in the caller
            raise RuntimeError(
                f"rrall.testing drew {name}={schema.show(name, value)}, after which no patient of "
                f"{guideline.name!r} meets {term.condition}; please report this"
            )
    return facts


class _Shown:
    """Stands for a value in a strategy's repr."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _named(
    name: str, guideline: Guideline, shown: Mapping[str, object], draw_value: Callable[[_Draw], T]
) -> SearchStrategy[T]:
    """A strategy drawing with ``draw_value``, whose repr is the call that made it, e.g.
    ``patients(reaching='nelarabine')``."""

    def strategy(draw: _Draw, /, **_: object) -> T:
        return draw_value(draw)

    strategy.__name__ = strategy.__qualname__ = name
    arguments = {key: value for key, value in shown.items() if value is not None}
    if guideline is not RR_ALL:
        arguments = {"guideline": _Shown(f"<Guideline {guideline.name!r}>"), **arguments}
    return st.composite(strategy)(**arguments)


def _records(
    name: str,
    guideline: Guideline,
    shown: Mapping[str, object],
    terms: tuple[Term, ...],
    base: Mapping[str, Value | None],
    record: RecordBuilder[Any],
    partial: bool,
) -> SearchStrategy[Any]:
    solver = Solver(guideline.schema)

    def draw_record(draw: _Draw) -> Any:
        term: Term = draw(st.sampled_from(terms))
        facts = _draw_facts(draw, guideline, solver, term, base)
        if partial:
            facts = {key: value for key, value in facts.items() if key in term.keep or draw(st.booleans())}
        return record(guideline.schema.to_json(facts))

    return _named(name, guideline, shown, draw_record)


@overload
def patients(*, reaching: Leaves = None, avoiding: Leaves = None) -> SearchStrategy[Patient]: ...
@overload
def patients(
    *, guideline: Guideline, reaching: Leaves = None, avoiding: Leaves = None
) -> SearchStrategy[Any]: ...
@overload
def patients(
    *,
    guideline: Guideline = ...,
    reaching: Leaves = None,
    avoiding: Leaves = None,
    record: RecordBuilder[T],
) -> SearchStrategy[T]: ...
def patients(
    *,
    guideline: Guideline = RR_ALL,
    reaching: Leaves = None,
    avoiding: Leaves = None,
    record: RecordBuilder[Any] | None = None,
) -> SearchStrategy[Any]:
    """Valid, complete patients of ``guideline``: every fact is known.

    ``reaching`` and ``avoiding`` are generated directly from the routes of
    the guideline (each fact drawn from what the routes' conditions leave it),
    not by rejecting patients, so even a rare leaf costs nothing.

    Args:
        guideline: The guideline whose schema and graph the patients follow;
            the R/R ALL text by default.
        reaching: A leaf id, or several: the walk offers each to every patient drawn.
        avoiding: A leaf id, or several: the walk offers none to any patient drawn.
        record: Builds the record from its JSON form; `Patient.from_dict` for
            R/R ALL, the JSON-form dict itself for another guideline.

    Returns:
        A strategy of complete, valid records.

    Raises:
        hypothesis.errors.InvalidArgument: A leaf id is unknown, or no patient
            fits (e.g. every patient is offered a clinical trial).

    Examples:
        >>> from hypothesis import find
        >>> from rrall import walk
        >>> patient = find(patients(reaching="nelarabine"), lambda patient: True)
        >>> patient.lineage, "nelarabine" in walk(patient).option_ids
        (<Lineage.T: 'T'>, True)
        >>> patients(avoiding="clinical-trial")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: no complete patient of 'rr-all' is not offered clinical-trial
    """
    terms = _terms(guideline, reaching, avoiding)
    shown = {"reaching": reaching, "avoiding": avoiding, "record": record}
    return _records("patients", guideline, shown, terms, {}, _record_for(guideline, record), False)


@overload
def partial_patients(*, reaching: Leaves = None, avoiding: Leaves = None) -> SearchStrategy[Patient]: ...
@overload
def partial_patients(
    *, guideline: Guideline, reaching: Leaves = None, avoiding: Leaves = None
) -> SearchStrategy[Any]: ...
@overload
def partial_patients(
    *,
    guideline: Guideline = ...,
    reaching: Leaves = None,
    avoiding: Leaves = None,
    record: RecordBuilder[T],
) -> SearchStrategy[T]: ...
def partial_patients(
    *,
    guideline: Guideline = RR_ALL,
    reaching: Leaves = None,
    avoiding: Leaves = None,
    record: RecordBuilder[Any] | None = None,
) -> SearchStrategy[Any]:
    """Valid patients of whom any subset of the facts is known (the others are None).

    Each is a complete patient with some facts hidden. With ``reaching``, the
    walk offers the leaf (perhaps only on conditions about the hidden facts);
    with ``avoiding``, it does not offer it at all: the facts that rule it out
    stay known.

    Args:
        guideline: The guideline; the R/R ALL text by default.
        reaching: A leaf id, or several, offered to every patient drawn.
        avoiding: A leaf id, or several, offered to no patient drawn.
        record: Builds the record from its JSON form, as in `patients`.

    Returns:
        A strategy of valid records with any subset of the facts known.

    Raises:
        hypothesis.errors.InvalidArgument: A leaf id is unknown, or no patient fits.

    Examples:
        >>> from hypothesis import find
        >>> from rrall import walk
        >>> patient = find(partial_patients(avoiding="dasatinib"), lambda patient: True)
        >>> "dasatinib" in walk(patient).option_ids
        False
    """
    terms = _terms(guideline, reaching, avoiding)
    shown = {"reaching": reaching, "avoiding": avoiding, "record": record}
    return _records("partial_patients", guideline, shown, terms, {}, _record_for(guideline, record), True)


@overload
def completions(
    patient: object, *, reaching: Leaves = None, avoiding: Leaves = None
) -> SearchStrategy[Patient]: ...
@overload
def completions(
    patient: object, *, guideline: Guideline, reaching: Leaves = None, avoiding: Leaves = None
) -> SearchStrategy[Any]: ...
@overload
def completions(
    patient: object,
    *,
    guideline: Guideline = ...,
    reaching: Leaves = None,
    avoiding: Leaves = None,
    record: RecordBuilder[T],
) -> SearchStrategy[T]: ...
def completions(
    patient: object,
    *,
    guideline: Guideline = RR_ALL,
    reaching: Leaves = None,
    avoiding: Leaves = None,
    record: RecordBuilder[Any] | None = None,
) -> SearchStrategy[Any]:
    """Complete patients that agree with every known fact of ``patient``.

    Args:
        patient: A record, or its JSON form.
        guideline: The guideline; the R/R ALL text by default.
        reaching: A leaf id, or several, offered to every completion drawn.
        avoiding: A leaf id, or several, offered to no completion drawn.
        record: Builds the record from its JSON form, as in `patients`.

    Returns:
        A strategy of complete, valid records extending ``patient``.

    Raises:
        hypothesis.errors.InvalidArgument: A leaf id is unknown, or no
            completion fits.

    Examples:
        >>> from hypothesis import find
        >>> from rrall import Patient
        >>> patient = find(completions(Patient(ph="positive", lineage="T")), lambda patient: True)
        >>> patient.ph, patient.lineage, patient.unknown
        (<Ph.POSITIVE: 'positive'>, <Lineage.T: 'T'>, ())
    """
    facts = guideline.schema.facts_of(patient)
    terms = _terms(guideline, reaching, avoiding, facts)
    shown = {"patient": _Shown(repr(patient)), "reaching": reaching, "avoiding": avoiding, "record": record}
    return _records("completions", guideline, shown, terms, facts, _record_for(guideline, record), False)


@overload
def paths() -> SearchStrategy[PathCase[Patient]]: ...
@overload
def paths(*, guideline: Guideline) -> SearchStrategy[PathCase[Any]]: ...
@overload
def paths(*, guideline: Guideline = ..., record: RecordBuilder[T]) -> SearchStrategy[PathCase[T]]: ...
def paths(
    *, guideline: Guideline = RR_ALL, record: RecordBuilder[Any] | None = None
) -> SearchStrategy[PathCase[Any]]:
    """Root-to-leaf routes of ``guideline``, each with a complete patient who follows it.

    Every route some patient can follow is drawn; `dead_paths` lists the others.

    Args:
        guideline: The guideline; the R/R ALL text by default.
        record: Builds the record from its JSON form, as in `patients`.

    Returns:
        A strategy of `PathCase`.

    Raises:
        hypothesis.errors.InvalidArgument: No patient follows any route.

    Examples:
        >>> from hypothesis import find
        >>> case = find(paths(), lambda case: case.leaf == "nelarabine")
        >>> case.nodes
        ('ph-status', 'ph-negative', 'ph-negative-regimens', 'combination-regimens', 'nelarabine')
    """
    live = tuple((route.nodes, route.conditions, terms) for route, terms in route_plans(guideline) if terms)
    if not live:
        raise InvalidArgument(f"no patient of {guideline.name!r} follows any route to a leaf")
    build = _record_for(guideline, record)
    solver = Solver(guideline.schema)

    def draw_case(draw: _Draw) -> PathCase[Any]:
        nodes, conditions, terms = draw(st.sampled_from(live))
        term: Term = draw(st.sampled_from(terms))
        facts = _draw_facts(draw, guideline, solver, term, {})
        return PathCase(nodes, nodes[-1], conditions, build(guideline.schema.to_json(facts)))

    return _named("paths", guideline, {"record": record}, draw_case)
