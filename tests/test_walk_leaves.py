"""Each regimen leaf: a patient the text offers it to, one it does not, and why.

The docstring of each test is the sentence of the source text it checks.
"""

from __future__ import annotations

import pytest

from rrall import Patient, walk

# A complete Ph-negative adult with B-cell ALL in first relapse, CD20-negative.
PH_NEG_B = dict(
    age=40,
    ph="negative",
    lineage="B",
    status="relapsed",
    relapses=1,
    prior_therapies=1,
    cd20="negative",
    tkis_received=[],
    tkis_failed=[],
    induction_drugs=["cyclophosphamide", "vincristine", "doxorubicin", "dexamethasone"],
)
PH_NEG_T = {**PH_NEG_B, "lineage": "T"}
# A complete Ph-positive adult who received imatinib, no TKI failed.
PH_POS_RESPONDING = {
    **PH_NEG_B,
    "ph": "positive",
    "tkis_received": ["imatinib"],
    "tkis_failed": [],
}
PH_POS_TWO_FAILED = {
    **PH_POS_RESPONDING,
    "tkis_received": ["imatinib", "dasatinib"],
    "tkis_failed": ["imatinib", "dasatinib"],
}


def offered(**facts: object) -> tuple[str, ...]:
    result = walk(Patient(**facts))  # type: ignore[arg-type]
    assert all(option.definite for option in result.options), "complete patients get definite options"
    return result.option_ids


def reason(leaf: str, **facts: object) -> str:
    exclusion = walk(Patient(**facts)).exclusion(leaf)  # type: ignore[arg-type]
    assert exclusion is not None, f"{leaf} should be excluded"
    return exclusion.reason


