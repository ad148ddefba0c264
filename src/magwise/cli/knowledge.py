"""``magwise sources``, ``magwise reference`` and ``magwise codes``: the knowledge base.

Thin commands: each loads the knowledge base or calls ``personal_reference`` and
formats what it gets. Rich is imported inside the commands so that the CLI
starts fast.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from magwise.knowledge import Knowledge
    from magwise.reference import Reference

DISCLAIMER = "magwise informs; it does not diagnose or prescribe. Discuss every plan with a doctor."
UL_SCOPE = (
    "Counts supplements, magnesium medicines (antacids, laxatives) and magnesium added "
    "to foods or water. Food and naturally mineralised water never count toward it."
)


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _kb() -> Knowledge:
    from magwise.knowledge import load_knowledge

    return load_knowledge()


# -- sources -----------------------------------------------------------------


@click.command()
@click.argument("source_id", metavar="[ID]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def sources(source_id: str | None, as_json: bool) -> None:
    """The registry of sources every number and rule names.

    With ID, show that one source.
    """
    kb = _kb()
    if source_id is not None:
        source = kb.source(source_id)
        if as_json:
            _echo_json(source.model_dump())
            return
        from rich.table import Table

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        grid.add_row("id", source.id)
        grid.add_row("organisation", source.organisation)
        grid.add_row("title", source.title)
        grid.add_row("year", str(source.year))
        grid.add_row("url", source.url)
        grid.add_row("confirmed", "yes" if source.confirmed else "no (see note)")
        if source.note:
            grid.add_row("note", source.note)
        _console().print(grid)
        return
    if as_json:
        _echo_json([s.model_dump() for s in kb.sources.values()])
        return
    from rich.table import Table

    table = Table(title=f"Sources ({len(kb.sources)})", title_justify="left")
    for name in ("id", "organisation", "year", "title", "confirmed"):
        table.add_column(name, no_wrap=name in ("id", "year"))
    for s in kb.sources.values():
        table.add_row(s.id, s.organisation, str(s.year), s.title, "yes" if s.confirmed else "no")
    console = _console()
    console.print(table)
    console.print("Details, address and notes: magwise sources ID")


# -- reference ---------------------------------------------------------------


def _mg(value: float | None) -> str:
    return "-" if value is None else f"{value:g} mg/day"


def _age(age_years: float) -> str:
    years = f"{age_years:g} {'year' if age_years == 1 else 'years'}"
    if age_years < 1:
        months = age_years * 12
        return f"{years} ({months:.3g} {'month' if f'{months:.3g}' == '1' else 'months'})"
    return years


def _print_reference(ref: Reference, who: str, kb: Knowledge, others: list[Reference]) -> None:
    from rich.table import Table

    console = _console()
    console.print(f"Magnesium reference: {ref.standard_name} ({ref.standard})", style="bold")
    console.print(who)
    console.print()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    if ref.target_mg is None:
        grid.add_row("Target", f"none: {ref.standard_name} sets no {ref.target_name} at this age")
    else:
        grid.add_row(
            "Target",
            f"{_mg(ref.target_mg)}: {ref.target_name}, from food, water and supplements together",
        )
    if ref.ear_mg is not None:
        grid.add_row("EAR", f"{_mg(ref.ear_mg)}: estimated average requirement")
    else:
        grid.add_row("EAR", "not defined by this standard at this age")
    if ref.supplement_ul_mg is None:
        grid.add_row(
            "Supplement limit",
            "no upper limit is set at this age: no supplement without a doctor's advice",
        )
    else:
        grid.add_row(
            "Supplement limit",
            f"{_mg(ref.supplement_ul_mg)} of supplemental magnesium, "
            f"split into at least {ref.min_doses_per_day} doses a day",
        )
    grid.add_row("", UL_SCOPE)
    for other in others:
        if other.supplement_ul_mg is not None and other.supplement_ul_mg != ref.supplement_ul_mg:
            grid.add_row(
                "", f"For comparison, {other.standard_name}: {_mg(other.supplement_ul_mg)}"
            )
    console.print(grid)
    std_note = kb.standard(ref.standard).note
    notes = [n for n in (std_note, *ref.notes) if n]
    if notes:
        console.print()
        console.print(_bullets("Notes", notes))
    console.print()
    console.print(
        _bullets(
            "Sources",
            [
                f"{s.id}: {s.organisation} ({s.year}). {s.title}"
                for s in map(kb.source, ref.sources)
            ],
        )
    )
    console.print()
    console.print(DISCLAIMER, style="italic")


def _bullets(title: str, lines: list[str]) -> Table:
    """A titled list whose wrapped lines stay indented."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.title = title
    grid.title_justify = "left"
    grid.title_style = "bold"
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in lines:
        grid.add_row("-", line)
    return grid


