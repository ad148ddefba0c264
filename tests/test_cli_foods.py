from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from magwise.cli import cli
from magwise.foods import FoodIndex


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["foods", *args])


@pytest.fixture(autouse=True)
def _index_exists(food_index: FoodIndex) -> None:
    """The CLI finds the session's index in $MAGWISE_DATA_DIR."""


def test_search_json() -> None:
    result = run("search", "hemp", "seeds", "--limit", "3", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    assert hits[0]["ndb"] == "12012"
    assert hits[0]["mg_per_100g"] == 700.0
    for hit in hits:
        assert set(hit) >= {"ndb", "description", "group", "mg_per_100g", "kcal_per_100g", "score"}
    assert [hit["score"] for hit in hits] == sorted((hit["score"] for hit in hits), reverse=True)


def test_search_table() -> None:
    result = run("search", "pumpkin seeds", "--limit", "2")
    assert result.exit_code == 0
    assert "12014" in result.stdout
    assert "Seeds, pumpkin" in result.stdout


def test_search_without_match_says_so() -> None:
    result = run("search", "qzxjvw")
    assert result.exit_code == 0
    assert "No SR28 food matches" in result.stdout
    assert json.loads(run("search", "qzxjvw", "--json").stdout) == []


def test_show_json() -> None:
    result = run("show", "12014", "--json")
    assert result.exit_code == 0
    food = json.loads(result.stdout)
    assert food["mg_per_100g"] == 592.0
    assert food["mg_per_100kcal"] == pytest.approx(592 / 559 * 100)
    ounce = next(portion for portion in food["portions"] if portion["label"] == "1 oz")
    assert ounce["grams"] == 28.35
    assert ounce["mg"] == pytest.approx(592 * 0.2835)


def test_show_table_reads_short_numbers() -> None:
    result = run("show", "1001")
    assert result.exit_code == 0
    assert "Butter, salted" in result.stdout
    assert "1 tbsp" in result.stdout


@pytest.mark.parametrize("per", ["100g", "100kcal", "portion"])
def test_top_json(per: str) -> None:
    result = run("top", "--per", per, "--group", "nut and seed products", "-n", "5", "--json")
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)
    assert len(ranked) == 5
    assert all(item["group"] == "Nut and Seed Products" and item["per"] == per for item in ranked)
    assert [item["mg"] for item in ranked] == sorted((item["mg"] for item in ranked), reverse=True)
    assert all((item["portion"] is None) == (per != "portion") for item in ranked)


def test_top_table() -> None:
    result = run("top", "--per", "portion", "--limit", "3")
    assert result.exit_code == 0
    assert "Serving" in result.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["show", "99999"], "ndb"),
        (["show", "abc"], "ndb"),
        (["search", "milk", "--limit", "ten"], "--limit"),
        (["search", "milk", "--limit", "0"], "--limit"),
        (["top", "--limit", "-1"], "--limit"),
        (["top", "--group", "nutz"], "group"),
        (["top", "--per", "cup"], "--per"),
        (["search", ""], "query"),
        (["search", "  "], "query"),
        (["search"], "QUERY"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], field: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("magwise: error:")
    assert field in lines[0]
    assert "Traceback" not in result.output


def test_unknown_group_suggests_and_lists() -> None:
    message = run("top", "--group", "nutz").stderr
    assert "did you mean 'Nut and Seed Products'" in message
    assert "Beverages" in message


def test_build_reports_the_index(data_dir: Path) -> None:
    result = run("build")
    assert result.exit_code == 0
    assert "8,789 SR28 foods" in result.stdout
    assert str(data_dir) in result.stdout


def test_build_force_rebuilds_with_progress_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAGWISE_DATA_DIR", str(tmp_path))
    result = run("build", "--force")
    assert result.exit_code == 0
    assert "8,789 SR28 foods" in result.stdout
    assert list(tmp_path.glob("foods-sr28-*"))
    stamp = next(tmp_path.glob("foods-sr28-*")).stat().st_mtime_ns
    assert run("build").exit_code == 0
    assert next(tmp_path.glob("foods-sr28-*")).stat().st_mtime_ns == stamp
    assert run("build", "--force").exit_code == 0
    assert next(tmp_path.glob("foods-sr28-*")).stat().st_mtime_ns != stamp


def test_automatic_build_keeps_json_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAGWISE_DATA_DIR", str(tmp_path))
    result = run("search", "almonds", "--json", "--limit", "1")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["ndb"] == "12061"
    assert list(tmp_path.glob("foods-sr28-*"))


def test_build_progress_is_drawn_on_stderr() -> None:
    from magwise.cli.foods import BuildProgress

    with BuildProgress() as progress:
        assert progress._bar is None, "nothing is drawn until a build reports progress"
        progress(10, 100)
        assert progress._bar is not None
        assert progress._bar.console.stderr
