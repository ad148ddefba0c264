"""``magwise log food``: a food (SR28 or your own) or a water, typed as you say it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from magwise.cli._log_options import F, _day, _input, _on, date_option, db_option, open_store

if TYPE_CHECKING:
    import datetime as dt

    from magwise.foods import Food
    from magwise.store import Store


def meal_option(func: F) -> F:
    return click.option(
        "--meal",
        default=None,
        metavar="MEAL",
        help="breakfast, lunch, dinner or snack (Frühstück, Mittagessen, Abendessen, Snack).",
    )(func)


def _pick_food(store: Store, me: int, query: str, pick: str | None) -> Food:
    from magwise.foods import load_foods
    from magwise.store._food_choice import pick_food

    hits = pick_food(store, me, load_foods(), query)
    if not hits:
        raise _input(
            "food", f"nothing in SR28 matches {query!r} (nor any own food); try other words"
        )
    if pick is None:
        return hits[0].food
    if pick == "ask":
        for number, hit in enumerate(hits, 1):
            click.echo(f"  {number}. {hit.food.description} ({hit.food.ndb})", err=True)
        chosen: int = click.prompt(
            "Which food", type=click.IntRange(1, len(hits)), default=1, err=True
        )
        return hits[chosen - 1].food
    if not pick.isdigit() or not 1 <= int(pick) <= len(hits):
        raise _input(
            "pick",
            f"{pick!r}; accepted: a number 1-{len(hits)}, or --pick alone (after the amount) "
            "to choose from a list",
        )
    return hits[int(pick) - 1].food


def _named(food: Food) -> str:
    """``food`` named in the person's language (``LANG``): a German speaker who typed
    "Kürbiskerne" reads "Kürbiskerne, getrocknet"."""
    from magwise.cli.foods import language
    from magwise.foods import load_foods

    return load_foods().name_of(food.ndb, food.description, language(None))


def _log_water(
    *,
    store: Store,
    me: int,
    query: str,
    amount: tuple[str, ...],
    mg_per_l: float | None,
    day: dt.date,
) -> bool:
    """Log ``query`` as a water when it names one; False when it is no water."""
    from magwise.bounds import MAX_MG_PER_LITER
    from magwise.store._food_choice import choose_water
    from magwise.store._inputs import check_number, parse_volume

    water = choose_water(store, me, query)
    if water is None:
        return False
    liters = parse_volume(" ".join(amount)) if amount or water.liters is None else water.liters
    mg = (
        water.mg_per_liter
        if mg_per_l is None
        else check_number("mg-per-l", mg_per_l, MAX_MG_PER_LITER)
    )
    if mg is None:
        saved = ", ".join(store.waters(me)) or "none yet"
        raise _input(
            "mg-per-l",
            f"{query!r} is a water: give its magnesium from the label with --mg-per-l N, "
            f"or use a water you named (yours: {saved}; magwise water add NAME --mg-per-l N)",
        )
    store.add_water(me, day, liters=liters, mg_per_liter=mg, name=water.name)
    label = f" {water.name}" if water.name else " water"
    click.echo(
        f"Logged {liters:g} l{label} at {mg:g} mg/L: {round(liters * mg, 1):g} mg magnesium, "
        f"{_on(day)}."
    )
    return True


@click.command("food")
@click.argument("query")
@click.argument("amount", nargs=-1)
@click.option(
    "--pick",
    is_flag=False,
    flag_value="ask",
    default=None,
    metavar="[N]",
    help="Choose among the top five foods: N picks the N-th, alone it asks.",
)
@meal_option
@click.option("--mg-per-l", type=float, help="For a water: its magnesium in mg/L (label).")
@date_option
@db_option
def log_food(
    *,
    query: str,
    amount: tuple[str, ...],
    pick: str | None,
    meal: str | None,
    mg_per_l: float | None,
    when: str | None,
    db: str | None,
) -> None:
    """Log a food: QUERY (words, an NDB number, your own food or own:N) and an AMOUNT.

    AMOUNT is a weight (30g, 30 g, 1.5 oz) or a household measure of the food
    ("1 cup", oz, 2 "1 oz"). The best match of the search is logged and named;
    --pick chooses another. A water ("Mineralwasser", "tap water", a water you
    named) is logged as water: AMOUNT in litres, ml, cl or glasses (also typed
    with it: "1 Glas Mineralwasser"), with its mg/L.

    \b
    magwise log food "pumpkin seeds" 30g --meal snack
    magwise log food almonds 2 "1 oz" --date yesterday
    magwise log food Mineralwasser 0.5l --mg-per-l 108
    magwise log food "1 Glas Mineralwasser" --mg-per-l 108
    """
    from magwise.store._days import parse_meal
    from magwise.store._food_choice import food_entry
    from magwise.store._inputs import food_amount

    day = _day(when)
    chosen_meal = parse_meal(meal)
    with open_store(db) as (store, me):
        if _log_water(store=store, me=me, query=query, amount=amount, mg_per_l=mg_per_l, day=day):
            return
        food = _pick_food(store, me, query, pick)
        grams, portion, count = food_amount(food, amount)
        entry = food_entry(food, day, grams=grams, portion=portion, count=count, meal=chosen_meal)
        store.add(me, entry)
    weight = (
        grams
        if grams is not None
        else next(p.grams * count for p in food.portions if p.label == portion)
    )
    # shown as the Today page and the progress report show them: to 0.1 g and 0.1 mg
    mg = (
        "unknown mg"
        if food.mg_per_100g is None
        else f"{round(food.mg_per_100g * weight / 100, 1):g} mg"
    )
    times = "" if count == 1 else f"{count:g} x "
    shown = (
        f"{round(grams, 1):g} g"
        if grams is not None
        else f"{times}{portion} ({round(weight, 1):g} g)"
    )
    source = "own food" if food.ndb.startswith("own:") else f"NDB {food.ndb}"
    name = _named(food)
    if name != food.description:  # SR28's words beside the person's
        source = f"{food.description}; {source}"
    click.echo(f"Logged {shown} of {name} ({source}): {mg} magnesium, {_on(day)}.")
    if pick is None and not query.strip().isdigit():
        click.echo("Not that food? `magwise undo`, then add --pick to choose.")
