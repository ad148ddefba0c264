"""What is due today stands at the top of Today and Progress, in English and German.

The items are the calendar's (``magwise.reminders.due_on``): the plan's dose
times, the review at 12 weeks, the shedding count and the blood test due then.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.knowledge import load_knowledge
from magwise.record import ProfileVersion
from magwise.reminders import due_on, latest_result, reminders
from magwise.store import Store
from magwise.web import Settings, create_app

TODAY = dt.date.today()
REVIEW_WEEKS = int(load_knowledge().progress.verdict_weeks.value)


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
    """A person whose plan started 12 weeks ago: doses, review and blood test fall today."""
    me = store.local_person()
    started = TODAY - dt.timedelta(weeks=REVIEW_WEEKS)
    store.set_profile(me, ProfileVersion(valid_from=started, sex="female", age_years=34.0))
    store.start_plan(me, started, 300.0, "citrate")
    store.add_shedding(me, started, 130, "daily_count")
    return me


def _due(html: str) -> list[str]:
    """The lines of the "due today" box, as a person reads them."""
    box = re.search(r'<section class="log-due".*?</section>', html, re.S)
    assert box is not None, "no due-today box"
    items = re.findall(r"<li[^>]*>(.*?)</li>", box[0], re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", i)).split()) for i in items]


@pytest.mark.parametrize("path", ["/today", "/progress"])
def test_the_box_lists_todays_reminders_in_english(client: TestClient, me: int, path: str) -> None:
    html = client.get(path, params={"lang": "en"}).text
    lines = _due(html)
    assert "Due today" in html
    assert f"magwise review: {REVIEW_WEEKS} weeks" in lines
    assert "Blood test due: serum magnesium" in lines
    assert any(re.fullmatch(r"08:00 Magnesium: 150 mg .*citrate.* \(morning\)", x) for x in lines)
    assert any(re.fullmatch(r"19:00 Magnesium: 150 mg .*citrate.* \(evening\)", x) for x in lines)
    assert any(line.endswith("Count shed hairs (daily count)") for line in lines)
    assert 'href="/api/v1/me/calendar.ics?lang=en"' in html


@pytest.mark.parametrize("path", ["/today", "/progress"])
def test_the_box_lists_todays_reminders_in_german(client: TestClient, me: int, path: str) -> None:
    html = client.get(path, params={"lang": "de"}).text
    lines = _due(html)
    assert "Heute fällig" in html
    assert f"magwise-Überprüfung: {REVIEW_WEEKS} Wochen" in lines
    assert "Bluttest fällig: Magnesium im Serum" in lines
    assert any("(morgens)" in line and line.startswith("08:00") for line in lines)
    assert any(line.endswith("Ausgefallene Haare zählen (tägliche Zählung)") for line in lines)
    assert not any("Count shed hairs" in line for line in lines)


@pytest.mark.parametrize("path", ["/today", "/progress"])
def test_the_box_stands_at_the_top(client: TestClient, me: int, path: str) -> None:
    html = client.get(path).text
    top = html.index('id="due-today"')
    assert html.index("<h1") < top
    first_card = html.index('class="log-card', html.index("<h1"))
    assert top < first_card


def test_the_box_is_the_calendars_due_on(client: TestClient, store: Store, me: int) -> None:
    record = store.record(me)
    items = reminders(record, latest_result(record), today=TODAY, knowledge=load_knowledge())
    titles = [r.title for r in due_on(items, TODAY)]
    lines = _due(client.get("/today").text)
    assert len(lines) == len(titles)
    assert all(title in line for title, line in zip(titles, lines, strict=True))


def test_a_count_logged_today_is_shown_done(client: TestClient, store: Store, me: int) -> None:
    before = [line for line in _due(client.get("/today").text) if "Count shed hairs" in line]
    assert before and not before[0].endswith("done")
    store.add_shedding(me, TODAY, 90, "daily_count")
    after = [line for line in _due(client.get("/today").text) if "Count shed hairs" in line]
    assert after[0].endswith("— ✓ done")


def test_no_box_before_a_profile_nor_on_another_day(
    client: TestClient, store: Store, me: int
) -> None:
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    assert 'id="due-today"' not in client.get("/today", params={"date": yesterday}).text
    store.forget(me)
    assert 'id="due-today"' not in client.get("/today").text
    assert 'id="due-today"' not in client.get("/progress").text
