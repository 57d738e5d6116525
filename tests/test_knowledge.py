"""What the walk may infer about unknown facts from known ones and from the route it is on."""

from __future__ import annotations

from rrall import RR_ALL
from rrall.engine import AllOf, AtLeast, Contains, CountAtLeast, Is, Knowledge, Not, evaluate


def knowing(**facts: object) -> Knowledge:
    return Knowledge.of(RR_ALL.schema, facts)  # type: ignore[arg-type]


def test_tkis_failed_are_among_those_received() -> None:
    known = knowing(tkis_received=frozenset({"imatinib"}))
    assert evaluate(CountAtLeast("tkis_failed", 2), known) is False
    assert evaluate(Contains("tkis_failed", "dasatinib"), known) is False
    assert evaluate(CountAtLeast("tkis_failed", 1), known) is None


def test_a_failed_tki_was_received() -> None:
    known = knowing(tkis_failed=frozenset({"ponatinib"}))
    assert evaluate(Contains("tkis_received", "ponatinib"), known) is True


def test_a_tki_ruled_out_of_the_received_ones_cannot_be_counted_as_failed() -> None:
    known = knowing(tkis_received=frozenset({"imatinib", "dasatinib"}))
    route = AllOf((CountAtLeast("tkis_failed", 2), Not(Contains("tkis_failed", "imatinib"))))
    assert not known.assume(route).consistent


def test_relapsed_disease_has_relapsed_at_least_once() -> None:
    assert evaluate(AtLeast("relapses", 1), knowing(status="relapsed")) is True
    assert evaluate(Is("status", "relapsed"), knowing(relapses=0)) is False


def test_a_route_narrows_what_later_conditions_may_assume() -> None:
    on_route = knowing().assume(AtLeast("age", 18))
    assert evaluate(AtLeast("age", 18), on_route) is True
    assert evaluate(AtLeast("age", 26), on_route) is None
    assert not on_route.assume(Not(AtLeast("age", 10))).consistent
