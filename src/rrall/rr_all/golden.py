"""Golden cases: patients, and the options the text gives each of them.

This module is data a clinician reviews, like the graph it checks. Each case is
one patient in the JSON form `rrall walk` reads, and every option the text
offers them, in the order of the text. Each leaf is offered by at least one
case; the ages, relapse and therapy counts and TKI histories sit on the
thresholds the text draws (18, 25, two relapses, two therapies, one and two
failed TKIs), on both sides. ``not_offered`` states plainly what a patient
must not be offered; ``conditional`` lists the options that still depend on
facts the patient leaves unknown.

`rrall verify` and tests/test_golden.py walk every case.
"""

from __future__ import annotations

from ..engine import GoldenCase

__all__ = ["GOLDEN"]

# The options every relapsed or refractory patient has ("An allogeneic stem cell
# transplantation or clinical trial may also be an option", R8).
ALSO = ("allogeneic-sct", "clinical-trial")

# The last combination regimens, which have no condition of their own: fludarabine-based
# (FLAG-IDA, FLAM), cytarabine-containing and alkylator combination regimens.
FLUDARABINE_ONWARDS = ("flag-ida", "flam", "cytarabine-regimen", "alkylator-regimen")

GOLDEN = (
    # -- Ph-negative ALL ------------------------------------------------------
    GoldenCase(
        name="Ph-negative B-cell ALL, adult of 40 in first relapse, CD20-negative",
        patient={
            "age": 40,
            "ph": "negative",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 1,
            "prior_therapies": 1,
            "cd20": "negative",
            "tkis_received": [],
            "tkis_failed": [],
            "induction_drugs": ["cyclophosphamide", "vincristine", "doxorubicin", "dexamethasone"],
        },
        offered=(
            "blinatumomab",
            "inotuzumab-ozogamicin",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad",
            "clofarabine",
            *FLUDARABINE_ONWARDS,
            *ALSO,
        ),
        not_offered=("tisagenlecleucel", "nelarabine", "vincristine-liposome", "dasatinib", "ponatinib"),
    ),
    GoldenCase(
        name="Ph-negative B-cell ALL, 18 (an adult) and 25 at most, in second relapse, CD20-positive",
        patient={
            "age": 18,
            "ph": "negative",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 2,
            "prior_therapies": 1,
            "cd20": "positive",
            "tkis_received": [],
            "tkis_failed": [],
        },
        offered=(
            "blinatumomab",
            "inotuzumab-ozogamicin",
            "tisagenlecleucel",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad-rituximab",
            "clofarabine",
            "vincristine-liposome",
            *FLUDARABINE_ONWARDS,
            *ALSO,
        ),
        not_offered="mopad",
    ),
    GoldenCase(
        name="Ph-negative B-cell ALL, 25 years old, after two anti-leukemia therapies, first relapse",
        patient={
            "age": 25,
            "ph": "negative",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 1,
            "prior_therapies": 2,
            "cd20": "negative",
            "tkis_received": [],
            "tkis_failed": [],
        },
        offered=(
            "blinatumomab",
            "inotuzumab-ozogamicin",
            "tisagenlecleucel",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad",
            "clofarabine",
            "vincristine-liposome",
            *FLUDARABINE_ONWARDS,
            *ALSO,
        ),
    ),
    GoldenCase(
        name="Ph-negative B-cell ALL, a child of 17: not an adult, so no inotuzumab alone",
        patient={
            "age": 17,
            "ph": "negative",
            "lineage": "B",
            "status": "refractory",
            "relapses": 0,
            "prior_therapies": 2,
            "cd20": "negative",
            "tkis_received": [],
            "tkis_failed": [],
        },
        offered=(
            "blinatumomab",
            "tisagenlecleucel",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad",
            "clofarabine",
            *FLUDARABINE_ONWARDS,
            *ALSO,
        ),
        not_offered=("inotuzumab-ozogamicin", "vincristine-liposome"),
    ),
    GoldenCase(
        name="Ph-negative B-cell ALL, 26 years old: past 'up to 25', so no tisagenlecleucel",
        patient={
            "age": 26,
            "ph": "negative",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 3,
            "prior_therapies": 3,
            "cd20": "positive",
            "tkis_received": [],
            "tkis_failed": [],
        },
        offered=(
            "blinatumomab",
            "inotuzumab-ozogamicin",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad-rituximab",
            "clofarabine",
            "vincristine-liposome",
            *FLUDARABINE_ONWARDS,
            *ALSO,
        ),
        not_offered="tisagenlecleucel",
    ),
    GoldenCase(
        name="Ph-negative T-cell ALL, refractory adult after one therapy: nelarabine, no B-cell drugs",
        patient={
            "age": 30,
            "ph": "negative",
            "lineage": "T",
            "status": "refractory",
            "relapses": 0,
            "prior_therapies": 1,
            "cd20": "negative",
            "tkis_received": [],
            "tkis_failed": [],
        },
        offered=("augmented-hyper-cvad", "mopad", "nelarabine", "clofarabine", *FLUDARABINE_ONWARDS, *ALSO),
        not_offered=(
            "blinatumomab",
            "inotuzumab-ozogamicin",
            "tisagenlecleucel",
            "inotuzumab-mini-hyper-cvd",
            "vincristine-liposome",
        ),
    ),
    # -- Ph-positive ALL ------------------------------------------------------
    GoldenCase(
        name="Ph-positive ALL that received imatinib, no TKI failed: a different TKI only",
        patient={
            "age": 50,
            "ph": "positive",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 1,
            "prior_therapies": 1,
            "cd20": "negative",
            "tkis_received": ["imatinib"],
            "tkis_failed": [],
        },
        offered=("dasatinib", "ponatinib", *ALSO),
        not_offered=("blinatumomab", "inotuzumab-ozogamicin"),
    ),
    GoldenCase(
        name="Ph-positive ALL that already received dasatinib, no TKI failed: ponatinib is the different TKI",
        patient={
            "age": 50,
            "ph": "positive",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 1,
            "prior_therapies": 1,
            "cd20": "negative",
            "tkis_received": ["imatinib", "dasatinib"],
            "tkis_failed": [],
        },
        offered=("ponatinib", *ALSO),
        not_offered="dasatinib",
    ),
    GoldenCase(
        name="Ph-positive ALL that already received ponatinib, no TKI failed: dasatinib is the different TKI",
        patient={
            "age": 50,
            "ph": "positive",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 1,
            "prior_therapies": 1,
            "cd20": "negative",
            "tkis_received": ["ponatinib"],
            "tkis_failed": [],
        },
        offered=("dasatinib", *ALSO),
        not_offered="ponatinib",
    ),
    GoldenCase(
        name="Ph-positive B-cell ALL relapsed on imatinib: a different TKI and the Ph-negative regimens, "
        "but not yet blinatumomab",
        patient={
            "age": 22,
            "ph": "positive",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 2,
            "prior_therapies": 2,
            "cd20": "negative",
            "tkis_received": ["imatinib"],
            "tkis_failed": ["imatinib"],
        },
        offered=(
            "inotuzumab-ozogamicin",
            "tisagenlecleucel",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad",
            "clofarabine",
            *FLUDARABINE_ONWARDS,
            "dasatinib",
            "ponatinib",
            *ALSO,
        ),
        not_offered=("blinatumomab", "vincristine-liposome"),
    ),
    GoldenCase(
        name="Ph-positive B-cell ALL that has not responded to imatinib and dasatinib: blinatumomab, "
        "and ponatinib, the TKI not yet received",
        patient={
            "age": 50,
            "ph": "positive",
            "lineage": "B",
            "status": "refractory",
            "relapses": 0,
            "prior_therapies": 2,
            "cd20": "positive",
            "tkis_received": ["imatinib", "dasatinib"],
            "tkis_failed": ["imatinib", "dasatinib"],
        },
        offered=(
            "blinatumomab",
            "inotuzumab-ozogamicin",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad-rituximab",
            "clofarabine",
            *FLUDARABINE_ONWARDS,
            "ponatinib",
            *ALSO,
        ),
        not_offered=("vincristine-liposome", "dasatinib"),
    ),
    GoldenCase(
        name="Ph-positive B-cell adult that failed dasatinib and ponatinib: blinatumomab and the other "
        "Ph-negative regimens, and no TKI",
        patient={
            "age": 45,
            "ph": "positive",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 2,
            "prior_therapies": 2,
            "cd20": "negative",
            "tkis_received": ["dasatinib", "ponatinib"],
            "tkis_failed": ["dasatinib", "ponatinib"],
        },
        offered=(
            "blinatumomab",
            "inotuzumab-ozogamicin",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad",
            "clofarabine",
            *FLUDARABINE_ONWARDS,
            *ALSO,
        ),
        not_offered=("tisagenlecleucel", "vincristine-liposome", "dasatinib", "ponatinib"),
    ),
    GoldenCase(
        name="Ph-positive ALL that received dasatinib and ponatinib, none failed: transplant or trial (R11)",
        patient={
            "age": 50,
            "ph": "positive",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 1,
            "prior_therapies": 2,
            "cd20": "negative",
            "tkis_received": ["dasatinib", "ponatinib"],
            "tkis_failed": [],
        },
        offered=ALSO,
        not_offered=("dasatinib", "ponatinib", "blinatumomab", "inotuzumab-ozogamicin"),
    ),
    GoldenCase(
        name="Ph-positive T-cell ALL that failed a TKI: nelarabine among the Ph-negative regimens",
        patient={
            "age": 40,
            "ph": "positive",
            "lineage": "T",
            "status": "relapsed",
            "relapses": 2,
            "prior_therapies": 3,
            "cd20": "positive",
            "tkis_received": ["imatinib", "dasatinib", "ponatinib"],
            "tkis_failed": ["imatinib", "dasatinib", "ponatinib"],
        },
        offered=(
            "augmented-hyper-cvad",
            "mopad-rituximab",
            "nelarabine",
            "clofarabine",
            *FLUDARABINE_ONWARDS,
            *ALSO,
        ),
        not_offered=("blinatumomab", "vincristine-liposome"),
    ),
    # -- Partly known patients ----------------------------------------------
    GoldenCase(
        name="Ph-positive, no TKI failed, TKIs received unknown: dasatinib and ponatinib if not yet received",
        patient={"ph": "positive", "tkis_failed": []},
        offered=("dasatinib", "ponatinib", *ALSO),
        conditional=("dasatinib", "ponatinib"),
    ),
    GoldenCase(
        name="Ph-negative T-cell ALL, little else known: MOpAD's CD20 form and liposomal vincristine wait",
        patient={"ph": "negative", "lineage": "T"},
        offered=(
            "augmented-hyper-cvad",
            "mopad",
            "mopad-rituximab",
            "nelarabine",
            "clofarabine",
            "vincristine-liposome",
            *FLUDARABINE_ONWARDS,
            *ALSO,
        ),
        conditional=("mopad", "mopad-rituximab", "vincristine-liposome"),
        not_offered=("blinatumomab", "dasatinib", "ponatinib"),
    ),
)
"""Every golden case of the R/R ALL text (at least one per leaf), checked by `rrall verify`."""
