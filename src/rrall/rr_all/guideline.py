"""Treatment options for relapsed or refractory ALL, encoded from the source text.

This module is the part a clinician reviews. It holds only data, in the order
of the text: each node quotes the span it encodes, each condition names the
patient facts it reads, and each reading of an unclear span points to its
entry in the interpretation register (`READINGS`, rendered as
docs/interpretation.md).
"""

from __future__ import annotations

from ..engine import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Branch,
    Components,
    Contains,
    CountAtLeast,
    Decision,
    Guideline,
    History,
    Is,
    LeafWords,
    Not,
    OptionGroup,
    Reading,
    Regimen,
)
from ._patient import PATIENT_SCHEMA, Patient
from ._source import SOURCE_PUBLICATION, SOURCE_TEXT
from .golden import GOLDEN

__all__ = ["READINGS", "RR_ALL"]

PH_NEGATIVE = "Ph-negative ALL"
PH_POSITIVE = "Ph-positive ALL"

B_CELL = Is("lineage", "B")
T_CELL = Is("lineage", "T")
ADULT = AtLeast("age", 18)
ANY_TKI_FAILED = CountAtLeast("tkis_failed", 1)
RELAPSED_TKIS = (
    "For those patients whose disease has relapsed dasatinib (Sprycel®) or ponatinib (Iclusig®) may be "
    "treatment options."
)

# -- Interpretation register -------------------------------------------------

