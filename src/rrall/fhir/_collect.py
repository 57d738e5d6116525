"""The resources of a record: a Bundle, an mCODE patient bundle or a CDS Hooks prefetch object.

Checks the structure rrall relies on (resourceType, Bundle.type, the required
elements of the resources it reads, references it follows) and raises
`InvalidFhir` naming the resource and element. Unmapped data is no error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import frozen

from ._model import InvalidFhir

__all__ = ["Record", "Resource", "collect"]

READ_BUNDLE_TYPES = ("collection", "searchset", "document", "batch-response", "transaction-response")

#: The elements R4 requires (1..1) of the resources rrall reads; a choice element as "name[x]".
REQUIRED = {
    "Condition": ("subject",),
    "Observation": ("status", "code"),
    "MedicationRequest": ("status", "intent", "medication[x]", "subject"),
    "MedicationAdministration": ("status", "medication[x]", "subject", "effective[x]"),
    "MedicationStatement": ("status", "medication[x]", "subject"),
}
_CONCEPT, _LIST_OF_CONCEPTS, _OBJECT, _LIST_OF_OBJECTS = (
    "CodeableConcept",
    "list of CodeableConcept",
    "object",
    "list",
)
_MEDICATION = {
    "status": str,
    "medicationCodeableConcept": _CONCEPT,
    "medicationReference": _OBJECT,
    "subject": _OBJECT,
    "contained": _LIST_OF_OBJECTS,
}
#: The JSON type of each element rrall reads (a CodeableConcept's ``coding`` and ``text`` checked too).
SHAPES: dict[str, dict[str, object]] = {
    "Patient": {"birthDate": str},
    "Condition": {
        "code": _CONCEPT,
        "clinicalStatus": _CONCEPT,
        "verificationStatus": _CONCEPT,
        "extension": _LIST_OF_OBJECTS,
        "subject": _OBJECT,
    },
    "Observation": {
        "status": str,
        "code": _CONCEPT,
        "valueCodeableConcept": _CONCEPT,
        "valueQuantity": _OBJECT,
        "valueString": str,
        "interpretation": _LIST_OF_CONCEPTS,
        "component": _LIST_OF_OBJECTS,
        "subject": _OBJECT,
    },
    "MedicationRequest": {**_MEDICATION, "intent": str, "statusReason": _CONCEPT},
    "MedicationAdministration": {**_MEDICATION, "statusReason": _LIST_OF_CONCEPTS},
    "MedicationStatement": {**_MEDICATION, "statusReason": _LIST_OF_CONCEPTS},
    "Medication": {"code": _CONCEPT},
}


def _check_concept(value: object, label: str, element: str) -> None:
    if not isinstance(value, Mapping):
        raise InvalidFhir(
            label, element, f"must be a CodeableConcept (an object), got {type(value).__name__}"
        )
    if "text" in value and not isinstance(value["text"], str):
        raise InvalidFhir(label, f"{element}.text", "must be a string")
    codings = value.get("coding", [])
    if not isinstance(codings, list):
        raise InvalidFhir(label, f"{element}.coding", "must be a list of Coding")
    for number, coding in enumerate(codings):
        if not isinstance(coding, Mapping):
            raise InvalidFhir(label, f"{element}.coding[{number}]", "must be a Coding (an object)")
        for part in ("system", "code", "display"):
            if part in coding and not isinstance(coding[part], str):
                raise InvalidFhir(label, f"{element}.coding[{number}].{part}", "must be a string")


def _check_value(value: object, shape: object, label: str, element: str) -> None:
    if shape == _CONCEPT:
        _check_concept(value, label, element)
    elif shape in (_LIST_OF_CONCEPTS, _LIST_OF_OBJECTS):
        if not isinstance(value, list):
            raise InvalidFhir(label, element, f"must be a list, got {type(value).__name__}")
        for number, item in enumerate(value):
            if shape == _LIST_OF_CONCEPTS:
                _check_concept(item, label, f"{element}[{number}]")
            elif not isinstance(item, Mapping):
                raise InvalidFhir(label, f"{element}[{number}]", "must be an object")
    elif shape == _OBJECT and not isinstance(value, Mapping):
        raise InvalidFhir(label, element, f"must be an object, got {type(value).__name__}")
    elif shape is str and not isinstance(value, str):
        raise InvalidFhir(label, element, f"must be a string, got {type(value).__name__}")


def check_shape(resource: Resource) -> None:
    """Each element rrall reads has its JSON type; `InvalidFhir` naming it otherwise."""
    for element, shape in SHAPES.get(resource.type, {}).items():
        if element in resource.data:
            _check_value(resource.data[element], shape, resource.label, element)
    if resource.type not in SHAPES:
        return
    for name, elements in (
        ("component", ("code", "valueCodeableConcept")),
        ("extension", ("valueCodeableConcept",)),
    ):
        for number, item in enumerate(_objects(resource, name)):
            for element in elements:
                if element in item:
                    _check_concept(item[element], resource.label, f"{name}[{number}].{element}")
    for number, contained in enumerate(_objects(resource, "contained")):
        if contained.get("resourceType") == "Medication":
            check_shape(Resource(contained, f"{resource.label}.contained[{number}]", None))


def _objects(resource: Resource, element: str) -> list[Mapping[str, Any]]:
    items = resource.data.get(element)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(item, Mapping) for item in items):
        raise InvalidFhir(resource.label, element, "must be a list of objects")
    return items


#: Those whose subject rrall checks is the record's patient.
SUBJECT = {"Condition": "subject", "Observation": "subject", "MedicationRequest": "subject"} | {
    "MedicationAdministration": "subject",
    "MedicationStatement": "subject",
}


@frozen
class Resource:
    """One resource of the record and the label rrall cites it by (``Observation/123``)."""

    data: Mapping[str, Any]
    label: str
    full_url: str | None

    @property
    def type(self) -> str:
        return str(self.data["resourceType"])


@frozen
class Record:
    """The record's resources, and its patient (None: no Patient resource)."""

    resources: tuple[Resource, ...]
    patient: Resource | None

    def of_type(self, *types: str) -> Iterator[Resource]:
        return (resource for resource in self.resources if resource.type in types)

    def resolve(self, reference: object, where: Resource, element: str) -> Resource:
        """The resource ``reference`` points to; `InvalidFhir` if it is not in the record."""
        if not isinstance(reference, Mapping) or not isinstance(reference.get("reference"), str):
            raise InvalidFhir(where.label, element, "must be a Reference with a 'reference'")
        target = reference["reference"]
        for resource in self.resources:
            if target in (resource.full_url, resource.label) or (
                "/" in resource.label and target.endswith("/" + resource.label)
            ):
                return resource
        if target.startswith("#"):
            for contained in where.data.get("contained") or ():
                if isinstance(contained, Mapping) and "#" + str(contained.get("id")) == target:
                    return Resource(contained, f"{where.label}{target}", None)
        raise InvalidFhir(where.label, element, f"refers to {target}, which is not in the record")


