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
definition's result, without walking again.

The JSON text of a result (`walk_json`, what ``rrall walk --format json``
prints) is filled in the same way, without making the result: each part's text
is `to_json` of its `WalkResult.to_dict` form, made once, cut where the
patient's values go (a shown value inside a reason, a typed value in a step's
``read``) and filled with the `to_json` text of each value; the whole is
`to_json` of ``to_dict()`` cut where the parts go (`_frame`).

The parts of the first patient of a class are marked, not the patient's own,
so the parts of different classes are often equal: they are held once for all
templates (`_Shared`), and so are the options with their texts, by the components
already given.

A class with an unknown fact is walked by the definition when first seen, and
gets its template when seen again (`SEEN` keys of classes seen once are kept).

Bounds, per guideline: `TEMPLATES` templates for complete patients and
`PARTIAL` for patients with an unknown fact (oldest dropped first); per template
`FILLED` sets of parts filled for `walk` and `FILLED` option lists; per shared
part `HISTORIES` made for the values it shows; and `SHARED` entries in each of
the shared tables (parts, options with their texts, value texts, components already
given). docs/performance.md gives their sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from operator import itemgetter
from typing import Any, TypeVar, Union, cast

import attrs

from ..model._graph import Guideline
from ..model._schema import Choice, Value
from ._compile import Compiled, compile_guideline, load_source
from ._result import (
    Exclusion,
    Option,
    Step,
    WalkResult,
    exclusion_to_dict,
    option_to_dict,
    step_to_dict,
    to_json,
)
from ._walk import _already_given, walk_three_valued

__all__ = [
    "FILLED",
    "HISTORIES",
    "PARTIAL",
    "SHARED",
    "TEMPLATES",
    "Template",
    "compiled",
    "screen",
    "walk",
    "walk_json",
]

#: Templates kept per guideline for complete patients. R/R ALL has about 2,900 classes of
#: complete patients (2,853 met in 300,000 random ones), so all of them fit.
TEMPLATES = 4096
#: Templates kept per guideline for classes with an unknown fact. With 30% of facts unknown
#: nearly every patient is a class of its own (2,927 of 3,000), so these mostly miss.
PARTIAL = 512
#: Classes with an unknown fact seen once, without a template (oldest dropped first): a
#: partial class gets its template when it is seen a second time, since most are never
#: seen again and a template costs about 80 µs over a walk by the definition.
SEEN = 4096
#: Exclusions and path steps kept per part that shows a patient's values (parts are shared
#: by the templates), by those values.
HISTORIES = 4
#: Results' parts kept per template for the values they show and the history their options read,
#: and option lists by the components of its options already given (for `walk`: `walk_json`
#: keeps none).
FILLED = 2
#: Parts (options, exclusions, path steps) with their JSON text, shared by a guideline's
#: templates: equal parts of different classes are held once.
SHARED = 8192

_MARK = "\x00"
_NONE: frozenset[str] = frozenset()

Facts = Mapping[str, Union[Value, None]]
#: A text of a template: constant pieces at even places, fact names at odd ones.
_Pieces = tuple[str, ...]
_Shows = Mapping[str, Callable[[Value], str]]


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
    ``__init__`` would set them (the result classes have no validator, converter or post-init).

    Generated from the class's attrs fields, and registered with `linecache`."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]  # an attrs class
    assert not hasattr(cls, "__attrs_post_init__")
    assert all(f.validator is None and f.converter is None for f in fields)
    namespace: dict[str, object] = {"new": object.__new__, "cls": cls}
    namespace.update({f"set_{f.name}": getattr(cls, f.name).__set__ for f in fields})
    lines = [f"def build({', '.join(f.name for f in fields)}):", "    made = new(cls)"]
    lines += [f"    set_{f.name}(made, {f.name})" for f in fields]
    lines.append("    return made")
    source = "\n".join(lines) + "\n"
    built = load_source(source, f"<rrall build {cls.__qualname__}>", namespace)
    return built["build"]  # type: ignore[return-value]


_exclusion = _builder(Exclusion)
_step = _builder(Step)
_result = _builder(WalkResult)
_make_option = _builder(Option)

