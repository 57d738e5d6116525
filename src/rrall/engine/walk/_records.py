"""Record classes generated from a schema: one attrs class per guideline, a field per fact.

`record_class` writes the class's Python source from a `Schema` (an annotated field
per fact, None for unknown, and an ``__init__`` that validates) and runs it
registered with `linecache`, as attrs does, so tracebacks, debuggers and
``inspect.getsource`` show the lines. `record_source` gives that text, and
`record_declaration` the typed declaration a module puts under ``TYPE_CHECKING``
for mypy, which cannot see fields made at run time.

The ``__init__`` checks each value by its fact's kind inline, the common case. Any
value it does not take at once (a wrong type, a value out of range, an unknown
keyword, a broken constraint) goes to `Schema.parse`, which raises `InvalidRecord`
naming every bad field, or gives the values: the record accepts exactly what the
schema accepts, with the schema's messages, and the inline checks are only a cache.
"""

from __future__ import annotations

import builtins
import keyword
import linecache
import math
from collections.abc import Callable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeVar

from attrs import field, frozen

from ..exceptions import InvalidRecord, Problem
from ..model._conditions import facts_read
from ..model._schema import Boolean, Choice, Fact, Implies, Integer, Measure, Schema, Subset, SubsetOf, Value
from ._compile import condition_source

if TYPE_CHECKING:
    import ast

__all__ = ["Record", "record_class", "record_declaration", "record_source"]


R = TypeVar("R", bound="Record")


class Record:
    """What every record class generated from a schema (`record_class`) has.

    Its fields are the schema's facts (None: unknown). ``__facts__`` holds
    ``(schema, facts)``: the facts as `Schema.parse` gives them, read by the walk.
    """

    __slots__ = ()
    #: The schema the class was generated from.
    __schema__: ClassVar[Schema]
    #: The word for one record in messages, e.g. ``"patient"``.
    __word__: ClassVar[str] = "patient"

    @classmethod
    def from_dict(cls: type[R], data: object) -> R:
        """A record from its JSON form.

        Args:
            data: A dict as read from JSON; absent keys and ``None`` are unknown facts.

        Raises:
            InvalidRecord: ``data`` is not a dict, or breaks the schema; every
                problem is listed.
        """
        if not isinstance(data, dict):
            problem = Problem(cls.__word__, f"must be a JSON object, got {type(data).__name__}", True)
            raise InvalidRecord([problem])
        return cls(**{str(key): value for key, value in data.items()})

    def to_dict(self) -> dict[str, object]:
        """The JSON form: known facts only, enums as their strings."""
        schema = self.__schema__
        return schema.to_json(schema.facts_view(self))

    @property
    def known(self) -> tuple[str, ...]:
        """The names of the facts that are known."""
        return tuple(name for name in self.__schema__.names if getattr(self, name) is not None)

    @property
    def unknown(self) -> tuple[str, ...]:
        """The names of the facts that are unknown."""
        return tuple(name for name in self.__schema__.names if getattr(self, name) is None)


class _Slow(Exception):
    """A value the inline checks do not take: `Schema.parse` decides."""


def _slow() -> Any:
    raise _Slow


_SETS = (list, tuple)
#: Names no fact may take: ``__init__``'s own, `Record`'s, and ``facts`` (attrs' alias of ``_facts``).
_RESERVED = frozenset({"self", "unknown", "facts", *dir(Record)})
#: Builtins a class body's annotations read (``int | None``): no field may shadow them.
_BUILTINS = frozenset(dir(builtins))


