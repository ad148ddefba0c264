"""Several ``magwise serve --multi-user`` processes on one database serve the same people.

Two server processes share one store (PostgreSQL, or one SQLite file): a session
made on one is honoured by the other, writes through either are seen by both at
once, concurrent writes all land, signing out on one ends the session on both,
and another account sees none of it. Cookies are handled by hand because they are
``Secure`` and these servers speak plain HTTP on loopback.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx2 as httpx
import pytest
from tests._browser import serving_multi_user

from magwise.store import Store
from magwise.web.auth import CONSENT_VERSION, CSRF_COOKIE, SESSION_COOKIE

PASSWORD = "a long and quiet river 42"
DAY = "2026-11-02"


class Visitor:
    """One person's cookies, used against any of the servers."""

    def __init__(self) -> None:
        self.session = ""

    def headers(self, base: str) -> dict[str, str]:
        """A CSRF token fetched from ``base`` for this visitor, with the cookies it needs."""
        with httpx.Client(base_url=base) as http:
            answer = http.get("/api/v1/account/csrf", headers=self._cookies())
            token = answer.json()["csrf_token"]
        cookies = self._cookies()
        if not self.session:  # before signing in: the double-submit cookie
            cookies["Cookie"] = f"{CSRF_COOKIE}={token}"
        return {**cookies, "X-CSRF-Token": token}

    def _cookies(self) -> dict[str, str]:
        return {"Cookie": f"{SESSION_COOKIE}={self.session}"} if self.session else {}

    def call(self, base: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers(base) if method != "GET" else self._cookies()
        answer = httpx.request(method, base + path, headers=headers, timeout=30, **kwargs)
        session = answer.cookies.get(SESSION_COOKIE)
        if session is not None:
            self.session = session
        return answer

    def sign_up(self, base: str, email: str) -> None:
        made = self.call(base, "POST", "/api/v1/account/register", json=self.account(email))
        assert made.status_code == 201, made.text
        assert self.session

    @staticmethod
    def account(email: str) -> dict[str, str]:
        return {"email": email, "password": PASSWORD}


@pytest.fixture
def servers(database_url: str) -> Iterator[tuple[str, str]]:
    with Store.open(database_url):  # migrated once, before either process starts
        pass
    with ExitStack() as stack:
        first = stack.enter_context(serving_multi_user(database_url))
        second = stack.enter_context(serving_multi_user(database_url))
        yield first, second


def note(visitor: Visitor, base: str, text: str) -> int:
    made = visitor.call(base, "POST", "/api/v1/me/entries/note", json={"date": DAY, "text": text})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def notes(visitor: Visitor, base: str) -> list[tuple[int, str]]:
    listed = visitor.call(base, "GET", "/api/v1/me/entries?kind=note")
    assert listed.status_code == 200, listed.text
    return [(entry["id"], entry["text"]) for entry in listed.json()]


def test_two_processes_serve_the_same_people(servers: tuple[str, str]) -> None:
    one, two = servers
    ana = Visitor()
    ana.sign_up(one, "ana@example.org")
    # the session made by the first process is honoured by the second
    given = ana.call(two, "POST", "/api/v1/account/consent", json={"version": CONSENT_VERSION})
    assert given.status_code == 200, given.text
    first = note(ana, one, "written through the first process")
    assert notes(ana, two) == [(first, "written through the first process")]

    # writes through both at once all land, each once, and both see the same log
    texts = [f"note {i}" for i in range(24)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(lambda i: note(ana, (one, two)[i % 2], texts[i]), range(len(texts))))
    assert len(set(ids)) == len(texts)
    seen_one, seen_two = notes(ana, one), notes(ana, two)
    assert seen_one == seen_two
    assert sorted(text for _, text in seen_one[1:]) == sorted(texts)

    # another account, on either process, sees none of it and cannot touch it
    ben = Visitor()
    ben.sign_up(two, "ben@example.org")
    assert ben.call(one, "POST", "/api/v1/account/consent", json={"version": CONSENT_VERSION})
    assert notes(ben, one) == []
    assert ben.call(two, "GET", f"/api/v1/me/entries/{first}").status_code == 404
    assert ben.call(one, "DELETE", f"/api/v1/me/entries/{first}").status_code == 404
    assert notes(ana, two) == seen_one

    # signing out through one process ends the session for both
    assert ana.call(two, "POST", "/api/v1/account/logout").status_code == 204
    for base in (one, two):
        assert ana.call(base, "GET", "/api/v1/me/entries").status_code == 401
