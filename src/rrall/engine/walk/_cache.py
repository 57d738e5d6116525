"""The fast path: a bounded cache of the walk, by class of patients.

`walk_three_valued` is what a walk means; this module only remembers its
results. Two patients of one class (`Compiled.class_key`: the truth of every
atom the conditions and constraints read, a choice fact's value, and which
facts are unknown) are walked alike: the same branches, cuts, options,
requirements and missing facts. What differs is only where the result shows a
patient's own values: the shown value of a known fact in a reason or a path
step ("age 17"), each option's ``already_given``, and the patient's JSON form.

So the first patient of a class is walked by the definition with the shown
value of each known fact that is not a choice marked (``\\x00age\\x00``)
instead. That result, with the marks noted, is the class's `Template`; every
patient of the class gets the template filled in with its own values: the
definition's result, without walking again. The cache holds at most
`TEMPLATES` templates per guideline (oldest dropped first), and each
template at most `HISTORIES` option lists by components already had.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar, Union, cast

import attrs

from ..model._graph import Guideline
from ..model._schema import Choice, Value
from ._compile import Compiled, compile_guideline
from ._result import Exclusion, Option, Step, WalkResult
from ._walk import _already_given, walk_three_valued

__all__ = ["HISTORIES", "PARTIAL", "TEMPLATES", "Template", "compiled", "screen", "walk"]

#: Templates kept per guideline for complete patients (about 22 KB each): 3,000 random
#: complete patients of R/R ALL fall in 1,362 classes. With 30% of facts unknown nearly every
#: patient is a class of its own (2,927 of 3,000), so those mostly miss (`PARTIAL`).
TEMPLATES = 2048
#: Templates kept per guideline for classes with an unknown fact (about 22 KB each too).
PARTIAL = 1024
#: Option lists kept per template, by the components of its options already had; and parts made
#: per exclusion or path step, by the values they show.
HISTORIES = 8

_MARK = "\x00"
_NONE: frozenset[str] = frozenset()

Facts = Mapping[str, Union[Value, None]]
#: A text of a template: constant pieces at even places, fact names at odd ones.
_Pieces = tuple[str, ...]


class _Cannot(Exception):
    """A class whose results a template cannot give (a mark the definition would not show)."""


def _pieces(text: str, marked: Mapping[str, str]) -> _Pieces | None:
    """``text`` cut at the marks (None when it has none)."""
    if _MARK not in text:
        return None
    pieces = tuple(text.split(_MARK))
    if any(name not in marked for name in pieces[1::2]):
        raise _Cannot(text)
    return pieces


def _filled(pieces: _Pieces, shown: Mapping[str, str]) -> str:
    return "".join([shown[piece] if index % 2 else piece for index, piece in enumerate(pieces)])


_T = TypeVar("_T")


def _builder(cls: type[_T]) -> Callable[..., _T]:
    """A maker of ``cls`` from its field values in order: slot by slot, as attrs' own
    ``__init__`` would set them (the result classes have no validator, converter or post-init)."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # an attrs class
    assert not hasattr(cls, "__attrs_post_init__")
    assert all(f.validator is None and f.converter is None for f in fields)
    setters = tuple(getattr(cls, f.name).__set__ for f in fields)
    new = object.__new__

    def build(*values: object) -> _T:
        made: _T = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(made, value)
        return made

    return build


_exclusion = _builder(Exclusion)
_step = _builder(Step)
_result = _builder(WalkResult)
_make_option = _builder(Option)


class _Part:
    """One exclusion or path step of a template: ``value`` when it shows no value of the
    patient's, else made by ``make(shown)`` from the shown values of the facts ``names``,
    and kept (at most `HISTORIES`) by those facts' values."""

    __slots__ = ("make", "memo", "names", "value")

    def __init__(
        self, value: object, names: tuple[str, ...], make: Callable[[Mapping[str, str]], object]
    ) -> None:
        self.value = value
        self.names = names
        self.make = make
        self.memo: dict[tuple[object, ...], object] = {}

    def get(self, facts: Facts, shows: Mapping[str, Callable[[Value], str]]) -> object:
        key = tuple([facts[name] for name in self.names])
        made = self.memo.get(key)
        if made is None:
            if len(self.memo) >= HISTORIES:
                self.memo.clear()
            shown = {name: shows[name](value) for name, value in zip(self.names, key, strict=True)}  # type: ignore[arg-type]
            made = self.memo[key] = self.make(shown)
        return made