@click.command()
@click.option(
    "--sex",
    type=click.Choice(["female", "male"], case_sensitive=False),
    required=True,
    help="Sex the reference tables use.",
)
@click.option(
    "--age", "age_years", type=float, required=True, help="Age in years; 0.5 is 6 months."
)
@click.option("--pregnant", is_flag=True, help="Pregnant (female only).")
@click.option("--lactating", is_flag=True, help="Breastfeeding (female only).")
@click.option(
    "--standard",
    metavar="dge|efsa|nih",
    default=None,
    help="D-A-CH/DGE 2021 (default), EFSA 2015 or IOM 1997 as used by the NIH.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def reference(
    *,
    sex: str,
    age_years: float,
    pregnant: bool,
    lactating: bool,
    standard: str | None,
    as_json: bool,
) -> None:
    """A person's magnesium target and supplemental upper limit, with sources."""
    from magwise.reference import Sex, personal_reference

    sex_value: Sex = "female" if sex.lower() == "female" else "male"
    kb = _kb()

    def under(std: str | None) -> Reference:
        return personal_reference(
            sex=sex_value,
            age_years=age_years,
            pregnant=pregnant,
            lactating=lactating,
            standard=std,
            kb=kb,
        )

    ref = under(standard)
    if as_json:
        _echo_json(
            {
                "sex": sex_value,
                "age_years": age_years,
                "pregnant": pregnant,
                "lactating": lactating,
                **ref.as_dict(),
            }
        )
        return
    state = ", pregnant" if pregnant else ", lactating" if lactating else ""
    others = [under(s) for s in kb.standards if s != ref.standard]
    _print_reference(ref, f"{sex_value}, {_age(age_years)}{state}", kb, others)


# -- codes -------------------------------------------------------------------


def _yes(value: object) -> str:
    return "yes" if value else ""


def _cells(kind: str, row: dict[str, Any]) -> dict[str, str]:
    """The columns shown for one row of ``kind``."""
    aliases = ", ".join(row.get("aliases", []))
    if kind == "conditions":
        return {
            "code": row["code"],
            "label": row["label"],
            "contraindicated": _yes(row["contraindicated"]),
            "risk": _yes(row["risk"]),
            "aliases": aliases,
        }
    if kind == "medications":
        spacing = ""
        if row["medicine_before_h"] is not None:
            spacing = (
                f"medicine {row['medicine_before_h']:g} h before or "
                f"{row['medicine_after_h']:g} h after magnesium"
            )
        return {
            "code": row["code"],
            "class": row["class"],
            "effect": row["effect"],
            "spacing": spacing,
            "aliases": aliases,
        }
    if kind == "symptoms":
        return {
            "code": row["code"],
            "label": row["label"],
            "signals": ", ".join(row["signals"]),
            "aliases": aliases,
        }
    if kind == "forms":
        return {
            "id": row["id"],
            "name": row["name"],
            "elemental %": "0 (topical)" if row["topical"] else f"{row['elemental_percent']:.1f}",
            "topical": _yes(row["topical"]),
        }
    if kind == "units":
        return {"name": row["name"], "basis": row["basis"], "aliases": aliases}
    if kind == "standards":
        return {
            "id": row["id"],
            "name": row["name"],
            "target": row["target_name"],
            "default": _yes(row["default"]),
        }
    cells = {"code": row["code"], "label": row["label"]}
    if "red_flag" in row:
        cells["red flag"] = _yes(row["red_flag"])
    cells["aliases"] = aliases
    return cells


@click.command()
@click.argument("kind", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def codes(kind: str | None, as_json: bool) -> None:
    """Every code a case file may use, grouped by KIND.

    KIND is one of: conditions, medications, symptoms, hair-patterns, triggers,
    scalp-signs, forms, units, tests, standards. Aliases and any case are accepted
    wherever a code is.
    """
    from magwise.knowledge.codes import KINDS, rows

    data = rows(_kb(), kind)
    if as_json:
        _echo_json(data)
        return
    from rich.table import Table

    console = _console()
    for k, kind_rows in data.items():
        table = Table(title=f"{KINDS[k][0]} ({k})", title_justify="left")
        cells = [_cells(k, row) for row in kind_rows]
        for column in cells[0] if cells else ():
            table.add_column(column, no_wrap=column in ("code", "id"))
        for row_cells in cells:
            table.add_row(*row_cells.values())
        console.print(table)
