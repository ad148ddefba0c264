"""A person's pages in their language: Babel's numbers, dates and plural forms; errors
that name the form's own label, in German on German pages; plain import errors; charts
that fit a phone's width."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient
from tests._browser import chromium, needs_chromium, running, screenshot_dir
from tests._web import local_client

from magwise import l10n
from magwise.examples.diary import seed_example
from magwise.store import Store
from magwise.web import Settings, create_app
from magwise.web.i18n import messages
from magwise.web.import_errors import line_of

#: a day in the past whose written forms are known
DAY = dt.date(2025, 12, 4)


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'magwise.sqlite3'}"


@pytest.fixture
def client(store_url: str, data_dir: Path) -> Iterator[TestClient]:
    with Store.open(store_url) as store:
        me = store.local_person()
        store.define_product(me, "Citrate", elemental_mg_per_unit=310.5, form=None)
        store.add_supplement(me, DAY, "Citrate", elemental_mg_per_unit=310.5, units=1)
        store.add_water(me, DAY, liters=1.25, mg_per_liter=108.5, name="Quelle")
        store.define_water(me, "Quelle", mg_per_liter=108.5)
    with local_client(create_app(Settings(database_url=store_url, warm_up=False))) as client:
        yield client


@pytest.fixture
def example(store_url: str, data_dir: Path) -> Iterator[TestClient]:
    with Store.open(store_url) as store:
        assert seed_example(store, store.local_person())
    with local_client(create_app(Settings(database_url=store_url, warm_up=False))) as client:
        yield client


def _text(page: str) -> str:
    """The page's words as a person reads them (tags gone, entities read, spaces folded)."""
    body = page.split("<main", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


# -- numbers, dates and plural forms -------------------------------------------------


def test_babel_writes_numbers_and_dates_as_each_language_does() -> None:
    assert l10n.mg(310.5, "de") == "310,5 mg"
    assert l10n.mg(310.5, "en") == "310.5 mg"
    assert l10n.number(1234.5, "de") == "1.234,5"
    assert l10n.number(1234.5, "en") == "1,234.5"
    assert l10n.number(2.0, "de") == "2"
    assert l10n.date(dt.date(2026, 12, 4), "de") == "4. Dezember 2026"
    assert l10n.date(dt.date(2026, 12, 4), "en") == "December 4, 2026"
    assert l10n.decimals("0.7–1.1 mmol/L on 2026-12-04", "de") == "0,7–1,1 mmol/L on 2026-12-04"
    assert l10n.decimals("0.7–1.1", "en") == "0.7–1.1"
    assert messages("de").n("log_progress.weeks", 1) == "1 Woche"
    assert messages("de").n("log_progress.weeks", 4) == "4 Wochen"
    assert messages("en").n("log_progress.weeks", 1) == "1 week"


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.sampled_from(["en", "de"]))
def test_a_written_number_reads_back_as_the_number(value: float, lang: str) -> None:
    written = l10n.number(value, lang)
    thousands, decimal = (".", ",") if lang == "de" else (",", ".")
    assert float(written.replace(thousands, "").replace(decimal, ".")) == round(value, 2)


def test_german_today_page_writes_numbers_and_the_day_as_germans_do(client: TestClient) -> None:
    german = _text(client.get("/today", params={"lang": "de", "date": DAY.isoformat()}).text)
    assert "4. Dezember 2025" in german
    assert "310,5 mg" in german  # the supplement entry's magnesium
    assert "1,25 l Quelle mit 108,5 mg/L" in german  # the water entry's line
    assert "135,6 mg" in german  # the water's magnesium: 1.25 l x 108.5 mg/L
    assert "Citrate (310,5 mg)" in german  # the product list
    assert "310.5" not in german and "108.5" not in german and "2025-12-04" not in german
    english = _text(client.get("/today", params={"lang": "en", "date": DAY.isoformat()}).text)
    assert "December 4, 2025" in english
    assert "310.5 mg" in english and "Citrate (310.5 mg)" in english
    assert "310,5" not in english


