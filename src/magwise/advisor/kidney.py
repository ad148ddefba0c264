"""Kidney function: eGFR and creatinine results, kidney conditions, and age."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from magwise.advisor._bounds import Bounds, written
from magwise.advisor._context import Context, number
from magwise.advisor.referral import Profile
from magwise.case import Lab
from magwise.units import lab_to_canonical, resolve_lab_unit


class KidneyJudgement(NamedTuple):
    result: bool = False  # an eGFR or creatinine result was given
    reduced: bool = False  # eGFR below the doctor threshold, or a bound that allows it
    disease: bool = False  # reduced, or a kidney condition reported

    @property
    def blocks_plan(self) -> bool:
        return self.reduced


def _latest(ctx: Context, test: str) -> Lab | None:
    best: tuple[dt.date, int] | None = None
    for i, lab in enumerate(ctx.case.labs):
        if lab.test == test:
            key = (lab.date or dt.date.min, i)
            if best is None or key >= best:
                best = key
    return None if best is None else ctx.case.labs[best[1]]


def judge_kidney(
    ctx: Context, profile: Profile, *, supplement_in_question: bool
) -> KidneyJudgement:
    """Findings on kidney function; whether it rules out a plan."""
    kb = ctx.kb
    t = kb.kidney.thresholds
    contra, doctor = t.egfr_contraindicated_below, t.egfr_doctor_below
    condition = any(c.kidney for c in profile.conditions)
    egfr, creatinine = _latest(ctx, "egfr"), _latest(ctx, "creatinine")
    reduced = False
    if egfr is not None:
        value = lab_to_canonical(egfr.value, "egfr", egfr.unit, kb)
        bounds = Bounds.of(value, egfr.comparator)
        shown = written(egfr.comparator, number(value))
        if bounds.below(contra.value):
            reduced = True
            ctx.add("egfr_contraindication", egfr=shown, limit=contra.value, sources=contra.sources)
        elif bounds.at_or_above(contra.value) and bounds.below(doctor.value):
            reduced = True
            ctx.add("egfr_reduced", egfr=shown, limit=doctor.value, sources=doctor.sources)
        elif bounds.at_or_above(doctor.value):
            ctx.add("egfr_normal", egfr=shown, limit=doctor.value, sources=doctor.sources)
        else:
            reduced = True
            ctx.add("egfr_undecidable", egfr=shown, limit=doctor.value, sources=doctor.sources)
    elif creatinine is not None:
        ctx.add(
            "creatinine_needs_egfr",
            value=written(creatinine.comparator, number(creatinine.value)),
            unit=resolve_lab_unit("creatinine", creatinine.unit, kb=kb).name,
        )
    age = t.kidney_check_age_years
    if (
        egfr is None
        and creatinine is None
        and not condition
        and supplement_in_question
        and ctx.case.profile.age_years >= age.value
    ):
        ctx.add("kidney_check_first", age=age.value, sources=age.sources)
    if any(c.code == "kidney_stones" for c in profile.conditions):
        ctx.add("kidney_stones_type")
    return KidneyJudgement(
        result=egfr is not None or creatinine is not None,
        reduced=reduced,
        disease=reduced or condition,
    )