def parse(data: object) -> object:
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidFhir("input", "", f"not UTF-8 ({error.reason} at byte {error.start})") from None
    if isinstance(data, str):
        try:
            return json.loads(data)
        except json.JSONDecodeError as error:
            raise InvalidFhir("input", "", f"not valid JSON ({error.msg} at line {error.lineno})") from None
    return data


def _label(resource: Mapping[str, Any], where: str) -> str:
    kind = resource["resourceType"]
    ident = resource.get("id")
    return f"{kind}/{ident}" if isinstance(ident, str) and ident else f"{kind} at {where}"


def _entries(bundle: Mapping[str, Any], where: str) -> Iterator[Resource]:
    kind = bundle.get("type")
    if not isinstance(kind, str) or kind not in READ_BUNDLE_TYPES:
        raise InvalidFhir(
            _label(bundle, where), "type", f"must be collection or searchset (a record), got {kind!r}"
        )
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise InvalidFhir(_label(bundle, where), "entry", "must be a list")
    for number, entry in enumerate(entries):
        at = f"{where}.entry[{number}]" if where else f"entry[{number}]"
        if not isinstance(entry, Mapping):
            raise InvalidFhir(_label(bundle, where), f"entry[{number}]", "must be an object")
        search = entry.get("search")
        if search is not None and not isinstance(search, Mapping):
            raise InvalidFhir(_label(bundle, where), f"entry[{number}].search", "must be an object")
        if search is not None and search.get("mode") == "outcome":
            continue  # an OperationOutcome about the search, not a resource of the record
        if "resource" not in entry:
            raise InvalidFhir(_label(bundle, where), f"entry[{number}].resource", "is missing")
        full_url = entry.get("fullUrl")
        yield from _resources(
            entry["resource"], at + ".resource", full_url if isinstance(full_url, str) else None
        )


