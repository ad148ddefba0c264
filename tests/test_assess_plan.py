"""The dose plan: amount, rounding, limit, split, form, review, exclusions, food first."""

from __future__ import annotations

import pytest
from tests._cases import codes, day, make_case, serum, water_only

from magwise import assess, load_knowledge


def plan_for(natural_mg: float, **case: object) -> float | None:
    result = assess(make_case(days=[water_only(natural_mg)], **case))  # type: ignore[arg-type]
    return None if result.dose_plan is None else result.dose_plan.supplement_mg_per_day


@pytest.mark.parametrize(
    ("natural", "dose"),
    [
        (299, 50),  # gap 1 -> at least 50
        (250, 50),  # gap 50
        (249, 75),  # gap 51 -> next 25
        (163, 150),  # gap 137 -> 150
        (125, 175),
        (50, 250),  # gap 250 -> exactly the limit
        (0, 250),  # gap 300 -> capped at the EU limit
    ],
)
def test_amount_closes_gap_in_steps_of_25(natural: float, dose: float) -> None:
    assert plan_for(natural) == dose


def test_nih_cap_is_350() -> None:
    # woman of 40 under nih: RDA 320, gap 320 -> 325, under the 350 limit
    assert plan_for(0, standard="nih", profile={"age_years": 40}) == 325
    # man of 40 under nih: RDA 420 -> gap 420 -> capped at 350
    assert plan_for(0, standard="nih", profile={"age_years": 40, "sex": "male"}) == 350


def test_capped_plan_says_so() -> None:
    result = assess(make_case(days=[water_only(0)]))
    assert "dose_capped_at_ul" in codes(result)


def test_no_plan_when_target_met() -> None:
    assert plan_for(300) is None


def test_plan_replaces_current_supplements() -> None:
    # food + water 200, supplements 100: total 300 meets the target -> adequate, no plan
    case = make_case(
        days=[
            day(
                supplements=[{"form": "oxide", "elemental_mg": 100}],
                water=[{"liters": 1, "mg_per_liter": 200}],
            )
        ]
    )
    assert assess(case).dose_plan is None
    # with serum low, the plan is sized on food + water only (gap 150), not on the total
    low = make_case(
        labs=[serum(0.72)],
        days=[
            day(
                supplements=[{"form": "oxide", "elemental_mg": 100}],
                water=[{"liters": 1, "mg_per_liter": 150}],
            )
        ],
    )
    plan = assess(low).dose_plan
    assert plan is not None and plan.supplement_mg_per_day == 150


def test_no_plan_when_serum_is_low_although_food_and_water_meet_the_target() -> None:
    case = make_case(labs=[serum(0.72)], days=[day(water=[{"liters": 1, "mg_per_liter": 300}])])
    result = assess(case)
    assert result.status == "low" and result.dose_plan is None
    assert {"serum_low_despite_intake", "no_plan_unsafe"} <= set(codes(result))
    assert result.refer_to_doctor is True
    assert result.headline.startswith("See a doctor before you change anything: your serum")


def test_supplements_do_not_count_as_intake_that_serum_contradicts() -> None:
    """Supplements may have begun after the blood test: only food and water are compared."""
    case = make_case(
        labs=[serum(0.72)],
        days=[
            day(
                supplements=[{"form": "citrate", "elemental_mg": 150}],
                water=[{"liters": 1, "mg_per_liter": 200}],
            )
        ],
    )
    result = assess(case)
    assert result.intake is not None and result.intake.total_mg == 350
    assert "serum_low_despite_intake" not in codes(result)
    assert result.dose_plan is not None and result.dose_plan.supplement_mg_per_day == 100


def test_no_dose_is_planned_without_intake() -> None:
    result = assess(make_case(labs=[serum(0.72)]))
    assert result.status == "low" and result.dose_plan is None
    assert "no_plan_without_intake" in codes(result)
    assert "take at most" not in result.headline
    assert result.action == "log_more"
    assert result.headline.endswith("close the gap with food first.")


