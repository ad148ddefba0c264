"""The store: a person's log over weeks, durable, exportable and deletable.

>>> from magwise.store import Store
>>> store = Store.open()              # doctest: +SKIP
>>> me = store.local_person()         # doctest: +SKIP
>>> record = store.record(me)         # doctest: +SKIP

SQLite in the user's data directory by default (WAL, ``synchronous=FULL``,
foreign keys on); any SQLAlchemy URL through ``$MAGWISE_DATABASE_URL`` or
``Store.open(url)``. The schema is migrated with Alembic on open.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from magwise.store._db import AccountGone
    from magwise.store._describe import describe, describe_in
    from magwise.store._meals import SavedMeal
    from magwise.store._settings import DATABASE_URL_VARIABLE, database_url, default_url
    from magwise.store._store import Entry, Product, Store

__all__ = [
    "DATABASE_URL_VARIABLE",
    "AccountGone",
    "Entry",
    "Product",
    "SavedMeal",
    "Store",
    "database_url",
    "default_url",
    "describe",
    "describe_in",
]

# name -> module; imported on first use, so that a command that needs only the
# settings (``magwise foods search``) does not import the whole store.
_WHERE = {
    "AccountGone": "magwise.store._db",
    "describe": "magwise.store._describe",
    "describe_in": "magwise.store._describe",
    "SavedMeal": "magwise.store._meals",
    "DATABASE_URL_VARIABLE": "magwise.store._settings",
    "database_url": "magwise.store._settings",
    "default_url": "magwise.store._settings",
    "Entry": "magwise.store._store",
    "Product": "magwise.store._store",
    "Store": "magwise.store._store",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'magwise.store' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