@frozen
class _Spec:
    """How one fact becomes a field: its type words, its enum, and its inline check."""

    fact: Fact
    enum: type[Enum] | None = None
    prepare: Callable[[object], object] | None = None

    @property
    def name(self) -> str:
        return self.fact.name

    def field_type(self) -> str:
        """The field's type, as written in the class's source."""
        item = self.enum.__name__ if self.enum is not None else "str"
        if isinstance(self.fact, Subset):
            return f"tuple[{item}, ...] | None"
        if isinstance(self.fact, Boolean):
            return "bool | None"
        if isinstance(self.fact, Choice):
            return f"{item} | None"
        return "int | None" if isinstance(self.fact, Integer) else "float | None"

    def argument_type(self) -> str:
        """What ``__init__`` takes for the fact: an enum field also takes the enum's strings."""
        if self.enum is None:
            if isinstance(self.fact, Subset):
                return "list[str] | tuple[str, ...] | None"
            return self.field_type()
        item = f"{self.enum.__name__} | str"
        if isinstance(self.fact, Subset):
            return f"list[{item}] | tuple[{item}, ...] | None"
        return f"{item} | None"

    def table(self) -> dict[object, object]:
        """For a choice or set of named items: each value (and enum member) taken, to its field value."""
        values = self.fact.universe if isinstance(self.fact, Subset) else self.fact.values  # type: ignore[union-attr]
        assert values is not None
        if self.enum is None:
            return {value: value for value in values}
        table: dict[object, object] = {value: self.enum(value) for value in values}
        table.update({member: member for member in self.enum})
        return table

    def check(self, ns: dict[str, object]) -> list[str]:
        """The inline check as source lines: ``_f_<name>`` the field value, ``_v_<name>`` the
        fact's. Every name the code uses starts with ``_``, as no fact's may: none is shadowed."""
        n, fact = self.name, self.fact
        f, v = f"_f_{n}", f"_v_{n}"
        if isinstance(fact, Boolean):
            return [f"{f} = {v} = {n} if {n} is None or {n}.__class__ is _bool else _slow()"]
        if isinstance(fact, Integer):
            ok = f"{n}.__class__ is _int and {fact.minimum!r} <= {n} <= {fact.maximum!r}"
            return [f"{f} = {v} = {n} if {n} is None or ({ok}) else _slow()"]
        if isinstance(fact, Measure):
            number = f"({n}.__class__ is _float or {n}.__class__ is _int)"
            ok = f"{number} and {fact.minimum!r} <= {n} <= {fact.maximum!r}"
            if not (math.isfinite(fact.minimum) and math.isfinite(fact.maximum)):
                ok += f" and _isfinite({n})"
            return [f"{f} = {v} = None if {n} is None else _float({n}) if {ok} else _slow()"]
        if isinstance(fact, Choice):
            ns[f"_table_{n}"], ns[f"_types_{n}"] = self.table(), (str, self.enum or str)
            return [
                f"{f} = None if {n} is None else _table_{n}.get({n}, _MISS) "
                f"if {n}.__class__ in _types_{n} else _slow()",
                f"if {f} is _MISS: _slow()",
                f"{v} = {f}" if self.enum is None else f"{v} = None if {f} is None else {f}._value_",
            ]
        return self._set_check(ns)

    def _set_check(self, ns: dict[str, object]) -> list[str]:
        n, f, v = self.name, f"_f_{self.name}", f"_v_{self.name}"
        assert isinstance(self.fact, Subset)
        if self.fact.universe is None:
            ns[f"_items_{n}"] = _free_items
            read = f"    {v}, {f} = _items_{n}({n})"
        else:
            table = self.table()
            ns[f"_items_{n}"] = lambda raw: _named_items(raw, table, self.enum or str)
            ns[f"_order_{n}"] = tuple(table[value] for value in self.fact.universe)
            read = f"    {v} = _items_{n}({n}); {f} = _tuple([_i for _i in _order_{n} if _i in {v}])"
        values = [f"    {v} = _frozenset([_i._value_ for _i in {v}])"] if self.enum is not None else []
        return [f"if {n} is None:", f"    {f} = {v} = None", "else:", read, *values]

    def from_value(self, value: Value | None) -> object:
        """The field value of a fact's parsed value (the slow path's)."""
        if value is None or (self.enum is None and not isinstance(self.fact, Subset)):
            return value
        if isinstance(self.fact, Subset):
            assert isinstance(value, frozenset)
            ordered = self.fact.ordered(value)
            return ordered if self.enum is None else tuple(self.enum(item) for item in ordered)
        assert self.enum is not None
        return self.enum(value)


def _named_items(raw: object, table: Mapping[object, object], enum: type) -> frozenset[object]:
    """A list of a universe's items (names or enum members) as the set of field items."""
    if raw.__class__ not in _SETS:
        raise _Slow
    items = set()
    for item in raw:  # type: ignore[attr-defined,unused-ignore]
        if item.__class__ is not str and item.__class__ is not enum:
            raise _Slow
        found = table.get(item)
        if found is None:
            raise _Slow
        items.add(found)
    return frozenset(items)


