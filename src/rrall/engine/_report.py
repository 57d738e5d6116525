"""A walk result as a report a clinician reads."""

from __future__ import annotations

import textwrap

from ._graph import Guideline
from ._walk import Option, WalkResult

__all__ = ["text_report"]

_WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent)


def _option_lines(option: Option) -> list[str]:
    brands = f" ({', '.join(option.brands)})" if option.brands else ""
    mark = "✓" if option.definite else "?"
    lines = [f"  {mark} {option.name}{brands}  [{option.id}]"]
    if option.drugs:
        lines.append(_wrap("drugs: " + ", ".join(option.drugs), "      "))
    if option.variants:
        lines.append(_wrap("forms: " + "; ".join(option.variants), "      "))
    if option.already_given:
        lines.append(_wrap("already given at induction: " + ", ".join(option.already_given), "      "))
    for requirement in option.conditions:
        lines.append(_wrap("only if: " + requirement.text, "      "))
    for note in option.notes:
        lines.append(_wrap(note, "      "))
    lines.append(_wrap(f"“{option.quote}”", "      "))
    return lines


def text_report(result: WalkResult, guideline: Guideline) -> str:
    """The options, why others are excluded, what is missing, and every citation."""
    schema = guideline.schema
    known = ", ".join(
        f"{schema.fact(n).label} {v}" for n, v in result.patient.items() if not isinstance(v, list)
    )
    lists = "; ".join(
        f"{schema.fact(n).label}: {', '.join(v) or 'none'}"
        for n, v in result.patient.items()
        if isinstance(v, list)
    )
    unknown = [name for name in schema.names if name not in result.patient]
    out = [guideline.title, _wrap(guideline.disclaimer, ""), ""]
    out.append(_wrap(f"Patient: {known or 'no facts known'}" + (f"; {lists}" if lists else ""), ""))
    if unknown:
        out.append(_wrap("Unknown: " + ", ".join(unknown), ""))
    definite, conditional = result.definite, result.conditional
    out += ["", f"Options offered ({len(definite)} definite, {len(conditional)} depending on unknown facts):"]
    for option in result.options:
        out += _option_lines(option)
    if result.missing:
        out += [
            "",
            _wrap(
                "Facts that would change the options, most decisive first: " + ", ".join(result.missing), ""
            ),
        ]
    out += ["", f"Not offered ({len(result.excluded)}):"]
    for item in result.excluded:
        out.append(_wrap(f"✗ {item.name}: {item.reason}", "  ").replace("    ", "  ", 1))
    out += ["", "Path taken:"]
    for number, step in enumerate(result.path, 1):
        read = ", ".join(f"{name} = {value}" for name, value in step.read)
        taken = ", ".join(guideline.node(target).label for target in step.taken) or "nothing"
        line = f"{number}. {step.label}" + (f" [{read}]" if read else "") + f" → {taken}"
        out.append(textwrap.fill(line, _WIDTH, initial_indent="  ", subsequent_indent="     "))
        out.append(_wrap(f"“{step.quote}”", "     "))
    readings = sorted(
        {r for step in result.path for r in guideline.node(step.node).readings}
        | {r for option in result.options for r in guideline.node(option.id).readings},
        key=lambda rid: [reading.id for reading in guideline.readings].index(rid),
    )
    if readings:
        out += ["", "Readings of the text applied (see the interpretation register):"]
        out += [_wrap(f"{rid}: {guideline.reading(rid).title}", "  ") for rid in readings]
    return "\n".join(out) + "\n"
