"""The example log is marked as such and removed alone; the person's own entries stay.

Every row ``seed_example`` writes is flagged (revision 9). Every page shows a
notice while any of it is kept; Today marks each example entry; before the
first own entry the notice offers to remove the example first, and after it
says the person's entries stay. Removing the example keeps every own entry,
profile version, product, water and plan, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.examples.diary import EXAMPLE_NAME, is_example, remove_example, seed_example
from magwise.record import ProfileVersion
from magwise.store import Store
from magwise.store._store import KINDS
from magwise.web import Settings, create_app

TODAY = dt.date.today()
PAGES = ["/", "/today", "/progress", "/photos", "/data", "/sources", "/case"]


@pytest.fixture
def store(database_url: str, data_dir: Path) -> Iterator[Store]:
    with Store.open(database_url) as opened:
        yield opened


@pytest.fixture
def client(database_url: str, store: Store) -> Iterator[TestClient]:
    with local_client(create_app(Settings(database_url=database_url, warm_up=False))) as client:
        yield client


@pytest.fixture
def me(store: Store) -> int:
    me = store.local_person()
    assert seed_example(store, me)
    return me


def _own(store: Store, me: int) -> list[int]:
    """The person's own entries of every kind (their ids), profile version, product,
    water and plan."""
    ids = [
        store.add_food(me, TODAY, "12061", description="Nuts, almonds", grams=30),
        store.add_supplement(me, TODAY, "Mine", elemental_mg_per_unit=100),
        store.add_water(me, TODAY, liters=1, mg_per_liter=20),
        store.add_shedding(me, TODAY, 77, "daily_count"),
        store.add_symptom(me, TODAY, "fatigue"),
        store.add_lab(me, TODAY, 0.81, "mmol/L"),
        store.add_note(me, TODAY, "my own note"),
    ]
    store.set_profile(me, ProfileVersion(TODAY, "male", 41.0))
    store.define_product(me, "Mine", elemental_mg_per_unit=100, form="citrate")
    store.define_water(me, "Tap", mg_per_liter=20)
    store.start_plan(me, TODAY, 200, "citrate")
    return ids


def test_the_example_is_flagged_and_removed_alone(store: Store, me: int) -> None:
    example_ids = store.example_ids(me)
    assert len(example_ids) == sum(store.counts(me)[kind] for kind in KINDS) > 0
    own = _own(store, me)
    assert not set(own) & store.example_ids(me)
    assert store.example_counts(me) == (len(example_ids) + 4, 7)  # + profile, product, water, plan

    deleted = remove_example(store, me)
    assert sum(deleted.values()) == len(example_ids) + 4
    assert not is_example(store, me)
    assert store.person_name(me) != EXAMPLE_NAME
    counts = store.counts(me)
    for kind in ("food", "supplement", "water", "shedding", "symptom", "lab", "note"):
        assert counts[kind] == 1, kind
    assert (counts["profiles"], counts["products"], counts["waters"], counts["plans"]) == (
        1,
        1,
        1,
        1,
    )
    record = store.record(me)
    assert [e.id for e in store.entries(me)] == own
    assert record.profiles[0].sex == "male"
    assert record.notes[0].text == "my own note"
    assert [p.name for p in store.products(me)] == ["Mine"]
    assert list(store.waters(me)) == ["Tap"]
    assert [(p.started, p.supplement_mg_per_day, p.stopped) for p in record.plans] == [
        (TODAY, 200.0, None)
    ]


def test_a_log_without_the_example_loses_nothing_on_removal(store: Store) -> None:
    me = store.local_person()
    store.add_note(me, TODAY, "only mine")
    assert not is_example(store, me)
    assert sum(remove_example(store, me).values()) == 0
    assert store.counts(me)["note"] == 1


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_the_notice_with_its_one_click_removal(
    client: TestClient, me: int, path: str, lang: str
) -> None:
    html = client.get(path, params={"lang": lang}).text
    notice = re.search(r'<section class="log-example".*?</section>', html, re.S)
    assert notice is not None, path
    assert 'action="/data/example/remove' in notice[0]
    words = "This is example data:" if lang == "en" else "Dies sind Beispieldaten:"
    assert words in notice[0]


def test_today_marks_each_example_entry_and_not_an_own_one(
    client: TestClient, store: Store, me: int
) -> None:
    today = store.entries(me, TODAY, TODAY)
    html = client.get("/today").text
    assert html.count('class="log-example-tag"') == len(today) > 0
    store.add_note(me, TODAY, "my-own-note")
    html = client.get("/today").text
    assert html.count('class="log-example-tag"') == len(today)
    items = re.findall(r"<li><span class=\"log-entry\">.*?</li>", html, re.S)
    mine = [item for item in items if "my-own-note" in item]
    assert len(mine) == 1 and "log-example-tag" not in mine[0]
    assert sum("log-example-tag" in item for item in items) == len(today)


def test_logging_on_top_first_offers_to_remove_the_example(
    client: TestClient, store: Store, me: int
) -> None:
    before = client.get("/today").text
    assert "Starting your own log? Remove the example first" in before
    assert ">Remove the example first</button>" in before
    answer = client.post("/today/shedding", data={"date": TODAY.isoformat(), "count": "88"})
    assert answer.status_code == 200, answer.text
    assert "You have logged 1 entry of your own; it stays when you remove the example." in (
        answer.text
    )
    assert ">Remove the example (your entries stay)</button>" in answer.text
    store.add_note(me, TODAY, "mine too")
    german = client.get("/today", params={"lang": "de"}).text
    assert "Sie haben 2 eigene Einträge erfasst" in german


def test_the_button_removes_the_example_alone_and_comes_back(
    client: TestClient, store: Store, me: int
) -> None:
    _own(store, me)
    answer = client.post(
        "/data/example/remove?lang=de", data={"back": "/today"}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/today?lang=de&removed=example"
    page = client.get(answer.headers["location"]).text
    assert "Das Beispiel ist entfernt; Ihre eigenen Einträge bleiben erhalten." in page
    assert 'class="log-example"' not in page
    assert "log-example-tag" not in page
    counts = store.counts(me)
    assert counts["note"] == 1 and counts["food"] == 1 and counts["profiles"] == 1
    elsewhere = client.post(
        "/data/example/remove", data={"back": "https://example.org/"}, follow_redirects=False
    )
    assert elsewhere.headers["location"].startswith("/data?")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_rows_kept_before_the_flag_are_the_persons_own(
    request: pytest.FixtureRequest, tmp_path: Path, kind: str
) -> None:
    """Revision 0010 on a log kept before it: nothing becomes example, nothing is lost."""
    from sqlalchemy import text

    from magwise.store._db import make_engine
    from magwise.store._migrate import upgrade

    if kind == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'old.sqlite3'}", None
    else:
        from tests._postgres import Server

        server: Server = request.getfixturevalue("postgres_server")
        name = server.empty_database()
        url, drop = server.url(name), name
    try:
        upgrade(url, "0007")
        engine = make_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(text(f"INSERT INTO persons (name) VALUES ('{EXAMPLE_NAME}')"))
                connection.execute(
                    text(
                        "INSERT INTO entries (person_id, day, kind) "
                        "SELECT min(id), '2026-09-02', 'note' FROM persons"
                    )
                )
                connection.execute(
                    text(
                        "INSERT INTO note_entries (entry_id, person_id, text) "
                        "SELECT max(id), max(person_id), 'kept' FROM entries"
                    )
                )
        finally:
            engine.dispose()
        with Store.open(url) as store:
            me = store.local_person()
            assert store.example_counts(me) == (0, 1)
            assert not is_example(store, me)
            remove_example(store, me)
            assert store.record(me).notes[0].text == "kept"
    finally:
        if drop is not None:
            server.drop(drop)


def test_the_data_page_says_how_much_is_the_example(
    client: TestClient, store: Store, me: int
) -> None:
    rows = store.example_counts(me)[0]
    html = client.get("/data").text
    assert f"Of these, {rows} are the example" in html
    assert f"Davon sind {rows} das Beispiel" in client.get("/data?lang=de").text
    remove_example(store, me)
    assert 'id="held-example"' not in client.get("/data").text
