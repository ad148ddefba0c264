"""Reminders and the calendar feed: what is due, as RFC 5545 a calendar reads back."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from tests._web import local_client

from magwise.knowledge import load_knowledge
from magwise.record import PersonRecord, PlanEntry, SheddingEntry
from magwise.reminders import due_on, reminders, to_icalendar
from magwise.store import Store
from magwise.web import Settings, create_app

TODAY = dt.date(2026, 12, 4)
STAMP = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
KB = load_knowledge()
VERDICT = int(KB.progress.verdict_weeks.value)
DERMATOLOGIST = int(KB.progress.dermatologist_weeks.value)


def _record(
    plans: tuple[PlanEntry, ...] = (), shedding: tuple[SheddingEntry, ...] = ()
) -> PersonRecord:
    return PersonRecord(person_id=1, profiles=(), plans=plans, shedding=shedding)


def _parsed(body: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(body)
    return [
        {
            "summary": str(event["summary"]),
            "start": event.decoded("dtstart"),
            "rrule": dict(event["rrule"]) if "rrule" in event else None,
            "uid": str(event["uid"]),
        }
        for event in calendar.walk("VEVENT")
    ]


def test_a_plan_in_effect_gives_a_daily_reminder_per_dose_time() -> None:
    plan = PlanEntry(7, TODAY - dt.timedelta(days=3), 150.0, "citrate")
    items = reminders(_record(plans=(plan,)), today=TODAY)
    doses = [r for r in items if r.kind == "dose"]
    assert [r.time for r in doses] == [dt.time(8), dt.time(19)]
    assert all(r.repeat == "daily" and r.start == TODAY for r in doses)
    assert all("75 mg" in r.title for r in doses)
    german = reminders(_record(plans=(plan,)), today=TODAY, language="de")
    assert [r.title.rsplit("(", 1)[1] for r in german if r.kind == "dose"] == [
        "morgens)",
        "abends)",
    ]


def test_a_stopped_plan_gives_no_dose_reminder() -> None:
    plan = PlanEntry(7, TODAY - dt.timedelta(days=30), 150.0, "citrate", stopped=TODAY)
    assert not [r for r in reminders(_record(plans=(plan,)), today=TODAY) if r.kind == "dose"]


def test_reviews_fall_at_the_progress_weeks_after_the_plan_started() -> None:
    started = TODAY - dt.timedelta(days=10)
    items = reminders(_record(plans=(PlanEntry(1, started, 100.0, "citrate"),)), today=TODAY)
    reviews = sorted(r.start for r in items if r.kind == "review")
    assert reviews == [
        started + dt.timedelta(weeks=VERDICT),
        started + dt.timedelta(weeks=DERMATOLOGIST),
    ]
    blood = [r.start for r in items if r.kind == "blood_test"]
    assert blood == [started + dt.timedelta(weeks=VERDICT)]


def test_without_a_plan_reviews_count_from_the_first_shedding_count() -> None:
    first = TODAY - dt.timedelta(weeks=13)
    record = _record(shedding=(SheddingEntry(1, first, 120, "wash_count"),))
    items = reminders(record, today=TODAY)
    assert [r.start for r in items if r.kind == "review"] == [
        first + dt.timedelta(weeks=DERMATOLOGIST)  # the 12-week review is past
    ]
    count = next(r for r in items if r.kind == "shedding_count")
    assert count.repeat == "weekly"  # hair is counted at a wash
    assert "wash count" in count.title


@settings(max_examples=200, deadline=None)
@given(
    started=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
    mg=st.floats(10, 350),
    day=st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)),
)
def test_what_is_due_on_a_day_is_what_the_calendar_shows_that_day(
    started: dt.date, mg: float, day: dt.date
) -> None:
    record = _record(plans=(PlanEntry(1, started, mg, "citrate"),))
    items = reminders(record, today=TODAY)
    due = due_on(items, day)
    for item in items:
        expected = item.start <= day and (
            item.repeat == "daily"
            or (item.repeat == "weekly" and (day - item.start).days % 7 == 0)
            or (item.repeat is None and day == item.start)
        )
        assert (item in due) == expected
    assert [r.time is not None for r in due] == sorted(r.time is not None for r in due)
    # the calendar file says the same: every event once, the doses daily
    events = _parsed(to_icalendar(items, language="en", stamp=STAMP))
    assert len(events) == len(items) == len({e["uid"] for e in events})
    daily = [e for e in events if e["rrule"] == {"FREQ": ["DAILY"]}]
    assert len(daily) == sum(r.repeat == "daily" for r in items)


def test_the_calendar_file_is_rfc_5545_with_floating_dose_times() -> None:
    plan = PlanEntry(3, TODAY, 150.0, "citrate")
    items = reminders(_record(plans=(plan,)), today=TODAY, language="de")
    body = to_icalendar(items, language="de", stamp=STAMP)
    text = body.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.rstrip().endswith("END:VCALENDAR")
    assert "VERSION:2.0" in text and "PRODID:" in text
    assert "X-WR-CALNAME:magwise-Erinnerungen" in text
    assert "DTSTART:20261204T080000\r\n" in text, "a floating local time, no zone"
    starts = {e["summary"]: e["start"] for e in _parsed(body)}
    assert starts["magwise-Überprüfung: 12 Wochen"] == TODAY + dt.timedelta(weeks=VERDICT)


@pytest.fixture
def local(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    with Store.open(url) as store:
        me = store.local_person()
        store.start_plan(me, dt.date.today(), 150, "citrate")
        with local_client(create_app(Settings(database_url=url, warm_up=False))) as client:
            yield client, store


def test_local_mode_downloads_the_calendar_and_has_no_feed(
    local: tuple[TestClient, Store],
) -> None:
    client, _ = local
    answer = client.get("/api/v1/me/calendar.ics?lang=de")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert "attachment" in answer.headers["content-disposition"]
    summaries = [str(e["summary"]) for e in _parsed(answer.content)]
    assert any(s.startswith("Magnesium: 75 mg") for s in summaries)
    assert client.get("/api/v1/me/calendar.ics?lang=fr").status_code == 422
    assert client.post("/api/v1/me/calendar/feed").status_code == 404
    assert client.get("/calendar/anything.ics").status_code == 404


def test_the_cli_writes_the_same_calendar(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite3"
    with Store.open(str(log)) as store:
        store.start_plan(store.local_person(), dt.date.today(), 200, "citrate")
    out = tmp_path / "magwise.ics"
    done = subprocess.run(
        [sys.executable, "-m", "magwise", "calendar", "--out", str(out), "--db", str(log)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Wrote ")
    assert any("100 mg" in str(e["summary"]) for e in _parsed(out.read_bytes()))


def test_a_server_feed_opens_by_its_secret_and_stops_when_revoked(tmp_path: Path) -> None:
    from tests.test_web_auth import browser, consent, csrf, make_app, register

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    app = make_app(url)
    with browser(app) as client:
        assert register(client, "feed@example.org").status_code in (200, 201)
        consent(client)
        made = client.post("/api/v1/me/calendar/feed", headers=csrf(client))
        assert made.status_code == 200, made.text
        feed = made.json()["url"]
        assert feed.startswith("https://testserver/calendar/")
        token = feed.rsplit("/", 1)[1].split(".ics")[0]
        assert len(token) >= 40
        anonymous = browser(app)  # no session: the secret alone opens the feed
        assert anonymous.get(feed).status_code == 200
        # only the hash of the secret is kept
        connection = sqlite3.connect(tmp_path / "log.sqlite3")
        kept = [row[0] for row in connection.execute("SELECT token_hash FROM calendar_feeds")]
        connection.close()
        assert kept == [hashlib.sha256(token.encode()).hexdigest()]
        again = client.post("/api/v1/me/calendar/feed", headers=csrf(client))
        assert anonymous.get(feed).status_code == 404, "a new secret revokes the old"
        assert anonymous.get(again.json()["url"]).status_code == 200
        gone = client.delete("/api/v1/me/calendar/feed", headers=csrf(client))
        assert gone.status_code == 204
        assert anonymous.get(again.json()["url"]).status_code == 404
