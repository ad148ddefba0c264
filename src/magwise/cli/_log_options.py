"""Options and helpers of the commands that read and write the personal log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from magwise.store import Store

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    """``--db URL`` (else ``$MAGWISE_DATABASE_URL``, else the file in the data directory)."""
    return click.option(
        "--db",
        default=None,
        metavar="URL",
        help="Database: an SQLAlchemy URL or an SQLite file path "
        "(default: $MAGWISE_DATABASE_URL, else magwise.sqlite3 in the data directory).",
    )(func)


def date_option(func: F) -> F:
    return click.option(
        "--date",
        "when",
        default=None,
        metavar="DATE",
        help="The day: today (default), yesterday or YYYY-MM-DD.",
    )(func)


@contextmanager
def open_store(db: str | None) -> Iterator[tuple[Store, int]]:
    """The store and the local person."""
    from magwise.store import Store

    store = Store.open(db)
    try:
        yield store, store.local_person()
    finally:
        store.close()


def _day(when: str | None) -> dt.date:
    from magwise.store._inputs import parse_day

    return parse_day(when)


def _on(day: dt.date) -> str:
    today = dt.date.today()
    if day == today:
        return "today"
    if day == today - dt.timedelta(days=1):
        return "yesterday"
    return day.isoformat()


def _input(field: str, message: str) -> Exception:
    from magwise.errors import InputError

    return InputError(field, message)
