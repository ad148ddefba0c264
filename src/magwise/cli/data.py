"""``magwise export``, ``import``, ``import-labs`` and ``forget``: your data is yours."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import click

from magwise.cli._log_options import db_option, open_store


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one document; csv: one file per kind (a directory, or a zip for .zip).",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Where to write.")
@db_option
def export(fmt: str, out: Path, db: str | None) -> None:
    """Export everything kept for you (format: docs/export.md).

    \b
    magwise export --format json --out magwise.json
    magwise export --format csv --out magwise-csv.zip
    """
    from magwise.store._export import export_data, write_export

    with open_store(db) as (store, me):
        doc = export_data(store, me)
    write_export(doc, out, fmt)
    kinds = ("foods", "supplements", "water", "shedding", "symptoms", "labs", "notes")
    entries = sum(len(doc[kind]) for kind in kinds)
    versions = _count(len(doc["profiles"]), "profile version", "profile versions")
    photos = len(doc["photos"])
    what = f"{_count(entries, 'entry', 'entries')} and {versions}"
    if photos and fmt == "json":
        what = what.replace(" and ", ", ") + f" and {_count(photos, 'photo', 'photos')}"
    click.echo(f"Exported {what} to {out}.")
    if photos and fmt != "json":
        click.echo(
            f"magwise: {_count(photos, 'photo is', 'photos are')} not in the CSV export "
            "(a CSV export has no photos); export --format json to take them along",
            err=True,
        )


def _count(n: int, one: str, many: str) -> str:
    """``1 entry``, ``2 entries``, ``0 entries``."""
    return f"{n} {one if n == 1 else many}"


@click.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the data the store holds for you.")
@db_option
def import_(path: Path, replace: bool, db: str | None) -> None:
    """Restore an export made by `magwise export` (JSON file, CSV directory or zip).

    Everything is checked first and written in one transaction.
    """
    from magwise.store._export import import_data, read_export

    doc = read_export(path)
    with open_store(db) as (store, me):
        entries = import_data(store, me, doc, replace=replace)
    photos = len(doc.get("photos", []))
    also = f" and {_count(photos, 'photo', 'photos')}" if photos else ""
    click.echo(f"Imported {_count(entries, 'entry', 'entries')}{also} from {path}.")


@click.command("import-labs")
@click.argument("file", type=click.File("rb"))
@db_option
def import_labs(file: BinaryIO, db: str | None) -> None:
    """Import lab results from a FHIR R4 Observation or Bundle (JSON).

    Reads magnesium (LOINC 19123-9 mg/dL, 2601-3 mmol/L), eGFR (33914-3,
    62238-1, 98979-8) and creatinine (2160-0 mg/dL, 14682-9 µmol/L), with a
    comparator ("< 0.5") as written; others are skipped and counted. Results
    already stored are not stored twice.
    """
    from magwise.fhir import new_entries, read_labs
    from magwise.labs import range_text
    from magwise.store._store import lab_value

    found = read_labs(file.read())
    with open_store(db) as (store, me):
        new = new_entries(found, store.record(me).labs)
        store.add(me, *new)
    for result in new:
        shown = range_text(result.range_low, result.range_high)
        shown = f" (lab range {shown})" if shown else ""
        test = result.test.replace("_", " ")
        value = lab_value(result.value, result.comparator)
        click.echo(f"Imported {result.day}: {test} {value} {result.unit}{shown}")
    notes = []
    if len(new) < len(found.results):
        notes.append(f"{len(found.results) - len(new)} already stored")
    if found.skipped:
        notes.append(f"skipped {found.skipped} unrelated resource(s)")
    if found.without_result:
        notes.append(f"skipped {found.without_result} without a result (status)")
    summary = f"{len(new)} lab result(s) imported"
    click.echo(summary + (f"; {'; '.join(notes)}." if notes else "."))


_NAMES = {
    "food": ("food", "foods"),
    "supplement": ("supplement", "supplements"),
    "water": ("water entry", "water entries"),
    "shedding": ("shedding count", "shedding counts"),
    "symptom": ("symptom", "symptoms"),
    "lab": ("lab result", "lab results"),
    "note": ("note", "notes"),
    "profiles": ("profile version", "profile versions"),
    "products": ("product", "products"),
    "waters": ("named water", "named waters"),
    "plans": ("plan", "plans"),
}


@click.command()
@click.option("--yes", is_flag=True, help="Really delete everything.")
@db_option
def forget(yes: bool, db: str | None) -> None:
    """Delete everything kept for you: profile, log, products, waters, plans.

    Without --yes, says what it would delete and deletes nothing.
    """
    from magwise.errors import InputError

    with open_store(db) as (store, me):
        counts = store.counts(me)
        held = ", ".join(_count(n, *_NAMES[kind]) for kind, n in counts.items() if n)
        if not yes:
            raise InputError(
                "forget",
                f"would delete all your data ({held or 'nothing stored yet'}) from {store.url}; "
                "run magwise forget --yes to delete it (magwise export saves a copy first)",
            )
        store.forget(me)
    click.echo(f"Deleted all your data ({held or 'nothing was stored'}).")
