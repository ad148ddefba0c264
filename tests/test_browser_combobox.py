"""The food search is an ARIA combobox, used with the keyboard alone in a real Chromium.

The search field (``role=combobox``) keeps the focus; htmx puts the matching foods
under it as a listbox of options; Down and Up move the chosen food
(``aria-activedescendant``), Enter adds it, Escape closes the list. On Today and on
the questionnaire. Debian's ``chromium`` driven by Playwright against ``magwise serve``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest
from tests._browser import (
    Server,
    chromium,
    needs_chromium,
    results_for_what_was_typed,
    running,
    watch_results,
)

from magwise.foods import FoodIndex

pytestmark = needs_chromium

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import Browser, Locator, Page, expect


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, food_index: FoodIndex) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("combobox")) as started:
        yield started


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def typed(page: Page, text: str) -> tuple[Locator, Locator]:
    """``text`` typed into the focused search; the combobox and its options once they settled."""
    box = page.get_by_role("combobox", name="Search for a food")
    watch_results(page)
    box.focus()
    page.keyboard.type(text, delay=20)
    results_for_what_was_typed(page, box)
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    return box, options


def chosen(box: Locator, options: Locator, index: int) -> None:
    """Option ``index`` is the one chosen, and the only one; the focus stays in the search."""
    option = options.nth(index)
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "?")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(options.and_(options.page.locator("[aria-selected=true]"))).to_have_count(1)
    expect(box).to_be_focused()


def test_arrow_keys_enter_and_escape_on_today(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/today?lang=en")
        box = page.get_by_role("combobox", name="Search for a food")
        expect(box).to_have_attribute("aria-expanded", "false")
        expect(box).to_have_attribute("aria-controls", "food-listbox")

        box, options = typed(page, "almonds")
        assert options.count() >= 3
        expect(page.get_by_role("listbox")).to_have_attribute("id", "food-listbox")
        expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))

        page.keyboard.press("ArrowDown")
        chosen(box, options, 0)
        page.keyboard.press("ArrowDown")
        chosen(box, options, 1)
        page.keyboard.press("ArrowUp")
        chosen(box, options, 0)
        page.keyboard.press("ArrowUp")  # from the first food Up goes round to the last
        chosen(box, options, options.count() - 1)

        page.keyboard.press("Escape")  # closes the list and keeps what was typed
        expect(box).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_role("listbox")).to_be_hidden()
        expect(box).to_have_value("almonds")
        expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
        page.keyboard.press("ArrowDown")  # opens it again on the first food
        expect(box).to_have_attribute("aria-expanded", "true")
        chosen(box, options, 0)

        page.keyboard.press("ArrowDown")
        name = options.nth(1).inner_text()
        food = name.split(":", 1)[1].rsplit("(", 1)[0].strip()
        page.keyboard.press("Enter")  # adds the chosen food, and only it
        row = page.locator("#food-rows li", has_text=food)
        expect(row).to_have_count(1)
        expect(page.locator("#food-rows li")).to_have_count(1)
        amount = row.locator("input[name=food_amount]")
        expect(amount).to_be_focused()
        expect(box).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#food-results [role=option]")).to_have_count(0)

        page.keyboard.type("30")
        row.locator("select[name=food_unit]").select_option("g")
        amount.press("Enter")
        expect(page.locator(".log-entries")).to_contain_text(f"30 g {food}")


def test_new_results_forget_the_chosen_food_and_escape_twice_empties(
    page: Page, server: Server
) -> None:
    with server.watch():
        page.goto(f"{server.url}/?lang=en")
        box, options = typed(page, "oats")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        chosen(box, options, 1)
        page.keyboard.type(" cooked", delay=20)
        results_for_what_was_typed(page, box)
        expect(box).to_have_attribute("aria-expanded", "true")
        expect(page.locator("[role=option][aria-selected=true]")).to_have_count(0)
        expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
        page.keyboard.press("Enter")  # nothing chosen: nothing added, the questionnaire not sent
        expect(page.locator("#food-rows li")).to_have_count(0)
        expect(page).to_have_url(f"{server.url}/?lang=en")

        page.keyboard.press("Escape")
        expect(box).to_have_attribute("aria-expanded", "false")
        expect(box).to_have_value("oats cooked")
        page.keyboard.press("Escape")  # the list is closed: the browser empties the field
        expect(box).to_have_value("")


def test_a_food_is_picked_with_the_mouse_too(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/today?lang=de")
        box = page.get_by_role("combobox", name="Lebensmittel suchen")
        watch_results(page)
        box.press_sequentially("Kürbiskerne", delay=20)
        results_for_what_was_typed(page, box)
        option = page.get_by_role("option", name="Kürbiskerne, getrocknet").first
        expect(option).to_be_visible()
        option.click()
        expect(page.locator("#food-rows li", has_text="Kürbiskerne, getrocknet")).to_be_visible()
        expect(box).to_have_attribute("aria-expanded", "false")


def test_results_are_not_a_live_region(page: Page, server: Server) -> None:
    """Only the count of results is announced, not every food on each keystroke."""
    with server.watch():
        page.goto(f"{server.url}/today?lang=en")
        typed(page, "spinach")
        assert page.locator("#food-results[aria-live], #food-listbox[aria-live]").count() == 0
        expect(page.locator("#food-results [role=status]")).to_contain_text("Matching foods")
