"""The log pages without a browser: Today, Progress and Your data, and the example log.

Each test gets its own store from the ``database_url`` fixture (SQLite, and
PostgreSQL when it is available) and talks to the app through ``TestClient``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.cli import cli
from magwise.examples.diary import EXAMPLE_NAME, example_record, seed_example
from magwise.foods import FoodIndex
from magwise.store import Store
from magwise.web import Settings, create_app

TODAY = dt.date.today()


@pytest.fixture
def store(database_url: str, data_dir: Path) -> Iterator[Store]:
    with Store.open(database_url) as opened:
        yield opened


@pytest.fixture
def client(database_url: str, store: Store) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, warm_up=False)
    with local_client(create_app(settings)) as client:
        yield client


@pytest.fixture
def example(store: Store) -> int:
    me = store.local_person()
    assert seed_example(store, me)
    return me


def counts(store: Store) -> dict[str, int]:
    return store.counts(store.local_person())


def error_line(html: str) -> str:
    """The text of the page's one error line."""
    found = re.findall(r'<p class="log-error" role="alert"[^>]*>(.*?)</p>', html, re.S)
    assert len(found) == 1, "exactly one error line"
    text = re.sub(r"<[^>]+>", "", found[0]).replace("&#39;", "'").replace("⚠", "")
    assert "\n" not in text.strip()
    return text.strip()


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("path", ["/today", "/progress", "/data", "/data/delete"])
def test_pages_answer_with_the_example_and_its_notice(
    client: TestClient, example: int, path: str, lang: str
) -> None:
    page = client.get(path, params={"lang": lang})
    assert page.status_code == 200
    html = page.text
    assert f'<html lang="{lang}">' in html
    assert 'class="purpose"' in html
    assert 'class="log-example"' in html
    assert 'href="/data?lang=' in html
    for link in ("/today", "/progress", "/data", "/?lang"):
        assert f'href="{link}' in html


def test_the_notice_offers_to_remove_the_example(client: TestClient, example: int) -> None:
    html = client.get("/today", params={"lang": "en"}).text
    assert "This is example data:" in html and "Remove the example first" in html
    html = client.get("/today", params={"lang": "de"}).text
    assert "Dies sind Beispieldaten:" in html and "Zuerst das Beispiel entfernen" in html


def test_an_empty_store_asks_for_a_profile_and_shows_no_notice(client: TestClient) -> None:
    today = client.get("/today").text
    assert 'action="/today/profile' in today
    assert "Nothing logged for this day yet." in today
    assert 'class="log-example"' not in today
    assert "Progress needs a profile" in client.get("/progress").text
    assert "Nothing is kept." in client.get("/data").text


