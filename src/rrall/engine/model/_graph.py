"""A guideline as data: decision, option-group and leaf nodes in a DAG.

`Guideline` checks itself when it is built: a cycle, a dangling edge, a node
that cites nothing (or cites words the source does not contain), a decision
whose branches miss or overlap some patient, or an uncited bullet of the
source is rejected with every problem listed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Union

from attrs import field, fields, frozen

from ..._version import __version__
from ..exceptions import GuidelineError, InvalidRecord, Problem
from . import _display
from ._conditions import ALWAYS, AtLeast, AtMost, Condition, atoms, describe, evaluate, facts_read
from ._golden import GoldenCase
from ._knowledge import Knowledge
from ._schema import Choice, Integer, Measure, Schema, Subset, Value

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Branch",
    "Components",
    "Decision",
    "Guideline",
    "GuidelineError",
    "History",
    "Leaf",
    "LeafWords",
    "Node",
    "OptionGroup",
    "Provenance",
    "Publication",
    "Reading",
    "Regimen",
]


def _tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    assert isinstance(value, (list, tuple))
    return tuple(value)


def _branches(value: Iterable[Branch]) -> tuple[Branch, ...]:
    return tuple(value)


@frozen
class Branch:
    """An edge: go to node ``to`` when ``when`` holds, shown as ``label``.

    Attributes:
        to: The id of the node it leads to.
        when: The condition on patient facts; `ALWAYS` by default.
        label: Short words for the edge; the condition described when empty.
        quote: The verbatim span of the source that gives this branch, cited by a
            walk's path step that takes it; the node's first quote when empty.
    """

    to: str
    when: Condition = ALWAYS
    label: str = ""
    quote: str = ""


@frozen
class _Cited:
    """What every node has: an id, a label, and the verbatim spans it encodes."""

    id: str
    label: str
    quotes: tuple[str, ...] = field(converter=_tuple)
    #: Ids of the interpretation-register entries that touch this node.
    readings: tuple[str, ...] = field(converter=_tuple, default=(), kw_only=True)
    #: The section of the text the node belongs to ("" for none), drawn as a box.
    section: str = field(default="", kw_only=True)

    @property
    def quote(self) -> str:
        """The first verbatim span of the source this node encodes."""
        return self.quotes[0]


@frozen
class Decision(_Cited):
    """Exactly one branch applies, chosen by its condition on patient facts."""

    kind: ClassVar[str] = "decision"
    branches: tuple[Branch, ...] = field(converter=_branches)


@frozen
class OptionGroup(_Cited):
    """Every option applies whose own condition (if any) holds: "several options"."""

    kind: ClassVar[str] = "group"
    branches: tuple[Branch, ...] = field(converter=_branches)


class _OlderNames:
    """``drugs`` and ``brands``, the older names of ``components`` and ``aliases``, kept so code
    written for R/R ALL keeps working (a leaf's, and an option's in a walk's result)."""

    __slots__ = ()
    components: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def drugs(self) -> tuple[str, ...]:
        """The older name of `components`, kept so code written for R/R ALL keeps working."""
        return self.components

    @property
    def brands(self) -> tuple[str, ...]:
        """The older name of `aliases`, kept so code written for R/R ALL keeps working."""
        return self.aliases


@frozen(init=False)
class Leaf(_Cited, _OlderNames):
    """A leaf: an option the text offers (R/R ALL's are regimens: `Regimen` is this class).

    The words a guideline uses for its leaves and their parts, in JSON and in reports,
    are its own (`LeafWords`, `Components`).

    Attributes:
        components: What the option is made of, as the text names them: the items the
            guideline's `History` rule checks, and that it calls by its own name
            (`Components`: R/R ALL's "drugs").
        aliases: Other names the text gives it (R/R ALL: brand names).
        variants: Forms the text allows (e.g. alone or in combination).
        notes: Notes on the text, e.g. where it is out of date.
    """

    kind: ClassVar[str] = "leaf"
    branches: ClassVar[tuple[Branch, ...]] = ()
    components: tuple[str, ...] = field(converter=_tuple, default=())
    aliases: tuple[str, ...] = field(converter=_tuple, default=())
    variants: tuple[str, ...] = field(converter=_tuple, default=())
    notes: tuple[str, ...] = field(converter=_tuple, default=())

    def __init__(
        self,
        id: str,  # the attrs field's name
        label: str,
        quotes: str | tuple[str, ...] | list[str],
        components: str | tuple[str, ...] | list[str] = (),
        aliases: str | tuple[str, ...] | list[str] = (),
        variants: str | tuple[str, ...] | list[str] = (),
        notes: str | tuple[str, ...] | list[str] = (),
        *,
        readings: str | tuple[str, ...] | list[str] = (),
        section: str = "",
        drugs: str | tuple[str, ...] | list[str] | None = None,
        brands: str | tuple[str, ...] | list[str] | None = None,
    ) -> None:
        """``drugs`` and ``brands``, the older names of ``components`` and ``aliases``, are still
        taken (R/R ALL's words)."""
        components = _older("components", components, "drugs", drugs)
        aliases = _older("aliases", aliases, "brands", brands)
        self.__attrs_init__(
            id, label, quotes, components, aliases, variants, notes, readings=readings, section=section
        )

    @property
    def name(self) -> str:
        """The display name (same as ``label``)."""
        return self.label


Regimen = Leaf
"""The older name of `Leaf` (R/R ALL's leaves are regimens), kept so code written for it keeps
working and its encoded guideline reads like the text."""


_Names = Union[str, tuple[str, ...], list[str]]


def _older(name: str, value: _Names, older: str, given: _Names | None) -> _Names:
    """``value``, or what was given under its older name (never both)."""
    if given is None:
        return value
    if value:
        raise TypeError(f"Leaf takes {name} or {older} (their older name), not both")
    return given


Node = Union[Decision, OptionGroup, Leaf]
"""Any node of a guideline graph: `Decision`, `OptionGroup` or `Leaf`."""


@frozen
class Reading:
    """An entry of the interpretation register: how an unclear span is read.

    Attributes:
        id: The entry's id, e.g. ``"R1"``; nodes name it in their ``readings``.
        title: One line saying what is decided.
        quote: The unclear span of the source.
        literal: What the span says, read literally.
        chosen: The reading the graph encodes.
        why: Why that reading was chosen.
    """

    id: str
    title: str
    quote: str
    literal: str
    chosen: str
    why: str


def _aliases(value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    assert isinstance(items, Iterable)
    return tuple((str(item), tuple(names)) for item, names in items)


@frozen
class History:
    """The guideline's rule for what a patient already had of an option's components.

    Each option of a walk lists, in ``already_given``, its components that the set
    fact ``fact`` names, directly or by another name the guideline counts as the
    component (``counts_as``: e.g. R/R ALL counts a drug's formulation as its active
    drug). Nothing else counts: "beta" is not "beta blocker" unless the guideline
    says so. The guideline words it too.

    Attributes:
        fact: The set fact of what the patient already had (e.g. induction drugs).
        words: How a report says it, e.g. ``"already given at induction"``.
        counts_as: For a component, the other given names that count as having had it,
            as pairs ``(component, names)``.
        counted_words: How a report names a component had by another name: ``{given}``
            is the name given, ``{item}`` the component (e.g. ``"{given}, the same
            active drug as {item}"``).
    """

    fact: str
    words: str = "already given"
    counts_as: tuple[tuple[str, tuple[str, ...]], ...] = field(converter=_aliases, default=())
    counted_words: str = "{given}, counted as {item}"

    @cached_property
    def _names(self) -> dict[str, tuple[str, ...]]:
        return {item: (item, *names) for item, names in self.counts_as}

    def names(self, item: str) -> tuple[str, ...]:
        """The given names that count as having had ``item``: itself first, then its others."""
        return self._names.get(item, (item,))


@frozen
class Components:
    """What a guideline calls the components of its leaves (`Leaf.components`).

    Attributes:
        key: Their key in the JSON forms of results and exports, e.g. ``"drugs"``.
        label: Their label in a text report (``"drugs: …"``); the key when empty.
    """

    key: str = "components"
    label: str = ""

    @property
    def words(self) -> str:
        """The label a report shows: `label`, else `key`."""
        return self.label or self.key


@frozen
class LeafWords:
    """What a guideline calls its leaves, their other names and their forms, in its JSON
    forms and reports (R/R ALL: regimens, with brand names and forms).

    Attributes:
        kind: A leaf's ``"kind"`` in an export and in the result's JSON Schema, e.g.
            ``"regimen"`` (never ``"decision"`` or ``"group"``).
        aliases: The key of a leaf's other names (`Leaf.aliases`) in the JSON forms of
            results and exports, e.g. ``"brands"``.
        variants: The key of the forms it allows (`Leaf.variants`).
        variants_label: Their label in a report (``"forms: …"``); the key when empty.
    """

    kind: str = "leaf"
    aliases: str = "aliases"
    variants: str = "variants"
    variants_label: str = ""

    @property
    def variants_words(self) -> str:
        """The label a report shows for the forms: `variants_label`, else `variants`."""
        return self.variants_label or self.variants


@frozen
class Publication:
    """Where a guideline's source text comes from.

    Attributes:
        publisher: Who published the text, e.g. ``"The Leukemia & Lymphoma Society (LLS)"``.
        title: The published text's title.
        captured: The date (ISO 8601) the text was copied into the guideline, as it read then.
    """

    publisher: str = ""
    title: str = ""
    captured: str = ""


@frozen
class Provenance:
    """Where a walk result came from: the rrall that walked it and the guideline it walked.

    Attributes:
        rrall: The rrall version.
        guideline: The guideline's name.
        version: The guideline's version.
        source: The guideline's source text: its publisher, title and the date it was captured.
    """

    rrall: str
    guideline: str
    version: str
    source: Publication

    def to_dict(self) -> dict[str, object]:
        """The JSON form, as in a walk result's ``"provenance"``."""
        return {
            "rrall": self.rrall,
            "guideline": {"name": self.guideline, "version": self.version},
            "source": {
                "publisher": self.source.publisher,
                "title": self.source.title,
                "captured": self.source.captured,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        """The inverse of `to_dict`."""
        guideline, source = data["guideline"], data["source"]
        publication = Publication(source["publisher"], source["title"], source["captured"])
        return cls(data["rrall"], guideline["name"], guideline["version"], publication)


def _nodes(value: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(value)


def _readings(value: Iterable[Reading]) -> tuple[Reading, ...]:
    return tuple(value)


def _golden(value: Iterable[GoldenCase]) -> tuple[GoldenCase, ...]:
    return tuple(value)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@frozen(repr=False)
class Guideline:
    """An encoded guideline: its source text, fact schema and node graph.

    The graph is checked when the guideline is built; ``graph`` is a frozen
    `networkx.DiGraph` whose nodes carry the node objects under ``"node"``
    and whose edges carry the `Branch` under ``"branch"``.
    """

    name: str
    title: str
    source: str
    schema: Schema
    root: str
    nodes: tuple[Node, ...] = field(converter=_nodes)
    readings: tuple[Reading, ...] = field(converter=_readings, default=())
    #: What the patient already had of an option's components, if the text cares (`History`).
    history: History | None = None
    disclaimer: str = ""
    #: Bullets of the source that are deliberately not options (e.g. links).
    not_options: tuple[str, ...] = field(converter=_tuple, default=())
    #: Patients and the options the text gives them, checked by `verify` and the tests.
    golden: tuple[GoldenCase, ...] = field(converter=_golden, default=())
    #: The version of this encoding of the text: changed whenever what it offers changes.
    version: str = ""
    #: Where the source text comes from, named in every walk result's provenance.
    publication: Publication = Publication()
    #: What the guideline calls its leaves' components (`Components`), in JSON and in words.
    components: Components = field(default=Components(), kw_only=True)
    #: What the guideline calls its leaves, their other names and forms (`LeafWords`).
    leaf_words: LeafWords = field(default=LeafWords(), kw_only=True)
    #: Builds the guideline's record class (e.g. `rrall.Patient.from_dict`) from a patient's
    #: JSON form; None: `read_record` gives the validated facts as a dict.
    record: Callable[[object], object] | None = field(default=None, eq=False, repr=False)
    #: What layers above keep of this guideline, made once (e.g. the walk's cache), by
    #: their own keys; not part of its value.
    memo: dict[object, object] = field(factory=dict, init=False, eq=False, repr=False)

    # An immutable value: copies are the guideline itself, and a pickle holds only what
    # builds it again (not its memo of generated functions, made again on first use).
    def __copy__(self) -> Guideline:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Guideline:
        return self

    def __reduce__(self) -> tuple[Callable[..., Guideline], tuple[object, ...]]:
        return _rebuilt, (type(self), {f.name: getattr(self, f.name) for f in fields(type(self)) if f.init})

    def __attrs_post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            raise GuidelineError(problems)

    @cached_property
    def by_id(self) -> dict[str, Node]:
        """Every node by its id."""
        return {node.id: node for node in self.nodes}

    def node(self, node_id: str) -> Node:
        """The node with id ``node_id``; ``KeyError`` if there is none."""
        return self.by_id[node_id]

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The guideline as a frozen `networkx.DiGraph`."""
        import networkx as nx  # imported here: it is slow to import, and walks do not need it

        graph = nx.DiGraph(name=self.name)
        for node in self.nodes:
            graph.add_node(node.id, node=node, kind=self.kind_of(node))
        for node in self.nodes:
            for branch in node.branches:
                graph.add_edge(node.id, branch.to, branch=branch)
        return nx.freeze(graph)

    @cached_property
    def leaves(self) -> tuple[Leaf, ...]:
        """The leaves (the options), in the order the text gives them."""
        return tuple(node for node in self.nodes if isinstance(node, Leaf))

    @cached_property
    def leaves_below(self) -> dict[str, frozenset[str]]:
        """For each node, the ids of the leaves reachable from it (itself for a leaf)."""
        below: dict[str, frozenset[str]] = {}

        def leaves(node_id: str) -> frozenset[str]:
            if node_id not in below:
                node = self.by_id[node_id]
                if isinstance(node, Leaf):
                    below[node_id] = frozenset({node_id})
                else:
                    below[node_id] = frozenset().union(*(leaves(b.to) for b in node.branches))
            return below[node_id]

        return {node.id: leaves(node.id) for node in self.nodes}

    def kind_of(self, node: Node) -> str:
        """A node's kind in this guideline's words: ``"decision"``, ``"group"``, or a leaf's
        `LeafWords.kind` (R/R ALL: ``"regimen"``)."""
        return self.leaf_words.kind if isinstance(node, Leaf) else node.kind

    @cached_property
    def option_keys(self) -> tuple[str, str, str]:
        """The keys of an option's components, other names and forms in the JSON forms, in
        this guideline's words (`Components.key`, `LeafWords.aliases`, `LeafWords.variants`)."""
        return (self.components.key, self.leaf_words.aliases, self.leaf_words.variants)

    @property
    def history_fact(self) -> str | None:
        """The set fact of what the patient already had (`History.fact`), if any."""
        return None if self.history is None else self.history.fact

    def counted_names(self, item: str) -> tuple[str, ...]:
        """The given names that count as having had ``item`` (`History.names`)."""
        return (item,) if self.history is None else self.history.names(item)

    @cached_property
    def provenance(self) -> Provenance:
        """What every walk result through this guideline says of where it came from."""
        return Provenance(__version__, self.name, self.version, self.publication)

    def read_record(self, data: object) -> object:
        """A patient from its JSON form: the guideline's record, or its validated facts.

        Raises:
            InvalidRecord: ``data`` is not an object, or breaks the schema (every problem named).
        """
        if self.record is not None:
            return self.record(data)
        if not isinstance(data, dict):
            problem = Problem("patient", f"must be a JSON object, got {type(data).__name__}", True)
            raise InvalidRecord([problem])
        return self.schema.parse(data)

    def edge_label(self, branch: Branch) -> str:
        """The words on an edge: its label, else its condition described."""
        return branch.label or ("" if branch.when == ALWAYS else describe(branch.when, self.schema))

    def __repr__(self) -> str:
        """One line naming it: the whole source text and graph would be tens of kB."""
        return f"<Guideline {self.name!r}: {len(self.nodes)} nodes, {len(self.leaves)} leaves>"

    def step_quote(self, node: Node, taken: Iterable[str]) -> str:
        """What a path step through ``node`` cites: the span of each branch it took (the
        node's first quote for a branch without its own), in order, joined by " … "."""
        chosen = set(taken)
        spans = [branch.quote or node.quote for branch in node.branches if branch.to in chosen]
        return " … ".join(dict.fromkeys(spans)) or node.quote

    def reading(self, reading_id: str) -> Reading:
        """The register entry with id ``reading_id``."""
        return next(reading for reading in self.readings if reading.id == reading_id)

    # -- display in Jupyter (drawn by the renderer, through `_display`) -------

    def _repr_svg_(self) -> str | None:
        return _display.svg(self)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return _display.bundle(self)

    # -- checks -------------------------------------------------------------

    def _problems(self) -> Iterator[str]:
        ids = [node.id for node in self.nodes]
        for node_id in sorted({i for i in ids if ids.count(i) > 1}):
            yield f"node id {node_id!r} is used more than once"
        known = set(ids)
        if self.root not in known:
            yield f"root {self.root!r} is not a node"
        for node in self.nodes:
            yield from self._node_problems(node, known)
        edges: dict[str, list[str]] = {node_id: [] for node_id in known}
        for n in self.nodes:
            edges[n.id] += [b.to for b in n.branches if b.to in known]
        if _has_cycle(edges):
            import networkx as nx  # only to name the cycle

            graph = nx.DiGraph()
            graph.add_nodes_from(known)
            graph.add_edges_from((n.id, b.to) for n in self.nodes for b in n.branches if b.to in known)
            cycle = " -> ".join(edge[0] for edge in nx.find_cycle(graph))
            yield f"the graph has a cycle: {cycle}"
        elif self.root in known:
            unreachable = known - _descendants(edges, self.root) - {self.root}
            for node_id in sorted(unreachable):
                yield f"node {node_id!r} cannot be reached from the root"
        yield from self._uncited_bullets()
        if self.history is not None and not isinstance(self.schema._by_name.get(self.history.fact), Subset):
            yield f"the history fact {self.history.fact!r} is not a set fact of the schema"
        yield from self._word_problems()
        register = {reading.id for reading in self.readings}
        for node in self.nodes:
            for reading_id in node.readings:
                if reading_id not in register:
                    yield f"node {node.id!r} names reading {reading_id!r}, which the register lacks"

    def _word_problems(self) -> Iterator[str]:
        """The guideline's words for its leaves must keep its JSON forms readable."""
        if self.leaf_words.kind in (Decision.kind, OptionGroup.kind):
            yield f"a leaf's kind {self.leaf_words.kind!r} is the kind of another node"
        keys = [*self.option_keys, "id", "kind", "label", "name", "notes", "quote", "quotes"]
        keys += ["readings", "section", "already_given", "conditions"]
        for key in sorted({key for key in keys if keys.count(key) > 1}):
            yield f"the leaves' words use the key {key!r} twice"

    def _node_problems(self, node: Node, known: set[str]) -> Iterator[str]:
        if not node.quotes or not all(quote.strip() for quote in node.quotes):
            yield f"node {node.id!r} has no quote"
        source = _normalise(self.source)
        for quote in node.quotes:
            if quote.strip() and _normalise(quote) not in source:
                yield f"node {node.id!r} quotes words not in the source: {quote!r}"
        if not isinstance(node, Leaf) and not node.branches:
            yield f"node {node.id!r} is a dead end: a {node.kind} with no branches"
        for branch in node.branches:
            if branch.to not in known:
                yield f"node {node.id!r} has a dangling edge to {branch.to!r}"
            if branch.quote and _normalise(branch.quote) not in source:
                yield f"node {node.id!r}: the branch to {branch.to!r} quotes words not in the source"
            yield from self._condition_problems(node.id, branch.when)
        if isinstance(node, Decision):
            yield from self._coverage_problems(node)

    def _condition_problems(self, node_id: str, condition: Condition) -> Iterator[str]:
        for atom in atoms(condition):
            if atom.fact not in self.schema.names:
                yield f"node {node_id!r} reads {atom.fact!r}, which the schema lacks"
                continue
            fact = self.schema.fact(atom.fact)
            numbers = (Integer, Measure)
            expected = (
                "Is"
                if isinstance(fact, Choice)
                else "AtLeast/AtMost"
                if isinstance(fact, numbers)
                else "Contains/CountAtLeast"
            )
            if type(atom).__name__ not in expected.split("/"):
                yield f"node {node_id!r} applies {type(atom).__name__} to {atom.fact!r}"
            elif (
                isinstance(fact, Integer)
                and isinstance(atom, (AtLeast, AtMost))
                and not isinstance(atom.bound, int)
            ):
                yield f"node {node_id!r} compares whole number {atom.fact!r} with {atom.bound!r}"
            elif isinstance(fact, Choice) and atom.value not in fact.values:  # type: ignore[union-attr,operator]
                yield f"node {node_id!r} tests {atom.fact!r} for unknown value {atom.value!r}"  # type: ignore[union-attr]

    def _coverage_problems(self, decision: Decision) -> Iterator[str]:
        """Every combination of the facts a decision reads takes exactly one branch."""
        conditions = [branch.when for branch in decision.branches]
        names = list(dict.fromkeys(n for c in conditions for n in facts_read(c)))
        if any(name not in self.schema.names for name in names):
            return
        choices = []
        for name in names:
            fact_atoms = [a for c in conditions for a in atoms(c) if a.fact == name]
            choices.append(self.schema.fact(name).representatives(fact_atoms))
        for values in itertools.product(*choices):
            facts: dict[str, Value | None] = dict(zip(names, values, strict=False))
            if self.schema._breaches({n: facts.get(n) for n in self.schema.names}):
                continue
            knowledge = Knowledge.exact(self.schema, facts)
            taken = [b for b, c in zip(decision.branches, conditions, strict=False) if evaluate(c, knowledge)]
            if len(taken) != 1:
                shown = ", ".join(f"{n}={self.schema.show(n, v)}" for n, v in facts.items())
                verdict = "no branch" if not taken else f"{len(taken)} branches"
                yield f"decision {decision.id!r} gives {verdict} for {shown or 'every patient'}"

    def _uncited_bullets(self) -> Iterator[str]:
        quotes = [_normalise(quote) for node in self.nodes for quote in node.quotes]
        quotes += [_normalise(span) for span in self.not_options]
        for line in self.source.splitlines():
            if line.lstrip().startswith("- "):
                bullet = _normalise(line.lstrip()[2:])
                if bullet and not any(quote in bullet or bullet in quote for quote in quotes):
                    yield f"no node cites the bullet {bullet!r}"


def _has_cycle(edges: dict[str, list[str]]) -> bool:
    """Whether the directed graph ``edges`` (node -> successors) has a cycle."""
    done: set[str] = set()
    for start in edges:
        if start in done:
            continue
        on_path = {start}
        stack = [(start, iter(edges[start]))]
        while stack:
            node_id, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                stack.pop()
                on_path.discard(node_id)
                done.add(node_id)
            elif step in on_path:
                return True
            elif step not in done:
                on_path.add(step)
                stack.append((step, iter(edges[step])))
    return False


def _descendants(edges: dict[str, list[str]], start: str) -> set[str]:
    """The nodes reachable from ``start`` (not itself, unless on a cycle)."""
    seen: set[str] = set()
    stack = list(edges[start])
    while stack:
        node_id = stack.pop()
        if node_id not in seen:
            seen.add(node_id)
            stack.extend(edges[node_id])
    return seen


def _rebuilt(cls: type[Guideline], values: dict[str, object]) -> Guideline:
    return cls(**values)  # type: ignore[arg-type]  # the fields of a pickled guideline
