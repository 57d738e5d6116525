"""`rrall walk` on FHIR records: the reports with where each fact came from, and ``--format fhir``."""

from __future__ import annotations

from typing import IO, Any

from .._api import walk
from ..engine import text_report, to_json, walk_result_to_dict
from ..rr_all import RR_ALL, Patient
from ._model import FhirReading
from ._report import provenance_text

__all__ = ["print_walk", "result_json"]


def _out_of_scope(reading: FhirReading | None) -> bool:
    return reading is not None and reading.scope == "not-all"


def result_json(patient: Patient, reading: FhirReading | None, fmt: str = "json") -> dict[str, Any]:
    """One record's result as JSON: the walk, and for FHIR input the reading (``fhir``)."""
    if fmt == "fhir":
        from ._write import walk_bundle

        bundle: dict[str, Any] = walk_bundle(walk(patient), reading)
        return bundle
    if _out_of_scope(reading):
        assert reading is not None
        return {"out_of_scope": reading.scope_reason, "fhir": reading.to_dict()}
    out = walk_result_to_dict(walk(patient))
    if patient.warnings:
        out["warnings"] = list(patient.warnings)
    if reading is not None:
        out["fhir"] = reading.to_dict()
    return out


def print_walk(patient: Patient, reading: FhirReading | None, fmt: str, out: IO[str]) -> None:
    """Walk ``patient`` and print the report in ``fmt`` (text, json or fhir)."""
    if fmt != "text":
        out.write(to_json(result_json(patient, reading, fmt)) + "\n")
        return
    if reading is not None:
        out.write(provenance_text(reading) + "\n")
    if _out_of_scope(reading):
        assert reading is not None
        out.write(f"{RR_ALL.title}\nNot walked: {reading.scope_reason}.\n")
        return
    out.write(text_report(walk(patient), RR_ALL))
    if patient.warnings:
        out.write("\nWarnings:\n" + "".join(f"  {warning}\n" for warning in patient.warnings))
