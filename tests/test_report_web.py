"""The report from the web, in the page's language: linked from Progress and Your data,
German words, numbers and dates (HTML and PDF), the name and date of birth a person
may give (in the report and the export only), and the first and latest scalp photos.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.cli import cli
from magwise.examples.diary import seed_example
from magwise.knowledge import load_knowledge
from magwise.photos import prepare_photo
from magwise.report.photos import REPORT_EDGE_PIXELS
from magwise.store import Store
from magwise.store._photos import add_photo
from magwise.web import Settings, create_app

ME = "/api/v1/me"
TODAY = dt.date.today()
EN = load_knowledge().report_texts
DE = load_knowledge("de").report_texts
NEEDS_POPPLER = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) not installed",
)


def _jpeg(shade: int, size: tuple[int, int] = (1600, 1200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (shade, 90, 60)).save(out, format="JPEG", quality=95)
    return out.getvalue()


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    with Store.open(url) as store:
        me = store.local_person()
        assert seed_example(store, me)
        for days_ago, area, shade in (
            (40, "crown", 10),
            (20, "crown", 120),
            (2, "crown", 240),
            (30, "hairline", 60),
        ):
            day = TODAY - dt.timedelta(days=days_ago)
            add_photo(store, me, day, area, prepare_photo(_jpeg(shade)))
    return url


@pytest.fixture
def client(url: str, data_dir: Path) -> Iterator[TestClient]:
    with local_client(create_app(Settings(database_url=url, warm_up=False))) as client:
        yield client


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


# -- links from the pages ------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/progress", "/data"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_progress_and_data_link_to_the_report_in_the_pages_language(
    client: TestClient, page: str, lang: str
) -> None:
    html = client.get(page, params={"lang": lang}).text
    texts = {"en": ("Open the report to print", "Download the report (PDF)")}
    texts["de"] = ("Bericht zum Ausdrucken öffnen", "Bericht herunterladen (PDF)")
    links = dict(re.findall(r'<a class="button" href="([^"]+)" id="(report-[a-z]+)"', html))
    assert set(links.values()) == {"report-html", "report-pdf"}
    by_id = {v: k for k, v in links.items()}
    assert by_id["report-html"] == f"{ME}/report?lang={lang}"
    assert by_id["report-pdf"] == f"{ME}/report.pdf?lang={lang}"
    for text in texts[lang]:
        assert text in html
    # the links answer: the HTML report in the page's language
    report = client.get(by_id["report-html"])
    assert report.status_code == 200
    assert f'<html lang="{lang}">' in report.text
    assert f"<h1>{(EN if lang == 'en' else DE)['title']}</h1>" in report.text


# -- German report ---------------------------------------------------------------------------


def test_the_german_html_report_has_german_words_numbers_and_dates(client: TestClient) -> None:
    german = client.get(f"{ME}/report", params={"lang": "de"}).text
    english = client.get(f"{ME}/report").text
    for key in (
        "profile",
        "summary",
        "intake",
        "labs",
        "plan",
        "findings",
        "sources_heading",
        "photos",
    ):
        assert f"<h2>{DE[key]}</h2>" in german, key
        assert f"<h2>{EN[key]}</h2>" in english, key
    long_day = re.compile(
        r"\b\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober"
        r"|November|Dezember) \d{4}\b"
    )
    assert long_day.search(german)
    assert re.search(r"<td>\d\d\.\d\d\.\d{4}</td>", german)  # table dates
    assert not re.search(r"<td>\d{4}-\d\d-\d\d</td>", german)
    assert re.search(r"<td>\d{4}-\d\d-\d\d</td>", english)
    # the weekly intake table: decimal commas in German, points in English
    weeks_de = re.findall(r"<td><strong>([\d.,]+)</strong></td>", german)
    weeks_en = re.findall(r"<td><strong>([\d.,]+)</strong></td>", english)
    assert weeks_de and len(weeks_de) == len(weeks_en)
    assert [w.replace(".", "").replace(",", ".") for w in weeks_de] == [
        w.replace(",", "") for w in weeks_en
    ]
    assert any("," in w for w in weeks_de) and not any("," in w for w in weeks_en)
    for english_word in ("Blood results", "Dose plan", "judged as of", "lab's range", "Sources"):
        assert english_word not in german, english_word
    # the findings' numbers too: "313,5 mg", "0,72 mmol/L"
    findings = re.search(r'<table class="data findings">(.*?)</table>', german, re.S)
    assert findings is not None
    messages = re.findall(r"<td>(.*?)</td>", findings.group(1), re.S)
    assert any(re.search(r"\d,\d", m) for m in messages)
    assert not [m for m in messages if re.search(r"\d\.\d", re.sub(r"\d\d\.\d\d\.\d{4}", "", m))]


@NEEDS_POPPLER
def test_the_german_pdf_reads_german(client: TestClient, tmp_path: Path) -> None:
    pdf = client.get(f"{ME}/report.pdf", params={"lang": "de"})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.content, tmp_path, "de")
    for key in ("title", "profile", "summary", "intake", "labs", "plan", "findings"):
        assert DE[key] in text, key
    from babel.dates import format_date

    assert format_date(TODAY, format="long", locale="de") in text  # "4. Dezember 2026"
    assert re.search(r"\b\d+,\d mg\b|\b\d+,\d\b", text)  # "310,5", decimal commas
    assert re.search(r"\bSeite 1 von \d+\b", text)
    for english_word in ("Blood results", "Dose plan", "judged as of", "page 1 of"):
        assert english_word not in text, english_word


def test_an_unknown_language_is_refused_by_name(client: TestClient) -> None:
    answer = client.get(f"{ME}/report", params={"lang": "fr"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "lang"]


def test_the_cli_writes_the_german_report_too(url: str, tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "bericht.html"
    result = CliRunner().invoke(cli, ["report", "--out", str(out), "--lang", "de", "--db", url])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="de">' in html and f"<h2>{DE['labs']}</h2>" in html
    bad = CliRunner().invoke(cli, ["report", "--out", str(out), "--lang", "xx", "--db", url])
    assert bad.exit_code == 2
    assert "--lang" in bad.output


# -- name and date of birth ------------------------------------------------------------------


def test_name_and_birth_date_appear_in_the_report_only_and_travel_with_the_export(
    client: TestClient, url: str, tmp_path: Path
) -> None:
    name = "Anna <Muster>"
    saved = client.put(f"{ME}/profile", json={"name": name, "birth_date": "1992-03-14"})
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"]["name"] == name
    report = client.get(f"{ME}/report", params={"lang": "de"}).text
    assert '<td id="person-name">Anna &lt;Muster&gt;</td>' in report
    assert '<td id="person-birth-date">14. März 1992</td>' in report
    assert "1992-03-14" in client.get(f"{ME}/report").text
    for page in ("/today", "/progress", "/assessment"):
        shown = client.get(page).text
        assert "Muster" not in shown and "1992" not in shown, page
    # export, delete everything, import: the same name and date come back
    doc = client.get(f"{ME}/export").json()
    assert doc["profiles"][-1]["name"] == name
    assert doc["profiles"][-1]["birth_date"] == "1992-03-14"
    assert client.delete(ME).status_code in (200, 204)
    assert "Muster" not in client.get(f"{ME}/report").text
    imported = client.post(f"{ME}/import", json=doc)
    assert imported.status_code in (200, 201), imported.text
    again = client.get(f"{ME}/report").text
    assert '<td id="person-name">Anna &lt;Muster&gt;</td>' in again
    # an export written before the fields existed still reads
    for version in doc["profiles"]:
        del version["name"], version["birth_date"]
    assert client.post(f"{ME}/import", json=doc, params={"replace": "true"}).status_code in (
        200,
        201,
    )
    assert 'id="person-name"' not in client.get(f"{ME}/report").text


def test_name_and_birth_date_are_never_required_and_bad_ones_are_named(
    client: TestClient,
) -> None:
    assert 'id="person-name"' not in client.get(f"{ME}/report").text  # the example has none
    future = (TODAY + dt.timedelta(days=1)).isoformat()
    answer = client.put(f"{ME}/profile", json={"birth_date": future})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == "birth_date"
    long = client.put(f"{ME}/profile", json={"name": "x" * 201})
    assert long.status_code == 422
    cleared = client.put(f"{ME}/profile", json={"name": "A", "birth_date": None})
    assert cleared.status_code == 200
    assert client.put(f"{ME}/profile", json={"name": None}).json()["version"]["name"] is None


def test_the_data_page_form_sets_and_clears_the_name(client: TestClient) -> None:
    page = client.get("/data", params={"lang": "de"}).text
    assert 'for="identity-name">Name</label>' in page
    assert 'for="identity-birth-date">Geburtsdatum</label>' in page
    sent = client.post(
        "/data/identity?lang=de",
        data={"name": "  Bea   Beispiel ", "birth_date": "1980-01-02"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    report = client.get(f"{ME}/report", params={"lang": "de"}).text
    assert '<td id="person-name">Bea Beispiel</td>' in report
    assert "2. Januar 1980" in report
    wrong = client.post("/data/identity?lang=de", data={"name": "", "birth_date": "3000-01-01"})
    assert wrong.status_code == 422
    alert = re.search(r'<p class="log-error" role="alert".*?</p>', wrong.text, re.S)
    assert alert is not None
    assert "<strong>Geburtsdatum</strong>" in alert.group(0)
    assert "birth_date" not in alert.group(0)
    client.post("/data/identity", data={"name": "", "birth_date": ""})
    assert 'id="person-name"' not in client.get(f"{ME}/report").text


def test_the_cli_sets_the_name_and_date_of_birth(url: str, data_dir: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(
        cli, ["profile", "set", "--name", "Carla", "--birth-date", "1970-05-06", "--db", url]
    )
    assert done.exit_code == 0, done.output
    with Store.open(url) as store:
        now = store.profiles(store.local_person())[-1]
    assert (now.name, now.birth_date) == ("Carla", dt.date(1970, 5, 6))
    bad = runner.invoke(cli, ["profile", "set", "--birth-date", "yesterday-ish", "--db", url])
    assert bad.exit_code == 2 and "birth-date" in bad.output
    runner.invoke(cli, ["profile", "set", "--clear", "identity", "--db", url])
    with Store.open(url) as store:
        now = store.profiles(store.local_person())[-1]
    assert (now.name, now.birth_date) == (None, None)


# -- photos -------------------------------------------------------------------------------


def test_the_report_shows_the_first_and_latest_photo_of_each_area(client: TestClient) -> None:
    html = client.get(f"{ME}/report").text
    images = re.findall(r'<img src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)" width="(\d+)"', html)
    assert len(images) == 3  # crown: first and latest (not the middle one); hairline: its only
    first, latest = (TODAY - dt.timedelta(days=40)), (TODAY - dt.timedelta(days=2))
    assert f"{EN['photo_first']}: {first.isoformat()}" in html
    assert f"{EN['photo_latest']}: {latest.isoformat()}" in html
    assert (TODAY - dt.timedelta(days=20)).isoformat() not in html.split('id="photos"')[1]
    import base64

    for data, width in images:
        picture = Image.open(io.BytesIO(base64.b64decode(data)))
        assert max(picture.size) <= REPORT_EDGE_PIXELS and picture.width == int(width)
        assert not picture.getexif()
    german = client.get(f"{ME}/report", params={"lang": "de"}).text
    assert f"<h3>{DE['area_crown']}</h3>" in german and f"<h3>{DE['area_hairline']}</h3>" in german
    # a period before the photos shows none
    early = client.get(f"{ME}/report", params={"to": (TODAY - dt.timedelta(days=50)).isoformat()})
    assert 'id="photos"' not in early.text


@NEEDS_POPPLER
@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_pdf_with_photos_stays_small_and_renders(
    client: TestClient, tmp_path: Path, lang: str
) -> None:
    pdf = client.get(f"{ME}/report.pdf", params={"lang": lang}).content
    assert len(pdf) < 1_500_000
    path = tmp_path / f"report-{lang}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / lang)], check=True)
    pages = sorted(tmp_path.glob(f"{lang}-*.png"))
    assert len(pages) >= 3
    listed = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=False
    )
    if listed.returncode == 0:
        assert (
            sum(" jpeg " in line or " image " in line for line in listed.stdout.splitlines()) >= 3
        )
