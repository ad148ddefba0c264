"""Server mode's request layer: the session cookie, CSRF, and the audit trail.

``AuthMiddleware`` wraps the whole app, so every route (those added later too)
is covered: it finds the request's session, refuses any POST, PUT, PATCH or
DELETE whose CSRF token is missing or wrong (403), and after a request that
touched a person's health data (``PersonDep``) records it in the audit trail.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import MutableMapping
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from magwise.web.auth.accounts import (
    Accounts,
    Limits,
    SignedIn,
    same_token,
)
from magwise.web.auth.passwords import Hasher
from magwise.web.csrf import UNSAFE, request_token
from magwise.web.settings import Settings

SESSION_COOKIE = "__Host-magwise_session"
CSRF_COOKIE = "__Host-magwise_csrf"
_LOCK = threading.Lock()


def accounts_of(app: FastAPI) -> Accounts:
    """The app's accounts, over the store's database (opened on first use)."""
    found = getattr(app.state, "accounts", None)
    if found is None:
        from magwise.web.people import app_store

        with _LOCK:
            found = getattr(app.state, "accounts", None)
            if found is None:
                settings: Settings = app.state.settings
                limits = Limits(
                    idle=timedelta(minutes=settings.session_idle_minutes),
                    absolute=timedelta(hours=settings.session_absolute_hours),
                    window=timedelta(minutes=settings.login_window_minutes),
                    per_account=settings.login_max_per_account,
                    per_address=settings.login_max_per_address,
                )
                hasher = Hasher(
                    settings.argon2_memory_kib,
                    settings.argon2_time_cost,
                    settings.argon2_parallelism,
                )
                store = app_store(app)
                # one connection pool per process: the store's, when it has one
                engine = getattr(getattr(store, "_db", None), "engine", None)
                found = Accounts(
                    engine if isinstance(engine, Engine) else store.url, hasher, limits
                )
                app.state.accounts = found
    assert isinstance(found, Accounts)
    return found


def cookie_header(name: str, value: str, *, clear: bool = False) -> str:
    """A ``__Host-`` cookie: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain."""
    response = Response()
    response.set_cookie(
        name,
        value,
        max_age=0 if clear else None,
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",
    )
    return response.headers["set-cookie"]


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


class SignInRequired(Exception):
    """The request needs a signed-in account."""


class ConsentRequired(Exception):
    """The account has not (yet) agreed to the current consent text."""


def _wants_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _problem(status: int, loc: list[str], msg: str, kind: str) -> JSONResponse:
    field = ".".join(loc[1:])
    return JSONResponse(
        {"detail": [{"loc": loc, "field": field, "msg": msg, "type": kind}]}, status_code=status
    )


def _next(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return quote(target, safe="/")


async def sign_in_required(request: Request, exc: Exception) -> Response:
    if _wants_api(request):
        return _problem(401, ["cookie", SESSION_COOKIE], "sign in first", "not_signed_in")
    return RedirectResponse(f"/account/sign-in?next={_next(request)}", status_code=303)


async def consent_required(request: Request, exc: Exception) -> Response:
    if _wants_api(request):
        return _problem(
            403,
            ["body", "consent"],
            "agree to the processing of your health data first (POST /api/v1/account/consent)",
            "consent_required",
        )
    return RedirectResponse(f"/account/consent?next={_next(request)}", status_code=303)


def signed_in(request: Request) -> SignedIn | None:
    found = getattr(request.state, "signed_in", None)
    return found if isinstance(found, SignedIn) else None


def signed_in_person(request: Request) -> int:
    """The person of the signed-in account, once it has consented; noted for the audit."""
    session = signed_in(request)
    if session is None:
        raise SignInRequired
    if not session.account.consented:
        raise ConsentRequired
    request.state.audit_person = session.account.person_id
    return session.account.person_id


class AuthMiddleware:
    """Sessions, CSRF and the audit trail for every request in server mode."""

    def __init__(self, app: ASGIApp, fastapi: FastAPI) -> None:
        self.app = app
        self.fastapi = fastapi

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        accounts = await anyio.to_thread.run_sync(accounts_of, self.fastapi)
        scope.setdefault("state", {})
        request = Request(scope)
        extra_cookies: list[str] = []
        token = request.cookies.get(SESSION_COOKIE)
        session = await anyio.to_thread.run_sync(accounts.session, token) if token else None
        if token and session is None:
            extra_cookies.append(cookie_header(SESSION_COOKIE, "", clear=True))
        if session is not None:
            expected = session.csrf_token
        else:
            expected = request.cookies.get(CSRF_COOKIE, "")
            if not 20 <= len(expected) <= 64:
                expected = secrets.token_urlsafe(32)
                extra_cookies.append(cookie_header(CSRF_COOKIE, expected))
        state: MutableMapping[str, Any] = scope["state"]
        state["signed_in"] = session
        state["csrf_token"] = expected

        if scope["method"] in UNSAFE:
            # the header, else the form field from the start of the body (not all of it)
            given, receive = await request_token(scope, receive)
            if not same_token(given, expected):
                response = _problem(
                    403,
                    ["header", "X-CSRF-Token"],
                    "missing or wrong CSRF token: send the header X-CSRF-Token "
                    "or the form field csrf_token",
                    "csrf",
                )
                for cookie in extra_cookies:
                    response.headers.append("set-cookie", cookie)
                await response(scope, receive, send)
                return

        status = 500

        async def send_with_cookies(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = MutableHeaders(scope=message)
                for cookie in extra_cookies:
                    headers.append("set-cookie", cookie)
                if "cache-control" not in headers and not scope["path"].startswith("/static"):
                    headers["cache-control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookies)
        finally:
            person = state.get("audit_person")
            if person is not None and session is not None:
                write = scope["method"] not in ("GET", "HEAD")
                await anyio.to_thread.run_sync(
                    lambda: accounts.audit(
                        action="health_data_write" if write else "health_data_read",
                        method=scope["method"],
                        path=scope["path"],
                        outcome=str(status),
                        account_id=session.account.id,
                        person_id=int(person),
                        client=client_address(request),
                    )
                )


def install(app: FastAPI) -> None:
    """Add the middleware and the handlers that answer a missing sign-in or consent."""
    app.add_exception_handler(SignInRequired, sign_in_required)
    app.add_exception_handler(ConsentRequired, consent_required)
    app.add_middleware(AuthMiddleware, fastapi=app)
