"""When magwise sends a person to a doctor, and when it is urgent."""

from __future__ import annotations

import pytest
from tests._cases import codes, day, make_case, serum, water_only

from magwise import assess
from magwise.errors import UnknownCode


def test_adult_with_nothing_wrong_is_not_referred() -> None:
    result = assess(make_case(days=[water_only(400)]))
    assert result.refer_to_doctor is False
    assert result.urgent is False


@pytest.mark.parametrize(
    "condition", ["kidney_disease", "dialysis", "heart_block", "myasthenia_gravis"]
)
def test_contraindicating_conditions_refer(condition: str) -> None:
    result = assess(make_case(profile={"conditions": [condition]}, days=[water_only(100)]))
    assert result.refer_to_doctor is True
    assert "contraindication" in codes(result)
    assert result.dose_plan is None


def test_condition_aliases_are_accepted() -> None:
    result = assess(make_case(profile={"conditions": ["CKD"]}))
    assert "contraindication" in codes(result)


@pytest.mark.parametrize(("age", "refer"), [(17, True), (17.99, True), (18, False)])
def test_age_boundary(age: float, refer: bool) -> None:
    result = assess(make_case(profile={"age_years": age}, days=[water_only(400)]))
    assert result.refer_to_doctor is refer
    assert ("minor_doctor" in codes(result)) is refer


@pytest.mark.parametrize("state", ["pregnant", "lactating"])
def test_pregnancy_with_supplement_in_question_refers(state: str) -> None:
    taking = make_case(
        profile={state: True},
        days=[day(supplements=[{"form": "citrate", "elemental_mg": 100}], water=[])],
    )
    result = assess(taking)
    assert result.refer_to_doctor is True
    assert "pregnancy_lactation_doctor" in codes(result)
    low = assess(make_case(profile={state: True}, days=[water_only(100)]))
    assert low.refer_to_doctor is True and low.dose_plan is None


def test_pregnancy_without_supplement_in_question_does_not_refer() -> None:
    result = assess(make_case(profile={"pregnant": True}, days=[water_only(400)]))
    assert result.refer_to_doctor is False


@pytest.mark.parametrize("symptom", ["diarrhea", "nausea", "abdominal_cramps", "facial_flushing"])
def test_excess_symptoms_refer_and_stop(symptom: str) -> None:
    taking = day(supplements=[{"form": "citrate", "elemental_mg": 100}])
    result = assess(make_case(symptoms=[symptom], days=[taking]))
    assert result.refer_to_doctor is True
    assert "excess_symptoms" in codes(result)
    assert result.dose_plan is None
    assert result.action == "stop_magnesium"


@pytest.mark.parametrize(
    "symptom", ["irregular_heartbeat", "difficulty_breathing", "muscle_weakness", "confusion"]
)
def test_severe_excess_symptoms_are_urgent(symptom: str) -> None:
    taking = day(supplements=[{"form": "citrate", "elemental_mg": 100}])
    result = assess(make_case(symptoms=[symptom], days=[taking]))
    assert result.urgent is True
    assert result.refer_to_doctor is True
    assert result.headline.startswith("Seek medical help today")


def test_deficiency_symptoms_alone_do_not_refer() -> None:
    result = assess(make_case(symptoms=["muscle_cramps"], days=[water_only(400)]))
    assert result.refer_to_doctor is False
    assert "deficiency_symptoms" in codes(result)


def test_unknown_symptom_suggests_close_match() -> None:
    with pytest.raises(UnknownCode) as err:
        assess(make_case(symptoms=["muscle_cramp"]))
    assert err.value.field == "symptoms[0]"
    assert "Did you mean 'muscle_cramps'?" in err.value.message


def test_unknown_medication_lists_accepted() -> None:
    with pytest.raises(UnknownCode) as err:
        assess(make_case(profile={"medications": ["aspirinx"]}))
    assert err.value.field == "profile.medications[0]"
    assert "levothyroxine" in err.value.message


def test_interaction_spacing_finding() -> None:
    result = assess(make_case(profile={"medications": ["levothyroxine", "ciprofloxacin"]}))
    messages = {f.message for f in result.findings if f.code == "interaction_spacing"}
    assert any("4 h before or 4 h after" in m for m in messages)
    assert any("2 h before or 6 h after" in m for m in messages)


@pytest.mark.parametrize("medicine", ["omeprazole", "furosemide", "hydrochlorothiazide"])
def test_medicines_that_lower_magnesium(medicine: str) -> None:
    assert "medication_lowers_mg" in codes(assess(make_case(profile={"medications": [medicine]})))


def test_serum_high_refers_and_blocks_plan() -> None:
    result = assess(make_case(labs=[serum(1.2)], days=[water_only(50)]))
    assert result.status == "high"
    assert result.refer_to_doctor is True
    assert result.dose_plan is None


def test_every_referral_has_a_reason_in_the_headline() -> None:
    result = assess(make_case(profile={"conditions": ["dialysis"]}))
    assert result.headline.startswith("See a doctor")
    assert "dialysis" in result.headline.lower()
