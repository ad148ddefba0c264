"""Blood tests: the latest serum magnesium, converted and judged."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from magwise.advisor._bounds import Bounds, written
from magwise.advisor._context import Context
from magwise.case import Lab
from magwise.errors import InputError
from magwise.result import Serum, Status
from magwise.units import from_mmol_per_l, resolve_lab_unit, resolve_unit, to_mmol_per_l


class SerumJudgement(NamedTuple):
    serum: Serum | None
    status: Status | None  # None: no serum result, or one whose comparator leaves it open
    high: bool = False  # above the range
    possibly_high: bool = False  # above the range, or a comparator that allows it


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
    serum = Serum(
        value=lab.value,
        unit=unit.name,
        mmol_per_l=round(mmol, 4),
        date=lab.date,
        comparator=lab.comparator,
    )
    return i, serum


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
    lab = ctx.case.labs[i]
    t = ctx.kb.serum.thresholds
    decimals = int(t.compare_decimals.value)
    # compared as shown: to the precision of the thresholds
    mmol = round(serum.mmol_per_l, decimals)
    bounds = Bounds.of(mmol, None)
    if lab.comparator is not None:  # the bound as written, in mmol/L as shown
        per_unit = to_mmol_per_l(1.0, serum.unit, ctx.kb)
        bounds = Bounds.of(lab.value, lab.comparator).scaled(per_unit, decimals)
    shown = written(lab.comparator, ctx.number(mmol))
    status: Status | None
    if bounds.below(t.deficient_below.value):
        status = "deficient"
        ctx.add("serum_deficient", mmol=shown, threshold=t.deficient_below.value)
    elif bounds.at_or_above(t.deficient_below.value) and bounds.below(t.low_below.value):
        status = "low"
        ctx.add("serum_low", mmol=shown, low=t.low_below.value)
    elif bounds.at_or_above(t.low_below.value) and bounds.at_or_below(t.high_above.value):
        status = "adequate"
        if bounds.below(t.low_normal_below.value):
            ctx.add("serum_low_normal", mmol=shown, threshold=t.low_normal_below.value)
        else:
            ctx.add("serum_adequate", mmol=shown)
        ctx.add("serum_caveat")
    elif bounds.above(t.high_above.value):
        status = "high"
        ctx.add("serum_high", mmol=shown, threshold=t.high_above.value)
    else:
        status = None
        ctx.add(
            "serum_undecidable",
            result=written(lab.comparator, f"{ctx.number(lab.value)} {serum.unit}"),
            low=t.low_below.value,
            high=t.high_above.value,
        )
    if bounds.at_or_above(t.urgent_at_or_above.value):
        ctx.add("serum_urgent_high", mmol=shown, threshold=t.urgent_at_or_above.value)
    elif status == "high" and not bounds.below(t.urgent_at_or_above.value):
        # a high value written as a bound that allows a dangerous one ("> 1.5")
        danger = ctx.text("danger_high", threshold=t.urgent_at_or_above.value)
        ctx.add("serum_possibly_urgent", mmol=shown, danger=danger)
    if bounds.below(t.urgent_below.value):
        ctx.add("serum_urgent_low", mmol=shown, threshold=t.urgent_below.value)
    elif status == "deficient" and not bounds.at_or_above(t.urgent_below.value):
        danger = ctx.text("danger_low", threshold=t.urgent_below.value)
        ctx.add("serum_possibly_urgent", mmol=shown, danger=danger)
    if lab.comparator is None:
        _lab_range(ctx, lab, serum.unit, mmol)
    return SerumJudgement(
        serum=serum,
        status=status,
        high=status == "high",
        possibly_high=not bounds.at_or_below(t.high_above.value),
    )


def _lab_range(ctx: Context, lab: Lab, unit: str, mmol: float) -> None:
    """The lab's own range beside magwise's, in a plain sentence when they disagree."""
    value, low, high = lab.value, lab.range_low, lab.range_high
    if low is None or high is None:
        return
    kb, t = ctx.kb, ctx.kb.serum.thresholds
    decimals = int(t.compare_decimals.value)
    lab_low = round(to_mmol_per_l(low, unit, kb), decimals)
    lab_high = round(to_mmol_per_l(high, unit, kb), decimals)
    if (lab_low, lab_high) == (t.low_below.value, t.high_above.value):
        return
    lab_side = "below" if mmol < lab_low else "above" if mmol > lab_high else "in"
    ours = "below" if mmol < t.low_below.value else "above" if mmol > t.high_above.value else "in"
    if lab_side == ours:
        ctx.add("serum_lab_range_differs", low=low, high=high, unit=unit)
        return
    ctx.add(
        "serum_lab_range_disagrees",
        value=value,
        unit=unit,
        low=low,
        high=high,
        lab=kb.texts[f"lab_range_{lab_side}"],
        ours=kb.texts[f"magwise_range_{ours}"],
        mlow=t.low_below.value,
        mhigh=t.high_above.value,
    )
