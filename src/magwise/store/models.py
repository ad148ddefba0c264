"""The store's tables, as SQLAlchemy models: the schema the migrations create.

Portable SQL only (SQLite and PostgreSQL): no dialect-specific types, lists as
JSON text. Every table that holds health data carries ``person_id``. Log
entries share one ``entries`` table (id, person, day, kind), so entry ids are
unique across kinds and ``undo`` removes the latest one whatever its kind; the
details of each kind live in a table of their own, keyed by the entry id.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _person() -> Mapped[int]:
    return mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)


def _example() -> Mapped[bool]:
    """Revision 9: the row belongs to the example log (``magwise serve --example``)."""
    return mapped_column(Boolean, server_default=false(), default=False)


def _entry() -> Mapped[int]:
    return mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)


class Person(Base):
    """A person whose log is kept. Ids are never reused (SQLite: ``AUTOINCREMENT``), so a
    request that still names a deleted person can never reach the next one.
    """

    __tablename__ = "persons"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Profile(Base):
    """One version of a person's profile, in force from ``valid_from``."""

    __tablename__ = "profiles"
    __table_args__ = (UniqueConstraint("person_id", "valid_from"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person()
    valid_from: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(6))
    age_years: Mapped[float] = mapped_column(Float)
    pregnant: Mapped[bool] = mapped_column(Boolean)
    lactating: Mapped[bool] = mapped_column(Boolean)
    standard: Mapped[str | None] = mapped_column(String(10))
    conditions: Mapped[str] = mapped_column(Text)  # JSON list of codes
    medications: Mapped[str] = mapped_column(Text)  # JSON list of codes
    hair_pattern: Mapped[str | None] = mapped_column(String(40))
    hair_loss_since: Mapped[dt.date | None] = mapped_column(Date)
    family_history: Mapped[bool | None] = mapped_column(Boolean)
    scalp: Mapped[str] = mapped_column(Text)  # JSON list of codes
    triggers: Mapped[str] = mapped_column(Text)  # JSON list of [code, ISO date]
    name: Mapped[str | None] = mapped_column(String(200))  # for the report only
    birth_date: Mapped[dt.date | None] = mapped_column(Date)  # for the report only
    example: Mapped[bool] = _example()


class Entry(Base):
    """One logged entry: its kind names the table that holds its details."""

    __tablename__ = "entries"
    __table_args__ = (Index("ix_entries_person_day", "person_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    example: Mapped[bool] = _example()


class FoodEntry(Base):
    __tablename__ = "food_entries"
    entry_id: Mapped[int] = _entry()
    person_id: Mapped[int] = _person()
    ndb: Mapped[str] = mapped_column(String(20))  # an NDB number, or "own:N"
    grams: Mapped[float | None] = mapped_column(Float)
    portion: Mapped[str | None] = mapped_column(String(200))
    count: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(String(200))
    mg_per_100g: Mapped[float | None] = mapped_column(Float)  # an own food's, when logged
    meal: Mapped[str | None] = mapped_column(String(10))


class SupplementEntry(Base):
    __tablename__ = "supplement_entries"
    entry_id: Mapped[int] = _entry()
    person_id: Mapped[int] = _person()
    product: Mapped[str] = mapped_column(String(200))
    form: Mapped[str | None] = mapped_column(String(40))
    elemental_mg_per_unit: Mapped[float] = mapped_column(Float)
    units: Mapped[float] = mapped_column(Float)


class WaterEntry(Base):
    __tablename__ = "water_entries"
    entry_id: Mapped[int] = _entry()
    person_id: Mapped[int] = _person()
    liters: Mapped[float] = mapped_column(Float)
    mg_per_liter: Mapped[float] = mapped_column(Float)
    name: Mapped[str | None] = mapped_column(String(200))


class SheddingEntry(Base):
    __tablename__ = "shedding_entries"
    entry_id: Mapped[int] = _entry()
    person_id: Mapped[int] = _person()
    count: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))


class SymptomEntry(Base):
    __tablename__ = "symptom_entries"
    entry_id: Mapped[int] = _entry()
    person_id: Mapped[int] = _person()
    code: Mapped[str] = mapped_column(String(40))


class LabEntry(Base):
    __tablename__ = "lab_entries"
    # revision 8: the lab's own range, either end alone, low below high (r0008_lab_ranges)
    __table_args__ = (
        CheckConstraint(
            "(range_low IS NULL OR range_low >= 0) AND (range_high IS NULL OR range_high >= 0) "
            "AND (range_low IS NULL OR range_high IS NULL OR range_low < range_high)",
            name="ck_lab_entries_lab_range",
        ),
    )
    entry_id: Mapped[int] = _entry()
    person_id: Mapped[int] = _person()
    test: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    range_low: Mapped[float | None] = mapped_column(Float)
    range_high: Mapped[float | None] = mapped_column(Float)
    # revision 5: "<", "<=", ">" or ">=" as the lab wrote it; none: the value is exact
    comparator: Mapped[str | None] = mapped_column(String(2))


class NoteEntry(Base):
    __tablename__ = "note_entries"
    entry_id: Mapped[int] = _entry()
    person_id: Mapped[int] = _person()
    text: Mapped[str] = mapped_column(Text)


# -- revision 2: what a person names once and reuses, and the plans they follow


class Product(Base):
    """A supplement product a person defined once: ``log supplement NAME UNITS``."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("person_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person()
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str | None] = mapped_column(String(40))
    elemental_mg_per_unit: Mapped[float] = mapped_column(Float)
    example: Mapped[bool] = _example()


class NamedWater(Base):
    """A drinking or mineral water a person named once, with its label value."""

    __tablename__ = "waters"
    __table_args__ = (UniqueConstraint("person_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person()
    name: Mapped[str] = mapped_column(String(200))
    mg_per_liter: Mapped[float] = mapped_column(Float)
    example: Mapped[bool] = _example()


class Plan(Base):
    """A dose plan a person started, and perhaps stopped."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person()
    started: Mapped[dt.date] = mapped_column(Date)
    stopped: Mapped[dt.date | None] = mapped_column(Date)
    supplement_mg_per_day: Mapped[float] = mapped_column(Float)
    form: Mapped[str] = mapped_column(String(40))
    example: Mapped[bool] = _example()


class CalendarFeed(Base):
    """Server mode: the secret of a person's subscribable calendar feed (its SHA-256 hash).

    One per person; a new one replaces it and revokes the old URL.
    """

    __tablename__ = "calendar_feeds"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime)