def test_log_a_day_and_see_the_intake(
    client: TestClient, store: Store, food_index: FoodIndex
) -> None:
    answer = client.post("/today/profile", data={"sex": "female", "age": "34"})
    assert answer.status_code == 200
    assert 'id="intake-total">0 mg' in answer.text
    answer = client.post(
        "/today/food",
        data={"food": ["12014", "12087"], "food_amount": ["30", "1"], "food_unit": ["g", "1 oz"]},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/today?date={TODAY.isoformat()}")
    html = client.get(answer.headers["location"]).text
    assert "30 g Seeds, pumpkin and squash seed kernels, dried" in html
    assert "1 oz Nuts, cashew nuts, raw" in html
    seeds, cashews = food_index.get("12014"), food_index.get("12087")
    assert seeds.mg_per_100g is not None
    assert cashews.mg_per_100g is not None
    oz = next(p.grams for p in cashews.portions if p.label == "1 oz")
    total = seeds.mg_per_100g * 0.3 + cashews.mg_per_100g * oz / 100
    assert f'id="intake-total">{round(total)} mg' in html
    assert "of your target of" in html
    assert "of the upper limit of" in html

    client.post("/today/water-name", data={"water_name": "Gerolsteiner", "mg_per_l": "108"})
    client.post("/today/water", data={"water": "gerolsteiner", "liters": "500ml"})
    client.post(
        "/today/product",
        data={"product_name": "Citrate 150", "elemental_mg": "150", "form": "citrate"},
    )
    client.post("/today/supplement", data={"product": "Citrate 150", "units": "2"})
    client.post("/today/shedding", data={"count": "120", "method": "comb_test"})
    client.post("/today/symptom", data={"symptom": "muscle_cramps"})
    client.post("/today/lab", data={"lab_value": "0,78", "lab_unit": "mmol/L", "lab_range": ""})
    html = client.get("/today").text
    for shown in (
        "0.5 l Gerolsteiner at 108 mg/L",
        "2 x Citrate 150 (300 mg magnesium)",
        "120 hairs (comb test)",
        "Muscle cramps",
        "serum magnesium 0.78 mmol/L",
        "above the upper limit",
    ):
        assert shown in html, shown
    assert counts(store)["food"] == 2
    assert counts(store)["supplement"] == 1


def test_another_day(client: TestClient, store: Store) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    client.post(
        "/today/shedding", data={"date": yesterday.isoformat(), "count": "90", "method": "daily"}
    )
    record = store.record(store.local_person())
    assert [(s.day, s.count) for s in record.shedding] == [(yesterday, 90)]
    assert "90 hairs" in client.get("/today", params={"date": yesterday.isoformat()}).text
    assert "Nothing logged for this day yet." in client.get("/today").text


BAD = [
    ("/today/shedding", {"count": "lots"}, "Hairs counted: 'lots'; accepted: a whole number"),
    ("/today/shedding", {"count": "99999"}, "Hairs counted: 99999 is out of range"),
    (
        "/today/shedding",
        {"count": "90", "method": "pluck"},
        "How you counted: 'pluck' is not a counting",
    ),
    ("/today/supplement", {"product": "Nothing"}, "Product: choose one of your products"),
    (
        "/today/product",
        {"product_name": "X", "elemental_mg": ""},
        "Elemental magnesium per unit: missing is not",
    ),
    (
        "/today/product",
        {"product_name": "X", "elemental_mg": "5", "form": "unobtainium"},
        "Salt form:",
    ),
    ("/today/water-name", {"water_name": "", "mg_per_l": "5"}, "Water: a water needs"),
    ("/today/water", {"water": "none"}, "Water: choose one of your waters"),
    ("/today/symptom", {"symptom": ""}, "Symptom: choose a symptom"),
    ("/today/symptom", {"symptom": "hiccups"}, "Symptom:"),
    ("/today/lab", {"lab_value": "70", "lab_unit": "mmol/L"}, "Result: 70 mmol/L"),
    ("/today/lab", {"lab_value": "0.8", "lab_unit": "g/L"}, "Unit: unknown unit 'g/L'"),
    (
        "/today/lab",
        {"lab_value": "0.8", "lab_unit": "mmol/L", "lab_range": "1-0.5"},
        "The lab's range:",
    ),
    ("/today/food", {}, "Search for a food: none picked"),
    ("/today/food", {"food": "12014", "food_amount": "x", "food_unit": "g"}, "Amount: 'x g'"),
    (
        "/today/food",
        {"food": "99999", "food_amount": "1", "food_unit": "g"},
        "Search for a food: no SR28",
    ),
    ("/today/profile", {"sex": "other", "age": "34"}, "Sex: choose female or male"),
    ("/today/delete", {"entry": "abc"}, "Entries: no entry 'abc'"),
]


@pytest.mark.parametrize(("path", "form", "expected"), BAD)
def test_bad_input_answers_with_one_line_naming_the_field(
    *,
    client: TestClient,
    store: Store,
    example: int,
    path: str,
    form: dict[str, str],
    expected: str,
) -> None:
    before = counts(store)
    answer = client.post(path, data=form)
    assert answer.status_code == 422
    assert error_line(answer.text).startswith(expected)
    assert counts(store) == before


def test_a_food_with_a_bad_amount_stays_picked(client: TestClient) -> None:
    answer = client.post(
        "/today/food", data={"food": "12014", "food_amount": "lots", "food_unit": "1 oz"}
    )
    assert answer.status_code == 422
    assert error_line(answer.text).startswith("Amount: 'lots 1 oz' is not a weight or a measure")
    row = re.search(r'<li class="food-row">.*?</li>', answer.text, re.S)
    assert row is not None
    assert 'value="12014"' in row.group(0)
    assert 'value="lots"' in row.group(0)
    assert '<option value="1 oz" selected>' in row.group(0)


def test_a_day_in_the_future_is_refused(client: TestClient, store: Store) -> None:
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    answer = client.post("/today/shedding", data={"date": tomorrow, "count": "80"})
    assert answer.status_code == 422
    assert error_line(answer.text).startswith(f"Day: '{tomorrow}' is in the future")
    assert counts(store)["shedding"] == 0
    page = client.get("/today", params={"date": "someday"})
    assert page.status_code == 422
    assert error_line(page.text).startswith("Day: 'someday' is not a date")


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31"])
def test_a_day_before_1900_is_the_forms_error(client: TestClient, store: Store, day: str) -> None:
    expected = "Day: expected a date from 1900-01-01 to 2999-12-31"
    form = {"date": day, "food": "12014", "food_amount": "30", "food_unit": "g"}
    answer = client.post("/today/food", data=form)
    assert answer.status_code == 422
    assert error_line(answer.text) == expected
    assert counts(store)["food"] == 0
    page = client.get("/today", params={"date": day})
    assert page.status_code == 422
    assert error_line(page.text) == expected


def test_delete_an_entry_and_undo_the_last(client: TestClient, store: Store, example: int) -> None:
    me = store.local_person()
    day = store.record(me, TODAY, TODAY)
    first = day.foods[0]
    answer = client.post("/today/delete", data={"entry": str(first.id), "date": TODAY.isoformat()})
    assert answer.status_code == 200
    assert store.entry(me, first.id) is None
    last = store.last_entry(me)
    assert last is not None
    assert last.day == TODAY, "the example's entry written last is one of today's"
    client.post("/today/undo", data={"date": TODAY.isoformat()})
    assert store.entry(me, last.id) is None
    assert sum(counts(store).values()) > 0


def test_progress_shows_the_four_charts_and_the_verdict(client: TestClient, example: int) -> None:
    html = client.get("/progress", params={"lang": "en"}).text
    assert html.count('<figure class="log-chart"><svg') == 4
    for title in ("Magnesium intake", "Shedding counts", "Serum magnesium", "Symptoms logged"):
        assert f"<title>{title}" in html, title
    assert 'id="verdict"' in html
    assert "too early to judge" in html
    assert 'class="findings"' in html
    short = client.get("/progress", params={"weeks": "4"}).text
    assert 'href="/progress?weeks=4&amp;lang=en" aria-current="page"' in short
    first = TODAY - dt.timedelta(days=27)
    assert f"{first:%B} {first.day}, {first.year} – {TODAY:%B} {TODAY.day}, {TODAY.year}" in short


def test_a_bad_period_is_one_line(client: TestClient, example: int) -> None:
    answer = client.get("/progress", params={"weeks": "many"})
    assert answer.status_code == 422
    assert error_line(answer.text).startswith("Period: 'many'; accepted: a whole number of weeks")


def test_export_import_round_trip(client: TestClient, store: Store, example: int) -> None:
    before = counts(store)
    answer = client.get("/data/export")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert "attachment" in answer.headers["content-disposition"]
    doc = answer.json()
    assert len(doc["foods"]) == before["food"]
    assert doc["person"]["name"] == EXAMPLE_NAME

    refused = client.post(
        "/data/import", files={"file": ("magwise.json", answer.content, "application/json")}
    )
    assert refused.status_code == 422
    line = error_line(refused.text)
    assert line.startswith(f"Export file: your log already holds {sum(before.values())} records")
    assert line.endswith("tick “Replace what is kept now” to replace them")  # the page's words
    assert "--replace" not in refused.text
    german = client.post(
        "/data/import?lang=de",
        files={"file": ("magwise.json", answer.content, "application/json")},
    )
    assert "kreuzen Sie „Das jetzt Gespeicherte ersetzen“ an" in error_line(german.text)
    broken = client.post(
        "/data/import", files={"file": ("magwise.json", b'{"format": "x"}', "application/json")}
    )
    assert error_line(broken.text).startswith(
        "Export file: this file is not a magwise export"
    )  # says so first
    assert client.post("/data/delete").status_code == 200
    assert set(counts(store).values()) == {0}
    imported = client.post(
        "/data/import",
        files={"file": ("magwise.json", answer.content, "application/json")},
        follow_redirects=False,
    )
    assert imported.status_code == 303
    assert counts(store) == before
    assert "Imported." in client.get(imported.headers["location"]).text


def test_an_import_over_one_record_says_so_in_the_singular(
    client: TestClient, store: Store
) -> None:
    store.add_note(store.local_person(), TODAY, "hi")
    export = client.get("/data/export").content
    refused = client.post("/data/import", files={"file": ("m.json", export, "application/json")})
    assert refused.status_code == 422
    assert error_line(refused.text) == (
        "Export file: your log already holds 1 record; "
        "tick “Replace what is kept now” to replace it"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "Export file: Line 1, column 2: this is not valid JSON"),
        (b"[1, 2]", "Export file: this file is not a magwise export"),
        (b"\xff\xfe", "Export file: this file is not a text file"),
        (b'{"format": "other"}', "Export file: this file is not a magwise export"),
    ],
)
def test_a_bad_import_is_one_line_and_writes_nothing(
    client: TestClient, store: Store, content: bytes, expected: str
) -> None:
    answer = client.post("/data/import", files={"file": ("x.json", content, "application/json")})
    assert answer.status_code == 422
    assert error_line(answer.text).startswith(expected)
    assert set(counts(store).values()) == {0}