def _resources(data: object, where: str, full_url: str | None = None) -> Iterator[Resource]:
    if not isinstance(data, Mapping):
        raise InvalidFhir(
            where or "input", "", f"must be a FHIR resource (a JSON object), got {type(data).__name__}"
        )
    kind = data.get("resourceType")
    if not isinstance(kind, str) or not kind:
        raise InvalidFhir(where or "input", "resourceType", "is missing")
    if kind == "Bundle":
        yield from _entries(data, where)
    elif kind != "OperationOutcome":  # a CDS Hooks client's report of a failed prefetch query
        yield Resource(data, _label(data, where or "input"), full_url)


def _top(data: object) -> Iterator[Resource]:
    if not isinstance(data, Mapping):
        raise InvalidFhir(
            "input", "", f"must be a FHIR Bundle or a CDS Hooks prefetch object, got {type(data).__name__}"
        )
    if "resourceType" in data:
        if data["resourceType"] != "Bundle":
            raise InvalidFhir(
                "input",
                "resourceType",
                f"must be 'Bundle' (or a CDS Hooks prefetch object), got {data['resourceType']!r}",
            )
        yield from _resources(data, "")
        return
    prefetch = data.get("prefetch") if "hook" in data and "context" in data else data
    if not isinstance(prefetch, Mapping):
        raise InvalidFhir(
            "CDS Hooks request", "prefetch", "must be an object of key -> resource, Bundle or null"
        )
    for key, value in prefetch.items():
        if value is not None:
            yield from _resources(value, f"prefetch[{json.dumps(str(key))}]")


def _has(resource: Mapping[str, Any], element: str) -> bool:
    if element.endswith("[x]"):
        stem = element[:-3]
        return any(key.startswith(stem) and key[len(stem) : len(stem) + 1].isupper() for key in resource)
    return resource.get(element) not in (None, "", [], {})


def collect(data: object) -> Record:
    """The record's resources, checked; `InvalidFhir` naming the resource and element otherwise."""
    resources: list[Resource] = []
    seen: set[str] = set()
    for resource in _top(parse(data)):
        if resource.label in seen and "/" in resource.label:
            continue  # the same resource twice (e.g. in two prefetch results)
        seen.add(resource.label)
        for element in REQUIRED.get(resource.type, ()):
            if not _has(resource.data, element):
                raise InvalidFhir(resource.label, element, "is required and missing")
        check_shape(resource)
        resources.append(resource)
    patients = [resource for resource in resources if resource.type == "Patient"]
    if len(patients) > 1:
        raise InvalidFhir(
            patients[1].label, "", f"a second patient in one record (the first is {patients[0].label})"
        )
    record = Record(tuple(resources), patients[0] if patients else None)
    _check_subjects(record)
    return record


def _check_subjects(record: Record) -> None:
    subjects: dict[str, Resource] = {}
    for resource in record.resources:
        element = SUBJECT.get(resource.type)
        if element is None or element not in resource.data:
            continue
        if record.patient is not None:
            if record.resolve(resource.data[element], resource, element) is not record.patient:
                raise InvalidFhir(
                    resource.label, element, f"is not the record's patient {record.patient.label}"
                )
        else:
            reference = resource.data[element]
            target = reference.get("reference") if isinstance(reference, Mapping) else None
            if not isinstance(target, str):
                raise InvalidFhir(resource.label, element, "must be a Reference with a 'reference'")
            subjects.setdefault(target, resource)
    if len(subjects) > 1:
        first, second = list(subjects)[:2]
        raise InvalidFhir(
            subjects[second].label, "subject", f"is {second}, but other resources are about {first}"
        )
