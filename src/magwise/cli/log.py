"""``magwise log``, ``today``, ``history`` and ``undo``: the personal log, typed every day.

``profile``, ``product``, ``water`` and ``plan`` live in ``cli/named.py``; ``log
food`` in ``cli/log_food.py``; recent foods, meals, copies and edits in
``cli/log_days.py``.

Each command reads and checks all of its input first, then writes one
transaction. Imports are lazy: ``magwise log food`` starts in well under 0.3 s.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from magwise.cli._log_options import _day, _input, _on, date_option, db_option, open_store

if TYPE_CHECKING:
    from magwise.knowledge import Knowledge
    from magwise.record import PersonRecord
    from magwise.result import Result
    from magwise.store import Entry


def _kb() -> Knowledge:
    from magwise.knowledge import load_knowledge

    return load_knowledge()


# -- magwise log -----------------------------------------------------------


@click.group()
def log() -> None:
    """Log what you ate, took, drank, counted or felt (one entry per command).

    Dates default to today; --date yesterday or --date 2026-11-20 logs another
    day. `magwise undo` removes the entry written last.
    """


@log.command("supplement")
@click.argument("product")
@click.argument("units", type=float, default=1.0)
@click.option(
    "--elemental-mg", type=float, help="Elemental mg per unit (for a product not defined)."
)
@click.option("--form", help="Salt form, e.g. citrate (with --elemental-mg).")
@date_option
@db_option
def log_supplement(
    *,
    product: str,
    units: float,
    elemental_mg: float | None,
    form: str | None,
    when: str | None,
    db: str | None,
) -> None:
    """Log UNITS (default 1) of a supplement PRODUCT you defined with `magwise product add`.

    \b
    magwise log supplement "Magnesium citrate 150" 2
    """
    from magwise.bounds import MAX_COUNT, MAX_ELEMENTAL_MG
    from magwise.store._inputs import check_number, supplement_form

    day = _day(when)
    check_number("units", units, MAX_COUNT, positive=True)
    form_id = supplement_form(form, _kb()) if form else None
    if elemental_mg is not None:
        check_number("elemental-mg", elemental_mg, MAX_ELEMENTAL_MG)
    with open_store(db) as (store, me):
        if elemental_mg is None:
            found = store.product(me, product)
            if found is None:
                names = ", ".join(p.name for p in store.products(me)) or "none yet"
                raise _input(
                    "product",
                    f"no product named {product!r} (yours: {names}); define it with "
                    f'magwise product add "{product}" --elemental-mg MG --form FORM, '
                    "or give --elemental-mg",
                )
            name, mg, form_id = found.name, found.elemental_mg_per_unit, found.form
        else:
            name, mg = product, elemental_mg
        store.add_supplement(me, day, name, elemental_mg_per_unit=mg, units=units, form=form_id)
    click.echo(f"Logged {units:g} x {name}: {units * mg:g} mg magnesium, {_on(day)}.")


@log.command("water")
@click.argument("amount", nargs=-1, required=True)
@click.option("--mg-per-l", type=float, help="Magnesium in mg/L, from the label.")
@click.option(
    "--water", "water_name", metavar="NAME", help="A water named with `magwise water add`."
)
@date_option
@db_option
def log_water(
    *,
    amount: tuple[str, ...],
    mg_per_l: float | None,
    water_name: str | None,
    when: str | None,
    db: str | None,
) -> None:
    """Log AMOUNT of water (1.5l, 500ml, 1.5) with its magnesium per litre.

    \b
    magwise log water 1.5l --mg-per-l 108
    magwise log water 0.5l --water gerolsteiner
    """
    from magwise.bounds import MAX_MG_PER_LITER
    from magwise.store._inputs import check_number, parse_volume

    day = _day(when)
    liters = parse_volume(" ".join(amount))
    if (mg_per_l is None) == (water_name is None):
        raise _input(
            "water",
            "give --mg-per-l N (from the label) or --water NAME (a water named with "
            "magwise water add NAME --mg-per-l N)",
        )
    if mg_per_l is not None:
        check_number("mg-per-l", mg_per_l, MAX_MG_PER_LITER)
    with open_store(db) as (store, me):
        name = None
        if water_name is not None:
            found = store.water(me, water_name)
            if found is None:
                names = ", ".join(store.waters(me)) or "none yet"
                raise _input(
                    "water",
                    f"no water named {water_name!r} (yours: {names}); name it with "
                    f'magwise water add "{water_name}" --mg-per-l N',
                )
            name, mg_per_l = found
        assert mg_per_l is not None
        store.add_water(me, day, liters=liters, mg_per_liter=mg_per_l, name=name)
    label = f" {name}" if name else ""
    click.echo(
        f"Logged {liters:g} l{label} at {mg_per_l:g} mg/L: {liters * mg_per_l:g} mg magnesium, "
        f"{_on(day)}."
    )


@log.command("hair")
@click.argument("count", type=int)
@click.option(
    "--method",
    default="daily",
    show_default=True,
    help="daily (hairs over a day), comb (60-second comb test) or wash (after a wash).",
)
@date_option
@db_option
def log_hair(count: int, method: str, when: str | None, db: str | None) -> None:
    """Log a hair shedding COUNT and how it was counted.

    \b
    magwise log hair 120 --method comb
    """
    from magwise.store._inputs import shedding_count, shedding_method

    day = _day(when)
    count = shedding_count(count)
    how = shedding_method(method)
    with open_store(db) as (store, me):
        store.add_shedding(me, day, count, how)
    click.echo(f"Logged {count} hairs ({how.replace('_', ' ')}), {_on(day)}.")


@log.command("symptom")
@click.argument("names", nargs=-1, required=True)
@date_option
@db_option
def log_symptom(names: tuple[str, ...], when: str | None, db: str | None) -> None:
    """Log one or more symptoms (codes or aliases: `magwise codes symptoms`).

    \b
    magwise log symptom cramps
    """
    from magwise.record import SymptomEntry

    day = _day(when)
    kb = _kb()
    codes = list(dict.fromkeys(kb.symptoms.resolve(name, "symptom").code for name in names))
    with open_store(db) as (store, me):
        store.add(me, *(SymptomEntry(0, day, code) for code in codes))
    labels = ", ".join(kb.symptoms.get(code).label for code in codes)
    click.echo(f"Logged {labels}, {_on(day)}.")


@log.command("lab")
@click.argument("value")
@click.argument("unit", required=False, metavar="[TEST]")
@click.argument("more", required=False, metavar="[UNIT]")
@click.option(
    "--range",
    "lab_range",
    metavar="LOW-HIGH",
    help="The lab's own range in the result's unit: 0.7-1.1, or one end alone: <4.2, >30.",
)
@click.option(
    "--test",
    default=None,
    help="serum (the default), rbc, egfr, creatinine, ferritin, tsh, vitamin_d or zinc; "
    "a test may also stand before UNIT.",
)
@date_option
@db_option
def log_lab(
    *,
    value: str,
    unit: str | None,
    more: str | None,
    lab_range: str | None,
    test: str | None,
    when: str | None,
    db: str | None,
) -> None:
    """Log a lab result: VALUE as the lab wrote it ("<0.5" too), its TEST and UNIT.

    Magnesium in mmol/L, mg/dL or mEq/L; eGFR in mL/min/1.73 m² (the unit may be
    left out); creatinine in mg/dL or µmol/L; ferritin in µg/L or ng/mL; TSH in
    mIU/L or µIU/mL; vitamin D (25-OH) in ng/mL or nmol/L; zinc in µg/dL or µmol/L.

    \b
    magwise log lab 0.72 mmol/L --range 0.7-1.1 --date 2026-11-20
    magwise log lab "<0.5" mmol/L
    magwise log lab 45 egfr
    magwise log lab 1.4 mg/dL --test creatinine
    magwise log lab 35 ferritin ng/mL --range 13-150
    magwise log lab 2.1 tsh mIU/L --range 0.27-4.2
    magwise log lab 52 vitamin_d nmol/L --range ">50"
    """
    from magwise.labs import range_text
    from magwise.store._inputs import check_lab, lab_test, parse_lab_value, parse_range
    from magwise.store._store import lab_value

    kb = _kb()
    day = _day(when)
    comparator, number = parse_lab_value(value)
    unit, test = _lab_words(unit, more, test)
    test_id = lab_test(test or "serum")
    if unit is None:
        names = kb.lab_unit_names(test_id)
        if len(names) != 1:
            raise _input(
                "unit",
                f"a {test_id.replace('_', ' ')} result needs its unit; accepted: "
                + ", ".join(names),
            )
        unit = names[0]
    canonical, test_id = check_lab(number, unit, test_id, kb)
    low, high = parse_range(lab_range) if lab_range else (None, None)
    with open_store(db) as (store, me):
        store.add_lab(
            me,
            day,
            number,
            canonical,
            test=test_id,
            range_low=low,
            range_high=high,
            comparator=comparator,
        )
    shown = range_text(low, high)
    shown = f" (lab range {shown})" if shown else ""
    written = lab_value(number, comparator)
    click.echo(f"Logged {test_id.replace('_', ' ')} {written} {canonical}{shown}, {_on(day)}.")


def _lab_words(
    first: str | None, second: str | None, test: str | None
) -> tuple[str | None, str | None]:
    """(unit, test) of ``log lab VALUE [TEST] [UNIT]``: a word that names a test is the
    test (before or after the unit), the other the unit."""
    from magwise.errors import InputError
    from magwise.store._inputs import lab_test

    def names_test(word: str | None) -> bool:
        if word is None:
            return False
        try:
            lab_test(word)
        except InputError:
            return False
        return True

    words = [w for w in (first, second) if w is not None]
    tests = [w for w in words if names_test(w)]
    units = [w for w in words if not names_test(w)]
    if len(tests) > 1 or (tests and test is not None):
        raise _input("test", "name the test once, e.g. log lab 35 ferritin ng/mL")
    if len(units) > 1:
        raise _input(
            "unit",
            f"{units[1]!r} is not a lab test; accepted: VALUE [TEST] [UNIT], "
            "e.g. 35 ferritin ng/mL",
        )
    return (units[0] if units else None), (tests[0] if tests else test)


@log.command("note")
@click.argument("text", nargs=-1, required=True)
@date_option
@db_option
def log_note(text: tuple[str, ...], when: str | None, db: str | None) -> None:
    """Log a note (anything a doctor should read with the record)."""
    day = _day(when)
    body = " ".join(text).strip()
    if not body:
        raise _input("text", "the note is empty")
    with open_store(db) as (store, me):
        store.add_note(me, day, body)
    click.echo(f"Logged a note, {_on(day)}.")


# -- today, history, undo --------------------------------------------------


def _assess_days(record: PersonRecord, start: dt.date, end: dt.date) -> Result | None:
    if not record.profiles:
        return None
    from magwise.advisor import assess
    from magwise.store._case import case_for

    return assess(case_for(record, start, end))


@click.command()
@date_option
@db_option
def today(when: str | None, db: str | None) -> None:
    """Today's entries and intake against your target and the supplemental upper limit."""
    from rich.console import Console
    from rich.table import Table

    from magwise.store import describe

    day = _day(when)
    with open_store(db) as (store, me):
        record = store.record(me, day, day)
    console = Console()
    entries: list[Entry] = sorted(
        (
            *record.foods,
            *record.supplements,
            *record.water,
            *record.shedding,
            *record.symptoms,
            *record.labs,
            *record.notes,
        ),
        key=lambda e: e.id,
    )
    table = Table(title=f"Entries, {day.isoformat()}", title_justify="left", show_edge=False)
    table.add_column("#", justify="right")
    table.add_column("entry")
    table.add_column("Mg mg", justify="right")
    meals: dict[str, float] = {}
    for entry in entries:
        mg = _entry_mg(entry)
        table.add_row(str(entry.id), describe(entry), "" if mg is None else f"{mg:.1f}")
        meal = getattr(entry, "meal", None)
        if meal is not None and mg is not None:
            meals[meal] = meals.get(meal, 0.0) + mg
    if entries:
        console.print(table)
        if meals:
            console.print(" · ".join(f"{meal}: {mg:.0f} mg" for meal, mg in meals.items()))
    else:
        console.print(f"Nothing logged for {day.isoformat()} yet (see `magwise log --help`).")
    result = _assess_days(record, day, day)
    if result is None:
        console.print(
            "Set a profile to compare with your target: magwise profile set --sex … --age …"
        )
        return
    _print_intake(console, result)


