"""The hair-loss screen: red flags and ranked possible contributors."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from magwise.advisor._context import Context, listing
from magwise.advisor.referral import Profile
from magwise.knowledge._models import Trigger
from magwise.result import HairScreen, Status


def screen_hair(ctx: Context, profile: Profile, status: Status) -> HairScreen | None:
    """Red-flag findings and a ranked list of possible contributors."""
    kb, hair = ctx.kb, ctx.case.hair
    facts = kb.hair.facts
    magnesium = kb.causes.get("magnesium")
    if hair is None:
        return None
    pattern = kb.patterns.resolve(hair.pattern, "hair.pattern") if hair.pattern else None
    scalp = [kb.scalp_signs.resolve(s, f"hair.scalp[{i}]") for i, s in enumerate(hair.scalp)]
    triggers: list[tuple[Trigger, float]] = [
        (kb.triggers.resolve(t.kind, f"hair.triggers[{i}].kind"), t.weeks_ago)
        for i, t in enumerate(hair.triggers)
    ]

    # -- red flags
    if pattern is not None and pattern.red_flag:
        ctx.add("hair_red_flag_patchy", sources=pattern.sources)
    flagged = [s for s in scalp if s.red_flag]
    if flagged:
        ctx.add(
            "hair_red_flag_scalp", signs=listing([kb.in_sentence(s.label) for s in flagged], kb)
        )
    systemic = [s for s in profile.symptoms if "hair_red_flag" in s.signals]
    if systemic:
        text = listing([kb.in_sentence(s.label) for s in systemic], kb)
        ctx.add("hair_red_flag_systemic", symptoms=text, symptoms_lower=text)
    # -- shedding
    low, high = facts.normal_shedding_min.value, facts.normal_shedding_max.value
    shedding: Literal["normal", "above_normal", "unknown"] = "unknown"
    if hair.shedding_per_day is not None:
        if hair.shedding_per_day <= high:
            shedding = "normal"
            below = hair.shedding_per_day < low
            code = "hair_shedding_below_normal" if below else "hair_shedding_normal"
            ctx.add(code, count=hair.shedding_per_day, low=low, high=high)
        else:
            shedding = "above_normal"
            ctx.add("hair_shedding_above_normal", count=hair.shedding_per_day, low=low, high=high)

    # -- long-lasting: pattern thinning (androgenetic) or chronic shedding
    chronic = facts.chronic_shedding_weeks.value
    pattern_thinning = False
    if hair.duration_weeks is not None and hair.duration_weeks > chronic:
        pattern_thinning = (
            bool(hair.family_history)
            and shedding != "above_normal"
            and (pattern is None or pattern.diffuse or pattern.points_to == "androgenetic_alopecia")
        )
        if pattern_thinning:
            ctx.add("hair_pattern_thinning", weeks=hair.duration_weeks)
        else:
            ctx.add("hair_shedding_chronic", weeks=hair.duration_weeks, limit=chronic)

    # -- contributors
    w = kb.hair.screen_weights
    score: dict[str, float] = defaultdict(float)
    reasons: dict[str, list[str]] = defaultdict(list)

    def weigh(cause: str, weight: float, reason: str) -> None:
        score[cause] += weight
        reasons[cause].append(reason)

    diffuse = pattern is None or pattern.diffuse
    if pattern is not None and pattern.points_to:
        weight = w.strong.value if pattern.red_flag else w.typical.value
        weigh(
            pattern.points_to,
            weight,
            ctx.text("hair_why_pattern", pattern=kb.in_sentence(pattern.label)),
        )
    if hair.family_history:
        weigh("androgenetic_alopecia", w.supporting.value, ctx.text("hair_why_family"))
    if pattern_thinning:
        weigh(
            "androgenetic_alopecia",
            w.typical.value,
            ctx.text("hair_why_long_thinning", weeks=hair.duration_weeks),
        )
    onset_min, onset_max = facts.te_onset_min_weeks.value, facts.te_onset_max_weeks.value
    for trigger, weeks in triggers:
        label = kb.in_sentence(trigger.label)
        # weeks from the trigger to the start of the shedding: known when its duration is
        onset = weeks if hair.duration_weeks is None else weeks - hair.duration_weeks
        if trigger.points_to != "telogen_effluvium":
            weigh(
                trigger.points_to,
                w.typical.value,
                ctx.text("hair_why_trigger", trigger=label, weeks=weeks),
            )
        elif onset_min <= onset <= onset_max and diffuse:
            weigh(
                trigger.points_to,
                w.typical.value,
                ctx.text(
                    "hair_why_trigger_onset",
                    trigger=label,
                    weeks=weeks,
                    min=onset_min,
                    max=onset_max,
                ),
            )
            if ctx.hair_trigger is None:
                ctx.hair_trigger = label
            ctx.add(
                "hair_telogen_effluvium",
                weeks=onset,
                trigger=label,
                rmin=facts.recovery_months_min.value,
                rmax=facts.recovery_months_max.value,
            )
        for cause in trigger.also:
            weigh(cause, w.supporting.value, label)
    if shedding == "above_normal" and diffuse:
        weigh("telogen_effluvium", w.supporting.value, ctx.text("hair_why_shedding"))
    if diffuse:
        for cause in kb.hair.screen.diffuse_checks:
            weigh(cause, w.possible.value, ctx.text("hair_why_diffuse"))
    for cond in profile.conditions:
        if cond.hair_cause:
            weigh(cond.hair_cause, w.strong.value, kb.in_sentence(cond.label))
    for symptom in profile.symptoms:
        for cause in symptom.hair_causes:
            weigh(cause, w.supporting.value, kb.in_sentence(symptom.label))
    if status in ("low", "deficient"):
        weight = w.supporting.value if status == "deficient" else w.possible.value
        weigh("magnesium", weight, ctx.text("hair_why_status", status=kb.texts[f"status_{status}"]))

    # the contributors' fields, validated as Contributor within HairScreen's one call
    contributors: list[dict[str, object]] = []
    tests = dict.fromkeys(kb.hair.screen.always_tests)
    # a low magnesium value ranks below every cause with evidence, whatever its weight
    for cause_code in sorted(score, key=lambda c: (c == "magnesium", -score[c], c)):
        entry = kb.causes.get(cause_code)
        why = reasons[cause_code]
        if cause_code == "magnesium" and magnesium.note:
            why.append(magnesium.note)
        contributors.append(
            {
                "code": cause_code,
                "label": entry.label,
                "score": score[cause_code],
                "reasons": why,
                "tests": entry.tests,
                "sources": entry.sources,
            }
        )
        tests.update(dict.fromkeys(entry.tests))
    claim = kb.claims["mg_treats_hair_loss"]
    return HairScreen.model_validate(
        {
            "shedding": shedding,
            "contributors": contributors,
            "tests": [kb.lab_tests.get(t).label for t in tests],
            "magnesium_evidence": claim.answer,
            "sources": list(dict.fromkeys((*claim.sources, *facts.normal_shedding_max.sources))),
        }
    )
