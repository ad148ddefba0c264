"""The knowledge base in German: every text translated, nothing else changed."""

from __future__ import annotations

import re
import shutil
import string
from collections import Counter
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from tests.test_assess_properties import cases

from magwise import assess
from magwise.errors import DataError, InputError
from magwise.knowledge import DATA_DIR, Knowledge, load_knowledge
from magwise.knowledge.translate import english_texts, read_translation
from magwise.result import Result, Status

EN = load_knowledge()
DE = load_knowledge("de")
ENGLISH = english_texts(EN)
GERMAN = read_translation("de", DATA_DIR)

#: A number as a text writes it: 300, 0.74, 59,7 (German decimal comma).
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _numbers(text: str) -> list[str]:
    return [n.replace(",", ".") for n in NUMBER.findall(text)]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_english_text_has_a_german_text_and_no_german_text_is_extra() -> None:
    assert len(ENGLISH) > 300
    assert sorted(set(ENGLISH) - set(GERMAN)) == []
    assert sorted(set(GERMAN) - set(ENGLISH)) == []


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_german_text_has_the_english_placeholders_and_no_numbers_of_its_own(key: str) -> None:
    english, german = ENGLISH[key], GERMAN[key]
    assert german.strip()
    assert (german[0].isspace(), german[-1].isspace()) == (
        english[0].isspace(),
        english[-1].isspace(),
    )
    assert _fields(german) == _fields(english), key
    invented = set(_numbers(german)) - set(_numbers(english))
    assert not invented, f"{key}: numbers {invented} are not in the English text"


def test_the_german_knowledge_base_carries_the_german_texts() -> None:
    assert english_texts(DE) == GERMAN
    assert DE.rules.plan_times == EN.rules.plan_times
    slots = EN.rules.dose_clock.slots
    assert [s.label for s in DE.rules.dose_clock.slots] == [
        GERMAN[f"rules.dose_clock.{s.key}"] for s in slots
    ]
    assert DE.language == "de" and EN.language == "en"
    assert DE.finding("serum_low").message.startswith("Ihr Serum-Magnesium")
    assert EN.finding("serum_low").message.startswith("Your serum magnesium")


def test_load_knowledge_stays_english_and_loads_each_language_once() -> None:
    assert load_knowledge() is load_knowledge("en") is EN
    assert load_knowledge("de") is DE
    assert EN.texts["disclaimer"].startswith("magwise gives information")
    with pytest.raises(InputError, match=r"language.*accepted: en, de"):
        load_knowledge("fr")


def test_numbers_rules_codes_aliases_and_sources_are_the_english_ones() -> None:
    assert DE.version == EN.version
    assert DE.sources == EN.sources
    assert DE.intake_tables == EN.intake_tables and DE.limit_tables == EN.limit_tables
    assert DE.serum.thresholds == EN.serum.thresholds and DE.serum.unit == EN.serum.unit
    assert DE.hair.facts == EN.hair.facts and DE.hair.screen == EN.hair.screen
    assert DE.progress.model_dump(exclude={"texts"}) == EN.progress.model_dump(exclude={"texts"})
    assert DE.rules.model_dump(exclude={"dose_clock"}) == EN.rules.model_dump(
        exclude={"dose_clock"}
    )
    assert DE.rules.dose_clock.model_dump(exclude={"slots"}) == EN.rules.dose_clock.model_dump(
        exclude={"slots"}
    )
    for de_slot, en_slot in zip(DE.rules.dose_clock.slots, EN.rules.dose_clock.slots, strict=True):
        assert (de_slot.key, de_slot.hour) == (en_slot.key, en_slot.hour)
    for code, finding in EN.findings.items():
        assert DE.findings[code].model_dump(exclude={"message", "reason"}) == finding.model_dump(
            exclude={"message", "reason"}
        )
    for form_id, form in EN.forms.items():
        assert DE.forms[form_id].model_dump(exclude={"name"}) == form.model_dump(exclude={"name"})
    for std_id, std in EN.standards.items():
        assert DE.standards[std_id].model_dump(exclude={"target_name"}) == std.model_dump(
            exclude={"target_name"}
        )
    books = ("symptoms", "conditions", "medications", "patterns", "triggers", "scalp_signs")
    for book in (*books, "causes", "lab_tests"):
        english, german = getattr(EN, book), getattr(DE, book)
        assert german.codes() == english.codes(), book
        for entry in english:
            other = german.get(entry.code)
            skip = {"label", "note"} if book == "causes" else {"label"}
            assert other.model_dump(exclude=skip) == entry.model_dump(exclude=skip)
    for cls, other in zip(EN.medication_classes, DE.medication_classes, strict=True):
        assert other.model_dump(exclude={"label", "members"}) == cls.model_dump(
            exclude={"label", "members"}
        )


def test_code_and_english_name_lookups_work_in_the_german_knowledge_base() -> None:
    topical = DE.form("magnesium oil")
    assert topical is not None and topical.id == "topical"
    assert topical.name.startswith("Magnesium zur äußerlichen Anwendung")
    assert DE.form("citrate") is not None and DE.form_names() == EN.form_names()
    assert DE.symptoms.resolve("cramps", "symptoms[0]").label == "Muskelkrämpfe oder Muskelzucken"
    assert DE.medications.resolve("Fosamax", "medications[0]").code == "alendronate"
    assert DE.medication_class("levothyroxine").label == "Schilddrüsenhormon"
    assert DE.conditions.resolve("ckd", "conditions[0]").code == "kidney_disease"
    assert DE.unit("mmol/l") == EN.unit("mmol/l")


