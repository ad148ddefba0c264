"""What is due today, for the top of the Today and Progress pages.

The same reminders the calendar feed carries (``magwise.reminders``): the dose
times of the plan in effect, a review at 12 or 24 weeks, the shedding count and
a blood test when one is due; a count already logged today is shown as done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from magwise.foods import FoodIndex
from magwise.knowledge import Knowledge
from magwise.record import PersonRecord
from magwise.reminders import Kind, due_on, latest_result, reminders


@dataclass(frozen=True)
class Due:
    """One thing due today: ``time`` is "HH:MM", or None for all day."""

    kind: Kind
    title: str
    time: str | None
    done: bool


def due_today(
    record: PersonRecord, today: dt.date, language: str, kb: Knowledge, foods: FoodIndex
) -> list[Due]:
    """What falls on ``today`` for the person; nothing before a profile is set."""
    if not record.profiles:
        return []
    result = latest_result(record, kb, foods)
    items = reminders(record, result, today=today, language=language, knowledge=kb)
    counted = any(entry.day == today for entry in record.shedding)
    return [
        Due(
            kind=item.kind,
            title=item.title,
            time=None if item.time is None else item.time.strftime("%H:%M"),
            done=item.kind == "shedding_count" and counted,
        )
        for item in due_on(items, today)
    ]