#: Where each part of a result's JSON text goes, in `to_json(result.to_dict())`.
_HOLES = ("patient", "options", "excluded", "missing", "path")


def _frame(guideline: Guideline) -> tuple[tuple[tuple[str, str], ...], str]:
    """`to_json` of a result's `WalkResult.to_dict` cut at `_HOLES`: (text before, key)
    pairs in the dict's order, and the text after the last. The rest (the guideline's name
    and the provenance) is the same for every result of ``guideline``."""
    form = _result(guideline.name, {}, (), (), (), (), guideline.provenance, guideline).to_dict()
    marks = {key: f"\x01{key}\x01" for key in _HOLES}
    form.update(marks)
    text = to_json(form)
    pieces = []
    for key in [key for key in form if key in marks]:
        before, found, text = text.partition(to_json(marks[key]))
        assert found
        assert to_json(marks[key]) not in text
        pieces.append((before, key))
    return tuple(pieces), text


def _list_text(texts: list[str] | tuple[str, ...]) -> str:
    """`to_json` of a list whose items' texts are ``texts`` (json's item separator)."""
    return f"[{', '.join(texts)}]"


class _Shared:
    """What a guideline's templates hold in common, made once (bounded): the parts of their
    first patients, by value, so that equal parts of different classes are held once."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: dict[object, object] = {}

    def __call__(self, key: object, make: Callable[[], _T]) -> _T:
        found = self.values.get(key)
        if found is None:
            if len(self.values) >= SHARED:
                self.values.clear()
            found = self.values[key] = make()
        return found  # type: ignore[return-value]  # what ``make`` made for ``key``


#: The JSON text of a template's part, cut where a patient's values go: constant pieces at
#: even places, at odd ones (fact name, True) for a fact's shown value inside a string, or
#: (fact name, False) for its typed value (a path step's ``read``).
_Cut = tuple[Union[str, tuple[str, bool]], ...]

#: A mark, and a typed value's mark, as `to_json` writes them.
_ESCAPED_MARK = to_json(_MARK)[1:-1]
_TYPED = "\x01"
_TYPED_OPEN, _TYPED_CLOSE = to_json(_TYPED)[:-1], to_json(_TYPED)[1:]


def _shown_cut(text: str, names: tuple[str, ...]) -> _Cut:
    """The JSON text of a part whose strings hold marks (`_MARK`) of ``names``, cut at them."""
    pieces = text.split(_ESCAPED_MARK)
    if len(pieces) % 2 == 0 or any(name not in names for name in pieces[1::2]):
        raise _Cannot(text)  # a mark the template does not know
    return tuple([(piece, True) if index % 2 else piece for index, piece in enumerate(pieces)])


def _typed_cut(step: Step) -> _Cut:
    """A path step's JSON text, cut at the typed values of the facts it reads."""
    names = [name for name, _ in step.read]
    text = to_json(step_to_dict(step, {name: f"{_TYPED}{name}{_TYPED}" for name in names}))
    first, *rest = text.split(_TYPED_OPEN)
    pieces: list[str | tuple[str, bool]] = [first]
    for piece in rest:
        name, found, after = piece.partition(_TYPED_CLOSE)
        pieces += [(name, False), after]
        if not found:
            raise _Cannot(text)
    if [piece[0] for piece in pieces[1::2]] != names or _ESCAPED_MARK in text:
        raise _Cannot(text)
    return tuple(pieces)


class _Part:
    """An exclusion or path step that shows a patient's values, shared by the templates
    whose first patient's walk gave it (marked): ``make(shown)`` makes it from the shown
    values of the facts ``names`` (kept, at most `HISTORIES`, by their values); ``cut`` is
    its JSON text (`to_json` of its `WalkResult.to_dict` form), cut where the values go."""

    __slots__ = ("cut", "key", "make", "memo", "names")

    def __init__(
        self, names: tuple[str, ...], make: Callable[[Mapping[str, str]], object], cut: _Cut
    ) -> None:
        self.names = names
        self.make = make
        self.cut = cut
        self.key = itemgetter(*names)
        self.memo: dict[object, object] = {}

    def get(self, facts: Facts, shows: _Shows) -> object:
        """The part for ``facts``, made once for the values it shows."""
        key = self.key(facts)
        made = self.memo.get(key)
        if made is None:
            if len(self.memo) >= HISTORIES:
                self.memo.clear()
            made = self.memo[key] = self.make({name: shows[name](facts[name]) for name in self.names})  # type: ignore[arg-type]
        return made


