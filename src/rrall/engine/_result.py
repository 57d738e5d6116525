"""What a walk returns: plain values, built whole.

A `WalkResult` holds the options offered (each an `Option`, with the
`Requirement` s it still depends on), the leaves excluded (`Exclusion`) and
the path (`Step`). These are the data every layer above the walk reads.
"""

from __future__ import annotations

from attrs import frozen

from . import _display
from ._conditions import Condition

__all__ = ["Exclusion", "Option", "Requirement", "Step", "WalkResult"]


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
class Option:
    """A regimen the text offers this patient.

    Attributes:
        id: The leaf id, e.g. ``"blinatumomab"``.
        name: The display name.
        drugs: The drugs it contains, as the text names them.
        brands: Brand names the text gives.
        variants: Forms the text allows (e.g. alone or in combination).
        notes: Notes on the text, e.g. where it is out of date.
        quotes: The verbatim spans of the source that offer it.
        already_given: The option's drugs the patient already had at
            induction; None when that history is unknown.
        conditions: Empty when the known facts settle the option (a definite
            option); otherwise every requirement in it must hold.
    """

    id: str
    name: str
    drugs: tuple[str, ...]
    brands: tuple[str, ...]
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
    """A regimen the text does not offer this patient, and why.

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
        kind: ``"decision"``, ``"group"`` or ``"regimen"``.
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


@frozen
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
    """

    guideline: str
    #: The patient's known facts in their JSON form.
    patient: dict[str, object]
    options: tuple[Option, ...]
    excluded: tuple[Exclusion, ...]
    missing: tuple[str, ...]
    path: tuple[Step, ...]

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
        """The offered option with id ``option_id``, or None."""
        return next((option for option in self.options if option.id == option_id), None)

    def exclusion(self, option_id: str) -> Exclusion | None:
        """Why the leaf ``option_id`` is excluded, or None if it is offered."""
        return next((item for item in self.excluded if item.id == option_id), None)

    # -- display in Jupyter (drawn by the renderer, through `_display`) -------

    def _repr_svg_(self) -> str | None:
        return _display.svg(self)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return _display.bundle(self)
