"""Local mode's guard against other web pages: the Host, the Origin, and a CSRF token.

Local mode has no sign-in: whoever reaches the server acts for the one person.
A web page the person visits could otherwise (1) auto-submit a form to
``/data/delete``, or (2) read ``/api/v1/me/export`` after pointing a name of its
own at 127.0.0.1 (DNS rebinding). ``LocalGuard`` wraps the whole app and refuses:

- any request whose ``Host`` is not a name or address the server serves
  (127.0.0.1, localhost, ::1 and the ``--host`` name, with the served port): 421;
- a POST, PUT, PATCH or DELETE whose ``Origin`` is another origin, or that a
  browser marks ``Sec-Fetch-Site: cross-site`` or ``same-site``: 403;
- a POST, PUT, PATCH or DELETE without the process's CSRF token, as the header
  ``X-CSRF-Token`` or the form field ``csrf_token`` (the pages' forms and htmx
  requests carry it; API clients get it from ``GET /api/v1/csrf``): 403.

Server mode's ``magwise.web.auth`` does the same with a token per session.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from magwise.web.csrf import UNSAFE, request_token, same_token
from magwise.web.settings import Settings

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def split_host(value: str) -> tuple[str, int | None] | None:
    """``Host``'s name (lower case, IPv6 without brackets) and port; None if malformed."""
    value = value.strip().lower()
    if not value:
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else None
    elif value.count(":") == 1:
        name, port_text = value.split(":")
    elif ":" in value:
        return None  # an IPv6 address must be bracketed
    else:
        name, port_text = value, None
    if port_text is None:
        return name, None
    if not port_text.isascii() or not port_text.isdigit() or len(port_text) > 5:
        return None
    return name, int(port_text)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(host: str, settings: Settings, scheme: str, served_port: int) -> bool:
    """Whether ``host`` (a ``Host`` header) names this server: its name and its port."""
    parsed = split_host(host)
    if parsed is None:
        return False
    name, port = parsed
    if (port if port is not None else _DEFAULT_PORTS.get(scheme)) != served_port:
        return False
    configured = settings.host.strip().strip("[]").lower()
    if name in LOOPBACK or name == configured:
        return True
    # served on every address: any address is fine (a rebinding page uses a name)
    return configured in WILDCARDS and _is_address(name)


def same_origin(origin: str, host: str, scheme: str) -> bool:
    """Whether ``origin`` (an ``Origin`` header) is this server's own origin."""
    parts = urlsplit(origin.strip().lower())
    if parts.scheme != scheme or parts.path or parts.query or not parts.netloc:
        return False
    mine = split_host(host)
    theirs = split_host(parts.netloc)
    if mine is None or theirs is None:
        return False
    default = _DEFAULT_PORTS.get(scheme)
    return (mine[0], mine[1] or default) == (theirs[0], theirs[1] or default)


def _refuse(status: int, loc: list[str], msg: str, kind: str) -> JSONResponse:
    field = ".".join(loc[1:])
    return JSONResponse(
        {"detail": [{"loc": loc, "field": field, "msg": msg, "type": kind}]},
        status_code=status,
    )


class LocalGuard:
    """The Host check, the Origin check and the CSRF token, for every request in local mode."""

    def __init__(self, app: ASGIApp, settings: Settings, token: str) -> None:
        self.app = app
        self.settings = settings
        self.token = token

    def _served_port(self, scope: Scope) -> int:
        server = scope.get("server")
        if server and server[1] is not None:
            return int(server[1])
        return self.settings.port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        scheme = str(scope.get("scheme", "http"))
        host = request.headers.get("host", "")
        if not host_allowed(host, self.settings, scheme, self._served_port(scope)):
            answer = _refuse(
                421,
                ["header", "Host"],
                "this server answers only to its own address (127.0.0.1, localhost, ::1 "
                "or the --host name) with its port",
                "host",
            )
            await answer(scope, receive, send)
            return
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        state["csrf_token"] = self.token
        if scope["method"] in UNSAFE:
            refusal = self._cross_site(request, host, scheme)
            if refusal is None:
                given, receive = await request_token(scope, receive)
                if not same_token(given, self.token):
                    refusal = _refuse(
                        403,
                        ["header", "X-CSRF-Token"],
                        "missing or wrong CSRF token: send the header X-CSRF-Token "
                        "(GET /api/v1/csrf) or the form field csrf_token",
                        "csrf",
                    )
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _cross_site(request: Request, host: str, scheme: str) -> JSONResponse | None:
        origin = request.headers.get("origin")
        fetch_site = request.headers.get("sec-fetch-site", "").lower()
        if origin is not None and not same_origin(origin, host, scheme):
            return _refuse(
                403, ["header", "Origin"], "a request from another web site is refused", "origin"
            )
        if fetch_site in {"cross-site", "same-site"}:
            return _refuse(
                403,
                ["header", "Sec-Fetch-Site"],
                "a request from another web site is refused",
                "origin",
            )
        return None


class CsrfOut(BaseModel):
    csrf_token: str = Field(description="Send it as the X-CSRF-Token header.")


router = APIRouter(prefix="/api/v1", tags=["meta"])


@router.get("/csrf", response_model=CsrfOut, summary="The CSRF token (local mode)")
async def csrf(request: Request) -> CsrfOut:
    """The token that every POST, PUT, PATCH or DELETE carries as the X-CSRF-Token header."""
    return CsrfOut(csrf_token=str(request.state.csrf_token))


def local_token(app: FastAPI) -> str:
    """The CSRF token of a local-mode app (one per process)."""
    token = app.state.local_csrf_token
    assert isinstance(token, str)
    return token


def install(app: FastAPI) -> None:
    """The guard and ``GET /api/v1/csrf``, when the app runs in local mode."""
    settings: Settings = app.state.settings
    if settings.mode != "local":
        return
    app.state.local_csrf_token = secrets.token_urlsafe(32)
    app.include_router(router)
    app.add_middleware(LocalGuard, settings=settings, token=app.state.local_csrf_token)
