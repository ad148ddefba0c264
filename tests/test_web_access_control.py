"""Access control in server mode: one account never reaches another's data.

The routes are enumerated from the app, so a route added later is covered (or
makes the classification test fail until it is classified), and every operation
of /openapi.json is among them. Account B calls every route -- every operation of
/openapi.json and every page, public, personal or of the account, those that
sign B out too (B signs in again) -- with every id and name that belongs to
account A: a personal route naming A's id or name answers 404, no answer shows
anything of A's, and A's export is the same afterwards. The counts are printed
at the end of the run (section "figures").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.testclient import TestClient
from tests._summary import SUMMARY

from magwise.foods import OwnFood
from magwise.store import Store
from magwise.store._export import export_data
from magwise.web import Settings, create_app
from magwise.web.auth import CONSENT_VERSION
from magwise.web.people import app_store, close_store, get_person

PASSWORD = "a long and quiet river 42"
SECRET = "A-secret-7f3a9c"  # in A's product and water names (B names them in its requests)
HIDDEN = "A-hidden-51d2e8"  # in A's notes, which B never names: must never reach B
DAY = dt.date(2026, 11, 20)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

#: Pages and API routes that show no one's personal data.
PUBLIC = {
    "/",
    "/assessment",
    "/questionnaire",  # the questionnaire filled from the case file it is sent
    "/case",
    "/sources",
    "/docs",
    "/openapi.json",
    "/partials/foods",
    "/partials/food-row",
    "/partials/nothing",
    "/api/v1/health",
    "/api/v1/assess",
    "/api/v1/foods",
    "/api/v1/foods/top",
    "/api/v1/foods/{ndb}",
    "/api/v1/reference",
    "/api/v1/codes",
    "/api/v1/schemas/{which}",
    "/account/register",
    "/account/sign-in",
    "/account/sign-out",
    # a calendar feed: opened by the secret in its URL alone (tests/test_reminders.py)
    "/calendar/{token}.ics",
}
#: Routes of the signed-in account itself (not of its person's log).
ACCOUNT = {
    "/account",
    "/account/consent",
    "/account/delete",
    "/api/v1/account/csrf",
    "/api/v1/account/register",
    "/api/v1/account/login",
    "/api/v1/account/logout",
    "/api/v1/account/me",
    "/api/v1/account/consent",
    "/api/v1/account/audit",
    "/api/v1/account/password",
    "/api/v1/account/logout-everywhere",
    "/account/password",
    "/account/sign-out-everywhere",
}
#: Account routes that would end B's session (each has a test of its own).
SIGNS_B_OUT = {
    "/account/delete",
    "/account/sign-out",
    "/account/sign-out-everywhere",
    "/api/v1/account/logout",
    "/api/v1/account/logout-everywhere",
}
#: Path parameters that name something of a person's, and how B fills them with A's.
ID_PARAMS = {
    "entry_id": "entries",
    "id": "entries",
    "photo_id": "entries",
    "food_id": "own_foods",
}
NAME_PARAMS = {"name": "names"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    personal: bool  # depends on PersonDep


def _uses(dependant: Dependant, call: Any) -> bool:
    return dependant.call is call or any(_uses(d, call) for d in dependant.dependencies)


def endpoints(app: FastAPI) -> list[Endpoint]:
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        personal = _uses(route.dependant, get_person)
        for method in sorted(context.methods or ()):
            found.append(Endpoint(method, str(context.path), personal))
    return found


def server_app(database_url: str) -> FastAPI:
    return create_app(Settings(mode="server", database_url=database_url, warm_up=False))


def csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.get("/api/v1/account/csrf").json()["csrf_token"]}


def account(app: FastAPI, email: str) -> tuple[TestClient, int]:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    made = client.post(
        "/api/v1/account/register",
        json={"email": email, "password": PASSWORD},
        headers=csrf(client),
    )
    assert made.status_code == 201, made.text
    given = client.post(
        "/api/v1/account/consent", json={"version": CONSENT_VERSION}, headers=csrf(client)
    )
    assert given.status_code == 200
    return client, made.json()["id"]


def person_of(store: Store, account_id: int) -> int:
    from sqlalchemy import text

    engine = store._db.engine  # type: ignore[attr-defined]
    with engine.begin() as db:
        return int(
            db.execute(
                text("SELECT person_id FROM accounts WHERE id = :a"), {"a": account_id}
            ).scalar_one()
        )


@dataclass
class World:
    app: FastAPI
    store: Store
    a: TestClient
    b: TestClient
    a_person: int
    b_person: int
    entries: list[int]
    names: list[str]
    own_foods: list[int]

    def a_state(self) -> tuple[dict[str, Any], list[int]]:
        ids = sorted(e.id for e in self.store.entries(self.a_person, None, None, ()))
        return export_data(self.store, self.a_person), ids


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    app = server_app(database_url)
    a, a_id = account(app, "a@example.org")
    b, b_id = account(app, "b@example.org")
    store = app_store(app)
    me = person_of(store, a_id)
    entries = [
        store.add_note(me, DAY, f"{HIDDEN} note"),
        store.add_water(me, DAY, liters=1.5, mg_per_liter=108, name=f"{SECRET} water"),
        store.add_note(me, DAY + dt.timedelta(days=1), f"{HIDDEN} second"),
        store.add_food(me, DAY, "12014", description="Seeds, pumpkin", grams=30, meal="snack"),
    ]
    store.define_product(me, f"{SECRET} product", elemental_mg_per_unit=150)
    store.define_water(me, f"{SECRET} water", mg_per_liter=108)
    own = store.own_foods.add(me, OwnFood(0, f"{SECRET} bread", 80.0))
    store.meals.save(me, f"{SECRET} meal", list(store.record(me).foods))
    yield World(
        app,
        store,
        a,
        b,
        me,
        person_of(store, b_id),
        entries,
        [f"{SECRET} product", f"{SECRET} water", f"{SECRET} meal"],
        [own.id],
    )
    close_store(app)


def test_every_route_is_classified(database_url: str) -> None:
    """A route of a person's data depends on PersonDep; every other route is listed here."""
    app = server_app(database_url)
    unclassified = []
    for endpoint in endpoints(app):
        if endpoint.personal:
            continue
        if endpoint.path in PUBLIC or endpoint.path in ACCOUNT:
            continue
        unclassified.append((endpoint.method, endpoint.path))
    assert unclassified == [], (
        "routes that show personal data must depend on PersonDep; "
        "public and account routes must be listed in this test"
    )
    personal = [e for e in endpoints(app) if e.personal]
    assert all(not e.path.startswith(("/api/v1/account", "/account")) for e in personal)
    for endpoint in personal:  # every personal route's path parameter is one we can fill
        for param in re.findall(r"{(\w+)}", endpoint.path):
            assert param in ID_PARAMS or param in NAME_PARAMS, (endpoint.path, param)


