"""Kidney function as a lab: units per test, comparators, eGFR categories, stones."""

from __future__ import annotations

import pytest
from tests._cases import codes, make_case, water_only

from magwise import assess, load_knowledge
from magwise.errors import InputError
from magwise.units import lab_to_canonical, resolve_lab_unit

KB = load_knowledge()
LOW_DAY = [water_only(100)]


@pytest.mark.parametrize(
    ("test", "unit", "name"),
    [
        ("egfr", "mL/min/1.73m2", "mL/min/1.73 m²"),
        ("egfr", "ml/min/{1.73_m2}", "mL/min/1.73 m²"),
        ("creatinine", "umol/L", "µmol/L"),
        ("creatinine", "μmol/l", "µmol/L"),
        ("creatinine", "mg/dl", "mg/dL"),
        ("serum_magnesium", "mmol/l", "mmol/L"),
    ],
)
def test_units_are_accepted_per_test(test: str, unit: str, name: str) -> None:
    assert resolve_lab_unit(test, unit, kb=KB).name == name


def test_a_unit_of_another_test_is_refused_naming_the_field() -> None:
    case = make_case(labs=[{"test": "egfr", "value": 50, "unit": "mmol/L"}])
    with pytest.raises(InputError) as exc:
        assess(case)
    assert exc.value.field == "labs[0].unit"
    assert "mL/min/1.73 m²" in exc.value.message


def test_creatinine_converts_with_the_knowledge_base_factor() -> None:
    assert lab_to_canonical(88.4, "creatinine", "µmol/L", KB) == pytest.approx(1.0)
    unit = next(u for u in KB.kidney.unit if u.name == "µmol/L")
    assert unit.per_canonical == 88.4 and unit.sources


def test_kidney_lab_codes_are_the_loinc_codes() -> None:
    got = {c.code: c.test for c in KB.kidney.lab_code}
    assert got == {
        "33914-3": "egfr",
        "62238-1": "egfr",
        "98979-8": "egfr",
        "2160-0": "creatinine",
        "14682-9": "creatinine",
    }


@pytest.mark.parametrize(
    ("value", "comparator", "code", "plan"),
    [
        (29.9, None, "egfr_contraindication", False),
        (30, None, "egfr_reduced", False),
        (59, None, "egfr_reduced", False),
        (60, None, "egfr_normal", True),
        (60, ">", "egfr_normal", True),
        (60, ">=", "egfr_normal", True),
        (30, "<", "egfr_contraindication", False),
        (60, "<", "egfr_undecidable", False),
        (45, ">", "egfr_undecidable", False),
    ],
)
def test_egfr_categories_with_comparators(
    value: float, comparator: str | None, code: str, plan: bool
) -> None:
    lab = {"test": "egfr", "value": value, "unit": "mL/min/1.73 m²"}
    if comparator:
        lab["comparator"] = comparator
    result = assess(make_case(days=LOW_DAY, labs=[lab]))
    assert code in codes(result)
    assert (result.dose_plan is not None) is plan
    if not plan:
        assert result.action == "see_doctor"


def test_the_old_stone_code_still_works_and_only_struvite_is_a_contraindication() -> None:
    assert KB.conditions.resolve("struvite_stones", "c").contraindicated
    assert KB.conditions.resolve("struvite", "c").code == "struvite_stones"
    other = KB.conditions.resolve("kidney stones", "c")
    assert other.code == "kidney_stones" and not other.contraindicated


def test_kidney_conditions_are_marked() -> None:
    kidney = {c.code for c in KB.conditions if c.kidney}
    assert kidney == {"kidney_disease", "dialysis", "anuria"}


def test_no_plan_from_65_is_shown_without_asking_for_kidney_function() -> None:
    for age in (65, 80):
        result = assess(make_case(profile={"age_years": age}, days=LOW_DAY))
        assert result.dose_plan is not None
        assert "kidney_check_first" in codes(result)
    young = assess(make_case(profile={"age_years": 64}, days=LOW_DAY))
    assert "kidney_check_first" not in codes(young)
