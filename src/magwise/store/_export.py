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
import math
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from magwise import jsontext
from magwise.bounds import FIRST_DAY, LAST_DAY, MAX_SHEDDING
from magwise.errors import InputError
from magwise.foods._own import OwnFood
from magwise.knowledge import LAB_TESTS
from magwise.record import (
    MEALS,
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
from magwise.store._codes import check_codes
from magwise.store._export_photos import parse_photos, photo_rows
from magwise.store._inputs import COMPARATORS, DAY_RANGE, check_range, plan_dose, shown
from magwise.store._meals import ITEM_FIELDS, SavedMeal, item_json
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
        ("name", "str?"),
        ("birth_date", "date?"),
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
        ("mg_per_100g", "float?"),
        ("meal", "meal?"),
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
        ("comparator", "comparator?"),
    ),
    "notes": (("date", "date"), ("text", "str")),
    "own_foods": (
        ("name", "str"),
        ("mg_per_100g", "float"),
        ("kcal_per_100g", "float?"),
        ("barcode", "str?"),
        ("name_de", "str?"),
        ("name_en", "str?"),
        ("portion", "str?"),
        ("portion_grams", "float?"),
    ),
    "meals": (("name", "str"), ("items", "items")),
}
#: Kinds and columns later versions of the format added: an export without them still reads.
ADDED_KINDS = ("own_foods", "meals")
ADDED_COLUMNS = {
    "foods": ("mg_per_100g", "meal"),
    "labs": ("comparator",),
    "profiles": ("name", "birth_date"),
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
_TESTS = LAB_TESTS
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    doc["own_foods"] = [
        {name: getattr(f, name) for name, _ in KINDS["own_foods"]}
        for f in store.own_foods.all(person_id)
    ]
    doc["meals"] = [
        {"name": m.name, "items": [item_json(i) for i in m.items]}
        for m in store.meals.all(person_id)
    ]
    doc["photos"] = photo_rows(store, person_id)  # JSON only: a CSV export leaves them out
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
    if kind == "items":
        return json.dumps(value, ensure_ascii=False)
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
        rows = doc.get(kind, []) if kind in ADDED_KINDS else doc[kind]  # older documents
        added = ADDED_COLUMNS.get(kind, ())
        for row in rows:  # a column later versions added may be missing from older documents
            writer.writerow(
                [_csv_cell(row.get(name) if name in added else row[name], t) for name, t in columns]
            )
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
    if base == "items":
        try:
            return json.loads(cell)
        except json.JSONDecodeError:
            raise InputError(where, "expected the meal's foods as a JSON list") from None
    if base == "triggers":
        triggers = []
        for item in (i for i in cell.split(";") if i):
            kind_, _, on = item.partition(":")
            triggers.append({"kind": kind_, "on": on})
        return triggers
    return cell


def _utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte order mark is forgiven
    except UnicodeDecodeError:
        raise InputError("file", f"{name}: an export is UTF-8 encoded text") from None


def read_export(path: Path) -> dict[str, Any]:
    """The document in a JSON export, a CSV directory or a CSV zip."""
    try:
        if path.is_dir():
            files = {p.name: _utf8(p.read_bytes(), str(p)) for p in path.glob("*.csv")}
            return _doc_from_csv(files, str(path))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                files = {
                    name: _utf8(archive.read(name), f"{path}: {name}")
                    for name in archive.namelist()
                    if name.endswith(".csv")
                }
            return _doc_from_csv(files, str(path))
        text = _utf8(path.read_bytes(), str(path))
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError("file", f"cannot read {path}: {exc}") from None
    try:
        doc = jsontext.loads(text, "file")
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
            if kind in ADDED_KINDS:
                continue
            raise InputError("file", f"{where} has no {name}")
        reader = csv.DictReader(io.StringIO(files[name]))
        wanted = [column for column, _ in columns]
        older = [c for c in wanted if c not in ADDED_COLUMNS.get(kind, ())]
        if reader.fieldnames not in (wanted, older):
            raise InputError(name, f"columns {reader.fieldnames}; expected {wanted}")
        present = [(column, t) for column, t in columns if column in (reader.fieldnames or [])]
        doc[kind] = [
            {
                column: _from_csv(row[column], t, f"{name} row {number}, {column}")
                for column, t in present
            }
            for number, row in enumerate(reader, 2)
        ]
    return doc


#: Longest text each stored field holds (the database's column sizes).
LONGEST = {
    "name": 200,
    "product": 200,
    "portion": 200,
    "description": 200,
    "form": 40,
    "ndb": 20,
    "code": 40,
    "unit": 20,
    "standard": 10,
    "hair_pattern": 40,
    "name_de": 200,
    "name_en": 200,
    "barcode": 40,
}
_TOP = ("format", "version", "person", *KINDS, "photos")


def _fields(value: Any, names: tuple[str, ...], where: str) -> dict[str, Any]:
    """An object with no field but ``names`` (a misspelt one is not ignored)."""
    if not isinstance(value, dict):
        raise InputError(where, "expected an object")
    for key in value:
        if key not in names:
            path = f"{where}.{key}" if where else str(key)
            raise InputError(path, f"is not a field of an export; accepted: {', '.join(names)}")
    return value


def _text(value: str, where: str, longest: int | None = None) -> str:
    if "\x00" in value:
        raise InputError(where, "text must not contain a NUL character")
    if longest is not None and len(value) > longest:
        raise InputError(where, f"{len(value)} characters; accepted: at most {longest}")
    return value


def _check(value: Any, kind: str, where: str) -> Any:
    """A JSON value checked against a column type, converted to its Python type."""
    nullable = kind.endswith("?")
    base = kind.rstrip("?")
    if value is None:
        if nullable:
            return None
        raise InputError(where, "is required")
    checks: dict[str, Callable[[Any], Any]] = {
        "str": lambda v: _text(v, where) if isinstance(v, str) else None,
        "float": lambda v: (
            float(v)
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            else None
        ),
        "int": lambda v: v if isinstance(v, int) and not isinstance(v, bool) else None,
        "bool": lambda v: v if isinstance(v, bool) else None,
        "sex": lambda v: v if v in ("female", "male") else None,
        "method": lambda v: v if v in SHEDDING_METHODS else None,
        "test": lambda v: v if v in _TESTS else None,
        "comparator": lambda v: v if v in COMPARATORS else None,
        "meal": lambda v: v if v in MEALS else None,
        "items": lambda v: v if isinstance(v, list) else None,
        "list": lambda v: (
            tuple(_text(i, f"{where}[{n}]") for n, i in enumerate(v))
            if isinstance(v, list) and all(isinstance(i, str) for i in v)
            else None
        ),
    }
    if base == "date":
        try:
            if not (isinstance(value, str) and _ISO_DAY.match(value)):
                raise ValueError(value)
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(where, f"{shown(value)} is not a date (YYYY-MM-DD)") from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise InputError(where, DAY_RANGE)
        return day
    if base == "triggers":
        if not isinstance(value, list):
            raise InputError(where, "expected a list of {kind, on}")
        triggers = []
        for number, item in enumerate(value):
            at = f"{where}[{number}]"
            trigger = _fields(item, ("kind", "on"), at)
            triggers.append(
                HairTrigger(
                    _check(trigger.get("kind"), "str", f"{at}.kind"),
                    _check(trigger.get("on"), "date", f"{at}.on"),
                )
            )
        return tuple(triggers)
    checked = checks[base](value)
    if checked is None:
        accepted = {
            "sex": "female, male",
            "method": ", ".join(SHEDDING_METHODS),
            "test": ", ".join(_TESTS),
            "comparator": ", ".join(COMPARATORS),
            "meal": ", ".join(MEALS),
            "items": "a list of foods",
            "float": "a finite number",
        }.get(base, f"a {base}")
        raise InputError(where, f"{shown(value)}; accepted: {accepted}")
    return checked


def _rows(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    rows = doc.get(kind, [])
    if not isinstance(rows, list):
        raise InputError(kind, "expected a list")
    columns = KINDS[kind]
    names = tuple(name for name, _ in columns)
    out = []
    for number, row in enumerate(rows):
        where = f"{kind}[{number}]"
        _fields(row, names, where)
        checked: dict[str, Any] = {}
        for name, t in columns:
            if name not in row and name in ADDED_COLUMNS.get(kind, ()):
                checked[name] = None
                continue
            if name not in row:
                raise InputError(f"{where}.{name}", "is required")
            value = _check(row[name], t, f"{where}.{name}")
            if isinstance(value, str):
                _text(value, f"{where}.{name}", LONGEST.get(name))
            checked[name] = value
        out.append(checked)
    return out


def parse_export(doc: dict[str, Any]) -> tuple[str, PersonRecord, list[Product]]:
    """(person name, record, products) of an export document, every value checked.

    Checked as ``POST /api/v1/me/import`` checks it: no field but the format's
    (at any level), dates from ``FIRST_DAY`` to ``LAST_DAY``, finite numbers,
    text without NUL that fits the database, and codes this magwise knows
    (``magwise.store._codes``).
    """
    _fields(doc, _TOP, "")
    if doc.get("format") != FORMAT:
        raise InputError("format", f"{shown(doc.get('format'))}; expected {FORMAT!r}")
    if doc.get("version") != VERSION or isinstance(doc.get("version"), bool):
        raise InputError("version", f"{shown(doc.get('version'))}; this magwise reads {VERSION}")
    person = _fields(doc.get("person"), ("name",), "person")
    name = person.get("name")
    if not isinstance(name, str):
        raise InputError("person.name", "expected a name")
    _text(name, "person.name", LONGEST["name"])
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
    check_codes(record, products)
    return name, record, products


def parse_named_foods(doc: dict[str, Any]) -> tuple[list[OwnFood], list[SavedMeal]]:
    """The own foods and saved meals of an export document, every value checked."""
    own = [OwnFood(0, **row) for row in _rows(doc, "own_foods")]
    meals = []
    for number, row in enumerate(_rows(doc, "meals")):
        where = f"meals[{number}].items"
        items = []
        for index, item in enumerate(row["items"]):
            at = f"{where}[{index}]"
            fields = _fields(item, ITEM_FIELDS, at)
            values = {
                name: _check(fields.get(name), t, f"{at}.{name}") for name, t in KINDS["foods"][1:]
            }
            if (values["grams"] is None) == (values["portion"] is None):
                raise InputError(at, "give either grams or a portion")
            items.append(FoodEntry(0, dt.date.min, **values))
        meals.append(SavedMeal(row["name"], tuple(items)))
    names: dict[str, list[str]] = {
        "own_foods": [f.name for f in own],
        "meals": [m.name for m in meals],
    }
    for kind, rows in names.items():
        seen: set[str] = set()
        for index, named in enumerate(rows):
            key = named.strip().casefold()
            if not key or key in seen:
                raise InputError(f"{kind}[{index}].name", f"{named!r} is empty or named twice")
            seen.add(key)
    return own, meals


def _check_restorable(record: PersonRecord, products: list[Product]) -> None:
    """What the store would refuse on restore, refused first with the field named."""
    for index, row in enumerate(record.shedding):
        if not 0 <= row.count <= MAX_SHEDDING:
            raise InputError(
                f"shedding[{index}].count", f"{row.count}; accepted: 0 to {MAX_SHEDDING}"
            )
    from magwise.knowledge import load_knowledge

    kb = load_knowledge()
    for index, lab in enumerate(record.labs):
        if kb.lab_unit(lab.test, lab.unit) is None:
            accepted = ", ".join(kb.lab_unit_names(lab.test))
            raise InputError(
                f"labs[{index}].unit", f"{shown(lab.unit)} for {lab.test}; accepted: {accepted}"
            )
        if not lab.value > 0:
            raise InputError(f"labs[{index}].value", f"{lab.value:g}; accepted: more than 0")
        check_range(
            lab.range_low,
            lab.range_high,
            f"labs[{index}].range_low",
            f"labs[{index}].range_high",
        )
    for index, plan in enumerate(record.plans):
        plan_dose(f"plans[{index}].supplement_mg_per_day", plan.supplement_mg_per_day)
        if plan.stopped is not None and plan.stopped < plan.started:
            raise InputError(
                f"plans[{index}].stopped", f"{plan.stopped} is before started {plan.started}"
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
    own_foods, meals = parse_named_foods(doc)
    photos = parse_photos(doc)
    if not replace:
        held = sum(store.counts(person_id).values())
        if held:
            raise InputError(
                "import",
                f"the store already holds {held} records for this person; import into an "
                "empty store, or add --replace to replace them",
            )
    store.restore(
        person_id,
        record,
        products,
        replace=replace,
        name=name,
        own_foods=own_foods,
        meals=meals,
        photos=photos,
    )
    return sum(len(entries) for entries in _entries_of(record))


def _entries_of(record: PersonRecord) -> list[tuple[Any, ...]]:
    return [getattr(record, field) for field in _RECORD_FIELD.values()]
