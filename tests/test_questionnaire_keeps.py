"""The questionnaire keeps its answers: on "Change the answers" and on the back button.

"Change the answers" sends the assessment's case file back and gets the
questionnaire filled from it (``form_from_case``). The back button brings the
page back from Chromium's back-forward cache, or, where a page comes back
without it, with the fields the browser restores and the food rows the page
fetches again. Both are walked in real Chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._browser import ARGS, CHROMIUM, Server, needs_chromium, running, settled
from tests._web import local_client

from magwise.web import Settings, create_app
from magwise.web.questionnaire import case_from_form, form_from_case

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import Browser, Page, expect, sync_playwright

TODAY = dt.date(2026, 12, 4)
ANSWERS: dict[str, list[str]] = {
    "sex": ["female"],
    "age_years": ["34"],
    "state": ["lactating"],
    "standard": ["efsa"],
    "conditions": ["coeliac_disease"],
    "medications": ["levothyroxine", "omeprazole"],
    "food": ["12061", "20137"],
    "food_amount": ["1", "185"],
    "food_unit": ["1 oz (23 whole kernels)", "g"],
    "supplement_form": ["citrate", "oxide"],
    "supplement_mg": ["100", "50"],
    "water_liters": ["1.5"],
    "water_mg_per_liter": ["11"],
    "serum_value": ["0.72"],
    "serum_unit": ["mg/dL"],
    "serum_date": ["2026-11-20"],
    "symptoms": ["muscle_cramps", "fatigue"],
    "hair_pattern": ["diffuse"],
    "duration_weeks": ["10"],
    "shedding_per_day": ["120"],
    "family_history": ["no"],
    "trigger": ["high_stress", "childbirth"],
    "trigger_weeks_high_stress": ["12"],
    "trigger_weeks_childbirth": ["20"],
    "scalp": ["itching"],
}


def test_the_case_file_gives_the_same_answers_back() -> None:
    case = case_from_form(ANSWERS, TODAY)
    again = form_from_case(case)
    assert case_from_form(again, TODAY) == case
    assert again == ANSWERS


def test_a_case_file_that_cannot_be_read_gives_an_empty_questionnaire() -> None:
    assert form_from_case(None) == {"state": ["none"]}
    assert form_from_case({"profile": "x", "days": [3], "hair": []}) == {"state": ["none"]}


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with local_client(create_app(Settings(warm_up=False))) as client:
        yield client


def test_change_the_answers_posts_the_case_and_gets_the_form_filled(client: TestClient) -> None:
    result = client.post("/assessment?lang=en", data=ANSWERS)
    assert result.status_code == 200
    assert 'action="/questionnaire?lang=en"' in result.text
    case = case_from_form(ANSWERS, dt.date.today())
    again = client.post("/questionnaire?lang=en", data={"case": json.dumps(case)})
    assert again.status_code == 200
    html = again.text
    assert re.search(r'<input id="age_years" name="age_years"[^>]* value="34">', html)
    assert 'value="lactating" checked' in html
    assert 'name="food" value="12061"' in html and 'name="food" value="20137"' in html
    assert 'value="120"' in html
    switched = client.get("/questionnaire?lang=de", follow_redirects=False)
    assert (switched.status_code, switched.headers["location"]) == (303, "/?lang=de")
    bad = client.post("/questionnaire", data={"case": "{nope"})
    assert bad.status_code == 200 and 'name="food" value=' not in bad.text


# -- in Chromium ----------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("server")) as started:
        yield started


@pytest.fixture(scope="module", params=["back-forward cache", "no back-forward cache"])
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    """Chromium as people run it (its back-forward cache on), and with the cache off
    (as Playwright starts it, and as a page the cache let go of comes back)."""
    keep = request.param == "back-forward cache"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=ARGS,
            ignore_default_args=["--disable-back-forward-cache"] if keep else None,
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _pick(page: Page, query: str, description: str) -> None:
    page.locator("#food-search").fill("")
    page.locator("#food-search").press_sequentially(query, delay=20)
    choice = page.locator("#food-results").get_by_role("option", name=description, exact=False)
    expect(choice.first).to_be_visible()
    settled(page, "#food-results")
    choice.first.click()
    expect(page.locator("#food-rows li", has_text=description).last).to_be_visible()


def _fill(page: Page) -> None:
    page.get_by_label("female", exact=True).check()
    page.get_by_label("Age (years)").fill("34")
    _pick(page, "almonds", "Nuts, almonds")
    rows = page.locator("#food-rows li")
    rows.nth(0).get_by_label("Unit").select_option("g")
    rows.nth(0).get_by_label("Amount").fill("30")
    page.get_by_label("Form").first.select_option("citrate")
    page.get_by_label("Elemental magnesium per day (mg)").first.fill("50")
    page.get_by_label("Litres a day").fill("1.5")
    page.get_by_label("Magnesium (mg per litre)").fill("11")
    page.get_by_label("Serum magnesium").fill("0.72")
    page.get_by_label("Muscle cramps", exact=False).check()
    page.get_by_label("How is the hair loss?").select_option("diffuse")
    page.get_by_label("For how many weeks?").fill("10")
    page.get_by_label("Great stress", exact=True).check()
    page.get_by_label("Great stress: weeks ago").fill("12")


def _kept(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Is magnesium behind your hair loss?")
    expect(page.get_by_label("female", exact=True)).to_be_checked()
    expect(page.get_by_label("Age (years)")).to_have_value("34")
    rows = page.locator("#food-rows li")
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("Nuts, almonds")
    expect(rows.nth(0).get_by_label("Amount")).to_have_value("30")
    expect(rows.nth(0).get_by_label("Unit")).to_have_value("g")
    expect(page.get_by_label("Form").first).to_have_value("citrate")
    expect(page.get_by_label("Elemental magnesium per day (mg)").first).to_have_value("50")
    expect(page.get_by_label("Litres a day")).to_have_value("1.5")
    expect(page.get_by_label("Magnesium (mg per litre)")).to_have_value("11")
    expect(page.get_by_label("Serum magnesium")).to_have_value("0.72")
    expect(page.get_by_label("Muscle cramps", exact=False)).to_be_checked()
    expect(page.get_by_label("How is the hair loss?")).to_have_value("diffuse")
    expect(page.get_by_label("For how many weeks?")).to_have_value("10")
    expect(page.get_by_label("Great stress", exact=True)).to_be_checked()
    expect(page.get_by_label("Great stress: weeks ago")).to_have_value("12")


@needs_chromium
def test_change_the_answers_keeps_them(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/?lang=en")
        _fill(page)
        page.get_by_role("button", name="Assess").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment")
        page.get_by_role("button", name="Change the answers").click()
        _kept(page)
        # and they assess again as they did
        page.get_by_role("button", name="Assess").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment")


@needs_chromium
def test_the_back_button_keeps_them(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/?lang=en")
        _fill(page)
        page.get_by_role("button", name="Assess").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment")
        page.go_back(wait_until="commit")  # a page from the cache fires no "load"
        _kept(page)