def test_german_progress_page_writes_dates_numbers_and_plurals(example: TestClient) -> None:
    german = _text(example.get("/progress", params={"lang": "de"}).text)
    months = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    period = re.search(rf"Gezeigter Zeitraum (\d{{1,2}}\. ({months}) \d{{4}}) – ", german)
    assert period is not None, "the period shown, in German words"
    assert re.search(rf"Median zu Beginn \d+ \(\d{{1,2}}\. ({months}) \d{{4}} bis ", german)
    assert re.search(r"Serum-Magnesium 0,\d\d mmol/L", german)  # the lab table, by comma
    assert "4 Wochen" in german and "26 Wochen" in german
    assert not re.search(r"\d\.\d+ mg", german), "no English decimal point before a unit"
    one = _text(example.get("/progress", params={"lang": "de", "weeks": "1"}).text)
    assert "Gezeigter Zeitraum" in one
    english = _text(example.get("/progress", params={"lang": "en"}).text)
    assert re.search(r"Period shown [A-Z][a-z]+ \d{1,2}, \d{4} – ", english)


def test_the_data_page_says_one_record_in_the_singular(store_url: str, data_dir: Path) -> None:
    with Store.open(store_url) as store:
        store.add_note(store.local_person(), DAY, "hi")
    with local_client(create_app(Settings(database_url=store_url, warm_up=False))) as client:
        german = _text(client.get("/data/delete", params={"lang": "de"}).text)
        english = _text(client.get("/data/delete", params={"lang": "en"}).text)
    assert "der eine für Sie gespeicherte Datensatz" in german
    assert "the one record kept for you" in english


# -- errors name the form's label, in the page's language ------------------------------

D = DAY.isoformat()
#: (form, bad input, the field's label in English and German, the internal names it must not show)
FORMS = [
    ("/today/food", {"date": D, "food": "09040", "food_amount": "lots", "food_unit": "g"},
     "Amount", "Menge", ("amount", "food_amount")),
    ("/today/food", {"date": D}, "Search for a food", "Lebensmittel suchen", ("food",)),
    ("/today/food", {"date": "2025-13-01", "food": "09040", "food_amount": "5", "food_unit": "g"},
     "Day", "Tag", ("date",)),
    ("/today/supplement", {"date": D, "product": "Citrate", "units": "x"},
     "Units", "Einheiten", ("units",)),
    ("/today/product", {"date": D, "product_name": "A", "elemental_mg": "zz"},
     "Elemental magnesium per unit", "Elementares Magnesium pro Einheit", ("elemental_mg",)),
    ("/today/water", {"date": D, "water": "Quelle", "liters": "lots"},
     "Amount", "Menge", ("liters", "amount")),
    ("/today/water-name", {"date": D, "water_name": "X", "mg_per_l": "q"},
     "Magnesium", "Magnesium", ("mg_per_l",)),
    ("/today/water-typed", {"date": D, "water_liters": "1", "water_name": "Neu", "water_mg": ""},
     "Magnesium", "Magnesium", ("water_mg",)),
    ("/today/shedding", {"date": D, "count": "many"},
     "Hairs counted", "Gezählte Haare", ("count",)),
    ("/today/symptom", {"date": D, "symptom": ""}, "Symptom", "Beschwerde", ("symptom",)),
    ("/today/lab", {"date": D, "lab_value": "abc"}, "Result", "Ergebnis", ("lab_value", "value")),
    ("/today/lab", {"date": D, "lab_value": "0.8", "lab_unit": "mmol/L", "lab_range": "2-1"},
     "The lab's range", "Referenzbereich des Labors", ("range", "lab_range")),
    ("/today/profile", {"date": D, "sex": "female", "age": "old"}, "Age", "Alter", ("age",)),
    ("/today/edit", {"date": D, "entry": "1", "amount": "lots"}, "Entries", "Einträge", ("entry",)),
    ("/today/own-food", {"date": D, "own_name": "Brot", "mg_per_100g": "x"},
     "Magnesium per 100 g", "Magnesium pro 100 g", ("mg_per_100g",)),
    ("/today/own-food", {"date": D, "own_name": "", "mg_per_100g": "5"},
     "Name", "Name", ("name", "own_name")),
    ("/today/meal-log", {"date": D, "saved_meal": ""},
     "Saved meals", "Gespeicherte Mahlzeiten", ("saved_meal",)),
    ("/assessment", {"sex": "female", "age_years": "x"}, "Age (years)", "Alter (Jahre)",
     ("age_years", "profile.age_years")),
    ("/assessment", {"sex": "female", "age_years": "30", "serum_value": "0.8",
                     "serum_date": "2025-13-01"},
     "Date of the test", "Datum der Messung", ("serum_date", "labs[0].date", "body.")),
]  # fmt: skip
#: English words that no German error line may hold
ENGLISH = ("is not", "accepted", "missing", "choose", "give ", "out of range", "please")