def _free_items(raw: object) -> tuple[frozenset[str], tuple[str, ...]]:
    """A list of free names (lower case, stripped, none empty): the set and the field's tuple."""
    if raw.__class__ not in _SETS:
        raise _Slow
    items = set()
    for item in raw:  # type: ignore[attr-defined,unused-ignore]
        if item.__class__ is not str:
            raise _Slow
        name = item.strip().lower()
        if not name:
            raise _Slow
        items.add(name)
    return frozenset(items), tuple(sorted(items))


def _specs(
    schema: Schema,
    enums: Mapping[str, type[Enum]],
    prepare: Mapping[str, Callable[[object], object]],
    bases: tuple[type, ...] = (),
) -> tuple[_Spec, ...]:
    enum_names = {enum.__name__ for enum in enums.values()} | {"NoReturn"}
    unknown = (set(enums) | set(prepare)) - set(schema.names)
    if unknown:
        raise ValueError(f"no fact of the schema is called {', '.join(sorted(unknown))}")
    for fact in schema.facts:
        if not fact.name.isidentifier() or keyword.iskeyword(fact.name) or fact.name.startswith("_"):
            raise ValueError(f"fact {fact.name!r} cannot be a field: not a public Python name")
        taken = fact.name in _RESERVED or fact.name in _BUILTINS or fact.name in enum_names
        if taken or any(hasattr(base, fact.name) for base in bases):
            raise ValueError(f"fact {fact.name!r} cannot be a field: the name is taken")
        enum = enums.get(fact.name)
        if enum is not None:
            values = fact.universe if isinstance(fact, Subset) else getattr(fact, "values", None)
            if isinstance(fact, Boolean) or values is None or [m.value for m in enum] != list(values):
                raise ValueError(f"enum {enum.__name__} does not list the values of fact {fact.name!r}")
    return tuple(_Spec(fact, enums.get(fact.name), prepare.get(fact.name)) for fact in schema.facts)


def _fields(specs: tuple[_Spec, ...], *, default: str) -> list[str]:
    return [f"    {spec.name}: {spec.field_type()}{default}" for spec in specs]


def _signature(specs: tuple[_Spec, ...]) -> str:
    params = "".join(f"        {spec.name}: {spec.argument_type()} = None,\n" for spec in specs)
    head = "    def __init__(\n        self,\n        /,\n        *,\n"
    return f"{head}{params}        **unknown: NoReturn,\n    ) -> None"


def record_declaration(
    schema: Schema,
    name: str,
    *,
    enums: Mapping[str, type[Enum]] | None = None,
    bases: tuple[type, ...] = (),
    doc: str = "",
) -> str:
    """The typed declaration of ``record_class(schema, name, ...)``, for type checkers.

    mypy cannot see fields made at run time: a module puts this text under ``if
    TYPE_CHECKING:`` (a test checks it is the same), so that type checkers see the
    fields and the ``__init__`` the generated class has, and the attrs plugin sees
    an attrs class (``attrs.fields``, ``attrs.evolve``).
    """
    specs = _specs(schema, enums or {}, {}, bases)
    parents = ", ".join([*(base.__name__ for base in bases), "Record"])
    head = ["@frozen(init=False)", f"class {name}({parents}):"]
    body = [f'    """{doc}"""', ""] if doc else []
    return "\n".join([*head, *body, *_fields(specs, default=""), "", _signature(specs) + ": ...", ""])


def record_source(
    schema: Schema,
    name: str,
    *,
    enums: Mapping[str, type[Enum]] | None = None,
    prepare: Mapping[str, Callable[[object], object]] | None = None,
) -> str:
    """The Python source `record_class` runs: the attrs class, then its ``__init__``."""
    return _source(schema, _specs(schema, enums or {}, prepare or {}), name)[0]


