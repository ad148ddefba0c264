"""The pages in a real Chromium: questionnaire to assessment, keyboard, phone, German.

Debian's ``chromium`` (``/usr/bin/chromium``) driven by Playwright; the server is
``magwise serve`` on a free loopback port in a subprocess, and its log is printed
when a test fails. Screenshots go to ``$MAGWISE_SCREENSHOT_DIR`` (or a temporary
directory) so that a person can look at them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._browser import Server, chromium, needs_chromium, running, screenshot_dir, settled

pytestmark = needs_chromium

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import Browser, Page, expect


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("server")) as started:
        yield started


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_dir(tmp_path_factory)


def pick_food(page: Page, query: str, description: str) -> None:
    """Type into the food search, wait for the list, pick ``description``."""
    search = page.locator("#food-search")
    search.fill("")
    search.press_sequentially(query, delay=20)
    choice = page.locator("#food-results").get_by_role("option", name=description, exact=False)
    expect(choice.first).to_be_visible()
    settled(page, "#food-results")
    choice.first.click()
    row = page.locator("#food-rows li", has_text=description).last
    expect(row).to_be_visible()
    # the picked food's amount takes the focus once the row has settled
    expect(row.locator("input[name=food_amount]")).to_be_focused()


def test_questionnaire_to_assessment(page: Page, server: Server, screens: Path) -> None:
    with server.watch():
        page.goto(f"{server.url}/?lang=en")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Is magnesium behind your hair loss?"
        )
        page.get_by_label("female", exact=True).check()
        page.get_by_label("Age (years)").fill("34")
        page.locator("#section-health summary", has_text="Medicines").click()
        page.get_by_label("Levothyroxine", exact=False).first.check()

        pick_food(page, "almonds", "Nuts, almonds")
        pick_food(page, "spinach cooked", "Spinach, cooked")
        rows = page.locator("#food-rows li")
        expect(rows).to_have_count(2)
        rows.nth(0).get_by_label("Unit").select_option("g")
        rows.nth(0).get_by_label("Amount").fill("30")
        rows.nth(1).get_by_label("Unit").select_option("g")
        rows.nth(1).get_by_label("Amount").fill("150")
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
        page.screenshot(path=screens / "questionnaire.png", full_page=True)
        page.locator("#section-day").scroll_into_view_if_needed()
        page.screenshot(path=screens / "web-questionnaire.png")

        page.get_by_role("button", name="Assess").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment")
        headline = page.locator(".headline")
        expect(headline).to_contain_text("Magnesium status")
        expect(headline).to_contain_text("low")
        findings = page.locator(".findings > li")
        assert findings.count() >= 5
        expect(findings.first.locator(".severity")).not_to_be_empty()
        expect(page.locator("#finding-hair_mg_no_evidence")).to_contain_text("magnesium")
        expect(page.get_by_role("heading", name="Hair-loss screen")).to_be_visible()
        # intake below the target with a low serum value: the plan, with its times
        expect(page.get_by_role("heading", name="Dose plan")).to_be_visible()
        expect(page.locator(".headline")).to_contain_text("take at most")
        page.screenshot(path=screens / "assessment.png", full_page=True)
        page.screenshot(path=screens / "web-assessment.png")

        link = page.locator("#finding-hair_mg_no_evidence .sources a").first
        source = link.inner_text()
        link.click()
        expect(page).to_have_url(f"{server.url}/sources?lang=en#source-{source}")
        expect(page.locator(f"#source-{source}")).to_be_in_viewport()


def test_keyboard_only(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()

        page.get_by_label("Search for a food").focus()
        with page.expect_response(lambda r: "/partials/foods" in r.url):
            page.keyboard.type("hemp seeds", delay=20)
        expect(page.get_by_role("listbox").get_by_role("option").first).to_be_visible()
        settled(page, "#food-results")
        page.keyboard.press("Enter")  # must not send the questionnaire
        expect(page).to_have_url(f"{server.url}/#main")
        page.keyboard.press("ArrowDown")  # the food search is a combobox: Down reaches a food
        expect(page.get_by_role("listbox").get_by_role("option").first).to_have_attribute(
            "aria-selected", "true"
        )
        page.keyboard.press("Enter")
        amount = page.locator("#food-rows li input[name=food_amount]").first
        expect(amount).to_be_focused()  # the picked food's amount is next to type
        page.keyboard.press("Tab")
        expect(page.locator("#food-rows li select").first).to_be_focused()
        page.keyboard.press("Tab")
        expect(
            page.get_by_role("button", name="Remove: Seeds, hemp seed", exact=False)
        ).to_be_focused()

        page.get_by_label("male", exact=True).focus()
        page.keyboard.press("Space")
        page.get_by_label("Age (years)").focus()
        page.keyboard.type("52")
        page.get_by_role("button", name="Assess").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment")


def test_errors_are_announced_and_linked(page: Page, server: Server) -> None:
    with server.watch():
        page.goto(f"{server.url}/")
        page.get_by_label("female", exact=True).check()
        page.get_by_label("Age (years)").fill("300")
        page.get_by_role("button", name="Assess").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text(
            "Age (years): 300 is out of range; accepted: a number at most 130"
        )
        alert.get_by_role("link").click()
        expect(page.get_by_label("Age (years)")).to_have_value("300")


def test_phone_screen(browser: Browser, server: Server, screens: Path) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, device_scale_factor=1, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        with server.watch():
            page.goto(f"{server.url}/?lang=en")
            no_sideways = "document.documentElement.scrollWidth <= window.innerWidth"
            assert page.evaluate(no_sideways)
            page.get_by_label("male", exact=True).check()
            page.get_by_label("Age (years)").fill("45")
            pick_food(page, "oats", "oats")
            assert page.evaluate(no_sideways)
            page.screenshot(path=screens / "phone-questionnaire.png")
            page.get_by_role("button", name="Assess").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment")
            assert page.evaluate(no_sideways)
            page.screenshot(path=screens / "web-phone-assessment.png")
    finally:
        context.close()


def test_german(browser: Browser, server: Server, screens: Path) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        with server.watch():
            page.goto(f"{server.url}/")
            expect(page.locator("html")).to_have_attribute("lang", "de")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Steckt Magnesium hinter Ihrem Haarausfall?"
            )
            expect(page.get_by_label("Referenzwerte")).to_have_value("dge")
            page.get_by_label("weiblich").check()
            page.get_by_label("Alter (Jahre)").fill("29")
            pick_food(page, "Linsen gekocht", "Linsen, gekocht")  # German words and names
            page.get_by_label("Liter pro Tag").fill("1,5")
            page.get_by_label("Magnesium (mg pro Liter)").fill("30")
            page.get_by_role("button", name="Auswerten").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Auswertung")
            expect(page.locator(".headline")).to_contain_text("Magnesiumstatus")
            expect(page.locator(".headline")).to_contain_text("Ihre Magnesiumversorgung")
            page.screenshot(path=screens / "german-assessment.png", full_page=True)
            page.get_by_role("button", name="English").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment")
    finally:
        context.close()