def _entry_mg(entry: Entry) -> float | None:
    """The magnesium of an entry of food, water or a supplement (None for the others)."""
    from magwise.foods import load_foods
    from magwise.record import FoodEntry, SupplementEntry, WaterEntry
    from magwise.store._amounts import food_mg

    if isinstance(entry, FoodEntry):
        return food_mg(entry, load_foods())
    if isinstance(entry, WaterEntry):
        return entry.liters * entry.mg_per_liter
    if isinstance(entry, SupplementEntry):
        return entry.units * entry.elemental_mg_per_unit
    return None


def _print_intake(console: Any, result: Result) -> None:
    ref = result.reference
    intake = result.intake
    total = intake.total_mg if intake else 0.0
    supplements = intake.supplement_mg if intake else 0.0
    food = intake.food_mg if intake else 0.0
    water = intake.water_mg if intake else 0.0
    target = "not set for this age" if ref.target_mg is None else f"{ref.target_mg:g} mg"
    console.print(
        f"Magnesium: food {food:g} mg + water {water:g} mg + supplements {supplements:g} mg "
        f"= [bold]{total:g} mg[/bold]; your target ({ref.standard_name}) is {target} a day.",
        highlight=False,
    )
    if ref.target_mg is not None:
        gap = ref.target_mg - total
        console.print(f"{gap:g} mg to go." if gap > 0 else "Target reached.", highlight=False)
    limit = ref.supplement_ul_mg
    if limit is not None:
        style = "bold red" if supplements > limit else ""
        console.print(
            f"Supplements {supplements:g} mg of an upper limit of {limit:g} mg "
            "(food and water do not count toward it).",
            style=style,
            highlight=False,
        )
    for finding in result.findings:
        if finding.severity != "info":
            console.print(f"{finding.severity}: {finding.message}", highlight=False)


