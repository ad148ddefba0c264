"""Sign-in limits that hold: atomic under parallel guesses, per account *and* address,
never a lock-out of the owner by strangers, and the same for current-password checks.

The policy (docs/security.md): within the window, 5 failures for one account from
one address, 20 from one address for any account, 100 for one account from all
addresses together (NIST SP 800-63B §5.2.2), the last of which does not stop an
address the account signed in from before, nor one of its own sessions.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient
from tests._browser import serving_multi_user

from magwise.store import Store
from magwise.web import Settings, create_app
from magwise.web.auth import CSRF_COOKIE, accounts_of
from magwise.web.people import close_store

PASSWORD = "a long and quiet river 42"
WRONG = "not the password at all"
OWNER = "198.51.100.2"
STRANGER = "203.0.113.7"
#: The documented default: failures for one account from one address, per window.
PER_ACCOUNT = 5


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    app = create_app(Settings(mode="server", database_url=database_url, warm_up=False))
    yield app
    close_store(app)


def browser(app: FastAPI, address: str) -> TestClient:
    return TestClient(
        app, base_url="https://testserver", follow_redirects=False, client=(address, 50000)
    )


def token(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.get("/api/v1/account/csrf").json()["csrf_token"]}


def post(client: TestClient, path: str, body: dict[str, str], method: str = "POST") -> Any:
    return client.request(method, path, json=body, headers=token(client))


def login(client: TestClient, email: str, password: str = PASSWORD) -> int:
    answer = post(client, "/api/v1/account/login", {"email": email, "password": password})
    return int(answer.status_code)


def owner(app: FastAPI, email: str) -> TestClient:
    """The owner's browser, at the address the account was opened from."""
    client = browser(app, OWNER)
    made = post(client, "/api/v1/account/register", {"email": email, "password": PASSWORD})
    assert made.status_code == 201, made.text
    return client


# -- item 4: strangers cannot lock the owner out ------------------------------------------


def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out(app: FastAPI) -> None:
    owner(app, "ana@example.org")
    stranger = browser(app, STRANGER)
    answers = [login(stranger, "ana@example.org", WRONG) for _ in range(PER_ACCOUNT + 3)]
    assert answers == [401] * PER_ACCOUNT + [429] * 3
    assert login(stranger, "ana@example.org") == 429  # the right password too, from there
    assert login(browser(app, OWNER), "ana@example.org") == 200


def test_guesses_from_many_addresses_stop_strangers_but_not_the_owner(app: FastAPI) -> None:
    accounts = accounts_of(app)
    accounts.limits = dataclasses.replace(accounts.limits, per_account_all=8)
    signed_in = owner(app, "ana@example.org")
    for n in range(8):  # a botnet: each address below its own limit
        assert login(browser(app, f"192.0.2.{n + 1}"), "ana@example.org", WRONG) == 401
    assert login(browser(app, "192.0.2.200"), "ana@example.org") == 429  # unknown address
    assert login(browser(app, OWNER), "ana@example.org") == 200  # an address known before
    # a browser with a session of the account signs in again from a new address
    roaming = browser(app, "192.0.2.201")
    roaming.cookies = signed_in.cookies
    assert login(roaming, "ana@example.org") == 200


# -- item 7: current-password checks are limited like signing in --------------------------


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("POST", "/api/v1/account/password", "password"),
        ("DELETE", "/api/v1/account/me", "password"),
    ],
)
def test_current_password_checks_are_limited(
    app: FastAPI, method: str, path: str, field: str
) -> None:
    client = owner(app, "ana@example.org")
    body = {"password": WRONG}
    if path.endswith("/password"):
        body["new_password"] = "another long and quiet river"
    answers = [post(client, path, body, method).status_code for _ in range(PER_ACCOUNT + 2)]
    assert answers == [401] * PER_ACCOUNT + [429] * 2
    refused = post(client, path, {**body, "password": PASSWORD}, method)
    assert refused.status_code == 429
    assert refused.json()["detail"][0]["field"] == field
    assert int(refused.headers["Retry-After"]) >= 1
    assert client.get("/api/v1/account/me").status_code == 200  # nothing was deleted


@pytest.mark.parametrize("path", ["/account/password", "/account/delete"])
def test_current_password_checks_on_the_account_page_are_limited(app: FastAPI, path: str) -> None:
    client = owner(app, "ana@example.org")
    form = {"password": WRONG, "new_password": "another long and quiet river"}
    answers = []
    for _ in range(PER_ACCOUNT + 1):
        form["csrf_token"] = token(client)["X-CSRF-Token"]
        answers.append(client.post(path, data=form).status_code)
    assert answers[-1] == 429
    assert 429 not in answers[:PER_ACCOUNT]
    assert client.get("/api/v1/account/me").status_code == 200


# -- item 3: atomic under parallel requests, across two server processes ------------------


@pytest.fixture
def servers(database_url: str) -> Iterator[tuple[str, str]]:
    with Store.open(database_url):
        pass
    with ExitStack() as stack:
        yield (
            stack.enter_context(serving_multi_user(database_url)),
            stack.enter_context(serving_multi_user(database_url)),
        )


def _csrf(base: str) -> dict[str, str]:
    got = httpx.get(base + "/api/v1/account/csrf")
    value = got.json()["csrf_token"]
    return {"Cookie": f"{CSRF_COOKIE}={value}", "X-CSRF-Token": value}


def test_thirty_parallel_wrong_passwords_get_at_most_the_limit_of_401s(
    servers: tuple[str, str],
) -> None:
    one, two = servers
    made = httpx.post(
        one + "/api/v1/account/register",
        json={"email": "ana@example.org", "password": PASSWORD},
        headers=_csrf(one),
    )
    assert made.status_code == 201, made.text
    bases = [(one, two)[n % 2] for n in range(30)]
    headers = {base: _csrf(base) for base in (one, two)}

    def guess(base: str) -> int:
        answer = httpx.post(
            base + "/api/v1/account/login",
            json={"email": "ana@example.org", "password": WRONG},
            headers=headers[base],
            timeout=120,
        )
        return answer.status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=30) as pool:
        counted = Counter(pool.map(guess, bases))
    print(f"\n30 parallel wrong passwords over two processes: {dict(counted)}")
    assert set(counted) <= {401, 429}
    assert counted[401] <= PER_ACCOUNT
    assert counted[429] == 30 - counted[401]
    assert counted[401] >= 1
