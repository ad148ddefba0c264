"""``assess(case) -> Result``: the advisor's decision process, pure and deterministic.

Measure (intake) -> compare (reference, upper limit) -> interpret (serum,
symptoms, medicines, conditions) -> screen (hair) -> plan (dose) -> say why.
"""

from __future__ import annotations

from typing import Any

from magwise.advisor._bounds import written
from magwise.advisor._context import Context, FoodSource, listing, number
from magwise.advisor.action import Signals, choose_action
from magwise.advisor.hair import screen_hair
from magwise.advisor.intake import compute_intake, judge_intake
from magwise.advisor.kidney import judge_kidney
from magwise.advisor.planner import make_plan, plan_exclusions
from magwise.advisor.referral import Profile, interactions, refer, resolve_profile
from magwise.advisor.role import judge_role
from magwise.advisor.serum import judge_serum
from magwise.case import Case, parse_case
from magwise.knowledge import Knowledge, load_knowledge
from magwise.reference import personal_reference
from magwise.result import (
    Action,
    DosePlan,
    Intake,
    Result,
    Serum,
    Status,
    StatusBasis,
)

__all__ = ["FoodSource", "assess", "listing", "number"]

_SEVERITY_ORDER = {"urgent": 0, "warning": 1, "info": 2}


def assess(
    case: Case | dict[str, Any] | str,
    *,
    standard: str | None = None,
    knowledge: Knowledge | None = None,
    foods: FoodSource | None = None,
) -> Result:
    """Assess one person's case. ``standard`` overrides the case's standard."""
    if not isinstance(case, Case):
        case = parse_case(case)
    kb = knowledge or load_knowledge()
    if foods is None:
        from magwise.foods import load_foods

        foods = load_foods()
    person = case.profile
    ref = personal_reference(
        sex=person.sex,
        age_years=person.age_years,
        pregnant=person.pregnant,
        lactating=person.lactating,
        standard=standard or case.standard,
        kb=kb,
    )
    ctx = Context(case=case, kb=kb, foods=foods, reference=ref)
    profile = resolve_profile(ctx)
    parts = compute_intake(ctx)
    judge_intake(ctx, parts)
    serum = judge_serum(ctx)

    status: Status
    basis: StatusBasis
    if serum.status is not None:
        status, basis = serum.status, "serum"
    elif parts.intake is not None and ref.target_mg is not None:
        status = "low" if parts.intake.total_mg < ref.target_mg else "adequate"
        basis = "intake"
        if status == "low":
            ctx.add("status_from_intake")
    else:
        status, basis = "unknown", "none"

    # food and water alone: supplements may have begun after the blood test
    natural = parts.food_mg + parts.water_mg
    if (
        basis == "serum"
        and status in ("low", "deficient")
        and parts.intake is not None
        and ref.target_mg is not None
        and natural >= ref.target_mg
    ):
        ctx.add(
            "serum_low_despite_intake",
            total=round(natural, 1),
            status=kb.texts[f"status_{status}"],
            sources=ref.sources,
        )
    supplement_in_question = parts.supplements_taken or status in ("low", "deficient")
    kidney = judge_kidney(ctx, profile, supplement_in_question=supplement_in_question)
    mg_source = parts.supplements_taken or bool(profile.magnesium_medicines)
    refer(
        ctx,
        profile,
        supplement_in_question=supplement_in_question,
        excess_context=mg_source or serum.high or kidney.disease,
    )
    if serum.serum is not None and serum.high:
        _high_serum_urgency(ctx, profile, serum.serum, kidney_disease=kidney.disease)
    spacing = interactions(ctx, profile)
    hair = screen_hair(ctx, profile, status)
    ctx.add("hair_mg_no_evidence")

    urgent = any(f["severity"] == "urgent" for f in ctx.findings)
    dose_plan = None
    why_not: list[str] = []
    if status in ("low", "deficient") and ref.target_mg is not None:
        why_not = plan_exclusions(
            ctx,
            profile,
            status,
            serum.high,
            urgent,
            kidney_reduced=kidney.reduced,
            serum_possibly_high=serum.possibly_high,
        )
        if why_not:
            ctx.add("no_plan_unsafe", reasons=listing(why_not, kb))
        elif parts.intake is None:
            ctx.add("no_plan_without_intake")
        else:
            dose_plan = make_plan(ctx, parts, spacing)
            if basis != "serum":
                ctx.add("confirm_with_blood_test")
            if status == "deficient":
                ctx.add("plan_for_doctor")
    elif status == "adequate":
        ctx.add("no_plan_adequate")

    refer_to_doctor = any(kb.finding(code).refer for code in ctx.codes)
    # an excess signal with a magnesium source, or a high serum value while taking one
    stop = mg_source and (bool(profile.excess_counted) or serum.high)
    action = choose_action(
        Signals(
            urgent=urgent,
            stop=stop,
            above_ul=ctx.has("supplement_above_ul"),
            refer=refer_to_doctor or bool(why_not),
            plan=dose_plan is not None,
            judged=status != "unknown",
            needs_log=ctx.has("no_plan_without_intake"),
        )
    )
    role = judge_role(
        ctx,
        status=status,
        serum_status=serum.status,
        serum=serum.serum,
        intake=parts.intake,
        hair=hair,
    )
    not_judged = _not_judged(ctx, parts.intake is None, serum.serum is None)
    findings = sorted(ctx.findings, key=lambda f: _SEVERITY_ORDER[f["severity"]])
    # one validation of the whole result: findings and claims arrive as their fields
    return Result.model_validate(
        {
            "knowledge_version": kb.version,
            "headline": _headline(
                ctx,
                action,
                status,
                basis,
                plan=dose_plan,
                intake=parts.intake,
                why_not=why_not,
                prescribed_only=kidney.disease and mg_source,
                stop=stop,
            ),
            "action": action,
            "magnesium_role": role,
            "intake": parts.intake,
            "reference": ref.as_dict(),
            "serum": serum.serum,
            "status": status,
            "status_basis": basis,
            "refer_to_doctor": refer_to_doctor,
            "urgent": urgent,
            "dose_plan": dose_plan,
            "findings": findings,
            "hair": hair,
            "claims": _claims(
                ctx,
                topical=ctx.has("transdermal_not_counted"),
                plan=dose_plan is not None,
                source=mg_source,
                low=status in ("low", "deficient"),
            ),
            "not_judged": not_judged,
            "disclaimer": kb.texts["disclaimer"],
        }
    )