class Photo(Base):
    """A photo of the scalp: re-encoded without its metadata (no EXIF, no location)."""

    __tablename__ = "photos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person()
    day: Mapped[dt.date] = mapped_column(Date)
    area: Mapped[str] = mapped_column(String(16))
    media_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


#: The detail table of each entry kind.
KIND_TABLES: dict[str, str] = {
    "food": "food_entries",
    "supplement": "supplement_entries",
    "water": "water_entries",
    "shedding": "shedding_entries",
    "symptom": "symptom_entries",
    "lab": "lab_entries",
    "note": "note_entries",
}


# -- revision 3: accounts of the web app in server mode (``magwise serve --multi-user``)


class Account(Base):
    """A sign-in account and the person whose log it owns.

    ``email_key`` is the address case-folded: unique, so addresses are unique
    whatever their case. Only an argon2id hash of the password is kept. Ids are
    never reused, like those of persons.
    """

    __tablename__ = "accounts"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), unique=True
    )
    created: Mapped[dt.datetime] = mapped_column(DateTime)
    consent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    consent_version: Mapped[str | None] = mapped_column(String(20))


class Session(Base):
    """A signed-in browser or client: only a SHA-256 hash of its session id is kept."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime)
    csrf_token: Mapped[str] = mapped_column(String(64))


class LoginAttempt(Base):
    """A failed sign-in or current-password check, counted under several keys: by
    account and client (``pair:...``), by client (``address:...``), by account
    (``email:...``); and registrations by client (``register:...``).
    """

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    """Who touched whose data, how, and what came of it.

    No foreign keys: an account's trail is deleted with the account, and the
    record of the deletion itself outlives it.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_account_id_at", "account_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    account_id: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    client: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(20))


# -- revision 6: foods from a label, and meals saved by name


class OwnFood(Base):
    """A food a person entered from a label: magnesium per 100 g, perhaps a portion."""

    __tablename__ = "own_foods"
    __table_args__ = (UniqueConstraint("person_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person()
    name: Mapped[str] = mapped_column(String(200))
    name_de: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    mg_per_100g: Mapped[float] = mapped_column(Float)
    kcal_per_100g: Mapped[float | None] = mapped_column(Float)
    barcode: Mapped[str | None] = mapped_column(String(40))
    portion: Mapped[str | None] = mapped_column(String(200))
    portion_grams: Mapped[float | None] = mapped_column(Float)


class Meal(Base):
    """A meal saved by name: its foods as a JSON list, logged again in one step."""

    __tablename__ = "meals"
    __table_args__ = (UniqueConstraint("person_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = _person()
    name: Mapped[str] = mapped_column(String(200))
    items: Mapped[str] = mapped_column(Text)
