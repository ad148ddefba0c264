"""CSRF tokens in requests, both modes: the header, or the form field from the body's start.

A form carries its token as the field ``csrf_token``, the first field of every
form the pages render. ``form_token`` reads at most ``SCAN_BYTES`` of the body to
find it: a small form is parsed whole, a larger one only has its beginning
searched, so that a request without a valid token is refused before the rest of
its body is read (an anonymous upload of 50 MB is not buffered to learn that it
carries no token). The messages read are replayed to the app afterwards.
"""

from __future__ import annotations

import hmac
import re
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import Message, Receive, Scope

CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
SCAN_BYTES = 64 * 1024
"""How much of a form's body is read to find its token before the check."""
_MULTIPART_FIELD = re.compile(
    rb'content-disposition:[^\r\n]*\bname="csrf_token"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n'
    rb"([A-Za-z0-9_\-]{1,128})\r\n",
    re.IGNORECASE,
)


def same_token(given: str | None, expected: str) -> bool:
    """Whether ``given`` is the expected token (compared in constant time)."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that answers ``messages`` first, then the original ``receive``."""
    queue = list(messages)

    async def replayed() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replayed


def _from_prefix(prefix: bytes, content_type: str) -> str | None:
    if content_type.startswith("multipart/form-data"):
        found = _MULTIPART_FIELD.search(prefix)
        return found.group(1).decode("ascii") if found else None
    # url-encoded: the complete pairs read so far (the last one may be cut off)
    complete = prefix.rsplit(b"&", 1)[0] if b"&" in prefix else b""
    for name, value in parse_qsl(complete.decode("latin-1")):
        if name == CSRF_FIELD:
            return value
    return None


async def form_token(scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
    """The form's ``csrf_token`` field, and the ``receive`` to hand on to the app.

    Reads at most about ``SCAN_BYTES`` of the body: whole when it is that small,
    else only the beginning is searched (where the pages put the field).
    """
    messages: list[Message] = []
    prefix = b""
    complete = False
    while len(prefix) <= SCAN_BYTES:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            complete = True
            break
        prefix += message.get("body", b"")
        if not message.get("more_body", False):
            complete = True
            break
    content_type = Request(scope).headers.get("content-type", "")
    if not complete:
        return _from_prefix(prefix, content_type.lower()), replay(messages, receive)
    try:
        async with Request(scope, replay(messages, receive)).form() as form:
            field = form.get(CSRF_FIELD)
            given = field if isinstance(field, str) else None
    except Exception:  # an unreadable form carries no token
        given = None
    return given, replay(messages, receive)


async def request_token(scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
    """The token a state-changing request carries: the header, else the form field."""
    request = Request(scope)
    given = request.headers.get(CSRF_HEADER)
    if given or not request.headers.get("content-type", "").lower().startswith(FORMS):
        return given, receive
    return await form_token(scope, receive)
