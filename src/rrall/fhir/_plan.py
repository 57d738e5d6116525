"""`rrall export --format fhir`: the guideline as HL7 CPG-on-FHIR knowledge artifacts (R4).

A strategy PlanDefinition (``workflow-definition``) for the whole text, whose
actions point to one recommendation PlanDefinition (``eca-rule``) per option.
Each recommendation's action carries the route condition under which the text
offers the option (FHIRPath over the patient facts, with its words), the
verbatim quotes of every node on the way as citations, and the interpretation
readings applied as justifications.
"""

from __future__ import annotations

from typing import Any

from ..engine import ALWAYS, AllOf, AnyOf, Choice, Condition, Guideline, Is, Leaf, Reading
from ..rr_all import RR_ALL
from ._write import BASE, SOURCE_DISPLAY, _citations, _condition

__all__ = ["plan_bundle", "routes"]

PLAN_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
CPG_PROFILE = "http://hl7.org/fhir/uv/cpg/StructureDefinition"
COMMON_PROCESS = "http://hl7.org/fhir/uv/cpg/CodeSystem/cpg-common-process-cs"
VERSION = "0.1.0"


def routes(guideline: Guideline) -> dict[str, list[tuple[list[Condition], list[str]]]]:
    """For each leaf, every route from the root: the branch conditions taken and the nodes passed."""
    found: dict[str, list[tuple[list[Condition], list[str]]]] = {}

    def visit(node_id: str, conditions: list[Condition], nodes: list[str]) -> None:
        node = guideline.node(node_id)
        nodes = [*nodes, node_id]
        if isinstance(node, Leaf):
            found.setdefault(node_id, []).append((conditions, nodes))
            return
        for branch in node.branches:
            visit(branch.to, conditions if branch.when == ALWAYS else [*conditions, branch.when], nodes)

    visit(guideline.root, [], [])
    return found


def _all_of(conditions: list[Condition]) -> Condition:
    flat: list[Condition] = []
    for condition in conditions:
        flat += condition.conditions if isinstance(condition, AllOf) else (condition,)
    return flat[0] if len(flat) == 1 else AllOf(tuple(flat))


def _covers_every_value(alternatives: list[Condition], guideline: Guideline) -> bool:
    """Whether the alternatives are ``fact = v`` for every value of one choice fact (so always hold)."""
    if not all(isinstance(a, Is) for a in alternatives):
        return False
    facts = {a.fact for a in alternatives if isinstance(a, Is)}
    if len(facts) != 1:
        return False
    fact = guideline.schema.fact(facts.pop())
    return isinstance(fact, Choice) and {a.value for a in alternatives if isinstance(a, Is)} == set(
        fact.values
    )


def _route_condition(paths: list[tuple[list[Condition], list[str]]], guideline: Guideline) -> Condition:
    alternatives: list[Condition] = [_all_of(conditions) for conditions, _ in paths]
    if any(condition == ALWAYS for condition in alternatives) or _covers_every_value(alternatives, guideline):
        return ALWAYS
    return alternatives[0] if len(alternatives) == 1 else AnyOf(tuple(alternatives))


def _reading_artifact(reading: Reading) -> dict[str, Any]:
    return {
        "type": "justification",
        "label": reading.id,
        "display": f"Interpretation {reading.id}: {reading.title}",
        "citation": f"Quote: “{reading.quote}” Literal reading: {reading.literal} "
        f"Chosen reading: {reading.chosen} Why: {reading.why}",
    }


def _source_artifact(guideline: Guideline) -> dict[str, Any]:
    return {"type": "documentation", "display": SOURCE_DISPLAY, "citation": guideline.title}


