"""Accounts for server mode (``magwise serve --multi-user``), to OWASP ASVS level 2.

``install(app)`` adds, in server mode only: the accounts API
(``/api/v1/account``), the account pages (``/account``), and the middleware that
ties each request to its session, checks CSRF tokens and keeps the audit trail.
``signed_in_person`` is what ``magwise.web.people.get_person`` answers with in
server mode. docs/security.md describes the controls.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

from magwise.store import AccountGone
from magwise.web.auth.accounts import CONSENT_VERSION, Accounts
from magwise.web.auth.middleware import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    accounts_of,
    sign_in_required,
    signed_in,
    signed_in_person,
)
from magwise.web.settings import Settings

__all__ = [
    "CONSENT_VERSION",
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "Accounts",
    "accounts_of",
    "install",
    "signed_in",
    "signed_in_person",
]


def install(app: FastAPI) -> None:
    """Accounts, sessions, CSRF and the audit trail, when the app runs in server mode."""
    settings: Settings = app.state.settings
    if settings.mode != "server":
        return
    from magwise.web.auth import middleware
    from magwise.web.auth.routes import api, pages

    app.include_router(api)
    app.include_router(pages)
    middleware.install(app)
    app.add_exception_handler(AccountGone, account_gone)


async def account_gone(request: Request, exc: Exception) -> Response:
    """A request whose account was deleted while it ran: nothing was written; sign in."""
    return await sign_in_required(request, exc)
