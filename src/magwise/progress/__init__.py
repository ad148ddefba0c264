"""Progress over weeks: ``progress(record) -> ProgressResult``.

The record's last days become a case for ``magwise.assess``; the whole record
gives the intake per week, adherence to dose plans and the shedding trend with
its verdict (``too_early``, ``improving``, ``no_change``, ``worse``). Escalations
to a doctor join the assessment's findings and its ``refer_to_doctor``.
"""

from __future__ import annotations

import datetime as dt

from magwise.advisor import FoodSource, assess, listing
from magwise.case import parse_case
from magwise.errors import InputError
from magwise.knowledge import Knowledge, load_knowledge
from magwise.labs import readings
from magwise.progress.casefile import case_from_record, case_window, days_of_intake
from magwise.progress.escalation import judge_follow_up
from magwise.progress.intake import adherence, weekly_intake
from magwise.progress.result import (
    Adherence,
    MethodCounts,
    Progress,
    ProgressResult,
    RankTest,
    Shedding,
    SheddingWeek,
    Verdict,
    WeekIntake,
)
from magwise.progress.shedding import judge_shedding
from magwise.record import PersonRecord
from magwise.result import ACTIONS, Action, DayIntake

__all__ = [
    "Adherence",
    "MethodCounts",
    "Progress",
    "ProgressResult",
    "RankTest",
    "Shedding",
    "SheddingWeek",
    "Verdict",
    "WeekIntake",
    "case_from_record",
    "daily_intake",
    "progress",
]

_SEVERITY_ORDER = {"urgent": 0, "warning": 1, "info": 2}
_PLAN_FINDINGS = frozenset({"dose_plan_made", "dose_capped_at_ul", "confirm_with_blood_test"})


def _logged_days(record: PersonRecord) -> list[dt.date]:
    """The day of every entry in the record."""
    days: list[dt.date] = []
    days += (e.day for e in record.foods)
    days += (e.day for e in record.supplements)
    days += (e.day for e in record.water)
    days += (e.day for e in record.shedding)
    days += (e.day for e in record.symptoms)
    days += (e.day for e in record.labs)
    days += (e.day for e in record.notes)
    return days


def _last_day(record: PersonRecord, today: dt.date) -> dt.date | None:
    days = [d for d in _logged_days(record) if d <= today]
    return max(days) if days else None


def _first_day(record: PersonRecord) -> dt.date | None:
    days = _logged_days(record)
    return min(days) if days else None


def daily_intake(
    record: PersonRecord,
    *,
    today: dt.date,
    knowledge: Knowledge | None = None,
    foods: FoodSource | None = None,
) -> list[DayIntake]:
    """Intake of every logged day up to ``today`` (food, water, supplements, total)."""
    kb = knowledge or load_knowledge()
    days = days_of_intake(record, None, today)
    if not days:
        return []
    profile = record.profile_on(today)
    case = parse_case({"profile": {"sex": profile.sex, "age_years": 30}, "days": days})
    result = assess(case, knowledge=kb, foods=foods)
    assert result.intake is not None
    return list(result.intake.per_day)


def progress(
    record: PersonRecord,
    *,
    today: dt.date | None = None,
    standard: str | None = None,
    knowledge: Knowledge | None = None,
    foods: FoodSource | None = None,
) -> ProgressResult:
    """Assess the last days of ``record`` and judge the follow-up up to ``today``."""
    if not record.profiles:
        raise InputError("record", "no profile is kept for this person; set the profile first")
    kb = knowledge or load_knowledge()
    if foods is None:
        from magwise.foods import load_foods

        foods = load_foods()
    today = today or dt.date.today()
    base = assess(
        case_from_record(record, today, kb, standard), standard=standard, knowledge=kb, foods=foods
    )
    per_day = daily_intake(record, today=today, knowledge=kb, foods=foods)
    weeks = weekly_intake(record, per_day, kb, standard)
    last_day = _last_day(record, today)
    shedding = judge_shedding((s for s in record.shedding if s.day <= today), kb)
    follow = judge_follow_up(record, today, shedding, weeks, kb)

    findings = list(base.findings)
    dose_plan = base.dose_plan
    withheld = bool(follow.stop_reasons) and dose_plan is not None
    if withheld:
        dose_plan = None
        findings = [f for f in findings if f.code not in _PLAN_FINDINGS]
        follow.add("progress_plan_withheld", reasons=listing(follow.stop_reasons, kb))
    findings = sorted([*findings, *follow.findings], key=lambda f: _SEVERITY_ORDER[f.severity])
    refer = base.refer_to_doctor or follow.refer
    urgent = base.urgent or follow.urgent
    texts = kb.progress.texts
    intake_from, symptoms_from = case_window(today, kb)
    verdict_text = texts[f"verdict_{shedding.verdict}"]
    headline = _headline(base.headline, base.refer_to_doctor, follow.reasons, withheld, kb)
    if not follow.reasons:
        headline = f"{headline} {texts['headline_ok'].format(verdict=verdict_text)}"
    action = _action(base.action, follow.urgent, bool(follow.stop_reasons), follow.refer)
    first = kb.texts[f"action_{action}"]
    if not headline.startswith(first):  # the follow-up's first action leads
        headline = f"{first}. {headline}"
    replaced = {"findings", "dose_plan", "headline", "refer_to_doctor", "urgent", "action"}
    data = base.model_dump(exclude=replaced)
    return ProgressResult.model_validate(
        {
            **data,
            "headline": headline,
            "action": action,
            "refer_to_doctor": refer,
            "urgent": urgent,
            "dose_plan": dose_plan,
            "findings": findings,
            "progress": Progress(
                as_of=today,
                first_day=_first_day(record),
                last_day=last_day,
                case_start=intake_from,
                symptoms_since=symptoms_from,
                verdict=shedding.verdict,
                shedding=shedding,
                intake_weeks=weeks,
                adherence=adherence(record, last_day, kb),
                escalations=[f.code for f in follow.findings if kb.finding(f.code).refer],
                sources=sorted({s for f in follow.findings for s in f.sources}),
                labs=readings(record.labs, kb, until=today),
            ),
        }
    )


def _action(assessed: Action, urgent: bool, stop: bool, refer: bool) -> Action:
    """The first action of the assessment or of the follow-up, whichever comes first."""
    follow: Action = (
        "urgent_care"
        if urgent
        else "stop_magnesium"
        if stop
        else "see_doctor"
        if refer
        else assessed
    )
    return min(assessed, follow, key=ACTIONS.index)


def _headline(
    assessed: str, assess_refers: bool, reasons: list[str], withheld: bool, kb: Knowledge
) -> str:
    """The assessment's headline, joined by the reasons the follow-up sends to a doctor."""
    texts = kb.progress.texts
    if not reasons:
        return assessed
    shown = listing(list(dict.fromkeys(reasons)), kb)
    if assess_refers:
        return f"{assessed} {texts['headline_also'].format(reasons=shown)}"
    first = texts["headline_refer"].format(reasons=shown)
    return first if withheld else f"{first} {assessed}"