def _high_serum_urgency(
    ctx: Context, profile: Profile, serum: Serum, *, kidney_disease: bool
) -> None:
    """A serum value above the range is urgent with a sign of too much magnesium or with
    kidney disease (MSD Manual, NIH ODS), whatever its height."""
    shown = written(serum.comparator, number(round(serum.mmol_per_l, 2)))
    signs = [s for s in profile.symptoms if s.hypermg_sign]
    if signs:
        inside = listing([ctx.kb.in_sentence(s.label) for s in signs], ctx.kb)
        ctx.add("serum_high_with_symptoms", mmol=shown, symptoms=inside)
    if kidney_disease:
        ctx.add("serum_high_with_kidney", mmol=shown)


def _not_judged(ctx: Context, no_intake: bool, no_serum: bool) -> list[str]:
    out = []
    if ctx.reference.target_mg is None:
        out.append(ctx.text("not_judged_reference", standard=ctx.reference.standard_name))
    if no_intake:
        out.append(ctx.text("not_judged_intake"))
    if no_serum:
        out.append(ctx.text("not_judged_serum"))
    if ctx.case.hair is None:
        out.append(ctx.text("not_judged_hair"))
    return out


def _headline(
    ctx: Context,
    action: Action,
    status: Status,
    basis: StatusBasis,
    *,
    plan: DosePlan | None,
    intake: Intake | None,
    why_not: list[str],
    prescribed_only: bool,
    stop: bool,
) -> str:
    """One sentence that starts with the action's text, then says why."""
    kb = ctx.kb
    first = kb.texts[f"action_{action}"]
    # reasons are clauses ("you are pregnant") and phrases ("patchy hair loss"): a
    # semicolon joins both kinds where "and" would not
    join = kb.texts["refer_join"]
    reasons = join.join(dict.fromkeys(r for _, r in ctx.reasons)) or listing(why_not, kb)
    if action == "urgent_care":
        urgent = join.join(dict.fromkeys(r for sev, r in ctx.reasons if sev == "urgent"))
        key = "headline_urgent_stop" if stop else "headline_urgent"
        return ctx.text(key, action=first, reasons=urgent)
    if action == "stop_magnesium":
        return ctx.text("headline_stop", action=first, reasons=reasons)
    ul = ctx.reference.supplement_ul_mg
    if action == "lower_supplements" and intake is not None and ul is not None:
        limit = plan.supplement_mg_per_day if plan is not None else ul
        text = ctx.text(
            "headline_above_ul", action=first, supplement=intake.supplement_mg, ul=limit
        )
        if ctx.reasons:  # a doctor too: pregnancy, kidneys, a serum value
            text += " " + ctx.text("headline_then_doctor", reasons=reasons)
        return text
    if action == "see_doctor":
        key = "headline_refer_prescribed" if prescribed_only else "headline_refer"
        text = ctx.text(key, action=first, reasons=reasons)
        if plan is not None:
            text += " " + kb.texts["headline_plan_for_doctor"]
        return text
    if status == "unknown":
        missing = "missing_reference" if ctx.reference.target_mg is None else "missing_intake"
        return ctx.text("headline_unknown", action=first, missing=kb.texts[missing])
    shown = kb.texts["basis_serum" if basis == "serum" else "basis_intake"]
    if plan is not None:
        weeks = listing([str(w) for w in plan.review_after_weeks], kb)
        return ctx.text(
            "headline_plan",
            action=first,
            status=kb.texts[f"status_{status}"],
            basis=shown,
            dose=plan.supplement_mg_per_day,
            doses=plan.doses_per_day,
            review=weeks,
        )
    if status in ("low", "deficient"):
        return ctx.text(
            "headline_low_no_plan", action=first, status=kb.texts[f"status_{status}"], basis=shown
        )
    return ctx.text("headline_ok", action=first, status=kb.texts[f"status_{status}"], basis=shown)


def _claims(
    ctx: Context, *, topical: bool, plan: bool, source: bool, low: bool
) -> list[dict[str, object]]:
    """The claims the person meets, as the fields of ``ClaimAnswer``."""
    hair = ctx.case.hair is not None
    wanted = ["dose_300_400"]
    if hair:
        wanted += ["mg_treats_hair_loss", "prevalence", "hair_mineral_test"]
        if source:
            wanted.append("excess_mg_hair_loss")
    if topical:
        wanted.append("transdermal_mg")
    if low:
        wanted.append("increase_after_deficiency")
    if plan or hair:  # hair needs months, whatever the plan
        wanted.append("be_patient")
    return [
        {"code": c.code, "claim": c.claim, "answer": c.answer, "sources": c.sources}
        for c in (ctx.kb.claims[code] for code in wanted)
    ]
