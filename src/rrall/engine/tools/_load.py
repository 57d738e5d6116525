"""Building a guideline back from its JSON export (`guideline_to_dict`), through cattrs.

A user can export a guideline, edit a threshold, a branch or a leaf in the
JSON, and load it back to compare it with the original (`rrall diff`). The
loaded guideline is checked like any other when it is built. An export that
lacks the schema or the source (older exports) borrows them from ``base``
when it names the same guideline.

Its patients are read as records (`Guideline.read_record`): the base's record
class when the export names the same guideline with the same facts (R/R ALL's
`Patient`, which also normalises drug names), else a record class generated from
its schema (`record_class`), so that every patient is read with the errors and
behaviour of a built-in guideline's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import cattrs

from ..exceptions import LoadError
from ..model._conditions import ALWAYS
from ..model._graph import (
    Branch,
    Components,
    Decision,
    Guideline,
    GuidelineError,
    History,
    Leaf,
    LeafWords,
    Node,
    OptionGroup,
    Publication,
    Reading,
)
from ..model._schema import Schema
from ..walk._records import Record, record_class
from ._serialize import OLDER_LEAF_WORDS, condition_from_dict, converter, schema_from_dict

__all__ = ["LoadError", "guideline_from_dict"]


def _messages(error: Exception, where: str) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(error, path=where))
    return f"{where}: {error}"


def _field(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in data:
        raise LoadError(f"{where}: missing {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise LoadError(f"{where}.{key}: must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _schema(data: Mapping[str, Any], base: Guideline | None) -> Schema:
    if "schema" in data:
        try:
            return schema_from_dict(data["schema"])
        except Exception as error:  # cattrs reports through several exception types
            raise LoadError(_messages(error, "$.schema")) from None
    if base is not None and data.get("name") == base.name:
        return base.schema
    raise LoadError("$: no 'schema' (export it again with `rrall export`)")


def _branches(edges: list[Any], node_id: str) -> list[Branch]:
    branches = []
    for index, edge in enumerate(edges):
        where = f"$.edges[{index}]"
        if not isinstance(edge, dict):
            raise LoadError(f"{where}: must be an object, got {type(edge).__name__}")
        if edge.get("source") != node_id:
            continue
        target = _field(edge, "target", str, where)
        try:
            when = condition_from_dict(edge["when"]) if "when" in edge else ALWAYS
        except Exception as error:  # cattrs reports through several exception types
            raise LoadError(_messages(error, f"{where}.when")) from None
        label = edge.get("label", "")
        if not isinstance(label, str):
            raise LoadError(f"{where}.label: must be a str, got {type(label).__name__}")
        quote = edge.get("quote", "")
        if not isinstance(quote, str):
            raise LoadError(f"{where}.quote: must be a str, got {type(quote).__name__}")
        branches.append(Branch(target, when, label, quote))
    return branches


def _node(data: Any, index: int, edges: list[Any], keys: tuple[str, str, str], leaf: str) -> Node:
    """Node ``index`` of the export; ``keys`` and ``leaf``: the guideline's words for a leaf's
    parts (`Guideline.option_keys`) and for its kind (`LeafWords.kind`)."""
    where = f"$.nodes[{index}]"
    if not isinstance(data, dict):
        raise LoadError(f"{where}: must be an object, got {type(data).__name__}")
    kinds: dict[str, type[Decision] | type[OptionGroup] | type[Leaf]] = {
        Decision.kind: Decision,
        OptionGroup.kind: OptionGroup,
        leaf: Leaf,
    }
    kind = _field(data, "kind", str, where)
    if kind not in kinds:
        raise LoadError(f"{where}.kind: must be one of {', '.join(kinds)}, got {kind!r}")
    fields = {key: value for key, value in data.items() if key not in ("kind", "quote")}
    if kinds[kind] is Leaf:
        for name, key in zip(("components", "aliases", "variants"), keys, strict=True):
            if key in fields and name not in fields:
                fields[name] = fields.pop(key)  # the guideline's own name for them
    if "quotes" not in fields and "quote" in data:
        fields["quotes"] = [data["quote"]]
    node_id = _field(data, "id", str, where)
    if kinds[kind] is not Leaf:
        fields["branches"] = [converter.unstructure(b) for b in _branches(edges, node_id)]
    try:
        node: Node = converter.structure(fields, kinds[kind])
    except Exception as error:  # cattrs reports through several exception types
        raise LoadError(_messages(error, where)) from None
    return node


def _components(data: Mapping[str, Any], base: Guideline | None) -> Components:
    """What the leaves' components are called: ``components``, else (older exports, which
    named them "drugs") the base guideline's or "drugs"."""
    if "components" in data:
        try:
            return converter.structure(data["components"], Components)
        except Exception as error:  # cattrs reports through several exception types
            raise LoadError(_messages(error, "$.components")) from None
    if base is not None and data.get("name") == base.name:
        return base.components
    return Components("drugs")


