"""Server mode's accounts: passwords, sessions, CSRF, sign-in limits, consent, audit.

Every test runs the real app on the database of ``database_url``; time moves
through an injected clock, never by sleeping.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from argon2 import PasswordHasher
from argon2 import Type as Argon2Type
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import text
from starlette.testclient import TestClient
from tests._browser import serving_multi_user
from tests._web import local_client

from magwise.cli import cli
from magwise.errors import InputError
from magwise.web import Settings, create_app
from magwise.web.auth import CONSENT_VERSION, CSRF_COOKIE, SESSION_COOKIE, accounts_of
from magwise.web.auth.passwords import (
    COMMON,
    MAX_LENGTH,
    MIN_LENGTH,
    Hasher,
    check_new_password,
    common_passwords,
)
from magwise.web.guard import local_token
from magwise.web.people import close_store

PASSWORD = "a long and quiet river 42"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class Clock:
    """Naive UTC "now" that a test moves forward."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 30, 8, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def make_app(database_url: str, **settings: Any) -> FastAPI:
    return create_app(Settings(mode="server", database_url=database_url, warm_up=False, **settings))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(database_url: str, clock: Clock) -> Iterator[FastAPI]:
    app = make_app(database_url, login_max_per_account=3, login_max_per_address=6)
    accounts_of(app).clock = clock
    yield app
    close_store(app)


def browser(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def csrf(client: TestClient) -> dict[str, str]:
    token = client.get("/api/v1/account/csrf").json()["csrf_token"]
    return {"X-CSRF-Token": token}


def register(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/api/v1/account/register",
        json={"email": email, "password": password},
        headers=csrf(client),
    )


def login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/api/v1/account/login",
        json={"email": email, "password": password},
        headers=csrf(client),
    )


def consent(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/account/consent", json={"version": CONSENT_VERSION}, headers=csrf(client)
    )
    assert answer.status_code == 200, answer.text


def signed_up(app: FastAPI, email: str) -> TestClient:
    client = browser(app)
    assert register(client, email).status_code == 201
    consent(client)
    return client


def set_cookies(answer: Any) -> dict[str, str]:
    """The Set-Cookie headers of an answer, by cookie name (the whole header)."""
    found = {}
    for header in answer.headers.get_list("set-cookie"):
        found[header.split("=", 1)[0]] = header
    return found


def session_token(answer: Any) -> str:
    cookie: SimpleCookie = SimpleCookie()
    cookie.load(set_cookies(answer)[SESSION_COOKIE])
    return cookie[SESSION_COOKIE].value


# -- passwords ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("x" * (MIN_LENGTH - 1), "at least 12"),
        ("Short pass1", "at least 12"),
        ("y" * MIN_LENGTH, "one character repeated"),
        ("z" * (MAX_LENGTH + 1), "at most 128"),
        ("qwerty123456", "commonly used"),
        ("QWERTY123456", "commonly used"),
        ("1qaz2wsx3edc", "commonly used"),
        ("someone@example.org", "your e-mail"),
        ("password1234", "too easy to guess"),
        ("Passwort1234", "too easy to guess"),
        ("a" * 11 + "b", "too easy to guess"),
        ("p" * 64 + "q" * 64, "too easy to guess"),
        ("someone@example.org2026", "too easy to guess"),
    ],
)
def test_bad_passwords_are_refused_naming_the_field(password: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        check_new_password(password, "someone@example.org")
    assert caught.value.field == "password"
    assert says in caught.value.message


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Grüße aus Köln 🌧",  # any characters, no composition rules
        "a8f!kq2m#z9L",
        ("p" * 72 + "correct horse battery staple" + "q" * 64)[:MAX_LENGTH],
    ],
)
def test_good_passwords_pass(password: str) -> None:
    check_new_password(password, "someone@example.org")


def test_the_common_password_list_names_its_source_and_holds_long_entries() -> None:
    header = COMMON.read_text(encoding="utf-8").splitlines()[:8]
    assert any("SecLists" in line for line in header)
    common = common_passwords()
    assert "password" in common
    assert sum(len(p) >= MIN_LENGTH for p in common) >= 20
    assert all(p == p.casefold() for p in common)