@click.command()
@click.option("--days", default=14, show_default=True, type=click.IntRange(1, 3660))
@db_option
def history(days: int, db: str | None) -> None:
    """The last DAYS days: intake per day, shedding counts, symptoms, labs and notes."""
    from rich.console import Console
    from rich.table import Table

    from magwise.store._store import lab_value

    end = dt.date.today()
    start = end - dt.timedelta(days=days - 1)
    with open_store(db) as (store, me):
        record = store.record(me, start, end)
    result = _assess_days(record, start, end)
    per_day = {d.date: d for d in result.intake.per_day} if result and result.intake else {}
    table = Table(title=f"The last {days} days", title_justify="left", show_edge=False)
    for column in ("date", "food", "water", "suppl.", "total", "hair", "symptoms, labs, notes"):
        table.add_column(
            column, justify="left" if column in ("date", "symptoms, labs, notes") else "right"
        )
    kb = _kb()
    for offset in range(days):
        day = end - dt.timedelta(days=offset)
        intake = per_day.get(day)
        hair = ", ".join(
            f"{s.count} {s.method.split('_')[0]}" for s in record.shedding if s.day == day
        )
        other = [kb.symptoms.get(s.code).label for s in record.symptoms if s.day == day]
        other += [
            f"{lab_value(lab.value, lab.comparator)} {lab.unit}"
            for lab in record.labs
            if lab.day == day
        ]
        other += [f"note: {n.text}" for n in record.notes if n.day == day]
        mg = ["", "", "", ""]
        if intake is not None:
            mg = [
                f"{v:g}"
                for v in (intake.food_mg, intake.water_mg, intake.supplement_mg, intake.total_mg)
            ]
        if intake is None and not hair and not other:
            continue
        table.add_row(day.isoformat(), *mg, hair, "; ".join(other))
    console = Console()
    if not table.rows:
        console.print(f"Nothing logged in the last {days} days.")
        return
    console.print(table)
    if result is not None and result.reference.target_mg is not None:
        console.print(
            f"mg of magnesium a day; your target is {result.reference.target_mg:g} mg.",
            highlight=False,
        )
    elif result is None:
        console.print("Set a profile to see intake in mg: magwise profile set --sex … --age …")


@click.command()
@db_option
def undo(db: str | None) -> None:
    """Remove the entry written last."""
    from magwise.store import describe

    with open_store(db) as (store, me):
        entry = store.undo(me)
    if entry is None:
        click.echo("Nothing to undo.")
        return
    click.echo(f"Removed {describe(entry)}, {_on(entry.day)}.")


def _register() -> None:
    from magwise.cli.log_days import log_again, log_copy, log_meal
    from magwise.cli.log_food import log_food

    for command in (log_food, log_meal, log_copy, log_again):
        log.add_command(command)


_register()
