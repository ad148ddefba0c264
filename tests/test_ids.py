"""Ids of persons and accounts are never handed out twice, on SQLite and PostgreSQL.

A request that still holds the id of a deleted person or account must never
reach whoever comes next: the next person gets a new id even when the deleted
one had the largest, and a store migrated from revision 3 keeps its rows and ids.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from magwise.store import AccountGone, Store
from magwise.store._db import make_engine
from magwise.store._migrate import REVISIONS, upgrade

DAY = dt.date(2026, 11, 2)
NOW = dt.datetime(2026, 11, 2, 8, 0)


def _account(store: Store, person: int, email: str) -> int:
    with store._db.write() as tx:
        rows = tx.rows(
            "INSERT INTO accounts (email, email_key, password_hash, person_id, created) "
            "VALUES (:e, :e, 'x', :p, :c) RETURNING id",
            {"e": email, "p": person, "c": NOW},
        )
    return int(rows[0][0])


def _drop_account(store: Store, account: int, person: int) -> None:
    store.forget(person)  # cascades to the account
    with store._db.write() as tx:
        tx.run("DELETE FROM accounts WHERE id = :a", {"a": account})


def test_the_newest_persons_and_accounts_ids_are_not_reused(database_url: str) -> None:
    with Store.open(database_url) as store:
        first = store.add_person("account")
        first_account = _account(store, first, "ana@example.org")
        _drop_account(store, first_account, first)
        second = store.add_person("account")
        second_account = _account(store, second, "ben@example.org")
        assert second > first
        assert second_account > first_account


def test_an_owned_store_refuses_once_the_account_is_gone(database_url: str) -> None:
    with Store.open(database_url) as store:
        ana = store.add_person("account")
        ana_account = _account(store, ana, "ana@example.org")
        owned = store.owned_by(ana_account, ana)
        owned.add_note(ana, DAY, "mine")
        assert [n.text for n in owned.record(ana).notes] == ["mine"]
        _drop_account(store, ana_account, ana)
        with pytest.raises(AccountGone):
            owned.add_note(ana, DAY, "written after the account was deleted")
        with pytest.raises(AccountGone):
            owned.record(ana)
        # an account that does not own the person is refused as well
        ben = store.add_person("account")
        ben_account = _account(store, ben, "ben@example.org")
        with pytest.raises(AccountGone):
            store.owned_by(ben_account, ana).add_note(ben, DAY, "not his")
        assert store.counts(ben)["note"] == 0


def test_a_revision_3_store_keeps_its_rows_and_ids_when_migrated(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the copy of revision 4 runs on SQLite only (PostgreSQL: sequences)")
    upgrade(database_url, REVISIONS[2])
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            for person in (1, 2, 3):
                connection.execute(
                    text("INSERT INTO persons (id, name) VALUES (:p, 'account')"), {"p": person}
                )
                connection.execute(
                    text(
                        "INSERT INTO accounts (id, email, email_key, password_hash, person_id, "
                        "created) VALUES (:p, :e, :e, 'x', :p, :c)"
                    ),
                    {"p": person, "e": f"p{person}@example.org", "c": NOW},
                )
                connection.execute(
                    text(
                        "INSERT INTO entries (id, person_id, day, kind) "
                        "VALUES (:p, :p, '2026-11-02', 'note')"
                    ),
                    {"p": person},
                )
                connection.execute(
                    text(
                        "INSERT INTO note_entries (entry_id, person_id, text) "
                        "VALUES (:p, :p, 'kept')"
                    ),
                    {"p": person},
                )
    finally:
        engine.dispose()
    with Store.open(database_url) as store:
        assert [n.text for n in store.record(3).notes] == ["kept"]
        assert store.persons() == [(1, "account"), (2, "account"), (3, "account")]
        _drop_account(store, 3, 3)
        assert [n.text for n in store.record(2).notes] == ["kept"]
        assert store.add_person("account") == 4
        assert _account(store, 4, "new@example.org") == 4
        with store._db.read() as tx:
            assert tx.rows("PRAGMA foreign_keys")[0][0] == 1
