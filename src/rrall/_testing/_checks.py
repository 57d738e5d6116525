"""Properties every walk should have, as plain functions that raise `AssertionError`.

They take any guideline (R/R ALL by default) and need no Hypothesis: call
them from your own tests, with patients of your own or drawn by
`rrall.testing`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping

from ..engine import (
    AllOf,
    Guideline,
    Knowledge,
    Value,
    WalkResult,
    evaluate,
    facts_read,
    to_json,
    walk,
    walk_result_to_dict,
)
from ..rr_all import RR_ALL
from ._solve import Solver, dead_routes, settle

__all__ = [
    "check_all",
    "check_conditions_hold",
    "check_deterministic",
    "check_exclusions_have_reasons",
    "check_has_options",
    "check_path_satisfiable",
    "check_refinement",
    "check_round_trip",
    "dead_paths",
]


def _shown(facts: Mapping[str, object]) -> str:
    return json.dumps(dict(facts), ensure_ascii=False, default=sorted)


def _fail(prop: str, detail: str, *patients: tuple[str, Mapping[str, object]]) -> AssertionError:
    lines = [f"{prop}: {detail}"] + [f"  {label}: {_shown(facts)}" for label, facts in patients]
    return AssertionError("\n".join(lines))


def _facts(patient: object, guideline: Guideline) -> dict[str, Value | None]:
    return guideline.schema.facts_of(patient)


def _json(patient: object, guideline: Guideline) -> dict[str, object]:
    return guideline.schema.to_json(_facts(patient, guideline))


def check_has_options(result: WalkResult) -> None:
    """Check that the walk offers at least one option, as it should to every valid patient.

    Args:
        result: A walk result.

    Raises:
        AssertionError: The walk offers nothing.

    Examples:
        >>> from rrall import Patient, walk
        >>> check_has_options(walk(Patient()))
    """
    if not result.options:
        raise _fail("no option offered", "the walk offers nothing", ("patient", result.patient))


def check_deterministic(patient: object, *, guideline: Guideline = RR_ALL) -> WalkResult:
    """Check that walking ``patient`` twice gives equal results with byte-identical JSON.

    Args:
        patient: A record, or its JSON form.
        guideline: The guideline; the R/R ALL text by default.

    Returns:
        The walk result.

    Raises:
        AssertionError: The two walks, or their JSON, differ.
    """
    first, second = walk(patient, guideline), walk(patient, guideline)
    if first != second:
        raise _fail("not deterministic", "two walks differ", ("patient", first.patient))
    one, two = (to_json(walk_result_to_dict(result)).encode() for result in (first, second))
    if one != two:
        raise _fail("not deterministic", "the JSON of two walks differs", ("patient", first.patient))
    return first


def check_round_trip(patient: object, *, guideline: Guideline = RR_ALL) -> None:
    """Check that walking the JSON form of ``patient``, after a trip through text, gives the same result.

    Args:
        patient: A record, or its JSON form.
        guideline: The guideline; the R/R ALL text by default.

    Raises:
        AssertionError: The results differ.
    """
    result = walk(patient, guideline)
    again = walk(json.loads(json.dumps(result.patient)), guideline)
    if again != result:
        raise _fail(
            "JSON round trip", "walking the JSON form gives another result", ("patient", result.patient)
        )


def check_exclusions_have_reasons(result: WalkResult, *, guideline: Guideline = RR_ALL) -> None:
    """Check that every leaf is offered or excluded, never both, and each exclusion has a reason.

    Each exclusion must give a reason, at a node above its leaf, with that
    node's quote.

    Args:
        result: A walk result.
        guideline: The guideline walked; the R/R ALL text by default.

    Raises:
        AssertionError: A leaf is lost or doubled, or an exclusion has no
            reason, a wrong node or a wrong quote.
    """
    leaves = [leaf.id for leaf in guideline.leaves]
    offered, excluded = list(result.option_ids), [item.id for item in result.excluded]
    patient = ("patient", result.patient)
    if sorted(offered + excluded) != sorted(leaves) or len(set(offered + excluded)) != len(leaves):
        both = sorted(set(offered) & set(excluded))
        lost = sorted(set(leaves) - set(offered) - set(excluded))
        raise _fail("leaves not partitioned", f"offered and excluded: {both}; neither: {lost}", patient)
    for item in result.excluded:
        if not item.reason.strip():
            raise _fail("exclusion without reason", f"{item.id} is excluded with no reason", patient)
        node = guideline.by_id.get(item.node)
        if node is None or item.id not in guideline.leaves_below[item.node]:
            raise _fail("exclusion at a wrong node", f"{item.id} is excluded at {item.node!r}", patient)
        if item.quote != node.quote:
            raise _fail("exclusion misquoted", f"{item.id}: {item.quote!r} is not {node.quote!r}", patient)


def check_conditions_hold(patient: object, result: WalkResult, *, guideline: Guideline = RR_ALL) -> None:
    """Check that every offered option's conditions fit ``patient``.

    A complete patient's options carry no conditions. A partial patient's
    conditions read only unknown facts, and some completion of the patient
    meets all of an option's conditions at once (decided exactly, with the
    schema's constraints).

    Args:
        patient: The record walked, or its JSON form.
        result: Its walk result.
        guideline: The guideline walked; the R/R ALL text by default.

    Raises:
        AssertionError: An option's conditions do not fit.
        ValueError: ``result`` is not the walk of ``patient``.
    """
    facts = _facts(patient, guideline)
    shown = guideline.schema.to_json(facts)
    if result.patient != shown:
        raise ValueError(f"the result is for {_shown(result.patient)}, not for {_shown(shown)}")
    unknown = {name for name, value in facts.items() if value is None}
    solver = Solver(guideline.schema, facts)
    for option in result.conditional:
        texts = "; ".join(requirement.text for requirement in option.conditions)
        if not unknown:
            raise _fail(
                "condition on a complete patient", f"{option.id} requires {texts}", ("patient", shown)
            )
        for requirement in option.conditions:
            if requirement.facts != facts_read(requirement.condition):
                raise _fail(
                    "wrong facts",
                    f"{option.id}: {requirement.text!r} lists {requirement.facts}",
                    ("patient", shown),
                )
            settled = sorted(set(requirement.facts) - unknown)
            if settled:
                raise _fail(
                    "condition on known facts",
                    f"{option.id} requires {requirement.text!r}, which reads known {', '.join(settled)}",
                    ("patient", shown),
                )
            if not solver.satisfiable(requirement.condition):
                raise _fail(
                    "unsatisfiable condition",
                    f"{option.id} requires {requirement.text!r}, which no completion meets",
                    ("patient", shown),
                )
        if not solver.satisfiable(AllOf(tuple(req.condition for req in option.conditions))):
            raise _fail(
                "unsatisfiable conditions",
                f"no completion meets all of {option.id}'s: {texts}",
                ("patient", shown),
            )


def check_refinement(partial: object, complete: object, *, guideline: Guideline = RR_ALL) -> None:
    """Check that knowing more facts never adds an option, nor removes a definite one.

    Every option offered to ``complete`` was offered to ``partial``, and none
    of the conditions ``partial`` was given for it is refuted by what
    ``complete`` knows; every definite option of ``partial``, and every option
    whose conditions ``complete``'s facts settle as met, is offered to
    ``complete``.

    Args:
        partial: A record, or its JSON form.
        complete: A record that agrees with every known fact of ``partial``
            and may know more (or everything).
        guideline: The guideline; the R/R ALL text by default.

    Raises:
        AssertionError: Knowing more changed the options wrongly.
        ValueError: ``complete`` does not extend ``partial``.
    """
    less, more = _facts(partial, guideline), _facts(complete, guideline)
    pair = (("partial", guideline.schema.to_json(less)), ("complete", guideline.schema.to_json(more)))
    differ = [name for name, value in less.items() if value is not None and more[name] != value]
    if differ:
        raise ValueError(f"the second patient does not extend the first: they differ on {', '.join(differ)}")
    before, after = walk(partial, guideline), walk(complete, guideline)
    known = settle(Knowledge.of(guideline.schema, more))
    added = [option for option in after.option_ids if option not in before.option_ids]
    if added:
        raise _fail("knowing more added options", ", ".join(added), *pair)
    for option in before.options:
        verdicts = [evaluate(requirement.condition, known) for requirement in option.conditions]
        offered = option.id in after.option_ids
        if option.definite and not offered:
            raise _fail("knowing more removed a definite option", option.id, *pair)
        if offered and False in verdicts:
            refuted = [
                req.text for req, verdict in zip(option.conditions, verdicts, strict=True) if verdict is False
            ]
            raise _fail(
                "offered although its conditions fail",
                f"{option.id} was offered to the partial patient if {'; '.join(refuted)}, which the "
                "complete patient's facts refute, yet it is offered to the complete patient",
                *pair,
            )
        if not offered and all(verdict is True for verdict in verdicts):
            raise _fail(
                "withdrawn although its conditions hold",
                f"{option.id} was offered to the partial patient if "
                f"{'; '.join(req.text for req in option.conditions)}, which the complete patient meets, "
                "yet it is not offered to the complete patient",
                *pair,
            )


def check_path_satisfiable(case: object, *, guideline: Guideline = RR_ALL) -> None:
    """Check that a route's conditions can all hold: its patient meets them, and the walk follows it.

    Args:
        case: A `PathCase` (anything with ``nodes``, ``leaf``, ``conditions``
            and ``patient``).
        guideline: The guideline; the R/R ALL text by default.

    Raises:
        AssertionError: The route is not one of the guideline's, its conditions
            contradict each other, the patient does not meet them, or the walk
            does not take the route to the leaf.
    """
    nodes: tuple[str, ...] = case.nodes  # type: ignore[attr-defined]
    leaf: str = case.leaf  # type: ignore[attr-defined]
    conditions = tuple(case.conditions)  # type: ignore[attr-defined]
    patient: object = case.patient  # type: ignore[attr-defined]
    facts = _facts(patient, guideline)
    shown = ("patient", guideline.schema.to_json(facts))
    route = " → ".join(nodes)
    if not nodes or nodes[0] != guideline.root or nodes[-1] != leaf:
        raise _fail("not a root-to-leaf route", route, shown)
    edges = list(itertools.pairwise(nodes))
    if len(conditions) != len(edges):
        raise _fail("conditions do not match the route", f"{len(conditions)} for {len(edges)} edges", shown)
    for (source, target), condition in zip(edges, conditions, strict=True):
        if not guideline.graph.has_edge(source, target):
            raise _fail("not a route", f"no edge {source} → {target}", shown)
        if guideline.graph.edges[source, target]["branch"].when != condition:
            raise _fail("conditions do not match the route", f"edge {source} → {target}", shown)
    if not Solver(guideline.schema).satisfiable(AllOf(conditions)):
        raise _fail("unsatisfiable route", f"no patient meets every condition of {route}", shown)
    known = settle(Knowledge.of(guideline.schema, facts))
    for (source, target), condition in zip(edges, conditions, strict=True):
        if evaluate(condition, known) is not True:
            raise _fail(
                "patient leaves the route", f"the patient does not meet the edge {source} → {target}", shown
            )
    result = walk(patient, guideline)
    steps = {step.node: step for step in result.path}
    for source, target in edges:
        if source not in steps or target not in steps[source].taken:
            raise _fail("walk leaves the route", f"the walk does not take {source} → {target}", shown)
    if leaf not in result.option_ids:
        raise _fail("walk misses the leaf", f"{leaf} is not offered at the end of {route}", shown)


def dead_paths(*, guideline: Guideline = RR_ALL) -> tuple[tuple[str, ...], ...]:
    """The routes of ``guideline`` that no patient can follow: their conditions contradict.

    Args:
        guideline: The guideline; the R/R ALL text by default.

    Returns:
        Each dead route as a tuple of node ids.

    Examples:
        >>> dead_paths()  # doctest: +NORMALIZE_WHITESPACE
        (('ph-status', 'ph-positive', 'ph-negative-regimens', 'combination-regimens',
          'vincristine-liposome'),)
    """
    return tuple(route.nodes for route in dead_routes(guideline))


def check_all(patient: object, *, guideline: Guideline = RR_ALL) -> WalkResult:
    """Run every check that needs only one patient, and return its walk result.

    That is `check_deterministic`, `check_has_options`,
    `check_exclusions_have_reasons`, `check_conditions_hold` and
    `check_round_trip`.

    Args:
        patient: A record, or its JSON form.
        guideline: The guideline; the R/R ALL text by default.

    Returns:
        The walk result.

    Raises:
        AssertionError: A check fails.

    Examples:
        >>> from rrall import Patient
        >>> check_all(Patient(ph="negative", age=30)).option_ids[:2]
        ('blinatumomab', 'inotuzumab-ozogamicin')
    """
    result = check_deterministic(patient, guideline=guideline)
    check_has_options(result)
    check_exclusions_have_reasons(result, guideline=guideline)
    check_conditions_hold(patient, result, guideline=guideline)
    check_round_trip(patient, guideline=guideline)
    return result
