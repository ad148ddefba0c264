"""Whose data a request may touch: the store and the signed-in person.

Every endpoint and page that reads or writes a person's log depends on
``PersonDep`` and nothing else: it is the one place where a request is tied to a
person. In local mode (the default) that is the store's one local person; in
server mode it is the person of the signed-in account (``magwise.web.auth``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from magwise.store import Store
from magwise.web.settings import Settings

_OPEN_LOCK = threading.Lock()


@dataclass(frozen=True)
class Person:
    """The person a request acts for, and the store that holds their log."""

    store: Store
    id: int


def app_store(app: FastAPI) -> Store:
    """The app's store, opened (created, migrated) on first use and shared by requests.

    It goes through SQLAlchemy, whose engine is safe to share between threads;
    ``MAGWISE_DATABASE_URL`` (or the settings' ``database_url``) chooses the database.
    """
    store = getattr(app.state, "store", None)
    if store is None:
        with _OPEN_LOCK:
            store = getattr(app.state, "store", None)
            if store is None:
                settings: Settings = app.state.settings
                store = Store.open(settings.database_url, driver="sqlalchemy")
                app.state.store = store
    assert isinstance(store, Store)
    return store


def close_store(app: FastAPI) -> None:
    store = getattr(app.state, "store", None)
    if store is not None:
        store.close()
        app.state.store = None


def get_store(request: Request) -> Store:
    return app_store(request.app)


def get_person(request: Request, store: Annotated[Store, Depends(get_store)]) -> Person:
    """The person this request acts for (local mode: the store's one person).

    In server mode: the signed-in account's person, once it has consented to the
    processing of health data; the access goes into the audit trail.
    """
    if request.app.state.settings.mode == "server":
        from magwise.web.auth import signed_in, signed_in_person

        person = signed_in_person(request)
        session = signed_in(request)
        assert session is not None
        # every read and write checks, in its own transaction, that the account
        # still exists and owns the person: a request that outlives its account
        # (deleted meanwhile) touches nothing
        return Person(store.owned_by(session.account.id, person), person)
    return Person(store, store.local_person())


StoreDep = Annotated[Store, Depends(get_store)]
PersonDep = Annotated[Person, Depends(get_person)]