def _excluded_part(item: Exclusion, marks: Mapping[str, str]) -> object:
    """A constant exclusion with its text, or a `_Part`."""
    pieces = _pieces(item.reason, marks)
    if pieces is None:
        return (item, to_json(exclusion_to_dict(item)))
    names = _names_in([pieces])
    return _Part(
        names,
        lambda shown: _exclusion(item.id, item.name, _filled(pieces, shown), item.node, item.quote),
        _shown_cut(to_json(exclusion_to_dict(item)), names),
    )


def _step_part(step: Step, marks: Mapping[str, str], shared: _Shared) -> object:
    """A constant path step with its cut text, or a `_Part` when it shows a value."""
    read = [(pair, _pieces(pair[1], marks)) for pair in step.read]
    fields = (step.node, step.kind, step.label, tuple(name for name, _ in step.read), step.taken, step.quote)
    cut = shared(("cut", fields), lambda: _typed_cut(step))  # the same for any values it shows
    if all(pieces is None for _, pieces in read):
        return (step, cut)

    def make(shown: Mapping[str, str]) -> object:
        pairs = tuple(
            [pair if pieces is None else (pair[0], _filled(pieces, shown)) for pair, pieces in read]
        )
        return _step(step.node, step.kind, step.label, pairs, step.taken, step.quote)

    return _Part(_names_in([pieces for _, pieces in read if pieces]), make, cut)


def _names_in(texts: list[_Pieces]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for pieces in texts for name in pieces[1::2]))


