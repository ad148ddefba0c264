"""A person's way through magwise in a real Chromium, in English and German, desktop and phone.

Questionnaire → assessment (kept as the profile) → Today (a food logged with the
food search) → photos (a PNG made here, uploaded) → Progress → the report (HTML,
and the PDF with its pages rendered to PNG by poppler's ``pdftoppm``) → the
calendar download. Each run starts ``magwise serve`` on an empty store of its own.

Screenshots go to ``$MAGWISE_SCREENSHOT_DIR`` (or a temporary directory):
``walk-<lang>-<width>-<step>.png`` and ``walk-<lang>-<width>-report-pdf-<n>.png``.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._browser import (
    Server,
    chromium,
    needs_chromium,
    results_for_what_was_typed,
    running,
    screenshot_dir,
    watch_results,
)

from magwise.foods import FoodIndex

pytestmark = [
    needs_chromium,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm"),
]

if sys.platform != "win32":  # imported here so that collection works without Playwright
    from playwright.sync_api import Browser, Page, expect

WIDTHS = {"desktop": 1280, "phone": 390}

#: What the person sees and types, in each language.
WORDS = {
    "en": {
        "assessment": "Your assessment",
        "today": "Today",
        "search": "pumpkin seeds",
        "food": "Seeds, pumpkin and squash seed kernels, dried",
        "logged": r"30 g Seeds, pumpkin and squash seed kernels, dried",
        "photos": "photos",
        "progress": "Progress",
    },
    "de": {
        "assessment": "Ihre Auswertung",
        "today": "Heute",
        "search": "Kürbiskerne",
        "food": "Kürbiskerne, getrocknet",
        "logged": r"30 g Kürbiskerne, getrocknet",
        "photos": "Fotos",
        "progress": "Verlauf",
    },
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_dir(tmp_path_factory)


@pytest.fixture
def server(tmp_path: Path, food_index: FoodIndex) -> Iterator[Server]:
    with running(tmp_path) as started:
        yield started


def scalp_png() -> bytes:
    """A small picture of a parting (a light stripe on dark hair), as a phone would send."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (58, 40, 30))
    draw = ImageDraw.Draw(image)
    draw.rectangle((225, 0, 255, 360), fill=(224, 186, 160))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def fits(page: Page) -> None:
    """Nothing on the page makes it scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} scrolls sideways ({width}px > {viewport}px)"


def pick_food(page: Page, words: dict[str, str], keys: Path | None = None) -> None:
    """The food searched for and picked: by a tap, or with the arrow keys and Enter (then
    the open list is saved to the screenshot ``keys``)."""
    search = page.locator("input#food-search[role=combobox]")
    watch_results(page)
    search.press_sequentially(words["search"], delay=20)
    results_for_what_was_typed(page, search)
    option = page.get_by_role("listbox").get_by_role("option", name=words["food"]).first
    expect(option).to_be_visible()
    if keys is None:
        option.click()
    else:
        wanted = option.get_attribute("id") or "?"
        for _ in range(page.locator("#food-results [role=option]").count()):
            if search.get_attribute("aria-activedescendant") == wanted:
                break
            search.press("ArrowDown")
        expect(search).to_have_attribute("aria-activedescendant", wanted)
        page.screenshot(path=keys)
        search.press("Enter")
    row = page.locator("#food-rows li", has_text=words["food"])
    expect(row).to_be_visible()
    row.locator("select[name=food_unit]").select_option("g")
    row.locator("input[name=food_amount]").fill("30")


def pdf_pages(pdf: bytes, where: Path, stem: str) -> list[Path]:
    """The PDF's pages as PNG files (``pdftoppm``), ``<stem>-1.png`` onwards."""
    source = where / f"{stem}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(source), str(where / stem)],
        check=True,
        capture_output=True,
    )
    return sorted(where.glob(f"{stem}-*.png"))


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_person_walks_through_magwise(
    browser: Browser, server: Server, screens: Path, lang: str, width: str
) -> None:
    from PIL import Image

    words = WORDS[lang]
    phone = width == "phone"
    context = browser.new_context(
        viewport={"width": WIDTHS[width], "height": 900},
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
        locale="de-DE" if lang == "de" else "en-GB",
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    shot = f"walk-{lang}-{width}"
    try:
        with server.watch():
            # the questionnaire, answered, and its assessment kept as the profile
            page.goto(f"{server.url}/?lang={lang}")
            expect(page.locator("html")).to_have_attribute("lang", lang)
            page.locator("#sex-female").check()
            page.locator("#age_years").fill("34")
            pick_food(page, words)
            page.locator("#serum_value").fill("0.72")
            page.locator("#hair_pattern").select_option("diffuse")
            page.locator("#duration_weeks").fill("10")
            fits(page)
            page.screenshot(path=screens / f"{shot}-1-questionnaire.png", full_page=True)
            page.locator("#questionnaire button[type=submit]").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(words["assessment"])
            expect(page.locator(".headline")).to_be_visible()
            fits(page)
            page.screenshot(path=screens / f"{shot}-2-assessment.png", full_page=True)
            page.locator("form[action^='/assessment/keep'] button[type=submit]").click()

            # Today: a food logged with the food search
            expect(page).to_have_url(f"{server.url}/today?lang={lang}&kept=1")
            expect(page.get_by_role("heading", level=1)).to_contain_text(words["today"])
            pick_food(page, words, None if phone else screens / f"{shot}-3-food-search.png")
            page.locator("#food-form button[type=submit]").click()
            expect(page.locator(".log-entries")).to_contain_text(re.compile(words["logged"]))
            fits(page)
            page.screenshot(path=screens / f"{shot}-3-today.png", full_page=True)

            # photos: a picture of the crown, uploaded
            page.goto(f"{server.url}/photos?lang={lang}")
            expect(page.get_by_role("heading", level=1)).to_contain_text(words["photos"])
            page.locator("#photo-file").set_input_files(
                {"name": "crown.png", "mimeType": "image/png", "buffer": scalp_png()}
            )
            page.locator("#photo-area").select_option("crown")
            page.locator("#add button[type=submit]").click()
            expect(page.locator(".log-done")).to_be_visible()
            photo = page.locator(".photo-list img")
            expect(photo).to_have_count(1)
            expect(photo).to_have_js_property("complete", True)
            assert photo.evaluate("img => img.naturalWidth") > 0, "the photo is shown"
            fits(page)
            page.screenshot(path=screens / f"{shot}-4-photos.png", full_page=True)

            # Progress
            page.goto(f"{server.url}/progress?lang={lang}")
            expect(page.get_by_role("heading", level=1)).to_have_text(words["progress"])
            expect(page.locator("figure.log-chart svg >> visible=true").first).to_be_visible()
            fits(page)
            page.screenshot(path=screens / f"{shot}-5-progress.png", full_page=True)

            # the report: HTML to print, and the PDF, its pages rendered and looked at
            pdf_link = page.locator("#report-pdf").get_attribute("href")
            calendar_link = page.locator("a[href^='/api/v1/me/calendar.ics']").first.get_attribute(
                "href"
            )
            assert pdf_link is not None and f"lang={lang}" in pdf_link
            assert calendar_link is not None and f"lang={lang}" in calendar_link
            page.locator("#report-html").click()
            expect(page.locator("html")).to_have_attribute("lang", lang)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            food = re.compile(words["logged"].split(" g ", 1)[1])
            expect(page.locator("body")).to_contain_text(food)
            page.screenshot(path=screens / f"{shot}-6-report.png", full_page=True)
            answer = page.request.get(f"{server.url}{pdf_link}")
            assert answer.status == 200, answer.text()
            assert answer.headers["content-type"] == "application/pdf"
            pages = pdf_pages(answer.body(), screens, f"{shot}-report-pdf")
            assert pages, "the PDF has pages"
            first = Image.open(pages[0]).convert("L")
            darkest, lightest = first.getextrema()  # type: ignore[misc]
            assert darkest < 100 < lightest, "the first page shows text on paper"

            # the calendar: reminders to import into the phone's calendar
            answer = page.request.get(f"{server.url}{calendar_link}")
            assert answer.status == 200, answer.text()
            assert answer.headers["content-type"].startswith("text/calendar")
            from icalendar import Calendar

            events = Calendar.from_ical(answer.body()).walk("VEVENT")
            assert events, "the calendar holds reminders"
            assert all(event.get("DTSTART") is not None for event in events)
    finally:
        context.close()
