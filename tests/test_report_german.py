"""The Progress page's charts and the Today page's entries in the page's language.

Every word on a chart and in an entry's line comes from the knowledge base's
progress texts, so a German page shows German charts and entries; English pages,
the English report and ``describe`` (the CLI's and the API's line) stay as they were.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._web import local_client

from magwise import load_knowledge
from magwise.examples.diary import example_record, seed_example
from magwise.report import render_html
from magwise.report.charts import LABEL_CHARS, symptom_timeline
from magwise.store import Entry, Store, describe, describe_in
from magwise.web import Settings, create_app

EN = load_knowledge()
DE = load_knowledge("de")
TODAY = dt.date.today()

#: The progress texts the charts and the entries' lines are made of.
MOVED = sorted(key for key in EN.progress.texts if key.startswith(("chart_", "lab_", "entry_")))
#: Those that read differently in German (a unit such as "NDB" or "mmol/L" does not).
TRANSLATED = [key for key in MOVED if EN.progress.texts[key] != DE.progress.texts[key]]
#: English labels without numbers, each of which must be gone from a German page.
ENGLISH_WORDS = [
    "mg/day",
    "mg per day",
    "mean mg per logged day, by week",
    "food, water and supplements",
    "supplement limit",
    "supplements",
    "weekly median",
    "hairs",
    "baseline ",
    "Shedding counts",
    "Serum magnesium against the reference range",
    "Symptoms logged",
    "(excess)",
    "below range",
    "in range",
    "above range",
    "(lab range",
    "mg magnesium)",
]


@pytest.fixture
def client(tmp_path: Path, data_dir: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    with Store.open(url) as store:
        assert seed_example(store, store.local_person())
    with local_client(create_app(Settings(database_url=url, warm_up=False))) as client:
        yield client


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", page, re.S)


def _labels(page: str) -> list[str]:
    """Every title and text of the page's charts, as a person reads them."""
    return [
        html.unescape(text)
        for svg in _svgs(page)
        for text in re.findall(r"<(?:text|title)\b[^>]*>(.*?)</(?:text|title)>", svg, re.S)
    ]


def _pattern(template: str) -> re.Pattern[str]:
    """A text of the knowledge base with each placeholder standing for anything."""
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts))


def _entry_texts(page: str) -> list[str]:
    found = re.findall(r'<span class="log-text">(.*?)</span>', page, re.S)
    return [html.unescape(text) for text in found]


def _example_day(what: str) -> dt.date:
    record, _ = example_record(TODAY)
    return {"lab": record.labs[0].day, "symptom": record.symptoms[0].day}[what]


def test_the_german_progress_page_has_german_charts(client: TestClient) -> None:
    page = client.get("/progress", params={"lang": "de"}).text
    assert len(_svgs(page)) == 4
    labels = _labels(page)
    texts = DE.progress.texts
    for title in (
        texts["chart_intake_title"].format(note=texts["chart_intake_daily"]),
        texts["chart_shedding_title"].format(method=texts["method_daily_count"]),
        texts["chart_lab_title"],
        texts["chart_symptoms_title"],
    ):
        assert title in labels, title
    for word in ("mg/Tag", "Lebensmittel", "Wasser", "Präparate", "Haare", "Wochenmedian"):
        assert word in labels, word
    for key in ("chart_target", "chart_limit", "chart_baseline", "chart_normal", "chart_range"):
        assert any(_pattern(texts[key]).fullmatch(label) for label in labels), key
    # the days on the time axes: German day and month, no English month names
    days = [label for label in labels if re.fullmatch(r"\d\d\.\d\d\.", label)]
    assert len(days) >= 4 * 3
    assert not [label for label in labels if re.fullmatch(r"\d\d [A-Z][a-z]{2}", label)]
    # symptoms by their German names; a name too long for one line takes two
    cramps = DE.symptoms.find("muscle_cramps")
    assert cramps is not None and len(cramps.label) > LABEL_CHARS
    assert cramps.label not in labels
    assert any(f"{a} {b}" == cramps.label for a, b in itertools.pairwise(labels))
    fatigue = DE.symptoms.find("fatigue")
    assert fatigue is not None and fatigue.label in labels