class TestPhNegativeRegimens:
    def test_blinatumomab_for_b_cell_ph_negative_disease(self) -> None:
        """Blinatumomab (Blincyto®) may be a treatment option (R3: B-cell ALL)."""
        assert "blinatumomab" in offered(**PH_NEG_B)
        assert "blinatumomab" not in offered(**PH_NEG_T)
        assert "B-cell ALL" in reason("blinatumomab", **PH_NEG_T)

    def test_inotuzumab_for_adults_with_b_cell_all(self) -> None:
        """Inotuzumab ozogamicin (Besponsa®) is a treatment option for adults with either relapsed
        or refractory B-cell ALL."""
        assert "inotuzumab-ozogamicin" in offered(**PH_NEG_B)
        assert "inotuzumab-ozogamicin" not in offered(**{**PH_NEG_B, "age": 12})
        assert "inotuzumab-ozogamicin" not in offered(**PH_NEG_T)
        assert "age ≥ 18" in reason("inotuzumab-ozogamicin", **{**PH_NEG_B, "age": 12})

    def test_tisagenlecleucel_for_patients_up_to_25_with_b_cell_all(self) -> None:
        """Tisagenlecleucel (Kymriah®) is a treatment option for patients up to 25 years old with
        relapsed or refractory B-cell ALL."""
        assert "tisagenlecleucel" in offered(**{**PH_NEG_B, "age": 20})
        assert "tisagenlecleucel" not in offered(**PH_NEG_B)
        assert "tisagenlecleucel" not in offered(**{**PH_NEG_T, "age": 20})
        assert "age ≤ 25" in reason("tisagenlecleucel", **PH_NEG_B)

    def test_inotuzumab_with_mini_hyper_cvd_for_b_cell_all(self) -> None:
        """Inotuzumab ozogamicin + mini-hyper CVD ... for patients with B-cell ALL"""
        assert "inotuzumab-mini-hyper-cvd" in offered(**PH_NEG_B)
        assert "inotuzumab-mini-hyper-cvd" not in offered(**PH_NEG_T)

    def test_augmented_hyper_cvad_has_no_further_condition(self) -> None:
        """Augmented hyper-CVAD: hyperfractionated cyclophosphamide, intensified vincristine, ..."""
        assert "augmented-hyper-cvad" in offered(**PH_NEG_B)
        assert "augmented-hyper-cvad" in offered(**{**PH_NEG_T, "age": 5})
        assert "augmented-hyper-cvad" not in offered(**PH_POS_RESPONDING)

    def test_mopad_with_rituximab_for_cd20_positive_disease(self) -> None:
        """MOpAD: methotrexate, vincristine, pegaspargase, and dexamethasone with rituximab for
        CD20-positive disease (R6)."""
        positive = offered(**{**PH_NEG_B, "cd20": "positive"})
        negative = offered(**PH_NEG_B)
        assert "mopad-rituximab" in positive
        assert "mopad" not in positive
        assert "mopad" in negative
        assert "mopad-rituximab" not in negative
        assert "CD20-positive" in reason("mopad-rituximab", **PH_NEG_B)

    def test_nelarabine_for_t_cell_all(self) -> None:
        """Nelarabine, alone or in combination with other drugs ..., for patients with T-cell ALL"""
        assert "nelarabine" in offered(**PH_NEG_T)
        assert "nelarabine" not in offered(**PH_NEG_B)
        assert "T-cell ALL" in reason("nelarabine", **PH_NEG_B)

    def test_clofarabine_has_no_further_condition(self) -> None:
        """Clofarabine, alone or in combination with other drugs"""
        assert "clofarabine" in offered(**PH_NEG_B)
        assert "clofarabine" in offered(**PH_NEG_T)

    def test_liposomal_vincristine_for_adults_in_second_relapse(self) -> None:
        """Vincristine sulfate liposome (Marqibo®) injection for the treatment of adult patients with
        Ph-negative ALL in second or greater relapse ..."""
        assert "vincristine-liposome" in offered(**{**PH_NEG_B, "relapses": 2})
        assert "vincristine-liposome" not in offered(**PH_NEG_B)
        assert "relapses ≥ 2" in reason("vincristine-liposome", **PH_NEG_B)

    def test_liposomal_vincristine_after_two_or_more_therapies(self) -> None:
        """... or whose disease has progressed following two or more anti-leukemia therapies"""
        assert "vincristine-liposome" in offered(**{**PH_NEG_B, "prior_therapies": 2})

    def test_liposomal_vincristine_is_for_adults_with_ph_negative_all_only(self) -> None:
        """... adult patients with Ph-negative ALL (R5: not Ph-positive disease after TKI failure)."""
        assert "vincristine-liposome" not in offered(**{**PH_NEG_B, "relapses": 2, "age": 17})
        assert "vincristine-liposome" not in offered(**{**PH_POS_TWO_FAILED, "relapses": 2})
        assert "Ph-negative" in reason("vincristine-liposome", **{**PH_POS_TWO_FAILED, "relapses": 2})

    @pytest.mark.parametrize("leaf", ["flag-ida", "flam", "cytarabine-regimen", "alkylator-regimen"])
    def test_fludarabine_cytarabine_and_alkylator_regimens_have_no_further_condition(self, leaf: str) -> None:
        """Fludarabine-based regimens (FLAG-IDA, FLAM); cytarabine-containing regimens; alkylator
        combination regimens."""
        assert leaf in offered(**PH_NEG_B)
        assert leaf in offered(**{**PH_NEG_T, "age": 70})
        assert leaf not in offered(**PH_POS_RESPONDING)


