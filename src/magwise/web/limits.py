"""Limits on requests, in the app itself: the body's size per route, and the PDF report's rate.

``BodyLimit`` wraps the whole app. It refuses a body larger than the route's
maximum with 413: at once when ``Content-Length`` says so (nothing is read),
else as soon as the bytes received pass the maximum (the body is counted while it
streams in, never gathered first). Imports (``IMPORTS``) may be as large as
``MAGWISE_MAX_IMPORT_BYTES``, every other request ``MAGWISE_MAX_BODY_BYTES``.

``RateLimit`` counts PDF reports per person in a sliding window (one per
process: behind several processes the limit holds per process).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from magwise.web.settings import Settings

IMPORTS = frozenset({"/api/v1/me/import", "/api/v1/me/labs/fhir", "/data/import"})
"""The routes that take a whole export (or a FHIR bundle): the large limit."""


class BodyTooLarge(HTTPException):
    """The request's body passed its route's maximum while it was read.

    An ``HTTPException``, so that FastAPI passes it on from a route's body reading
    (the app's handler answers 413); raised before a route, ``BodyLimit`` answers.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(
            413, f"the request body is too large; accepted: at most {limit} bytes here"
        )


def body_limit(settings: Settings, path: str) -> int:
    """The largest body accepted on ``path``, in bytes."""
    return settings.max_import_bytes if path in IMPORTS else settings.max_body_bytes


async def too_large(request: Request, exc: Exception) -> Response:
    """The 413 answer (a page for a page, else the API's JSON), with the limit named."""
    from magwise.web.errors import refusal

    assert isinstance(exc, BodyTooLarge)
    return await refusal(
        request, 413, ["header", "Content-Length"], str(exc.detail), "body_too_large"
    )


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    answer = await too_large(Request(scope), BodyTooLarge(limit))
    await answer(scope, receive, send)


class BodyLimit:
    """413 for a body larger than its route's limit, before it is read into memory."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.settings, str(scope["path"]))
        declared = Request(scope).headers.get("content-length")
        if declared is not None:
            text = declared.strip()
            if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) > limit:
                await _too_large(scope, receive, send, limit)
                return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
            await _too_large(scope, receive, send, limit)


def install(app: FastAPI) -> None:
    """The body limit around the whole app, and its 413 answer from within routes."""
    app.add_exception_handler(BodyTooLarge, too_large)
    app.add_middleware(BodyLimit, settings=app.state.settings)


class RateLimit:
    """At most ``count`` events per key within ``window`` seconds (in this process)."""

    def __init__(
        self, count: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.count = count
        self.window = window
        self.clock = clock
        self._seen: dict[object, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: object) -> int:
        """Seconds until ``key`` may go again (0: now, and the event is counted)."""
        now = self.clock()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.count:
                return max(1, int(seen[0] + self.window - now + 0.999))
            seen.append(now)
            return 0