def test_the_common_password_list_is_the_10000_most_common_with_its_licence() -> None:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if not line.startswith("#")]
    assert len(entries) >= 10_000
    assert entries[:3] == ["123456", "password", "12345678"]  # most common first
    header = "\n".join(line for line in lines if line.startswith("#"))
    assert "MIT" in header and "Permission is hereby granted" in header
    assert "74d9d3259d82c441c1217104cb7debd5912178b6" in header


@pytest.mark.parametrize(
    ("lang", "says"), [("en", "too easy to guess"), ("de", "zu leicht zu erraten")]
)
def test_a_guessable_password_is_refused_on_the_api_and_the_page(
    app: FastAPI, lang: str, says: str
) -> None:
    refused = register(browser(app), "weak@example.org", "password1234")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "password"
    assert "too easy to guess" in refused.json()["detail"][0]["msg"]
    client = browser(app)
    token = csrf(client)["X-CSRF-Token"]
    page = client.post(
        f"/account/register?lang={lang}",
        data={"email": "weak@example.org", "password": "password1234", "csrf_token": token},
    )
    assert page.status_code == 422
    assert says in page.text
    assert login(browser(app), "weak@example.org", "password1234").status_code == 401


def test_hashes_are_argon2id_with_at_least_owasps_parameters(
    app: FastAPI, database_url: str
) -> None:
    client = browser(app)
    assert register(client, "hash@example.org").status_code == 201
    with accounts_of(app).engine.begin() as db:
        stored = db.execute(text("SELECT password_hash FROM accounts")).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored
    with pytest.raises(ValueError, match="OWASP"):
        Hasher(memory_kib=8192)


def test_a_hash_made_with_other_parameters_is_replaced_at_sign_in(app: FastAPI) -> None:
    client = browser(app)
    assert register(client, "old@example.org").status_code == 201
    old = PasswordHasher(time_cost=3, memory_cost=19456, parallelism=1, type=Argon2Type.ID)
    with accounts_of(app).engine.begin() as db:
        db.execute(text("UPDATE accounts SET password_hash = :h"), {"h": old.hash(PASSWORD)})
    assert login(browser(app), "old@example.org").status_code == 200
    with accounts_of(app).engine.begin() as db:
        stored = db.execute(text("SELECT password_hash FROM accounts")).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert login(browser(app), "old@example.org").status_code == 200


# -- registration and sign-in -----------------------------------------------------


def test_register_refuses_a_bad_password_with_a_422_naming_it(app: FastAPI) -> None:
    answer = register(browser(app), "weak@example.org", "qwerty123456")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "password"]
    assert "commonly used" in answer.json()["detail"][0]["msg"]
    assert register(browser(app), "not-an-address", PASSWORD).json()["detail"][0]["loc"] == [
        "body",
        "email",
    ]


def test_addresses_are_unique_whatever_their_case(app: FastAPI) -> None:
    assert register(browser(app), "Case@Example.org").status_code == 201
    again = register(browser(app), "case@example.ORG")
    assert again.status_code == 422
    assert login(browser(app), "CASE@example.org").status_code == 200


