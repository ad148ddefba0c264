"""``magwise assess``, ``schema`` and ``example`` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from magwise import assess
from magwise.cli import cli
from magwise.examples import example_case_text


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_text(example_case_text(), encoding="utf-8")
    return path


def test_json_output_is_the_library_result(runner: CliRunner, example_file: Path) -> None:
    out = runner.invoke(cli, ["assess", str(example_file), "--json"])
    assert out.exit_code == 0, out.output
    assert out.stdout.strip() == assess(example_case_text()).model_dump_json(indent=2)


def test_readable_report_has_headline_and_sections(runner: CliRunner, example_file: Path) -> None:
    out = runner.invoke(cli, ["assess", str(example_file)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    text = out.stdout
    result = assess(example_case_text())
    assert result.headline.split(":")[0] in text
    for section in ("Intake per day", "Findings", "Hair loss: possible contributors"):
        assert section in text
    assert "No controlled trial" in text
    assert "does not diagnose or prescribe" in text


def test_stdin_and_standard_override(runner: CliRunner) -> None:
    out = runner.invoke(
        cli, ["assess", "-", "--json", "--standard", "nih"], input=example_case_text()
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["reference"]["standard"] == "nih"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "case: not valid JSON at line 1, column 2"),
        ('{"profile": {"sex": "female", "age_years": -1}}', "profile.age_years"),
        (
            '{"profile": {"sex": "female", "age_years": 30}, "symptoms": ["hiccups"]}',
            "symptoms[0]: unknown symptom 'hiccups'",
        ),
        (
            '{"profile": {"sex": "female", "age_years": 30},'
            ' "labs": [{"value": 12, "unit": "mmol/L"}]}',
            "Did you mean 12 mg/dL",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(runner: CliRunner, text: str, says: str) -> None:
    out = runner.invoke(cli, ["assess", "-"], input=text)
    assert out.exit_code == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("magwise: error: ")
    assert says in lines[0]
    assert "Traceback" not in out.output
    assert out.stdout == ""


@pytest.mark.parametrize("data", [b"\xff\xfe{", b'{"profile": "\xe9"}', "{}".encode("utf-16")])
def test_a_file_that_is_not_utf8_is_one_line_exit_2(
    runner: CliRunner, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "bin.json"
    path.write_bytes(data)
    for args, given in (([str(path)], None), (["-"], data)):
        out = runner.invoke(cli, ["assess", *args], input=given)
        assert out.exit_code == 2, out.output
        assert out.stderr == "magwise: error: case: a case file is UTF-8 encoded JSON text\n"
        assert out.stdout == ""


def test_a_byte_order_mark_is_forgiven(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + example_case_text().encode("utf-8"))
    out = runner.invoke(cli, ["assess", str(path), "--json"])
    assert out.exit_code == 0, out.output
    assert out.stdout.strip() == assess(example_case_text()).model_dump_json(indent=2)


def test_unknown_standard_option(runner: CliRunner, example_file: Path) -> None:
    out = runner.invoke(cli, ["assess", str(example_file), "--standard", "who"])
    assert out.exit_code == 2
    assert "standard" in out.stderr and "dge, efsa, nih" in out.stderr


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    out = runner.invoke(cli, ["assess", str(tmp_path / "nope.json")])
    assert out.exit_code == 2
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("which", ["case", "result"])
def test_schema_command(runner: CliRunner, which: str) -> None:
    out = runner.invoke(cli, ["schema", which])
    assert out.exit_code == 0
    assert json.loads(out.stdout)["$id"].endswith(f"/{which}/v1.json")


def test_example_case_round_trips(runner: CliRunner) -> None:
    out = runner.invoke(cli, ["example", "case"])
    assert out.exit_code == 0
    assert json.loads(out.stdout) == json.loads(example_case_text())
