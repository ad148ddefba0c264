"""Findings of the follow-up: verdict notes and escalations to a doctor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from magwise.advisor import listing, number
from magwise.errors import InputError
from magwise.knowledge import Knowledge
from magwise.progress.result import Shedding, WeekIntake
from magwise.progress.stats import p_text
from magwise.record import PersonRecord
from magwise.result import Finding
from magwise.units import resolve_unit, to_mmol_per_l


def _show(value: object, language: str = "en") -> str:
    """A field of a text as the text's language writes it: 312.4, in German 312,4."""
    if not isinstance(value, float):
        return str(value)
    text = number(value)
    return text if language == "en" else text.replace(".", ",")


@dataclass
class Escalations:
    kb: Knowledge
    findings: list[Finding] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    stop_reasons: list[str] = field(default_factory=list)

    def add(self, code: str, *, sources: Iterable[str] = (), **fields: object) -> None:
        entry = self.kb.finding(code)
        shown = {k: _show(v, self.kb.language) for k, v in fields.items()}
        self.findings.append(
            Finding(
                code=code,
                severity=entry.severity,
                message=entry.message.format(**shown),
                sources=list(dict.fromkeys((*entry.sources, *sources))),
            )
        )
        if entry.refer and entry.reason is not None:
            self.reasons.append(entry.reason.format(**shown))

    @property
    def refer(self) -> bool:
        return any(self.kb.finding(f.code).refer for f in self.findings)

    @property
    def urgent(self) -> bool:
        return any(f.severity == "urgent" for f in self.findings)


def _dates(days: Iterable[dt.date], kb: Knowledge) -> str:
    return listing([d.isoformat() for d in sorted(set(days))], kb)


def judge_follow_up(
    record: PersonRecord,
    today: dt.date,
    shedding: Shedding,
    weeks: list[WeekIntake],
    kb: Knowledge,
) -> Escalations:
    """Every progress finding, in the order a reader needs them."""
    params, texts = kb.progress, kb.progress.texts
    out = Escalations(kb)
    method = texts[f"method_{shedding.method}"] if shedding.method else ""
    test = shedding.test
    recent_weeks = ((test.recent_end - test.recent_start).days + 1) / 7 if test is not None else 0.0
    if shedding.worsening and test is not None:
        out.add(
            "progress_worse",
            recent=shedding.recent_median or 0.0,
            baseline=shedding.baseline_median or 0.0,
            weeks=round(recent_weeks, 1),
            method=method,
            p=p_text(test.p_higher),
        )
    if shedding.verdict in ("no_change", "worse"):
        at = shedding.weeks_of_data
        code = (
            "progress_no_improvement_24w"
            if at >= params.dermatologist_weeks.value
            else "progress_no_improvement_12w"
        )
        out.add(
            code,
            weeks=round(at, 1),
            recent=shedding.recent_median or 0.0,
            baseline=shedding.baseline_median or 0.0,
        )
    if shedding.verdict == "too_early":
        out.add("progress_too_early", why=shedding.verdict_reason)
    if shedding.verdict == "improving" and test is not None:
        out.add(
            "progress_improving",
            recent=shedding.recent_median or 0.0,
            baseline=shedding.baseline_median or 0.0,
            weeks=round(recent_weeks, 1),
            baseline_weeks=params.baseline_weeks.value,
            method=method,
            p=p_text(test.p_lower),
        )
    others = [m for m in shedding.methods if m.method != shedding.method]
    if others:
        judged = next(m for m in shedding.methods if m.method == shedding.method)
        out.add(
            "progress_other_methods",
            method=method,
            count=judged.counts,
            others=listing([f"{texts[f'method_{m.method}']} ({m.counts})" for m in others], kb),
        )

    excess = [
        (s.day, symptom.label)
        for s in record.symptoms
        if s.day <= today
        and (symptom := kb.symptoms.find(s.code)) is not None
        and "excess" in symptom.signals
    ]
    if excess:
        labels = list(dict.fromkeys(kb.in_sentence(label) for _, label in excess))
        out.add(
            "progress_excess_symptoms",
            symptoms=listing(labels, kb),
            dates=_dates((d for d, _ in excess), kb),
        )
        out.stop_reasons.append(texts["plan_why_excess"])

    high_above = kb.serum.thresholds.high_above.value
    high: list[str] = []
    for lab in record.labs:
        if lab.test != "serum_magnesium" or lab.day > today:
            continue
        if lab.comparator in ("<", "<="):
            continue  # "< 2.5" does not say the value is high
        try:
            unit = resolve_unit(lab.unit, field="lab unit", kb=kb)
        except InputError:
            continue
        mmol = to_mmol_per_l(lab.value, unit.name, kb)
        above_lab = lab.range_high is not None and lab.value > lab.range_high
        if mmol > high_above or above_lab:
            written = f"{lab.comparator} {lab.value:g}" if lab.comparator else f"{lab.value:g}"
            high.append(f"{written} {unit.name} on {lab.day.isoformat()}")
    if high:
        out.add("progress_serum_high", results=listing(high, kb))
        out.stop_reasons.append(texts["plan_why_serum"])

    above = [w for w in weeks if w.supplement_above_ul]
    if above:
        out.add(
            "progress_supplement_above_ul",
            weeks=len(above),
            total=len(weeks),
            ul=above[-1].supplement_ul_mg or 0.0,
        )
    return out