def _recommendation(
    guideline: Guideline, leaf: Leaf, paths: list[tuple[list[Condition], list[str]]]
) -> dict[str, Any]:
    nodes = list(dict.fromkeys(node for _, passed in paths for node in passed))
    quotes = list(dict.fromkeys(quote for node in nodes for quote in guideline.node(node).quotes))
    reading_ids = list(dict.fromkeys(r for node in nodes for r in guideline.node(node).readings))
    condition = _route_condition(paths, guideline)
    action: dict[str, Any] = {
        "id": leaf.id,
        "title": leaf.label,
        "description": (", ".join(leaf.components) if leaf.components else leaf.label)
        + (f" ({', '.join(leaf.aliases)})" if leaf.aliases else ""),
        "documentation": _citations(tuple(quotes)),
    }
    if condition != ALWAYS:
        action["condition"] = [_condition(condition, guideline)]
    pid = f"{guideline.name}-{leaf.id}"
    return {
        "resourceType": "PlanDefinition",
        "id": pid,
        "meta": {"profile": [f"{CPG_PROFILE}/cpg-recommendationdefinition"]},
        "url": f"{BASE}/PlanDefinition/{pid}",
        "version": VERSION,
        "name": "".join(part.capitalize() for part in pid.split("-")),
        "title": f"{leaf.label}: when the text offers it",
        "status": "draft",
        "experimental": True,
        "type": {"coding": [{"system": PLAN_TYPE, "code": "eca-rule"}]},
        "description": " ".join(leaf.notes)
        or f"The text offers {leaf.label} to the patients its condition describes.",
        "relatedArtifact": [_source_artifact(guideline)]
        + [_reading_artifact(guideline.reading(r)) for r in reading_ids],
        "action": [action],
    }


def _strategy_action(plan: dict[str, Any]) -> dict[str, Any]:
    """The strategy's action for one recommendation: its words, condition and citations, and a link to it."""
    recommendation = plan["action"][0]
    action = {
        "id": recommendation["id"],
        "title": recommendation["title"],
        "description": recommendation["description"],
        "code": [{"coding": [{"system": COMMON_PROCESS, "code": "guideline-based-care"}]}],
        "documentation": recommendation["documentation"],
    }
    if "condition" in recommendation:
        action["condition"] = recommendation["condition"]
    return {**action, "definitionCanonical": plan["url"]}


def plan_bundle(guideline: Guideline = RR_ALL) -> dict[str, Any]:
    """The guideline as CPG-on-FHIR knowledge artifacts, in a Bundle (type ``collection``).

    The strategy PlanDefinition (CPG StrategyDefinition, ``workflow-definition``)
    comes first, then one recommendation (CPG RecommendationDefinition,
    ``eca-rule``) per option, in the text's order; docs/fhir.md describes them.

    Args:
        guideline: The guideline; the R/R ALL text by default.

    Returns:
        The Bundle as a dict, valid FHIR R4.
    """
    found = routes(guideline)
    leaves = [leaf for leaf in guideline.leaves if leaf.id in found]
    recommendations = [_recommendation(guideline, leaf, found[leaf.id]) for leaf in leaves]
    strategy = {
        "resourceType": "PlanDefinition",
        "id": guideline.name,
        "meta": {"profile": [f"{CPG_PROFILE}/cpg-strategydefinition"]},
        "url": f"{BASE}/PlanDefinition/{guideline.name}",
        "version": VERSION,
        "name": "".join(part.capitalize() for part in guideline.name.split("-")),
        "title": guideline.title,
        "status": "draft",
        "experimental": True,
        "type": {"coding": [{"system": PLAN_TYPE, "code": "workflow-definition"}]},
        "description": guideline.disclaimer,
        "relatedArtifact": [_source_artifact(guideline)]
        + [_reading_artifact(reading) for reading in guideline.readings],
        "action": [_strategy_action(plan) for plan in recommendations],
    }
    resources = [strategy, *recommendations]
    return {
        "resourceType": "Bundle",
        "id": f"{guideline.name}-knowledge",
        "type": "collection",
        "entry": [{"fullUrl": resource["url"], "resource": resource} for resource in resources],
    }