def test_names_keep_their_capitals_inside_german_sentences() -> None:
    assert DE.in_sentence(DE.symptoms.get("fatigue").label) == "Müdigkeit oder Schwäche"
    assert EN.in_sentence(EN.symptoms.get("fatigue").label) == "fatigue or weakness"
    case = {
        "profile": {"sex": "female", "age_years": 40},
        "symptoms": ["fatigue", "unexplained_weight_loss"],
        "hair": {"pattern": "diffuse"},
    }
    german = {f.code: f.message for f in assess(case, knowledge=DE).findings}
    english = {f.code: f.message for f in assess(case, knowledge=EN).findings}
    assert "Müdigkeit oder Schwäche" in german["hair_red_flag_systemic"]
    assert "müdigkeit" not in german["hair_red_flag_systemic"]
    assert "with fatigue or weakness and unexplained" in english["hair_red_flag_systemic"]


def test_every_status_reads_in_german() -> None:
    for status in get_args(Status):
        assert DE.texts[f"status_{status}"] != EN.texts[f"status_{status}"]
    text = DE.texts["headline_ok"]
    action = DE.texts["action_nothing_needed"]
    assert text.format(action=action, status=DE.texts["status_adequate"], basis="x") == (
        "Kein Präparat nötig: Ihre Magnesiumversorgung erscheint ausreichend (x)."
    )


def test_the_cautious_claims_stay_cautious() -> None:
    answer = DE.claims["mg_treats_hair_loss"].answer
    assert answer.startswith("Keine kontrollierte Studie zeigt, dass Magnesium Haarausfall")
    message = DE.finding("hair_mg_no_evidence").message
    assert message.startswith("Keine kontrollierte Studie zeigt, dass Magnesium Haarausfall")
    assert "kein bekanntes Anzeichen eines Magnesiummangels" in message


def _copy_with(tmp_path: Path, edit: Any) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "de.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return data


def test_a_missing_german_text_is_named(tmp_path: Path) -> None:
    def drop(text: str) -> str:
        return re.sub(r"^dialysis = .*\n", "", text, flags=re.M)

    data = _copy_with(tmp_path, drop)
    with pytest.raises(DataError, match=r"missing \['conditions\.condition\.dialysis'\]"):
        Knowledge(data, language="de")
    Knowledge(data)  # English needs no translation


def test_a_german_text_without_an_english_one_is_named(tmp_path: Path) -> None:
    def add(text: str) -> str:
        return text.replace("dialysis = ", 'dialyse = "Dialyse"\ndialysis = ', 1)

    with pytest.raises(
        DataError, match=r"without an English text \['conditions\.condition\.dialyse'\]"
    ):
        Knowledge(_copy_with(tmp_path, add), language="de")


def test_an_unknown_translation_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"fr\.toml"):
        Knowledge(_copy_with(tmp_path, lambda t: t), language="fr")


# -- the assessment in German --------------------------------------------------------

#: Fields of a result that hold text; everything else must be equal in both languages.
TEXTS = {
    "headline",
    "message",
    "claim",
    "answer",
    "label",
    "reasons",
    "tests",
    "magnesium_evidence",
    "disclaimer",
    "not_judged",
    "target_name",
    "form_name",
    "time",
    "advice",
    "stop_if",
    "text",
}


def _without_texts(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (len(v) if isinstance(v, list) else None) if k in TEXTS else _without_texts(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_without_texts(v) for v in value]
    return value


def _texts(result: Result) -> list[str]:
    role = result.magnesium_role
    other = [] if role.other_cause is None else [role.other_cause.text]
    return [
        result.headline,
        *(f.message for f in result.findings),
        *result.not_judged,
        role.text,
        *other,
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_german_assessment_decides_exactly_as_the_english_one(case: dict[str, Any]) -> None:
    english = assess(case, knowledge=EN)
    german = assess(case, knowledge=DE)
    assert german.status == english.status and german.status_basis == english.status_basis
    assert german.refer_to_doctor == english.refer_to_doctor and german.urgent == english.urgent
    assert [(f.code, f.severity, f.sources) for f in german.findings] == [
        (f.code, f.severity, f.sources) for f in english.findings
    ]
    assert [(c.code, c.sources) for c in german.claims] == [
        (c.code, c.sources) for c in english.claims
    ]
    if english.dose_plan is not None:
        assert german.dose_plan is not None
        assert german.dose_plan.supplement_mg_per_day == english.dose_plan.supplement_mg_per_day
        assert german.dose_plan.doses_per_day == english.dose_plan.doses_per_day
    # everything but the texts is the same, to the last number and source
    assert _without_texts(german.model_dump(mode="json")) == _without_texts(
        english.model_dump(mode="json")
    )
    # the texts differ, yet say the same numbers
    assert german.headline != english.headline
    for de_text, en_text in zip(_texts(german), _texts(english), strict=True):
        assert Counter(_numbers(de_text)) == Counter(_numbers(en_text)), (de_text, en_text)
    # and the English result is what it always was
    assert assess(case) == english
