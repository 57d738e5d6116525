"""CDS Hooks cards from a walk: the options, what to find out first, and conflicting data.

CDS Hooks 2.0 ("CDS Service Response"): a card has ``summary`` (REQUIRED, one sentence under 140
characters), ``indicator`` (REQUIRED: info, warning or critical), ``source`` (REQUIRED, with a
``label``), and optional ``uuid``, ``detail`` (GitHub-flavoured markdown), ``suggestions``,
``overrideReasons``, ``selectionBehavior`` and ``links``. Optional fields are omitted, never null
or empty. Every text here comes from the walk, so cards follow the encoded guideline as it changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

from ..engine import Exclusion, Guideline, Option, WalkResult
from ..web._html import term

__all__ = [
    "SOURCE_LABEL",
    "TOPIC",
    "Evidence",
    "Link",
    "conflict_card",
    "missing_card",
    "options_card",
    "order_card",
]

#: Cards name the page they follow (CDS Hooks ``source.label``).
SOURCE_LABEL = (
    "The Leukemia & Lymphoma Society, Relapsed and Refractory ALL (based on the NCCN Guidelines), "
    "as encoded by rrall"
)
#: The topic of every card (``source.topic``, a Coding).
TOPIC = {
    "system": "urn:rrall:cds-topic",
    "code": "rr-all-treatment-options",
    "display": "Treatment options for relapsed or refractory ALL",
}
#: CDS Hooks: "One-sentence, <140-character summary".
SUMMARY_LIMIT = 139
# Card uuids are derived from the hook instance, so the same call gets the same cards.
_CARD_NAMESPACE = uuid.UUID("5b0f2f0e-6a7c-4c1e-9a51-2f6d3c8e7a14")


@frozen
class Evidence:
    """What the FHIR reading says beyond the patient's facts.

    Attributes:
        unknown: Why each unknown fact is unknown, by fact name (e.g. no Observation with a Ph code).
        conflicts: Each conflict as (fact name, what the records say).
    """

    unknown: Mapping[str, str]
    conflicts: tuple[tuple[str, str], ...]


@frozen
class Link:
    """A card link (CDS Hooks ``links``: ``label``, ``url``, ``type`` absolute)."""

    label: str
    url: str

    def to_json(self) -> dict[str, str]:
        """The link as CDS Hooks JSON."""
        return {"label": self.label, "url": self.url, "type": "absolute"}


def _card_id(hook_instance: str, kind: str) -> str:
    return str(uuid.uuid5(_CARD_NAMESPACE, f"{hook_instance}/{kind}"))


def _source() -> dict[str, Any]:
    return {"label": SOURCE_LABEL, "topic": dict(TOPIC)}


def _fit(text: str) -> str:
    """``text`` cut at a word to fit a card summary."""
    if len(text) <= SUMMARY_LIMIT:
        return text
    cut = text[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _names(names: Sequence[str], budget: int) -> str:
    """As many of ``names`` as fit in ``budget`` characters, then "and N more"."""
    shown: list[str] = []
    for number, name in enumerate(names):
        rest = len(names) - number - 1
        tail = f" and {rest} more" if rest else ""
        candidate = ", ".join([*shown, name]) + tail
        if len(candidate) > budget and shown:
            return ", ".join(shown) + f" and {len(names) - number} more"
        shown.append(name)
    return ", ".join(shown)


def _sentence(text: str) -> str:
    """``text`` ending in exactly one full stop (reasons are sentences already; older ones are not)."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _quote(text: str) -> str:
    return "> “" + " ".join(text.split()) + "”"


def _option_markdown(option: Option, guideline: Guideline) -> list[str]:
    """An option as a bullet, its details headed by the guideline's own words for them."""
    aliases = f" ({', '.join(option.aliases)})" if option.aliases else ""
    head = f"- **{option.name}**{aliases}"
    head += (
        " — offered" if option.definite else " — only if " + "; and ".join(r.text for r in option.conditions)
    )
    lines = [head]
    if option.components:
        lines.append(f"  {term(guideline.components.words)}: " + ", ".join(option.components) + ".")
    if option.already_given and guideline.history is not None:
        lines.append(f"  {term(guideline.history.words)}: " + ", ".join(option.already_given) + ".")
    lines += [f"  {note}" for note in option.notes]
    lines += ["", "  " + _quote(option.quote), ""]
    return lines


def _exclusions_markdown(items: Sequence[Exclusion]) -> list[str]:
    """One bullet per reason: the options it excludes, the reason, and the quote, in the text's order."""
    groups: dict[tuple[str, str], list[str]] = {}
    for item in items:
        groups.setdefault((item.reason, item.quote), []).append(item.name)
    lines: list[str] = []
    for (reason, quote), names in groups.items():
        bullet = f"- {', '.join(f'**{name}**' for name in names)}: {_sentence(reason)}"
        lines += [bullet, "", "  " + _quote(quote), ""]
    return lines


def _fact_label(guideline: Guideline, name: str) -> str:
    return guideline.schema.fact(name).label if name in guideline.schema.names else name


