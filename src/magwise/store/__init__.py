"""The store: a person's log over weeks, durable, exportable and deletable.

>>> from magwise.store import Store
>>> store = Store.open()              # doctest: +SKIP
>>> me = store.local_person()         # doctest: +SKIP
>>> record = store.record(me)         # doctest: +SKIP

SQLite in the user's data directory by default (WAL, ``synchronous=FULL``,
foreign keys on); any SQLAlchemy URL through ``$MAGWISE_DATABASE_URL`` or
``Store.open(url)``. The schema is migrated with Alembic on open.
"""

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
