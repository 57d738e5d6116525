"""Validate FHIR output against the R4B models of fhir.resources (the ``fhir`` extra), imported on use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._model import InvalidFhir

__all__ = ["validate"]


def validate(resource: Mapping[str, Any]) -> None:
    """Check ``resource`` (any R4 resource as a dict, e.g. a Bundle) with fhir.resources' R4B models.

    Needs the ``fhir`` extra (``pip install 'rrall[fhir]'``); fhir.resources is
    imported only here, so ``import rrall`` never pays for it.

    Raises:
        InvalidFhir: The first problem, naming the resource and the element path.
        ImportError: fhir.resources is not installed.
    """
    try:
        from fhir.resources.R4B import get_fhir_model_class
        from pydantic import ValidationError
    except ImportError as error:  # pragma: no cover - the extra is installed for the tests
        raise ImportError("rrall.fhir.validate needs fhir.resources: pip install 'rrall[fhir]'") from error
    kind = resource.get("resourceType")
    label = f"{kind}/{resource['id']}" if resource.get("id") else str(kind)
    try:
        model = get_fhir_model_class(str(kind))
    except (KeyError, ValueError):
        raise InvalidFhir(label, "resourceType", f"{kind!r} is not an R4 resource type") from None
    try:
        model.model_validate(dict(resource))
    except ValidationError as error:
        first = error.errors()[0]
        element = ".".join(str(part) for part in first["loc"])
        raise InvalidFhir(label, element, first["msg"]) from None
