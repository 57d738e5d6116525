"""No FHIR input crashes the reader: any record with any element replaced reads, or raises InvalidFhir."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rrall.fhir import InvalidFhir, read_bundle
from rrall.testing import FhirCase, fhir_records

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replace(record: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    record = copy.deepcopy(record)
    target = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return record


def _reads_or_is_invalid_fhir(record: Any, case: FhirCase) -> None:
    """The record reads, or raises InvalidFhir naming a resource: never another exception."""
    try:
        read_bundle(record, as_of=case.as_of)
    except InvalidFhir as error:
        problem = error
    else:
        return
    assert problem.resource
    assert str(problem).startswith(problem.resource)


@given(fhir_records(), st.data())
def test_any_element_replaced_by_any_json_reads_or_is_invalid_fhir(
    case: FhirCase, data: st.DataObject
) -> None:
    path = data.draw(st.sampled_from(_paths(case.record)))
    _reads_or_is_invalid_fhir(_replace(case.record, path, data.draw(JSON)), case)


@given(fhir_records(), st.data())
def test_any_element_removed_reads_or_is_invalid_fhir(case: FhirCase, data: st.DataObject) -> None:
    paths = [p for p in _paths(case.record) if p]
    if not paths:
        return
    path = data.draw(st.sampled_from(paths))
    record = copy.deepcopy(case.record)
    target = record
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    _reads_or_is_invalid_fhir(record, case)
