"""Magnesium's role in the hair loss: the answer to the person's own question.

The rules and their texts are data (knowledge/data/role.toml): this module only
reads the levels the rules speak of (serum, intake, status, a clear other cause
in the hair screen) and fills in the first rule that holds.
"""

from __future__ import annotations

from magwise.advisor._bounds import written
from magwise.advisor._context import Context
from magwise.knowledge._models import IntakeLevel, RoleFacts, SerumLevel
from magwise.result import HairScreen, Intake, Serum, Status


def serum_level(status: Status | None, *, low_normal: bool) -> SerumLevel:
    """The latest serum value as the role rules read it (None: no judged value)."""
    if status in ("low", "deficient"):
        return "low"
    if status == "high":
        return "high"
    if status == "adequate":
        return "low_normal" if low_normal else "normal"
    return "none"


def intake_level(
    total_mg: float | None, target_mg: float | None, ear_mg: float | None, target_over_ear: float
) -> IntakeLevel:
    """The mean total intake against the reference value; 'clearly_low' below the EAR
    (where the standard sets none: the reference value / ``target_over_ear``)."""
    if total_mg is None or target_mg is None:
        return "none"
    if total_mg >= target_mg:
        return "meets"
    cut = ear_mg if ear_mg is not None else target_mg / target_over_ear
    return "clearly_low" if total_mg < cut else "below"


def other_cause(ctx: Context, hair: HairScreen | None) -> dict[str, object] | None:
    """The hair screen's first contributor other than magnesium, when its weight
    reaches that of a clear cause (role.toml clear_cause_min_score): the fields of
    ``OtherCause``."""
    if hair is None:
        return None
    role = ctx.kb.role
    first = next((c for c in hair.contributors if c.code != "magnesium"), None)
    if first is None or first.score < role.params.clear_cause_min_score.value:
        return None
    entry = role.cause_text(first.code)
    facts = ctx.kb.hair.facts
    months = {
        "rmin": ctx.number(facts.recovery_months_min.value),
        "rmax": ctx.number(facts.recovery_months_max.value),
    }
    if entry.text_trigger is not None and ctx.hair_trigger is not None:
        text = entry.text_trigger.format(trigger=ctx.hair_trigger, **months)
    else:
        text = entry.text.format(**months)
    return {"code": first.code, "label": first.label, "text": text, "sources": entry.sources}


def judge_role(
    ctx: Context,
    *,
    status: Status,
    serum_status: Status | None,
    serum: Serum | None,
    intake: Intake | None,
    hair: HairScreen | None,
) -> dict[str, object]:
    """The first rule of role.toml that holds, its sentence filled in: the fields of
    ``MagnesiumRole``, validated with the rest of the result."""
    kb, role = ctx.kb, ctx.kb.role
    ref = ctx.reference
    t = kb.serum.thresholds
    cause = other_cause(ctx, hair)
    facts = RoleFacts(
        serum=serum_level(serum_status, low_normal=ctx.has("serum_low_normal")),
        intake=intake_level(
            None if intake is None else intake.total_mg,
            ref.target_mg,
            ref.ear_mg,
            role.params.target_over_ear.value,
        ),
        status=status,
        other_cause=cause is not None,
    )
    rule = role.first(facts)
    shown = ""
    if serum is not None:
        mmol = round(serum.mmol_per_l, int(t.compare_decimals.value))
        shown = written(serum.comparator, ctx.number(mmol))
    text = rule.text.format(
        serum=shown,
        strict=ctx.number(t.low_normal_below.value),
        total="" if intake is None else ctx.number(intake.total_mg),
        target="" if ref.target_mg is None else ctx.number(ref.target_mg),
    )
    sources = list(rule.sources)
    if rule.value == "possible":
        text = f"{text} {role.caveat.text}"
        sources += role.caveat.sources
    return {
        "value": rule.value,
        "label": role.texts[rule.value],
        "rule": rule.code,
        "text": text,
        "other_cause": cause,
        "sources": list(dict.fromkeys(sources)),
    }
