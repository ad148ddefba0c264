"""The pages: questionnaire, assessment, case files, sources, partials, languages."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._web import local_client

from magwise import assess, load_knowledge
from magwise.errors import InputError
from magwise.examples import example_case_text
from magwise.web import Settings, create_app
from magwise.web.i18n import LOCALES, messages, pick_language
from magwise.web.questionnaire import anchor, case_from_form

PAGES = ["/", "/case", "/sources"]

ANSWERS: dict[str, list[str]] = {
    "sex": ["female"],
    "age_years": ["34"],
    "state": ["none"],
    "standard": ["dge"],
    "medications": ["levothyroxine"],
    "food": ["12061", "20137"],
    "food_amount": ["1", "185"],
    "food_unit": ["1 oz (23 whole kernels)", "g"],
    "supplement_form": ["citrate", ""],
    "supplement_mg": ["100", ""],
    "water_liters": ["1,5"],
    "water_mg_per_liter": ["11"],
    "serum_value": ["0.72"],
    "serum_unit": ["mmol/L"],
    "serum_date": [""],
    "symptoms": ["muscle_cramps"],
    "hair_pattern": ["diffuse"],
    "duration_weeks": ["10"],
    "shedding_per_day": [""],
    "family_history": ["no"],
    "trigger": ["high_stress"],
    "trigger_weeks_high_stress": ["12"],
}


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with local_client(create_app(Settings())) as client:
        yield client


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_page_says_what_magwise_is_for(client: TestClient, path: str, lang: str) -> None:
    page = client.get(path, params={"lang": lang})
    assert page.status_code == 200
    html = page.text
    assert f'<html lang="{lang}">' in html
    assert messages(lang)("purpose") in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "https://cdn" not in html and "//unpkg" not in html


def test_every_form_control_has_a_label(client: TestClient) -> None:
    html = client.get("/").text
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert ids
    for control in ids:
        assert f'for="{control}"' in html or control.startswith("sex-"), control


def test_accept_language_picks_german(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert '<html lang="de">' in page.text
    assert messages("de")("start.title") in page.text
    assert "Nierenerkrankung oder eingeschränkte Nierenfunktion" in page.text


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        ("de", "en", "de"),
        (None, "fr-FR,de;q=0.8,en;q=0.9", "en"),
        (None, "fr, de;q=0.5", "de"),
        (None, "fr", "en"),
        ("xx", None, "en"),
        (None, "de;q=bad, en", "en"),
    ],
)
def test_pick_language(query: str | None, accept: str | None, expected: str) -> None:
    assert pick_language(query, accept, "en") == expected


def test_locales_have_the_same_keys() -> None:
    english = messages("en").texts
    german = messages("de").texts
    assert set(english) == set(german)
    assert sorted(p.stem for p in LOCALES.glob("*.toml")) == ["de", "en"]
    for path in LOCALES.glob("*.toml"):
        tomllib.loads(path.read_text(encoding="utf-8"))


def test_questionnaire_answers_become_a_case() -> None:
    case = case_from_form(ANSWERS, dt.date(2026, 11, 2))
    assert case["profile"] == {
        "sex": "female",
        "age_years": 34.0,
        "pregnant": False,
        "lactating": False,
        "conditions": [],
        "medications": ["levothyroxine"],
    }
    day = case["days"][0]
    assert day["date"] == "2026-11-02"
    assert day["foods"] == [
        {"food": "12061", "portion": "1 oz (23 whole kernels)", "count": 1.0},
        {"food": "20137", "grams": 185.0},
    ]
    assert day["supplements"] == [{"elemental_mg": 100.0, "form": "citrate"}]
    assert day["water"] == [{"liters": 1.5, "mg_per_liter": 11.0}]
    assert case["labs"] == [{"value": 0.72, "unit": "mmol/L"}]
    assert case["hair"] == {
        "pattern": "diffuse",
        "duration_weeks": 10.0,
        "family_history": False,
        "triggers": [{"kind": "high_stress", "weeks_ago": 12.0}],
    }
    assert assess(case).status == "low"


def test_blank_questionnaire_leaves_out_what_was_not_answered() -> None:
    case = case_from_form({"sex": ["male"], "age_years": ["40"]}, dt.date(2026, 1, 1))
    assert set(case) == {"version", "profile"}
    assert assess(case).status == "unknown"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"sex": ["male"]}, "profile.age_years"),
        ({"age_years": ["30"]}, "profile.sex"),
        ({"sex": ["male"], "age_years": ["thirty"]}, "profile.age_years"),
        ({"sex": ["male"], "age_years": ["30"], "water_liters": ["2"]}, "days[0].water[0]"),
        (
            {"sex": ["male"], "age_years": ["30"], "trigger": ["surgery"]},
            "hair.triggers[0].weeks_ago",
        ),
        (
            {"sex": ["male"], "age_years": ["30"], "supplement_form": ["citrate"]},
            "days[0].supplements[0].elemental_mg",
        ),
    ],
)
def test_questionnaire_errors_name_the_field(answers: dict[str, list[str]], field: str) -> None:
    with pytest.raises(InputError) as error:
        case_from_form(answers, dt.date(2026, 1, 1))
    assert error.value.field.startswith(field)


def test_error_anchors_point_into_the_form() -> None:
    assert anchor("profile.age_years") == "age_years"
    assert anchor("days[0].foods[1].grams") == "section-day"
    assert anchor("hair.triggers[0].kind") == "section-hair"
    assert anchor("nowhere") == "main"


def test_questionnaire_to_assessment(client: TestClient) -> None:
    page = client.post("/assessment?lang=en", data=ANSWERS)
    assert page.status_code == 200
    html = page.text
    result = assess(case_from_form(ANSWERS, dt.date.today()))
    assert result.headline in html
    assert "Magnesium status" in html and "<strong>low</strong>" in html
    for finding in result.findings:
        assert f'id="finding-{finding.code}"' in html
        for source in finding.sources:
            assert f'href="/sources?lang=en#source-{source}"' in html
    assert result.disclaimer in html
    assert 'download="magwise-case.json"' in html
    assert "&#34;food&#34;: &#34;12061&#34;" in html  # the case file, to keep


def test_severity_is_written_not_only_coloured(client: TestClient) -> None:
    html = client.post("/assessment?lang=en", data=ANSWERS).text
    for finding in re.findall(r'<li class="finding finding-(\w+)".*?</li>', html, re.S):
        assert finding in {"info", "warning", "urgent"}
    assert re.search(r'severity-warning"><span aria-hidden="true">⚠</span> Warning', html)
    assert "See a doctor" in html


def test_assessment_in_german(client: TestClient) -> None:
    html = client.post("/assessment?lang=de", data=ANSWERS).text
    assert '<html lang="de">' in html
    assert "Ihre Auswertung" in html and "Befunde" in html
    assert "Ihre Magnesiumversorgung erscheint" in html and "Your magnesium" not in html


def test_bad_answers_show_the_form_again_with_the_error(client: TestClient) -> None:
    answers = {**ANSWERS, "age_years": ["-3"]}
    page = client.post("/assessment", data=answers)
    assert page.status_code == 422
    assert 'role="alert"' in page.text
    assert 'href="#age_years"' in page.text
    assert "Age (years): -3 is out of range; accepted: a number at least 0<" in page.text
    assert 'value="-3"' in page.text
    assert "Nuts, almonds" in page.text  # the foods picked are kept


def _error_summary(html: str) -> str:
    found = re.search(r'<div class="error-summary".*?<a href="#[^"]+">(.*?)</a>', html, re.S)
    assert found, "an error summary with a link into the form"
    return unescape(found[1])


@pytest.mark.parametrize(
    ("answers", "lang", "summary"),
    [
        (
            {"age_years": ["250"]},
            "en",
            "Age (years): 250 is out of range; accepted: a number at most 130",
        ),
        (
            {"age_years": ["250"]},
            "de",
            "Alter (Jahre): 250 liegt außerhalb des möglichen Bereichs; möglich: höchstens 130; "
            "bitte Ihr Alter in Jahren eingeben, z. B. 34",
        ),
        ({"food_amount": ["", "185"]}, "en", "Foods 1: Amount: give an amount"),
        (
            {"supplement_mg": ["", ""]},
            "en",
            "Supplement 1: Elemental magnesium per day (mg): "
            "give the elemental magnesium from the label (mg)",
        ),
        (
            {"trigger": ["surgery"], "trigger_weeks_surgery": ["9999"]},
            "en",
            "Surgery: weeks ago: 9999 is out of range; accepted: a number at most 520",
        ),
        (
            {"serum_value": ["abc"]},
            "de",
            "Magnesium im Serum: „abc“ ist keine Zahl; "
            "bitte das Serum-Magnesium wie auf dem Befund eingeben, z. B. 0,82",
        ),
    ],
)
def test_error_summary_names_the_field_as_the_form_labels_it(
    client: TestClient, answers: dict[str, list[str]], lang: str, summary: str
) -> None:
    page = client.post(f"/assessment?lang={lang}", data={**ANSWERS, **answers})
    assert page.status_code == 422
    shown = _error_summary(page.text)
    assert shown == summary
    assert not re.search(r"\d\.0\b", shown)  # no "130.0"


def test_reloading_the_assessment_leads_to_the_questionnaire(client: TestClient) -> None:
    page = client.get("/assessment?lang=de", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/?lang=de"


def test_food_search_partial(client: TestClient) -> None:
    html = client.get("/partials/foods", params={"q": "almonds"}).text
    assert "Nuts, almonds" in html
    assert 'hx-get="/partials/food-row?ndb=12061&amp;lang=en"' in html
    assert client.get("/partials/foods", params={"q": " "}).text.strip() == ""
    assert "No food matches" in client.get("/partials/foods", params={"q": "qqqqxzzz"}).text


def test_food_row_partial(client: TestClient) -> None:
    html = client.get("/partials/food-row", params={"ndb": "12061"}).text
    assert 'name="food" value="12061"' in html
    assert "autofocus" in html
    assert re.search(r'<option value="1 cup, whole" selected>', html)
    assert client.get("/partials/food-row", params={"ndb": "99999"}).status_code == 404
    assert client.get("/partials/nothing").text == ""


def test_case_file_page_assesses_text_and_uploads(client: TestClient) -> None:
    text = example_case_text()
    headline = assess(text).headline
    pasted = client.post("/case", data={"case": text})
    assert pasted.status_code == 200
    assert headline in pasted.text
    uploaded = client.post(
        "/case", files={"file": ("case.json", text.encode(), "application/json")}
    )
    assert headline in uploaded.text
    bad = client.post("/case", data={"case": "{nope"})
    assert bad.status_code == 422
    assert "not valid JSON" in bad.text


def test_sources_page_lists_the_registry(client: TestClient) -> None:
    html = client.get("/sources").text
    for source in load_knowledge().sources.values():
        assert f'id="source-{source.id}"' in html


def test_sources_link_only_web_addresses(client: TestClient) -> None:
    """A source kept in magwise's docs (a relative path) is text, not a link that 404s."""
    html = client.get("/sources").text
    found = re.findall(r'<a href="([^"]+)" rel="noreferrer noopener">', html)
    links = [unescape(link) for link in found]
    sources = load_knowledge().sources.values()
    assert links == [s.url for s in sources if s.url.startswith(("http://", "https://"))]
    assert load_knowledge().sources["magwise_policy"].url == "docs/knowledge.md"
    assert 'href="docs/knowledge.md"' not in html
    assert "<code>docs/knowledge.md</code>" in html
