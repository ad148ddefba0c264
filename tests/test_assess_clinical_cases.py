"""Named clinical cases: the first action, urgency, referral, plan and findings of each,
in English and in German."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from tests._cases import codes, day, make_case, serum, water_only

from magwise import assess, load_knowledge

EN, DE = load_knowledge(), load_knowledge("de")


def taking(mg: float, water: float = 100) -> dict[str, Any]:
    """A day of 1 litre of water with ``water`` mg and a supplement of ``mg`` elemental."""
    return day(
        supplements=[{"form": "citrate", "elemental_mg": mg}],
        water=[{"liters": 1, "mg_per_liter": water}],
    )


def lab(test: str, value: float, unit: str, comparator: str | None = None, **kw: Any) -> dict:
    out: dict[str, Any] = {"test": test, "value": value, "unit": unit, **kw}
    if comparator is not None:
        out["comparator"] = comparator
    return out


def egfr(value: float, comparator: str | None = None) -> dict[str, Any]:
    return lab("egfr", value, "mL/min/1.73 m²", comparator)


@dataclass(frozen=True)
class Clinical:
    name: str
    case: dict[str, Any]
    action: str
    urgent: bool
    refer: bool
    plan: bool
    has: tuple[str, ...] = ()
    lacks: tuple[str, ...] = field(default=())


LOW_DAY = [water_only(100)]  # 100 mg a day: far below the reference value

CASES = [
    # -- too much already: stop or lower first
    Clinical(
        "diarrhoea on a 300 mg supplement",
        make_case(days=[taking(300)], symptoms=["diarrhea"]),
        "stop_magnesium",
        False,
        True,
        False,
        ("excess_symptoms", "supplement_above_ul"),
    ),
    Clinical(
        "diarrhoea on a 100 mg supplement",
        make_case(days=[taking(100)], symptoms=["diarrhea"]),
        "stop_magnesium",
        False,
        True,
        False,
        ("excess_symptoms",),
        ("diarrhoea_loses_magnesium",),
    ),
    Clinical(
        "nausea with a magnesium laxative",
        make_case(profile={"medications": ["milk of magnesia"]}, days=LOW_DAY, symptoms=["nausea"]),
        "stop_magnesium",
        False,
        True,
        False,
        ("excess_symptoms", "medication_contains_mg"),
    ),
    Clinical(
        "high serum while taking a supplement",
        make_case(days=[taking(200)], labs=[serum(1.2)]),
        "stop_magnesium",
        False,
        True,
        False,
        ("serum_high",),
    ),
    Clinical(
        "600 mg a day, no other sign",
        make_case(days=[taking(600)]),
        "lower_supplements",
        False,
        False,
        False,
        ("supplement_above_ul",),
    ),
    Clinical(
        "600 mg a day with low intake from food",
        make_case(days=[taking(600, water=20)]),
        "lower_supplements",
        False,
        False,
        False,
        ("supplement_above_ul",),
    ),
    Clinical(
        "pregnant at 400 mg a day",
        make_case(profile={"pregnant": True}, days=[taking(400)]),
        "lower_supplements",
        False,
        True,
        False,
        ("supplement_above_ul", "pregnancy_lactation_doctor"),
    ),
    Clinical(
        "breastfeeding at 400 mg a day",
        make_case(profile={"lactating": True}, days=[taking(400)]),
        "lower_supplements",
        False,
        True,
        False,
        ("supplement_above_ul", "pregnancy_lactation_doctor"),
    ),
    # -- urgency is clinical
    Clinical(
        "high serum with lethargy",
        make_case(labs=[serum(1.3)], symptoms=["lethargy"]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_high_with_symptoms",),
    ),
    Clinical(
        "high serum with a slow heartbeat on a supplement",
        make_case(days=[taking(200)], labs=[serum(1.4)], symptoms=["slow_heartbeat"]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_high_with_symptoms", "severe_excess_symptoms"),
    ),
    Clinical(
        "high serum with kidney disease",
        make_case(profile={"conditions": ["kidney_disease"]}, labs=[serum(1.2)]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_high_with_kidney",),
    ),
    Clinical(
        "high serum with eGFR 25",
        make_case(labs=[serum(1.2), egfr(25)]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_high_with_kidney", "egfr_contraindication"),
    ),
    Clinical(
        "high serum alone, nothing taken",
        make_case(labs=[serum(1.2)]),
        "see_doctor",
        False,
        True,
        False,
        ("serum_high",),
        ("serum_high_with_symptoms",),
    ),
    Clinical(
        "serum 2.1 mmol/L",
        make_case(labs=[serum(2.1)]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_urgent_high",),
    ),
    Clinical(
        "serum 0.45 mmol/L",
        make_case(days=LOW_DAY, labs=[serum(0.45)]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_urgent_low", "serum_deficient"),
    ),
    Clinical(
        "serum written '< 0.5 mmol/L'",
        make_case(days=LOW_DAY, labs=[lab("serum_magnesium", 0.5, "mmol/L", "<")]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_urgent_low", "serum_deficient"),
    ),
    Clinical(
        "serum written '<= 0.5 mmol/L'",
        make_case(days=LOW_DAY, labs=[lab("serum_magnesium", 0.5, "mmol/L", "<=")]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_deficient", "serum_possibly_urgent"),
        ("serum_urgent_low",),
    ),
    Clinical(
        "serum written '> 0.8 mmol/L'",
        make_case(days=LOW_DAY, labs=[lab("serum_magnesium", 0.8, "mmol/L", ">")]),
        "see_doctor",
        False,
        True,
        False,
        ("serum_undecidable",),
        ("serum_adequate",),
    ),
    Clinical(
        "serum written '>= 2.1 mmol/L'",
        make_case(labs=[lab("serum_magnesium", 2.1, "mmol/L", ">=")]),
        "urgent_care",
        True,
        True,
        False,
        ("serum_urgent_high", "serum_high"),
    ),
    Clinical(
        "difficulty breathing, nothing taken",
        make_case(days=LOW_DAY, symptoms=["difficulty_breathing"]),
        "urgent_care",
        True,
        True,
        False,
        ("urgent_symptom",),
        ("severe_excess_symptoms",),
    ),
    # -- symptoms in context
    Clinical(
        "diarrhoea without a magnesium source",
        make_case(days=LOW_DAY, symptoms=["diarrhea"]),
        "follow_plan",
        False,
        False,
        True,
        ("diarrhoea_loses_magnesium",),
        ("excess_symptoms",),
    ),
    Clinical(
        "nausea and lethargy without a source",
        make_case(days=LOW_DAY, symptoms=["nausea", "lethargy"]),
        "follow_plan",
        False,
        False,
        True,
        ("symptoms_not_excess",),
        ("excess_symptoms",),
    ),
    Clinical(
        "diarrhoea with kidney disease, nothing taken",
        make_case(profile={"conditions": ["kidney_disease"]}, days=LOW_DAY, symptoms=["diarrhea"]),
        "see_doctor",
        False,
        True,
        False,
        ("excess_symptoms", "contraindication"),
    ),
    # -- kidneys and age
    Clinical(
        "eGFR 25, low intake",
        make_case(days=LOW_DAY, labs=[egfr(25)]),
        "see_doctor",
        False,
        True,
        False,
        ("egfr_contraindication", "no_plan_unsafe"),
    ),
    Clinical(
        "eGFR 45, low intake",
        make_case(days=LOW_DAY, labs=[egfr(45)]),
        "see_doctor",
        False,
        True,
        False,
        ("egfr_reduced", "no_plan_unsafe"),
    ),
    Clinical(
        "eGFR '> 90', low intake",
        make_case(days=LOW_DAY, labs=[egfr(90, ">")]),
        "follow_plan",
        False,
        False,
        True,
        ("egfr_normal", "dose_plan_made"),
    ),
    Clinical(
        "eGFR '< 60', low intake",
        make_case(days=LOW_DAY, labs=[egfr(60, "<")]),
        "see_doctor",
        False,
        True,
        False,
        ("egfr_undecidable", "no_plan_unsafe"),
    ),
    Clinical(
        "creatinine alone",
        make_case(days=LOW_DAY, labs=[lab("creatinine", 88, "µmol/L")]),
        "see_doctor",
        False,
        True,
        True,
        ("creatinine_needs_egfr",),
    ),
    Clinical(
        "70 years, no kidney result, low intake",
        make_case(profile={"age_years": 70}, days=LOW_DAY),
        "follow_plan",
        False,
        False,
        True,
        ("kidney_check_first", "dose_plan_made"),
    ),
    Clinical(
        "70 years, eGFR 75, low intake",
        make_case(profile={"age_years": 70}, days=LOW_DAY, labs=[egfr(75)]),
        "follow_plan",
        False,
        False,
        True,
        ("egfr_normal",),
        ("kidney_check_first",),
    ),
    Clinical(
        "kidney disease while taking 100 mg",
        make_case(profile={"conditions": ["kidney_disease"]}, days=[taking(100)]),
        "see_doctor",
        False,
        True,
        False,
        ("contraindication",),
    ),
    Clinical(
        "kidney stones of unknown type",
        make_case(profile={"conditions": ["kidney stones"]}, days=LOW_DAY),
        "follow_plan",
        False,
        False,
        True,
        ("kidney_stones_type",),
        ("contraindication",),
    ),
    Clinical(
        "struvite stones",
        make_case(profile={"conditions": ["struvite_stones"]}, days=LOW_DAY),
        "see_doctor",
        False,
        True,
        False,
        ("contraindication",),
    ),
    # -- labs as written, plans as proposals
    Clinical(
        "0.72 in the lab's range 0.70-1.10",
        make_case(days=LOW_DAY, labs=[{**serum(0.72), "range_low": 0.7, "range_high": 1.1}]),
        "follow_plan",
        False,
        False,
        True,
        ("serum_low", "serum_lab_range_disagrees"),
    ),
    Clinical(
        "deficient serum 0.65 with low intake",
        make_case(days=LOW_DAY, labs=[serum(0.65)]),
        "see_doctor",
        False,
        True,
        True,
        ("serum_deficient", "plan_for_doctor"),
    ),
    # -- nothing wrong
    Clinical(
        "adequate intake, nothing taken",
        make_case(days=[water_only(400)]),
        "nothing_needed",
        False,
        False,
        False,
        ("no_plan_adequate",),
    ),
    Clinical(
        "no days and no labs", make_case(), "log_more", False, False, False, ("no_intake_data",)
    ),
    Clinical(
        "low serum 0.72, no days",
        make_case(labs=[serum(0.72)]),
        "log_more",
        False,
        False,
        False,
        ("no_plan_without_intake",),
    ),
    Clinical(
        "low intake, 40 years",
        make_case(days=LOW_DAY),
        "follow_plan",
        False,
        False,
        True,
        ("dose_plan_made", "confirm_with_blood_test"),
    ),
]


def test_there_are_at_least_thirty_named_cases() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("kb", [EN, DE], ids=["en", "de"])
@pytest.mark.parametrize("clinical", CASES, ids=[c.name for c in CASES])
def test_named_clinical_case(clinical: Clinical, kb: Any) -> None:
    result = assess(clinical.case, knowledge=kb)
    found = codes(result)
    assert result.action == clinical.action, (result.headline, found)
    assert result.urgent is clinical.urgent, found
    assert result.refer_to_doctor is clinical.refer, found
    assert (result.dose_plan is not None) is clinical.plan, found
    assert set(clinical.has) <= set(found), found
    assert not set(clinical.lacks) & set(found), found
    assert result.headline.startswith(kb.texts[f"action_{result.action}"])


def test_lowering_says_to_what() -> None:
    result = assess(make_case(days=[taking(600)]))
    assert result.headline.startswith("Lower your magnesium supplements to at most 250 mg a day")
    assert "Food and water first" in result.headline


def test_pregnant_above_the_limit_lowers_then_sees_the_doctor() -> None:
    result = assess(make_case(profile={"pregnant": True}, days=[taking(400)]))
    lower, doctor = result.headline.split(" Then see a doctor: ")
    assert lower.startswith("Lower your magnesium supplements")
    assert "you are pregnant" in doctor


def test_kidney_disease_with_a_supplement_says_only_as_prescribed() -> None:
    result = assess(make_case(profile={"conditions": ["ckd"]}, days=[taking(100)]))
    assert result.headline.startswith(
        "See a doctor, and take magnesium only as your doctor prescribed"
    )
    german = assess(make_case(profile={"conditions": ["ckd"]}, days=[taking(100)]), knowledge=DE)
    assert "nur so ein, wie es Ihnen ärztlich verordnet wurde" in german.headline


def test_the_labs_range_is_shown_beside_magwises_in_a_plain_sentence() -> None:
    case = make_case(days=LOW_DAY, labs=[{**serum(0.72), "range_low": 0.7, "range_high": 1.1}])
    message = next(
        f.message for f in assess(case).findings if f.code == "serum_lab_range_disagrees"
    )
    assert message.startswith(
        "0.72 mmol/L is in your laboratory's range (0.7-1.1 mmol/L), just below the range "
        "magwise uses (0.75-1.05 mmol/L)."
    )


def test_a_bound_is_never_shown_as_an_exact_value() -> None:
    case = make_case(labs=[lab("serum_magnesium", 0.8, "mmol/L", ">")])
    result = assess(case)
    assert result.serum is not None and result.serum.comparator == ">"
    assert result.status == "unknown"
    undecidable = next(f.message for f in result.findings if f.code == "serum_undecidable")
    assert "> 0.8 mmol/L" in undecidable and "cannot tell" in undecidable
    assert not any("0.8 mmol/L, is" in f.message for f in result.findings)


def test_a_deficient_plan_is_a_proposal_for_the_doctor() -> None:
    result = assess(make_case(days=LOW_DAY, labs=[serum(0.65)]))
    assert result.headline.endswith(
        "The dose plan is a proposal to take to your doctor, not an instruction."
    )


def test_toxic_effects_can_begin_at_two() -> None:
    result = assess(make_case(labs=[serum(2.1)]))
    message = next(f.message for f in result.findings if f.code == "serum_urgent_high")
    assert "toxic effects on heart and breathing can begin" in message


def test_the_json_of_the_api_and_the_cli_carry_the_same_action() -> None:
    case = make_case(days=[taking(600)])
    assert '"action":"lower_supplements"' in assess(case).model_dump_json()


LONG_THINNING = {
    "pattern": "diffuse",
    "duration_weeks": 100,
    "family_history": True,
    "triggers": [],
    "scalp": [],
}


def test_long_diffuse_thinning_in_the_family_is_pattern_thinning_not_chronic_shedding() -> None:
    result = assess(make_case(days=LOW_DAY, hair=LONG_THINNING))
    found = codes(result)
    assert "hair_pattern_thinning" in found and "hair_shedding_chronic" not in found
    message = next(f.message for f in result.findings if f.code == "hair_pattern_thinning")
    assert "minoxidil" in message and "dermatologist" in message
    assert result.hair is not None
    assert result.hair.contributors[0].code == "androgenetic_alopecia"


def test_long_shedding_above_normal_stays_chronic_shedding() -> None:
    hair = {**LONG_THINNING, "shedding_per_day": 250}
    found = codes(assess(make_case(days=LOW_DAY, hair=hair)))
    assert "hair_shedding_chronic" in found and "hair_pattern_thinning" not in found


def test_low_magnesium_ranks_below_every_cause_with_evidence() -> None:
    hair = {"pattern": "diffuse", "triggers": [], "scalp": []}
    result = assess(make_case(days=LOW_DAY, labs=[serum(0.65)], hair=hair))
    assert result.hair is not None
    ranked = [c.code for c in result.hair.contributors]
    assert ranked[-1] == "magnesium" and len(ranked) > 1


def test_be_patient_comes_with_every_hair_section() -> None:
    hair = {"pattern": "diffuse", "triggers": [], "scalp": []}
    adequate = assess(make_case(days=[water_only(400)], hair=hair))
    assert adequate.dose_plan is None
    assert "be_patient" in [c.code for c in adequate.claims]


def test_the_seeds_claims_are_answered() -> None:
    hair = {"pattern": "diffuse", "triggers": [], "scalp": []}
    result = assess(make_case(days=[taking(100, water=20)], hair=hair))
    claims = {c.code: c for c in result.claims}
    assert {"excess_mg_hair_loss", "increase_after_deficiency", "dose_300_400"} <= set(claims)
    assert "No evidence was found" in claims["excess_mg_hair_loss"].answer
    dose = claims["dose_300_400"].answer
    assert "300 mg a day for women and 350 mg for men" in dose and "US RDA" in dose


def test_a_conversion_is_said_once_per_case_not_per_day() -> None:
    pill = {"form": "citrate", "compound_mg": 500}
    days = [day(date=f"2026-11-0{i}", supplements=[pill]) for i in range(1, 6)]
    assert codes(assess(make_case(days=days))).count("compound_converted") == 1