def _excluded_part(item: Exclusion, marks: Mapping[str, str]) -> _Part:
    pieces = _pieces(item.reason, marks)
    if pieces is None:
        return _Part(item, (), _unused)
    return _Part(
        None,
        _names_in([pieces]),
        lambda shown: _exclusion(item.id, item.name, _filled(pieces, shown), item.node, item.quote),
    )


def _step_part(step: Step, marks: Mapping[str, str]) -> _Part:
    read = [(pair, _pieces(pair[1], marks)) for pair in step.read]
    if all(pieces is None for _, pieces in read):
        return _Part(step, (), _unused)

    def make(shown: Mapping[str, str]) -> object:
        pairs = tuple(
            [pair if pieces is None else (pair[0], _filled(pieces, shown)) for pair, pieces in read]
        )
        return _step(step.node, step.kind, step.label, pairs, step.taken, step.quote)

    return _Part(None, _names_in([pieces for _, pieces in read if pieces]), make)


def _names_in(texts: list[_Pieces]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for pieces in texts for name in pieces[1::2]))


def _unused(shown: Mapping[str, str]) -> object:
    raise AssertionError("a constant part is never made")


class Template:
    """The result of every patient of one class, but for each patient's own values."""

    __slots__ = (
        "counted",
        "excluded",
        "guideline",
        "history",
        "made",
        "missing",
        "options",
        "path",
        "provenance",
        "rule",
        "variants",
    )

    def __init__(self, guideline: Guideline, marked: WalkResult, marks: Mapping[str, str]) -> None:
        self.guideline = guideline.name
        self.provenance = guideline.provenance
        #: The guideline, for its history rule (`Guideline.counted_names`).
        self.rule = guideline
        self.history = guideline.history_fact
        self.missing = marked.missing
        self.options = marked.options
        self.counted = _names(guideline, marked.options)
        self.variants: dict[frozenset[str] | None, tuple[Option, ...]] = {}
        self.made: dict[tuple[int, tuple[str, ...] | None], Option] = {}
        self.excluded = tuple(_excluded_part(item, marks) for item in marked.excluded)
        self.path = tuple(_step_part(step, marks) for step in marked.path)

    def fill(
        self, facts: Facts, compiled: Compiled, shows: Mapping[str, Callable[[Value], str]]
    ) -> WalkResult:
        """The walk's result for ``facts``, a patient of this template's class."""
        excluded = tuple(
            [part.value if part.value is not None else part.get(facts, shows) for part in self.excluded]
        )
        path = tuple([part.value if part.value is not None else part.get(facts, shows) for part in self.path])
        patient = compiled.patient_json(facts)
        options = self._options(facts)
        return _result(
            self.guideline, patient, options, excluded, self.missing, path, self.provenance, self.rule
        )

    def _options(self, facts: Facts) -> tuple[Option, ...]:
        """The options with the components this patient already had (`_already_given`)."""
        given = facts.get(self.history) if self.history else None
        had = given & self.counted if isinstance(given, frozenset) else None
        if had is not None and not had:
            had = _NONE  # one key for every patient who had none of these components
        options = self.variants.get(had)
        if options is None:
            if len(self.variants) >= HISTORIES:
                self.variants.clear()
            options = self.variants[had] = tuple(
                [self._option(index, had) for index in range(len(self.options))]
            )
        return options

    def _option(self, index: int, had: frozenset[str] | None) -> Option:
        """Option ``index`` for a patient who had ``had`` (None: unknown), each made once."""
        option = self.options[index]
        already = (
            None
            if had is None
            else ()
            if not option.components
            else _already_given(self.rule, option.components, had)
        )
        made = self.made.get((index, already))
        if made is None:
            if len(self.made) >= HISTORIES * 4:
                self.made.clear()
            made = self.made[index, already] = _make_option(
                option.id,
                option.name,
                option.components,
                option.brands,
                option.variants,
                option.notes,
                option.quotes,
                already,
                option.conditions,
            )
        return made


