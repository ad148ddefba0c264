"""Faster days: ``magwise recent``, ``meal``, ``edit``, ``log meal`` and ``log copy``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from magwise.cli._log_options import _day, _input, _on, date_option, db_option, open_store
from magwise.cli.log_food import meal_option

if TYPE_CHECKING:
    from magwise.record import FoodEntry


def _amount(entry: FoodEntry) -> str:
    if entry.grams is not None:
        return f"{round(entry.grams * entry.count, 1):g} g"
    times = "" if entry.count == 1 else f"{entry.count:g} x "
    return f"{times}{entry.portion}"


@click.command("recent")
@click.option("--frequent", is_flag=True, help="The foods logged most often first.")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def recent(frequent: bool, limit: int, as_json: bool, db: str | None) -> None:
    """Foods you logged lately, each with its last amount (log one again with
    `magwise log again ID`)."""
    import datetime as dt

    from magwise.store._days import recent_foods

    with open_store(db) as (store, me):
        found = recent_foods(
            store, me, dt.date.today(), limit, by="frequent" if frequent else "recent"
        )
    if as_json:
        rows = [
            {
                "entry": r.last.id,
                "food": r.last.ndb,
                "name": r.last.description,
                "grams": r.last.grams,
                "portion": r.last.portion,
                "count": r.last.count,
                "meal": r.last.meal,
                "last_logged": r.last.day.isoformat(),
                "times": r.times,
            }
            for r in found
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No foods logged in the last weeks.")
    for r in found:
        times = "once" if r.times == 1 else f"{r.times} times"
        click.echo(
            f"{r.last.id:>6}  {_amount(r.last)} {r.last.description} "
            f"(last {_on(r.last.day)}, {times})"
        )


@click.command("again")
@click.argument("entry_id", type=int)
@date_option
@db_option
def log_again(entry_id: int, when: str | None, db: str | None) -> None:
    """Log a food entry ENTRY_ID again (see `magwise recent`), with its amount and meal."""
    from magwise.store._days import relog

    day = _day(when)
    with open_store(db) as (store, me):
        new_id = relog(store, me, entry_id, day)
        entry = store.entry(me, new_id)
    assert entry is not None
    click.echo(f"Logged again: {_entry_text(entry)}, {_on(day)}.")


def _entry_text(entry: object) -> str:
    from magwise.store import describe

    return describe(entry)  # type: ignore[arg-type]


@click.command("meal")
@click.argument("name")
@meal_option
@date_option
@db_option
def log_meal(name: str, meal: str | None, when: str | None, db: str | None) -> None:
    """Log the meal NAME you saved (`magwise meal save`), as it was, on a day."""
    from magwise.store._days import log_meal as log_saved
    from magwise.store._days import parse_meal

    day = _day(when)
    chosen = parse_meal(meal)
    with open_store(db) as (store, me):
        ids = log_saved(store, me, name, day, chosen)
    click.echo(f"Logged {len(ids)} foods of {name!r}, {_on(day)}.")


@click.command("copy")
@click.argument("source")
@meal_option
@click.option("--to", "target", default=None, metavar="DATE", help="The day to copy to (today).")
@db_option
def log_copy(source: str, meal: str | None, target: str | None, db: str | None) -> None:
    """Copy a day's foods, supplements and water (or one --meal's foods) to today.

    \b
    magwise log copy yesterday
    magwise log copy 2026-11-20 --meal breakfast --to yesterday
    """
    from magwise.store._days import copy_day, parse_meal
    from magwise.store._inputs import parse_day

    source_day = parse_day(source, field="source")
    day = _day(target)
    chosen = parse_meal(meal)
    with open_store(db) as (store, me):
        ids = copy_day(store, me, source_day, day, chosen)
    what = f"{chosen} entries" if chosen else "entries"
    click.echo(f"Copied {len(ids)} {what} of {_on(source_day)} to {_on(day)}.")


@click.group("meal")
def meal() -> None:
    """Meals saved by name and logged again with `magwise log meal NAME`."""


@meal.command("save")
@click.argument("name")
@meal_option
@date_option
@db_option
def meal_save(name: str, meal: str | None, when: str | None, db: str | None) -> None:
    """Save the foods of a day (or of its --meal) as the meal NAME."""
    from magwise.store._days import parse_meal, save_meal

    day = _day(when)
    chosen = parse_meal(meal)
    with open_store(db) as (store, me):
        count = save_meal(store, me, name, day, chosen)
    click.echo(f"Saved {count} foods as {name.strip()!r}: magwise log meal {name.strip()!r}")


@meal.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def meal_list(as_json: bool, db: str | None) -> None:
    """List your saved meals."""
    with open_store(db) as (store, me):
        meals = store.meals.all(me)
    if as_json:
        rows = [
            {"name": m.name, "foods": [{"food": i.ndb, "name": i.description} for i in m.items]}
            for m in meals
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not meals:
        click.echo("No meals saved yet: magwise meal save NAME --date D --meal breakfast")
    for m in meals:
        foods = ", ".join(f"{_amount(i)} {i.description}" for i in m.items)
        click.echo(f"{m.name}: {foods}")


@meal.command("delete")
@click.argument("name")
@db_option
def meal_delete(name: str, db: str | None) -> None:
    """Forget the saved meal NAME (entries logged from it stay)."""
    with open_store(db) as (store, me):
        if not store.meals.delete(me, name):
            raise _input("meal", f"no meal named {name!r}; see 'magwise meal list'")
    click.echo(f"Deleted the meal {name.strip()!r}.")


@click.command("edit")
@click.argument("entry_id", type=int)
@click.option("--amount", help="A food's new amount: 30g, 2 '1 oz', 1.5 oz.")
@click.option("--date", "when", default=None, metavar="DATE", help="Move the entry to DATE.")
@meal_option
@click.option("--no-meal", is_flag=True, help="Take the food out of its meal.")
@db_option
def edit(
    *,
    entry_id: int,
    amount: str | None,
    when: str | None,
    meal: str | None,
    no_meal: bool,
    db: str | None,
) -> None:
    """Change entry ENTRY_ID (see `magwise today`): a food's amount or meal, any entry's day."""
    from magwise.store._edit import edit_changes

    with open_store(db) as (store, me):
        entry = store.entry(me, entry_id)
        if entry is None:
            raise _input("entry", f"you have no entry {entry_id}; see 'magwise today'")
        changes = edit_changes(entry, amount=amount, day=when, meal=meal, no_meal=no_meal)
        edited = store.edit_entry(me, entry_id, **changes)
    assert edited is not None
    click.echo(f"Changed entry {entry_id}: {_entry_text(edited)}, {_on(edited.day)}.")