def test_no_english_chart_label_is_left_on_the_german_progress_page(client: TestClient) -> None:
    page = client.get("/progress", params={"lang": "de"}).text
    labels = _labels(page)
    for key in TRANSLATED:
        english = _pattern(EN.progress.texts[key])
        assert not [label for label in labels if english.fullmatch(label)], key
    shown = " | ".join(labels)
    for word in ENGLISH_WORDS:
        assert word not in shown, word
    for word in ENGLISH_WORDS:  # the phrases nowhere on the page at all
        if " " in word.strip():
            assert word not in page, word


def test_the_german_and_english_charts_show_the_same_numbers(client: TestClient) -> None:
    """Only the words differ: every label has the same numbers in both languages."""
    german = _labels(client.get("/progress", params={"lang": "de"}).text)
    english = _labels(client.get("/progress", params={"lang": "en"}).text)
    assert len(german) == len(english) + 1  # the long German symptom name takes two lines

    def numbers(labels: list[str], language: str) -> list[str]:
        dates = r"\d\d\.\d\d\." if language == "de" else r"\d\d [A-Z][a-z]{2}"
        kept = [label for label in labels if not re.fullmatch(dates, label)]
        if language == "de":  # German decimals: "0,72" is English "0.72"
            assert not [label for label in kept if re.search(r"\d\.\d", label)]
            kept = [re.sub(r"(\d),(\d)", r"\1.\2", label) for label in kept]
        return [n for label in kept for n in re.findall(r"\d+(?:\.\d+)?", label)]

    assert numbers(german, "de") == numbers(english, "en")


def test_the_english_progress_page_is_unchanged(client: TestClient) -> None:
    page = client.get("/progress", params={"lang": "en"}).text
    labels = _labels(page)
    for label in (
        "Magnesium intake (mg per day): food, water and supplements",
        "Shedding counts (daily count)",
        "Serum magnesium against the reference range",
        "Symptoms logged",
        "mg/day",
        "food",
        "water",
        "supplements",
        "hairs",
        "weekly median",
        "Muscle cramps or twitching",
        "Fatigue or weakness",
    ):
        assert label in labels, label
    assert any(re.fullmatch(r"supplement limit \d+", label) for label in labels)
    assert any(re.fullmatch(r"target \d+ mg", label) for label in labels)
    assert any(re.fullmatch(r"\d\d [A-Z][a-z]{2}", label) for label in labels)
    for german in ("Wochenmedian", "Zielwert", "Präparate", "mg/Tag", "Haare"):
        assert german not in " | ".join(labels), german


def test_the_report_speaks_the_language_of_its_knowledge_base() -> None:
    record, _ = example_record(TODAY)
    english = render_html(record, today=TODAY)
    german = render_html(record, today=TODAY, knowledge=DE)
    assert "Magnesium intake (mg per day): food, water and supplements" in english
    assert "Elemental magnesium, mg per day." in english
    assert "<td>serum magnesium</td>" in english and "<td>below range</td>" in english
    assert "Wochenmedian" not in english and "Zielwert" not in english
    labels = _labels(german)
    assert "Magnesiumzufuhr (mg pro Tag): Lebensmittel, Wasser und Präparate" in labels
    assert "<td>Serum-Magnesium</td>" in german and "<td>unter dem Bereich</td>" in german
    assert "weekly median" not in " | ".join(labels)


def test_a_long_record_charts_weekly_means_in_german() -> None:
    record, _ = example_record(TODAY - dt.timedelta(days=120))
    later, _ = example_record(TODAY)
    record = dataclasses.replace(record, foods=record.foods + later.foods)  # 23 weeks of meals
    german = _labels(render_html(record, today=TODAY, knowledge=DE))
    english = _labels(render_html(record, today=TODAY))
    weekly = DE.progress.texts["chart_intake_weekly"]
    assert DE.progress.texts["chart_intake_title"].format(note=weekly) in german
    assert any("mean mg per logged day, by week" in label for label in english)