READINGS = (
    Reading(
        id="R1",
        title="Ph status decides first",
        quote="Ph-Negative ALL … Ph-Positive ALL",
        literal="The page has two sections, one per Ph status, and says nothing of their order.",
        chosen="The first decision is Ph status; Ph-negative disease goes to the Ph-negative regimens.",
        why="Each section lists its own options; which section applies is settled by Ph status alone.",
    ),
    Reading(
        id="R2",
        title="A different TKI: dasatinib or ponatinib whenever not yet received, failed TKI or not",
        quote="A patient may receive a different tyrosine kinase inhibitors (TKI). Many Ph+ ALL patients "
        "receive imatinib (Gleevec®) during induction therapy. For those patients whose disease has "
        "relapsed dasatinib (Sprycel®) or ponatinib (Iclusig®) may be treatment options.",
        literal="Any Ph-positive patient may receive dasatinib or ponatinib; the patients the sentence "
        "names are those who had imatinib at induction and whose disease relapsed, that is, failed it.",
        chosen="A Ph-positive patient is offered dasatinib and ponatinib, each whenever it is not yet in "
        "the TKIs received, whether or not a TKI has failed. Imatinib is not offered again. (Until "
        "issue 11, R2 offered them only while no TKI had failed, which took them away from the very "
        "patients the sentence names.)",
        why="'Different' means one the patient has not had. The sentence's own scenario is a failed "
        "TKI: imatinib given, the disease relapsed, dasatinib or ponatinib next. NCCN's patient "
        "guideline gives the same sequence: 'receive a different TKI than you had during induction "
        "therapy', and blinatumomab 'if the cancer is not responding to 2 other TKI treatments', "
        "which is only reached if a second TKI follows a failed first one (R3).",
    ),
    Reading(
        id="R3",
        title="Blinatumomab: the TKI clause belongs to Ph-positive disease; B-cell only",
        quote="Blinatumomab (Blincyto®) may be a treatment option for patients with ALL that has not "
        "responded to two or more TKIs.",
        literal="Under Ph-negative ALL, where TKIs are not used, blinatumomab needs two or more failed TKIs.",
        chosen="Blinatumomab for B-cell disease; in Ph-positive disease only after two or more failed TKIs.",
        why="The Ph-positive list repeats the clause, where it makes sense. Blinatumomab is CD19-directed: "
        "its label and NCCN give it for B-cell ALL.",
    ),
    Reading(
        id="R4",
        title="Adults are 18 or older; 'up to 25' includes 25",
        quote="adults with either relapsed or refractory B-cell ALL … patients up to 25 years old",
        literal="'Adults' and 'up to 25 years old' are not given as numbers.",
        chosen="Adult means age ≥ 18; 'up to 25' means age ≤ 25.",
        why="18 is the age of majority the US labels use; 'up to' in a label's age limit is inclusive.",
    ),
    Reading(
        id="R5",
        title="Liposomal vincristine: Ph-negative adults after two relapses or two therapies",
        quote="adult patients with Ph-negative ALL in second or greater relapse or whose disease has "
        "progressed following two or more anti-leukemia therapies",
        literal="As written, but inside the regimens Ph-positive disease also reaches after TKI failure.",
        chosen="Ph-negative, age ≥ 18, and relapses ≥ 2 or prior therapy lines ≥ 2.",
        why="The bullet names Ph-negative ALL itself, so a Ph-positive patient sent to these regimens "
        "does not qualify.",
    ),
    Reading(
        id="R6",
        title="MOpAD with rituximab only for CD20-positive disease",
        quote="MOpAD: methotrexate, vincristine, pegaspargase, and dexamethasone with rituximab for "
        "CD20-positive disease",
        literal="One regimen whose rituximab applies only to CD20-positive disease.",
        chosen="Two leaves: MOpAD with rituximab when CD20-positive, MOpAD without it when CD20-negative.",
        why="The patient's CD20 status decides which form applies; each form is a separate choice.",
    ),
    Reading(
        id="R7",
        title="Ph-positive disease that has failed one TKI also gets all the Ph-negative regimens",
        quote="If ALL does not respond to treatment with TKIs, doctors may recommend regimens for "
        "relapsed or refractory Ph-negative ALL. These include",
        literal="Only blinatumomab, inotuzumab ozogamicin and tisagenlecleucel are listed, after "
        "'TKIs' in the plural, with no number given.",
        chosen="At least one failed TKI: a Ph-positive patient whose disease has failed one TKI or more "
        "is offered the same Ph-negative regimen subgraph, each regimen with its own conditions "
        "(blinatumomab still needs two or more failed TKIs, R3; liposomal vincristine still needs "
        "Ph-negative disease, R5). It comes in addition to a different TKI (R2), not instead of it.",
        why="'These include' gives examples of the Ph-negative regimens it names, not a closed list. "
        "One failed TKI is enough: blinatumomab, one of the regimens listed, states its own threshold "
        "of two, which would be needless if the list already needed two. The TKI and the regimens "
        "are both 'several treatment options', so one patient can have both.",
    ),
    Reading(
        id="R8",
        title="Transplant and clinical trial for every R/R patient",
        quote="An an allogeneic stem cell transplantation or clinical trial may also be an option.",
        literal="The sentence stands in the Ph-positive section.",
        chosen="Allogeneic stem cell transplantation and a clinical trial apply to every R/R patient.",
        why="The sentence closes the page, and NCCN lists both for Ph-negative disease too.",
    ),
    Reading(
        id="R9",
        title="Currency notes: the text predates two label changes",
        quote="Vincristine sulfate liposome (Marqibo®) … Inotuzumab ozogamicin (Besponsa®) is a "
        "treatment option for adults",
        literal="The text as published.",
        chosen="The graph follows the text; the leaves carry notes: liposomal vincristine was withdrawn "
        "from the US market in May 2022, and inotuzumab's US label was extended to children 1 year and "
        "older in March 2024.",
        why="rrall models the text; a reader must still see where it is out of date.",
    ),
    Reading(
        id="R10",
        title="'Different drugs than induction' informs, it does not exclude",
        quote="One option is to use different drugs than those used during the patient’s induction regimen.",
        literal="Could be read as excluding regimens that share a drug with induction.",
        chosen="Every offered option lists which of its drugs the patient already had.",
        why="It is 'one option', and the next bullet says some drugs 'may have been given in the past'.",
    ),
    Reading(
        id="R11",
        title="Dasatinib and ponatinib both received, no TKI failed: transplant or a trial",
        quote="A patient may receive a different tyrosine kinase inhibitors (TKI). … If ALL does not "
        "respond to treatment with TKIs, doctors may recommend regimens for relapsed or refractory "
        "Ph-negative ALL.",
        literal="The text names no TKI beyond dasatinib and ponatinib, and sends only disease that does "
        "not respond to TKIs to the Ph-negative regimens.",
        chosen="A Ph-positive patient who has received both dasatinib and ponatinib, none of them "
        "failed (stopped for intolerance, say), is offered neither a different TKI nor the Ph-negative "
        "regimens: only allogeneic stem cell transplantation and a clinical trial (R8). The branch to "
        "a different TKI is taken only while dasatinib or ponatinib is still to be received.",
        why="The text gives no other option for this patient, and rrall does not add one. Guarding the "
        "branch keeps the graph from reaching a TKI group that could offer nothing.",
    ),
)
"""The interpretation register: how each unclear span of the text is read (R1, R2, ...)."""

