"""Intake: food, supplements (elemental or compound), water, topical; against target and limit."""

from __future__ import annotations

import pytest
from tests._cases import codes, day, make_case, water_only

from magwise import assess
from magwise.errors import InputError


def test_worked_example_by_hand() -> None:
    # Day 1: spinach raw 11457 (79 mg/100 g) 150 g = 118.5; almonds 12061 (270) "1 oz" 28.35 g
    #        = 76.545; food 195.045. Citrate 1000 mg x 0.1616 = 161.6; oxide 250 elemental;
    #        oil 0. Water 1.5 L x 108 = 162. Total 768.645.
    # Day 2: quinoa cooked 20137 (64) 185 g = 118.4; water 0.5 L x 20 = 10; no supplements.
    case = make_case(
        days=[
            day(
                "2026-11-02",
                foods=[{"food": "11457", "grams": 150}, {"food": "12061", "portion": "1 oz"}],
                supplements=[
                    {"form": "citrate", "compound_mg": 1000},
                    {"form": "oxide", "elemental_mg": 250},
                    {"form": "magnesium oil", "elemental_mg": 100},
                ],
                water=[{"liters": 1.5, "mg_per_liter": 108}],
            ),
            day(
                "2026-11-03",
                foods=[{"food": "20137", "grams": 185}],
                water=[{"liters": 0.5, "mg_per_liter": 20}],
            ),
        ]
    )
    result = assess(case)
    intake = result.intake
    assert intake is not None
    first, second = intake.per_day
    assert (first.food_mg, first.water_mg, first.supplement_mg) == (195.0, 162.0, 411.6)
    assert first.total_mg == 768.6
    assert (second.food_mg, second.water_mg, second.supplement_mg) == (118.4, 10.0, 0.0)
    assert intake.days == 2
    assert intake.food_mg == 156.7  # (195.045 + 118.4) / 2 = 156.72
    assert intake.water_mg == 86.0
    assert intake.supplement_mg == 205.8
    assert intake.total_mg == 448.5
    assert "transdermal_not_counted" in codes(result)
    assert "compound_converted" in codes(result)
    assert "oxide_poorly_absorbed" in codes(result)
    # 411.6 on day one, but the mean over the two days (205.8) is what meets the limit
    assert "supplement_above_ul" not in codes(result)


def test_topical_counts_zero() -> None:
    case = make_case(
        days=[day(supplements=[{"form": "bath flakes", "elemental_mg": 1000, "name": "flakes"}])]
    )
    result = assess(case)
    assert result.intake is not None and result.intake.supplement_mg == 0
    finding = next(f for f in result.findings if f.code == "transdermal_not_counted")
    assert "grober2017" in finding.sources


@pytest.mark.parametrize(("mg", "above"), [(250, False), (250.01, True)])
def test_supplement_upper_limit_boundary_dge(mg: float, above: bool) -> None:
    case = make_case(days=[day(supplements=[{"form": "citrate", "elemental_mg": mg}])])
    assert ("supplement_above_ul" in codes(assess(case))) is above


@pytest.mark.parametrize(("mg", "above"), [(350, False), (351, True)])
def test_supplement_upper_limit_boundary_nih(mg: float, above: bool) -> None:
    case = make_case(
        standard="nih", days=[day(supplements=[{"form": "citrate", "elemental_mg": mg}])]
    )
    assert ("supplement_above_ul" in codes(assess(case))) is above


def test_water_and_food_never_count_toward_the_limit() -> None:
    case = make_case(days=[water_only(1000)])
    result = assess(case)
    assert "supplement_above_ul" not in codes(result)
    assert result.status == "adequate"


@pytest.mark.parametrize(("mg", "status"), [(299.9, "low"), (300, "adequate")])
def test_status_from_intake_at_target(mg: float, status: str) -> None:
    result = assess(make_case(days=[water_only(mg)]))
    assert result.status == status
    assert result.status_basis == "intake"


def test_intake_alone_never_makes_deficient() -> None:
    result = assess(make_case(days=[water_only(0)]))
    assert result.status == "low"
    assert "status_from_intake" in codes(result)


def test_food_with_unknown_magnesium_is_left_out_and_named() -> None:
    # 01188 has no magnesium value in SR28
    case = make_case(days=[day(foods=[{"food": "01188", "grams": 100}])])
    result = assess(case)
    assert result.intake is not None and result.intake.food_mg == 0
    finding = next(f for f in result.findings if f.code == "food_mg_unknown")
    assert "01188" in finding.message
    assert "; it was left out of the sum" in finding.message
    assert result.intake.unknown_mg_entries == 1
    assert "lower bound" in finding.message


def test_unknown_entries_are_counted_each_time_never_as_zero() -> None:
    unknown = {"food": "01188", "grams": 100}
    known = {"food": "12061", "grams": 30}
    case = make_case(
        days=[day(foods=[unknown, known, unknown]), day("2026-11-03", foods=[unknown])]
    )
    result = assess(case)
    assert result.intake is not None
    assert result.intake.unknown_mg_entries == 3
    assert result.intake.food_mg > 0
    finding = next(f for f in result.findings if f.code == "food_mg_unknown")
    assert "3 entries unknown" in finding.message


def test_known_foods_leave_no_unknown_entries() -> None:
    result = assess(make_case(days=[day(foods=[{"food": "12061", "grams": 30}])]))
    assert result.intake is not None and result.intake.unknown_mg_entries == 0
    assert not any(f.code == "food_mg_unknown" for f in result.findings)


def test_portion_error_lists_measures() -> None:
    case = make_case(days=[day(foods=[{"food": "12061", "portion": "1 bucket"}])])
    with pytest.raises(InputError) as err:
        assess(case)
    assert err.value.field == "days[0].foods[0].portion"
    assert "1 cup, whole" in err.value.message


def test_unknown_food_names_field() -> None:
    case = make_case(days=[day(foods=[{"food": "99999", "grams": 10}])])
    with pytest.raises(InputError) as err:
        assess(case)
    assert err.value.field == "days[0].foods[0].food"


def test_unknown_form_names_field() -> None:
    case = make_case(days=[day(supplements=[{"form": "unobtainium", "elemental_mg": 10}])])
    with pytest.raises(InputError) as err:
        assess(case)
    assert err.value.field == "days[0].supplements[0].form"


def test_no_days_cannot_judge_intake() -> None:
    result = assess(make_case())
    assert result.intake is None
    assert result.status == "unknown"
    assert result.status_basis == "none"
    assert any(item.startswith("intake") for item in result.not_judged)
    assert "no_intake_data" in codes(result)


def test_reference_in_result_matches_standard() -> None:
    result = assess(make_case(standard="nih", profile={"age_years": 40}))
    assert (result.reference.target_mg, result.reference.supplement_ul_mg) == (320, 350)
    assert result.reference.ear_mg == 265
    override = assess(make_case(standard="nih"), standard="efsa")
    assert override.reference.standard == "efsa"