def _error_line(page: str) -> str:
    found = re.search(r'id="(?:errors|photo-error)"[^>]*>(.*?)</(?:p|div)>', page, re.S)
    assert found is not None, "the page shows its error"
    inner = found.group(1).replace("</h2>", " ")
    text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("⚠", "")
    text = " ".join(text.split())
    return text.removeprefix("Please check your answers ").removeprefix(
        "Bitte prüfen Sie Ihre Angaben "
    )


@pytest.mark.parametrize(("form", "data", "english", "german", "internal"), FORMS)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_an_error_names_the_forms_label_in_the_pages_language(
    client: TestClient,
    *,
    form: str,
    data: dict[str, str],
    english: str,
    german: str,
    internal: tuple[str, ...],
    lang: str,
) -> None:
    answer = client.post(f"{form}?lang={lang}", data=data)
    assert answer.status_code == 422
    line = _error_line(answer.text)
    label = german if lang == "de" else english
    assert line.startswith(f"{label}: "), line
    message = line.removeprefix(f"{label}: ")
    for name in (*internal, "body"):  # no internal name, in front or inside
        assert not re.search(rf"(^|\s){re.escape(name)}[:.\[]", message), (name, line)
    if lang == "de":
        for word in ENGLISH:
            assert word not in message, (word, line)


def test_a_german_amount_error_says_what_to_enter(client: TestClient) -> None:
    data = {"date": D, "food": "09040", "food_amount": "viel", "food_unit": "g"}
    line = _error_line(client.post("/today/food?lang=de", data=data).text)
    assert line.startswith("Menge: „viel g“ ist keine Menge")
    assert line.endswith("bitte eine Zahl mit Einheit eingeben, z. B. 30 g")


def test_a_german_range_error_writes_its_bounds_as_germans_do(client: TestClient) -> None:
    data = {"date": D, "water_name": "X", "mg_per_l": "99999"}
    line = _error_line(client.post("/today/water-name?lang=de", data=data).text)
    assert "99.999 liegt außerhalb des möglichen Bereichs; möglich: 0 bis 2.000" in line


@pytest.mark.parametrize("lang", ["en", "de"])
def test_photo_and_period_errors_name_their_labels(client: TestClient, lang: str) -> None:
    photo = client.post(
        f"/photos?lang={lang}",
        data={"area": "crown", "date": D},
        files={"file": ("a.jpg", b"not a photo", "image/jpeg")},
    )
    assert photo.status_code == 422
    assert _error_line(photo.text).startswith("Foto: " if lang == "de" else "Photo: ")
    period = client.get("/progress", params={"lang": lang, "weeks": "many"})
    assert period.status_code == 422
    line = _error_line(period.text)
    assert line.startswith("Zeitraum: " if lang == "de" else "Period: ")
    assert "weeks:" not in line


def test_the_api_still_answers_with_the_field_path(client: TestClient) -> None:
    answer = client.post("/api/v1/me/entries/shedding", json={"date": D, "count": "many"})
    assert answer.status_code == 422
    detail = answer.json()["detail"][0]
    assert detail["loc"][0] == "body" and "field" in detail


# -- import errors in plain words ------------------------------------------------------