# -- The graph, in the order of the text --------------------------------------

NODES = (
    Decision(
        id="ph-status",
        label="Ph status?",
        quotes=("Ph-Negative ALL", "Ph-Positive ALL"),
        branches=(
            Branch("ph-negative", Is("ph", "negative"), "Ph-negative", quote="Ph-Negative ALL"),
            Branch("ph-positive", Is("ph", "positive"), "Ph-positive", quote="Ph-Positive ALL"),
        ),
        readings="R1",
    ),
    # Ph-Negative ALL
    OptionGroup(
        id="ph-negative",
        label="Ph-negative ALL: several treatment options",
        quotes="For patients with relapsed or refractory Ph-negative ALL, there are several treatment "
        "options.",
        branches=(Branch("ph-negative-regimens"), Branch("also-an-option")),
        section=PH_NEGATIVE,
    ),
    OptionGroup(
        id="ph-negative-regimens",
        label="Regimens for R/R Ph-negative ALL",
        quotes=(
            "One option is to use different drugs than those used during the patient’s induction regimen. "
            "These options, suggested by the NCCN guidelines, may include:",
            "If ALL does not respond to treatment with TKIs, doctors may recommend regimens for relapsed "
            "or refractory Ph-negative ALL. These include",
        ),
        branches=(
            Branch(
                "blinatumomab",
                AllOf((B_CELL, AnyOf((Is("ph", "negative"), CountAtLeast("tkis_failed", 2))))),
                "B-cell; if Ph+, ≥ 2 TKIs failed",
            ),
            Branch("inotuzumab-ozogamicin", AllOf((B_CELL, ADULT)), "B-cell, adult"),
            Branch("tisagenlecleucel", AllOf((B_CELL, AtMost("age", 25))), "B-cell, age ≤ 25"),
            Branch("combination-regimens"),
        ),
        readings=("R7", "R10"),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="blinatumomab",
        label="Blinatumomab",
        quotes=(
            "Blinatumomab (Blincyto®) may be a treatment option for patients with ALL that has not "
            "responded to two or more TKIs.",
            "Blinatumomab (This may be an treatment option for patients whose ALL has not responded to "
            "two or more TKIs.)",
        ),
        components="blinatumomab",
        brands="Blincyto",
        readings="R3",
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="inotuzumab-ozogamicin",
        label="Inotuzumab ozogamicin",
        quotes=(
            "Inotuzumab ozogamicin (Besponsa®) is a treatment option for adults with either relapsed "
            "or refractory B-cell ALL.",
            "Inotuzumab ozogamicin",
        ),
        components="inotuzumab ozogamicin",
        brands="Besponsa",
        notes="Currency note: the US label was extended to children 1 year and older in March 2024; "
        "the graph still follows the text (adults).",
        readings=("R4", "R9"),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="tisagenlecleucel",
        label="Tisagenlecleucel",
        quotes=(
            "Tisagenlecleucel (Kymriah®) is a treatment option for patients up to 25 years old with "
            "relapsed or refractory B-cell ALL.",
            "Tisagenlecleucel.",
        ),
        components="tisagenlecleucel",
        brands="Kymriah",
        readings="R4",
        section=PH_NEGATIVE,
    ),
    OptionGroup(
        id="combination-regimens",
        label="Combination regimens",
        quotes="Combination regimens that include several chemotherapy drugs, some of which may have "
        "been given in the past. Examples of such include",
        branches=(
            Branch("inotuzumab-mini-hyper-cvd", B_CELL, "B-cell"),
            Branch("augmented-hyper-cvad"),
            Branch("cd20-status"),
            Branch("nelarabine", T_CELL, "T-cell"),
            Branch("clofarabine"),
            Branch(
                "vincristine-liposome",
                AllOf(
                    (
                        Is("ph", "negative"),
                        ADULT,
                        AnyOf((AtLeast("relapses", 2), AtLeast("prior_therapies", 2))),
                    )
                ),
                "Ph-negative adult; ≥ 2 relapses or ≥ 2 therapies",
            ),
            Branch("fludarabine-based"),
            Branch("cytarabine-regimen"),
            Branch("alkylator-regimen"),
        ),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="inotuzumab-mini-hyper-cvd",
        label="Inotuzumab ozogamicin + mini-hyper-CVD",
        quotes="Inotuzumab ozogamicin + mini-hyper CVD (cyclophosphamide, dexamethasone, vincristine, "
        "methotrexate, cytarabine) for patients with B-cell ALL",
        components=(
            "inotuzumab ozogamicin",
            "cyclophosphamide",
            "dexamethasone",
            "vincristine",
            "methotrexate",
            "cytarabine",
        ),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="augmented-hyper-cvad",
        label="Augmented hyper-CVAD",
        quotes="Augmented hyper-CVAD: hyperfractionated cyclophosphamide, intensified vincristine, "
        "doxorubicin, intensified dexamethasone and pegaspargase, alternating with high-dose "
        "methotrexate and cytarabine",
        components=(
            "cyclophosphamide",
            "vincristine",
            "doxorubicin",
            "dexamethasone",
            "pegaspargase",
            "methotrexate",
            "cytarabine",
        ),
        section=PH_NEGATIVE,
    ),
    Decision(
        id="cd20-status",
        label="CD20?",
        quotes="MOpAD: methotrexate, vincristine, pegaspargase, and dexamethasone with rituximab for "
        "CD20-positive disease",
        branches=(
            Branch(
                "mopad",
                Is("cd20", "negative"),
                "CD20-negative",
                quote="MOpAD: methotrexate, vincristine, pegaspargase, and dexamethasone",
            ),
            Branch(
                "mopad-rituximab",
                Is("cd20", "positive"),
                "CD20-positive",
                quote="with rituximab for CD20-positive disease",
            ),
        ),
        readings="R6",
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="mopad",
        label="MOpAD",
        quotes="MOpAD: methotrexate, vincristine, pegaspargase, and dexamethasone",
        components=("methotrexate", "vincristine", "pegaspargase", "dexamethasone"),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="mopad-rituximab",
        label="MOpAD + rituximab",
        quotes="MOpAD: methotrexate, vincristine, pegaspargase, and dexamethasone with rituximab for "
        "CD20-positive disease",
        components=("methotrexate", "vincristine", "pegaspargase", "dexamethasone", "rituximab"),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="nelarabine",
        label="Nelarabine",
        quotes="Nelarabine, alone or in combination with other drugs (e.g., nelarabine, etoposide, "
        "cyclophosphamide), for patients with T-cell ALL",
        components="nelarabine",
        variants=("alone", "in combination, e.g. nelarabine, etoposide, cyclophosphamide"),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="clofarabine",
        label="Clofarabine",
        quotes="Clofarabine, alone or in combination with other drugs (e.g., clofarabine, "
        "cyclophosphamide, etoposide)",
        components="clofarabine",
        variants=("alone", "in combination, e.g. clofarabine, cyclophosphamide, etoposide"),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="vincristine-liposome",
        label="Vincristine sulfate liposome",
        quotes="Vincristine sulfate liposome (Marqibo®) injection for the treatment of adult patients "
        "with Ph-negative ALL in second or greater relapse or whose disease has progressed following "
        "two or more anti-leukemia therapies",
        components="vincristine sulfate liposome",
        brands="Marqibo",
        notes="Currency note: withdrawn from the US market in May 2022; the graph still follows the text.",
        readings=("R4", "R5", "R9"),
        section=PH_NEGATIVE,
    ),
    OptionGroup(
        id="fludarabine-based",
        label="Fludarabine-based regimens",
        quotes="Fludarabine-based regimens",
        branches=(Branch("flag-ida"), Branch("flam")),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="flag-ida",
        label="FLAG-IDA",
        quotes="FLAG-IDA: fludarabine, cytarabine, granulocyte colony-stimulating factor ± idarubicin",
        components=("fludarabine", "cytarabine", "granulocyte colony-stimulating factor", "idarubicin"),
        variants=("with idarubicin (FLAG-IDA)", "without idarubicin (FLAG)"),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="flam",
        label="FLAM",
        quotes="FLAM: fludarabine, cytarabine and mitoxantrone",
        components=("fludarabine", "cytarabine", "mitoxantrone"),
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="cytarabine-regimen",
        label="Cytarabine-containing regimen",
        quotes="Cytarabine-containing regimens (e.g., high-dose cytarabine, idarubicin, intrathecal "
        "methotrexate)",
        components=("cytarabine", "idarubicin", "methotrexate"),
        variants="e.g. high-dose cytarabine, idarubicin, intrathecal methotrexate",
        section=PH_NEGATIVE,
    ),
    Regimen(
        id="alkylator-regimen",
        label="Alkylator combination regimen",
        quotes="Alkylator combination regimens (e.g., etoposide, ifosfamide, mitoxantrone)",
        components=("etoposide", "ifosfamide", "mitoxantrone"),
        variants="e.g. etoposide, ifosfamide, mitoxantrone",
        section=PH_NEGATIVE,
    ),
    # Ph-Positive ALL
    OptionGroup(
        id="ph-positive",
        label="Ph-positive ALL: several treatment options",
        quotes="For patients with relapsed or refractory Ph+ ALL, there are several treatment options.",
        branches=(
            # Both may apply to one patient: a TKI not yet received, and, once a TKI failed, the
            # Ph-negative regimens (R2, R7); with both TKIs received and none failed, neither (R11).
            Branch(
                "different-tki",
                Not(AllOf((Contains("tkis_received", "dasatinib"), Contains("tkis_received", "ponatinib")))),
                "dasatinib or ponatinib not yet received",
                quote="A patient may receive a different tyrosine kinase inhibitors (TKI).",
            ),
            Branch(
                "ph-negative-regimens",
                ANY_TKI_FAILED,
                "a TKI failed",
                quote="If ALL does not respond to treatment with TKIs, doctors may recommend regimens "
                "for relapsed or refractory Ph-negative ALL.",
            ),
            Branch("also-an-option"),
        ),
        readings=("R2", "R7", "R11"),
        section=PH_POSITIVE,
    ),
    OptionGroup(
        id="different-tki",
        label="A different TKI, alone or combined with other drugs",
        quotes=(
            "A patient may receive a different tyrosine kinase inhibitors (TKI).",
            "The TKI may be given alone or combined with other drugs.",
        ),
        branches=(
            Branch(
                "dasatinib",
                Not(Contains("tkis_received", "dasatinib")),
                "not yet received",
                quote=RELAPSED_TKIS,
            ),
            Branch(
                "ponatinib",
                Not(Contains("tkis_received", "ponatinib")),
                "not yet received",
                quote=RELAPSED_TKIS,
            ),
        ),
        readings="R2",
        section=PH_POSITIVE,
    ),
    Regimen(
        id="dasatinib",
        label="Dasatinib",
        quotes="For those patients whose disease has relapsed dasatinib (Sprycel®) or ponatinib "
        "(Iclusig®) may be treatment options.",
        components="dasatinib",
        brands="Sprycel",
        variants=("alone", "combined with other drugs"),
        section=PH_POSITIVE,
    ),
    Regimen(
        id="ponatinib",
        label="Ponatinib",
        quotes="For those patients whose disease has relapsed dasatinib (Sprycel®) or ponatinib "
        "(Iclusig®) may be treatment options.",
        components="ponatinib",
        brands="Iclusig",
        variants=("alone", "combined with other drugs"),
        section=PH_POSITIVE,
    ),
    # Closing the page, for every R/R patient
    OptionGroup(
        id="also-an-option",
        label="May also be an option",
        quotes="An an allogeneic stem cell transplantation or clinical trial may also be an option.",
        branches=(Branch("allogeneic-sct"), Branch("clinical-trial")),
        readings="R8",
    ),
    Regimen(
        id="allogeneic-sct",
        label="Allogeneic stem cell transplantation",
        quotes="An an allogeneic stem cell transplantation or clinical trial may also be an option.",
        readings="R8",
    ),
    Regimen(
        id="clinical-trial",
        label="Clinical trial",
        quotes="An an allogeneic stem cell transplantation or clinical trial may also be an option.",
        readings="R8",
    ),
)

