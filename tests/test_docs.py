"""Docs that cannot drift: the README's commands, the rules, the published schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from magwise import load_knowledge, schema
from magwise.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block is not None
    assert README.index(block.group(0)) < README.index("\n\n", README.index("# magwise") + 10) + 5
    commands = [line.split("#")[0].strip() for line in block.group(1).strip().splitlines()]
    assert commands == ["./scripts/run", "./scripts/test"]


def test_ci_runs_the_readme_test_command() -> None:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "./scripts/test" in [line.strip() for line in lines]


def test_every_command_in_the_readme_exists() -> None:
    code = "\n".join(re.findall(r"```sh\n(.*?)```", README, re.S))
    used = set(re.findall(r"^magwise ([a-z]+)", code, re.M))
    assert used, "the README shows magwise commands"
    known = set(cli.list_commands(None))  # type: ignore[arg-type]
    assert used <= known, used - known


def test_every_top_level_command_is_in_the_readme() -> None:
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        assert f"magwise {name}" in README, name


def test_every_finding_code_is_documented() -> None:
    rules = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", rules, re.M))
    assert documented == set(load_knowledge().findings)


@pytest.mark.parametrize("which", ["case", "result"])
def test_published_schemas_match_the_code(which: str) -> None:
    published = json.loads((ROOT / "docs" / "schema" / f"{which}.v1.json").read_text())
    assert published == schema(which), f"run: magwise schema {which} > docs/schema/{which}.v1.json"