def test_a_bad_field_in_an_import_is_named(client: TestClient, store: Store, example: int) -> None:
    doc = client.get("/data/export").json()
    client.post("/data/delete")
    doc["foods"][3]["grams"] = "lots"
    answer = client.post(
        "/data/import", files={"file": ("x.json", json.dumps(doc).encode(), "application/json")}
    )
    assert answer.status_code == 422
    line = error_line(answer.text)
    assert line.startswith("Export file: Line 1 (entry 4 of “foods”): “grams” cannot be lots")
    assert set(counts(store).values()) == {0}


def test_import_without_a_file(client: TestClient) -> None:
    answer = client.post("/data/import", data={"replace": "yes"})
    assert answer.status_code == 422
    assert error_line(answer.text).startswith("Export file: choose a magwise export")


def test_delete_everything_needs_the_confirmation_step(
    client: TestClient, store: Store, example: int
) -> None:
    confirm = client.get("/data/delete")
    assert confirm.status_code == 200
    assert "Yes, delete everything" in confirm.text
    assert sum(counts(store).values()) > 0
    done = client.post("/data/delete", follow_redirects=False)
    assert done.status_code == 303
    assert set(counts(store).values()) == {0}
    page = client.get(done.headers["location"]).text
    assert "Everything was deleted." in page
    assert 'class="log-example"' not in page


