"""Limits in the app itself: the body's size per route (413 before it is read), the PDF's rate.

Bodies are sent straight to the ASGI app in pieces, so that the tests see how
much of a body the app pulled before it answered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._web import asgi_post, local_client

from magwise.examples.diary import seed_example
from magwise.store import Store
from magwise.web import Settings, create_app
from magwise.web.guard import local_token

SMALL = 4 * 1024  # the limit of most routes in these tests
IMPORT = 2 * 1024 * 1024


@pytest.fixture
def settings(tmp_path: Path, data_dir: Path) -> Settings:
    url = f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    return Settings(
        database_url=url,
        warm_up=False,
        max_body_bytes=SMALL,
        max_import_bytes=IMPORT,
        report_pdf_per_hour=2,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with local_client(create_app(settings)) as client:
        yield client


def token(client: TestClient) -> dict[str, str]:
    return {"x-csrf-token": local_token(client.app)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/api/v1/assess", SMALL),
        ("/api/v1/me/entries/note", SMALL),
        ("/data/delete", SMALL),
        ("/api/v1/me/import", IMPORT),
        ("/api/v1/me/labs/fhir", IMPORT),
        ("/data/import", IMPORT),
    ],
)
def test_a_declared_length_beyond_the_limit_is_413_before_reading(
    client: TestClient, path: str, limit: int
) -> None:
    headers = {**token(client), "content-type": "application/json"}
    status, pulled = asgi_post(client.app, path, {**headers, "content-length": str(limit + 1)}, 1)
    assert (status, pulled) == (413, 0)
    absurd = {**headers, "content-length": "9" * 40}
    assert asgi_post(client.app, path, absurd, 1) == (413, 0)


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/api/v1/assess", SMALL), ("/api/v1/me/import", IMPORT), ("/api/v1/me/labs/fhir", IMPORT)],
)
def test_a_streamed_body_is_cut_off_at_the_limit(client: TestClient, path: str, limit: int) -> None:
    headers = {**token(client), "content-type": "application/json"}
    chunks = limit // 1024 * 4
    status, pulled = asgi_post(client.app, path, headers, chunks)
    assert status == 413
    assert pulled <= limit // 1024 + 1  # not one piece more than the limit needs


def test_an_import_larger_than_other_bodies_goes_through(
    client: TestClient, tmp_path: Path
) -> None:
    with Store.open(client.app.state.settings.database_url) as store:  # type: ignore[attr-defined]
        assert seed_example(store, store.local_person())
    doc = client.get("/api/v1/me/export").json()
    text = json.dumps(doc)
    assert SMALL < len(text) < IMPORT
    answer = client.post(
        "/api/v1/me/import",
        params={"replace": "true"},
        content=text,
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    page = client.post(
        "/data/import",
        data={"replace": "yes"},
        files={"file": ("e.json", text.encode(), "application/json")},
        follow_redirects=False,
    )
    assert page.status_code == 303


def test_the_answer_names_the_limit(client: TestClient) -> None:
    answer = client.post("/api/v1/assess", content=b"{" + b" " * SMALL + b"}")
    assert answer.status_code == 413
    detail = answer.json()["detail"][0]
    assert detail["type"] == "body_too_large" and str(SMALL) in detail["msg"]
    page = client.post("/data/delete", data={"pad": "x" * SMALL})
    assert page.status_code == 413
    assert page.headers["content-type"].startswith("text/html")  # a page for a page
    assert "<h1>Too large to send</h1>" in page.text
    german = client.post("/data/delete?lang=de", data={"pad": "x" * SMALL})
    assert "<h1>Zu groß zum Senden</h1>" in german.text


def test_a_body_cut_off_inside_a_route_is_answered_the_same(client: TestClient) -> None:
    def body() -> Iterator[bytes]:
        yield from [b" " * 1024] * 8  # no Content-Length: counted as it comes

    answer = client.post(
        "/api/v1/assess", content=body(), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    detail = answer.json()["detail"][0]
    assert detail["type"] == "body_too_large" and str(SMALL) in detail["msg"]


def test_server_mode_has_the_limits_and_reads_no_anonymous_form_in_full(
    tmp_path: Path, data_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    app = create_app(Settings(mode="server", database_url=url, warm_up=False))
    with TestClient(app, base_url="https://testserver"):
        big = {"content-type": "application/json", "content-length": str(2 * 1024 * 1024)}
        assert asgi_post(app, "/api/v1/account/register", big, 1) == (413, 0)
        form = {"content-type": "application/x-www-form-urlencoded"}
        status, pulled = asgi_post(app, "/account/sign-in", form, chunks=1000)
        assert status == 403  # no token in its first 64 KiB: refused there
        assert pulled < 100


def test_pdf_reports_are_rate_limited(client: TestClient) -> None:
    with Store.open(client.app.state.settings.database_url) as store:  # type: ignore[attr-defined]
        assert seed_example(store, store.local_person())
    answers = [client.get("/api/v1/me/report.pdf") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[2].headers["retry-after"]) > 0
    assert answers[2].json()["detail"][0]["type"] == "rate_limited"
    assert client.get("/api/v1/me/report").status_code == 200  # the HTML report is not


def test_the_settings_are_documented() -> None:
    deployment = (Path(__file__).parents[1] / "docs" / "deployment.md").read_text()
    for name in (
        "MAGWISE_MAX_BODY_BYTES",
        "MAGWISE_MAX_IMPORT_BYTES",
        "MAGWISE_REPORT_PDF_PER_HOUR",
    ):
        assert name in deployment