def _source(schema: Schema, specs: tuple[_Spec, ...], name: str) -> tuple[str, dict[str, object]]:
    """The class's source, and the values its inline checks read (tables of names)."""
    ns: dict[str, object] = {}
    prepared = [spec.name for spec in specs if spec.prepare is not None]
    checks = [line for spec in specs for line in spec.check(ns)]
    names = [spec.name for spec in specs]
    for c in schema.constraints:
        if isinstance(c, SubsetOf):
            inner, outer = f"_v_{c.subset}", f"_v_{c.superset}"
            checks.append(
                f"if {inner} is not None and {outer} is not None and not {inner} <= {outer}: _slow()"
            )
    checks.append("_values = {" + ", ".join(f"{n!r}: _v_{n}" for n in names) + "}")
    for index, constraint in enumerate(schema.constraints):
        if isinstance(constraint, Implies):
            ns[f"_breach_{index}"] = _breach(schema, constraint)
            read = dict.fromkeys([*facts_read(constraint.when), *facts_read(constraint.then)])
            known = " and ".join(f"_v_{n} is not None" for n in read) or "True"
            variable = {name: f"_v_{name}" for name in read}
            when, then = (
                condition_source(constraint.when, variable),
                condition_source(constraint.then, variable),
            )
            checks += [f"if {known}:", f"    if ({when}) and not ({then}): _slow()"]
            checks.append(f"elif _breach_{index}(_values): _slow()")
    given = "{" + ", ".join(f"{n!r}: {n}" for n in names) + "}"
    lines = [
        "@_frozen(init=False)",
        f"class {name}(*_bases):",
        *_fields(specs, default=" = None"),
        "    _facts: tuple[_Schema, dict[str, _Value | None]] = _field(init=False, eq=False, repr=False)",
        "",
        "",
        _signature(specs).replace("    def", "def", 1).replace("\n    ", "\n") + ":",
        *(f"    if {n} is not None:\n        {n} = _prepare_{n}({n})" for n in prepared),
        "    try:",
        "        if unknown:",
        "            _slow()",
        *(f"        {line}" for line in checks),
        "    except _Slow:",
        f"        _init_slow(self, {{**{given}, **unknown}})",
        "        return",
        *(f"    _set_{n}(self, _f_{n})" for n in names),
        "    _set_facts(self, (_schema, _values))",
        "",
    ]
    return "\n".join(lines), ns


def _breach(schema: Schema, constraint: Implies) -> Callable[[Mapping[str, Value | None]], bool]:
    """Whether facts, some unknown, break ``constraint`` (three-valued, as `Schema.parse` says)."""
    alone = Schema(schema.facts, (constraint,))
    return lambda facts: bool(alone._breaches(facts))


def record_class(
    schema: Schema,
    name: str,
    *,
    enums: Mapping[str, type[Enum]] | None = None,
    prepare: Mapping[str, Callable[[object], object]] | None = None,
    bases: tuple[type, ...] = (),
    module: str | None = None,
    doc: str | None = None,
    word: str = "patient",
) -> type[Record]:
    """An attrs class whose fields are ``schema``'s facts, generated from it.

    Each field is None (unknown) by default; a `Choice` is a str (or a member of
    ``enums[name]``), a `Boolean` a bool, an `Integer` an int, a `Measure` a float, a
    `Subset` a tuple of its items in the schema's order. Instances are frozen, compare,
    hash and pickle by their facts, and take only keywords: one the schema lacks, or a
    bad value, raises `InvalidRecord` naming every bad field, in the schema's words.

    Args:
        schema: The facts, and the constraints between them.
        name: The class's name.
        enums: An `Enum` for a choice or a set of named items, listing the fact's values
            in order: the field holds its members, and ``__init__`` takes either.
        prepare: A function for a fact that each given value goes through first (e.g.
            brand names to generic ones); what it returns is validated.
        bases: Classes with more methods (each with ``__slots__ = ()``), before `Record`.
        module: The module the class belongs to (for pickling).
        doc: Its docstring. None: the docstring of its typed declaration in ``module``
            (`record_declaration`'s text under ``if TYPE_CHECKING:``), read from the module's
            source on first use, so that it is written once, where editors and type checkers
            read it too; none without ``module``, or when the module declares no such class.
        word: The word for one record in messages (``"patient: must be a JSON object"``).

    Raises:
        ValueError: A fact's name cannot be a field, or an enum does not list its values.

    Examples:
        >>> from rrall.engine import Choice, Integer, Schema
        >>> schema = Schema((Integer("age", "age", 0, 120), Choice("sex", "sex", ("f", "m"))))
        >>> Visit = record_class(schema, "Visit")
        >>> Visit(age=3)
        Visit(age=3, sex=None)
        >>> Visit.from_dict({"sex": "f"}).to_dict()
        {'sex': 'f'}
    """
    specs = _specs(schema, enums or {}, prepare or {}, bases)
    source, ns = _source(schema, specs, name)
    ns.update(_namespace(schema, specs, (*bases, Record), module or __name__))
    filename = f"<rrall record {module or __name__}.{name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec", dont_inherit=True), ns)  # no __future__ of this module
    cls: type[Record] = ns[name]  # type: ignore[assignment]
    declared = _DeclaredDoc(module, name) if doc is None and module is not None else None
    _describe(cls, schema, word, doc if doc is not None else declared)
    init = ns["__init__"]
    assert callable(init)
    _bind(cls, init, specs, schema, ns)
    return cls


