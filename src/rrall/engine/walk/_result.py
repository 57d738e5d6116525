"""What a walk returns: plain values, built whole.

A `WalkResult` holds the options offered (each an `Option`, with the
`Requirement` s it still depends on), the leaves excluded (`Exclusion`), the
path (`Step`) and its `Provenance`. These are the data every layer above the
walk reads. `WalkResult.to_dict` gives exactly what ``rrall walk --format json``
prints, and `WalkResult.from_dict` builds an equal result back from it.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Callable, Mapping
from typing import Any, cast

from attrs import field, frozen

from ..exceptions import Problem, ResultError
from ..model import _display
from ..model._conditions import Condition, condition_from_dict, condition_to_dict
from ..model._graph import Guideline, Provenance, _OlderNames
from ._source import load_source

__all__ = [
    "Exclusion",
    "Option",
    "Requirement",
    "Step",
    "WalkResult",
    "exclusion_to_dict",
    "option_to_dict",
    "step_to_dict",
    "to_json",
]


@frozen
class Requirement:
    """An unresolved condition an option depends on, with the facts it reads.

    Attributes:
        condition: The condition still to hold, on unknown facts only.
        text: The condition in words, e.g. ``"prior therapy lines ≥ 2"``.
        facts: The names of the facts it reads.
    """

    condition: Condition
    text: str
    facts: tuple[str, ...]


@frozen
class Option(_OlderNames):
    """An option (a leaf) the text offers this patient.

    Attributes:
        id: The leaf id, e.g. ``"blinatumomab"``.
        name: The display name.
        components: What it is made of, as the text names them (R/R ALL: its drugs);
            the JSON form names them as the guideline does (`Components`).
        aliases: Other names the text gives (R/R ALL: brand names); the JSON form names
            them, and its forms (``variants``), as the guideline does (`LeafWords`).
        variants: Forms the text allows (e.g. alone or in combination).
        notes: Notes on the text, e.g. where it is out of date.
        quotes: The verbatim spans of the source that offer it.
        already_given: The option's components the patient already had, by the
            guideline's `History` rule; None when that history is unknown.
        conditions: Empty when the known facts settle the option (a definite
            option); otherwise every requirement in it must hold.
    """

    id: str
    name: str
    components: tuple[str, ...]
    aliases: tuple[str, ...]
    variants: tuple[str, ...]
    notes: tuple[str, ...]
    quotes: tuple[str, ...]
    already_given: tuple[str, ...] | None
    conditions: tuple[Requirement, ...]

    @property
    def quote(self) -> str:
        """The verbatim span of the source that offers this option."""
        return self.quotes[0]

    @property
    def definite(self) -> bool:
        """True when the known facts settle this option."""
        return not self.conditions


@frozen
class Exclusion:
    """An option (a leaf) the text does not offer this patient, and why.

    Attributes:
        id: The leaf id.
        name: The display name.
        reason: Why, in words: the condition that failed and the facts it read.
        node: The id of the node, closest to the leaf, where its routes were cut.
        quote: The span of the source that node encodes.
    """

    id: str
    name: str
    reason: str
    node: str
    quote: str


@frozen
class Step:
    """One node on the path: the facts it read, the branches taken, its citation.

    Attributes:
        node: The node id.
        kind: ``"decision"`` or ``"group"`` (a leaf takes no branch, so is never a step).
        label: The node's label.
        read: Each fact its branches read, with the value shown (``"unknown"``
            when not known).
        taken: The ids of the nodes it led to.
        quote: The span of the source for the branches taken (the node's, when
            they cite none of their own).
    """

    node: str
    kind: str
    label: str
    read: tuple[tuple[str, str], ...]
    taken: tuple[str, ...]
    quote: str


@frozen(repr=False)
class WalkResult:
    """The outcome of walking one patient through a guideline.

    A plain value, built whole: every field is set when `walk` returns.

    Attributes:
        guideline: The guideline's name.
        patient: The patient's known facts in their JSON form.
        options: The options offered, in the order of the text.
        excluded: The leaves not offered, each with the reason.
        missing: Unknown facts that would change the options, most decisive first.
        path: The nodes visited, in the order of the walk.
        provenance: The rrall version, the guideline's name and version, and its
            source text's publisher, title and date captured.
        walked: The guideline walked (not part of the value: equality, repr and the
            JSON form leave it out); Jupyter draws the route on it.
    """

    guideline: str
    #: The patient's known facts in their JSON form.
    patient: dict[str, object]
    options: tuple[Option, ...]
    excluded: tuple[Exclusion, ...]
    missing: tuple[str, ...]
    path: tuple[Step, ...]
    #: Where the result came from: the rrall version, the guideline and its source text.
    provenance: Provenance
    #: The guideline walked, so that the result can draw itself; not part of its value.
    walked: Guideline = field(eq=False, repr=False)

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The ids of the offered options, in the text's order."""
        return tuple(option.id for option in self.options)

    @property
    def definite(self) -> tuple[Option, ...]:
        """The options the known facts settle."""
        return tuple(option for option in self.options if option.definite)

    @property
    def conditional(self) -> tuple[Option, ...]:
        """The options that depend on unknown facts."""
        return tuple(option for option in self.options if not option.definite)

    def option(self, option_id: str) -> Option | None:
        """The offered option with id ``option_id``; None when that leaf is not offered.

        Raises:
            KeyError: ``option_id`` is no leaf of the guideline (a typo, or the
                wrong case); the message names the nearest leaf ids.
        """
        found = next((option for option in self.options if option.id == option_id), None)
        if found is None:
            self._check_leaf(option_id)
        return found

    def exclusion(self, option_id: str) -> Exclusion | None:
        """Why the leaf ``option_id`` is excluded; None when it is offered.

        Raises:
            KeyError: ``option_id`` is no leaf of the guideline; the message
                names the nearest leaf ids.
        """
        found = next((item for item in self.excluded if item.id == option_id), None)
        if found is None:
            self._check_leaf(option_id)
        return found

    def _check_leaf(self, option_id: str) -> None:
        """`KeyError` unless ``option_id`` is a leaf: every leaf is offered or excluded."""
        if not isinstance(option_id, str):
            raise TypeError(f"a leaf id is a str, got {type(option_id).__name__}")
        leaves = [*self.option_ids, *(item.id for item in self.excluded)]
        if option_id not in leaves:
            raise KeyError(_not_a_leaf(option_id, leaves, self.guideline))

    def __repr__(self) -> str:
        """One line that fits on a screen: the patient, and the ids of options, exclusions and path."""
        ids = _SHORT.repr
        return (
            f"WalkResult(guideline={self.guideline!r}, patient={_SHORT.repr(self.patient)}, "
            f"options={ids(self.option_ids)}, excluded={ids(tuple(item.id for item in self.excluded))}, "
            f"missing={ids(self.missing)}, path={ids(tuple(step.node for step in self.path))})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: exactly what ``rrall walk --format json`` prints for this result.

        Each path step's ``read`` holds the facts it read with their typed values
        (null: unknown), as in ``patient``; conditions are tagged by ``"type"``.
        """
        return _forms(self.walked.option_keys).result(self)

    @classmethod
    def from_dict(cls, data: object, guideline: Guideline) -> WalkResult:
        """The result whose JSON form (`to_dict`) is ``data``, walked through ``guideline``.

        The guideline puts the path's typed values back in words.

        Raises:
            ResultError: ``data`` is not a walk result's JSON form for ``guideline``.
        """
        try:
            return _result_from_dict(data, guideline)
        except ResultError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ResultError(f"not a walk result of {guideline.name!r}: {error!r}") from None

    # -- display in Jupyter (drawn by the renderer, through `_display`) -------

    def _repr_svg_(self) -> str | None:
        return _display.svg(self)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return _display.bundle(self)


def to_json(data: object) -> str:
    """Deterministic JSON text: keys in the order given, non-ASCII kept (what ``rrall walk`` prints).

    ``json.dumps(data, ensure_ascii=False)``, from one encoder made once.
    """
    return _ENCODE(data)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _requirement_to_dict(req: Requirement) -> dict[str, Any]:
    return {"condition": condition_to_dict(req.condition), "text": req.text, "facts": [*req.facts]}


#: A guideline's keys of an option's components, aliases and variants (`Guideline.option_keys`).
Keys = tuple[str, str, str]


@frozen
class _Form:
    """How a part of a result is written in its JSON form: its keys in order, each with the
    source of its value, an expression of the part ``x`` (a key that is a number: that one of
    the keys the guideline names, `Guideline.option_keys`); ``before``: lines that set the
    locals its values read."""

    fields: tuple[tuple[str | int, str], ...]
    before: tuple[str, ...] = ()
    #: Every value a string: a copy of a part's form is its form (`FLAT_FORMS`).
    flat: bool = False

    def literal(self, keys: Keys) -> str:
        """The dict display of the part's form, with ``keys`` as the guideline names them."""
        pairs = (f"{keys[key] if isinstance(key, int) else key!r}: {value}" for key, value in self.fields)
        return "{" + ", ".join(pairs) + "}"


def _listed(items: str) -> str:
    """The source of a new list of the items of the tuple ``items``."""
    return f"[*{items}]"


#: An option's JSON form (``requirement``: a requirement's).
_OPTION = _Form(
    (
        ("id", "x.id"),
        ("name", "x.name"),
        (0, _listed("x.components")),
        (1, _listed("x.aliases")),
        (2, _listed("x.variants")),
        ("notes", _listed("x.notes")),
        ("quotes", _listed("x.quotes")),
        ("already_given", f"None if x.already_given is None else {_listed('x.already_given')}"),
        ("conditions", "[*map(requirement, x.conditions)] if x.conditions else []"),
    )
)
_EXCLUSION = _Form(tuple((key, f"x.{key}") for key in ("id", "name", "reason", "node", "quote")), flat=True)
#: A path step's JSON form: ``read`` holds the facts it read with their typed values (null:
#: unknown), from ``get``, the patient's JSON form's; made in a loop (in Python 3.11 a
#: comprehension is a call per step).
_STEP = _Form(
    (
        ("node", "x.node"),
        ("kind", "x.kind"),
        ("label", "x.label"),
        ("read", "read"),
        ("taken", _listed("x.taken")),
        ("quote", "x.quote"),
    ),
    before=("read = {}", "for name, _ in x.read:", "    read[name] = get(name)"),
)
#: A result's JSON form: each key with the source of its value, an expression of the result
#: ``r``, or a part's form and the source of the parts, each written in that form.
_RESULT: tuple[tuple[str, str | tuple[_Form, str]], ...] = (
    ("guideline", "r.guideline"),
    ("patient", "patient"),
    ("options", (_OPTION, "r.options")),
    ("excluded", (_EXCLUSION, "r.excluded")),
    ("missing", _listed("r.missing")),
    ("path", (_STEP, "r.path")),
    ("provenance", "r.provenance.to_dict()"),
)


def _result_source(keys: Keys) -> str:
    """The source of ``to_dict(r)``: `_RESULT`, with each part's form inline (no call per part)."""
    lines = ["def to_dict(r):", "    patient = r.patient", "    get = patient.get"]
    values = []
    for index, (key, value) in enumerate(_RESULT):
        if isinstance(value, str):
            values.append(f"{key!r}: {value}")
            continue
        form, parts = value
        if form.flat:  # copies of the forms kept for these very parts, once met twice
            made = f"[{form.literal(keys)} for x in parts{index}]"
            lines += [f"    parts{index} = {parts}", f"    seen{index} = flat(id(parts{index}))"]
            lines += [
                f"    if seen{index} is not None and seen{index}[0] is parts{index} and seen{index}[1]:"
            ]
            lines += [f"        part{index} = [*map(copy, seen{index}[1])]", "    else:"]
            lines += [
                f"        part{index} = {made}",
                f"        remember(parts{index}, seen{index}, part{index})",
            ]
            values.append(f"{key!r}: part{index}")
            continue
        if not form.before:
            values.append(f"{key!r}: [{form.literal(keys)} for x in {parts}]")
            continue
        lines += [f"    part{index} = []", f"    add{index} = part{index}.append", f"    for x in {parts}:"]
        lines += [f"        {line}" for line in form.before]
        lines.append(f"        add{index}({form.literal(keys)})")
        values.append(f"{key!r}: part{index}")
    lines.append("    return {" + ", ".join(values) + "}")
    return "\n".join(lines) + "\n"


def _part_source(name: str, form: _Form, keys: Keys) -> str:
    """The source of ``name(x, patient)``: part ``x``'s form (``patient``: the result's)."""
    body = ["    get = patient.get", *(f"    {line}" for line in form.before)] if form.before else []
    return "\n".join([f"def {name}(x, patient=None):", *body, f"    return {form.literal(keys)}"]) + "\n"


class _Forms:
    """The JSON forms of a result and of its parts (`_RESULT`), generated for one guideline's
    keys of an option's components, aliases and variants (`Guideline.option_keys`): the one
    layout, whether a part is written alone or inline."""

    __slots__ = ("exclusion", "option", "result", "step")

    def __init__(self, keys: Keys) -> None:
        source = "\n".join(
            [
                _result_source(keys),
                _part_source("option", _OPTION, keys),
                _part_source("exclusion", _EXCLUSION, keys),
                _part_source("step", _STEP, keys),
            ]
        )
        namespace: dict[str, object] = {
            "requirement": _requirement_to_dict,
            "flat": _FLAT.get,
            "copy": dict.copy,
            "remember": _remember,
        }
        made = load_source(source, f"<rrall to_dict {', '.join(keys)}>", namespace)
        self.result = cast("Callable[[WalkResult], dict[str, Any]]", made["to_dict"])
        self.option = cast("Callable[[Option], dict[str, Any]]", made["option"])
        self.exclusion = cast("Callable[[Exclusion], dict[str, Any]]", made["exclusion"])
        self.step = cast("Callable[[Step, Mapping[str, object]], dict[str, Any]]", made["step"])


#: Tuples of flat parts (a result's exclusions) whose forms are kept, at most (about 3 KB each).
FLAT_FORMS = 512
#: By a tuple's identity: the tuple (held, so that no other takes its id) and copies of its
#: parts' forms, kept once it is met a second time (None: met once). A template gives the
#: same tuple to every patient who shows it the same values.
_FLAT: dict[int, tuple[tuple[object, ...], tuple[dict[str, Any], ...] | None]] = {}


def _remember(parts: tuple[object, ...], seen: object, forms: list[dict[str, Any]]) -> None:
    """Note ``parts`` met, with ``forms``, their forms (``seen``: what `_FLAT` held for its id);
    met before, keep copies of its forms."""
    if len(_FLAT) >= FLAT_FORMS:
        _FLAT.clear()
    again = isinstance(seen, tuple) and seen[0] is parts
    _FLAT[id(parts)] = (parts, tuple(map(dict.copy, forms)) if again else None)


#: The generated forms by a guideline's option keys, at most 64.
_GENERATED: dict[Keys, _Forms] = {}
#: Any keys: an exclusion's and a path step's forms do not depend on them.
_ANY: Keys = ("components", "aliases", "variants")


def _forms(keys: Keys) -> _Forms:
    """The forms for ``keys``."""
    found = _GENERATED.get(keys)
    if found is None:
        if len(_GENERATED) >= 64:
            _GENERATED.clear()
        found = _GENERATED[keys] = _Forms(keys)
    return found


def option_to_dict(option: Option, components: str, aliases: str, variants: str) -> dict[str, Any]:
    """An option's JSON form, as in a result's ``"options"``; ``components``, ``aliases`` and
    ``variants``: the keys of those, as the guideline names them (`Guideline.option_keys`)."""
    return _forms((components, aliases, variants)).option(option)


def exclusion_to_dict(item: Exclusion) -> dict[str, Any]:
    """An exclusion's JSON form, as in a result's ``"excluded"``."""
    return _forms(_ANY).exclusion(item)


def step_to_dict(step: Step, patient: Mapping[str, object]) -> dict[str, Any]:
    """A path step's JSON form for the patient whose JSON form is ``patient``: the facts it
    read with their typed values (null: unknown)."""
    return _forms(_ANY).step(step, patient)


def _strings(data: object, where: str) -> tuple[str, ...]:
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise ResultError(f"{where}: must be a list of strings")
    return tuple(data)


def _option_from_dict(data: dict[str, Any], keys: tuple[str, str, str]) -> Option:
    given = data["already_given"]
    requirements = tuple(
        Requirement(condition_from_dict(req["condition"]), req["text"], _strings(req["facts"], "facts"))
        for req in data["conditions"]
    )
    parts, aliases, variants, notes, quotes = (_strings(data[key], key) for key in (*keys, "notes", "quotes"))
    already = None if given is None else _strings(given, "already_given")
    return Option(data["id"], data["name"], parts, aliases, variants, notes, quotes, already, requirements)


def _step_from_dict(data: dict[str, Any], guideline: Guideline) -> Step:
    schema = guideline.schema
    read = []
    for name, raw in data["read"].items():
        value = None if raw is None else schema.fact(name).parse(raw)
        if isinstance(value, Problem):
            raise ResultError(f"path: {value}")
        read.append((name, schema.show(name, value)))
    taken = _strings(data["taken"], "taken")
    return Step(data["node"], data["kind"], data["label"], tuple(read), taken, data["quote"])


def _result_from_dict(data: object, guideline: Guideline) -> WalkResult:
    if not isinstance(data, dict):
        raise ResultError(f"a walk result must be an object, got {type(data).__name__}")
    if data.get("guideline") != guideline.name:
        raise ResultError(f"the result is of guideline {data.get('guideline')!r}, not {guideline.name!r}")
    keys = guideline.option_keys
    fields = ("guideline", "patient", "options", "excluded", "missing", "path", "provenance")
    if set(data) != set(fields):
        raise ResultError(f"a walk result has the fields {', '.join(fields)}, got {', '.join(data)}")
    return WalkResult(
        guideline=data["guideline"],
        patient=dict(data["patient"]),
        options=tuple(_option_from_dict(option, keys) for option in data["options"]),
        excluded=tuple(Exclusion(**item) for item in data["excluded"]),
        missing=_strings(data["missing"], "missing"),
        path=tuple(_step_from_dict(step, guideline) for step in data["path"]),
        provenance=Provenance.from_dict(data["provenance"]),
        walked=guideline,
    )


def _short_repr() -> reprlib.Repr:
    short = reprlib.Repr()
    short.maxstring = short.maxother = 40
    short.maxtuple = short.maxdict = 30  # tuples: the ids, every one shown
    short.maxlist = 6  # lists: the items of a patient's set facts
    short.maxlevel = 3
    return short


#: Reprs cut to fit on a screen: the items of a patient's set facts may be long, and many.
_SHORT = _short_repr()


def _not_a_leaf(option_id: str, leaves: list[str], guideline: str) -> str:
    import difflib

    by_case = {leaf.lower(): leaf for leaf in leaves}
    nearest = [by_case[near] for near in difflib.get_close_matches(option_id.lower(), by_case, n=3)]
    shown = _SHORT.repr(option_id)
    if nearest:
        return f"{shown} is no leaf of {guideline}; the nearest: {', '.join(map(repr, nearest))}"
    return f"{shown} is no leaf of {guideline}; the leaves: {', '.join(sorted(leaves))}"
