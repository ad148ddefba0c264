"""``Store``: a person's log, kept durably; every write is one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from magwise.errors import InputError
from magwise.record import (
    FoodEntry,
    LabEntry,
    Meal,
    NoteEntry,
    PersonRecord,
    PlanEntry,
    ProfileVersion,
    SheddingEntry,
    SupplementEntry,
    SymptomEntry,
    WaterEntry,
)
from magwise.store._db import (
    Database,
    EngineDatabase,
    OwnedDatabase,
    SqliteDatabase,
    Transaction,
    check_text,
    insert,
)
from magwise.store._faults import translated
from magwise.store._meals import Meals, SavedMeal
from magwise.store._own_foods import OwnFoods
from magwise.store._profile_rows import (
    PROFILE_COLUMNS,
    day_of,
    maybe_day,
    profile_from_row,
    profile_values,
    same_profile,
)

if TYPE_CHECKING:
    from magwise.case import Comparator, LabTest
    from magwise.foods import OwnFood
    from magwise.store._export_photos import ExportedPhoto

Entry = (
    FoodEntry | SupplementEntry | WaterEntry | SheddingEntry | SymptomEntry | LabEntry | NoteEntry
)

#: Entry kind -> (record type, detail table).
KINDS: dict[str, tuple[type[Any], str]] = {
    "food": (FoodEntry, "food_entries"),
    "supplement": (SupplementEntry, "supplement_entries"),
    "water": (WaterEntry, "water_entries"),
    "shedding": (SheddingEntry, "shedding_entries"),
    "symptom": (SymptomEntry, "symptom_entries"),
    "lab": (LabEntry, "lab_entries"),
    "note": (NoteEntry, "note_entries"),
}
KIND_OF: dict[type[Any], str] = {cls: kind for kind, (cls, _) in KINDS.items()}

#: Tables that hold a person's data, children first (the order ``forget`` deletes in).
PERSON_TABLES = (
    *(table for _, table in KINDS.values()),
    "entries",
    "profiles",
    "products",
    "waters",
    "plans",
    "photos",
    "own_foods",
    "meals",
)
#: The tables whose rows the example log flags (revision 9), entries first.
EXAMPLE_TABLES = ("entries", "profiles", "products", "waters", "plans")
#: The tables of what a person names once, as ``counts`` names them.
NAMED_TABLES = ("profiles", "products", "waters", "plans", "own_foods", "meals", "photos")


def lab_value(value: float, comparator: str | None) -> str:
    """A lab value as the lab wrote it: "0.72", "< 0.5", ">= 90"."""
    return f"{comparator} {value:g}" if comparator else f"{value:g}"


@dataclasses.dataclass(frozen=True, slots=True)
class Product:
    """A supplement product a person defined once and logs by name."""

    name: str
    elemental_mg_per_unit: float
    form: str | None = None


def _flag(person_id: int) -> dict[str, object]:
    return {"p": person_id, "e": True}


def detail_columns(cls: type[Any]) -> list[str]:
    """The detail columns of an entry type: its fields after ``id`` and ``day``."""
    return [f.name for f in dataclasses.fields(cls)][2:]


def _period(start: dt.date | None, end: dt.date | None) -> tuple[str, dict[str, object]]:
    """The SQL condition on ``e.day`` for entries from ``start`` to ``end``, and its values."""
    conditions: list[str] = []
    params: dict[str, object] = {}
    if start is not None:
        conditions.append("e.day >= :start")
        params["start"] = start
    if end is not None:
        conditions.append("e.day <= :end")
        params["end"] = end
    return " AND ".join(conditions), params


class Store:
    """A person's log over weeks, in SQLite (default) or any SQLAlchemy database.

    >>> with Store.open("sqlite:////tmp/magwise-doc.sqlite3") as store:  # doctest: +SKIP
    ...     me = store.local_person()
    ...     store.add_water(me, dt.date(2026, 11, 20), liters=1.5, mg_per_liter=108)
    ...     record = store.record(me)
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self.own_foods = OwnFoods(db)
        self.meals = Meals(db)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        driver: Literal["auto", "sqlite3", "sqlalchemy"] = "auto",
    ) -> Store:
        """Open (and create or migrate) the store at ``url``.

        ``url`` defaults to ``$MAGWISE_DATABASE_URL``, else the SQLite file in the
        user's data directory. A plain ``sqlite:///PATH`` is served by the
        ``sqlite3`` module unless ``driver="sqlalchemy"``.
        """
        from magwise.store._migrate import check_revision
        from magwise.store._settings import database_url, sqlite_path

        url = database_url(url)
        path = sqlite_path(url)
        if path == ":memory:" or url.rstrip("/") in ("sqlite:", "sqlite+pysqlite:"):
            raise InputError("db", "the store needs a database file, not an in-memory database")
        db: Database
        if path is not None and driver != "sqlalchemy":
            db = SqliteDatabase(url, path)
        else:
            db = EngineDatabase(url)
        try:
            with translated(path or str(getattr(db, "where", "the database"))):
                if not check_revision(db.revision()):
                    from magwise.store._migrate import upgrade

                    upgrade(url)
        except BaseException:
            db.close()
            raise
        return cls(db)

    def owned_by(self, account_id: int, person_id: int) -> Store:
        """This store, where every read and write first checks, in its own transaction,
        that account ``account_id`` still exists and owns person ``person_id``; else
        ``AccountGone``, and nothing is read or written. For the server's requests.
        """
        return Store(OwnedDatabase(self._db, account_id, person_id))

    @property
    def url(self) -> str:
        return self._db.url

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # -- persons ----------------------------------------------------------

    def local_person(self) -> int:
        """The one person of a local, single-user store (created on first use)."""
        with self._db.read() as tx:
            found = tx.rows("SELECT min(id) FROM persons")[0][0]
        if found is not None:
            return int(found)
        with self._db.write() as tx:
            tx.lock(0)  # two first uses at once make one person, not two
            found = tx.rows("SELECT min(id) FROM persons")[0][0]
            return int(found) if found is not None else insert(tx, "persons", {"name": "me"})

    def add_person(self, name: str) -> int:
        with self._db.write() as tx:
            return insert(tx, "persons", {"name": name})

    def persons(self) -> list[tuple[int, str]]:
        with self._db.read() as tx:
            return [
                (int(i), str(n)) for i, n in tx.rows("SELECT id, name FROM persons ORDER BY id")
            ]

    def person_name(self, person_id: int) -> str:
        with self._db.read() as tx:
            rows = tx.rows("SELECT name FROM persons WHERE id = :p", {"p": person_id})
        if not rows:
            raise InputError("person", f"no person with id {person_id}")
        return str(rows[0][0])

    # -- the profile ------------------------------------------------------

    def profiles(self, person_id: int) -> tuple[ProfileVersion, ...]:
        with self._db.read() as tx:
            return self._profiles(tx, person_id)

    def _profiles(self, tx: Transaction, person_id: int) -> tuple[ProfileVersion, ...]:
        rows = tx.rows(
            f"SELECT {PROFILE_COLUMNS} FROM profiles WHERE person_id = :p ORDER BY valid_from",
            {"p": person_id},
        )
        return tuple(profile_from_row(row) for row in rows)

    def profile(self, person_id: int, on: dt.date | None = None) -> ProfileVersion | None:
        """The profile in force on ``on`` (default: the latest), ``None`` before any."""
        versions = self.profiles(person_id)
        if not versions:
            return None
        if on is None:
            return versions[-1]
        in_force = [v for v in versions if v.valid_from <= on]
        return in_force[-1] if in_force else versions[0]

    def set_profile(self, person_id: int, version: ProfileVersion) -> bool:
        """Store ``version`` from its ``valid_from``; False when nothing changed.

        A version for a day that already has one replaces it.
        """
        with self._db.write() as tx:
            tx.lock(person_id)
            versions = self._profiles(tx, person_id)
            before = [v for v in versions if v.valid_from <= version.valid_from]
            if before and same_profile(before[-1], version):
                return False
            tx.run(
                "DELETE FROM profiles WHERE person_id = :p AND valid_from = :d",
                {"p": person_id, "d": version.valid_from},
            )
            insert(tx, "profiles", profile_values(person_id, version))
        return True

    # -- entries ----------------------------------------------------------

    def add(self, person_id: int, *entries: Entry) -> list[int]:
        """Add entries (their ``id`` is ignored) in one transaction; their new ids."""
        with self._db.write() as tx:
            tx.lock(person_id)  # a person's entry ids grow in the order they are committed
            return [self._add(tx, person_id, entry) for entry in entries]

    def _add(self, tx: Transaction, person_id: int, entry: Entry) -> int:
        kind = KIND_OF[type(entry)]
        if isinstance(entry, LabEntry):  # refused before the database's check would
            from magwise.store._inputs import check_range

            check_range(entry.range_low, entry.range_high)
        entry_id = insert(tx, "entries", {"person_id": person_id, "day": entry.day, "kind": kind})
        values: dict[str, object] = {"entry_id": entry_id, "person_id": person_id}
        for name in detail_columns(type(entry)):
            values[name] = getattr(entry, name)
        check_text(KINDS[kind][1], values)
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        tx.run(f"INSERT INTO {KINDS[kind][1]} ({columns}) VALUES ({marks})", values)
        return entry_id

    def add_food(
        self,
        person_id: int,
        day: dt.date,
        ndb: str,
        *,
        description: str,
        grams: float | None = None,
        portion: str | None = None,
        count: float = 1,
        meal: Meal | None = None,
    ) -> int:
        if (grams is None) == (portion is None):
            raise InputError("amount", "give either grams or a portion")
        entry = FoodEntry(0, day, ndb, grams, portion, count, description, None, meal)
        return self.add(person_id, entry)[0]

    def add_supplement(
        self,
        person_id: int,
        day: dt.date,
        product: str,
        *,
        elemental_mg_per_unit: float,
        units: float = 1,
        form: str | None = None,
    ) -> int:
        entry = SupplementEntry(0, day, product, form, elemental_mg_per_unit, units)
        return self.add(person_id, entry)[0]

    def add_water(
        self,
        person_id: int,
        day: dt.date,
        *,
        liters: float,
        mg_per_liter: float,
        name: str | None = None,
    ) -> int:
        return self.add(person_id, WaterEntry(0, day, liters, mg_per_liter, name))[0]

    def add_shedding(self, person_id: int, day: dt.date, count: int, method: str) -> int:
        from magwise.record import SHEDDING_METHODS

        if method not in SHEDDING_METHODS:
            raise InputError("method", f"{method!r}; accepted: {', '.join(SHEDDING_METHODS)}")
        return self.add(person_id, SheddingEntry(0, day, count, method))[0]

    def add_symptom(self, person_id: int, day: dt.date, code: str) -> int:
        return self.add(person_id, SymptomEntry(0, day, code))[0]

    def add_lab(
        self,
        person_id: int,
        day: dt.date,
        value: float,
        unit: str,
        *,
        test: LabTest = "serum_magnesium",
        range_low: float | None = None,
        range_high: float | None = None,
        comparator: Comparator | None = None,
    ) -> int:
        entry = LabEntry(0, day, test, value, unit, range_low, range_high, comparator)
        return self.add(person_id, entry)[0]

    def add_note(self, person_id: int, day: dt.date, text: str) -> int:
        return self.add(person_id, NoteEntry(0, day, text))[0]

    def last_entry(self, person_id: int) -> Entry | None:
        """The entry written last."""
        with self._db.read() as tx:
            return self._last(tx, person_id)

    def _last(self, tx: Transaction, person_id: int) -> Entry | None:
        rows = tx.rows(
            "SELECT id, kind FROM entries WHERE person_id = :p ORDER BY id DESC LIMIT 1",
            {"p": person_id},
        )
        if not rows:
            return None
        entry_id, kind = int(rows[0][0]), str(rows[0][1])
        found = self._entries(tx, person_id, kind, "e.id = :id", {"id": entry_id})
        return found[0] if found else None

    def undo(self, person_id: int) -> Entry | None:
        """Delete the entry written last and return it (``None`` when there is none)."""
        with self._db.write() as tx:
            tx.lock(person_id)
            entry = self._last(tx, person_id)
            if entry is None:
                return None
            table = KINDS[KIND_OF[type(entry)]][1]
            params = {"id": entry.id, "p": person_id}
            tx.run(f"DELETE FROM {table} WHERE entry_id = :id AND person_id = :p", params)
            tx.run("DELETE FROM entries WHERE id = :id AND person_id = :p", params)
            return entry

    def _entries(
        self,
        tx: Transaction,
        person_id: int,
        kind: str,
        where: str = "",
        params: dict[str, object] | None = None,
    ) -> list[Any]:
        cls, table = KINDS[kind]
        columns = ", ".join(f"d.{name}" for name in detail_columns(cls))
        rows = tx.rows(
            f"SELECT e.id, e.day, {columns} FROM entries e JOIN {table} d ON d.entry_id = e.id "
            f"WHERE e.person_id = :p{' AND ' + where if where else ''} ORDER BY e.day, e.id",
            {"p": person_id, **(params or {})},
        )
        return [cls(int(row[0]), day_of(row[1]), *row[2:]) for row in rows]

    # -- what a person names once ----------------------------------------

    def define_product(
        self, person_id: int, name: str, *, elemental_mg_per_unit: float, form: str | None = None
    ) -> bool:
        """Remember a supplement product by name; True when it replaced one."""
        with self._db.write() as tx:
            tx.lock(person_id)
            replaced = self._forget_named(tx, "products", person_id, name)
            insert(
                tx,
                "products",
                {
                    "person_id": person_id,
                    "name": name,
                    "form": form,
                    "elemental_mg_per_unit": elemental_mg_per_unit,
                },
            )
        return replaced

    def products(self, person_id: int) -> list[Product]:
        with self._db.read() as tx:
            rows = tx.rows(
                "SELECT name, elemental_mg_per_unit, form FROM products WHERE person_id = :p",
                {"p": person_id},
            )
        # sorted here: the database's collation orders names differently on each database
        return sorted((Product(str(n), float(mg), f) for n, mg, f in rows), key=lambda p: p.name)

    def product(self, person_id: int, name: str) -> Product | None:
        """The product called ``name`` (case does not matter)."""
        wanted = name.strip().casefold()
        return next((p for p in self.products(person_id) if p.name.casefold() == wanted), None)

    def define_water(self, person_id: int, name: str, *, mg_per_liter: float) -> bool:
        """Remember a water by name with its label value; True when it replaced one."""
        with self._db.write() as tx:
            tx.lock(person_id)
            replaced = self._forget_named(tx, "waters", person_id, name)
            insert(
                tx, "waters", {"person_id": person_id, "name": name, "mg_per_liter": mg_per_liter}
            )
        return replaced

    def waters(self, person_id: int) -> dict[str, float]:
        """Named waters: name -> mg/L."""
        with self._db.read() as tx:
            return self._waters(tx, person_id)

    def _waters(self, tx: Transaction, person_id: int) -> dict[str, float]:
        rows = tx.rows(
            "SELECT name, mg_per_liter FROM waters WHERE person_id = :p", {"p": person_id}
        )
        # sorted here: the database's collation orders names differently on each database
        return {str(name): float(mg) for name, mg in sorted(rows, key=lambda row: str(row[0]))}

    def water(self, person_id: int, name: str) -> tuple[str, float] | None:
        """The named water called ``name`` (case does not matter): (name, mg/L)."""
        wanted = name.strip().casefold()
        return next(
            ((n, mg) for n, mg in self.waters(person_id).items() if n.casefold() == wanted), None
        )

    def _forget_named(self, tx: Transaction, table: str, person_id: int, name: str) -> bool:
        rows = tx.rows(f"SELECT id, name FROM {table} WHERE person_id = :p", {"p": person_id})
        ids = [int(i) for i, n in rows if str(n).casefold() == name.strip().casefold()]
        for found in ids:
            tx.run(f"DELETE FROM {table} WHERE id = :id", {"id": found})
        return bool(ids)

    # -- dose plans -------------------------------------------------------

    def start_plan(
        self, person_id: int, started: dt.date, supplement_mg_per_day: float, form: str
    ) -> int:
        """Start a dose plan; a plan still running stops the day this one starts."""
        with self._db.write() as tx:
            tx.lock(person_id)
            tx.run(
                "UPDATE plans SET stopped = :d WHERE person_id = :p AND stopped IS NULL",
                {"d": started, "p": person_id},
            )
            return insert(
                tx,
                "plans",
                {
                    "person_id": person_id,
                    "started": started,
                    "stopped": None,
                    "supplement_mg_per_day": supplement_mg_per_day,
                    "form": form,
                },
            )

    def stop_plan(self, person_id: int, stopped: dt.date) -> PlanEntry | None:
        """Stop the running plan; the plan stopped, or ``None`` when none runs."""
        with self._db.write() as tx:
            tx.lock(person_id)
            running = [p for p in self._plans(tx, person_id) if p.stopped is None]
            if not running:
                return None
            plan = running[-1]
            if stopped < plan.started:
                raise InputError("date", f"{stopped} is before the plan started ({plan.started})")
            tx.run("UPDATE plans SET stopped = :d WHERE id = :id", {"d": stopped, "id": plan.id})
        return dataclasses.replace(plan, stopped=stopped)

    def plans(self, person_id: int) -> tuple[PlanEntry, ...]:
        with self._db.read() as tx:
            return self._plans(tx, person_id)

    def _plans(self, tx: Transaction, person_id: int) -> tuple[PlanEntry, ...]:
        rows = tx.rows(
            "SELECT id, started, supplement_mg_per_day, form, stopped FROM plans "
            "WHERE person_id = :p ORDER BY started, id",
            {"p": person_id},
        )
        return tuple(
            PlanEntry(int(i), day_of(s), float(mg), str(f), maybe_day(stop))
            for i, s, mg, f, stop in rows
        )

    # -- the record -------------------------------------------------------

    def record(
        self, person_id: int, start: dt.date | None = None, end: dt.date | None = None
    ) -> PersonRecord:
        """Everything kept for a person; entries from ``start`` to ``end`` (inclusive).

        All profile versions and named waters are included, and the plans that
        overlap the period. ``profiles`` is empty until a profile is set.
        """
        where, params = _period(start, end)
        with self._db.read() as tx:
            kinds = {
                kind: tuple(self._entries(tx, person_id, kind, where, params)) for kind in KINDS
            }
            profiles = self._profiles(tx, person_id)
            plans = tuple(
                p
                for p in self._plans(tx, person_id)
                if (end is None or p.started <= end)
                and (start is None or p.stopped is None or p.stopped >= start)
            )
            waters = self._waters(tx, person_id)
        return PersonRecord(
            person_id=person_id,
            profiles=profiles,
            foods=kinds["food"],
            supplements=kinds["supplement"],
            water=kinds["water"],
            shedding=kinds["shedding"],
            symptoms=kinds["symptom"],
            labs=kinds["lab"],
            notes=kinds["note"],
            plans=plans,
            named_waters=waters,
        )

    # -- the person's right to leave -------------------------------------

    def counts(self, person_id: int) -> dict[str, int]:
        """What is kept for a person: entries per kind, then profile versions,
        products, named waters, plans and photos.
        """
        p = {"p": person_id}
        with self._db.read() as tx:
            by_kind = dict(
                tx.rows("SELECT kind, count(*) FROM entries WHERE person_id = :p GROUP BY kind", p)
            )
            counts = {kind: int(by_kind.get(kind, 0)) for kind in KINDS}
            for table in NAMED_TABLES:
                counts[table] = int(
                    tx.rows(f"SELECT count(*) FROM {table} WHERE person_id = :p", p)[0][0]
                )
        return counts

    def forget(self, person_id: int) -> dict[str, int]:
        """Delete everything kept for a person, and the person; what was deleted."""
        deleted = self.counts(person_id)
        with self._db.write() as tx:
            tx.lock(person_id)
            self._delete_data(tx, person_id)
            tx.run("DELETE FROM persons WHERE id = :p", {"p": person_id})
        return deleted

    def _delete_data(self, tx: Transaction, person_id: int) -> None:
        for table in PERSON_TABLES:
            tx.run(f"DELETE FROM {table} WHERE person_id = :p", {"p": person_id})

    def restore(
        self,
        person_id: int,
        record: PersonRecord,
        products: Iterable[Product] = (),
        *,
        replace: bool = False,
        name: str | None = None,
        own_foods: Sequence[OwnFood] = (),
        meals: Sequence[SavedMeal] = (),
        photos: Sequence[ExportedPhoto] = (),
    ) -> None:
        """Write a whole record (profiles, entries, waters, plans, products, photos) at once.

        Entries are written kind by kind, each in date order. With ``replace``,
        the person's data is deleted first. One transaction: all of it is
        stored, or none (and nothing is deleted).
        """
        with self._db.write() as tx:
            tx.lock(person_id)
            if replace:
                self._delete_data(tx, person_id)
            if name is not None:
                check_text("persons", {"name": name})
                tx.run("UPDATE persons SET name = :n WHERE id = :p", {"n": name, "p": person_id})
            for version in record.profiles:
                insert(tx, "profiles", profile_values(person_id, version))
            entries: Sequence[Entry]
            for entries in (
                record.foods,
                record.supplements,
                record.water,
                record.shedding,
                record.symptoms,
                record.labs,
                record.notes,
            ):
                for entry in entries:
                    self._add(tx, person_id, entry)
            for water, mg in record.named_waters.items():
                insert(tx, "waters", {"person_id": person_id, "name": water, "mg_per_liter": mg})
            for product in products:
                insert(
                    tx,
                    "products",
                    {
                        "person_id": person_id,
                        "name": product.name,
                        "form": product.form,
                        "elemental_mg_per_unit": product.elemental_mg_per_unit,
                    },
                )
            self.own_foods.restore(tx, person_id, list(own_foods))
            self.meals.restore(tx, person_id, list(meals))
            for kept in photos:
                insert(
                    tx,
                    "photos",
                    {
                        "person_id": person_id,
                        "day": kept.day,
                        "area": kept.area,
                        "media_type": kept.photo.media_type,
                        "width": kept.photo.width,
                        "height": kept.photo.height,
                        "data": kept.photo.data,
                    },
                )
            for plan in record.plans:
                insert(
                    tx,
                    "plans",
                    {
                        "person_id": person_id,
                        "started": plan.started,
                        "stopped": plan.stopped,
                        "supplement_mg_per_day": plan.supplement_mg_per_day,
                        "form": plan.form,
                    },
                )

    # -- the example log --------------------------------------------------

    def mark_example(self, person_id: int) -> None:
        """Flag every row kept for the person as the example log (written into an
        empty log by ``magwise.examples.diary.seed_example``)."""
        with self._db.write() as tx:
            tx.lock(person_id)
            for table in EXAMPLE_TABLES:
                tx.run(f"UPDATE {table} SET example = :e WHERE person_id = :p", _flag(person_id))

    def example_ids(self, person_id: int) -> frozenset[int]:
        """The ids of the person's entries that belong to the example log."""
        with self._db.read() as tx:
            rows = tx.rows(
                "SELECT id FROM entries WHERE person_id = :p AND example = :e", _flag(person_id)
            )
        return frozenset(int(row[0]) for row in rows)

    def example_counts(self, person_id: int) -> tuple[int, int]:
        """(example rows, own entries): how much of the log is the example, and what the
        person logged themselves."""
        p = {"p": person_id}
        with self._db.read() as tx:
            example = sum(
                int(
                    tx.rows(
                        f"SELECT count(*) FROM {t} WHERE person_id = :p AND example = :e",
                        _flag(person_id),
                    )[0][0]
                )
                for t in EXAMPLE_TABLES
            )
            own = int(
                tx.rows(
                    "SELECT count(*) FROM entries WHERE person_id = :p AND example = :e",
                    {**p, "e": False},
                )[0][0]
            )
        return example, own

    def remove_example(self, person_id: int, *, name: str | None = None) -> dict[str, int]:
        """Delete the example log and nothing else; what was deleted, as ``counts``
        names it. The person's own entries, profile versions, products, waters and
        plans stay. ``name``: the person's name from now on."""
        with self._db.write() as tx:
            tx.lock(person_id)
            flag = _flag(person_id)
            by_kind = dict(
                tx.rows(
                    "SELECT kind, count(*) FROM entries WHERE person_id = :p AND example = :e "
                    "GROUP BY kind",
                    flag,
                )
            )
            deleted = {kind: int(by_kind.get(kind, 0)) for kind in KINDS}
            for _, table in KINDS.values():
                tx.run(
                    f"DELETE FROM {table} WHERE person_id = :p AND entry_id IN "
                    "(SELECT id FROM entries WHERE person_id = :p AND example = :e)",
                    flag,
                )
            tx.run("DELETE FROM entries WHERE person_id = :p AND example = :e", flag)
            for table in EXAMPLE_TABLES[1:]:
                deleted[table] = int(
                    tx.rows(
                        f"SELECT count(*) FROM {table} WHERE person_id = :p AND example = :e", flag
                    )[0][0]
                )
                tx.run(f"DELETE FROM {table} WHERE person_id = :p AND example = :e", flag)
            if name is not None:
                tx.run("UPDATE persons SET name = :n WHERE id = :p", {"n": name, "p": person_id})
        return deleted

    # -- one entry, one name: what the web app asks for ---------------------

    def entry(self, person_id: int, entry_id: int) -> Entry | None:
        """The person's entry ``entry_id``; ``None`` when the person has no such entry."""
        with self._db.read() as tx:
            return self._entry(tx, person_id, entry_id)

    def _entry(self, tx: Transaction, person_id: int, entry_id: int) -> Entry | None:
        rows = tx.rows(
            "SELECT kind FROM entries WHERE id = :id AND person_id = :p",
            {"id": entry_id, "p": person_id},
        )
        if not rows:
            return None
        found = self._entries(tx, person_id, str(rows[0][0]), "e.id = :id", {"id": entry_id})
        return found[0] if found else None

    def entries(
        self,
        person_id: int,
        start: dt.date | None = None,
        end: dt.date | None = None,
        kinds: Iterable[str] = (),
    ) -> list[Entry]:
        """The person's entries from ``start`` to ``end`` (inclusive) of ``kinds`` (default
        all), ordered by day, then by the order they were written.
        """
        chosen = set(kinds)
        wanted = [kind for kind in KINDS if kind in chosen] or list(KINDS)
        where, params = _period(start, end)
        with self._db.read() as tx:
            found: list[Entry] = [
                entry
                for kind in wanted
                for entry in self._entries(tx, person_id, kind, where, params)
            ]
        return sorted(found, key=lambda entry: (entry.day, entry.id))

    def delete_entry(self, person_id: int, entry_id: int) -> Entry | None:
        """Delete the person's entry ``entry_id``; the entry, or ``None`` when there is none."""
        with self._db.write() as tx:
            tx.lock(person_id)
            entry = self._entry(tx, person_id, entry_id)
            if entry is None:
                return None
            table = KINDS[KIND_OF[type(entry)]][1]
            params = {"id": entry_id, "p": person_id}
            tx.run(f"DELETE FROM {table} WHERE entry_id = :id AND person_id = :p", params)
            tx.run("DELETE FROM entries WHERE id = :id AND person_id = :p", params)
            return entry

    def edit_entry(self, person_id: int, entry_id: int, **changes: Any) -> Entry | None:
        """Change an entry's day or details (a food's grams, portion, count or meal);
        the entry as it now reads, or ``None`` when the person has no such entry."""
        with self._db.write() as tx:
            tx.lock(person_id)
            entry = self._entry(tx, person_id, entry_id)
            if entry is None:
                return None
            fields = {f.name for f in dataclasses.fields(entry)} - {"id"}
            unknown = sorted(set(changes) - fields)
            if unknown:
                raise InputError(unknown[0], f"not a field of a {KIND_OF[type(entry)]} entry")
            edited = dataclasses.replace(entry, **changes)
            if isinstance(edited, FoodEntry) and (edited.grams is None) == (edited.portion is None):
                raise InputError("amount", "give either grams or a portion")
            table = KINDS[KIND_OF[type(entry)]][1]
            values = {name: getattr(edited, name) for name in detail_columns(type(edited))}
            check_text(table, values)
            settings = ", ".join(f"{name} = :{name}" for name in values)
            params = {"id": entry_id, "p": person_id}
            tx.run(
                f"UPDATE {table} SET {settings} WHERE entry_id = :id AND person_id = :p",
                {**values, **params},
            )
            tx.run(
                "UPDATE entries SET day = :day WHERE id = :id AND person_id = :p",
                {"day": edited.day, **params},
            )
            return edited

    def delete_product(self, person_id: int, name: str) -> Product | None:
        """Forget the product called ``name`` (case does not matter); ``None`` when unknown."""
        with self._db.write() as tx:
            tx.lock(person_id)
            rows = tx.rows(
                "SELECT name, elemental_mg_per_unit, form FROM products WHERE person_id = :p",
                {"p": person_id},
            )
            wanted = name.strip().casefold()
            found = [Product(str(n), float(mg), f) for n, mg, f in rows]
            product = next((p for p in found if p.name.casefold() == wanted), None)
            if product is not None:
                self._forget_named(tx, "products", person_id, product.name)
        return product

    def delete_water(self, person_id: int, name: str) -> tuple[str, float] | None:
        """Forget the named water ``name`` (case does not matter): (name, mg/L), or ``None``."""
        with self._db.write() as tx:
            tx.lock(person_id)
            wanted = name.strip().casefold()
            waters = self._waters(tx, person_id)
            water = next(((n, mg) for n, mg in waters.items() if n.casefold() == wanted), None)
            if water is not None:
                self._forget_named(tx, "waters", person_id, water[0])
        return water

    def clear(self, person_id: int) -> dict[str, int]:
        """Delete everything kept for a person but the person (whose id an account may
        hold); what was deleted, as ``counts`` names it.
        """
        with self._db.write() as tx:
            tx.lock(person_id)
            p = {"p": person_id}
            by_kind = dict(
                tx.rows("SELECT kind, count(*) FROM entries WHERE person_id = :p GROUP BY kind", p)
            )
            deleted = {kind: int(by_kind.get(kind, 0)) for kind in KINDS}
            for table in NAMED_TABLES:
                deleted[table] = int(
                    tx.rows(f"SELECT count(*) FROM {table} WHERE person_id = :p", p)[0][0]
                )
            self._delete_data(tx, person_id)
        return deleted
