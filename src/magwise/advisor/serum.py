"""Blood tests: the latest serum magnesium, converted and judged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from magwise.advisor._context import Context
from magwise.errors import InputError
from magwise.result import Serum, Status
from magwise.units import from_mmol_per_l, resolve_lab_unit, resolve_unit, to_mmol_per_l


@dataclass(frozen=True)
class SerumJudgement:
    serum: Serum | None
    status: Status | None  # None: no serum result
    high: bool = False


def _latest(ctx: Context) -> tuple[int, Serum] | None:
    """The newest serum result (the last one given when dates are missing)."""
    best: tuple[dt.date, int] | None = None
    for i, lab in enumerate(ctx.case.labs):
        if lab.test != "serum_magnesium":
            continue
        key = (lab.date or dt.date.min, i)
        if best is None or key >= best:
            best = key
    if best is None:
        return None
    i = best[1]
    lab = ctx.case.labs[i]
    unit = resolve_unit(lab.unit, field=f"labs[{i}].unit", kb=ctx.kb)
    mmol = to_mmol_per_l(lab.value, unit.name, ctx.kb)
    _check_plausible(ctx, i, lab.value, unit.name, mmol)
    return i, Serum(value=lab.value, unit=unit.name, mmol_per_l=round(mmol, 4), date=lab.date)


def _check_plausible(ctx: Context, i: int, value: float, unit: str, mmol: float) -> None:
    plausible = ctx.kb.serum.plausible
    low, high = plausible.min.value, plausible.max.value
    if low <= mmol <= high:
        return
    thresholds = ctx.kb.serum.thresholds
    middle = (thresholds.low_below.value + thresholds.high_above.value) / 2
    candidates = []
    for other in ctx.kb.serum.unit:
        if other.name == unit:
            continue
        converted = to_mmol_per_l(value, other.name, ctx.kb)
        if low <= converted <= high:
            candidates.append((abs(converted - middle), other.name, converted))
    hint = ""
    if candidates:
        _, name, converted = min(candidates)
        hint = f" Did you mean {value:g} {name} (= {converted:.2f} mmol/L)?"
    raise InputError(
        f"labs[{i}].value",
        f"{value:g} {unit} ({mmol:.2f} mmol/L) is not a possible serum magnesium; accepted: "
        f"{from_mmol_per_l(low, unit, ctx.kb):.3g} to {from_mmol_per_l(high, unit, ctx.kb):.3g} "
        f"{unit}.{hint}",
    )


def judge_serum(ctx: Context) -> SerumJudgement:
    for i, lab in enumerate(ctx.case.labs):
        # every unit is checked against its test, even of results that are not the latest
        resolve_lab_unit(lab.test, lab.unit, field=f"labs[{i}].unit", kb=ctx.kb)
    if any(lab.test == "rbc_magnesium" for lab in ctx.case.labs):
        ctx.add("rbc_not_judged")
    latest = _latest(ctx)
    if latest is None:
        return SerumJudgement(serum=None, status=None)
    i, serum = latest
    t = ctx.kb.serum.thresholds
    # compared as shown: to the precision of the thresholds
    mmol = shown = round(serum.mmol_per_l, int(t.compare_decimals.value))
    status: Status
    if mmol < t.deficient_below.value:
        status = "deficient"
        ctx.add("serum_deficient", mmol=shown, threshold=t.deficient_below.value)
    elif mmol < t.low_below.value:
        status = "low"
        ctx.add("serum_low", mmol=shown, low=t.low_below.value)
    elif mmol <= t.high_above.value:
        status = "adequate"
        if mmol < t.low_normal_below.value:
            ctx.add("serum_low_normal", mmol=shown, threshold=t.low_normal_below.value)
        else:
            ctx.add("serum_adequate", mmol=shown)
        ctx.add("serum_caveat")
    else:
        status = "high"
        ctx.add("serum_high", mmol=shown, threshold=t.high_above.value)
    if mmol >= t.urgent_at_or_above.value:
        ctx.add("serum_urgent_high", mmol=shown, threshold=t.urgent_at_or_above.value)
    if mmol < t.urgent_below.value:
        ctx.add("serum_urgent_low", mmol=shown, threshold=t.urgent_below.value)
    lab = ctx.case.labs[i]
    if lab.range_low is not None and lab.range_high is not None:
        low = to_mmol_per_l(lab.range_low, serum.unit, ctx.kb)
        high = to_mmol_per_l(lab.range_high, serum.unit, ctx.kb)
        if (round(low, 2), round(high, 2)) != (t.low_below.value, t.high_above.value):
            ctx.add(
                "serum_lab_range_differs", low=lab.range_low, high=lab.range_high, unit=serum.unit
            )
    return SerumJudgement(serum=serum, status=status, high=status == "high")