def options_card(
    result: WalkResult, guideline: Guideline, hook_instance: str, links: Sequence[Link]
) -> dict[str, Any]:
    """The ``info`` card: the options and their conditions, citations, exclusions and the disclaimer."""
    names = [option.name for option in result.options]
    lead = f"The R/R ALL text offers {len(names)} option{'s' if len(names) != 1 else ''}: "
    summary = _fit(
        lead + _names(names, SUMMARY_LIMIT - len(lead)) if names else "The R/R ALL text offers no option"
    )
    definite, conditional = len(result.definite), len(result.conditional)
    detail = [
        f"**Options the text offers** ({definite} settled by the known facts, "
        f"{conditional} depending on facts not yet known):",
        "",
    ]
    for option in result.options:
        detail += _option_markdown(option, guideline)
    if result.excluded:
        detail += ["**Not offered, and why:**", ""]
        detail += _exclusions_markdown(result.excluded)
    if result.missing:
        labels = ", ".join(_fact_label(guideline, name) for name in result.missing)
        detail += [f"**Facts that would change the options**, most decisive first: {labels}.", ""]
    detail.append(f"*{guideline.disclaimer}*")
    card: dict[str, Any] = {
        "uuid": _card_id(hook_instance, "options"),
        "summary": summary,
        "indicator": "info",
        "detail": "\n".join(detail),
        "source": _source(),
    }
    if links:
        card["links"] = [link.to_json() for link in links]
    return card


def missing_card(
    result: WalkResult, guideline: Guideline, evidence: Evidence, hook_instance: str
) -> dict[str, Any] | None:
    """The ``warning`` card naming the unknown facts that decide options, most decisive first.

    None when no unknown fact decides an option.
    """
    if not result.missing:
        return None
    labels = [_fact_label(guideline, name) for name in result.missing]
    lead = "Find out first, to settle the R/R ALL options: "
    detail = ["These facts are not known from the record, and the options depend on them:", ""]
    for name, label in zip(result.missing, labels, strict=True):
        why = evidence.unknown.get(name)
        detail.append(f"- **{label}**" + (f": {why}" if why else ""))
    depending = [option.name for option in result.conditional]
    if depending:
        detail += ["", "Options that depend on them: " + ", ".join(depending) + "."]
    detail += ["", f"*{guideline.disclaimer}*"]
    return {
        "uuid": _card_id(hook_instance, "missing"),
        "summary": _fit(lead + _names(labels, SUMMARY_LIMIT - len(lead))),
        "indicator": "warning",
        "detail": "\n".join(detail),
        "source": _source(),
    }


def conflict_card(guideline: Guideline, evidence: Evidence, hook_instance: str) -> dict[str, Any] | None:
    """The ``warning`` card saying which records disagree; None if none do."""
    if not evidence.conflicts:
        return None
    labels = list(dict.fromkeys(_fact_label(guideline, name) for name, _ in evidence.conflicts))
    lead = "The record conflicts on "
    detail = [
        "The record holds data that disagree, so rrall leaves these facts unknown rather than guess:",
        "",
    ]
    detail += [f"- **{_fact_label(guideline, name)}**: {what}" for name, what in evidence.conflicts]
    detail += ["", "Resolve the conflict in the record to settle the options that depend on these facts."]
    detail += ["", f"*{guideline.disclaimer}*"]
    return {
        "uuid": _card_id(hook_instance, "conflict"),
        "summary": _fit(lead + _names(labels, SUMMARY_LIMIT - len(lead) - 1) + "."),
        "indicator": "warning",
        "detail": "\n".join(detail),
        "source": _source(),
    }


def order_card(
    drug: str, result: WalkResult, guideline: Guideline, hook_instance: str, links: Sequence[Link]
) -> dict[str, Any] | None:
    """For a draft order of ``drug``: does the text offer a regimen with it for this patient, and if not why.

    None when no regimen of the guideline contains ``drug``.
    """
    with_drug = [leaf for leaf in guideline.leaves if drug in (d.lower() for d in leaf.components)]
    if not with_drug:
        return None
    offered = [result.option(leaf.id) for leaf in with_drug]
    offers = [option for option in offered if option is not None]
    excluded = [item for leaf in with_drug if (item := result.exclusion(leaf.id)) is not None]
    detail: list[str] = []
    if offers:
        names = ", ".join(option.name for option in offers)
        summary = f"The R/R ALL text offers {drug} for this patient: {names}"
        indicator = "info"
        detail += ["**Regimens with " + drug + " the text offers this patient:**", ""]
        for option in offers:
            detail += _option_markdown(option, guideline)
    else:
        summary = f"The R/R ALL text does not offer {drug} for this patient"
        indicator = "warning"
    if excluded:
        detail += ["**Regimens with " + drug + " the text does not offer this patient, and why:**", ""]
        detail += _exclusions_markdown(excluded)
    detail.append(f"*{guideline.disclaimer}*")
    card: dict[str, Any] = {
        "uuid": _card_id(hook_instance, f"order/{drug}"),
        "summary": _fit(summary),
        "indicator": indicator,
        "detail": "\n".join(detail),
        "source": _source(),
    }
    if links:
        card["links"] = [link.to_json() for link in links]
    return card