def _names(guideline: Guideline, options: tuple[Option, ...]) -> frozenset[str]:
    """Every given name that counts as a component of ``options`` (the guideline's `History` rule)."""
    return frozenset(
        name for option in options for item in option.components for name in guideline.counted_names(item)
    )


class _Cache:
    """A guideline's compiled functions and its bounded templates, by class."""

    def __init__(self, guideline: Guideline) -> None:
        schema = guideline.schema
        self.guideline = guideline
        self.compiled = compile_guideline(guideline, lambda facts: walk(facts, guideline).option_ids)
        self.templates: dict[tuple[object, ...], Template | None] = {}
        #: Classes with an unknown fact, kept apart so their many classes never push out
        #: those of complete patients.
        self.partial: dict[tuple[object, ...], Template | None] = {}
        self.marked = tuple(name for name in self.compiled.reads if not isinstance(schema.fact(name), Choice))
        labels = [fact.label for fact in schema.facts]
        self.usable = len(set(labels)) == len(labels)  # else two reasons could read alike for some
        self.shows = {fact.name: fact.show for fact in schema.facts}

    def walk(self, facts: Facts) -> WalkResult:
        if not self.usable:
            return walk_three_valued(self.guideline, facts)
        key = self.compiled.class_key(facts)
        templates = self.templates
        template = templates.get(key, self)
        if template is self:
            template = self.partial.get(key, self)
        if template is self:
            template = self._template(facts)
            if None in key or any(type(part) is tuple for part in key):  # an unknown fact
                templates = self.partial
            if len(templates) >= (TEMPLATES if templates is self.templates else PARTIAL):
                templates.pop(next(iter(templates), key), None)
            templates[key] = template
        if template is None:
            return walk_three_valued(self.guideline, facts)
        return template.fill(facts, self.compiled, self.shows)  # type: ignore[union-attr]

    def _template(self, facts: Facts) -> Template | None:
        marks = {name: f"{_MARK}{name}{_MARK}" for name in self.marked if facts[name] is not None}
        try:
            return Template(self.guideline, walk_three_valued(self.guideline, facts, marks), marks)
        except _Cannot:
            return None


def _cache(guideline: Guideline) -> _Cache:
    memo = guideline.memo
    cache = cast("_Cache | None", memo.get(_Cache))
    if cache is None:
        cache = memo[_Cache] = _Cache(guideline)
    return cache


def compiled(guideline: Guideline) -> Compiled:
    """The guideline's generated functions (`Compiled`), made once per guideline."""
    return _cache(guideline).compiled


def walk(patient: object, guideline: Guideline) -> WalkResult:
    """Walk ``patient`` through ``guideline``: a pure function of its inputs.

    The result is `walk_three_valued`'s for the patient's facts, given from the
    guideline's cache of results by class of patients (see the module's docstring).

    Args:
        patient: A record whose attributes are the guideline's facts (for R/R
            ALL, a `rrall.Patient`), or a mapping in the JSON form, validated first.
        guideline: The guideline to walk.

    Returns:
        The options offered, the options excluded and why, the missing facts
            and the path taken.

    Raises:
        InvalidRecord: ``patient`` is a mapping that breaks the guideline's schema.
    """
    schema = guideline.schema
    stored = getattr(patient, "__facts__", None)  # `Schema.facts_view`, inline: walk is hot
    facts = stored[1] if stored is not None and stored[0] is schema else schema.facts_of(patient)
    return _cache(guideline).walk(facts)


def screen(patient: object, guideline: Guideline) -> tuple[str, ...]:
    """``walk(patient, guideline).option_ids``, from the generated screen (`Compiled.screen`)."""
    schema = guideline.schema
    stored = getattr(patient, "__facts__", None)  # `Schema.facts_view`, inline: screen is hot
    facts = stored[1] if stored is not None and stored[0] is schema else schema.facts_of(patient)
    cache = guideline.memo.get(_Cache)
    if cache is None:
        cache = _cache(guideline)
    return cache.compiled.screen(facts)  # type: ignore[attr-defined,no-any-return]
