"""``magwise profile``, ``product``, ``water`` and ``plan``: what a person names or sets once."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from magwise.cli._log_options import _day, _input, _on, date_option, db_option, open_store

if TYPE_CHECKING:
    from magwise.knowledge import Knowledge


def _kb() -> Knowledge:
    from magwise.knowledge import load_knowledge

    return load_knowledge()


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
@click.option("--name", help="Your name, shown in the report only (optional).")
@click.option(
    "--birth-date", metavar="DATE", help="Your date of birth, shown in the report only (optional)."
)
@click.option(
    "--clear",
    multiple=True,
    type=click.Choice(["conditions", "medications", "triggers", "scalp", "hair", "identity"]),
    help="Empty a list, the hair section, or the name and date of birth (identity).",
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
    name: str | None,
    birth_date: str | None,
    clear: tuple[str, ...],
    when: str | None,
    db: str | None,
) -> None:
    """Set or change your profile; only what you give changes.

    A name and a date of birth are never needed: given, they head the report
    for your doctor (and travel with the export), and nothing else reads them.

    \b
    magwise profile set --sex female --age 34
    magwise profile set --pregnant --date 2026-12-01
    magwise profile set --hair-pattern diffuse --hair-since 2026-09-01 \
        --trigger childbirth:2026-08-20
    magwise profile set --name "Anna Muster" --birth-date 1992-03-14
    """
    from magwise.bounds import MAX_DURATION_WEEKS, MAX_WEEKS_AGO
    from magwise.store._inputs import check_since, parse_day
    from magwise.store._profile import CLI_NAMES, parse_trigger, updated_profile

    day = _day(when)
    kb = _kb()
    changes: dict[str, Any] = {}
    for part in clear:
        if part == "hair":
            changes.update(hair_pattern=None, hair_loss_since=None, family_history=None)
            changes.update(triggers=(), scalp=())
        elif part == "identity":
            changes.update({"name": None, "birth_date": None})
        else:
            changes[part] = ()
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
    for field, items in (
        ("conditions", conditions),
        ("medications", medications),
        ("scalp", scalp),
    ):
        if items:
            changes[field] = items
    if hair_since is not None:
        since = parse_day(hair_since, field="hair-since")
        changes["hair_loss_since"] = check_since("hair-since", since, MAX_DURATION_WEEKS)
    if name is not None:
        changes["name"] = name
    if birth_date is not None:
        changes["birth_date"] = parse_day(birth_date, field="birth-date")
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
