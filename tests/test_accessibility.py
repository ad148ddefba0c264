"""Every page passes axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules in a real Chromium.

In English and German, at a desktop's width (1280 px) and a phone's (390 px): the
questionnaire (empty, with food results open, with an error), the assessment,
Today (with food results open), Progress, the photos (two of them), Your data and
its delete question, the case file, the sources, the report (HTML), an error page,
and in server mode sign-in, registration, consent and the account. Debian's ``chromium`` driven by
Playwright; axe-core from npm (tests/_axe.py). The table of violations per page,
language and width is printed after the run (pytest's "figures" section).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterator

import pytest
from tests._axe import add_axe, axe_version, described, violations
from tests._browser import (
    Server,
    chromium,
    needs_chromium,
    running,
    serving_multi_user,
    settled,
)
from tests._summary import SUMMARY

from magwise.foods import FoodIndex

pytestmark = needs_chromium

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import Browser, Page, expect

WIDTHS = {"desktop": 1280, "phone": 390}
SEARCH = {"en": "almonds", "de": "Mandeln"}
PASSWORD = "correct horse battery staple 1"


def png(shade: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (shade, shade // 2, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, food_index: FoodIndex, browser: Browser
) -> Iterator[Server]:
    """Local mode with the example log and two photos of the crown."""
    with running(tmp_path_factory.mktemp("axe-local"), "--example") as started:
        page = browser.new_page()
        try:
            for day, shade in (("2026-09-01", 200), ("2026-11-01", 120)):
                page.goto(f"{started.url}/photos?lang=en")
                page.locator("#photo-file").set_input_files(
                    {"name": "crown.png", "mimeType": "image/png", "buffer": png(shade)}
                )
                page.locator("#photo-area").select_option("crown")
                page.locator("#photo-date").fill(day)
                page.locator("#add button[type=submit]").click()
                expect(page.locator(".log-done")).to_be_visible()
        finally:
            page.close()
        yield started


@pytest.fixture(scope="module")
def multi_user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Server mode (accounts) on a SQLite store of its own; its base URL."""
    where = tmp_path_factory.mktemp("axe-server")
    with serving_multi_user(f"sqlite:///{where / 'magwise.sqlite3'}") as base:
        yield base


def _search(page: Page, lang: str) -> None:
    """Food results open under the search (the combobox expanded)."""
    page.locator("#food-search").press_sequentially(SEARCH[lang], delay=20)
    expect(page.locator("#food-results [role=option]").first).to_be_visible()
    settled(page, "#food-results")


def _questionnaire_error(page: Page, lang: str) -> None:
    page.locator("#sex-female").check()
    page.locator("#age_years").fill("300")
    page.locator("#questionnaire button[type=submit]").click()
    expect(page.locator("#errors")).to_be_visible()


def _assessment(page: Page, lang: str) -> None:
    page.locator("#sex-female").check()
    page.locator("#age_years").fill("34")
    page.locator("#serum_value").fill("0.72")
    page.locator("#hair_pattern").select_option("diffuse")
    page.locator("#duration_weeks").fill("10")
    page.locator("#questionnaire button[type=submit]").click()
    expect(page.locator(".headline")).to_be_visible()


def _register(page: Page, lang: str) -> None:
    width = (page.viewport_size or {"width": 0})["width"]
    page.locator("#email").fill(f"axe-{lang}-{width}@example.org")
    page.locator("#password").fill(PASSWORD)
    page.locator("main button.primary").click()
    page.wait_for_url("**/account/consent**")


def _consent(page: Page, lang: str) -> None:
    """Consent given on the consent page (after ``_register``): the account page."""
    page.locator("#agree").check()
    page.locator("main button.primary").click()
    page.wait_for_url(re.compile(r"/account(\?.*)?$"))


Step = Callable[[Page, str], None] | None

#: (name, path, what is done on the page before it is checked)
LOCAL: list[tuple[str, str, Step]] = [
    ("start", "/", None),
    ("start, food results", "/", _search),
    ("start, with an error", "/", _questionnaire_error),
    ("assessment", "/", _assessment),
    ("today", "/today", None),
    ("today, food results", "/today", _search),
    ("progress", "/progress", None),
    ("photos", "/photos", None),
    ("your data", "/data", None),
    ("delete everything?", "/data/delete", None),
    ("case file", "/case", None),
    ("sources", "/sources", None),
    ("report (HTML)", "/api/v1/me/report", None),
    ("error page", "/no-such-page", None),
]
SERVER: list[tuple[str, str, Step]] = [
    ("sign-in (server)", "/account/sign-in", None),
    ("register (server)", "/account/register", None),
    ("consent (server)", "/account/register", _register),
    ("account (server)", "/account/consent", _consent),
]


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_page_has_no_wcag_violations(
    browser: Browser, server: Server, multi_user: str, lang: str, width: str
) -> None:
    context = browser.new_context(
        viewport={"width": WIDTHS[width], "height": 900},
        locale="de-DE" if lang == "de" else "en-GB",
        is_mobile=width == "phone",
        has_touch=width == "phone",
    )
    add_axe(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    found: dict[str, str] = {}
    rows = []
    try:
        with server.watch():
            for name, path, step in [
                *((n, f"{server.url}{p}", s) for n, p, s in LOCAL),
                *((n, f"{multi_user}{p}", s) for n, p, s in SERVER),
            ]:
                page.goto(f"{path}?lang={lang}")
                if step is not None:
                    step(page, lang)
                expect(page.locator("html")).to_have_attribute("lang", lang)
                broken = violations(page)
                count = sum(len(rule["nodes"]) for rule in broken)
                rows.append(f"{name:<24} {lang:<4} {width:<8} {count:>3}")
                if broken:
                    found[name] = described(broken)
    finally:
        context.close()
    table = "\n".join(rows)
    SUMMARY.append(
        f"axe-core {axe_version()} (WCAG 2.0/2.1/2.2 A, AA) — violations per page, "
        f"{lang}, {width} ({WIDTHS[width]} px):\n{table}"
    )
    print("\n" + SUMMARY[-1])
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())


def test_the_check_finds_what_breaks_the_rules(browser: Browser) -> None:
    """axe-core runs and reports: a page made to break five rules breaks them."""
    context = browser.new_context()
    add_axe(context)
    page = context.new_page()
    try:
        page.set_content(
            "<html><head><title>broken</title></head><body><main>"
            '<p style="color:#aaa;background:#fff">pale text</p>'
            '<input type="text"><img src="data:,">'
            '<a href="/x"></a></main></body></html>'
        )
        found = {rule["id"] for rule in violations(page)}
    finally:
        context.close()
    assert {"html-has-lang", "color-contrast", "label", "image-alt", "link-name"} <= found
