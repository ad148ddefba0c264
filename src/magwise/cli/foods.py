"""``magwise foods``: search SR28 foods and rank them by magnesium."""

from __future__ import annotations

import json
import os
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

import click

from magwise.cli._log_options import _input, db_option
from magwise.cli.own_foods import add, delete, edit, mine, own_foods_of

if TYPE_CHECKING:
    from rich.progress import Progress

    from magwise.foods import Food, FoodIndex, Per, RankedFood, SearchHit
    from magwise.foods._index import Language


class BuildProgress:
    """A Rich progress bar on stderr, shown only once a build reports progress."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            self._bar = Progress(
                TextColumn("Building the SR28 food index"),
                BarColumn(),
                TaskProgressColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("build", total=total)
        self._bar.update(self._task, completed=done, total=total)

    def __enter__(self) -> BuildProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()


def _open_index() -> FoodIndex:
    """The default food index; building it (with a progress bar) if needed."""
    from magwise.foods import FoodIndex

    with BuildProgress() as progress:
        return FoodIndex.load(progress=progress)


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _food_json(food: Food) -> dict[str, object]:
    from magwise.foods import is_own

    return {
        "ndb": food.ndb,
        "own": is_own(food.ndb),
        "description": food.description,
        "group": food.group,
        "mg_per_100g": food.mg_per_100g,
        "kcal_per_100g": food.kcal_per_100g,
    }


def _number(value: float | None, digits: int = 0) -> str:
    return "unknown" if value is None else f"{value:,.{digits}f}"


def _print_table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in columns:
        numeric = column.startswith(("Mg", "kcal", "#", "g"))
        table.add_column(column, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*row)
    Console().print(table)


_LIMIT = click.IntRange(min=1)


@click.group()
def foods() -> None:
    """Foods from USDA SR28: magnesium per 100 g, per 100 kcal and per portion."""


def language(chosen: str | None) -> Language:
    """The language asked for, else the one of ``LANG`` (German for ``de_*``), else English."""
    if chosen in ("en", "de"):
        return cast("Language", chosen)
    return "de" if os.environ.get("LANG", "").lower().startswith("de") else "en"


@foods.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", type=_LIMIT, default=10, show_default=True, help="Foods to show.")
@click.option(
    "--lang",
    type=click.Choice(["en", "de"]),
    default=None,
    help="Language of the food names shown (default: from LANG).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@db_option
def search(
    query: tuple[str, ...], limit: int, lang: str | None, as_json: bool, db: str | None
) -> None:
    """Find foods matching QUERY in English or German: 'hemp seeds', 'Kürbiskerne'.

    Your own foods (magwise foods add) come first when they match; their ids
    are own:N.
    """
    from magwise.foods import search_with_own

    text = " ".join(query)
    hits = search_with_own(_open_index(), own_foods_of(db), text, limit, language(lang))
    if as_json:
        _echo_json([{**_food_json(hit.food), "name": hit.name, "score": hit.score} for hit in hits])
    elif not hits:
        click.echo(f"No SR28 food matches {text!r}.")
    else:
        _print_table(
            f"SR28 foods matching {text!r}",
            ["#", "NDB", "Food", "Group", "Mg mg/100 g", "kcal/100 g"],
            [_hit_row(rank, hit) for rank, hit in enumerate(hits, 1)],
        )


def _hit_row(rank: int, hit: SearchHit) -> list[str]:
    food = hit.food
    return [
        str(rank),
        food.ndb,
        hit.name,
        food.group,
        _number(food.mg_per_100g),
        _number(food.kcal_per_100g),
    ]


@foods.command()
@click.argument("ndb")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@db_option
def show(ndb: str, as_json: bool, db: str | None) -> None:
    """Magnesium in the food with SR28 number NDB (or own food own:N), per 100 g,
    100 kcal and portion."""
    from magwise.foods._own import find_own

    if ndb.strip().startswith("own:"):
        own = find_own(own_foods_of(db), ndb)
        if own is None:
            raise _input("ndb", f"no own food {ndb.strip()!r}; see 'magwise foods mine'")
        food = own.as_food()
    else:
        food = _open_index().get(ndb)
    portions = [
        {
            "label": portion.label,
            "amount": portion.amount,
            "unit": portion.unit,
            "grams": portion.grams,
            "mg": food.mg_in(portion),
        }
        for portion in food.portions
    ]
    if as_json:
        _echo_json(
            {**_food_json(food), "mg_per_100kcal": food.mg_per_100kcal, "portions": portions}
        )
        return
    grams_per_100kcal = 10_000 / food.kcal_per_100g if food.kcal_per_100g else None
    rows = [
        ["100 g", "100", _number(food.mg_per_100g, 1)],
        ["100 kcal", _number(grams_per_100kcal), _number(food.mg_per_100kcal, 1)],
    ]
    rows += [
        [portion.label, f"{portion.grams:g}", _number(food.mg_in(portion), 1)]
        for portion in food.portions
    ]
    source = "own food" if food.ndb.startswith("own:") else "NDB"
    _print_table(
        f"{food.description} ({source} {food.ndb}, {food.group})",
        ["Amount", "g", "Mg mg"],
        rows,
    )


@foods.command()
@click.option(
    "--per",
    type=click.Choice(["100g", "100kcal", "portion"]),
    default="100g",
    show_default=True,
    help="Rank per 100 g, per 100 kcal or per serving (largest portion up to a helping).",
)
@click.option("--group", help="Only this SR28 food group, e.g. 'Nut and Seed Products'.")
@click.option("--limit", "-n", type=_LIMIT, default=20, show_default=True, help="Foods to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def top(per: str, group: str | None, limit: int, as_json: bool) -> None:
    """Foods richest in magnesium (foods whose magnesium is unknown are left out)."""
    index = _open_index()
    ranked = index.top(per=cast("Per", per), group=group, limit=limit)
    if as_json:
        _echo_json([_ranked_json(item) for item in ranked])
        return
    unit = {"100g": "mg/100 g", "100kcal": "mg/100 kcal", "portion": "mg/serving"}[per]
    columns = ["#", "NDB", "Food", f"Mg {unit}"] + (["Serving"] if per == "portion" else [])
    rows = []
    for rank, item in enumerate(ranked, 1):
        row = [str(rank), item.food.ndb, item.food.description, _number(item.mg, 1)]
        if item.portion is not None:
            row.append(f"{item.portion.label} ({item.portion.grams:g} g)")
        rows.append(row)
    where = f" in {index.resolve_group(group)}" if group else ""
    _print_table(f"Richest in magnesium per {per.replace('100', '100 ')}{where}", columns, rows)


def _ranked_json(item: RankedFood) -> dict[str, object]:
    portion = item.portion
    return {
        **_food_json(item.food),
        "mg": round(item.mg, 3),
        "per": item.per,
        "portion": None if portion is None else {"label": portion.label, "grams": portion.grams},
    }


@foods.command()
@click.option("--force", is_flag=True, help="Rebuild even when the index is up to date.")
def build(force: bool) -> None:
    """Build the local food index from the SR28 files (done automatically when missing)."""
    from magwise.foods import FoodIndex

    with BuildProgress() as progress:
        make = FoodIndex.build if force else FoodIndex.load
        index = make(progress=progress)
    click.echo(f"Food index ready: {len(index):,} SR28 foods at {index.path}")


for _command in (add, edit, delete, mine):
    foods.add_command(_command)
