"""The drug vocabulary of the R/R ALL text: generic names, RxNorm codes, brands and abbreviations.

One vocabulary serves the FHIR reader (RxNorm codes and display text) and plain
JSON (``induction_drugs``): a brand, an abbreviation or an RxNorm product code
becomes the generic name the guideline's regimens use. Every RxNorm code here
is confirmed from a published source (docs/fhir.md lists them); drugs with no
confirmed code are matched by name only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from attrs import frozen

__all__ = [
    "DRUGS",
    "RXNORM",
    "Drug",
    "DrugMatch",
    "drug_by_name",
    "drug_by_rxnorm",
    "normalise_drug_names",
]

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


@frozen
class Drug:
    """One drug: the generic name the text uses, its RxNorm ingredient code, brands and other names."""

    name: str
    rxnorm: str | None = None
    brands: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


# RxNorm ingredient codes (TTY=IN): CIBMTR Reporting IG value sets and mCODE STU4 examples (docs/fhir.md).
# nilotinib, ponatinib and the drugs with None have no code confirmed from a source: name only.
DRUGS = (
    Drug("imatinib", "282388", ("Gleevec", "Glivec"), ("imatinib mesylate", "STI571")),
    Drug("dasatinib", "475342", ("Sprycel",)),
    Drug("bosutinib", "1307619", ("Bosulif",)),
    Drug("nilotinib", None, ("Tasigna",)),
    Drug("ponatinib", None, ("Iclusig",)),
    Drug("blinatumomab", "1597258", ("Blincyto",)),
    Drug("inotuzumab ozogamicin", "1942950", ("Besponsa",), ("inotuzumab", "InO")),
    Drug("tisagenlecleucel", None, ("Kymriah",), ("tisa-cel",)),
    Drug("rituximab", "121191", ("Rituxan", "MabThera")),
    Drug("cytarabine", "3041", ("Cytosar", "Cytosar-U"), ("ara-C", "araC", "cytosine arabinoside")),
    Drug("cyclophosphamide", "3002", ("Cytoxan",), ("CTX",)),
    Drug("vincristine", "11202", ("Oncovin", "Vincasar"), ("VCR", "vincristine sulfate")),
    Drug("vincristine sulfate liposome", None, ("Marqibo",), ("liposomal vincristine",)),
    Drug("doxorubicin", "3639", ("Adriamycin",), ("doxorubicin hydrochloride",)),
    Drug("daunorubicin", None, ("Cerubidine",), ("daunomycin",)),
    Drug("idarubicin", "5650", ("Idamycin",), ("IDA",)),
    Drug("prednisone", "8640", (), ("PRED",)),
    Drug("dexamethasone", None, ("Decadron",), ("DEX",)),
    Drug("methotrexate", "6851", ("Trexall",), ("MTX",)),
    Drug("pegaspargase", None, ("Oncaspar",), ("PEG-asparaginase", "pegylated asparaginase")),
    Drug("asparaginase", None, ("Elspar",), ("L-asparaginase",)),
    Drug("mercaptopurine", None, ("Purinethol",), ("6-MP", "6-mercaptopurine")),
    Drug("nelarabine", None, ("Arranon",)),
    Drug("clofarabine", "44151", ("Clolar",)),
    Drug("etoposide", "4179", ("VePesid", "Toposar"), ("VP-16",)),
    Drug("fludarabine", "24698", ("Fludara",)),
    Drug("ifosfamide", "5657", ("Ifex",)),
    Drug("mitoxantrone", None, ("Novantrone",)),
    Drug(
        "granulocyte colony-stimulating factor",
        None,
        ("Neupogen",),
        ("G-CSF", "filgrastim", "granulocyte colony stimulating factor"),
    ),
)
"""Every drug rrall recognises, generic name first."""


@frozen
class DrugMatch:
    """How one medication was recognised: what was read, the generic name (None: unrecognised), and how."""

    text: str
    drug: str | None
    how: str


def _key(text: str) -> str:
    return " ".join(text.replace("®", " ").replace("™", " ").lower().split())


@cache
def _by_name() -> Mapping[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for drug in DRUGS:
        names[_key(drug.name)] = (drug.name, "generic name")
        names.update({_key(brand): (drug.name, f"brand name {brand}") for brand in drug.brands})
        names.update({_key(alias): (drug.name, f"other name {alias}") for alias in drug.aliases})
    return names


@cache
def _name_pattern() -> re.Pattern[str]:
    # Longest names first, so "vincristine sulfate liposome" wins over "vincristine".
    alternatives = sorted(_by_name(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(name) for name in alternatives) + r")(?![\w-])")


@cache
def _by_rxnorm() -> Mapping[str, tuple[str, str]]:
    from importlib import resources  # on first use: it costs import time

    codes: dict[str, tuple[str, str]] = {}
    table = resources.files("rrall.rr_all").joinpath("rxnorm_products.tsv").read_text(encoding="utf-8")
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, drug, display = line.split("\t")
            codes[code] = (drug, f"RxNorm {code} ({display}) rolled up to its ingredient")
    codes.update(
        {drug.rxnorm: (drug.name, f"RxNorm ingredient {drug.rxnorm}") for drug in DRUGS if drug.rxnorm}
    )
    return codes


def drug_by_rxnorm(code: str) -> DrugMatch | None:
    """The drug an RxNorm code stands for: an ingredient code, or a product or brand code rolled up."""
    found = _by_rxnorm().get(code.strip())
    return None if found is None else DrugMatch(code, found[0], found[1])


@lru_cache(maxsize=4096)  # a cohort names the same drugs again and again; a match is immutable
def drug_by_name(text: str) -> DrugMatch:
    """The drug a name or a display text names: generic, brand or abbreviation, case-insensitive.

    A text naming one drug among other words ("dasatinib 140 MG Oral Tablet")
    is recognised; one naming two different drugs, or none, is not.

    Examples:
        >>> drug_by_name("ara-C").drug
        'cytarabine'
        >>> drug_by_name("Oncovin 2 mg IV").drug
        'vincristine'
        >>> drug_by_name("aspirin").drug is None
        True
    """
    key = _key(text)
    exact = _by_name().get(key)
    if exact is not None:
        return DrugMatch(text, exact[0], exact[1])
    found = {_by_name()[name] for name in _name_pattern().findall(key)}
    drugs = {drug for drug, _ in found}
    if len(drugs) == 1:
        how = sorted(how for _, how in found)[0]
        return DrugMatch(text, drugs.pop(), f"{how} in the text")
    return DrugMatch(text, None, "names two drugs" if drugs else "not a drug rrall knows")


def normalise_drug_names(names: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Generic names for ``names``, and a warning for each name not recognised (kept as given).

    Examples:
        >>> names, warnings = normalise_drug_names(["VCR", "Oncovin", "ara-C", "drug X"])
        >>> names
        ('cytarabine', 'drug X', 'vincristine')
        >>> warnings
        ("induction drug 'drug X' is not a drug rrall recognises; kept as given",)
    """
    out: set[str] = set()
    warnings: list[str] = []
    for name in names:
        match = drug_by_name(name)
        if match.drug is None:
            out.add(name)
            warnings.append(f"induction drug {name!r} is not a drug rrall recognises; kept as given")
        else:
            out.add(match.drug)
    return tuple(sorted(out)), tuple(warnings)
