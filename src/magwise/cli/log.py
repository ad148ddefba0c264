"""``magwise log``, ``today``, ``history``, ``undo``, ``profile``, ``product``,
``water`` and ``plan``: the personal log, typed every day.

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
@click.argument("value", type=float)
@click.argument("unit")
@click.option("--range", "lab_range", metavar="LOW-HIGH", help="The lab's own range, e.g. 0.7-1.1.")
@click.option("--test", default="serum", show_default=True, help="serum or rbc.")
@date_option
@db_option
def log_lab(
    *,
    value: float,
    unit: str,
    lab_range: str | None,
    test: str,
    when: str | None,
    db: str | None,
) -> None:
    """Log a blood magnesium result: VALUE and UNIT (mmol/L, mg/dL or mEq/L).

    \b
    magwise log lab 0.72 mmol/L --range 0.7-1.1 --date 2026-11-20
    """
    from magwise.store._inputs import check_lab, parse_range

    day = _day(when)
    canonical, test_id = check_lab(value, unit, test, _kb())
    low, high = parse_range(lab_range) if lab_range else (None, None)
    with open_store(db) as (store, me):
        store.add_lab(
            me,
            day,
            value,
            canonical,
            test=test_id,
            range_low=low,
            range_high=high,
        )
    shown = f" (lab range {low:g}-{high:g})" if low is not None and high is not None else ""
    click.echo(f"Logged {test_id.replace('_', ' ')} {value:g} {canonical}{shown}, {_on(day)}.")


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
    for entry in entries:
        table.add_row(str(entry.id), describe(entry))
    if entries:
        console.print(table)
    else:
        console.print(f"Nothing logged for {day.isoformat()} yet (see `magwise log --help`).")
    result = _assess_days(record, day, day)
    if result is None:
        console.print(
            "Set a profile to compare with your target: magwise profile set --sex … --age …"
        )
        return
    _print_intake(console, result)


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
        other += [f"{lab.value:g} {lab.unit}" for lab in record.labs if lab.day == day]
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


# -- profile -----------------------------------------------------------------


@click.group()
def profile() -> None:
    """Your profile: sex, age, pregnancy, conditions, medicines and hair.

    Each change is kept as a new version from its date, so a record over months
    is judged with the profile of each day.
    """


@profile.command("set")
@click.option("--sex", metavar="female|male")
@click.option("--age", type=float, help="Age in years.")
@click.option("--pregnant/--no-pregnant", default=None)
@click.option("--lactating/--no-lactating", default=None)
@click.option("--condition", "conditions", multiple=True, help="A condition code (repeat).")
@click.option("--medication", "medications", multiple=True, help="A medication code (repeat).")
@click.option("--standard", metavar="dge|efsa|nih", help="Reference standard.")
@click.option("--hair-pattern", help="diffuse, receding_hairline, crown, widening_part, patchy, …")
@click.option("--hair-since", metavar="DATE", help="When the hair loss began.")
@click.option("--family-history/--no-family-history", default=None)
@click.option(
    "--trigger",
    "triggers",
    multiple=True,
    metavar="KIND:DATE",
    help="e.g. childbirth:2026-08-20 (repeat).",
)
@click.option("--scalp", multiple=True, help="A scalp sign (repeat).")
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(["conditions", "medications", "triggers", "scalp", "hair"]),
    help="Empty a list (or the hair section).",
)
@date_option
@db_option
def profile_set(
    *,
    sex: str | None,
    age: float | None,
    pregnant: bool | None,
    lactating: bool | None,
    conditions: tuple[str, ...],
    medications: tuple[str, ...],
    standard: str | None,
    hair_pattern: str | None,
    hair_since: str | None,
    family_history: bool | None,
    triggers: tuple[str, ...],
    scalp: tuple[str, ...],
    clear: tuple[str, ...],
    when: str | None,
    db: str | None,
) -> None:
    """Set or change your profile; only what you give changes.

    \b
    magwise profile set --sex female --age 34
    magwise profile set --pregnant --date 2026-12-01
    magwise profile set --hair-pattern diffuse --hair-since 2026-09-01 \
        --trigger childbirth:2026-08-20
    """
    from magwise.bounds import MAX_DURATION_WEEKS, MAX_WEEKS_AGO
    from magwise.store._inputs import check_since, parse_day
    from magwise.store._profile import CLI_NAMES, parse_trigger, updated_profile

    day = _day(when)
    kb = _kb()
    changes: dict[str, Any] = {}
    for name in clear:
        if name == "hair":
            changes.update(hair_pattern=None, hair_loss_since=None, family_history=None)
            changes.update(triggers=(), scalp=())
        else:
            changes[name] = ()
    given = {
        "sex": sex,
        "age_years": age,
        "pregnant": pregnant,
        "lactating": lactating,
        "standard": standard,
        "hair_pattern": hair_pattern,
        "family_history": family_history,
    }
    changes.update({k: v for k, v in given.items() if v is not None})
    for name, items in (("conditions", conditions), ("medications", medications), ("scalp", scalp)):
        if items:
            changes[name] = items
    if hair_since is not None:
        since = parse_day(hair_since, field="hair-since")
        changes["hair_loss_since"] = check_since("hair-since", since, MAX_DURATION_WEEKS)
    if triggers:
        changes["triggers"] = tuple(parse_trigger(t, kb) for t in triggers)
        for trigger in changes["triggers"]:
            check_since("trigger", trigger.on, MAX_WEEKS_AGO)
    with open_store(db) as (store, me):
        version = updated_profile(store.profile(me, day), day, changes, kb, names=CLI_NAMES)
        stored = store.set_profile(me, version)
    if stored:
        click.echo(f"Profile stored from {version.valid_from.isoformat()}.")
    else:
        click.echo("Profile unchanged; nothing stored.")


@profile.command("show")
@db_option
def profile_show(db: str | None) -> None:
    """Show your profile now and the dates it changed."""
    from rich.console import Console
    from rich.table import Table

    with open_store(db) as (store, me):
        versions = store.profiles(me)
    console = Console()
    if not versions:
        console.print("No profile yet: magwise profile set --sex female --age 34")
        return
    now = versions[-1]
    today_ = dt.date.today()
    table = Table(title="Profile", title_justify="left", show_header=False, show_edge=False)
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("sex", now.sex),
        ("age", f"{now.age_on(today_):.1f}"),
        ("pregnant", "yes" if now.pregnant else "no"),
        ("lactating", "yes" if now.lactating else "no"),
        ("standard", now.standard or "default"),
        ("conditions", ", ".join(now.conditions) or "none"),
        ("medications", ", ".join(now.medications) or "none"),
        ("hair pattern", now.hair_pattern or "not given"),
        ("hair loss since", str(now.hair_loss_since or "not given")),
        ("family history", {None: "not given", True: "yes", False: "no"}[now.family_history]),
        ("triggers", ", ".join(f"{t.kind} ({t.on})" for t in now.triggers) or "none"),
        ("scalp", ", ".join(now.scalp) or "none"),
    ]
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)
    if len(versions) > 1:
        dates = ", ".join(v.valid_from.isoformat() for v in versions)
        console.print(f"Versions from: {dates}", highlight=False)


# -- products and waters -------------------------------------------------------


@click.group()
def product() -> None:
    """Supplement products you take, defined once and logged by name."""


@product.command("add")
@click.argument("name")
@click.option("--elemental-mg", type=float, help="Elemental magnesium per unit (the label's line).")
@click.option("--compound-mg", type=float, help="Compound per unit, converted with --form.")
@click.option("--form", help="Salt form, e.g. citrate, oxide, glycinate (`magwise codes forms`).")
@db_option
def product_add(
    *,
    name: str,
    elemental_mg: float | None,
    compound_mg: float | None,
    form: str | None,
    db: str | None,
) -> None:
    """Define (or redefine) a product NAME and its magnesium per unit.

    \b
    magwise product add "Magnesium citrate 150" --form citrate --elemental-mg 150
    """
    from magwise.bounds import MAX_ELEMENTAL_MG
    from magwise.store._inputs import check_number, supplement_form

    kb = _kb()
    form_id = supplement_form(form, kb) if form else None
    if (elemental_mg is None) == (compound_mg is None):
        raise _input(
            "elemental-mg",
            "give --elemental-mg (from the label, preferred) or --compound-mg with --form",
        )
    if compound_mg is not None:
        if form_id is None:
            raise _input("form", "--compound-mg needs --form to convert it to elemental magnesium")
        check_number("compound-mg", compound_mg, MAX_ELEMENTAL_MG)
        elemental_mg = round(compound_mg * kb.forms[form_id].elemental_fraction, 1)
    assert elemental_mg is not None
    check_number("elemental-mg", elemental_mg, MAX_ELEMENTAL_MG)
    if not name.strip():
        raise _input("name", "a product needs a name")
    with open_store(db) as (store, me):
        replaced = store.define_product(
            me, name.strip(), elemental_mg_per_unit=elemental_mg, form=form_id
        )
    verb = "Redefined" if replaced else "Defined"
    converted = f" (from {compound_mg:g} mg compound)" if compound_mg is not None else ""
    click.echo(f"{verb} {name.strip()}: {elemental_mg:g} mg magnesium per unit{converted}.")


@product.command("list")
@db_option
def product_list(db: str | None) -> None:
    """List your products."""
    with open_store(db) as (store, me):
        products = store.products(me)
    if not products:
        click.echo("No products yet: magwise product add NAME --elemental-mg MG --form FORM")
    for item in products:
        form = f", {item.form}" if item.form else ""
        click.echo(f"{item.name}: {item.elemental_mg_per_unit:g} mg per unit{form}")


@click.group()
def water() -> None:
    """Waters you drink often, named once with their magnesium (mg/L)."""


@water.command("add")
@click.argument("name")
@click.option("--mg-per-l", type=float, required=True, help="Magnesium in mg/L, from the label.")
@db_option
def water_add(name: str, mg_per_l: float, db: str | None) -> None:
    """Name a water and its magnesium per litre.

    \b
    magwise water add gerolsteiner --mg-per-l 108
    """
    from magwise.bounds import MAX_MG_PER_LITER
    from magwise.store._inputs import check_number

    check_number("mg-per-l", mg_per_l, MAX_MG_PER_LITER)
    if not name.strip():
        raise _input("name", "a water needs a name")
    with open_store(db) as (store, me):
        replaced = store.define_water(me, name.strip(), mg_per_liter=mg_per_l)
    click.echo(f"{'Updated' if replaced else 'Named'} {name.strip()}: {mg_per_l:g} mg/L.")


@water.command("list")
@db_option
def water_list(db: str | None) -> None:
    """List your named waters."""
    with open_store(db) as (store, me):
        waters = store.waters(me)
    if not waters:
        click.echo("No named waters yet: magwise water add NAME --mg-per-l N")
    for name, mg in waters.items():
        click.echo(f"{name}: {mg:g} mg/L")


# -- dose plans --------------------------------------------------------------------


@click.group()
def plan() -> None:
    """The dose plan you follow (for adherence over weeks)."""


@plan.command("start")
@click.argument("mg_per_day", type=float)
@click.option("--form", help="Salt form (default: the form magwise plans with).")
@date_option
@db_option
def plan_start(mg_per_day: float, form: str | None, when: str | None, db: str | None) -> None:
    """Start taking MG_PER_DAY of elemental magnesium (stops a plan still running)."""
    from magwise.store._inputs import plan_dose, supplement_form

    day = _day(when)
    kb = _kb()
    plan_dose("mg-per-day", mg_per_day)
    form_id = supplement_form(form, kb) if form else kb.rules.plan_form.form
    with open_store(db) as (store, me):
        store.start_plan(me, day, mg_per_day, form_id)
    click.echo(f"Plan started {_on(day)}: {mg_per_day:g} mg a day as {kb.forms[form_id].name}.")


@plan.command("stop")
@date_option
@db_option
def plan_stop(when: str | None, db: str | None) -> None:
    """Stop the plan you follow."""
    day = _day(when)
    with open_store(db) as (store, me):
        stopped = store.stop_plan(me, day)
    if stopped is None:
        click.echo("No plan is running.")
        return
    click.echo(f"Plan of {stopped.supplement_mg_per_day:g} mg a day stopped {_on(day)}.")


def _register() -> None:
    from magwise.cli.log_days import log_again, log_copy, log_meal
    from magwise.cli.log_food import log_food

    for command in (log_food, log_meal, log_copy, log_again):
        log.add_command(command)


_register()