def _fill(path: str, world: World) -> list[str]:
    """Every concrete URL of ``path`` with the ids and names that are A's."""
    params = re.findall(r"{(\w+)}", path)
    if not params:
        return [path]
    urls = [path]
    for param in params:
        values: list[Any] = world.names
        if param in ID_PARAMS:
            values = world.own_foods if ID_PARAMS[param] == "own_foods" else world.entries
        urls = [u.replace("{" + param + "}", str(v)) for u in urls for v in values]
    return urls


def _form_with_a_ids(world: World, token: str) -> dict[str, str]:
    """A form naming A's first entry and product in every field a handler might read."""
    entry, name = str(world.entries[0]), world.names[0]
    return {
        "csrf_token": token,
        "entry": entry,
        "entry_id": entry,
        "id": entry,
        "name": name,
        "product": name,
        "water": world.names[1],
        "own_id": str(world.own_foods[0]),
        "saved_meal": world.names[2],
        "meal_name": world.names[2],
        "source": DAY.isoformat(),
    }


def _b_calls(world: World, endpoint: Endpoint, token: dict[str, str]) -> list[Any]:
    """B's requests to ``endpoint``: every URL with A's ids and names, JSON and form bodies.

    B signs in again after a request that signed B out, so that each is made signed in.
    """
    answers = []
    for url in _fill(endpoint.path, world):
        if endpoint.method not in UNSAFE:
            answers.append((url, world.b.request(endpoint.method, url)))
            continue
        for kind in ("json", "form"):
            if kind == "json":
                body: dict[str, Any] = {
                    "json": {"entry_id": world.entries[0], "name": world.names[0]},
                    "headers": token,
                }
            else:
                body = {"data": _form_with_a_ids(world, token["X-CSRF-Token"])}
            answers.append((url, world.b.request(endpoint.method, url, **body)))
            if world.b.get("/api/v1/account/me").status_code != 200:
                token.update(_sign_in_b(world))
    return answers


