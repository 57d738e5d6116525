"""The values a fact can still take, one kind per fact type; `Knowledge` keeps one per fact."""

from __future__ import annotations

from typing import Union

from attrs import frozen

from ._conditions import AtLeast, AtMost, Atom, Contains, CountAtLeast, Is

__all__ = ["ChoiceDomain", "Domain", "MeasureDomain", "RangeDomain", "SetDomain"]


@frozen
class ChoiceDomain:
    """The values a choice fact can still take (``possible``)."""

    possible: frozenset[str | bool]

    def evaluate(self, atom: Atom) -> bool | None:
        """Whether ``atom`` holds for every value left (True), none (False), or some (None)."""
        assert isinstance(atom, Is)
        if atom.value not in self.possible:
            return False
        return True if len(self.possible) == 1 else None

    def assume(self, atom: Atom, holds: bool) -> ChoiceDomain:
        """The values left once ``atom`` is taken to hold (``holds``) or to fail."""
        assert isinstance(atom, Is)
        if holds:
            return ChoiceDomain(self.possible & {atom.value})
        return ChoiceDomain(self.possible - {atom.value})

    @property
    def empty(self) -> bool:
        """True when no value is left (the route is impossible)."""
        return not self.possible


@frozen
class RangeDomain:
    """The whole numbers an integer fact can still take: ``low`` to ``high``, inclusive."""

    low: int
    high: int

    def evaluate(self, atom: Atom) -> bool | None:
        """Whether ``atom`` holds for every value left (True), none (False), or some (None)."""
        if isinstance(atom, AtLeast):
            return True if self.low >= atom.bound else False if self.high < atom.bound else None
        assert isinstance(atom, AtMost)
        return True if self.high <= atom.bound else False if self.low > atom.bound else None

    def assume(self, atom: Atom, holds: bool) -> RangeDomain:
        """The values left once ``atom`` is taken to hold (``holds``) or to fail."""
        assert isinstance(atom, (AtLeast, AtMost))
        bound = int(atom.bound)  # whole: the guideline checks an integer's bounds
        if isinstance(atom, AtLeast):
            if holds:
                return RangeDomain(max(self.low, bound), self.high)
            return RangeDomain(self.low, min(self.high, bound - 1))
        if holds:
            return RangeDomain(self.low, min(self.high, bound))
        return RangeDomain(max(self.low, bound + 1), self.high)

    @property
    def empty(self) -> bool:
        """True when no value is left (the route is impossible)."""
        return self.low > self.high


@frozen
class MeasureDomain:
    """The decimals a measure can still take: ``low`` to ``high``, each end left out when ``*_open``."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def evaluate(self, atom: Atom) -> bool | None:
        """Whether ``atom`` holds for every value left (True), none (False), or some (None)."""
        if isinstance(atom, AtLeast):
            if self.low >= atom.bound:
                return True
            below = self.high < atom.bound or (self.high == atom.bound and self.high_open)
            return False if below else None
        assert isinstance(atom, AtMost)
        if self.high <= atom.bound:
            return True
        above = self.low > atom.bound or (self.low == atom.bound and self.low_open)
        return False if above else None

    def assume(self, atom: Atom, holds: bool) -> MeasureDomain:
        """The values left once ``atom`` is taken to hold (``holds``) or to fail."""
        assert isinstance(atom, (AtLeast, AtMost))
        at_least = isinstance(atom, AtLeast)
        if at_least == holds:  # a lower bound: ≥ bound, or (not ≤ bound) > bound
            return self._above(atom.bound, opened=not at_least)
        return self._below(atom.bound, opened=at_least)

    def _above(self, bound: float, *, opened: bool) -> MeasureDomain:
        if bound > self.low or (bound == self.low and opened):
            return MeasureDomain(bound, self.high, opened, self.high_open)
        return self

    def _below(self, bound: float, *, opened: bool) -> MeasureDomain:
        if bound < self.high or (bound == self.high and opened):
            return MeasureDomain(self.low, bound, self.low_open, opened)
        return self

    @property
    def empty(self) -> bool:
        """True when no value is left (the route is impossible)."""
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))


@frozen
class SetDomain:
    """Items surely in (``must``), items that may be in (``may``; None: any
    name not in ``barred``), and bounds on the size."""

    must: frozenset[str]
    may: frozenset[str] | None
    barred: frozenset[str]
    low: int
    high: int | None

    def evaluate(self, atom: Atom) -> bool | None:
        """Whether ``atom`` holds for every value left (True), none (False), or some (None)."""
        if isinstance(atom, Contains):
            if atom.item in self.must:
                return True
            if atom.item in self.barred or (self.may is not None and atom.item not in self.may):
                return False
            return None
        assert isinstance(atom, CountAtLeast)
        if max(self.low, len(self.must)) >= atom.bound:
            return True
        if self._most() is not None and self._most() < atom.bound:  # type: ignore[operator]
            return False
        return None

    def _most(self) -> int | None:
        bounds = [
            bound for bound in (self.high, None if self.may is None else len(self.may)) if bound is not None
        ]
        return min(bounds) if bounds else None

    def assume(self, atom: Atom, holds: bool) -> SetDomain:
        """The values left once ``atom`` is taken to hold (``holds``) or to fail."""
        if isinstance(atom, Contains):
            if holds:
                return SetDomain(self.must | {atom.item}, self.may, self.barred, self.low, self.high)
            may = None if self.may is None else self.may - {atom.item}
            return SetDomain(self.must, may, self.barred | {atom.item}, self.low, self.high)
        assert isinstance(atom, CountAtLeast)
        if holds:
            return SetDomain(self.must, self.may, self.barred, max(self.low, atom.bound), self.high)
        high = atom.bound - 1 if self.high is None else min(self.high, atom.bound - 1)
        return SetDomain(self.must, self.may, self.barred, self.low, high)

    def within(self, outer: SetDomain) -> SetDomain:
        """Narrow this domain to a subset of ``outer``."""
        barred = self.barred | outer.barred
        may = self.may if outer.may is None else outer.may if self.may is None else self.may & outer.may
        may = None if may is None else may - barred
        highs = [bound for bound in (self.high, outer._most()) if bound is not None]
        return SetDomain(self.must, may, barred, self.low, min(highs) if highs else None)

    def around(self, inner: SetDomain) -> SetDomain:
        """Widen what is surely in this domain to cover a subset ``inner``."""
        return SetDomain(self.must | inner.must, self.may, self.barred, max(self.low, inner.low), self.high)

    @property
    def empty(self) -> bool:
        """True when no value is left (the route is impossible)."""
        most = self._most()
        return (
            bool(self.must & self.barred)
            or (self.may is not None and not self.must <= self.may)
            or (most is not None and max(self.low, len(self.must)) > most)
        )


Domain = Union[ChoiceDomain, RangeDomain, MeasureDomain, SetDomain]
"""The values one fact can still take: a `ChoiceDomain`, `RangeDomain` or `SetDomain`."""
