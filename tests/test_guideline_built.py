"""The encoded guideline is well formed: the checks run when it is built."""

from rrall import RR_ALL

LEAF_IDS = (
    "blinatumomab", "inotuzumab-ozogamicin", "tisagenlecleucel", "inotuzumab-mini-hyper-cvd",
    "augmented-hyper-cvad", "mopad", "mopad-rituximab", "nelarabine", "clofarabine",
    "vincristine-liposome", "flag-ida", "flam", "cytarabine-regimen", "alkylator-regimen",
    "dasatinib", "ponatinib", "allogeneic-sct", "clinical-trial",
)  # fmt: skip


def test_the_eighteen_regimen_leaves_have_their_contract_ids_in_text_order() -> None:
    assert tuple(leaf.id for leaf in RR_ALL.leaves) == LEAF_IDS