class TestPhPositive:
    def test_a_different_tki_when_the_disease_still_responds(self) -> None:
        """A patient may receive a different tyrosine kinase inhibitors (TKI) ... dasatinib (Sprycel®)
        or ponatinib (Iclusig®) may be treatment options (R2)."""
        assert offered(**PH_POS_RESPONDING) == ("dasatinib", "ponatinib", "allogeneic-sct", "clinical-trial")

    def test_a_tki_already_received_is_not_re_offered(self) -> None:
        """R2: 'different' means a TKI the patient has not had."""
        had_dasatinib = {**PH_POS_RESPONDING, "tkis_received": ["imatinib", "dasatinib"]}
        assert "dasatinib" not in offered(**had_dasatinib)
        assert "ponatinib" in offered(**had_dasatinib)
        assert "dasatinib not in TKIs received" in reason("dasatinib", **had_dasatinib)

    def test_disease_that_does_not_respond_to_tkis_gets_the_ph_negative_regimens(self) -> None:
        """If ALL does not respond to treatment with TKIs, doctors may recommend regimens for
        relapsed or refractory Ph-negative ALL (R7: one failed TKI is enough)."""
        one_failed = {**PH_POS_RESPONDING, "tkis_failed": ["imatinib"]}
        options = offered(**one_failed)
        assert {"inotuzumab-ozogamicin", "augmented-hyper-cvad", "flag-ida"} <= set(options)

    def test_imatinib_at_induction_then_relapse_dasatinib_or_ponatinib(self) -> None:
        """Many Ph+ ALL patients receive imatinib (Gleevec®) during induction therapy. For those
        patients whose disease has relapsed dasatinib (Sprycel®) or ponatinib (Iclusig®) may be
        treatment options (R2: a failed TKI does not take the different TKI away)."""
        relapsed_on_imatinib = {**PH_POS_RESPONDING, "tkis_failed": ["imatinib"]}
        assert {"dasatinib", "ponatinib"} <= set(offered(**relapsed_on_imatinib))
        assert "imatinib" not in {
            drug for o in walk(Patient(**relapsed_on_imatinib)).options for drug in o.drugs
        }

    def test_a_b_cell_adult_who_failed_imatinib_gets_a_different_tki_and_the_ph_negative_regimens(
        self,
    ) -> None:
        """Issue 11's first expected result: dasatinib, ponatinib, inotuzumab, the combination
        regimens, transplant and a trial, but not blinatumomab."""
        failed_imatinib = {**PH_POS_RESPONDING, "tkis_failed": ["imatinib"]}
        assert offered(**failed_imatinib) == (
            "inotuzumab-ozogamicin",
            "inotuzumab-mini-hyper-cvd",
            "augmented-hyper-cvad",
            "mopad",
            "clofarabine",
            "flag-ida",
            "flam",
            "cytarabine-regimen",
            "alkylator-regimen",
            "dasatinib",
            "ponatinib",
            "allogeneic-sct",
            "clinical-trial",
        )

    def test_a_b_cell_adult_who_failed_dasatinib_and_ponatinib_gets_blinatumomab_and_no_tki(self) -> None:
        """Issue 11's second expected result: blinatumomab and the other Ph-negative regimens, and no
        TKI (both named TKIs already received)."""
        failed_both = {**PH_POS_RESPONDING, "tkis_received": ["dasatinib", "ponatinib"]}
        failed_both["tkis_failed"] = ["dasatinib", "ponatinib"]
        options = offered(**failed_both)
        assert options[0] == "blinatumomab"
        assert {"inotuzumab-ozogamicin", "augmented-hyper-cvad", "clofarabine"} <= set(options)
        assert not {"dasatinib", "ponatinib", "imatinib"} & set(options)
        assert "vincristine-liposome" not in options  # still needs Ph-negative disease (R5)

    def test_both_named_tkis_received_and_none_failed_leaves_transplant_or_a_trial(self) -> None:
        """R11: the text names no third TKI, and sends only disease that does not respond to TKIs to
        the Ph-negative regimens."""
        intolerant = {**PH_POS_RESPONDING, "tkis_received": ["dasatinib", "ponatinib"]}
        assert offered(**intolerant) == ("allogeneic-sct", "clinical-trial")

    def test_blinatumomab_after_two_or_more_failed_tkis(self) -> None:
        """Blinatumomab (This may be an treatment option for patients whose ALL has not responded to
        two or more TKIs.)"""
        one_failed = {**PH_POS_RESPONDING, "tkis_failed": ["imatinib"]}
        assert "blinatumomab" not in offered(**one_failed)
        assert "blinatumomab" in offered(**PH_POS_TWO_FAILED)
        assert "≥ 2 TKIs failed" in reason("blinatumomab", **one_failed)

    def test_ph_negative_regimens_are_not_offered_while_tkis_work(self) -> None:
        """The Ph-negative regimens are for disease that does not respond to TKIs."""
        assert "TKIs failed" in reason("clofarabine", **PH_POS_RESPONDING)


