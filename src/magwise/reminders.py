"""Reminders over the months hair needs: doses, shedding counts, reviews, blood tests.

``reminders(record, result)`` lists what is due and when, from the person's log
and the latest assessment; ``due_on`` picks what falls on one day (the top of
the Today page) and ``to_icalendar`` writes them as an RFC 5545 calendar (the
feed a phone's calendar shows). Every time and week is data
(``knowledge/data/reminders.toml`` and ``progress.toml``), each with its source.
Pure: no clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import tomllib
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from magwise.advisor import FoodSource
from magwise.errors import DataError, InputError
from magwise.knowledge import DATA_DIR, Knowledge, load_knowledge
from magwise.record import PersonRecord, PlanEntry
from magwise.result import Result

Kind = Literal["dose", "shedding_count", "review", "blood_test"]
Repeat = Literal["daily", "weekly"]


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    class DoseClock(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        morning: str
        midday: str
        evening: str
        sources: tuple[str, ...]
        note: str

    class Clock(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        value: str
        sources: tuple[str, ...]
        note: str

    class SheddingRepeat(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        daily_count: Repeat
        comb_test: Repeat
        wash_count: Repeat
        sources: tuple[str, ...]
        note: str

    class BloodTest(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        at_review_weeks: int
        soon_days: int
        sources: tuple[str, ...]
        note: str

    schema_version: int
    dose_clock: DoseClock
    shedding_clock: Clock
    shedding_repeat: SheddingRepeat
    blood_test: BloodTest
    texts: dict[str, dict[str, str]]


@functools.cache
def _rules() -> _Rules:
    path = DATA_DIR / "reminders.toml"
    try:
        rules = _Rules.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise DataError(f"knowledge file reminders.toml: {exc}") from exc
    if set(rules.texts["en"]) != set(rules.texts.get("de", {})):
        raise DataError("knowledge file reminders.toml: the German texts differ from the English")
    return rules


def _clock(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@dataclass(frozen=True)
class Reminder:
    """One reminder: all day when ``time`` is None; repeating until ``until`` (inclusive)."""

    uid: str
    kind: Kind
    title: str
    detail: str
    start: dt.date
    time: dt.time | None = None
    repeat: Repeat | None = None
    until: dt.date | None = None

    def falls_on(self, day: dt.date) -> bool:
        if day < self.start or (self.until is not None and day > self.until):
            return False
        if self.repeat is None:
            return day == self.start
        if self.repeat == "weekly":
            return (day - self.start).days % 7 == 0
        return True


def _uid(*parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:20]
    return f"{digest}@magwise"


def _plan_in_effect(record: PersonRecord, today: dt.date) -> PlanEntry | None:
    running = [p for p in record.plans if p.started <= today and p.stopped is None]
    return running[-1] if running else None


def _number(value: float, language: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "de" else text


def reminders(
    record: PersonRecord,
    result: Result | None = None,
    *,
    today: dt.date,
    language: str = "en",
    knowledge: Knowledge | None = None,
) -> list[Reminder]:
    """What is due for this person, from ``today`` on (``result``: their latest assessment)."""
    rules = _rules()
    texts = rules.texts[language if language in rules.texts else "en"]
    kb = knowledge or load_knowledge(language)
    found: list[Reminder] = []

    plan = _plan_in_effect(record, today)
    if plan is not None:
        times = (
            [d.time for d in result.dose_plan.doses]
            if result is not None and result.dose_plan is not None and result.dose_plan.doses
            else [str(t) for t in load_knowledge().rules.plan_times.values]  # codes, not words
        )
        form = kb.forms.get(plan.form)
        form_name = kb.in_sentence(form.name) if form is not None else plan.form
        per_dose = plan.supplement_mg_per_day / len(times)
        for time_of_day in times:
            clock = getattr(rules.dose_clock, time_of_day, rules.dose_clock.morning)
            found.append(
                Reminder(
                    uid=_uid("dose", record.person_id, plan.id, time_of_day),
                    kind="dose",
                    title=texts["dose"].format(
                        mg=_number(per_dose, language),
                        form=form_name,
                        time=texts.get(f"time_{time_of_day}", time_of_day),
                    ),
                    detail=texts["dose_detail"].format(
                        mg_day=_number(plan.supplement_mg_per_day, language), doses=len(times)
                    ),
                    start=max(plan.started, today),
                    time=_clock(clock),
                    repeat="daily",
                )
            )

    # reviews: weeks after the plan started, else after the first shedding count
    follow_start = plan.started if plan is not None else _first_count(record)
    if follow_start is not None:
        for weeks in (kb.progress.verdict_weeks.value, kb.progress.dermatologist_weeks.value):
            day = follow_start + dt.timedelta(weeks=int(weeks))
            if day >= today:
                found.append(
                    Reminder(
                        uid=_uid("review", record.person_id, follow_start, weeks),
                        kind="review",
                        title=texts["review"].format(weeks=int(weeks)),
                        detail=texts["review_detail"].format(weeks=int(weeks)),
                        start=day,
                    )
                )

    method = record.shedding[-1].method if record.shedding else "daily_count"
    found.append(
        Reminder(
            uid=_uid("shedding", record.person_id, method),
            kind="shedding_count",
            title=texts["shedding"].format(method=texts[f"method_{method}"]),
            detail=texts["shedding_detail"],
            start=today,
            time=_clock(rules.shedding_clock.value),
            repeat=getattr(rules.shedding_repeat, method),
        )
    )

    blood = _blood_test_day(record, result, plan, today, rules)
    if blood is not None:
        found.append(
            Reminder(
                uid=_uid("blood", record.person_id, blood),
                kind="blood_test",
                title=texts["blood_test"],
                detail=texts["blood_test_detail"],
                start=blood,
            )
        )
    return found


def _first_count(record: PersonRecord) -> dt.date | None:
    return min((s.day for s in record.shedding), default=None)


def _blood_test_day(
    record: PersonRecord,
    result: Result | None,
    plan: PlanEntry | None,
    today: dt.date,
    rules: _Rules,
) -> dt.date | None:
    """Soon, when the assessment asks to confirm its plan with a blood test; else at the
    first review of a plan in effect, unless a magnesium result was logged since then."""
    if result is not None and any(f.code == "confirm_with_blood_test" for f in result.findings):
        return today + dt.timedelta(days=rules.blood_test.soon_days)
    if plan is None:
        return None
    due = plan.started + dt.timedelta(weeks=rules.blood_test.at_review_weeks)
    tested = any(lab.day >= due for lab in record.labs)
    return due if due >= today and not tested else None


def latest_result(
    record: PersonRecord, kb: Knowledge | None = None, foods: FoodSource | None = None
) -> Result | None:
    """The assessment of the last days, whose plan and findings set some reminders
    (``None`` before a profile is set)."""
    if not record.profiles:
        return None
    from magwise.progress import progress

    try:
        return progress(record, knowledge=kb, foods=foods)
    except InputError:
        return None  # an old entry the rules no longer accept: reminders without it


def calendar_file(
    record: PersonRecord,
    *,
    today: dt.date,
    language: str,
    stamp: dt.datetime,
    foods: FoodSource | None = None,
) -> tuple[bytes, list[Reminder]]:
    """The person's reminders as an iCalendar document, and the reminders themselves."""
    items = reminders(record, latest_result(record, foods=foods), today=today, language=language)
    return to_icalendar(items, language=language, stamp=stamp), items


