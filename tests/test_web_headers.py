"""Security headers from the app itself, in both modes: CSP, nosniff, Referrer-Policy, HSTS.

The pages keep working under the policy: no inline script or style is left in
them, and in Chromium no page reports a blocked script or style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._browser import needs_chromium, running
from tests._web import local_client

from magwise.examples.diary import seed_example
from magwise.foods import FoodIndex
from magwise.store import Store
from magwise.web import Settings, create_app

PAGES = ["/", "/today", "/progress", "/data", "/data/delete", "/sources", "/case", "/docs"]
OTHERS = [
    "/api/v1/health",
    "/api/v1/me/export",
    "/openapi.json",
    "/static/magwise.css",
    "/no-such-page",
    "/api/v1/foods/0",
]


@pytest.fixture
def local(tmp_path: Path, data_dir: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    with Store.open(url) as store:
        assert seed_example(store, store.local_person())
    with local_client(create_app(Settings(database_url=url, warm_up=False))) as client:
        yield client


@pytest.fixture
def server(tmp_path: Path, data_dir: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    app = create_app(Settings(mode="server", database_url=url, warm_up=False, hsts_seconds=600))
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def assert_secured(headers: dict[str, str] | object, what: str) -> None:
    policy = headers["content-security-policy"]  # type: ignore[index]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert "frame-ancestors" in directives and directives["frame-ancestors"] == "'none'", what
    script = directives.get("script-src", directives.get("default-src", ""))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, what
    assert headers["x-content-type-options"] == "nosniff", what  # type: ignore[index]
    assert headers["referrer-policy"] == "same-origin", what  # type: ignore[index]


def test_local_mode_answers_carry_the_headers(local: TestClient) -> None:
    for path in [*PAGES, *OTHERS, "/api/v1/me/report"]:
        answer = local.get(path)
        assert_secured(answer.headers, path)
        assert "strict-transport-security" not in answer.headers  # plain HTTP
    refused = local.get("/", headers={"host": "evil.example:8000"})
    assert refused.status_code == 421
    assert_secured(refused.headers, "a refused request")
    forged = local.post("/data/delete", headers={"origin": "http://evil.example"})
    assert forged.status_code == 403
    assert_secured(forged.headers, "a refused request")


def test_server_mode_answers_carry_the_headers_and_hsts_over_tls(server: TestClient) -> None:
    for path in ["/account/sign-in", "/account/register", "/", "/api/v1/health", "/docs"]:
        answer = server.get(path)
        assert_secured(answer.headers, path)
        assert answer.headers["strict-transport-security"] == "max-age=600", path


def test_hsts_only_when_configured(data_dir: Path) -> None:
    app = create_app(Settings(mode="server", warm_up=False))
    with TestClient(app, base_url="https://testserver") as client:
        assert "strict-transport-security" not in client.get("/api/v1/health").headers


def test_the_report_has_no_script_at_all(local: TestClient) -> None:
    answer = local.get("/api/v1/me/report")
    assert answer.status_code == 200
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "<script" not in answer.text


def test_no_page_has_inline_script_or_style(local: TestClient) -> None:
    for path in PAGES:
        html = local.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert " src=" in tag, f"{path}: inline script {tag}"
        assert "<style" not in html, path
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), f"{path}: an inline event handler"


@needs_chromium
def test_pages_work_under_the_policy_in_chromium(tmp_path: Path, food_index: FoodIndex) -> None:
    from playwright.sync_api import expect, sync_playwright
    from tests._browser import ARGS, CHROMIUM

    with running(tmp_path, "--example") as magwise, magwise.watch(), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            blocked: list[str] = []
            for path in [*PAGES, "/api/v1/me/report"]:
                page = browser.new_page()
                page.on(
                    "console",
                    lambda message, path=path: (
                        blocked.append(f"{path}: {message.text}")
                        if "Content Security Policy" in message.text
                        else None
                    ),
                )
                page.goto(magwise.url + path)
                if path == "/docs":  # Swagger UI starts from /static/apidocs.js
                    expect(page.locator(".opblock").first).to_be_visible()
                if path == "/today":  # htmx works: search as you type answers
                    page.locator("#food-search").press_sequentially("almonds", delay=20)
                    expect(
                        page.locator("#food-results").get_by_role("option").first
                    ).to_be_visible()
                page.close()
            assert blocked == []
        finally:
            browser.close()