def _describe(cls: type[Record], schema: Schema, word: str, doc: str | _DeclaredDoc | None) -> None:
    """What a generated class says of itself: its schema, its word, its facts and its docstring.

    Its fields' types are types already, not strings (its source has no ``from __future__
    import annotations``): no `attrs.resolve_types`, whose mark (the class itself, as a class
    attribute) `help` would show with the class's docstring a second time.
    """
    cls.__schema__ = schema
    cls.__word__ = word
    # `Schema.facts_of` reads ``__facts__``: the `_facts` slot itself, as fast as any field.
    cls.__facts__ = vars(cls)["_facts"]  # type: ignore[attr-defined]
    if doc is not None:
        cls.__doc__ = doc  # type: ignore[assignment]  # a `_DeclaredDoc` gives a str on reading


def _namespace(
    schema: Schema, specs: tuple[_Spec, ...], bases: tuple[type, ...], module: str
) -> dict[str, object]:
    """What the generated source reads besides its tables: the enums, the ``prepare``
    functions, attrs, the schema, builtins under names no fact can take, the slow path."""
    ns: dict[str, object] = {spec.enum.__name__: spec.enum for spec in specs if spec.enum is not None}
    ns.update({f"_prepare_{spec.name}": spec.prepare for spec in specs if spec.prepare is not None})
    ns.update(_frozen=frozen, _field=field, NoReturn=NoReturn, _Schema=Schema, _Value=Value, _bases=bases)
    ns.update(_bool=bool, _int=int, _float=float, _tuple=tuple, _frozenset=frozenset, _len=len)
    ns.update(_slow=_slow, _Slow=_Slow, _MISS=_MISS, _isfinite=math.isfinite, _schema=schema)
    ns["__name__"] = module
    return ns


def _bind(
    cls: type[Record],
    init: Callable[..., None],
    specs: tuple[_Spec, ...],
    schema: Schema,
    ns: dict[str, object],
) -> None:
    """Give the generated ``__init__`` the slots' setters and the slow path, and install it."""
    slots = vars(cls)
    ns.update({f"_set_{spec.name}": slots[spec.name].__set__ for spec in specs})
    ns["_set_facts"] = slots["_facts"].__set__

    def init_slow(record: Record, raw: dict[str, object]) -> None:
        facts = schema.parse(raw)
        for spec in specs:
            slots[spec.name].__set__(record, spec.from_value(facts[spec.name]))
        slots["_facts"].__set__(record, (schema, facts))

    ns["_init_slow"] = init_slow
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[method-assign]


_MISS = object()


class _DeclaredDoc:
    """A generated class's docstring, read on first use from its typed declaration in its
    module's source (a descriptor: `type.__doc__` calls it, so `help` shows the text)."""

    __slots__ = ("module", "name", "text")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self.text: object = _MISS

    def __get__(self, instance: object, owner: type | None = None) -> str | None:
        if self.text is _MISS:
            self.text = _declared_doc(self.module, self.name)
        return self.text  # type: ignore[return-value]  # a str or None once read


def _declared_doc(module: str, name: str) -> str | None:
    """The docstring of the class ``name`` that ``module`` declares for type checkers (under
    ``if TYPE_CHECKING:``), indented as if the class were at the module's top level; None when
    the module's source cannot be read or declares no such class with a docstring."""
    import ast
    import inspect
    import sys

    try:
        source = inspect.getsource(sys.modules[module])
    except (KeyError, OSError, TypeError):  # not imported, or no source (a frozen build)
        return None
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                if isinstance(child, ast.ClassDef) and child.name == name:
                    return _docstring(child)
    return None


def _docstring(node: ast.ClassDef) -> str | None:
    """The class's docstring as written, less the indentation of the block it sits in."""
    import ast

    first = node.body[0] if node.body else None
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
        return None
    text = first.value.value
    if not isinstance(text, str):
        return None
    block = " " * node.col_offset
    head, *rest = text.split("\n")
    return "\n".join([head, *(line.removeprefix(block) for line in rest)])
