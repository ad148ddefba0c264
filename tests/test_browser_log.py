"""The log pages in a real Chromium: Today, Progress and Your data.

Debian's ``chromium`` (``/usr/bin/chromium``) driven by Playwright, against
``magwise serve --example`` on a free loopback port with its own store
(``MAGWISE_DATABASE_URL`` in a temporary directory); the server's log is printed
when a test fails. Screenshots go to ``$MAGWISE_SCREENSHOT_DIR`` (or a temporary
directory): ``web-today.png``, ``web-progress.png``, ``web-data.png`` and their
``web-phone-*`` versions.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._browser import Server, chromium, needs_chromium, running, screenshot_dir, settled

from magwise.foods import FoodIndex

pytestmark = needs_chromium

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import Browser, Page, expect


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("log-server"), "--example") as started:
        yield started


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1000, "height": 900}, locale="en-GB", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_dir(tmp_path_factory)


def total_mg(page: Page) -> float:
    text = page.locator("#intake-total").inner_text()
    return float(text.replace("mg", "").replace(",", "").strip())  # "2,300 mg" in English


def entry_count(page: Page) -> int:
    return page.locator(".log-entries > li").count()


def test_log_a_food_with_search_as_you_type(
    page: Page, server: Server, food_index: FoodIndex
) -> None:
    with server.watch():
        page.goto(f"{server.url}/today?lang=en")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
        expect(page.locator(".log-example")).to_contain_text("example data")
        before_total, before_entries = total_mg(page), entry_count(page)

        search = page.locator("#food-search")
        search.press_sequentially("pumpkin seeds", delay=20)
        choice = page.locator("#food-results").get_by_role(
            "option", name="Seeds, pumpkin and squash seed kernels, dried"
        )
        expect(choice.first).to_be_visible()
        settled(page, "#food-results")
        choice.first.click()
        row = page.locator("#food-rows li", has_text="pumpkin and squash seed kernels, dried")
        expect(row).to_be_visible()
        amount = row.locator("input[name=food_amount]")
        expect(amount).to_be_focused()
        row.locator("select[name=food_unit]").select_option("g")
        amount.fill("30")
        page.get_by_role("button", name="Log the food").click()

        expect(page.locator(".log-entries")).to_contain_text(
            "30 g Seeds, pumpkin and squash seed kernels, dried"
        )
        assert entry_count(page) == before_entries + 1
        mg = food_index.get("12014").mg_per_100g
        assert mg is not None
        assert total_mg(page) - before_total == pytest.approx(mg * 30 / 100, abs=1)


def test_log_a_food_by_portion_with_the_keyboard(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/today?lang=en")
        before = entry_count(page)
        page.locator("#food-search").press_sequentially("cashew", delay=20)
        choice = page.locator("#food-results").get_by_role("option", name="Nuts, cashew nuts, raw")
        expect(choice.first).to_be_visible()
        settled(page, "#food-results")
        wanted = choice.first.get_attribute("id") or "?"
        search = page.locator("#food-search")
        for _ in range(page.locator("#food-results [role=option]").count()):
            if search.get_attribute("aria-activedescendant") == wanted:
                break
            page.keyboard.press("ArrowDown")  # the search keeps the focus; Down reaches a food
        expect(search).to_have_attribute("aria-activedescendant", wanted)
        page.keyboard.press("Enter")
        row = page.locator("#food-rows li", has_text="Nuts, cashew nuts, raw")
        amount = row.locator("input[name=food_amount]")
        expect(amount).to_be_focused()
        row.locator("select[name=food_unit]").select_option("1 oz")
        amount.fill("2")
        amount.press("Enter")  # submits the food form
        expect(page.locator(".log-entries")).to_contain_text("2 x 1 oz Nuts, cashew nuts, raw")
        assert entry_count(page) == before + 1


def test_typing_an_amount_after_picking_a_food_replaces_the_default(
    page: Page, server: Server
) -> None:
    """The picked food's amount (1 portion) is selected: typing "2" logs 2 portions, not 21."""
    with server.watch():
        page.goto(f"{server.url}/today?lang=en")
        before = entry_count(page)
        page.locator("#food-search").press_sequentially("pumpkin seeds", delay=20)
        choice = page.locator("#food-results").get_by_role(
            "option", name="Seeds, pumpkin and squash seed kernels, dried"
        )
        expect(choice.first).to_be_visible()
        settled(page, "#food-results")
        choice.first.click()
        row = page.locator("#food-rows li", has_text="pumpkin and squash seed kernels, dried")
        amount = row.locator("input[name=food_amount]")
        expect(amount).to_be_focused()
        expect(amount).to_have_value("1")
        portion = row.locator("select[name=food_unit]").input_value()
        assert portion != "g"
        page.keyboard.type("2")
        expect(amount).to_have_value("2")
        page.keyboard.press("Enter")  # submits the food form
        expect(page.locator(".log-entries")).to_contain_text(
            f"2 x {portion} Seeds, pumpkin and squash seed kernels, dried"
        )
        assert entry_count(page) == before + 1


