"""Every error rrall raises on purpose, in one module; all derive from `RrallError`.

Each is also a ``ValueError`` (and `InvalidRecord` a ``TypeError``), so code that catches
those for bad input catches these too. The old import paths (``rrall.engine.InvalidRecord``,
``rrall.engine.model._schema.InvalidRecord`` and the like) name the same classes.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

__all__ = [
    "DiffError",
    "GuidelineError",
    "InvalidFhir",
    "InvalidRecord",
    "LoadError",
    "Problem",
    "ResultError",
    "RrallError",
]


#: The most characters of a value an error message shows: a message names the field, and must stay short.
_SHOWN = 40


def _clipped(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


class RrallError(Exception):
    """The base of every error rrall raises on purpose."""


@frozen
class Problem:
    """One thing wrong with one field of a record."""

    field: str
    message: str
    wrong_type: bool = False

    def __str__(self) -> str:
        return f"{_clipped(self.field)}: {self.message}"


class InvalidRecord(RrallError, ValueError, TypeError):
    """A record breaks its schema; ``problems`` lists every problem found.

    It is both a ``ValueError`` and a ``TypeError``, so code that expects either
    for bad input catches it.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the fields with problems, in order."""
        return tuple(dict.fromkeys(problem.field for problem in self.problems))


class GuidelineError(RrallError, ValueError):
    """A guideline is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid guideline:\n- " + "\n- ".join(problems))


class DiffError(RrallError, ValueError):
    """The two versions cannot be compared (they read different facts)."""


class LoadError(RrallError, ValueError):
    """An exported guideline cannot be built back; the message names the problem."""


class InvalidFhir(RrallError, ValueError):
    """The input is not FHIR rrall can read: names the resource and the element.

    Attributes:
        resource: The resource, e.g. ``Observation/123`` or ``Bundle``.
        element: The element, e.g. ``code`` or ``entry[2].resource``.
        problem: What is wrong with it.
    """

    def __init__(self, resource: str, element: str, problem: str) -> None:
        self.resource, self.element, self.problem = resource, element, problem
        super().__init__(f"{resource}.{element}: {problem}" if element else f"{resource}: {problem}")


class ResultError(RrallError, ValueError):
    """A dict is not the JSON form of a walk result (`WalkResult.from_dict`); the message says why."""