class Template:
    """The result of every patient of one class, but for each patient's own values.

    ``excluded`` and ``path``: per part, a `_Part`, or a constant one with its JSON text
    (an exclusion: the text; a step: the text cut at its typed values)."""

    __slots__ = (
        "cache",
        "component_names",
        "counted",
        "excluded",
        "filled",
        "key",
        "missing",
        "missing_text",
        "options",
        "path",
        "plain",
        "texts",
        "tokens",
        "variants",
    )

    def __init__(self, cache: _Cache, marked: WalkResult, marks: Mapping[str, str], facts: Facts) -> None:
        shared = cache.shared
        self.cache = cache
        self.missing = marked.missing
        self.missing_text = to_json([*marked.missing])
        kept = [shared(option, partial(_Token, option)) for option in marked.options]
        self.options = tuple([token.option for token in kept])
        #: Per option, its token: the key, with its components already had, of its variants.
        self.tokens = tuple(kept)
        #: Per option, the given names that count as one of its components.
        self.counted = tuple(
            [shared(("counted", o.components), partial(_names, cache.guideline, (o,))) for o in self.options]
        )
        self.component_names = shared(("component names", self.counted), partial(_union, self.counted))
        #: Option lists by the components already had (None: unknown), at most `FILLED`.
        self.variants: dict[frozenset[str] | None, tuple[Option, ...]] = {}
        #: The options' texts when the history is unknown (None) or holds none of their components.
        self.plain: dict[frozenset[str] | None, tuple[str, ...]] = {}
        #: Each a `_Part`, or a constant part with its text (`_excluded_part`, `_step_part`).
        self.excluded: tuple[Any, ...] = tuple(
            [shared(item, partial(_excluded_part, item, marks)) for item in marked.excluded]
        )
        self.path: tuple[Any, ...] = tuple(
            [shared(step, partial(_step_part, step, marks, shared)) for step in marked.path]
        )
        #: The texts of the constant exclusions and steps (None: a `_Part`, filled each time).
        #: A constant step reads only facts whose values the class fixes (a choice, or an
        #: unknown fact: each other known fact is marked), so its text is the same for all.
        patient = cache.compiled.patient_json(facts)
        self.texts = (
            tuple([part[1] if type(part) is tuple else None for part in self.excluded]),
            tuple(
                [
                    _fill_cut(part[1], facts, patient, cache) if type(part) is tuple else None
                    for part in self.path
                ]
            ),
        )
        names = [part.names for part in (*self.excluded, *self.path) if isinstance(part, _Part)]
        keyed = tuple(dict.fromkeys(name for group in names for name in group))
        if cache.history is not None and cache.history not in keyed:
            keyed += (cache.history,)  # the options' components already had (None: unknown)
        #: The values the exclusions and steps show, and the history the options read: the key
        #: of `filled`.
        self.key = itemgetter(*keyed) if keyed else _nothing
        #: The options, exclusions and path steps by `key`, at most `FILLED`.
        self.filled: dict[object, tuple[tuple[Option, ...], tuple[Exclusion, ...], tuple[Step, ...]]] = {}

    def fill(self, facts: Facts) -> WalkResult:
        """The walk's result for ``facts``, a patient of this template's class."""
        cache = self.cache
        filled = self.filled.get(self.key(facts))
        if filled is None:
            filled = self._filled(facts)
        return _result(
            cache.name,
            cache.compiled.patient_json(facts),
            filled[0],
            filled[1],
            self.missing,
            filled[2],
            cache.provenance,
            cache.guideline,
        )

    def _filled(self, facts: Facts) -> tuple[tuple[Option, ...], tuple[Exclusion, ...], tuple[Step, ...]]:
        """The options, exclusions and path steps for ``facts``' values that they show, kept."""
        shows = self.cache.shows
        excluded = tuple(
            [part[0] if type(part) is tuple else part.get(facts, shows) for part in self.excluded]
        )
        path = tuple([part[0] if type(part) is tuple else part.get(facts, shows) for part in self.path])
        if len(self.filled) >= FILLED:
            self.filled.clear()
        filled = self.filled[self.key(facts)] = (self._options(facts), excluded, path)
        return filled

    def fill_json(self, facts: Facts) -> str:
        """``to_json(self.fill(facts).to_dict())``, from the parts' texts: no part is made."""
        cache = self.cache
        patient = cache.compiled.patient_json(facts)
        excluded_texts, path_texts = self.texts
        excluded = [
            text if text is not None else _fill_cut(part.cut, facts, patient, cache)
            for text, part in zip(excluded_texts, self.excluded, strict=True)
        ]
        path = [
            text if text is not None else _fill_cut(part.cut, facts, patient, cache)
            for text, part in zip(path_texts, self.path, strict=True)
        ]
        texts = {
            "patient": to_json(patient),
            "options": _list_text(self._option_texts(facts)),
            "excluded": _list_text(excluded),
            "missing": self.missing_text,
            "path": _list_text(path),
        }
        frame, end = cache.frame
        return "".join([before + texts[key] for before, key in frame]) + end

    def _option_texts(self, facts: Facts) -> list[str] | tuple[str, ...]:
        """The texts of the options with the components this patient already had."""
        had = self._had(facts)
        if had is None or not had:
            return self._plain(had)
        plain, counted, option = self._plain(_NONE), self.counted, self._option
        return [
            plain[index] if counted[index].isdisjoint(had) else option(index, had)[1]
            for index in range(len(plain))
        ]

    def _plain(self, had: frozenset[str] | None) -> tuple[str, ...]:
        """The options' texts for a patient whose history is unknown (None) or holds none
        of their components (`_NONE`), made once."""
        texts = self.plain.get(had)
        if texts is None:
            texts = self.plain[had] = tuple(
                [self._option(index, had)[1] for index in range(len(self.options))]
            )
        return texts

    def _had(self, facts: Facts) -> frozenset[str] | None:
        """The components of this template's options the patient already had (None: unknown)."""
        history = self.cache.history
        given = facts.get(history) if history else None
        had = given & self.component_names if isinstance(given, frozenset) else None
        return _NONE if had is not None and not had else had  # one key for all who had none

    def _options(self, facts: Facts) -> tuple[Option, ...]:
        """The options with the components this patient already had (`_already_given`)."""
        had = self._had(facts)
        options = self.variants.get(had)
        if options is None:
            if len(self.variants) >= FILLED:
                self.variants.clear()
            options = self.variants[had] = tuple(
                [self._option(index, had)[0] for index in range(len(self.options))]
            )
        return options

    def _option(self, index: int, had: frozenset[str] | None) -> tuple[Option, str]:
        """Option ``index`` for a patient who had ``had`` (None: unknown), with its text."""
        option = self.options[index]
        already = None if had is None else self.cache.already(option.components, had & self.counted[index])
        return self.cache.option(self.tokens[index], already)


