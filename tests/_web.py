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
