"""What a person types into the log: read forgivingly, refused clearly."""

from __future__ import annotations

import datetime as dt

import pytest

import magwise.store
from magwise import bounds, case
from magwise.errors import InputError
from magwise.store import _inputs

TODAY = dt.date(2026, 11, 23)


def _bound(model: type, field: str, kind: str) -> float:
    for item in model.model_fields[field].metadata:  # type: ignore[attr-defined]
        if hasattr(item, kind):
            return float(getattr(item, kind))
    raise AssertionError(f"{model.__name__}.{field} has no {kind}")


def test_the_case_file_and_the_log_refuse_the_same_numbers() -> None:
    """One set of bounds: the case file's fields and the log's checks both use it."""
    assert _bound(case.FoodEntry, "grams", "le") == bounds.MAX_GRAMS
    assert _bound(case.FoodEntry, "count", "le") == bounds.MAX_COUNT
    assert _bound(case.SupplementEntry, "count", "le") == bounds.MAX_COUNT
    assert _bound(case.SupplementEntry, "elemental_mg", "le") == bounds.MAX_ELEMENTAL_MG
    assert _bound(case.WaterEntry, "liters", "le") == bounds.MAX_LITERS
    assert _bound(case.WaterEntry, "mg_per_liter", "le") == bounds.MAX_MG_PER_LITER
    assert _bound(case.Hair, "shedding_per_day", "le") == bounds.MAX_SHEDDING
    assert _bound(case.Profile, "age_years", "le") == bounds.MAX_AGE_YEARS
    for field, high in (
        ("liters", bounds.MAX_LITERS),
        ("mg_per_liter", bounds.MAX_MG_PER_LITER),
        ("grams", bounds.MAX_GRAMS),
    ):
        _inputs.check_number(field, high, high)
        with pytest.raises(InputError, match=rf"^{field}: .* at most {high:g}$"):
            _inputs.check_number(field, high * 1.0001, high)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (None, TODAY),
        ("today", TODAY),
        ("Yesterday", TODAY - dt.timedelta(days=1)),
        ("2026-11-20", dt.date(2026, 11, 20)),
    ],
)
def test_dates(text: str | None, day: dt.date) -> None:
    assert _inputs.parse_day(text, TODAY) == day


@pytest.mark.parametrize("text", ["tomorrow", "2026-11-24", "20.11.2026"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(InputError, match=r"^date: "):
        _inputs.parse_day(text, TODAY)


@pytest.mark.parametrize(
    ("text", "grams"),
    [("30g", 30), ("30 g", 30), ("1,5 kg", 1500), ("2 oz", 56.69904625), ("1 lb", 453.59237)],
)
def test_weights(text: str, grams: float) -> None:
    assert _inputs.parse_weight(text) == pytest.approx(grams)


@pytest.mark.parametrize("text", ["1 cup", "oz!", "g", "30"])
def test_not_weights(text: str) -> None:
    assert _inputs.parse_weight(text) is None


@pytest.mark.parametrize(
    ("text", "liters"), [("1.5l", 1.5), ("1.5", 1.5), ("500 ml", 0.5), ("33cl", 0.33), ("2 L", 2)]
)
def test_volumes(text: str, liters: float) -> None:
    assert _inputs.parse_volume(text) == pytest.approx(liters)


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("comb", "comb_test"),
        ("60s", "comb_test"),
        ("Wash", "wash_count"),
        ("daily-count", "daily_count"),
    ],
)
def test_methods(text: str, method: str) -> None:
    assert _inputs.shedding_method(text) == method


@pytest.mark.parametrize("text", ["1899-12-31", "1700-01-01", "0001-01-01", "9999-12-31"])
def test_a_day_no_log_holds_is_refused_as_the_api_refuses_it(text: str) -> None:
    with pytest.raises(InputError) as refused:
        _inputs.parse_day(text, TODAY)
    assert str(refused.value) == "date: expected a date from 1900-01-01 to 2999-12-31"
    assert _inputs.parse_day("1900-01-01", TODAY) == bounds.FIRST_DAY
    with pytest.raises(InputError, match=r"^hair-since: expected a date from 1900-01-01"):
        _inputs.parse_day(text, TODAY, field="hair-since")


def test_errors_echo_at_most_60_characters_of_a_value() -> None:
    assert _inputs.shown("1 bucket") == "'1 bucket'"
    assert _inputs.shown("y" * 60) == repr("y" * 60)
    assert _inputs.shown("y" * 61) == repr("y" * 60) + "…"
    assert _inputs.shown(list(range(100))).endswith("…")
    for check in (
        _inputs.parse_volume,
        _inputs.shedding_method,
        _inputs.parse_range,
        lambda text: _inputs.parse_day(text, TODAY),
    ):
        with pytest.raises(InputError) as refused:
            check("9x" * 50_000)
        assert "'" + "9x" * 30 + "'…" in str(refused.value)
        assert len(str(refused.value)) < 300
    with pytest.raises(InputError, match=r"^amount: '2 jugs' is not a volume"):
        _inputs.parse_volume("2 jugs")


def test_ranges() -> None:
    assert _inputs.parse_range("0.7-1.1") == (0.7, 1.1)
    assert _inputs.parse_range("0,70 .. 1,10") == (0.7, 1.1)
    with pytest.raises(InputError, match=r"^range: "):
        _inputs.parse_range("1.1")


def test_the_public_names() -> None:
    assert set(magwise.store.__all__) == {
        "AccountGone",
        "DATABASE_URL_VARIABLE",
        "Entry",
        "Product",
        "SavedMeal",
        "Store",
        "database_url",
        "default_url",
        "describe",
        "describe_in",
    }
