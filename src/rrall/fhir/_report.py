"""The FHIR reading in the command line's reports: where each fact came from, and why others are unknown."""

from __future__ import annotations

import textwrap

from ..rr_all import PATIENT_SCHEMA
from ._model import FhirReading

__all__ = ["provenance_text"]

_WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + "    ")


def provenance_text(reading: FhirReading) -> str:
    """The reading as report lines: scope, each fact with its sources or reason, drugs, warnings."""
    out = [f"Read from FHIR (age as of {reading.as_of.isoformat()}):"]
    out.append(_wrap(f"Scope: {reading.scope}: {reading.scope_reason}", "  "))
    for fact in reading.facts:
        label = PATIENT_SCHEMA.fact(fact.fact).label
        if fact.known:
            value = ", ".join(fact.value) or "none" if isinstance(fact.value, list) else fact.value
            where = "; ".join(str(source) for source in fact.sources) or "—"
            out.append(_wrap(f"{label} = {value}  ← {where}", "  "))
        else:
            where = f" [{'; '.join(str(source) for source in fact.sources)}]" if fact.sources else ""
            out.append(_wrap(f"{label}: unknown ({fact.status}): {fact.reason}{where}", "  "))
    for medication in reading.medications:
        match = medication.match
        drug = match.drug or "not recognised"
        out.append(_wrap(f"drug {match.text!r} → {drug} ({match.how})  ← {medication.source}", "  "))
    out += [_wrap(f"warning: {warning}", "  ") for warning in reading.warnings]
    return "\n".join(out) + "\n"
