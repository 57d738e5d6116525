"""A walk result as a report a clinician reads: the fields in their words (JSON keeps the ids)."""

from __future__ import annotations

import textwrap

from ..model._graph import Guideline, History
from ..model._knowledge import Knowledge, inferred_words
from ..walk._result import Option, WalkResult

__all__ = ["text_report"]

_WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent)


def _given_words(option: Option, history: object, rule: History) -> str:
    """Each component already had, said as given: in the rule's words when the patient had it
    by another name (R/R ALL: "vincristine, the same active drug as vincristine sulfate liposome")."""
    had = set(history) if isinstance(history, list) else set()
    words = []
    for item in option.already_given or ():
        names = [name for name in rule.names(item) if name in had]
        if item in names or not names:
            words.append(item)
        else:
            words.append(rule.counted_words.format(given=names[0], item=item))
    return "; ".join(words)


def _option_lines(option: Option, history: object, guideline: Guideline) -> list[str]:
    aliases = f" ({', '.join(option.aliases)})" if option.aliases else ""
    mark = "✓" if option.definite else "?"
    lines = [f"  {mark} {option.name}{aliases}  [{option.id}]"]
    if option.components:
        lines.append(_wrap(f"{guideline.components.words}: " + ", ".join(option.components), "      "))
    if option.variants:
        lines.append(_wrap(f"{guideline.leaf_words.variants_words}: " + "; ".join(option.variants), "      "))
    rule = guideline.history
    if option.already_given and rule is not None:
        lines.append(_wrap(f"{rule.words}: {_given_words(option, history, rule)}", "      "))
    for requirement in option.conditions:
        lines.append(_wrap("only if: " + requirement.text, "      "))
    for note in option.notes:
        lines.append(_wrap(note, "      "))
    lines.append(_wrap(f"“{option.quote}”", "      "))
    return lines


def _patient_lines(result: WalkResult, guideline: Guideline, knowledge: Knowledge) -> list[str]:
    """The known facts in the fields' words, then the unknown ones (with what is inferred)."""
    schema = guideline.schema
    facts = schema.parse(result.patient)
    known = [schema.fact(n).clause(schema.show(n, v)) for n, v in facts.items() if v is not None]
    unknown = []
    for name in schema.names:
        if facts.get(name) is None:
            fact = schema.fact(name)
            inferred = inferred_words(fact, knowledge.domain(name))
            unknown.append(f"{fact.label} ({inferred}, inferred)" if inferred else fact.label)
    lines = [_wrap("Patient: " + ("; ".join(known) if known else "no facts known"), "")]
    if unknown:
        lines.append(_wrap("Unknown: " + ", ".join(unknown), ""))
    return lines


def _excluded_lines(result: WalkResult) -> list[str]:
    """Each reason once, after the options it rules out."""
    by_reason: dict[str, list[str]] = {}
    for item in result.excluded:
        by_reason.setdefault(item.reason, []).append(item.name)
    lines = [f"Not offered ({len(result.excluded)}):"]
    for reason, names in by_reason.items():
        lines.append(_wrap(f"✗ {', '.join(names)}: {reason}", "  ").replace("    ", "  ", 1))
    return lines


def text_report(result: WalkResult, guideline: Guideline) -> str:
    """The options, why others are excluded, what is missing, and every citation."""
    schema = guideline.schema
    knowledge = Knowledge.of(schema, schema.parse(result.patient))
    history = result.patient.get(guideline.history_fact) if guideline.history_fact else None
    out = [guideline.title, _wrap(guideline.disclaimer, ""), ""]
    out += _patient_lines(result, guideline, knowledge)
    definite, conditional = result.definite, result.conditional
    out += [
        "",
        f"Options offered ({len(result.options)}: {len(definite)} definite, "
        f"{len(conditional)} depending on unknown facts):",
    ]
    for option in result.options:
        out += _option_lines(option, history, guideline)
    if result.missing:
        words = ", ".join(schema.fact(name).label for name in result.missing)
        out += ["", _wrap("Facts that would change the options, most decisive first: " + words, "")]
    out += ["", *_excluded_lines(result), "", "Path taken:"]
    for number, step in enumerate(result.path, 1):
        read = ", ".join(_read_words(guideline, knowledge, name, value) for name, value in step.read)
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


def _read_words(guideline: Guideline, knowledge: Knowledge, name: str, shown: str) -> str:
    """A fact a path step read: "TKIs received: imatinib", "relapses: ≥ 1 (inferred)"."""
    fact = guideline.schema.fact(name)
    if shown == "unknown":
        inferred = inferred_words(fact, knowledge.domain(name))
        if inferred:
            return f"{fact.label}: {inferred} (inferred)"
    return f"{fact.label}: {shown}"
