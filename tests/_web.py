"""A ``TestClient`` for a local-mode app, as the person's own browser sees it.

It speaks to http://127.0.0.1:8000 (local mode answers only to its own address)
and sends the app's CSRF token with every request, as the pages and htmx do.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from magwise.web.guard import local_token

BASE_URL = "http://127.0.0.1:8000"


def local_client(app: FastAPI, **options: Any) -> TestClient:
    headers = {"X-CSRF-Token": local_token(app), **options.pop("headers", {})}
    return TestClient(app, base_url=BASE_URL, headers=headers, **options)


def asgi_post(
    app: Any,
    path: str,
    headers: dict[str, str],
    chunks: int,
    chunk: bytes = b"x" * 1024,
) -> tuple[int, int]:
    """POST ``chunks`` pieces of body straight to the ASGI app, as a client streaming them.

    Answers the status and how many pieces the app pulled: what a server would
    have read of the body before answering.
    """
    import anyio

    pulled = 0
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled >= chunks:
            return {"type": "http.disconnect"}
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < chunks}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            *((name.lower().encode(), value.encode()) for name, value in headers.items()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    anyio.run(app, scope, receive, send)
    assert len(status) == 1
    return status[0], pulled
