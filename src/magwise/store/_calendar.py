"""The secrets of subscribable calendar feeds (server mode): only their hashes are kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from magwise.store._store import Store

#: Bytes of randomness in a feed's secret (as URL-safe base64 text).
TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(store: Store, person_id: int) -> str:
    """A new secret for ``person_id``'s feed (the old one stops working): the token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store._db.write() as tx:
        tx.lock(person_id)
        tx.run("DELETE FROM calendar_feeds WHERE person_id = :p", {"p": person_id})
        tx.run(
            "INSERT INTO calendar_feeds (person_id, token_hash, created) VALUES (:p, :h, :c)",
            {"p": person_id, "h": _hash(token), "c": dt.datetime.now(dt.UTC).replace(tzinfo=None)},
        )
    return token


def revoke_feed(store: Store, person_id: int) -> bool:
    """Stop ``person_id``'s feed; whether there was one."""
    with store._db.write() as tx:
        tx.lock(person_id)
        had = tx.rows("SELECT count(*) FROM calendar_feeds WHERE person_id = :p", {"p": person_id})
        tx.run("DELETE FROM calendar_feeds WHERE person_id = :p", {"p": person_id})
    return bool(had[0][0])


def has_feed(store: Store, person_id: int) -> bool:
    with store._db.read() as tx:
        rows = tx.rows("SELECT count(*) FROM calendar_feeds WHERE person_id = :p", {"p": person_id})
    return bool(rows[0][0])


def feed_person(store: Store, token: str) -> int | None:
    """The person whose feed ``token`` opens, or ``None``."""
    if not token or len(token) > 100:
        return None
    with store._db.read() as tx:
        rows = tx.rows(
            "SELECT person_id FROM calendar_feeds WHERE token_hash = :h", {"h": _hash(token)}
        )
    return int(rows[0][0]) if rows else None