def due_on(items: list[Reminder], day: dt.date) -> list[Reminder]:
    """The reminders that fall on ``day``, by time (all-day ones first)."""
    return sorted(
        (r for r in items if r.falls_on(day)),
        key=lambda r: (r.time is not None, r.time or dt.time()),
    )


def calendar_name(language: str) -> str:
    return _rules().texts[language if language in _rules().texts else "en"]["calendar_name"]


def to_icalendar(items: list[Reminder], *, language: str, stamp: dt.datetime) -> bytes:
    """``items`` as an iCalendar (RFC 5545) document, made with the ``icalendar`` library.

    Timed reminders are floating local times (a dose at 08:00 stays at 08:00 wherever
    the phone is); all-day ones are dates. ``stamp`` is the DTSTAMP of every event.
    """
    from icalendar import Calendar, Event, vRecur

    calendar = Calendar()
    calendar.add("prodid", "-//magwise//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name(language))
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("description", item.detail)
        if item.time is None:
            event.add("dtstart", item.start)
            event.add("dtend", item.start + dt.timedelta(days=1))
        else:
            start = dt.datetime.combine(item.start, item.time)
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(minutes=15))
        if item.repeat is not None:
            rule: dict[str, object] = {"freq": item.repeat.upper()}
            if item.until is not None:
                rule["until"] = item.until
            event.add("rrule", vRecur(rule))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