def test_add_a_supplement_and_define_one_inline(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/today?lang=en")
        before_total = total_mg(page)
        supplements = page.locator("#log-supplement")
        supplements.get_by_label("Product").select_option("Magnesium citrate 150")
        supplements.get_by_label("Units").fill("2")
        supplements.get_by_role("button", name="Log the supplement").click()
        expect(page.locator(".log-entries")).to_contain_text(
            "2 x Magnesium citrate 150 (300 mg magnesium)"
        )
        assert total_mg(page) - before_total == pytest.approx(300, abs=1)
        limit = page.locator("#log-intake .log-measure", has_text="upper limit")
        expect(limit).to_contain_text("above the upper limit")

        supplements = page.locator("#log-supplement")
        supplements.get_by_text("Define a product").click()
        supplements.get_by_label("Name (as on the label)").fill("Glycinate 100")
        supplements.get_by_label("Elemental magnesium per unit").fill("100")
        supplements.get_by_label("Salt form").select_option("bisglycinate")
        supplements.get_by_role("button", name="Save the product").click()
        options = page.locator("#product option")
        expect(options.filter(has_text="Glycinate 100")).to_have_count(1)

        # undo removes the last entry: the 2 tablets
        page.get_by_role("button", name="Undo the last entry").click()
        expect(page.locator(".log-entries")).not_to_contain_text("2 x Magnesium citrate 150")


def test_bad_input_is_one_line_naming_the_field(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/today?lang=en")
        before = server.counts()
        shedding = page.locator("#log-shedding")
        shedding.get_by_label("Hairs counted").fill("lots")
        shedding.get_by_role("button", name="Log the count").click()
        error = page.get_by_role("alert")
        expect(error).to_have_text(
            re.compile(r"^\W*Hairs counted: 'lots'; accepted: a whole number")
        )
        expect(page.locator("#log-shedding").get_by_label("Hairs counted")).to_have_value("lots")
        assert server.counts() == before


def test_other_days_and_delete_an_entry(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/today?lang=en")
        page.get_by_role("link", name="Day before").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Your log for")
        before = entry_count(page)
        assert before > 0
        first = page.locator(".log-entries > li").first
        first.get_by_role("button", name=re.compile("^Delete")).click()
        expect(page.locator(".log-entries > li")).to_have_count(before - 1)
        assert page.url.endswith("#log-entries")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Your log for")


def test_progress_shows_the_charts_and_the_verdict(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/progress?lang=en")
        expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
        charts = page.locator('figure.log-chart svg:not([data-layout="narrow"])')
        expect(charts).to_have_count(4)
        for title in ("Magnesium intake", "Shedding counts", "Serum magnesium", "Symptoms"):
            wide = page.locator('figure.log-chart svg:not([data-layout="narrow"]) title')
            expect(wide.filter(has_text=title)).to_have_count(1)
        summary = page.locator("#verdict")
        expect(summary).to_contain_text("Shedding")
        expect(summary).to_contain_text("See a doctor")
        expect(page.locator(".findings > li").first).to_be_visible()
        page.get_by_role("link", name="4 weeks").click()
        expect(page.get_by_role("link", name="4 weeks")).to_have_attribute("aria-current", "page")
        expect(page.locator("figure.log-chart svg").first).to_be_visible()


def test_export_downloads_the_entries(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/data?lang=en")
        held = int(page.locator("#count-food").inner_text())
        assert held > 0
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the export (JSON)").click()
        download = info.value
        assert re.fullmatch(r"magwise-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
        doc = json.loads(Path(download.path()).read_text(encoding="utf-8"))
        assert doc["format"] == "magwise-export"
        assert len(doc["foods"]) == held
        logged = [f for f in doc["foods"] if f["ndb"] == "12014" and f["grams"] == 30]
        assert logged, "the food logged on the Today page is in the export"
        assert [p["name"] for p in doc["products"]] == ["Glycinate 100", "Magnesium citrate 150"]


def test_screenshots(
    page: Page, phone: Page, tmp_path: Path, data_dir: Path, screens: Path
) -> None:
    """The pages as a person first meets them (a fresh example log), desktop and phone."""
    with running(tmp_path, "--example") as server, server.watch():
        for name, path in (("today", "/today"), ("progress", "/progress"), ("data", "/data")):
            page.goto(f"{server.url}{path}?lang=en")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            if name == "today":
                page.locator("#food-search").press_sequentially("pumpkin seeds", delay=20)
                expect(page.locator("#food-results li").first).to_be_visible()
                settled(page, "#food-results")
            page.screenshot(path=screens / f"web-{name}.png", full_page=True)
            phone.goto(f"{server.url}{path}?lang=en")
            expect(phone.get_by_role("heading", level=1)).to_be_visible()
            phone.screenshot(path=screens / f"web-phone-{name}.png")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"


def test_german_pages(page: Page, server: Server) -> None:
    with server.watch():
        for path, heading in (
            ("/today", "Heute"),
            ("/progress", "Verlauf"),
            ("/data", "Ihre Daten"),
        ):
            page.goto(f"{server.url}{path}?lang=de")
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
            expect(page.locator("html")).to_have_attribute("lang", "de")
            expect(page.get_by_role("navigation", name="Hauptmenü")).to_contain_text("Verlauf")


def test_delete_everything_empties_the_store(page: Page, tmp_path: Path, data_dir: Path) -> None:
    with running(tmp_path, "--example") as server, server.watch():
        assert sum(server.counts().values()) > 0
        page.goto(f"{server.url}/data?lang=en")
        page.get_by_role("link", name="Delete everything…").click()
        confirm = page.locator("#confirm")
        expect(confirm).to_contain_text("Delete everything?")
        assert sum(server.counts().values()) > 0, "asking deletes nothing"
        confirm.get_by_role("button", name="Yes, delete everything").click()
        expect(page.get_by_role("status")).to_have_text(re.compile("Everything was deleted"))
        expect(page.locator("#held-nothing")).to_be_visible()
        expect(page.locator(".log-example")).to_have_count(0)
        assert set(server.counts().values()) == {0}
        page.goto(f"{server.url}/today?lang=en")
        expect(page.locator(".log-entries")).to_have_count(0)
        expect(page.locator("#log-intake")).to_contain_text("Give your sex and age")
