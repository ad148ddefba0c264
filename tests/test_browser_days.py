"""A German day logged on Today in a real Chromium, and logged again the next day with one action.

Debian's Chromium against ``magwise serve`` with a store of its own. Screenshots
of Today go to ``$MAGWISE_SCREENSHOT_DIR`` (or a temporary directory):
``web-today-days.png`` and ``web-phone-today-days.png``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._browser import Server, chromium, needs_chromium, running, screenshot_dir, settled

from magwise.foods import FoodIndex

pytestmark = needs_chromium

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import Browser, Page, expect

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def server(tmp_path: Path, food_index: FoodIndex) -> Iterator[Server]:
    with running(tmp_path) as started:
        yield started


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


def _page(browser: Browser, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _search(page: Page, text: str) -> None:
    search = page.locator("#food-search")
    search.fill("")
    search.press_sequentially(text, delay=20)


def test_a_german_day_is_logged_again_the_next_day_with_one_action(
    browser: Browser, server: Server, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page = _page(browser, 1000)
    with server.watch():
        page.goto(f"{server.url}/today?lang=de&date={YESTERDAY.isoformat()}")
        _search(page, "Kürbiskerne")  # German words find the food, named in German
        choice = page.locator("#food-results").get_by_role("option", name="Kürbiskerne, getrocknet")
        expect(choice.first).to_be_visible()
        settled(page, "#food-results")
        choice.first.click()
        row = page.locator("#food-rows li", has_text="Kürbiskerne, getrocknet")
        row.locator("select[name=food_unit]").select_option("g")
        row.locator("input[name=food_amount]").fill("30")
        page.locator("#food-meal").select_option(label="Frühstück")
        page.get_by_role("button", name="Lebensmittel eintragen").click()
        breakfast = page.locator("#log-entries")
        expect(breakfast.get_by_role("heading", name="Frühstück")).to_be_visible()
        expect(breakfast).to_contain_text("30 g Kürbiskerne, getrocknet")  # named in German
        expect(breakfast).not_to_contain_text("Seeds, pumpkin")
        expect(breakfast).to_contain_text("177,6 mg")  # as Germans write it
        expect(breakfast).not_to_contain_text("NDB")

        # a water typed in the food box, with its glass, leads to the water entry
        _search(page, "1 Glas Mineralwasser")
        water = page.locator("#water-typed")
        expect(water).to_contain_text("Mineralwasser")
        settled(page, "#food-results")
        water.get_by_label("Magnesium (mg/L, vom Etikett)").fill("100")
        water.get_by_role("button", name="Wasser eintragen").click()
        expect(page.locator("#log-entries")).to_contain_text("0,2 l mit 100 mg/L")
        assert (server.counts()["food"], server.counts()["water"]) == (1, 1)

        # the next day: one action logs the day before again
        page.goto(f"{server.url}/today?lang=de")
        expect(page.locator("#log-entries")).to_contain_text("noch nichts eingetragen")
        page.get_by_role("button", name="Den Vortag übernehmen").click()
        entries = page.locator("#log-entries")
        expect(entries).to_contain_text("30 g Kürbiskerne, getrocknet")
        expect(entries.get_by_role("heading", name="Frühstück")).to_be_visible()
        assert (server.counts()["food"], server.counts()["water"]) == (2, 2)

        screens = screenshot_dir(tmp_path_factory)
        page.screenshot(path=screens / "web-today-days.png", full_page=True)
        phone = _page(browser, 390)
        phone.goto(f"{server.url}/today?lang=de")
        top = phone.locator("#log-food").bounding_box()
        listed = phone.locator("#log-entries").bounding_box()
        assert top is not None and listed is not None and top["y"] < listed["y"]
        phone.screenshot(path=screens / "web-phone-today-days.png", full_page=True)
