"""``magwise sources``, ``magwise reference`` and ``magwise codes`` through the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from magwise.cli import cli
from magwise.knowledge import load_knowledge

KB = load_knowledge()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def ok_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


def flat(text: str) -> str:
    """Output with runs of whitespace collapsed, so wrapping does not matter."""
    return " ".join(text.split())


def fails(*args: str) -> str:
    """The one error line of a failing command."""
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("magwise: error: ")
    assert "Traceback" not in result.stderr
    return lines[0]


# ---- sources ------------------------------------------------------------------------


def test_sources_json_lists_every_source() -> None:
    data = ok_json("sources")
    assert [s["id"] for s in data] == list(KB.sources)
    for entry in data:
        assert set(entry) == {"id", "organisation", "title", "year", "url", "confirmed", "note"}
    dge = next(s for s in data if s["id"] == "dge2021")
    assert dge["confirmed"] is False
    assert dge["year"] == 2021


def test_sources_table() -> None:
    out = ok("sources")
    for source_id in KB.sources:
        assert source_id in out
    assert "organisation" in out
    assert "confirmed" in out


def test_one_source() -> None:
    out = flat(ok("sources", "efsa2015"))
    assert "doi:10.2903/j.efsa.2015.4186" in out
    assert "http://www.efsa.europa.eu/en/efsajournal/pub/4186" in out
    assert "iom1997" not in out


def test_one_source_json_and_case() -> None:
    data = ok_json("sources", "SCF2001")
    assert data["id"] == "scf2001"
    assert data["confirmed"] is False
    assert "ECHA" in data["note"]


def test_unknown_source() -> None:
    line = fails("sources", "who2020")
    assert "unknown source 'who2020'" in line
    assert "iom1997" in line
    assert "magwise_policy" in line


# ---- reference ----------------------------------------------------------------------


def test_reference_default_is_dge() -> None:
    data = ok_json("reference", "--sex", "female", "--age", "30")
    assert data["standard"] == "dge"
    assert data["target_mg"] == 300
    assert data["ear_mg"] is None
    assert data["supplement_ul_mg"] == 250
    assert data["min_doses_per_day"] == 2
    assert data["sources"][:2] == ["dge2021", "dge_eu2021"]
    assert "scf2001" in data["sources"]


def test_reference_json_shape() -> None:
    data = ok_json("reference", "--sex", "male", "--age", "40", "--standard", "nih")
    for key in (
        "standard",
        "target_mg",
        "ear_mg",
        "supplement_ul_mg",
        "min_doses_per_day",
        "sources",
        "notes",
    ):
        assert key in data
    assert (data["target_mg"], data["ear_mg"], data["supplement_ul_mg"]) == (420, 350, 350)
    assert (data["sex"], data["age_years"]) == ("male", 40)
    assert all(isinstance(s, str) and s in KB.sources for s in data["sources"])


@pytest.mark.parametrize(
    ("args", "target", "ear", "ul"),
    [
        (["--sex", "female", "--age", "0.5"], 80, None, None),  # 6 months
        (["--sex", "female", "--age", "0.5", "--standard", "efsa"], None, None, None),
        (["--sex", "male", "--age", "18.99"], 330, None, 250),
        (["--sex", "male", "--age", "19"], 350, None, 250),
        (["--sex", "female", "--age", "3.5"], 170, None, None),
        (["--sex", "female", "--age", "3.5", "--standard", "nih"], 80, 65, 65),
        (["--sex", "FEMALE", "--age", "17", "--pregnant", "--standard", "NIH"], 400, 335, 350),
        (["--sex", "female", "--age", "25", "--lactating", "--standard", "nih"], 310, 255, 350),
        (["--sex", "female", "--age", "25", "--lactating", "--standard", "efsa"], 300, None, 250),
    ],
)
def test_reference_values(args: list[str], target: Any, ear: Any, ul: Any) -> None:
    data = ok_json("reference", *args)
    assert (data["target_mg"], data["ear_mg"], data["supplement_ul_mg"]) == (target, ear, ul)


def test_reference_human_output() -> None:
    out = flat(ok("reference", "--sex", "female", "--age", "30"))
    assert "D-A-CH" in out
    assert "300 mg/day" in out
    assert "estimated value" in out
    assert "250 mg/day" in out
    assert "at least 2 doses a day" in out
    assert "naturally mineralised water never count" in out
    assert "dge2021" in out
    assert "does not diagnose or prescribe" in out
    assert "EAR not defined" in out
    assert "For comparison, IOM 1997 (NIH ODS): 350 mg/day" in out


def test_reference_nih_compares_with_the_eu_limit() -> None:
    out = flat(ok("reference", "--sex", "male", "--age", "50", "--standard", "nih"))
    assert "350 mg/day of supplemental magnesium" in out
    assert "For comparison, D-A-CH (DGE, ÖGE, SGE) 2021: 250 mg/day" in out


def test_reference_human_output_shows_ear_and_state() -> None:
    out = flat(ok("reference", "--sex", "female", "--age", "25", "--pregnant", "--standard", "nih"))
    assert "pregnant" in out
    assert "350 mg/day: recommended dietary allowance" in out
    assert "290 mg/day: estimated average requirement" in out
    assert "iom1997" in out


def test_reference_small_child_has_no_limit() -> None:
    out = flat(ok("reference", "--sex", "male", "--age", "2"))
    assert "no upper limit is set at this age" in out
    assert "No limit is set below 4 years" in out  # the note from the data


@pytest.mark.parametrize(
    ("age", "shown"),
    [("1", "male, 1 year"), ("2", "male, 2 years"), ("0.0833333", "(1 month)")],
)
def test_reference_counts_one_year_in_the_singular(age: str, shown: str) -> None:
    out = flat(ok("reference", "--sex", "male", "--age", age))
    assert shown in out
    assert " 1 years" not in out and "(1 months)" not in out


def test_reference_efsa_infant_has_no_target() -> None:
    out = flat(ok("reference", "--sex", "male", "--age", "0.25", "--standard", "efsa"))
    assert "Target none" in out
    assert "3 months" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--age", "30"], "--sex"),
        (["--sex", "female"], "--age"),
        (["--sex", "female", "--age", "thirty"], "not a valid float"),
        (["--sex", "female", "--age", "-1"], "age: -1.0 is out of range"),
        (["--sex", "female", "--age", "131"], "age: 131.0 is out of range"),
        (["--sex", "female", "--age", "nan"], "out of range"),
        (["--sex", "other", "--age", "30"], "--sex"),
        (["--sex", "female", "--age", "30", "--standard", "who"], "unknown standard 'who'"),
        (["--sex", "male", "--age", "30", "--pregnant"], "'female' only"),
        (["--sex", "male", "--age", "30", "--lactating"], "'female' only"),
        (["--sex", "female", "--age", "30", "--pregnant", "--lactating"], "not both"),
    ],
)
def test_reference_errors(args: list[str], words: str) -> None:
    assert words in fails("reference", *args)


def test_unknown_standard_lists_the_standards() -> None:
    line = fails("reference", "--sex", "female", "--age", "30", "--standard", "who")
    assert "accepted: dge, efsa, nih" in line


# ---- codes --------------------------------------------------------------------------

KIND_NAMES = [
    "conditions",
    "medications",
    "symptoms",
    "hair-patterns",
    "triggers",
    "scalp-signs",
    "forms",
    "units",
    "tests",
    "standards",
]


def test_codes_json_has_every_kind() -> None:
    data = ok_json("codes")
    assert list(data) == KIND_NAMES
    assert {r["code"] for r in data["conditions"]} == set(KB.conditions.codes())
    assert {r["code"] for r in data["medications"]} == set(KB.medications.codes())
    assert {r["code"] for r in data["symptoms"]} == set(KB.symptoms.codes())
    assert {r["code"] for r in data["hair-patterns"]} == set(KB.patterns.codes())
    assert {r["code"] for r in data["triggers"]} == set(KB.triggers.codes())
    assert {r["code"] for r in data["scalp-signs"]} == set(KB.scalp_signs.codes())
    assert {r["code"] for r in data["tests"]} == set(KB.lab_tests.codes())
    assert {r["id"] for r in data["forms"]} == set(KB.forms)
    assert [r["name"] for r in data["units"]] == ["mmol/L", "mg/dL", "mEq/L"]
    assert [r["id"] for r in data["standards"]] == ["dge", "efsa", "nih"]


def test_codes_conditions_marks_contraindications() -> None:
    rows = {r["code"]: r for r in ok_json("codes", "conditions")["conditions"]}
    assert rows["kidney_disease"]["contraindicated"] is True
    assert rows["kidney_disease"]["risk"] is False
    assert rows["coeliac_disease"]["risk"] is True
    assert rows["coeliac_disease"]["contraindicated"] is False
    assert "ckd" in rows["kidney_disease"]["aliases"]


def test_codes_medications_carry_class_and_effect() -> None:
    data = ok_json("codes", "medications")
    assert list(data) == ["medications"]
    rows = {r["code"]: r for r in data["medications"]}
    assert rows["levothyroxine"]["class"] == "thyroid_hormone"
    assert rows["levothyroxine"]["effect"] == "absorption"
    assert rows["levothyroxine"]["medicine_before_h"] == 4
    assert rows["omeprazole"]["effect"] == "lowers_mg"
    assert rows["omeprazole"]["medicine_before_h"] is None


def test_codes_symptoms_carry_signals() -> None:
    rows = {r["code"]: r for r in ok_json("codes", "symptoms")["symptoms"]}
    assert rows["diarrhea"]["signals"] == ["excess"]
    assert rows["nausea"]["signals"] == ["deficiency", "excess"]


def test_codes_forms() -> None:
    rows = {r["id"]: r for r in ok_json("codes", "forms")["forms"]}
    assert rows["citrate"]["elemental_percent"] == 16.2
    assert rows["threonate"]["elemental_percent"] == 8.3
    assert rows["oxide"]["topical"] is False
    assert rows["topical"]["topical"] is True
    assert rows["topical"]["elemental_percent"] == 0
    assert rows["oxide"]["name"] == "Magnesium oxide"


def test_codes_red_flags() -> None:
    data = ok_json("codes", "hair-patterns")
    assert {r["code"] for r in data["hair-patterns"] if r["red_flag"]} == {"patchy"}


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_codes_tables(kind: str) -> None:
    out = ok("codes", kind)
    data = ok_json("codes", kind)[kind]
    key = "name" if kind == "units" else "id" if kind in ("forms", "standards") else "code"
    for row in data:
        assert row[key] in out
    for other in KIND_NAMES:
        if other != kind:
            assert f"({other})" not in out


def test_codes_all_tables() -> None:
    out = flat(ok("codes"))
    for kind in KIND_NAMES:
        assert f"({kind})" in out
    assert "medicine 4 h before or 4 h after magnesium" in out
    assert "16.2" in out


@pytest.mark.parametrize("alias", ["Hair_Patterns", "SCALP SIGNS", "Forms"])
def test_codes_kind_is_forgiving(alias: str) -> None:
    data = ok_json("codes", alias)
    assert len(data) == 1


def test_unknown_kind() -> None:
    line = fails("codes", "vitamins")
    assert "unknown kind 'vitamins'" in line
    assert ", ".join(KIND_NAMES) in line


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("sources", ["--json"]),
        ("reference", ["--sex", "--age", "--pregnant", "--lactating", "--standard", "--json"]),
        ("codes", ["--json", "hair-patterns"]),
    ],
)
def test_command_help(command: str, options: list[str]) -> None:
    out = ok(command, "--help")
    for option in options:
        assert option in out