def _bad_export(example: TestClient) -> tuple[str, int]:
    """An export with one impossible date, and the line of the file it stands on."""
    doc = example.get("/data/export").json()
    doc["shedding"][1]["date"] = "2026-13-01"
    text = json.dumps(doc, indent=1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "2026-13-01" in row)
    return text, line


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Export file: Line {line} (entry 2 of “shedding”): "
               "the date 2026-13-01 is not a date"),
        ("de", "Exportdatei: Zeile {line} (Eintrag 2 in „shedding“): "
               "Das Datum 2026-13-01 ist kein Datum"),
    ],
)  # fmt: skip
def test_an_import_error_says_which_line_and_what_is_wrong(
    example: TestClient, store_url: str, lang: str, expected: str
) -> None:
    text, line = _bad_export(example)
    answer = example.post(
        f"/data/import?lang={lang}",
        data={"replace": "yes"},
        files={"file": ("magwise.json", text.encode(), "application/json")},
    )
    assert answer.status_code == 422
    assert _error_line(answer.text).startswith(expected.format(line=line))
    with Store.open(store_url) as store:  # nothing written, nothing replaced
        assert store.counts(store.local_person())["shedding"] == len(json.loads(text)["shedding"])


@pytest.mark.parametrize(
    ("content", "english", "german"),
    [
        (b'{"a": 1,\n "b": }', "Line 2, column 7: this is not valid JSON",
         "Zeile 2, Spalte 7: Das ist kein gültiges JSON"),
        (b"\xff\xfe", "this file is not a text file", "Diese Datei ist keine Textdatei"),
        (b'{"format": "other"}', "this file is not a magwise export",
         "Diese Datei ist kein magwise-Export"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_export_says_so_plainly(
    client: TestClient, content: bytes, english: str, german: str
) -> None:
    for lang, expected in (("en", english), ("de", german)):
        answer = client.post(
            f"/data/import?lang={lang}",
            data={"replace": "yes"},
            files={"file": ("x.json", content, "application/json")},
        )
        assert answer.status_code == 422
        line = _error_line(answer.text)
        assert expected in line, line
        label = "Exportdatei: " if lang == "de" else "Export file: "
        assert line.startswith(label) and "format:" not in line, line


def test_line_of_finds_a_value_in_a_json_document() -> None:
    text = '{\n "a": [\n  {"x": 1},\n  {"x": 2,\n   "y": "z"}\n ],\n "b": true\n}'
    assert line_of(text, ["a", 1, "y"]) == 5
    assert line_of(text, ["a", 0]) == 3
    assert line_of(text, ["b"]) == 7
    assert line_of(text, ["a", 5]) is None
    assert line_of("not json", ["a"]) is None


# -- charts fit a phone ----------------------------------------------------------------


def test_every_chart_scales_and_has_a_narrow_version(example: TestClient) -> None:
    page = example.get("/progress", params={"lang": "de"}).text
    svgs = re.findall(r"<svg\b[^>]*>", page)
    narrow = [svg for svg in svgs if 'data-layout="narrow"' in svg]
    assert len(svgs) == 8 and len(narrow) == 4
    for svg in svgs:
        assert re.search(r'viewBox="0 0 \d+ [\d.]+"', svg), svg
    for svg in narrow:
        width = re.search(r'\bwidth="(\d+)"', svg)
        assert width is not None and int(width.group(1)) <= 360, svg
    ids = re.findall(r'<pattern id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "each chart's patterns have their own ids"


@needs_chromium
def test_charts_fit_a_phone_and_a_desktop_in_both_languages(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path
) -> None:
    screens = screenshot_dir(tmp_path_factory)
    with running(tmp_path_factory.mktemp("locale"), "--example") as server, chromium() as browser:
        for width, height in ((390, 844), (360, 740), (1280, 900)):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for lang in ("en", "de"):
                page.goto(f"{server.url}/progress?lang={lang}")
                page.screenshot(path=screens / f"progress-{lang}-{width}.png", full_page=True)
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                shown = page.evaluate(
                    "[...document.querySelectorAll('figure.log-chart svg')]"
                    ".filter(s => s.getBoundingClientRect().width > 0)"
                    ".map(s => [s.dataset.layout || 'wide', s.getBoundingClientRect().right])"
                )
                assert len(shown) == 4, shown
                assert {layout for layout, _ in shown} == {"narrow" if width < 640 else "wide"}, (
                    shown
                )
                assert all(right <= width for _, right in shown), shown
                keys = page.locator('figure.log-chart svg[data-layout="narrow"] text')
                if width < 640:  # the legend stands below the narrow chart, visible
                    label = "Lebensmittel" if lang == "de" else "food"
                    assert keys.filter(has_text=label).first.is_visible()
            context.close()