def test_german_today_page_describes_entries_in_german(client: TestClient) -> None:
    record, _ = example_record(TODAY)
    day = _example_day("lab")
    page = client.get("/today", params={"lang": "de", "date": day.isoformat()}).text
    shown = _entry_texts(page)
    entries: list[Entry] = sorted(
        (
            *(e for e in record.foods if e.day == day),
            *(e for e in record.supplements if e.day == day),
            *(e for e in record.water if e.day == day),
            *(e for e in record.shedding if e.day == day),
            *(e for e in record.labs if e.day == day),
        ),
        key=lambda e: (type(e).__name__, str(e)),
    )
    assert any(e.day == day for e in record.shedding) and record.labs[0].day == day
    for entry in entries:
        assert describe_in(entry, DE)[1] in shown, entry
    joined = " | ".join(shown)
    assert re.search(r"\d+ Haare \(tägliche Zählung\)", joined)
    assert re.search(r"l Gerolsteiner mit 108 mg/L", joined)
    assert "Serum-Magnesium 0.72 mmol/L (Bereich des Labors 0.7-1.1)" in shown
    for english in ("hairs", "daily count", " at ", "lab range", "serum magnesium"):
        assert english not in joined, english
    symptoms = _entry_texts(
        client.get("/today", params={"lang": "de", "date": _example_day("symptom")}).text
    )
    assert "Muskelkrämpfe oder Muskelzucken" in symptoms


def test_english_today_page_and_describe_are_unchanged(client: TestClient) -> None:
    record, _ = example_record(TODAY)
    day = _example_day("lab")
    shown = _entry_texts(client.get("/today", params={"lang": "en", "date": day.isoformat()}).text)
    on_day = [
        e for e in (*record.foods, *record.water, *record.shedding, *record.labs) if e.day == day
    ]
    for entry in on_day:
        line = describe(entry)  # the CLI's and the API's line, as before
        # the page names no NDB number (the person's view); the CLI's line does
        expected = re.sub(r" \(NDB \d+\)$", "", line.partition(": ")[2])
        assert expected in shown, line
        assert describe_in(entry, EN)[1] == expected
    lab = record.labs[0]
    assert describe(lab) == "lab: serum magnesium 0.72 mmol/L (lab range 0.7-1.1)"
    shedding = next(e for e in record.shedding if e.day == day)
    assert describe(shedding) == f"hair: {shedding.count} hairs (daily count)"
    assert describe_in(shedding, DE) == ("shedding", f"{shedding.count} Haare (tägliche Zählung)")
    comb = dataclasses.replace(shedding, count=120, method="comb_test")
    assert describe(comb) == "hair: 120 hairs (comb test)"
    assert describe_in(comb, EN) == ("shedding", "120 hairs (comb test)")
    assert describe_in(comb, DE) == ("shedding", "120 Haare (Kämmtest)")


def test_a_long_symptom_name_takes_two_lines_and_a_short_one_one() -> None:
    first, last = dt.date(2026, 11, 1), dt.date(2026, 11, 28)
    long_name = "Unregelmäßiger Herzschlag oder Herzklopfen"
    svg = symptom_timeline(
        [(long_name, [first], True), ("Durchfall", [last], True)],
        first,
        last,
        title="t",
        texts=DE.progress.texts,
    )
    texts = [html.unescape(t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg)]
    wrapped = [t for t in texts if t and not re.fullmatch(r"\d\d\.\d\d\.", t)]
    assert wrapped == [
        "Unregelmäßiger Herzschlag",
        "oder Herzklopfen (Überschuss)",
        "Durchfall (Überschuss)",
    ]
    assert all(len(t) <= LABEL_CHARS + 4 for t in wrapped)
