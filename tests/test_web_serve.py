"""``magwise serve``: options, and ``--get`` answering one request in-process."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import magwise.web
from magwise.cli import cli
from magwise.web import Settings


def test_get_runs_one_request_in_process() -> None:
    out = CliRunner().invoke(cli, ["serve", "--get", "/api/v1/health"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"status": "ok"}


def test_get_prints_pages_too() -> None:
    out = CliRunner().invoke(cli, ["serve", "--get", "/?lang=de"])
    assert out.exit_code == 0
    assert '<html lang="de">' in out.stdout


def test_get_of_a_missing_thing_exits_1() -> None:
    out = CliRunner().invoke(cli, ["serve", "--get", "/api/v1/foods/99999"])
    assert out.exit_code == 1
    assert json.loads(out.stdout)["detail"][0]["type"] == "not_found"
    assert "answered 404" in out.stderr


def test_help_says_where_it_listens() -> None:
    out = CliRunner().invoke(cli, ["serve", "--help"])
    assert out.exit_code == 0
    assert "127.0.0.1" in out.stdout
    assert "--get" in out.stdout


def test_local_mode_binds_loopback_by_default() -> None:
    settings = Settings()
    assert settings.host == "127.0.0.1"
    assert settings.mode == "local"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAGWISE_PORT", "8123")
    monkeypatch.setenv("MAGWISE_DEFAULT_LANGUAGE", "de")
    settings = Settings()
    assert settings.port == 8123
    assert settings.default_language == "de"


def test_public_names() -> None:
    assert magwise.web.__all__ == ["Settings", "create_app"]
