"""When planned doses fall: never inside the spacing of a medicine taken fasting on waking."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from magwise.errors import DataError
from magwise.knowledge import Knowledge
from magwise.knowledge._models import DoseSlot
from magwise.result import Spacing


class FastingWindow(NamedTuple):
    """The hours around a medicine taken on waking in which no magnesium may fall."""

    medication: str
    label: str
    taken_hour: float
    before_h: float
    after_h: float

    def excludes(self, hour: float) -> bool:
        """Whether magnesium at ``hour`` is too close to the medicine (on any day)."""
        since = (hour - self.taken_hour) % 24  # hours since today's dose of the medicine
        return since < self.before_h or 24 - since < self.after_h


def fasting_windows(kb: Knowledge, spacing: Iterable[Spacing]) -> list[FastingWindow]:
    """A window for each spaced medicine whose label has it taken fasting on waking."""
    hour = kb.rules.dose_clock.fasting_medicine_hour
    return [
        FastingWindow(s.medication, s.label, hour, s.medicine_before_h, s.medicine_after_h)
        for s in spacing
        if kb.medication_class(s.medication).fasting_morning
    ]


def dose_slots(kb: Knowledge, doses: int, windows: Iterable[FastingWindow]) -> list[DoseSlot]:
    """``doses`` times of day, the plan's own first, none inside a window, by the clock."""
    rules = kb.rules
    windows = list(windows)
    allowed = [s for s in rules.dose_clock.slots if not any(w.excludes(s.hour) for w in windows)]
    if not allowed:
        names = ", ".join(w.medication for w in windows)
        raise DataError(f"rules: dose_clock leaves no time of day outside the spacing of {names}")
    chosen = [s for s in allowed if s.key in rules.plan_times.values]
    for slot in allowed:
        if len(chosen) >= doses:
            break
        if slot not in chosen:
            chosen.append(slot)
    chosen.sort(key=lambda s: s.hour)
    chosen = chosen[:doses]
    while len(chosen) < doses:
        chosen.append(chosen[-1])
    return chosen