def _sign_in_b(world: World) -> dict[str, str]:
    signed = world.b.post(
        "/api/v1/account/login",
        json={"email": "b@example.org", "password": PASSWORD},
        headers=csrf(world.b),
    )
    assert signed.status_code == 200, signed.text
    return csrf(world.b)


def test_account_b_reaches_nothing_of_account_a(world: World) -> None:
    """B calls every endpoint of /openapi.json and every page, with A's ids and names."""
    before = world.a_state()
    a_export = world.a.get("/api/v1/me/export")
    assert a_export.status_code == 200
    assert HIDDEN in a_export.text  # A sees A's data: the marker is a fair test
    token = csrf(world.b)
    statuses: Counter[int] = Counter()
    everything = endpoints(world.app)
    # B's own deletion last, the routes that sign B out just before it (B signs in again)
    last = [("DELETE", "/api/v1/account/me"), ("POST", "/account/delete")]
    order = sorted(
        everything,
        key=lambda e: ((e.method, e.path) in last, e.path in SIGNS_B_OUT),
    )
    for endpoint in order:
        for url, answer in _b_calls(world, endpoint, token):
            statuses[answer.status_code] += 1
            where = (endpoint.method, url, answer.status_code)
            assert answer.status_code < 500, where
            assert HIDDEN not in answer.text, where
            if url != endpoint.path and endpoint.method in ("GET", "DELETE") and endpoint.personal:
                assert answer.status_code == 404, where
        # a PUT naming A's product makes B's own product of that name: A's stays A's
        assert world.a_state() == before, (endpoint.method, endpoint.path)
    assert world.a.get("/api/v1/me/export").json() == a_export.json()
    assert world.a.get("/api/v1/account/me").status_code == 200  # A was never signed out
    api = openapi_operations(world.app)
    pages = [e for e in everything if (e.method, e.path) not in api]
    requests = sum(statuses.values())
    SUMMARY.append(
        f"cross-user matrix ({world.store.url.split(':')[0]}): {len(api)} operations of "
        f"/openapi.json and {len(pages)} pages, {requests} requests by B with A's ids and "
        f"names, answers {dict(sorted(statuses.items()))}, 0 showed A's data, "
        "A's data unchanged"
    )
    print("\n" + SUMMARY[-1])
    assert requests > 100


def openapi_operations(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) of the app's /openapi.json."""
    client = TestClient(app, base_url="https://testserver")
    spec = client.get("/openapi.json").json()
    return {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
    }


def test_the_matrix_covers_every_operation_of_the_openapi_document(world: World) -> None:
    covered = {(e.method, e.path) for e in endpoints(world.app)}
    missing = openapi_operations(world.app) - covered
    assert missing == set()
    assert len(openapi_operations(world.app)) > 30


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me/entries",
        "/api/v1/me/products",
        "/api/v1/me/waters",
        "/api/v1/me/foods",
        "/api/v1/me/meals",
    ],
)
def test_list_endpoints_show_b_only_its_own(world: World, path: str) -> None:
    if path not in {e.path for e in endpoints(world.app)}:
        pytest.skip(f"{path} is not served")
    assert world.b.get(path).json() == []
    assert SECRET in world.a.get(path).text


def test_b_audit_trail_holds_nothing_of_a(world: World) -> None:
    world.a.get("/api/v1/me/entries")
    trail = world.b.get("/api/v1/account/audit").json()
    assert all(e["path"] != "/api/v1/me/entries" or e["method"] != "GET" for e in trail)
    mine = world.a.get("/api/v1/account/audit").json()
    assert any(e["path"] == "/api/v1/me/entries" for e in mine)


def test_b_deleting_its_account_leaves_a_whole(world: World) -> None:
    before = world.a_state()
    answer = world.b.request(
        "DELETE", "/api/v1/account/me", json={"password": PASSWORD}, headers=csrf(world.b)
    )
    assert answer.status_code == 200
    assert world.a_state() == before
    assert world.a.get("/api/v1/account/me").status_code == 200
