"""JSON Schemas (draft 2020-12) for a guideline's patient record and its walk results.

Generated from the guideline's fact schema, so they never drift from it; the
package ships the R/R ALL pair (``rrall/schemas/``) and a test checks they
match what this module generates. What JSON Schema cannot say (cross-field
constraints such as "TKIs failed are among those received") is checked by the
guideline's own validation, and named in the patient schema's description.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..model._conditions import ATOM_TYPES
from ..model._graph import Guideline
from ..model._schema import Boolean, Choice, Fact, Integer, Measure, Subset, SubsetOf

__all__ = ["DIALECT", "patient_json_schema", "result_json_schema"]

#: The JSON Schema dialect of every schema generated here.
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _fact_schema(fact: Fact) -> dict[str, Any]:
    """One fact's value: its JSON type and allowed values, or null for unknown."""
    if isinstance(fact, Boolean):
        value: dict[str, Any] = {"type": ["boolean", "null"]}
    elif isinstance(fact, Choice):
        value = {"enum": [*fact.values, None]}
    elif isinstance(fact, Measure):
        value = {"type": ["number", "null"], "minimum": fact.minimum, "maximum": fact.maximum}
        value["description"] = f"in {fact.unit}"
    elif isinstance(fact, Integer):
        value = {"type": ["integer", "null"], "minimum": fact.minimum, "maximum": fact.maximum}
    else:
        assert isinstance(fact, Subset)
        items: dict[str, Any] = {"type": "string", "minLength": 1}
        if fact.universe is not None:
            items = {"enum": list(fact.universe)}
        value = {"type": ["array", "null"], "items": items}
    return {"title": fact.label, **value}


def _constraints_words(guideline: Guideline) -> str:
    words = []
    for constraint in guideline.schema.constraints:
        if isinstance(constraint, SubsetOf):
            words.append(f"{constraint.subset} ⊆ {constraint.superset}")
        else:
            words.append(f"{constraint.field} {constraint.message}")
    return "; ".join(words)


def patient_json_schema(guideline: Guideline) -> dict[str, Any]:
    """The JSON form of a patient (a record of the guideline's facts) as a JSON Schema.

    Every fact is optional: an absent key or null is an unknown fact.
    """
    rules = _constraints_words(guideline)
    description = "A patient's facts; any may be absent or null (unknown)."
    if rules:
        description += f" Also checked, beyond this schema: {rules}."
    return {
        "$schema": DIALECT,
        "$id": f"urn:rrall:{guideline.name}:patient",
        "title": f"A patient of {guideline.title}",
        "description": description,
        "type": "object",
        "properties": {fact.name: _fact_schema(fact) for fact in guideline.schema.facts},
        "additionalProperties": False,
    }


def _strings() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}}


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these properties."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _condition_schema(guideline: Guideline) -> dict[str, Any]:
    """A tagged condition: an atom on one of the guideline's facts, or Not/AllOf/AnyOf of them."""
    fact_names = {"enum": list(guideline.schema.names)}
    atoms = []
    kinds = {
        "fact": fact_names,
        "bound": {"type": "number"},
        "value": {"type": ["string", "boolean"]},
        "item": {"type": "string"},
    }
    for cls in ATOM_TYPES:
        fields = {field.name: kinds[field.name] for field in attrs.fields(cls)}
        atoms.append(_closed({**fields, "type": {"const": cls.__name__}}))
    combined = [
        _closed(
            {"conditions": {"type": "array", "items": {"$ref": "#/$defs/condition"}}, "type": {"const": tag}}
        )
        for tag in ("AllOf", "AnyOf")
    ]
    negated = _closed({"condition": {"$ref": "#/$defs/condition"}, "type": {"const": "Not"}})
    return {"oneOf": [*atoms, *combined, negated]}


def _option_schemas(guideline: Guideline) -> tuple[dict[str, Any], dict[str, Any]]:
    """An offered option's and an excluded leaf's schemas."""
    leaf_ids = {"enum": [leaf.id for leaf in guideline.leaves]}
    node_ids = {"enum": [node.id for node in guideline.nodes]}
    facts = {"type": "array", "items": {"enum": list(guideline.schema.names)}}
    requirement = _closed(
        {"condition": {"$ref": "#/$defs/condition"}, "text": {"type": "string"}, "facts": facts}
    )
    option = _closed(
        {
            "id": leaf_ids,
            "name": {"type": "string"},
            **{key: _strings() for key in (*guideline.option_keys, "notes", "quotes")},
            "already_given": {"type": ["array", "null"], "items": {"type": "string"}},
            "conditions": {"type": "array", "items": requirement},
        }
    )
    exclusion = _closed(
        {
            "id": leaf_ids,
            "name": {"type": "string"},
            "reason": {"type": "string"},
            "node": node_ids,
            "quote": {"type": "string"},
        }
    )
    return option, exclusion


def _step_schema(guideline: Guideline) -> dict[str, Any]:
    """A path step's schema: each fact it read with its value as in the patient."""
    node_ids = {"enum": [node.id for node in guideline.nodes]}
    read = {
        "type": "object",
        "properties": {
            name: {"$ref": f"#/$defs/patient/properties/{name}"} for name in guideline.schema.names
        },
        "additionalProperties": False,
    }
    step = _closed(
        {
            "node": node_ids,
            "kind": {"enum": ["decision", "group", guideline.leaf_words.kind]},
            "label": {"type": "string"},
            "read": read,
            "taken": {"type": "array", "items": node_ids},
            "quote": {"type": "string"},
        }
    )
    return step


def result_json_schema(guideline: Guideline) -> dict[str, Any]:
    """A walk result's JSON form (`WalkResult.to_dict`, ``rrall walk --format json``) as a JSON Schema."""
    option, exclusion = _option_schemas(guideline)
    step = _step_schema(guideline)
    facts = {"type": "array", "items": {"enum": list(guideline.schema.names)}}
    text = {"type": "string"}
    provenance = _closed(
        {
            "rrall": text,
            "guideline": _closed({"name": {"const": guideline.name}, "version": text}),
            "source": _closed({"publisher": text, "title": text, "captured": text}),
        }
    )
    patient = {
        key: value for key, value in patient_json_schema(guideline).items() if key not in ("$schema", "$id")
    }
    result = _closed(
        {
            "guideline": {"const": guideline.name},
            "patient": {"$ref": "#/$defs/patient"},
            "options": {"type": "array", "items": option},
            "excluded": {"type": "array", "items": exclusion},
            "missing": facts,
            "path": {"type": "array", "items": step},
            "provenance": provenance,
        }
    )
    # What the command line adds to `WalkResult.to_dict()`, only when there is something to say.
    result["properties"].update(
        {
            "warnings": {
                "description": "Added by `rrall walk`: what it noticed in the input (an unknown drug name).",
                "type": "array",
                "items": {"type": "string"},
            },
            "fhir": {
                "description": "Added by `rrall walk` for FHIR input: how each fact was read.",
                "type": "object",
            },
        }
    )
    return {
        "$schema": DIALECT,
        "$id": f"urn:rrall:{guideline.name}:result",
        "title": f"A walk result of {guideline.title}",
        "description": "What `rrall walk --format json` prints for one patient: `WalkResult.to_dict()`, "
        "with `warnings` and `fhir` when the command line has them to add.",
        **result,
        "$defs": {"patient": patient, "condition": _condition_schema(guideline)},
    }