def test_sign_in_failures_say_the_same_for_unknown_and_known_accounts(app: FastAPI) -> None:
    assert register(browser(app), "known@example.org").status_code == 201
    wrong = login(browser(app), "known@example.org", "not the password at all")
    unknown = login(browser(app), "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert SESSION_COOKIE not in set_cookies(wrong)


# -- sessions ---------------------------------------------------------------------


def test_the_session_cookie_is_host_only_secure_httponly_samesite(app: FastAPI) -> None:
    answer = register(browser(app), "cookie@example.org")
    header = set_cookies(answer)[SESSION_COOKIE]
    parts = {p.strip().split("=")[0].lower() for p in header.split(";")}
    assert {"secure", "httponly", "path"} <= parts
    assert "samesite=lax" in header.lower()
    assert "path=/" in header.lower()
    assert "domain" not in parts
    assert "max-age" not in parts  # ends with the browser; the server ends it sooner
    assert header.startswith("__Host-")
    csrf_header = set_cookies(browser(app).get("/api/v1/account/csrf"))[CSRF_COOKIE]
    assert "secure" in csrf_header.lower()
    assert "domain" not in csrf_header.lower()


def test_signing_in_rotates_the_session_id_and_ends_the_old_one(app: FastAPI) -> None:
    client = browser(app)
    first = session_token(register(client, "rotate@example.org"))
    second = session_token(login(client, "rotate@example.org"))
    assert first != second
    assert client.get("/api/v1/account/me").status_code == 200
    replay = browser(app)
    replay.cookies.set(SESSION_COOKIE, first)
    assert replay.get("/api/v1/account/me").status_code == 401
    with accounts_of(app).engine.begin() as db:
        stored = db.execute(text("SELECT token_hash FROM sessions")).scalars().all()
    assert len(stored) == 1
    assert second not in stored[0]  # only a hash is kept
    assert len(stored[0]) == 64


def test_a_session_ends_after_the_idle_timeout(app: FastAPI, clock: Clock) -> None:
    client = browser(app)
    register(client, "idle@example.org")
    clock.advance(minutes=29)
    assert client.get("/api/v1/account/me").status_code == 200
    clock.advance(minutes=29)  # idle time restarted at the last request
    assert client.get("/api/v1/account/me").status_code == 200
    clock.advance(minutes=31)
    answer = client.get("/api/v1/account/me")
    assert answer.status_code == 401
    assert answer.json()["detail"][0]["type"] == "not_signed_in"


def test_a_session_ends_after_the_absolute_timeout(app: FastAPI, clock: Clock) -> None:
    client = browser(app)
    register(client, "absolute@example.org")
    for _ in range(12 * 3 - 1):
        clock.advance(minutes=20)
        assert client.get("/api/v1/account/me").status_code == 200
    clock.advance(minutes=21)
    assert client.get("/api/v1/account/me").status_code == 401


def test_logout_ends_the_session_on_the_server(app: FastAPI) -> None:
    client = browser(app)
    token = session_token(register(client, "logout@example.org"))
    answer = client.post("/api/v1/account/logout", headers=csrf(client))
    assert answer.status_code == 204
    assert "max-age=0" in set_cookies(answer)[SESSION_COOKIE].lower()
    replay = browser(app)
    replay.cookies.set(SESSION_COOKIE, token)
    assert replay.get("/api/v1/account/me").status_code == 401
    with accounts_of(app).engine.begin() as db:
        assert db.execute(text("SELECT count(*) FROM sessions")).scalar_one() == 0


# -- CSRF -------------------------------------------------------------------------


def unsafe_routes(app: FastAPI) -> list[tuple[str, str]]:
    found = []
    for context in iter_route_contexts(app.routes):
        for method in sorted((context.methods or set()) & UNSAFE):
            found.append((method, str(context.path)))
    return found


def concrete(path: str) -> str:
    return path.replace("{entry_id}", "1").replace("{name}", "x").replace("{", "").replace("}", "")


def test_every_unsafe_route_refuses_a_missing_or_wrong_csrf_token(app: FastAPI) -> None:
    routes = unsafe_routes(app)
    assert ("POST", "/api/v1/account/login") in routes
    assert ("POST", "/account/sign-in") in routes
    assert len(routes) >= 15
    signed_in = signed_up(app, "csrf@example.org")
    anonymous = browser(app)
    anonymous.get("/api/v1/account/csrf")
    for client in (signed_in, anonymous):
        for method, path in routes:
            url = concrete(path)
            for headers in ({}, {"X-CSRF-Token": "wrong-token-0123456789abcdef"}):
                answer = client.request(method, url, json={}, headers=headers)
                assert answer.status_code == 403, (method, path, headers, answer.text)
                assert answer.json()["detail"][0]["type"] == "csrf"
            form = client.request(method, url, data={"csrf_token": "wrong-token-0123456789abcdef"})
            assert form.status_code == 403, (method, path)
    assert signed_in.get("/api/v1/account/me").status_code == 200  # nothing was ended


def test_the_token_of_another_session_is_refused(app: FastAPI) -> None:
    one = signed_up(app, "one@example.org")
    other = signed_up(app, "other@example.org")
    answer = one.post("/api/v1/account/logout", headers=csrf(other))
    assert answer.status_code == 403
    assert one.get("/api/v1/account/me").status_code == 200


def test_a_form_carries_the_token_as_a_field(app: FastAPI) -> None:
    client = browser(app)
    page = client.get("/account/sign-in?lang=en")
    assert page.status_code == 200
    token = client.get("/api/v1/account/csrf").json()["csrf_token"]
    assert f'name="csrf_token" value="{token}"' in page.text
    register(browser(app), "form@example.org")
    answer = client.post(
        "/account/sign-in",
        data={"email": "form@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 303
    assert SESSION_COOKIE in set_cookies(answer)
    assert client.get("/account").status_code == 200


# -- sign-in limits -----------------------------------------------------------------


def test_failed_sign_ins_are_limited_per_account_with_retry_after(
    app: FastAPI, clock: Clock
) -> None:
    register(browser(app), "limit@example.org")
    for _ in range(3):
        assert login(browser(app), "limit@example.org", "wrong wrong wrong").status_code == 401
    refused = login(browser(app), "limit@example.org")  # even the right password
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    clock.advance(minutes=15, seconds=1)
    assert login(browser(app), "limit@example.org").status_code == 200


def test_failed_sign_ins_are_limited_per_client_address(app: FastAPI) -> None:
    register(browser(app), "victim@example.org")
    for n in range(6):
        assert login(browser(app), f"guess{n}@example.org", "wrong wrong wrong").status_code == 401
    assert login(browser(app), "victim@example.org").status_code == 429


def test_the_limit_is_shared_by_processes_on_one_database(
    app: FastAPI, database_url: str, clock: Clock
) -> None:
    other = make_app(database_url, login_max_per_account=3, login_max_per_address=6)
    accounts_of(other).clock = clock
    register(browser(app), "shared@example.org")
    for client_app in (app, other, app):
        login(browser(client_app), "shared@example.org", "wrong wrong wrong")
    assert login(browser(other), "shared@example.org").status_code == 429
    close_store(other)


# -- consent and the audit trail ------------------------------------------------------


def test_health_data_waits_for_consent(app: FastAPI) -> None:
    client = browser(app)
    register(client, "consent@example.org")
    api = client.get("/api/v1/me/entries")
    assert api.status_code == 403
    assert api.json()["detail"][0]["type"] == "consent_required"
    page = client.get("/today")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/account/consent?next=/today")
    wrong = client.post("/api/v1/account/consent", json={"version": "1999"}, headers=csrf(client))
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "version"]
    consent(client)
    me = client.get("/api/v1/account/me").json()
    assert me["consent_version"] == CONSENT_VERSION
    assert me["consent_at"] is not None
    assert client.get("/api/v1/me/entries").status_code == 200
    assert client.get("/today").status_code == 200


def test_the_consent_page_records_consent(app: FastAPI) -> None:
    client = browser(app)
    register(client, "page@example.org")
    token = csrf(client)["X-CSRF-Token"]
    page = client.get("/account/consent?next=/today&lang=de")
    assert page.status_code == 200
    assert "Einwilligung" in page.text
    missing = client.post("/account/consent", data={"csrf_token": token, "next": "/today"})
    assert missing.status_code == 422
    given = client.post(
        "/account/consent",
        data={"csrf_token": token, "next": "/today", "agree": CONSENT_VERSION},
    )
    assert given.status_code == 303
    assert given.headers["location"] == "/today"
    assert client.get("/today").status_code == 200


def test_without_a_session_health_data_asks_to_sign_in(app: FastAPI) -> None:
    client = browser(app)
    assert client.get("/api/v1/me/entries").status_code == 401
    page = client.get("/progress")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/account/sign-in?next=/progress")


def test_every_access_to_health_data_is_audited(app: FastAPI) -> None:
    client = signed_up(app, "audit@example.org")
    other = signed_up(app, "audit-other@example.org")
    assert client.get("/api/v1/me/entries").status_code == 200
    note = client.post(
        "/api/v1/me/entries/note", json={"text": "slept badly"}, headers=csrf(client)
    )
    assert note.status_code == 201, note.text
    assert other.get("/api/v1/me/entries").status_code == 200
    trail = client.get("/api/v1/account/audit").json()
    seen = [(e["action"], e["method"], e["path"], e["outcome"]) for e in trail]
    assert ("health_data_read", "GET", "/api/v1/me/entries", "200") in seen
    assert ("health_data_write", "POST", "/api/v1/me/entries/note", "201") in seen
    assert ("consent", "POST", "/api/v1/account/consent", CONSENT_VERSION) in seen
    assert ("register", "POST", "/api/v1/account/register", "ok") in seen
    assert all(e["client"] == "testclient" for e in trail)
    assert len([e for e in seen if e[0].startswith("health_data")]) == 2  # not the other's
    page = client.get("/account")
    assert "/api/v1/me/entries/note" in page.text


def test_failed_sign_ins_are_audited_for_the_account(app: FastAPI) -> None:
    client = signed_up(app, "watch@example.org")
    login(browser(app), "watch@example.org", "wrong wrong wrong")
    with accounts_of(app).engine.begin() as db:
        outcomes = db.execute(
            text("SELECT outcome FROM audit_events WHERE action = 'sign_in'")
        ).scalars()
        assert "failed" in list(outcomes)
    assert client.get("/api/v1/account/me").status_code == 200


# -- pages and deleting an account -------------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [("en", "Create an account"), ("de", "Konto anlegen")])
def test_the_account_pages_speak_both_languages(app: FastAPI, lang: str, words: str) -> None:
    client = browser(app)
    page = client.get(f"/account/register?lang={lang}")
    assert page.status_code == 200
    assert words in page.text
    assert 'name="csrf_token"' in page.text
    assert "/account/sign-in" in page.text  # base.html links to signing in


def test_registering_on_the_page_leads_to_consent(app: FastAPI) -> None:
    client = browser(app)
    token = csrf(client)["X-CSRF-Token"]
    weak = client.post(
        "/account/register?lang=de",
        data={"email": "p@example.org", "password": "kurz", "csrf_token": token},
    )
    assert weak.status_code == 422
    assert "mindestens 12 Zeichen" in weak.text
    made = client.post(
        "/account/register?lang=en",
        data={"email": "p@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert made.status_code == 303
    assert made.headers["location"].startswith("/account/consent")


def test_the_sign_in_page_refuses_open_redirects(app: FastAPI) -> None:
    register(browser(app), "next@example.org")
    client = browser(app)
    token = csrf(client)["X-CSRF-Token"]
    answer = client.post(
        "/account/sign-in",
        data={
            "email": "next@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/account"


def test_deleting_the_account_forgets_everything(app: FastAPI) -> None:
    client = signed_up(app, "gone@example.org")
    note = client.post(
        "/api/v1/me/entries/note", json={"text": "to be forgotten"}, headers=csrf(client)
    )
    assert note.status_code == 201
    wrong = client.request(
        "DELETE",
        "/api/v1/account/me",
        json={"password": "not my password at all"},
        headers=csrf(client),
    )
    assert wrong.status_code == 401
    answer = client.request(
        "DELETE", "/api/v1/account/me", json={"password": PASSWORD}, headers=csrf(client)
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["deleted"]["note"] == 1
    assert client.get("/api/v1/account/me").status_code == 401
    with accounts_of(app).engine.begin() as db:
        for table in ("accounts", "sessions", "persons", "note_entries", "entries"):
            assert db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table
        left = db.execute(text("SELECT action, account_id FROM audit_events")).all()
    assert [tuple(row) for row in left] == [("account_deleted", None)]
    assert login(browser(app), "gone@example.org").status_code == 401


def test_deleting_on_the_account_page(app: FastAPI) -> None:
    client = signed_up(app, "pagegone@example.org")
    token = csrf(client)["X-CSRF-Token"]
    wrong = client.post("/account/delete", data={"password": "nope", "csrf_token": token})
    assert wrong.status_code == 401
    answer = client.post("/account/delete", data={"password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303
    assert login(browser(app), "pagegone@example.org").status_code == 401


def test_local_mode_has_no_accounts(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, warm_up=False))
    with local_client(app) as client:
        assert client.get("/api/v1/account/me").status_code == 404
        assert client.get("/api/v1/me/entries").status_code == 200
        assert "set-cookie" not in client.get("/").headers


# -- magwise serve --multi-user ------------------------------------------------------


def _register_over_http(base: str, email: str, forwarded_for: str) -> list[Any]:
    with httpx.Client(base_url=base) as http:
        token = http.get("/api/v1/account/csrf").json()["csrf_token"]
        headers = {
            "X-CSRF-Token": token,
            "Cookie": f"{CSRF_COOKIE}={token}",
            "X-Forwarded-For": forwarded_for,
        }
        made = http.post(
            "/api/v1/account/register",
            json={"email": email, "password": PASSWORD},
            headers=headers,
        )
        assert made.status_code == 201, made.text
        session = session_token(made)
        trail = http.get("/api/v1/account/audit", headers={"Cookie": f"{SESSION_COOKIE}={session}"})
        assert trail.status_code == 200
        return [entry["client"] for entry in trail.json()]


def test_serve_multi_user_trusts_proxy_headers_only_when_told(database_url: str) -> None:
    with serving_multi_user(database_url) as base:
        assert _register_over_http(base, "direct@example.org", "203.0.113.9") == ["127.0.0.1"]
    with serving_multi_user(database_url, "--forwarded-allow-ips", "127.0.0.1") as base:
        assert _register_over_http(base, "proxied@example.org", "203.0.113.9") == ["203.0.113.9"]


def test_serve_refuses_the_example_in_server_mode() -> None:
    out = CliRunner().invoke(cli, ["serve", "--multi-user", "--example"])
    assert out.exit_code == 2
    assert "--example" in out.stderr


# -- every form of every page carries the token ------------------------------------------


def _post_forms(html: str) -> list[str]:
    return re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S | re.I)


def _pages(app: FastAPI) -> list[str]:
    pages = []
    for context in iter_route_contexts(app.routes):
        path = str(context.path)
        if (
            "GET" in (context.methods or ())
            and not path.startswith(("/api/", "/openapi", "/partials"))
            and "{" not in path
        ):
            pages.append(path)
    return pages


@pytest.mark.parametrize("lang", ["en"])
def test_every_post_form_of_every_page_carries_the_csrf_token(app: FastAPI, lang: str) -> None:
    client = signed_up(app, "forms@example.org")
    token = csrf(client)["X-CSRF-Token"]
    missing = []
    seen = 0
    for path in _pages(app):
        page = client.get(f"{path}?lang={lang}")
        if page.status_code != 200 or 'class="site-header"' not in page.text:
            continue  # not one of magwise's own pages (the API docs, say)
        assert f'"X-CSRF-Token": "{token}"' in page.text, path  # htmx requests send it
        for form in _post_forms(page.text):
            seen += 1
            if f'name="csrf_token" value="{token}"' not in form:
                missing.append(path)
    assert seen >= 5
    assert missing == []


# -- changing the password, signing out everywhere, registration limits ---------------------


def test_changing_the_password_ends_every_other_session(app: FastAPI) -> None:
    here = signed_up(app, "change@example.org")
    there = browser(app)
    assert login(there, "change@example.org").status_code == 200
    wrong = here.post(
        "/api/v1/account/password",
        json={"password": "not the password at all", "new_password": "a brand new passphrase"},
        headers=csrf(here),
    )
    assert wrong.status_code == 401
    weak = here.post(
        "/api/v1/account/password",
        json={"password": PASSWORD, "new_password": "qwerty123456"},
        headers=csrf(here),
    )
    assert weak.status_code == 422
    assert weak.json()["detail"][0]["loc"] == ["body", "new_password"]
    assert there.get("/api/v1/account/me").status_code == 200  # nothing changed yet
    done = here.post(
        "/api/v1/account/password",
        json={"password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=csrf(here),
    )
    assert done.status_code == 204
    assert here.get("/api/v1/account/me").status_code == 200
    assert there.get("/api/v1/account/me").status_code == 401
    assert login(browser(app), "change@example.org").status_code == 401
    assert login(browser(app), "change@example.org", "a brand new passphrase").status_code == 200


def test_changing_the_password_on_the_account_page(app: FastAPI) -> None:
    client = signed_up(app, "pagechange@example.org")
    token = csrf(client)["X-CSRF-Token"]
    weak = client.post(
        "/account/password?lang=de",
        data={"password": PASSWORD, "new_password": "kurz", "csrf_token": token},
    )
    assert weak.status_code == 422
    assert "mindestens 12 Zeichen" in weak.text
    done = client.post(
        "/account/password",
        data={"password": PASSWORD, "new_password": "another fine passphrase", "csrf_token": token},
    )
    assert done.status_code == 303
    assert "done=password" in done.headers["location"]


def test_signing_out_everywhere(app: FastAPI) -> None:
    one = signed_up(app, "everywhere@example.org")
    two = browser(app)
    login(two, "everywhere@example.org")
    answer = one.post("/api/v1/account/logout-everywhere", headers=csrf(one))
    assert answer.status_code == 204
    assert one.get("/api/v1/account/me").status_code == 401
    assert two.get("/api/v1/account/me").status_code == 401


def test_registrations_are_limited_per_client_address(app: FastAPI) -> None:
    for n in range(6):
        assert register(browser(app), f"many{n}@example.org").status_code == 201
    refused = register(browser(app), "one-too-many@example.org")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1


def test_server_answers_are_not_cached(app: FastAPI) -> None:
    client = signed_up(app, "cache@example.org")
    assert client.get("/api/v1/me/entries").headers["cache-control"] == "no-store"
    assert client.get("/account").headers["cache-control"] == "no-store"


# -- in a real browser -------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (/usr/bin/chromium)")
def test_a_browser_registers_consents_logs_and_signs_out(database_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with serving_multi_user(database_url) as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = chromium.new_page()
            page.goto(f"{base}/today?lang=en")
            assert "/account/sign-in" in page.url  # health data needs an account
            page.goto(f"{base}/account/register?lang=en")
            page.fill("#email", "browser@example.org")
            page.fill("#password", PASSWORD)
            page.click("button.primary")
            page.wait_for_url("**/account/consent**")
            page.check("#agree")
            page.click("button.primary")
            page.wait_for_url("**/account")
            cookies = {c["name"]: c for c in page.context.cookies()}
            session = cookies[SESSION_COOKIE]
            assert session["secure"] and session["httpOnly"]
            assert session["sameSite"] == "Lax"
            page.goto(f"{base}/today?lang=en")
            assert page.url.startswith(f"{base}/today")
            page.click("header form button")  # sign out, in the header of every page
            page.wait_for_url("**/account/sign-in**")
            page.goto(f"{base}/today?lang=en")
            assert "/account/sign-in" in page.url
        finally:
            chromium.close()


def test_an_unreadable_form_is_refused_like_a_missing_token(app: FastAPI) -> None:
    client = browser(app)
    client.get("/api/v1/account/csrf")
    answer = client.post(
        "/account/sign-in",
        content=b"--xyz\r\nContent-Disposition: broken\r\n\r\n",
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert answer.status_code == 403
    assert answer.json()["detail"][0]["type"] == "csrf"


class CountingHasher(Hasher):
    """The real argon2id hasher, counting its verifications."""

    verified = 0

    def verify(self, encoded: str, password: str) -> bool:
        self.verified += 1
        return super().verify(encoded, password)


def test_an_unknown_address_costs_one_verification_like_a_known_one(app: FastAPI) -> None:
    register(browser(app), "real@example.org")
    counting = CountingHasher()
    accounts_of(app).hasher = counting
    login(browser(app), "real@example.org", "not the password at all")
    assert counting.verified == 1
    login(browser(app), "ghost@example.org", "not the password at all")
    assert counting.verified == 2


def test_the_api_docs_try_it_out_sends_the_csrf_token(app: FastAPI) -> None:
    local = create_app(Settings(warm_up=False))
    with local_client(local) as mine:  # local mode has its token too
        assert f'content="{local_token(local)}"' in mine.get("/docs").text
    client = signed_up(app, "docs@example.org")
    token = csrf(client)["X-CSRF-Token"]
    page = client.get("/docs").text
    assert f'<meta name="csrf-token" content="{token}">' in page
    assert '<script src="/static/apidocs.js"></script>' in page  # sends it: no inline script
    script = client.get("/static/apidocs.js").text
    assert 'request.headers["X-CSRF-Token"] = token' in script
