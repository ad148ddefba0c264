"""Status from serum magnesium: thresholds at their boundaries, units, urgency, bad values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._cases import codes, make_case, serum, water_only

from magwise import assess, load_knowledge
from magwise.errors import InputError


@pytest.mark.parametrize(
    ("mmol", "status"),
    [
        (0.5, "deficient"),
        (0.6949, "deficient"),
        (0.6951, "low"),  # shown and judged as 0.70
        (0.70, "low"),
        (0.7449, "low"),
        (0.7499, "adequate"),  # shown and judged as 0.75
        (0.75, "adequate"),
        (0.8499, "adequate"),
        (1.05, "adequate"),
        (1.0549, "adequate"),  # shown and judged as 1.05
        (1.0551, "high"),
        (1.9949, "high"),
    ],
)
def test_status_thresholds(mmol: float, status: str) -> None:
    result = assess(make_case(labs=[serum(mmol)]))
    assert result.status == status
    assert result.status_basis == "serum"
    assert result.serum is not None and result.serum.mmol_per_l == mmol


@pytest.mark.parametrize(
    ("mmol", "urgent"),
    [(0.4949, True), (0.4999, False), (0.5, False), (1.9949, False), (1.9999, True), (2.0, True)],
)
def test_urgent_serum(mmol: float, urgent: bool) -> None:
    result = assess(make_case(labs=[serum(mmol)]))
    assert result.urgent is urgent
    assert result.refer_to_doctor is True  # deficient and high both refer
    if urgent:
        assert result.headline.startswith("Seek medical help today")
        assert result.findings[0].severity == "urgent"


def test_low_normal_is_noted_but_adequate() -> None:
    result = assess(make_case(labs=[serum(0.80)]))
    assert result.status == "adequate"
    assert "serum_low_normal" in codes(result)
    assert "serum_caveat" in codes(result)
    assert result.refer_to_doctor is False


def test_low_does_not_refer_by_itself() -> None:
    result = assess(make_case(labs=[serum(0.72)]))
    assert result.status == "low"
    assert result.refer_to_doctor is False


@pytest.mark.parametrize(
    ("value", "unit", "status"),
    [
        (1.68, "mg/dL", "deficient"),  # 0.6912 mmol/L
        (1.70, "mg/dL", "low"),  # 0.6994 mmol/L, shown and judged as 0.70
        (1.71, "mg/dl", "low"),  # 0.7036 mmol/L
        (1.5, "mEq/L", "adequate"),  # 0.75 mmol/L
        (2.2, "meq/l", "high"),  # 1.1 mmol/L
    ],
)
def test_units_are_converted(value: float, unit: str, status: str) -> None:
    result = assess(make_case(labs=[serum(value, unit)]))
    assert result.status == status


def test_latest_result_counts() -> None:
    labs = [serum(0.60, date="2026-11-01"), serum(0.90, date="2026-09-01")]
    result = assess(make_case(labs=labs))
    assert result.status == "deficient"
    assert result.serum is not None and str(result.serum.date) == "2026-11-01"


def test_impossible_value_suggests_unit_mixup() -> None:
    with pytest.raises(InputError) as err:
        assess(make_case(labs=[serum(12, "mmol/L")]))
    assert err.value.field == "labs[0].value"
    assert "not a possible serum magnesium" in str(err.value)
    assert "mg/dL" in str(err.value)


def test_unknown_unit_names_field_and_accepted() -> None:
    with pytest.raises(InputError) as err:
        assess(make_case(labs=[serum(0.8, "g/L")]))
    assert err.value.field == "labs[0].unit"
    assert "mmol/L, mg/dL, mEq/L" in str(err.value)


def test_rbc_is_recorded_not_judged() -> None:
    lab = {"test": "rbc_magnesium", "value": 5.0, "unit": "mg/dL"}
    result = assess(make_case(labs=[lab]))
    assert result.serum is None
    assert result.status == "unknown"
    assert "rbc_not_judged" in codes(result)


def test_lab_range_that_differs_is_noted() -> None:
    lab = serum(0.8) | {"range_low": 0.66, "range_high": 1.07}
    assert "serum_lab_range_differs" in codes(assess(make_case(labs=[lab])))
    same = serum(0.8) | {"range_low": 0.75, "range_high": 1.05}
    assert "serum_lab_range_differs" not in codes(assess(make_case(labs=[same])))


def test_low_serum_despite_enough_intake_points_to_losses() -> None:
    enough = assess(make_case(labs=[serum(0.72)], days=[water_only(400)]))
    assert "serum_low_despite_intake" in codes(enough)
    short = assess(make_case(labs=[serum(0.72)], days=[water_only(200)]))
    assert "serum_low_despite_intake" not in codes(short)
    fine = assess(make_case(labs=[serum(0.9)], days=[water_only(400)]))
    assert "serum_low_despite_intake" not in codes(fine)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1000, max_value=30000))
def test_the_verdict_agrees_with_the_value_shown(tenth_thousandths: int) -> None:
    """'0.7 mmol/L is below 0.7 mmol/L' never happens: the shown value is what is judged."""
    mmol = tenth_thousandths / 10_000
    result = assess(make_case(labs=[serum(mmol)]))
    t = load_knowledge().serum.thresholds
    shown = round(mmol, 2)
    expected = (
        "deficient"
        if shown < t.deficient_below.value
        else "low"
        if shown < t.low_below.value
        else "adequate"
        if shown <= t.high_above.value
        else "high"
    )
    assert result.status == expected
    urgent = shown < t.urgent_below.value or shown >= t.urgent_at_or_above.value
    assert result.urgent is urgent
    said = {f"serum_{expected}", "serum_low_normal"}
    message = next(f.message for f in result.findings if f.code in said)
    assert f"{shown:g} mmol/L" in message
