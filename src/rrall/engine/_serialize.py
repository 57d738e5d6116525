"""Dict/JSON forms of conditions, walk results and guidelines, through cattrs."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from ._conditions import Condition
from ._graph import Guideline
from ._result import Exclusion, Option, Requirement, Step, WalkResult
from ._schema import Constraint, Fact, Schema

__all__ = [
    "condition_from_dict",
    "condition_to_dict",
    "converter",
    "guideline_to_dict",
    "schema_from_dict",
    "schema_to_dict",
    "to_json",
    "walk_result_to_dict",
]

converter = cattrs.Converter(forbid_extra_keys=True)
configure_tagged_union(Condition, converter, tag_name="type")
configure_tagged_union(Fact, converter, tag_name="type")
configure_tagged_union(Constraint, converter, tag_name="type")


converter.register_unstructure_hook_func(
    lambda cls: isinstance(cls, type) and issubclass(cls, Enum), lambda member: member.value
)
converter.register_unstructure_hook(
    Requirement,
    make_dict_unstructure_fn(
        Requirement, converter, condition=override(unstruct_hook=lambda c: condition_to_dict(c))
    ),
)
converter.register_unstructure_hook(
    Step,
    lambda step: {
        "node": step.node,
        "kind": step.kind,
        "label": step.label,
        "read": dict(step.read),
        "taken": list(step.taken),
        "quote": step.quote,
    },
)


def _typed_step(step: Step, patient: dict[str, Any]) -> dict[str, Any]:
    """A path step in JSON: each fact read with its typed value from the patient (null: unknown)."""
    data: dict[str, Any] = converter.unstructure(step)
    data["read"] = {name: patient.get(name) for name, _ in step.read}
    return data


converter.register_unstructure_hook(
    WalkResult,
    lambda result: {
        "guideline": result.guideline,
        "patient": result.patient,
        "options": converter.unstructure(list(result.options), list[Option]),
        "excluded": converter.unstructure(list(result.excluded), list[Exclusion]),
        "missing": list(result.missing),
        "path": [_typed_step(step, result.patient) for step in result.path],
    },
)


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    """A condition as a tagged dict, e.g. ``{"type": "Is", "fact": "ph", "value": "negative"}``."""
    return converter.unstructure(condition, Condition)  # type: ignore[no-any-return]


def condition_from_dict(data: object) -> Condition:
    """The inverse of `condition_to_dict`."""
    return converter.structure(data, Condition)  # type: ignore[arg-type]


def walk_result_to_dict(result: WalkResult) -> dict[str, Any]:
    """A walk result in its JSON form."""
    return converter.unstructure(result)  # type: ignore[no-any-return]


def guideline_to_dict(guideline: Guideline) -> dict[str, Any]:
    """The guideline as ``{"nodes": [...], "edges": [...]}`` plus its facts and register."""
    nodes = []
    for node in guideline.nodes:
        data: dict[str, Any] = {"id": node.id, "kind": node.kind, "label": node.label, "quote": node.quote}
        data.update(
            {
                key: list(value) if isinstance(value, tuple) else value
                for key, value in converter.unstructure(node).items()
                if key not in ("id", "label", "branches")
            }
        )
        nodes.append(data)
    edges = [
        {
            "source": node.id,
            "target": branch.to,
            "label": guideline.edge_label(branch),
            "when": condition_to_dict(branch.when),
            **({"quote": branch.quote} if branch.quote else {}),
        }
        for node in guideline.nodes
        for branch in node.branches
    ]
    return {
        "name": guideline.name,
        "title": guideline.title,
        "root": guideline.root,
        "nodes": nodes,
        "edges": edges,
        "readings": converter.unstructure(list(guideline.readings)),
        "disclaimer": guideline.disclaimer,
        # What `rrall diff` needs to build the guideline back (engine/_load.py).
        "history_fact": guideline.history_fact,
        "not_options": list(guideline.not_options),
        "schema": schema_to_dict(guideline.schema),
        "source": guideline.source,
    }


def schema_to_dict(schema: Schema) -> dict[str, Any]:
    """A schema as ``{"facts": [...], "constraints": [...]}``, each tagged by ``"type"``."""
    return {
        "facts": converter.unstructure(list(schema.facts), list[Fact]),
        "constraints": converter.unstructure(list(schema.constraints), list[Constraint]),
    }


def schema_from_dict(data: object) -> Schema:
    """The inverse of `schema_to_dict`."""
    return converter.structure(data, Schema)


def to_json(data: object) -> str:
    """Deterministic JSON: keys in the order given, non-ASCII kept."""
    return json.dumps(data, ensure_ascii=False)
