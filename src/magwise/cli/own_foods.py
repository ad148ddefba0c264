"""``magwise foods add``, ``edit``, ``delete`` and ``mine``: foods from a label.

An own food is searched and logged like an SR28 food; its id is ``own:N``,
never an NDB number.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from magwise.cli._log_options import _input, db_option, open_store

if TYPE_CHECKING:
    from magwise.foods import OwnFood


def own_food_json(food: OwnFood) -> dict[str, object]:
    return {
        "id": food.key,
        "own": True,
        "name": food.name,
        "name_de": food.name_de,
        "name_en": food.name_en,
        "mg_per_100g": food.mg_per_100g,
        "kcal_per_100g": food.kcal_per_100g,
        "barcode": food.barcode,
        "portion": food.portion,
        "portion_grams": food.portion_grams,
    }


def _describe(food: OwnFood) -> str:
    portion = (
        f", {food.portion} = {food.portion_grams:g} g"
        if food.portion and food.portion_grams
        else ""
    )
    return f"{food.name} ({food.key}, own food): {food.mg_per_100g:g} mg per 100 g{portion}"


def _label_options(func: Any) -> Any:
    for option in reversed(
        (
            click.option("--mg-per-100g", type=float, help="Magnesium per 100 g, from the label."),
            click.option(
                "--mg-per-portion", type=float, help="Magnesium per portion (with --portion)."
            ),
            click.option(
                "--portion", metavar="'1 slice=40g'", help="A portion and its weight in grams."
            ),
            click.option("--kcal", "kcal_per_100g", type=float, help="Energy in kcal per 100 g."),
            click.option("--barcode", help="The digits under the bar code (EAN, UPC)."),
            click.option("--name-de", help="The German name, when NAME is another."),
            click.option("--name-en", help="The English name, when NAME is another."),
            click.option("--json", "as_json", is_flag=True, help="Print JSON."),
            db_option,
        )
    ):
        func = option(func)
    return func


def _show(food: OwnFood, as_json: bool, verb: str) -> None:
    if as_json:
        click.echo(json.dumps(own_food_json(food), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{verb} {_describe(food)}.")


@click.command("add")
@click.argument("name")
@_label_options
def add(*, name: str, as_json: bool, db: str | None, **label: Any) -> None:
    """Add a food from its label: NAME and its magnesium (per 100 g or per portion).

    \b
    magwise foods add "Vollkornbrot Bäcker Meier" --mg-per-100g 80
    magwise foods add "Muesli Crunchy" --mg-per-portion 45 --portion "1 bowl=60g"
    """
    from magwise.foods._own import build_own_food

    food = build_own_food(name, **label)
    with open_store(db) as (store, me):
        food = store.own_foods.add(me, food)
    _show(food, as_json, "Added")


@click.command("edit")
@click.argument("food")
@click.option("--name", "new_name", help="A new name.")
@_label_options
def edit(*, food: str, new_name: str | None, as_json: bool, db: str | None, **label: Any) -> None:
    """Change an own FOOD (its name or own:N): only what you give changes.

    Entries logged before keep the magnesium they were logged with.
    """
    from magwise.foods._own import build_own_food

    with open_store(db) as (store, me):
        old = store.own_foods.find(me, food)
        if old is None:
            raise _input("food", f"no own food {food!r}; see 'magwise foods mine'")
        given = {key: value for key, value in label.items() if value is not None}
        if "mg_per_portion" in given or "mg_per_100g" in given:
            values = given
        else:
            values = {"mg_per_100g": old.mg_per_100g, **given}
        if "portion" not in values and old.portion and old.portion_grams:
            values["portion"] = f"{old.portion}={old.portion_grams:g}g"
        for kept in ("kcal_per_100g", "barcode", "name_de", "name_en"):
            values.setdefault(kept, getattr(old, kept))
        changed = build_own_food(new_name or old.name, food_id=old.id, **values)
        store.own_foods.update(me, changed)
    _show(changed, as_json, "Changed")


@click.command("delete")
@click.argument("food")
@db_option
def delete(food: str, db: str | None) -> None:
    """Delete an own FOOD (its name or own:N); logged entries keep their numbers."""
    with open_store(db) as (store, me):
        gone = store.own_foods.delete(me, food)
    if gone is None:
        raise _input("food", f"no own food {food!r}; see 'magwise foods mine'")
    click.echo(f"Deleted {gone.name} ({gone.key}); entries logged with it keep their magnesium.")


@click.command("mine")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def mine(as_json: bool, db: str | None) -> None:
    """List your own foods."""
    with open_store(db) as (store, me):
        found = store.own_foods.all(me)
    if as_json:
        click.echo(json.dumps([own_food_json(f) for f in found], indent=2, ensure_ascii=False))
    elif not found:
        click.echo("No own foods yet: magwise foods add NAME --mg-per-100g N")
    for food in found if not as_json else ():
        click.echo(_describe(food))


def own_foods_of(db: str | None) -> list[OwnFood]:
    """The local person's own foods, when a store exists (a search never creates one)."""
    import os

    from magwise.store._settings import database_url, sqlite_path

    url = database_url(db)
    path = sqlite_path(url)
    if path is not None and not os.path.exists(path):
        return []
    with open_store(db) as (store, me):
        return store.own_foods.all(me)
