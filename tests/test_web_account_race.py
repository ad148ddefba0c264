"""A request that outlives its account writes nothing, and never into the next account.

The race: an account starts a slow import with ``replace=true`` (its body still
arriving), deletes itself meanwhile, a new account registers and logs, then the
slow body finishes. The import must be refused, and the new account's log must be
exactly what it wrote: ids are never reused, and every read and write checks that
the session's account still exists and owns the person. Run against real
``magwise serve --multi-user`` processes (two of them, on one database).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx2 as httpx
from sqlalchemy import text
from tests._browser import serving_multi_user

from magwise.store import Store
from magwise.store._db import make_engine
from magwise.web.auth import CONSENT_VERSION, CSRF_COOKIE, SESSION_COOKIE

PASSWORD = "a long and quiet river 42"
DAY = "2026-11-02"


class Client:
    """One person's session against any of the servers (cookies by hand: they are Secure)."""

    def __init__(self) -> None:
        self.session = ""

    def headers(self, base: str) -> dict[str, str]:
        cookies = {"Cookie": f"{SESSION_COOKIE}={self.session}"} if self.session else {}
        token = httpx.get(base + "/api/v1/account/csrf", headers=cookies).json()["csrf_token"]
        if not self.session:
            cookies = {"Cookie": f"{CSRF_COOKIE}={token}"}
        return {**cookies, "X-CSRF-Token": token}

    def call(self, base: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", None) or self.headers(base)
        answer = httpx.request(method, base + path, headers=headers, timeout=60, **kwargs)
        if answer.cookies.get(SESSION_COOKIE):
            self.session = answer.cookies[SESSION_COOKIE]
        return answer

    def join(self, base: str, email: str) -> None:
        made = self.call(
            base, "POST", "/api/v1/account/register", json={"email": email, "password": PASSWORD}
        )
        assert made.status_code == 201, made.text
        given = self.call(
            base, "POST", "/api/v1/account/consent", json={"version": CONSENT_VERSION}
        )
        assert given.status_code == 200, given.text

    def note(self, base: str, words: str) -> None:
        made = self.call(base, "POST", "/api/v1/me/entries/note", json={"date": DAY, "text": words})
        assert made.status_code == 201, made.text

    def notes(self, base: str) -> list[str]:
        listed = self.call(base, "GET", "/api/v1/me/entries?kind=note")
        assert listed.status_code == 200, listed.text
        return [entry["text"] for entry in listed.json()]


def _last_seen(database_url: str) -> list[Any]:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            return list(connection.execute(text("SELECT last_seen FROM sessions")).scalars())
    finally:
        engine.dispose()


def test_a_slow_import_of_a_deleted_account_never_writes_into_the_next(
    database_url: str,
) -> None:
    with Store.open(database_url):  # migrated once, before either process starts
        pass
    with ExitStack() as stack:
        one = stack.enter_context(serving_multi_user(database_url))
        two = stack.enter_context(serving_multi_user(database_url))
        ana = Client()
        ana.join(one, "ana@example.org")
        ana.note(one, "ana's own note")
        export = ana.call(one, "GET", "/api/v1/me/export")
        assert export.status_code == 200, export.text
        body = export.content
        half = len(body) // 2

        # the import starts; its body stops halfway until the test says go on
        go_on = threading.Event()
        answers: list[httpx.Response] = []

        def slow_body() -> Iterator[bytes]:
            yield body[:half]
            go_on.wait(120)
            yield body[half:]

        headers = {**ana.headers(one), "Content-Type": "application/json"}
        before = _last_seen(database_url)
        importer = threading.Thread(
            target=lambda: answers.append(
                ana.call(
                    one,
                    "POST",
                    "/api/v1/me/import?replace=true",
                    content=slow_body(),
                    headers=headers,
                )
            )
        )
        importer.start()
        try:
            # the server has taken up the request once it has seen its session
            for _ in range(600):
                if _last_seen(database_url) != before:
                    break
                threading.Event().wait(0.05)
            else:
                raise AssertionError("the import request never reached the server")

            deleted = ana.call(two, "DELETE", "/api/v1/account/me", json={"password": PASSWORD})
            assert deleted.status_code == 200, deleted.text
            ben = Client()
            ben.join(two, "ben@example.org")
            ben.note(two, "ben's own note")
        finally:
            go_on.set()
            importer.join(120)
        assert not importer.is_alive()
        (answer,) = answers
        assert answer.status_code == 401, answer.text  # sign in: the account is gone
        for base in (one, two):
            assert ben.notes(base) == ["ben's own note"]
        kept = ben.call(one, "GET", "/api/v1/me/export").json()
        assert [n["text"] for n in kept["notes"]] == ["ben's own note"]
        assert kept["person"]["name"] != "ana"