def test_headline_says_to_lower_supplements_above_the_limit() -> None:
    case = make_case(days=[day(supplements=[{"form": "oxide", "elemental_mg": 1000}])])
    result = assess(case)
    assert "supplement_above_ul" in codes(result)
    assert result.action == "lower_supplements"
    assert result.headline == (
        "Lower your magnesium supplements to at most 250 mg a day: they give 1000 mg of "
        "magnesium a day, above the upper limit for supplements. Food and water first."
    )


def test_split_doses_never_exceed_the_dose() -> None:
    result = assess(make_case(days=[water_only(0)]))
    plan = result.dose_plan
    assert plan is not None
    kb = load_knowledge()
    assert plan.doses_per_day >= 2
    assert len(plan.doses) == plan.doses_per_day
    assert {d.time for d in plan.doses} == {"morning", "evening"}
    fraction = kb.forms[plan.form].elemental_fraction
    assert plan.compound_mg_per_dose * fraction * plan.doses_per_day <= plan.supplement_mg_per_day
    # 125 mg elemental per dose of anhydrous citrate (16.16%) is 773.5 mg: rounded down
    assert plan.compound_mg_per_dose == 773


def test_plan_uses_an_organic_form_and_reviews_at_12_and_24_weeks() -> None:
    plan = assess(make_case(days=[water_only(100)])).dose_plan
    assert plan is not None
    assert plan.form == "citrate"
    assert plan.review_after_weeks == [12, 24]
    assert any("diarrhoea" in s for s in plan.stop_if)
    assert any("reference value" in s for s in plan.stop_if)


def test_plan_without_serum_asks_for_blood_test() -> None:
    result = assess(make_case(days=[water_only(100)]))
    assert result.dose_plan is not None
    assert "confirm_with_blood_test" in codes(result)
    with_serum = assess(make_case(days=[water_only(100)], labs=[serum(0.72)]))
    assert "confirm_with_blood_test" not in codes(with_serum)


def test_plan_carries_interaction_spacing() -> None:
    result = assess(make_case(profile={"medications": ["levothyroxine"]}, days=[water_only(100)]))
    assert result.dose_plan is not None
    (spacing,) = result.dose_plan.spacing
    assert (spacing.medication, spacing.medicine_before_h, spacing.medicine_after_h) == (
        "levothyroxine",
        4,
        4,
    )


def test_food_alternatives_come_from_the_database() -> None:
    plan = assess(make_case(days=[water_only(100)])).dose_plan
    assert plan is not None
    foods = plan.food_alternatives
    assert len(foods) == 5
    first = foods[0]
    # pumpkin seed kernels, dried: 592 mg/100 g x 28.35 g = 167.8 mg in 1 oz
    assert (first.ndb, first.portion, first.mg) == ("12014", "1 oz", 167.8)
    assert first.portions_for_gap == round(200 / 167.8, 1)
    assert [f.mg for f in foods] == sorted((f.mg for f in foods), reverse=True)


@pytest.mark.parametrize(
    "extra",
    [
        {"profile": {"age_years": 17}},
        {"profile": {"pregnant": True}},
        {"profile": {"lactating": True}},
        {"profile": {"conditions": ["kidney_disease"]}},
        {"profile": {"medications": ["spironolactone"]}},
        {"symptoms": ["diarrhea"], "profile": {"medications": ["magnesium_antacid"]}},
        {"labs": [serum(0.4)]},
        {"labs": [{"test": "egfr", "value": 45, "unit": "mL/min/1.73 m²"}]},
    ],
)
def test_exclusions_block_the_plan(extra: dict[str, object]) -> None:
    result = assess(make_case(days=[water_only(100)], **extra))
    assert result.dose_plan is None
    assert "no_plan_unsafe" in codes(result)