def test_the_example_is_the_same_for_the_same_day(food_index: FoodIndex) -> None:
    day = dt.date(2026, 11, 30)
    first, products = example_record(day, food_index)
    again, _ = example_record(day, food_index)
    assert first == again
    assert first.profiles[0].valid_from == day - dt.timedelta(days=41)
    assert {f.day for f in first.foods} == {day - dt.timedelta(days=n) for n in range(42)}
    assert all(food_index.get(f.ndb).description == f.description for f in first.foods)
    assert [p.name for p in products] == [s.product for s in first.supplements[:1]]
    assert first.named_waters == {w.name: w.mg_per_liter for w in first.water if w.name}
    assert first.symptoms
    assert first.labs
    assert len(first.shedding) > 30


def test_serve_example_seeds_only_an_empty_store(
    database_url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAGWISE_DATABASE_URL", database_url)
    runner = CliRunner()
    first = runner.invoke(cli, ["serve", "--example", "--get", "/api/v1/health"])
    assert first.exit_code == 0, first.output
    assert "wrote the example log" in first.output
    seeded = counts(store)
    assert seeded["food"] > 100
    me = store.local_person()
    assert store.person_name(me) == EXAMPLE_NAME
    again = runner.invoke(cli, ["serve", "--example", "--get", "/api/v1/health"])
    assert again.exit_code == 0, again.output
    assert "wrote the example log" not in again.output
    assert counts(store) == seeded


# -- the questionnaire's answers kept as the profile ---------------------------------------


def test_the_questionnaires_answers_become_the_profile(client: TestClient, store: Store) -> None:
    from tests.test_web_pages import ANSWERS

    page = client.post("/assessment?lang=en", data=ANSWERS)
    assert page.status_code == 200
    assert 'action="/assessment/keep?lang=en"' in page.text
    case = re.search(r'<input type="hidden" name="case" value="([^"]*)"', page.text)
    assert case is not None
    import html

    kept = client.post(
        "/assessment/keep?lang=en", data={"case": html.unescape(case[1])}, follow_redirects=False
    )
    assert kept.status_code == 303
    assert kept.headers["location"].startswith("/today?lang=en")
    profile = store.profile(store.local_person(), TODAY)
    assert profile is not None
    assert (profile.sex, profile.age_years, profile.standard) == ("female", 34, "dge")
    assert profile.medications == ("levothyroxine",)
    assert profile.hair_pattern == "diffuse"
    assert profile.family_history is False
    assert profile.hair_loss_since == TODAY - dt.timedelta(weeks=10)
    assert [(t.kind, t.on) for t in profile.triggers] == [
        ("high_stress", TODAY - dt.timedelta(weeks=12))
    ]
    held = counts(store)
    assert held.pop("profiles") == 1
    assert sum(held.values()) == 0  # a profile, no entries


def test_keeping_a_broken_case_changes_nothing(client: TestClient, store: Store) -> None:
    answer = client.post(
        "/assessment/keep",
        data={"case": '{"profile": {"sex": "x"}}'},
        headers={"referer": "http://127.0.0.1:8000/assessment?lang=en"},
    )
    assert answer.status_code == 422
    assert store.profiles(store.local_person()) == ()
    # a page, not the API's JSON: the layout, the error in words, a link back
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert 'class="purpose"' in html and "<h1>This could not be done</h1>" in html
    assert re.search(r"<li><strong>profile\.sex</strong>: .*female", html)
    assert '<a href="/assessment?lang=en">Go back</a>' in html


@pytest.mark.parametrize("path", ["/today", "/progress"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_log_that_cannot_be_assessed_answers_with_a_page(
    client: TestClient, store: Store, example: int, path: str, lang: str
) -> None:
    """An entry the case does not accept (the store took it) is an error page, not JSON."""
    store.add_water(example, TODAY, liters=10_000, mg_per_liter=5, name="tank")
    answer = client.get(path, params={"lang": lang})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert f'<html lang="{lang}">' in html and 'class="purpose"' in html
    assert '"detail"' not in html
    title = {"en": "This could not be done", "de": "Das ging nicht"}[lang]
    assert f"<h1>{title}</h1>" in html
    assert re.search(r"<strong>days\[\d+\]\.water\[\d+\]\.liters</strong>: 10000", html)
    assert f'<a href="/?lang={lang}">' in html  # the page that failed is no way back


def test_the_api_still_answers_errors_in_json(client: TestClient) -> None:
    answer = client.get("/api/v1/foods", params={"q": "x" * 1000})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["detail"][0]["loc"][0] == "query"
    missing = client.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
    page = client.get("/nothing-here", params={"lang": "de"})
    assert page.status_code == 404 and "<h1>Nicht gefunden</h1>" in page.text
