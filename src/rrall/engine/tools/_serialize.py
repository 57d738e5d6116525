"""Dict/JSON forms of conditions, walk results and guidelines, through cattrs."""

from __future__ import annotations

from enum import Enum
from typing import Any, Union

import cattrs
from cattrs.strategies import configure_tagged_union

from ..model._conditions import Condition, condition_to_dict
from ..model._graph import Guideline, LeafWords
from ..model._schema import Constraint, Fact, Schema
from ..walk._records import Record
from ..walk._result import WalkResult, to_json

__all__ = [
    "OLDER_LEAF_WORDS",
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

#: The words of every export written before guidelines named their leaves (R/R ALL's): an
#: export without ``"leaf_words"`` means these, so a guideline with these words leaves the key
#: out and its export reads as it always did.
OLDER_LEAF_WORDS = LeafWords(kind="regimen", aliases="brands", variants_label="forms")


def _passthrough(value: object, kind: object) -> Any:
    """A JSON scalar of one of the types of the union ``kind`` (str | bool, int | float), as is."""
    allowed = {str: (str,), bool: (bool,), int: (int,), float: (int, float)}
    types = [t for member in getattr(kind, "__args__", ()) for t in allowed.get(member, ())]
    if isinstance(value, bool) and bool not in types:
        raise TypeError(f"must be one of {kind}, got {value!r}")
    if not isinstance(value, tuple(types)):
        raise TypeError(f"must be one of {kind}, got {value!r}")
    return value


converter.register_structure_hook(Union[str, bool], _passthrough)
converter.register_structure_hook(Union[int, float], _passthrough)
configure_tagged_union(Condition, converter, tag_name="type")
configure_tagged_union(Fact, converter, tag_name="type")
configure_tagged_union(Constraint, converter, tag_name="type")


converter.register_unstructure_hook_func(
    lambda cls: isinstance(cls, type) and issubclass(cls, Enum), lambda member: member.value
)
# A generated record class (e.g. `rrall.Patient`) has its own JSON form, both ways.
converter.register_structure_hook_func(
    lambda cls: isinstance(cls, type) and issubclass(cls, Record), lambda data, cls: cls.from_dict(data)
)
converter.register_unstructure_hook_func(
    lambda cls: isinstance(cls, type) and issubclass(cls, Record), lambda record: record.to_dict()
)


def condition_from_dict(data: object) -> Condition:
    """The inverse of `condition_to_dict`."""
    return converter.structure(data, Condition)  # type: ignore[arg-type]


def walk_result_to_dict(result: WalkResult) -> dict[str, Any]:
    """A walk result in its JSON form: `WalkResult.to_dict`."""
    return result.to_dict()


def guideline_to_dict(guideline: Guideline) -> dict[str, Any]:
    """The guideline as ``{"nodes": [...], "edges": [...]}`` plus its facts and register."""
    nodes = []
    # A leaf's components, other names and forms, as the guideline names them.
    keys = dict(zip(("components", "aliases", "variants"), guideline.option_keys, strict=True))
    for node in guideline.nodes:
        data: dict[str, Any] = {
            "id": node.id,
            "kind": guideline.kind_of(node),
            "label": node.label,
            "quote": node.quote,
        }
        data.update(
            {
                keys.get(name, name): list(value) if isinstance(value, tuple) else value
                for name, value in converter.unstructure(node).items()
                if name not in ("id", "label", "branches")
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
        # What `rrall diff` needs to build the guideline back (engine/tools/_load.py).
        "history_fact": guideline.history_fact,
        "history": None if guideline.history is None else converter.unstructure(guideline.history),
        "components": converter.unstructure(guideline.components),
        **_leaf_words(guideline.leaf_words),
        "version": guideline.version,
        "publication": converter.unstructure(guideline.publication),
        "not_options": list(guideline.not_options),
        "schema": schema_to_dict(guideline.schema),
        "source": guideline.source,
    }


def _leaf_words(words: LeafWords) -> dict[str, Any]:
    """The export's ``"leaf_words"``: left out when they are the words older exports mean."""
    return {} if words == OLDER_LEAF_WORDS else {"leaf_words": converter.unstructure(words)}


def schema_to_dict(schema: Schema) -> dict[str, Any]:
    """A schema as ``{"facts": [...], "constraints": [...]}``, each tagged by ``"type"``."""
    return {
        "facts": converter.unstructure(list(schema.facts), list[Fact]),
        "constraints": converter.unstructure(list(schema.constraints), list[Constraint]),
    }


def schema_from_dict(data: object) -> Schema:
    """The inverse of `schema_to_dict`."""
    return converter.structure(data, Schema)