class _Token:
    """An option as the definition walked it, standing for it in the keys of its variants
    (hashed by identity: held by the keys, so never taken by another)."""

    __slots__ = ("option",)

    def __init__(self, option: Option) -> None:
        self.option = option


def _fill_cut(cut: _Cut, facts: Facts, patient: Mapping[str, object], cache: _Cache) -> str:
    """A part's JSON text for ``facts`` (whose JSON form is ``patient``): its cut, filled."""
    if len(cut) == 1:
        return cut[0]  # type: ignore[return-value]
    fragments = cache.fragments
    out = []
    for piece in cut:
        if type(piece) is str:
            out.append(piece)
            continue
        name, shown = cast("tuple[str, bool]", piece)
        value = facts[name]
        text = fragments.get((name, type(value), value, shown))  # `_Cache.fragment`, inline
        out.append(cache.fragment(facts, patient, name, shown) if text is None else text)
    return "".join(out)


def _union(sets: tuple[frozenset[str], ...]) -> frozenset[str]:
    return frozenset().union(*sets)


def _nothing(facts: Facts) -> None:
    return None


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
        self.name = guideline.name
        self.provenance = guideline.provenance
        self.history = guideline.history_fact
        #: The keys of an option's components, other names and forms in its JSON form, as the
        #: guideline names them.
        self.keys = guideline.option_keys
        self.compiled = compile_guideline(guideline, lambda facts: walk(facts, guideline).option_ids)
        self.templates: dict[tuple[object, ...], Template | None] = {}
        #: Classes with an unknown fact, kept apart so their many classes never push out
        #: those of complete patients.
        self.partial: dict[tuple[object, ...], Template | None] = {}
        #: Classes with an unknown fact seen once (`SEEN`), walked by the definition.
        self.seen: dict[tuple[object, ...], None] = {}
        self.shared = _Shared()
        self.frame = _frame(guideline)
        self.marked = tuple(name for name in self.compiled.reads if not isinstance(schema.fact(name), Choice))
        labels = [fact.label for fact in schema.facts]
        self.usable = len(set(labels)) == len(labels)  # else two reasons could read alike for some
        self.shows: _Shows = {fact.name: fact.show for fact in schema.facts}
        #: The JSON text of a fact's value (typed, or its shown value inside a string), by value.
        self.fragments: dict[tuple[str, type, object, bool], str] = {}
        #: Options with their texts, by option and components already had (`option`).
        self.options: dict[tuple[_Token, tuple[str, ...] | None], tuple[Option, str]] = {}
        #: The components of an option already given, by the given names that count as them.
        self.given: dict[tuple[tuple[str, ...], frozenset[str]], tuple[str, ...]] = {}

    def option(self, token: _Token, already: tuple[str, ...] | None) -> tuple[Option, str]:
        """``token``'s option with ``already`` as its components already had, and its text: made
        once for all templates."""
        key = (token, already)
        made = self.options.get(key)
        if made is None:
            option = token.option
            if already != option.already_given:
                option = _make_option(
                    option.id,
                    option.name,
                    option.components,
                    option.aliases,
                    option.variants,
                    option.notes,
                    option.quotes,
                    already,
                    option.conditions,
                )
            if len(self.options) >= SHARED:
                self.options.clear()
            made = self.options[key] = (option, to_json(option_to_dict(option, *self.keys)))
        return made

    def already(self, components: tuple[str, ...], own: frozenset[str]) -> tuple[str, ...]:
        """``_already_given(guideline, components, own)``: the components already had, made once
        (``own``: the given names that count as one of ``components``)."""
        key = (components, own)
        found = self.given.get(key)
        if found is None:
            if len(self.given) >= SHARED:
                self.given.clear()
            found = self.given[key] = (
                () if not components else _already_given(self.guideline, components, own)
            )
        return found

    def fragment(self, facts: Facts, patient: Mapping[str, object], name: str, shown: bool) -> str:
        """The text of fact ``name``'s value in a part's JSON text: inside a string, its shown
        value (`Fact.show`), else its typed value (from the JSON form ``patient``)."""
        value = facts[name]
        key = (name, type(value), value, shown)  # by type too: 1 and 1.0 are equal keys
        text = self.fragments.get(key)
        if text is None:
            if len(self.fragments) >= SHARED:
                self.fragments.clear()
            text = to_json(self.shows[name](value))[1:-1] if shown else to_json(patient.get(name))  # type: ignore[arg-type]
            self.fragments[key] = text
        return text

    def template(self, facts: Facts) -> Template | None:
        """The template of ``facts``' class, made on first sight, or for a class with an unknown
        fact on its second (None: walk by the definition)."""
        if not self.usable:
            return None
        key = self.compiled.class_key(facts)
        templates = self.templates
        template = templates.get(key, self)
        if template is self:
            template = self.partial.get(key, self)
        if template is self:
            if None in key or any(type(part) is tuple for part in key):  # an unknown fact
                if self._first_sight(key):
                    return None
                templates = self.partial
            template = self._template(facts)
            if len(templates) >= (TEMPLATES if templates is self.templates else PARTIAL):
                oldest = next(iter(templates), key)
                templates.pop(oldest, None)
                if templates is self.partial:  # seen before: its template is made when next seen
                    self._first_sight(oldest)
            templates[key] = template
        return template  # type: ignore[return-value]  # not self: replaced above

    def _first_sight(self, key: tuple[object, ...]) -> bool:
        """Whether the partial class ``key`` is seen for the first time (then noted in `seen`)."""
        seen = self.seen
        if key in seen:
            del seen[key]
            return False
        if len(seen) >= SEEN:
            seen.pop(next(iter(seen)))
        seen[key] = None
        return True

    def _template(self, facts: Facts) -> Template | None:
        marks = {name: f"{_MARK}{name}{_MARK}" for name in self.marked if facts[name] is not None}
        try:
            return Template(self, walk_three_valued(self.guideline, facts, marks), marks, facts)
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


