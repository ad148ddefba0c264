"""Case file and API are for developers: a footer link, not an item of the main menu."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.web import Settings, create_app


@pytest.fixture
def client(tmp_path: Path, data_dir: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'm.sqlite3'}", warm_up=False)
    with local_client(create_app(settings)) as client:
        yield client


def _part(html: str, tag: str) -> str:
    found = re.search(rf"<{tag}[ >].*?</{tag}>", html, re.S)
    assert found is not None, f"no <{tag}>"
    return found[0]


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("path", ["/", "/today", "/progress", "/photos", "/data", "/sources"])
def test_the_menu_leaves_out_case_file_and_api_the_footer_has_them(
    client: TestClient, path: str, lang: str
) -> None:
    html = client.get(path, params={"lang": lang}).text
    menu = _part(html, "nav")
    assert 'href="/today' in menu and 'href="/data' in menu
    assert 'href="/case' not in menu
    assert 'href="/docs' not in menu
    footer = _part(html, "footer")
    assert f'href="/case?lang={lang}"' in footer
    assert 'href="/docs"' in footer
    words = "For developers:" if lang == "en" else "Für Entwicklerinnen und Entwickler:"
    assert words in footer


@pytest.mark.parametrize("path", ["/case", "/docs", "/openapi.json"])
def test_the_developer_routes_still_answer(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200