RR_ALL = Guideline(
    name="rr-all",
    title="Treatment options for relapsed or refractory ALL (LLS, based on NCCN)",
    source=SOURCE_TEXT,
    schema=PATIENT_SCHEMA,
    root="ph-status",
    nodes=NODES,
    readings=READINGS,
    # R10: each option lists its drugs already given at induction; a formulation counts as its
    # active drug (vincristine for vincristine sulfate liposome), and so does each shorter name
    # the leaf's drug starts with, word by word, as before (issue 12 moved the rule here).
    history=History(
        fact="induction_drugs",
        words="already given at induction",
        counted_words="{given}, the same active drug as {item}",
        counts_as={
            "inotuzumab ozogamicin": ("inotuzumab",),
            "vincristine sulfate liposome": ("vincristine", "vincristine sulfate"),
            "granulocyte colony-stimulating factor": ("granulocyte", "granulocyte colony-stimulating"),
        },
    ),
    disclaimer="rrall models one published text (The Leukemia & Lymphoma Society's page on relapsed "
    "or refractory ALL, based on the NCCN Guidelines). It is not medical advice and does not replace "
    "the current NCCN Guidelines or a clinician's judgement.",
    golden=GOLDEN,
    # 2: the Ph-positive TKI reading of issue 11 (R2, R7, R11) changed what some patients are offered.
    version="2",
    publication=SOURCE_PUBLICATION,
    # Each regimen's components are its drugs, in the JSON form and in reports; its other names
    # are brand names, and its variants the forms the text allows.
    components=Components("drugs"),
    leaf_words=LeafWords(kind="regimen", aliases="brands", variants_label="forms"),
    record=Patient.from_dict,
    not_options=(
        "Download or order The Leukemia & Lymphoma Society's free booklet, Acute Lymphoblastic "
        "Leukemia (ALL) in Adults.",
    ),
)
"""The R/R ALL text as a guideline graph: the default for `rrall.walk`."""
