"""Faster days: recent foods, meals saved and logged again, a day or meal copied."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from magwise.errors import InputError
from magwise.record import MEALS, FoodEntry, Meal
from magwise.store._store import Entry, Store

_RECENT_DAYS = 60  # how far back recent foods are looked for


@dataclass(frozen=True, slots=True)
class RecentFood:
    """A food logged lately: its last entry (amount, meal) and how often it was logged."""

    last: FoodEntry
    times: int


def parse_meal(text: str | None) -> Meal | None:
    """A meal from its English or German name; ``None`` for none."""
    if text is None or not text.strip():
        return None
    names: dict[str, Meal] = {
        "breakfast": "breakfast",
        "frühstück": "breakfast",
        "fruehstueck": "breakfast",
        "lunch": "lunch",
        "mittagessen": "lunch",
        "dinner": "dinner",
        "abendessen": "dinner",
        "snack": "snack",
        "zwischenmahlzeit": "snack",
    }
    found = names.get(text.strip().casefold())
    if found is None:
        raise InputError(
            "meal",
            f"{text.strip()!r}; accepted: {', '.join(MEALS)} (or Frühstück, Mittagessen, "
            "Abendessen, Snack)",
        )
    return found


def recent_foods(
    store: Store, person_id: int, today: dt.date, limit: int = 10, by: str = "recent"
) -> list[RecentFood]:
    """Foods of the last weeks, each once with its last amount: the latest first
    (``by="recent"``) or the most often logged first (``by="frequent"``)."""
    start = today - dt.timedelta(days=_RECENT_DAYS)
    entries = [
        e
        for e in store.entries(person_id, start, today, kinds=("food",))
        if isinstance(e, FoodEntry)
    ]
    times = Counter(e.ndb for e in entries)
    last: dict[str, FoodEntry] = {}
    for entry in entries:  # by day, then by the order written: the last one stays
        last.pop(entry.ndb, None)
        last[entry.ndb] = entry
    found = [RecentFood(entry, times[ndb]) for ndb, entry in reversed(last.items())]
    if by == "frequent":
        found.sort(key=lambda r: -r.times)  # stable: equally often, the latest first
    return found[:limit]


def relog(store: Store, person_id: int, entry_id: int, day: dt.date) -> int:
    """Log a food entry again on ``day``, with its amount and meal; the new entry's id."""
    entry = store.entry(person_id, entry_id)
    if not isinstance(entry, FoodEntry):
        raise InputError("entry", f"no food entry {entry_id}")
    return store.add(person_id, dataclasses.replace(entry, id=0, day=day))[0]


_COPIED = ("food", "supplement", "water")


def copy_day(
    store: Store,
    person_id: int,
    source: dt.date,
    target: dt.date,
    meal: Meal | None = None,
) -> list[int]:
    """Copy a day's foods, supplements and water (or one meal's foods) to ``target``."""
    if source == target:
        raise InputError("date", f"{source} is the day to copy to; choose another day")
    kinds = ("food",) if meal is not None else _COPIED
    entries: list[Entry] = [
        e
        for e in store.entries(person_id, source, source, kinds=kinds)
        if meal is None or (isinstance(e, FoodEntry) and e.meal == meal)
    ]
    if not entries:
        what = f"no {meal} foods" if meal else "no foods, supplements or water"
        raise InputError("date", f"{source} has {what} to copy")
    copies = [dataclasses.replace(e, id=0, day=target) for e in entries]
    return store.add(person_id, *copies)


def save_meal(store: Store, person_id: int, name: str, day: dt.date, meal: Meal | None) -> int:
    """Save the foods of ``day`` (of ``meal``, when given) as the meal ``name``; how many."""
    items = [
        e
        for e in store.entries(person_id, day, day, kinds=("food",))
        if isinstance(e, FoodEntry) and (meal is None or e.meal == meal)
    ]
    if not items:
        what = f"no {meal} foods" if meal else "no foods"
        raise InputError("date", f"{day} has {what} to save")
    store.meals.save(person_id, name, items)
    return len(items)


def log_meal(
    store: Store, person_id: int, name: str, day: dt.date, meal: Meal | None = None
) -> list[int]:
    """Log the saved meal ``name`` on ``day`` (as ``meal``, else as it was saved)."""
    saved = store.meals.get(person_id, name)
    if saved is None:
        names = ", ".join(m.name for m in store.meals.all(person_id)) or "none yet"
        raise InputError("meal", f"no meal named {name!r} (yours: {names})")
    entries = [
        dataclasses.replace(item, id=0, day=day, meal=meal or item.meal) for item in saved.items
    ]
    return store.add(person_id, *entries)
