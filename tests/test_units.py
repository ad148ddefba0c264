"""Serum magnesium unit conversions: properties and the fact sheet's table."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magwise.errors import InputError
from magwise.units import convert, from_mmol_per_l, resolve_unit, to_mmol_per_l, unit_names

UNITS = ["mmol/L", "mg/dL", "mEq/L"]
PAIRS = list(itertools.product(UNITS, UNITS))

values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
units = st.sampled_from(UNITS)

# The fact sheet's conversion table: mmol/L, mg/dL, mEq/L as printed
TABLE = [
    ("0.50", "1.22", "1.0"),
    ("0.60", "1.46", "1.2"),
    ("0.70", "1.70", "1.4"),
    ("0.75", "1.82", "1.5"),
    ("0.85", "2.07", "1.7"),
    ("0.95", "2.31", "1.9"),
    ("1.05", "2.55", "2.1"),
    ("2.0", "4.86", "4.0"),
    ("2.5", "6.08", "5.0"),
    ("5.0", "12.15", "10.0"),
    ("7.5", "18.23", "15.0"),
]


def _agrees(value: float, printed: str) -> bool:
    """``value`` shown to the precision of ``printed`` is ``printed``."""
    decimals = len(printed.partition(".")[2])
    return abs(value - float(printed)) <= 0.5 * 10**-decimals + 1e-9


def test_units_are_the_three_serum_units() -> None:
    assert unit_names() == UNITS


@pytest.mark.parametrize(("a", "b"), PAIRS)
@given(x=values)
def test_round_trip_every_pair(a: str, b: str, x: float) -> None:
    assert convert(convert(x, a, b), b, a) == pytest.approx(x, rel=1e-12, abs=1e-12)


@given(x=values, unit=units)
def test_round_trip_through_mmol(x: float, unit: str) -> None:
    assert to_mmol_per_l(from_mmol_per_l(x, unit), unit) == pytest.approx(x, rel=1e-12, abs=1e-12)


@given(x=values, y=values, a=units, b=units)
def test_monotonic(x: float, y: float, a: str, b: str) -> None:
    lo, hi = sorted((x, y))
    assert convert(lo, a, b) <= convert(hi, a, b)
    if hi > lo * (1 + 1e-9) and hi - lo > 1e-300:
        assert convert(lo, a, b) < convert(hi, a, b)


@given(x=values, a=units, b=units)
def test_linear_through_zero(x: float, a: str, b: str) -> None:
    assert convert(0, a, b) == 0
    assert convert(2 * x, a, b) == pytest.approx(2 * convert(x, a, b), rel=1e-12)


@given(x=values, a=units, b=units, c=units)
def test_conversions_compose(x: float, a: str, b: str, c: str) -> None:
    assert convert(convert(x, a, b), b, c) == pytest.approx(convert(x, a, c), rel=1e-12)


@pytest.mark.parametrize(("mmol", "mg_dl", "meq"), TABLE)
def test_fact_sheet_table(mmol: str, mg_dl: str, meq: str) -> None:
    m = float(mmol)
    assert _agrees(from_mmol_per_l(m, "mg/dL"), mg_dl)
    assert _agrees(from_mmol_per_l(m, "mEq/L"), meq)
    assert _agrees(convert(m, "mmol/L", "mEq/L"), meq)
    # and back from the exact mEq/L value
    assert _agrees(to_mmol_per_l(float(meq), "mEq/L"), mmol)


def test_classic_pair() -> None:
    # 0.75 mmol/L = 1.82 mg/dL = 1.5 mEq/L
    assert round(convert(0.75, "mmol/L", "mg/dL"), 2) == 1.82
    assert convert(0.75, "mmol/L", "mEq/L") == 1.5
    assert round(convert(1.82, "mg/dL", "mEq/L"), 1) == 1.5


@pytest.mark.parametrize(
    ("value", "from_unit", "to_unit", "printed"),
    [
        (1, "mmol/L", "mg/dL", "2.4305"),
        (1, "mmol/L", "mEq/L", "2"),
        (1, "mg/dL", "mmol/L", "0.4114"),
        (1, "mg/dL", "mEq/L", "0.8229"),
        (1, "mEq/L", "mmol/L", "0.5"),
        (1, "mEq/L", "mg/dL", "1.215"),
    ],
)
def test_unit_factors(value: float, from_unit: str, to_unit: str, printed: str) -> None:
    assert _agrees(convert(value, from_unit, to_unit), printed)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("mg/dl", "mg/dL"),
        ("MG/DL", "mg/dL"),
        ("mg %", "mg/dL"),
        ("mmol/l", "mmol/L"),
        (" mmol / l ", "mmol/L"),
        ("meq/l", "mEq/L"),
        ("mEq/l", "mEq/L"),
    ],
)
def test_aliases(alias: str, name: str) -> None:
    assert resolve_unit(alias).name == name
    assert convert(1.0, alias, name) == 1.0


@pytest.mark.parametrize("unit", ["g/L", "µmol/L", "", "mg"])
def test_unknown_unit(unit: str) -> None:
    with pytest.raises(InputError) as exc:
        to_mmol_per_l(1.0, unit)
    assert exc.value.field == "unit"
    assert repr(unit) in exc.value.message
    for name in UNITS:
        assert name in exc.value.message


def test_unknown_unit_names_the_field() -> None:
    with pytest.raises(InputError) as exc:
        resolve_unit("ppm", field="labs[0].unit")
    assert exc.value.field == "labs[0].unit"
    assert str(exc.value).startswith("labs[0].unit: unknown unit 'ppm'")
