"""The patient: every field optional, strict about what it accepts, and clear when it refuses."""

from __future__ import annotations

import json
import math

import pytest

from rrall import CD20, TKI, InvalidRecord, Lineage, Patient, Ph, Status


def problems(**facts: object) -> InvalidRecord:
    with pytest.raises(InvalidRecord) as caught:
        Patient(**facts)  # type: ignore[arg-type]
    return caught.value


class TestValidPatients:
    def test_a_missing_field_is_an_unknown_fact_not_a_default(self) -> None:
        patient = Patient(ph="negative")
        assert patient.age is None
        assert patient.tkis_failed is None
        assert patient.known == ("ph",)
        assert "age" in patient.unknown

    def test_enum_fields_convert_from_their_json_strings(self) -> None:
        patient = Patient(ph="positive", lineage="T", status="refractory", cd20="negative")
        assert (patient.ph, patient.lineage, patient.status, patient.cd20) == (
            Ph.POSITIVE,
            Lineage.T,
            Status.REFRACTORY,
            CD20.NEGATIVE,
        )
        assert [member.value for member in Lineage] == ["B", "T"]

    def test_enum_members_are_accepted_too(self) -> None:
        assert Patient(ph=Ph.NEGATIVE, tkis_received=[TKI.IMATINIB]).tkis_received == (TKI.IMATINIB,)

    def test_the_json_form_round_trips(self) -> None:
        data = {
            "age": 30,
            "ph": "positive",
            "lineage": "B",
            "status": "relapsed",
            "relapses": 1,
            "prior_therapies": 1,
            "cd20": "positive",
            "tkis_received": ["imatinib", "dasatinib"],
            "tkis_failed": ["imatinib"],
            "induction_drugs": ["vincristine", "cytarabine"],
        }
        patient = Patient(**json.loads(json.dumps(data)))
        assert Patient.from_dict(patient.to_dict()) == patient
        assert patient.to_dict()["tkis_received"] == ["imatinib", "dasatinib"]

    def test_empty_lists_are_known_and_differ_from_unknown(self) -> None:
        assert Patient(tkis_received=[]).tkis_received == ()
        assert Patient().tkis_received is None

    def test_primary_refractory_disease_has_zero_relapses(self) -> None:
        assert Patient(status="refractory", relapses=0).relapses == 0

    def test_patients_are_immutable(self) -> None:
        patient = Patient(age=30)
        with pytest.raises(AttributeError):
            patient.age = 31  # type: ignore[misc]


class TestInvalidInput:
    @pytest.mark.parametrize("age", [-1, 200, 121])
    def test_age_out_of_range(self, age: int) -> None:
        error = problems(age=age)
        assert isinstance(error, ValueError)
        assert error.fields == ("age",)
        assert "0 to 120" in str(error)

    @pytest.mark.parametrize("age", [True, "thirty", math.nan, 30.5, 30.0, None])
    def test_age_of_the_wrong_type(self, age: object) -> None:
        if age is None:
            assert Patient(age=age).age is None
            return
        error = problems(age=age)
        assert isinstance(error, TypeError)
        assert str(error).startswith("age: must be a whole number")

    def test_nan_is_named(self) -> None:
        assert "NaN" in str(problems(age=math.nan))

    @pytest.mark.parametrize("field", ["ph", "lineage", "status", "cd20"])
    def test_unknown_enum_strings(self, field: str) -> None:
        error = problems(**{field: "maybe"})
        assert error.fields == (field,)
        assert "'maybe'" in str(error)

    def test_an_unknown_tki(self) -> None:
        error = problems(tkis_received=["imatinib", "aspirin"])
        assert error.fields == ("tkis_received",)
        assert "'aspirin'" in str(error)

    def test_tkis_failed_must_be_within_tkis_received(self) -> None:
        error = problems(tkis_received=["imatinib"], tkis_failed=["dasatinib"])
        assert error.fields == ("tkis_failed",)
        assert "dasatinib not in tkis_received" in str(error)

    def test_a_relapsed_patient_has_relapsed_at_least_once(self) -> None:
        error = problems(status="relapsed", relapses=0)
        assert error.fields == ("relapses",)

    @pytest.mark.parametrize("count", ["two", 1.5, -1, True])
    @pytest.mark.parametrize("field", ["relapses", "prior_therapies"])
    def test_counts_are_whole_numbers_from_zero(self, field: str, count: object) -> None:
        assert problems(**{field: count}).fields == (field,)

    @pytest.mark.parametrize("field", ["tkis_received", "tkis_failed", "induction_drugs"])
    def test_a_string_where_a_list_belongs(self, field: str) -> None:
        error = problems(**{field: "imatinib"})
        assert isinstance(error, TypeError)
        assert error.fields == (field,)

    def test_an_unknown_key(self) -> None:
        error = problems(ph="negative", weight=70)
        assert error.fields == ("weight",)
        assert "not a known field" in str(error)

    @pytest.mark.parametrize("key", ["self", "unknown"])
    def test_a_key_named_like_a_python_parameter_is_just_an_unknown_key(self, key: str) -> None:
        error = problems(**{key: "positive"})
        assert error.fields == (key,)
        assert "not a known field" in str(error)

    def test_every_problem_of_a_record_is_reported_at_once(self) -> None:
        error = problems(
            age=-1,
            ph="pos",
            lineage="X",
            weight=1,
            tkis_received=["imatinib"],
            tkis_failed=["ponatinib"],
            status="relapsed",
            relapses=0,
        )
        assert set(error.fields) == {"age", "ph", "lineage", "weight", "tkis_failed", "relapses"}
        assert len(error.problems) == 6

    def test_from_dict_refuses_what_is_not_an_object(self) -> None:
        with pytest.raises(InvalidRecord, match="must be a JSON object"):
            Patient.from_dict([{"age": 30}])
