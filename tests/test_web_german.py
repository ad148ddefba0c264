"""German pages show the knowledge base in German; the JSON API stays English."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape
from starlette.testclient import TestClient
from tests.test_web_pages import ANSWERS

from magwise import assess, load_knowledge
from magwise.examples import example_case_text
from magwise.examples.diary import seed_example
from magwise.result import Result
from magwise.store import Store
from magwise.web import Settings, create_app
from magwise.web.questionnaire import case_from_form

EN = load_knowledge()
DE = load_knowledge("de")


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as client:
        yield client


def _shown(text: str) -> str:
    """``text`` as the page's template writes it."""
    return str(escape(text))


def _texts(result: Result) -> list[str]:
    return [
        result.headline,
        result.disclaimer,
        *(f.message for f in result.findings),
        *(c.answer for c in result.claims),
        *result.not_judged,
    ]


def _headline(page: str) -> str:
    found = re.search(r'<p class="headline-text">(.*?)</p>', page, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def test_german_questionnaire_assessment_is_german(client: TestClient) -> None:
    case = case_from_form(ANSWERS, dt.date.today())
    german, english = assess(case, knowledge=DE), assess(case, knowledge=EN)
    page = client.post("/assessment?lang=de", data=ANSWERS).text
    assert _headline(page) == german.headline
    assert german.headline.startswith(DE.texts[f"action_{german.action}"])
    for text in _texts(german):
        assert _shown(text) in page, text
    for text in _texts(english):
        assert _shown(text) not in page, text
    assert "Levothyroxin" in page  # the medicine's German name
    assert "vorerst nur auf Englisch" not in page


def test_english_questionnaire_assessment_is_unchanged(client: TestClient) -> None:
    case = case_from_form(ANSWERS, dt.date.today())
    english = assess(case)
    page = client.post("/assessment?lang=en", data=ANSWERS).text
    assert _headline(page) == english.headline
    for text in _texts(english):
        assert _shown(text) in page, text
    assert "Ihre Magnesiumversorgung" not in page and "Levothyroxin " not in page


def test_german_case_file_page_shows_german_findings_and_claims(client: TestClient) -> None:
    german = assess(example_case_text(), knowledge=DE)
    page = client.post("/case?lang=de", data={"case": example_case_text()}).text
    assert _headline(page) == german.headline
    for text in _texts(german):
        assert _shown(text) in page, text
    assert german.hair is not None
    for contributor in german.hair.contributors:
        assert _shown(contributor.label) in page
    assert _shown(DE.claims["mg_treats_hair_loss"].claim) in page
    assert DE.texts["disclaimer"] in page


def test_accept_language_picks_the_german_knowledge_base(client: TestClient) -> None:
    page = client.post(
        "/case", data={"case": example_case_text()}, headers={"Accept-Language": "de-DE,de"}
    ).text
    assert _headline(page) == assess(example_case_text(), knowledge=DE).headline


def test_german_questionnaire_names_conditions_symptoms_and_forms_in_german(
    client: TestClient,
) -> None:
    page = client.get("/?lang=de").text
    for label in (
        DE.conditions.get("kidney_disease").label,
        DE.symptoms.get("muscle_cramps").label,
        DE.forms["citrate"].name,
        DE.patterns.get("patchy").label,
        DE.triggers.get("childbirth").label,
    ):
        assert _shown(label) in page, label
    assert 'value="kidney_disease"' in page and 'value="citrate"' in page  # codes unchanged
    english = client.get("/?lang=en").text
    assert _shown(EN.conditions.get("kidney_disease").label) in english


def test_the_api_answers_in_english_whatever_the_language(client: TestClient) -> None:
    plain = client.post("/api/v1/assess", content=example_case_text())
    german = client.post(
        "/api/v1/assess?lang=de", content=example_case_text(), headers={"Accept-Language": "de"}
    )
    assert german.status_code == plain.status_code == 200
    assert german.content == plain.content
    assert german.json()["headline"] == assess(example_case_text()).headline


@pytest.fixture
def log_client(database_url: str, data_dir: Path) -> Iterator[TestClient]:
    with Store.open(database_url) as store:
        assert seed_example(store, store.local_person())
    settings = Settings(database_url=database_url, warm_up=False)
    with TestClient(create_app(settings)) as client:
        yield client


def test_progress_page_speaks_german(log_client: TestClient) -> None:
    german = log_client.get("/progress?lang=de").text
    headline = re.search(r'<p class="log-headline">(.*?)</p>', german, re.S)
    assert headline is not None
    text = html.unescape(headline.group(1))
    assert "Haarausfall: " in text and "Shedding" not in text and "Your magnesium" not in text
    verdicts = [DE.progress.texts[f"verdict_{v}"] for v in ("too_early", "improving", "no_change")]
    assert any(v in text for v in (*verdicts, DE.progress.texts["verdict_worse"]))
    assert "Keine kontrollierte Studie zeigt" in german
    english = log_client.get("/progress?lang=en").text
    assert "Shedding: " in english and "Haarausfall: " not in english


def test_today_page_speaks_german(log_client: TestClient) -> None:
    german = log_client.get("/today?lang=de").text
    assert _shown(DE.symptoms.get("muscle_cramps").label) in german
    assert _shown(DE.forms["citrate"].name) in german
    english = log_client.get("/today?lang=en").text
    assert _shown(EN.symptoms.get("muscle_cramps").label) in english
    assert _shown(DE.symptoms.get("muscle_cramps").label) not in english


def test_a_german_page_logs_the_same_codes(log_client: TestClient, database_url: str) -> None:
    today = dt.date.today()
    answer = log_client.post(
        "/today/symptom?lang=de",
        data={"date": today.isoformat(), "symptom": "muscle_cramps"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "Muskelkrämpfe oder Muskelzucken" in log_client.get("/today?lang=de").text
    with Store.open(database_url) as store:
        record = store.record(store.local_person(), today, today)
    assert "muscle_cramps" in [s.code for s in record.symptoms]