def _facts(patient: object, guideline: Guideline) -> Facts:
    schema = guideline.schema
    stored = getattr(patient, "__facts__", None)  # `Schema.facts_view`, inline: walk is hot
    return stored[1] if stored is not None and stored[0] is schema else schema.facts_of(patient)


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
    facts = _facts(patient, guideline)
    cache = _cache(guideline)
    template = cache.template(facts)
    if template is None:
        return walk_three_valued(guideline, facts)
    return template.fill(facts)


def walk_json(patient: object, guideline: Guideline) -> str:
    """``to_json(walk(patient, guideline).to_dict())``: the JSON text ``rrall walk`` prints.

    Made from the texts of the cached parts (see the module's docstring), so a cohort
    does not build each result's dict to print it.

    Raises:
        InvalidRecord: ``patient`` is a mapping that breaks the guideline's schema.

    Examples:
        >>> import json
        >>> from rrall import RR_ALL, Patient, walk
        >>> from rrall.engine import to_json, walk_json
        >>> patient = Patient(ph="positive", tkis_received=["imatinib"], tkis_failed=[])
        >>> walk_json(patient, RR_ALL) == to_json(walk(patient).to_dict())
        True
        >>> json.loads(walk_json(patient, RR_ALL))["options"][0]["id"]
        'dasatinib'
    """
    facts = _facts(patient, guideline)
    template = _cache(guideline).template(facts)
    if template is None:
        return to_json(walk_three_valued(guideline, facts).to_dict())
    return template.fill_json(facts)


def screen(patient: object, guideline: Guideline) -> tuple[str, ...]:
    """``walk(patient, guideline).option_ids``, from the generated screen (`Compiled.screen`)."""
    schema = guideline.schema
    stored = getattr(patient, "__facts__", None)  # `Schema.facts_view`, inline: screen is hot
    facts = stored[1] if stored is not None and stored[0] is schema else schema.facts_of(patient)
    cache = guideline.memo.get(_Cache)
    if cache is None:
        cache = _cache(guideline)
    return cache.compiled.screen(facts)  # type: ignore[attr-defined,no-any-return]
