"""Golden cases: a patient and the options the text gives them, stored as data.

A guideline carries its golden cases (``Guideline.golden``); ``verify`` and the
test suite walk each one and compare. A case reads like a line of the text: a
patient in its JSON form, the ids of every option offered (in the text's
order), which of them still depend on unknown facts, and leaves the patient
must not be offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from attrs import field, frozen

if TYPE_CHECKING:
    from ..walk._result import WalkResult

__all__ = ["GoldenCase"]


def _ids(value: Iterable[str] | str) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _patient(value: Mapping[str, object]) -> dict[str, object]:
    return dict(value)


@frozen
class GoldenCase:
    """A patient (JSON form) and what the text offers them.

    ``offered`` is every option id the walk must offer, in the text's order;
    ``conditional`` the ones among them that depend on unknown facts (empty:
    all definite); ``not_offered`` leaves that must not be offered.
    """

    name: str
    patient: dict[str, object] = field(converter=_patient)
    offered: tuple[str, ...] = field(converter=_ids)
    conditional: tuple[str, ...] = field(converter=_ids, default=())
    not_offered: tuple[str, ...] = field(converter=_ids, default=())

    def failures(self, result: WalkResult) -> tuple[str, ...]:
        """How ``result`` (the walk of ``patient``) breaks this case; empty when it passes."""
        problems = []
        if result.option_ids != self.offered:
            problems.append(f"offers {list(result.option_ids)}, expected {list(self.offered)}")
        conditional = tuple(option.id for option in result.conditional)
        if conditional != self.conditional:
            problems.append(
                f"{list(conditional) or 'none'} conditional, expected {list(self.conditional) or 'none'}"
            )
        wrongly = [leaf for leaf in self.not_offered if leaf in result.option_ids]
        if wrongly:
            problems.append(f"offers {wrongly}, which it must not")
        return tuple(problems)