class TestEveryPatient:
    @pytest.mark.parametrize("facts", [PH_NEG_B, PH_NEG_T, PH_POS_RESPONDING, PH_POS_TWO_FAILED])
    def test_transplant_or_clinical_trial_may_also_be_an_option(self, facts: dict[str, object]) -> None:
        """An an allogeneic stem cell transplantation or clinical trial may also be an option (R8)."""
        assert {"allogeneic-sct", "clinical-trial"} <= set(offered(**facts))

    def test_options_say_which_drugs_were_already_given_at_induction(self) -> None:
        """One option is to use different drugs than those used during the patient's induction
        regimen (R10)."""
        result = walk(Patient(**PH_NEG_B))  # type: ignore[arg-type]
        hyper_cvad = result.option("augmented-hyper-cvad")
        assert hyper_cvad is not None
        assert hyper_cvad.already_given == ("cyclophosphamide", "vincristine", "doxorubicin", "dexamethasone")
        flam = result.option("flam")
        assert flam is not None
        assert flam.already_given == ()

    def test_a_formulation_counts_as_its_active_drug(self) -> None:
        """Liposomal vincristine repeats vincristine given at induction."""
        result = walk(Patient(**{**PH_NEG_B, "relapses": 2}))  # type: ignore[arg-type]
        liposome = result.option("vincristine-liposome")
        assert liposome is not None
        assert liposome.already_given == ("vincristine sulfate liposome",)

    def test_unknown_induction_drugs_leave_already_given_unknown(self) -> None:
        result = walk(Patient(ph="negative", lineage="B", age=40))
        option = result.option("flam")
        assert option is not None
        assert option.already_given is None

    def test_currency_notes_are_shown_with_their_leaves(self) -> None:
        """R9: the graph follows the text, and says where it is out of date."""
        result = walk(Patient(**{**PH_NEG_B, "relapses": 2}))  # type: ignore[arg-type]
        liposome, inotuzumab = result.option("vincristine-liposome"), result.option("inotuzumab-ozogamicin")
        assert liposome is not None
        assert "May 2022" in liposome.notes[0]
        assert inotuzumab is not None
        assert "March 2024" in inotuzumab.notes[0]


class TestBoundaries:
    @pytest.mark.parametrize(("age", "adult"), [(17, False), (18, True)])
    def test_adult_means_18_or_older(self, age: int, adult: bool) -> None:
        """R4: adults are 18 or older."""
        options = offered(**{**PH_NEG_B, "age": age, "relapses": 2})
        assert ("inotuzumab-ozogamicin" in options) is adult
        assert ("vincristine-liposome" in options) is adult

    @pytest.mark.parametrize(("age", "eligible"), [(25, True), (26, False)])
    def test_up_to_25_years_old_includes_25(self, age: int, eligible: bool) -> None:
        """R4: 'up to 25 years old' includes 25."""
        assert ("tisagenlecleucel" in offered(**{**PH_NEG_B, "age": age})) is eligible

    @pytest.mark.parametrize(("relapses", "eligible"), [(1, False), (2, True)])
    def test_second_or_greater_relapse(self, relapses: int, eligible: bool) -> None:
        assert ("vincristine-liposome" in offered(**{**PH_NEG_B, "relapses": relapses})) is eligible

    @pytest.mark.parametrize(("therapies", "eligible"), [(1, False), (2, True)])
    def test_two_or_more_anti_leukemia_therapies(self, therapies: int, eligible: bool) -> None:
        assert ("vincristine-liposome" in offered(**{**PH_NEG_B, "prior_therapies": therapies})) is eligible

    @pytest.mark.parametrize(
        ("failed", "eligible"), [(["imatinib"], False), (["imatinib", "dasatinib"], True)]
    )
    def test_two_or_more_failed_tkis(self, failed: list[str], eligible: bool) -> None:
        facts = {**PH_POS_RESPONDING, "tkis_received": ["imatinib", "dasatinib"], "tkis_failed": failed}
        assert ("blinatumomab" in offered(**facts)) is eligible


def test_both_ph_positive_branches_apply_to_one_patient_on_every_path_of_the_engine() -> None:
    """A different TKI and the Ph-negative regimens are both "several treatment options": for a
    patient who failed imatinib the Ph-positive group takes both branches, and the compiled
    screen, the compiled walk and the three-valued walk (one fact left unknown) agree."""
    from rrall import screen

    failed_imatinib = {**PH_POS_RESPONDING, "tkis_failed": ["imatinib"]}
    result = walk(Patient(**failed_imatinib))  # type: ignore[arg-type]
    step = next(step for step in result.path if step.node == "ph-positive")
    assert step.taken == ("different-tki", "ph-negative-regimens", "also-an-option")
    assert screen(Patient(**failed_imatinib)) == result.option_ids  # type: ignore[arg-type]
    partly = walk(Patient(**{**failed_imatinib, "cd20": None}))  # type: ignore[arg-type]
    assert {"dasatinib", "ponatinib", "inotuzumab-ozogamicin"} <= set(partly.option_ids)
    assert partly.option("dasatinib").definite  # type: ignore[union-attr]