def _leaf_words(data: Mapping[str, Any]) -> LeafWords:
    """What the leaves are called: ``leaf_words``, else (R/R ALL's words, and every older
    export's) `OLDER_LEAF_WORDS`."""
    if "leaf_words" not in data:
        return OLDER_LEAF_WORDS
    try:
        return converter.structure(data["leaf_words"], LeafWords)
    except Exception as error:  # cattrs reports through several exception types
        raise LoadError(_messages(error, "$.leaf_words")) from None


class _Records:
    """A loaded guideline's record reader: the class `record_class` generates from its schema,
    made once. It pickles as its schema (the class is made again), so the guideline does too."""

    __slots__ = ("cls", "schema")

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.cls: type[Record] = record_class(schema, "Patient")

    def __call__(self, data: object) -> Record:
        return self.cls.from_dict(data)

    def __reduce__(self) -> tuple[type[_Records], tuple[Schema]]:
        return _Records, (self.schema,)


def _record(name: str, schema: Schema, base: Guideline | None) -> Callable[[object], object] | None:
    """How the loaded guideline reads a patient: the base's record for the same guideline and
    facts, else a record class generated from the schema; None (its validated facts as a dict)
    only for facts that cannot be fields (a fact named ``known``, say)."""
    if base is not None and name == base.name and schema == base.schema and base.record is not None:
        return base.record
    try:
        return _Records(schema)
    except ValueError:
        return None


def _history(data: Mapping[str, Any], base: Guideline | None) -> History | None:
    """The history rule: ``history``, else (older exports) ``history_fact`` with no other names."""
    if "history" in data:
        return None if data["history"] is None else converter.structure(data["history"], History)
    if "history_fact" in data:
        return None if data["history_fact"] is None else History(data["history_fact"])
    return base.history if base is not None else None


def _source(data: Mapping[str, Any], name: str, base: Guideline | None) -> str:
    """The source text: ``source``, else (older exports) the base's, for the same guideline."""
    if "source" in data:
        source: str = _field(data, "source", str, "$")
        return source
    if base is not None and name == base.name:
        return base.source
    raise LoadError("$: no 'source' (export it again with `rrall export`)")


def guideline_from_dict(data: object, *, base: Guideline | None = None) -> Guideline:
    """A guideline from its JSON export.

    Args:
        data: The dict `guideline_to_dict` gives (``rrall export``), perhaps edited.
        base: A guideline to borrow the schema and source from, when the export
            lacks them and names the same guideline.

    Raises:
        LoadError: The data is not an export, or the guideline it describes is
            malformed (every problem is named).
    """
    if not isinstance(data, dict):
        raise LoadError(f"$: must be a JSON object, got {type(data).__name__}")
    name = _field(data, "name", str, "$")
    schema, source = _schema(data, base), _source(data, name, base)
    edges = _field(data, "edges", list, "$")
    components, words = _components(data, base), _leaf_words(data)
    keys = (components.key, words.aliases, words.variants)
    nodes = [
        _node(node, index, edges, keys, words.kind)
        for index, node in enumerate(_field(data, "nodes", list, "$"))
    ]
    try:
        readings = converter.structure(data.get("readings", []), list[Reading])
        publication = converter.structure(data.get("publication", {}), Publication)
        history = _history(data, base)
        return Guideline(
            name=name,
            title=data.get("title", name),
            source=source,
            schema=schema,
            root=_field(data, "root", str, "$"),
            nodes=nodes,
            readings=readings,
            history=history,
            disclaimer=data.get("disclaimer", ""),
            not_options=data.get("not_options", base.not_options if base is not None else ()),
            version=data.get("version", ""),
            publication=publication,
            components=components,
            leaf_words=words,
            record=_record(name, schema, base),
        )
    except GuidelineError as error:
        raise LoadError("; ".join(error.problems)) from None
    except Exception as error:  # cattrs reports through several exception types
        raise LoadError(_messages(error, "$.readings")) from None
