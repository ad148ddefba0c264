"""magnesium_role: the answer to the person's own question, in English and German."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from tests._cases import make_case, serum, water_only
from tests._records import record
from tests._web import local_client
from tests.test_assess_properties import cases

from magwise import assess, load_knowledge
from magwise.cli import cli
from magwise.examples.diary import seed_example
from magwise.foods import FoodIndex
from magwise.record import LabEntry
from magwise.report import render_html
from magwise.result import ROLE_VALUES, Result
from magwise.store import Store
from magwise.web import Settings, create_app

EN = load_knowledge()
DE = load_knowledge("de")
LOW = EN.serum.thresholds.low_below.value
DECIMALS = int(EN.serum.thresholds.compare_decimals.value)


def postpartum(**fields: Any) -> dict[str, Any]:
    """Diffuse shedding 14 weeks after giving birth, for 6 weeks: telogen effluvium."""
    return {
        "pattern": "diffuse",
        "shedding_per_day": 180,
        "duration_weeks": 6,
        "triggers": [{"kind": "childbirth", "weeks_ago": 14}],
        **fields,
    }


# (name, case, value, rule, other cause)
NAMED: list[tuple[str, dict[str, Any], str, str, str | None]] = [
    ("nothing to judge by", make_case(), "cannot_tell", "no_data", None),
    (
        "postpartum shedding, serum in range",
        make_case(hair=postpartum(), labs=[serum(0.88)]),
        "unlikely",
        "other_cause",
        "telogen_effluvium",
    ),
    (
        "postpartum shedding, serum deficient",
        make_case(hair=postpartum(), labs=[serum(0.65)]),
        "possible",
        "serum_low",
        "telogen_effluvium",
    ),
    ("serum just low", make_case(labs=[serum(0.72)]), "possible", "serum_low", None),
    ("serum high", make_case(labs=[serum(1.2)]), "unlikely", "serum_high", None),
    (
        "intake well below the target (DGE 300 mg, cut 250 mg)",
        make_case(days=[water_only(240)]),
        "possible",
        "intake_clearly_low",
        None,
    ),
    (
        "intake a little below the target",
        make_case(days=[water_only(270)]),
        "cannot_tell",
        "intake_below",
        None,
    ),
    (
        "intake meets the target, no blood test",
        make_case(days=[water_only(320)]),
        "cannot_tell",
        "intake_meets",
        None,
    ),
    (
        "intake meets the target, pattern hair loss in the family",
        make_case(
            days=[water_only(320)],
            hair={"pattern": "receding_hairline", "family_history": True},
        ),
        "unlikely",
        "other_cause",
        "androgenetic_alopecia",
    ),
    (
        "intake meets the target, serum in range",
        make_case(days=[water_only(320)], labs=[serum(0.9)]),
        "unlikely",
        "adequate",
        None,
    ),
    (
        "intake well below, serum in range",
        make_case(days=[water_only(150)], labs=[serum(0.9)]),
        "possible",
        "intake_clearly_low",
        None,
    ),
    ("serum in range", make_case(labs=[serum(0.9)]), "unlikely", "serum_normal", None),
    (
        "serum low-normal",
        make_case(labs=[serum(0.8)]),
        "cannot_tell",
        "serum_low_normal",
        None,
    ),
    (
        "nih: 270 mg is above the EAR of 265 mg",
        make_case(standard="nih", days=[water_only(270)]),
        "cannot_tell",
        "intake_below",
        None,
    ),
    (
        "nih: 260 mg is below the EAR of 265 mg",
        make_case(standard="nih", days=[water_only(260)]),
        "possible",
        "intake_clearly_low",
        None,
    ),
    (
        "diffuse loss with family history only: no clear other cause",
        make_case(hair={"pattern": "diffuse", "family_history": True}, labs=[serum(0.8)]),
        "cannot_tell",
        "serum_low_normal",
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "value", "rule", "cause"),
    [pytest.param(*rest, id=name) for name, *rest in NAMED],
)
def test_named_cases_in_english_and_german(
    case: dict[str, Any], value: str, rule: str, cause: str | None
) -> None:
    for kb in (EN, DE):
        role = assess(case, knowledge=kb).magnesium_role
        assert (role.value, role.rule) == (value, rule), kb.language
        assert role.label == kb.role.texts[value]
        assert (role.other_cause.code if role.other_cause else None) == cause
        template = next(r.text for r in kb.role.rule if r.code == rule)
        assert role.text.startswith(template.split("{")[0])
        assert (kb.role.caveat.text in role.text) == (value == "possible")


def test_postpartum_answer_names_the_trigger_and_the_months() -> None:
    case = make_case(hair=postpartum(), labs=[serum(0.88)])
    english = assess(case, knowledge=EN).magnesium_role.other_cause
    german = assess(case, knowledge=DE).magnesium_role.other_cause
    assert english is not None and german is not None
    assert english.text == (
        "Your shedding fits telogen effluvium after giving birth; "
        "it usually settles within 6-9 months."
    )
    assert "„Geburt eines Kindes“" in german.text and "6–9 Monaten" in german.text
    assert english.sources == german.sources == ["aad_shedding", "malkud2015"]


def test_the_role_sits_after_an_urgent_action_and_does_not_change_it() -> None:
    case = make_case(labs=[serum(0.45)])
    result = assess(case)
    assert result.action == "urgent_care" and result.urgent
    assert result.magnesium_role.value == "possible"
    assert result.headline.startswith(EN.texts["action_urgent_care"])
    assert result.magnesium_role.text not in result.headline
    keys = list(result.model_dump())
    assert keys.index("magnesium_role") == keys.index("action") + 1


def test_the_serum_value_is_written_as_judged() -> None:
    role = assess(make_case(labs=[serum(1.7, "mg/dL")])).magnesium_role
    assert role.rule == "serum_low" and "0.7 mmol/L" in role.text
    bound = make_case(labs=[{**serum(0.5), "comparator": "<"}])
    assert "< 0.5 mmol/L" in assess(bound).magnesium_role.text


def test_every_rule_and_cause_has_a_german_text_with_the_same_fields() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for en, de in zip(EN.role.rule, DE.role.rule, strict=True):
        assert en.code == de.code and en.value == de.value and en.sources == de.sources
        assert de.text and de.text != en.text and fields(de.text) == fields(en.text)
    for en_c, de_c in zip(EN.role.cause, DE.role.cause, strict=True):
        assert de_c.text != en_c.text and fields(de_c.text) == fields(en_c.text)
        assert (de_c.text_trigger is None) == (en_c.text_trigger is None)
    assert set(DE.role.texts) == set(EN.role.texts)
    assert all(DE.role.texts[k] != EN.role.texts[k] for k in EN.role.texts)
    assert DE.role.caveat.text != EN.role.caveat.text


def test_no_answer_tells_a_person_to_take_magnesium() -> None:
    # so the answer never contradicts an action to stop magnesium or to seek care first
    for kb in (EN, DE):
        texts = [
            kb.role.caveat.text,
            *(r.text for r in kb.role.rule),
            *(c.text for c in kb.role.cause),
            *(c.text_trigger for c in kb.role.cause if c.text_trigger),
        ]
        for text in texts:
            assert not re.search(r"\btake\b|\bnehmen Sie\b|\beinnehmen\b", text), text


# -- properties over generated cases ------------------------------------------------


def _serum_shown(result: Result) -> float | None:
    return None if result.serum is None else round(result.serum.mmol_per_l, DECIMALS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_role_properties(case: dict[str, Any]) -> None:
    result = assess(case, knowledge=EN)
    role = result.magnesium_role
    # one of three answers, never "likely"
    assert role.value in ROLE_VALUES
    assert role.label == EN.role.texts[role.value]
    assert role.rule in {r.code for r in EN.role.rule}
    # nothing to judge by: cannot tell
    if not case["days"] and not case["labs"]:
        assert role.value == "cannot_tell"
    # a serum value below the knowledge base's low threshold: possible
    shown = _serum_shown(result)
    if shown is not None and shown < LOW:
        assert role.value == "possible" and role.rule == "serum_low"
    # every "possible" says that no trial shows magnesium treats hair loss; nothing else does
    assert (EN.role.caveat.text in role.text) == (role.value == "possible")
    assert set(EN.role.caveat.sources) <= set(role.sources) or role.value != "possible"
    # the other cause is the screen's first contributor other than magnesium
    if role.other_cause is not None:
        assert result.hair is not None
        first = next(c for c in result.hair.contributors if c.code != "magnesium")
        assert role.other_cause.code == first.code
        assert first.score >= EN.role.params.clear_cause_min_score.value
    if case.get("hair") is None:
        assert role.other_cause is None
    # "unlikely because of another cause" only with an adequate status
    if role.rule == "other_cause":
        assert result.status == "adequate" and role.other_cause is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_german_role_answers_as_the_english_one(case: dict[str, Any]) -> None:
    english = assess(case, knowledge=EN).magnesium_role
    german = assess(case, knowledge=DE).magnesium_role
    assert (german.value, german.rule, german.sources) == (
        english.value,
        english.rule,
        english.sources,
    )
    assert german.text and german.text != english.text
    assert (DE.role.caveat.text in german.text) == (german.value == "possible")
    assert (german.other_cause is None) == (english.other_cause is None)
    if german.other_cause is not None and english.other_cause is not None:
        assert german.other_cause.code == english.other_cause.code
        assert german.other_cause.text != english.other_cause.text


# -- where a person sees it ------------------------------------------------------------


def _plain(text: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.mark.parametrize("kb", [EN, DE], ids=["en", "de"])
def test_assessment_page_answers_right_after_the_headline(data_dir: Path, kb: Any) -> None:
    case = make_case(hair=postpartum(), labs=[serum(0.88)])
    role = assess(case, knowledge=kb).magnesium_role
    assert role.other_cause is not None
    with local_client(create_app(Settings())) as client:
        html = client.post(f"/case?lang={kb.language}", data={"case": json.dumps(case)}).text
    headline, answer = html.index('id="headline-title"'), html.index('id="magnesium-role"')
    assert headline < answer < html.index('id="intake-title"')
    shown = _plain(html[answer:])
    assert kb.role.texts["question"] in shown
    assert f"{role.label}. {role.text}" in shown
    assert f"{kb.role.texts['other_cause']}: {role.other_cause.label}. {role.other_cause.text}" in (
        shown
    )


@pytest.mark.parametrize("lang", ["en", "de"])
def test_progress_page_answers_after_the_summary(
    database_url: str, data_dir: Path, lang: str
) -> None:
    kb = load_knowledge(lang)
    with Store.open(database_url) as store:
        assert seed_example(store, store.local_person())
        settings = Settings(database_url=database_url, warm_up=False)
        with local_client(create_app(settings)) as client:
            html = client.get("/progress", params={"lang": lang}).text
    verdict, answer = html.index('id="verdict"'), html.index('id="magnesium-role"')
    assert verdict < answer < html.index('id="intake-title"')
    shown = _plain(html[answer:])
    assert kb.role.texts["question"] in shown
    assert any(f"{kb.role.texts[v]}. " in shown for v in ROLE_VALUES)


def test_report_answers_in_its_summary(food_index: FoodIndex) -> None:
    today = dt.date(2026, 6, 1)
    rec = record(labs=(LabEntry(1, today, "serum_magnesium", 0.65, "mmol/L"),))
    html = render_html(rec, today=today, knowledge=EN, foods=food_index)
    summary = html[html.index('id="summary"') : html.index('id="intake"')]
    shown = _plain(summary)
    assert EN.role.texts["question"] in shown
    assert f"{EN.role.texts['possible']}." in shown and EN.role.caveat.text in shown


def test_cli_text_output_answers_after_the_headline(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    case = make_case(hair=postpartum(), labs=[serum(0.88)])
    path.write_text(json.dumps(case), encoding="utf-8")
    out = CliRunner().invoke(cli, ["assess", str(path)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    role = assess(case).magnesium_role
    assert role.other_cause is not None
    question = out.output.index(EN.role.texts["question"])
    assert out.output.index(assess(case).headline) < question
    rest = " ".join(out.output[question:].replace("│", " ").split())
    assert f"{role.label}. {role.text}" in rest
    assert role.other_cause.text in rest
