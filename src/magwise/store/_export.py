"""Export a person's data and import it back, exactly (docs/export.md).

One table of kinds drives both formats: JSON (one document) and CSV (one file
per kind, in a directory or a zip). Import checks every value before it writes
anything, and writes everything in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from magwise.bounds import MAX_SHEDDING
from magwise.errors import InputError
from magwise.record import (
    SHEDDING_METHODS,
    FoodEntry,
    HairTrigger,
    LabEntry,
    NoteEntry,
    PersonRecord,
    PlanEntry,
    ProfileVersion,
    SheddingEntry,
    SupplementEntry,
    SymptomEntry,
    WaterEntry,
)
from magwise.store._store import Product, Store

FORMAT = "magwise-export"
VERSION = 1

# column types: a trailing "?" allows null (an empty CSV cell)
KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "profiles": (
        ("valid_from", "date"),
        ("sex", "sex"),
        ("age_years", "float"),
        ("pregnant", "bool"),
        ("lactating", "bool"),
        ("standard", "str?"),
        ("conditions", "list"),
        ("medications", "list"),
        ("hair_pattern", "str?"),
        ("hair_loss_since", "date?"),
        ("family_history", "bool?"),
        ("scalp", "list"),
        ("triggers", "triggers"),
    ),
    "products": (("name", "str"), ("form", "str?"), ("elemental_mg_per_unit", "float")),
    "waters": (("name", "str"), ("mg_per_liter", "float")),
    "plans": (
        ("started", "date"),
        ("stopped", "date?"),
        ("supplement_mg_per_day", "float"),
        ("form", "str"),
    ),
    "foods": (
        ("date", "date"),
        ("ndb", "str"),
        ("grams", "float?"),
        ("portion", "str?"),
        ("count", "float"),
        ("description", "str"),
    ),
    "supplements": (
        ("date", "date"),
        ("product", "str"),
        ("form", "str?"),
        ("elemental_mg_per_unit", "float"),
        ("units", "float"),
    ),
    "water": (("date", "date"), ("liters", "float"), ("mg_per_liter", "float"), ("name", "str?")),
    "shedding": (("date", "date"), ("count", "int"), ("method", "method")),
    "symptoms": (("date", "date"), ("code", "str")),
    "labs": (
        ("date", "date"),
        ("test", "test"),
        ("value", "float"),
        ("unit", "str"),
        ("range_low", "float?"),
        ("range_high", "float?"),
    ),
    "notes": (("date", "date"), ("text", "str")),
}
_ENTRY_TYPES: dict[str, type[Any]] = {
    "foods": FoodEntry,
    "supplements": SupplementEntry,
    "water": WaterEntry,
    "shedding": SheddingEntry,
    "symptoms": SymptomEntry,
    "labs": LabEntry,
    "notes": NoteEntry,
}
_TESTS = ("serum_magnesium", "rbc_magnesium")


# -- export -------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, HairTrigger):
        return {"kind": value.kind, "on": value.on.isoformat()}
    return value


def export_data(store: Store, person_id: int) -> dict[str, Any]:
    """Everything kept for a person as one JSON-ready document."""
    record = store.record(person_id)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "person": {"name": store.person_name(person_id)},
    }
    doc["profiles"] = [
        {name: _json_value(getattr(p, name)) for name, _ in KINDS["profiles"]}
        for p in record.profiles
    ]
    doc["products"] = [
        {"name": p.name, "form": p.form, "elemental_mg_per_unit": p.elemental_mg_per_unit}
        for p in store.products(person_id)
    ]
    doc["waters"] = [{"name": n, "mg_per_liter": mg} for n, mg in record.named_waters.items()]
    doc["plans"] = [
        {name: _json_value(getattr(p, name)) for name, _ in KINDS["plans"]} for p in record.plans
    ]
    for kind in _ENTRY_TYPES:
        entries = getattr(record, _RECORD_FIELD[kind])
        doc[kind] = [
            {
                "date": e.day.isoformat(),
                **{name: _json_value(getattr(e, name)) for name, _ in KINDS[kind][1:]},
            }
            for e in entries
        ]
    return doc


_RECORD_FIELD = {
    "foods": "foods",
    "supplements": "supplements",
    "water": "water",
    "shedding": "shedding",
    "symptoms": "symptoms",
    "labs": "labs",
    "notes": "notes",
}


def _csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind in {"bool", "bool?"}:
        return "true" if value else "false"
    if kind == "list":
        return ";".join(value)
    if kind == "triggers":
        return ";".join(f"{t['kind']}:{t['on']}" for t in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_files(doc: dict[str, Any]) -> dict[str, str]:
    """File name -> CSV text: ``person.csv`` (format, version, name) and one per kind."""
    files = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([("format", "version", "name"), (FORMAT, VERSION, doc["person"]["name"])])
    files["person.csv"] = out.getvalue()
    for kind, columns in KINDS.items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([name for name, _ in columns])
        for row in doc[kind]:
            writer.writerow([_csv_cell(row[name], t) for name, t in columns])
        files[f"{kind}.csv"] = out.getvalue()
    return files


def write_export(doc: dict[str, Any], out: Path, fmt: str) -> None:
    """JSON: one file. CSV: a directory of files, or a zip when ``out`` ends in .zip."""
    if fmt == "json":
        out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    files = csv_files(doc)
    if out.suffix.lower() == ".zip":
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")


# -- import -------------------------------------------------------------------


def _from_csv(cell: str, kind: str, where: str) -> Any:
    nullable = kind.endswith("?")
    base = kind.rstrip("?")
    if cell == "" and nullable:
        return None
    if base == "float":
        try:
            return float(cell)
        except ValueError:
            raise InputError(where, f"{cell!r} is not a number") from None
    if base == "int":
        try:
            return int(cell)
        except ValueError:
            raise InputError(where, f"{cell!r} is not a whole number") from None
    if base == "bool":
        if cell not in ("true", "false"):
            raise InputError(where, f"{cell!r}; accepted: true, false")
        return cell == "true"
    if base == "list":
        return [item for item in cell.split(";") if item]
    if base == "triggers":
        triggers = []
        for item in (i for i in cell.split(";") if i):
            kind_, _, on = item.partition(":")
            triggers.append({"kind": kind_, "on": on})
        return triggers
    return cell


def read_export(path: Path) -> dict[str, Any]:
    """The document in a JSON export, a CSV directory or a CSV zip."""
    if path.is_dir():
        files = {p.name: p.read_text(encoding="utf-8") for p in path.glob("*.csv")}
        return _doc_from_csv(files, str(path))
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            files = {
                name: archive.read(name).decode("utf-8")
                for name in archive.namelist()
                if name.endswith(".csv")
            }
        return _doc_from_csv(files, str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("file", f"cannot read {path}: {exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            "file", f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if not isinstance(doc, dict):
        raise InputError("file", f"{path} is not a magwise export (a JSON object)")
    return doc


def _doc_from_csv(files: dict[str, str], where: str) -> dict[str, Any]:
    if "person.csv" not in files:
        raise InputError("file", f"{where} has no person.csv: not a magwise CSV export")
    head = list(csv.DictReader(io.StringIO(files["person.csv"])))
    if len(head) != 1:
        raise InputError("person.csv", "expected one row: format, version, name")
    version = head[0].get("version", "")
    doc: dict[str, Any] = {
        "format": head[0].get("format"),
        "version": int(version) if version.isdigit() else version,
        "person": {"name": head[0].get("name", "")},
    }
    for kind, columns in KINDS.items():
        name = f"{kind}.csv"
        if name not in files:
            raise InputError("file", f"{where} has no {name}")
        reader = csv.DictReader(io.StringIO(files[name]))
        wanted = [column for column, _ in columns]
        if reader.fieldnames != wanted:
            raise InputError(name, f"columns {reader.fieldnames}; expected {wanted}")
        doc[kind] = [
            {
                column: _from_csv(row[column], t, f"{name} row {number}, {column}")
                for column, t in columns
            }
            for number, row in enumerate(reader, 2)
        ]
    return doc


def _check(value: Any, kind: str, where: str) -> Any:
    """A JSON value checked against a column type, converted to its Python type."""
    nullable = kind.endswith("?")
    base = kind.rstrip("?")
    if value is None:
        if nullable:
            return None
        raise InputError(where, "is required")
    checks: dict[str, Callable[[Any], Any]] = {
        "str": lambda v: v if isinstance(v, str) else None,
        "float": lambda v: (
            float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
        ),
        "int": lambda v: v if isinstance(v, int) and not isinstance(v, bool) else None,
        "bool": lambda v: v if isinstance(v, bool) else None,
        "sex": lambda v: v if v in ("female", "male") else None,
        "method": lambda v: v if v in SHEDDING_METHODS else None,
        "test": lambda v: v if v in _TESTS else None,
        "list": lambda v: (
            tuple(v) if isinstance(v, list) and all(isinstance(i, str) for i in v) else None
        ),
    }
    if base == "date":
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise InputError(where, f"{value!r} is not a date (YYYY-MM-DD)") from None
    if base == "triggers":
        if not isinstance(value, list):
            raise InputError(where, "expected a list of {kind, on}")
        return tuple(
            HairTrigger(
                _check(t.get("kind") if isinstance(t, dict) else None, "str", where),
                _check(t.get("on") if isinstance(t, dict) else None, "date", where),
            )
            for t in value
        )
    checked = checks[base](value)
    if checked is None:
        accepted = {
            "sex": "female, male",
            "method": ", ".join(SHEDDING_METHODS),
            "test": ", ".join(_TESTS),
        }.get(base, f"a {base}")
        raise InputError(where, f"{value!r}; accepted: {accepted}")
    return checked


def _rows(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    rows = doc.get(kind, [])
    if not isinstance(rows, list):
        raise InputError(kind, "expected a list")
    out = []
    for number, row in enumerate(rows):
        where = f"{kind}[{number}]"
        if not isinstance(row, dict):
            raise InputError(where, "expected an object")
        out.append({name: _check(row.get(name), t, f"{where}.{name}") for name, t in KINDS[kind]})
    return out


def parse_export(doc: dict[str, Any]) -> tuple[str, PersonRecord, list[Product]]:
    """(person name, record, products) of an export document, every value checked."""
    if doc.get("format") != FORMAT:
        raise InputError("format", f"{doc.get('format')!r}; expected {FORMAT!r}")
    if doc.get("version") != VERSION:
        raise InputError("version", f"{doc.get('version')!r}; this magwise reads {VERSION}")
    person = doc.get("person")
    name = person.get("name") if isinstance(person, dict) else None
    if not isinstance(name, str):
        raise InputError("person.name", "expected a name")
    entries: dict[str, tuple[Any, ...]] = {}
    for kind, cls in _ENTRY_TYPES.items():
        entries[kind] = tuple(cls(0, row.pop("date"), *row.values()) for row in _rows(doc, kind))
    record = PersonRecord(
        person_id=0,
        profiles=tuple(ProfileVersion(**row) for row in _rows(doc, "profiles")),
        plans=tuple(PlanEntry(id=0, **row) for row in _rows(doc, "plans")),
        named_waters={row["name"]: row["mg_per_liter"] for row in _rows(doc, "waters")},
        **entries,
    )
    products = [Product(**row) for row in _rows(doc, "products")]
    _check_restorable(record, products)
    return name, record, products


def _check_restorable(record: PersonRecord, products: list[Product]) -> None:
    """What the store would refuse on restore, refused first with the field named."""
    for index, row in enumerate(record.shedding):
        if not 0 <= row.count <= MAX_SHEDDING:
            raise InputError(
                f"shedding[{index}].count", f"{row.count}; accepted: 0 to {MAX_SHEDDING}"
            )
    seen: set[str] = set()
    for index, product in enumerate(products):
        key = product.name.strip().casefold()
        if key in seen:
            raise InputError(f"products[{index}].name", f"{product.name!r} is named twice")
        seen.add(key)
    days: set[dt.date] = set()
    for index, version in enumerate(record.profiles):
        if version.valid_from in days:
            raise InputError(
                f"profiles[{index}].valid_from", f"{version.valid_from} has two versions"
            )
        days.add(version.valid_from)
    for index, water in enumerate(record.named_waters):
        if not water.strip():
            raise InputError(f"waters[{index}].name", "a name is needed")


def import_data(store: Store, person_id: int, doc: dict[str, Any], *, replace: bool) -> int:
    """Restore an export into a person's store; the number of entries written.

    Refused when the person already has data, unless ``replace``.
    """
    name, record, products = parse_export(doc)
    if not replace:
        held = sum(store.counts(person_id).values())
        if held:
            raise InputError(
                "import",
                f"the store already holds {held} records for this person; import into an "
                "empty store, or add --replace to replace them",
            )
    store.restore(person_id, record, products, replace=replace, name=name)
    return sum(len(entries) for entries in _entries_of(record))


def _entries_of(record: PersonRecord) -> list[tuple[Any, ...]]:
    return [getattr(record, field) for field in _RECORD_FIELD.values()]
