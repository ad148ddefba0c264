"""Accounts in server mode: ``/api/v1/account/...`` and the pages under ``/account``.

Sign-in failures say only "wrong e-mail address or password", whether the
address has an account or not, and take as long either way.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from magwise.errors import InputError
from magwise.web.auth.accounts import (
    CONSENT_VERSION,
    Account,
    AccountExists,
    Accounts,
    RateLimited,
    SignedIn,
)
from magwise.web.auth.middleware import (
    SESSION_COOKIE,
    SignInRequired,
    accounts_of,
    client_address,
    cookie_header,
    signed_in,
)
from magwise.web.auth.passwords import MAX_LENGTH, MIN_LENGTH, Rejected
from magwise.web.deps import MessagesDep
from magwise.web.errors import RESPONSES, ApiError, ErrorBody
from magwise.web.i18n import Messages
from magwise.web.people import app_store
from magwise.web.templating import render

api = APIRouter(prefix="/api/v1/account", tags=["account"])
pages = APIRouter(prefix="/account", include_in_schema=False)

WRONG = "wrong e-mail address or password"
TAKEN = "this e-mail address cannot be registered; sign in instead"


def get_accounts(request: Request) -> Accounts:
    return accounts_of(request.app)


def get_signed_in(request: Request) -> SignedIn:
    """The signed-in session (no consent needed: account pages work without it)."""
    session = signed_in(request)
    if session is None:
        raise SignInRequired
    return session


AccountsDep = Annotated[Accounts, Depends(get_accounts)]
SignedInDep = Annotated[SignedIn, Depends(get_signed_in)]


def _audit(
    accounts: Accounts,
    request: Request,
    action: str,
    outcome: str,
    account: Account | None = None,
) -> None:
    accounts.audit(
        action=action,
        method=request.method,
        path=request.url.path,
        outcome=outcome,
        account_id=None if account is None else account.id,
        person_id=None if account is None else account.person_id,
        client=client_address(request),
    )


def _start(accounts: Accounts, request: Request, account: Account, response: Response) -> None:
    """Sign ``account`` in on ``response``: a new session id; the old session ends."""
    token, _ = accounts.start_session(account.id, replacing=request.cookies.get(SESSION_COOKIE))
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, token))


def _end(accounts: Accounts, request: Request, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.end_session(token)
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, "", clear=True))


def _too_many(error: RateLimited) -> dict[str, str]:
    return {"Retry-After": str(error.retry_after)}


def _rate_limited(error: RateLimited, field: str = "email") -> JSONResponse:
    detail = {"loc": ["body", field], "field": field, "msg": str(error), "type": "rate_limited"}
    return JSONResponse({"detail": [detail]}, status_code=429, headers=_too_many(error))


def _session_of(request: Request) -> int | None:
    """The account of the request's own session, if any: a device the owner uses."""
    session = signed_in(request)
    return None if session is None else session.account.id


# -- the API --------------------------------------------------------------------


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=254, description="The account's e-mail address.")
    password: str = Field(max_length=1024, description="12 to 128 characters.")


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str = Field(
        max_length=20, description="The version of the consent text agreed to (see /me)."
    )


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(max_length=1024, description="The account's password, again.")


class AccountOut(BaseModel):
    id: int
    email: str
    created: dt.datetime
    consent_at: dt.datetime | None
    consent_version: str | None
    consent_required: bool = Field(description="True until the current consent text is agreed.")
    current_consent_version: str


class CsrfOut(BaseModel):
    csrf_token: str = Field(description="Send it as the X-CSRF-Token header.")


class AuditOut(BaseModel):
    at: dt.datetime
    action: str
    method: str
    path: str
    client: str | None
    outcome: str


def _out(account: Account) -> AccountOut:
    return AccountOut(
        id=account.id,
        email=account.email,
        created=account.created,
        consent_at=account.consent_at,
        consent_version=account.consent_version,
        consent_required=not account.consented,
        current_consent_version=CONSENT_VERSION,
    )


def _located(error: InputError) -> ApiError:
    return ApiError(422, ["body", error.field], error.message, "input_error")


_ERRORS: dict[int | str, dict[str, Any]] = {
    **RESPONSES,
    401: {"model": ErrorBody, "description": "Not signed in, or wrong credentials"},
    403: {"model": ErrorBody, "description": "Missing or wrong CSRF token"},
    429: {"model": ErrorBody, "description": "Too many failed attempts; see Retry-After"},
}


@api.get("/csrf", response_model=CsrfOut)
async def csrf(request: Request) -> CsrfOut:
    """The CSRF token to send with every POST, PUT, PATCH and DELETE."""
    return CsrfOut(csrf_token=str(request.state.csrf_token))


@api.post("/register", status_code=201, response_model=AccountOut, responses=_ERRORS)
def register(request: Request, body: Credentials, accounts: AccountsDep) -> JSONResponse:
    """Open an account and sign in. Nothing is stored about your health until you consent."""
    try:
        account = accounts.register(body.email, body.password, client_address(request))
    except RateLimited as error:
        _audit(accounts, request, "register", "rate_limited")
        return _rate_limited(error)
    except InputError as error:
        raise _located(error) from None
    except AccountExists:
        _audit(accounts, request, "register", "refused")
        raise ApiError(422, ["body", "email"], TAKEN, "input_error") from None
    _audit(accounts, request, "register", "ok", account)
    response = JSONResponse(_out(account).model_dump(mode="json"), status_code=201)
    _start(accounts, request, account, response)
    return response


@api.post("/login", response_model=AccountOut, responses=_ERRORS)
def login(request: Request, body: Credentials, accounts: AccountsDep) -> JSONResponse:
    """Sign in: a new session cookie (``__Host-magwise_session``)."""
    try:
        account = accounts.authenticate(
            body.email, body.password, client_address(request), _session_of(request)
        )
    except RateLimited as error:
        _audit(accounts, request, "sign_in", "rate_limited")
        return _rate_limited(error)
    if account is None:
        _audit(accounts, request, "sign_in", "failed")
        raise ApiError(401, ["body", "password"], WRONG, "wrong_credentials")
    _audit(accounts, request, "sign_in", "ok", account)
    response = JSONResponse(_out(account).model_dump(mode="json"))
    _start(accounts, request, account, response)
    return response


@api.post("/logout", status_code=204)
def logout(request: Request, accounts: AccountsDep) -> Response:
    """Sign out: the session ends on the server, the cookie is cleared."""
    session = signed_in(request)
    if session is not None:
        _audit(accounts, request, "sign_out", "ok", session.account)
    response = Response(status_code=204)
    _end(accounts, request, response)
    return response


@api.post("/logout-everywhere", status_code=204)
def logout_everywhere(request: Request, session: SignedInDep, accounts: AccountsDep) -> Response:
    """Sign out every browser and client of the account, this one too."""
    _audit(accounts, request, "sign_out_everywhere", "ok", session.account)
    accounts.end_sessions(session.account.id)
    response = Response(status_code=204)
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, "", clear=True))
    return response


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(max_length=1024, description="The current password.")
    new_password: str = Field(max_length=1024, description="12 to 128 characters.")


@api.post("/password", status_code=204, responses=_ERRORS)
def change_password(
    request: Request, body: PasswordChange, session: SignedInDep, accounts: AccountsDep
) -> Response:
    """A new password; every other session of the account ends."""
    try:
        changed = accounts.change_password(
            session.account.id,
            body.password,
            body.new_password,
            keep_session=session.session_id,
            address=client_address(request),
        )
    except RateLimited as error:
        _audit(accounts, request, "password_change", "rate_limited", session.account)
        return _rate_limited(error, "password")
    except InputError as error:
        raise _located(error) from None
    _audit(accounts, request, "password_change", "ok" if changed else "failed", session.account)
    if not changed:
        raise ApiError(401, ["body", "password"], "wrong password", "wrong_credentials")
    return Response(status_code=204)


@api.get("/me", response_model=AccountOut, responses=_ERRORS)
def me(session: SignedInDep, accounts: AccountsDep) -> AccountOut:
    found = accounts.by_id(session.account.id)
    if found is None:
        raise SignInRequired
    return _out(found)


@api.post("/consent", response_model=AccountOut, responses=_ERRORS)
def consent(
    request: Request, body: ConsentIn, session: SignedInDep, accounts: AccountsDep
) -> AccountOut:
    """Agree to the processing of your health data (the current consent text)."""
    if body.version != CONSENT_VERSION:
        raise ApiError(
            422,
            ["body", "version"],
            f"must be the current consent version {CONSENT_VERSION!r}",
            "input_error",
        )
    accounts.give_consent(session.account.id)
    _audit(accounts, request, "consent", CONSENT_VERSION, session.account)
    found = accounts.by_id(session.account.id)
    assert found is not None
    return _out(found)


@api.get("/audit", response_model=list[AuditOut], responses=_ERRORS)
def audit(session: SignedInDep, accounts: AccountsDep) -> list[AuditOut]:
    """Your own audit trail, newest first: every access to your data and account."""
    return [
        AuditOut(
            at=e.at,
            action=e.action,
            method=e.method,
            path=e.path,
            client=e.client,
            outcome=e.outcome,
        )
        for e in accounts.audit_trail(session.account.id)
    ]


def _delete(accounts: Accounts, request: Request, session: SignedIn) -> dict[str, int]:
    account = session.account
    # only while the account still owns the person (else AccountGone: nothing deleted)
    store = app_store(request.app).owned_by(account.id, account.person_id)
    deleted = store.forget(account.person_id)
    accounts.delete(account)
    accounts.audit(
        action="account_deleted",
        method=request.method,
        path=request.url.path,
        outcome="ok",
        client=client_address(request),
    )
    return deleted


@api.delete("/me", responses=_ERRORS)
def delete_account(
    request: Request, body: PasswordIn, session: SignedInDep, accounts: AccountsDep
) -> JSONResponse:
    """Delete the account and everything kept for it; what was deleted, by kind."""
    try:
        ok = accounts.check_password(session.account.id, body.password, client_address(request))
    except RateLimited as error:
        _audit(accounts, request, "account_delete", "rate_limited", session.account)
        return _rate_limited(error, "password")
    if not ok:
        _audit(accounts, request, "account_delete", "failed", session.account)
        raise ApiError(401, ["body", "password"], "wrong password", "wrong_credentials")
    deleted = _delete(accounts, request, session)
    response = JSONResponse({"deleted": deleted})
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, "", clear=True))
    return response


# -- the pages ------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no open redirect)."""
    if not target:
        return "/account"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/account"
    return target


async def _form(request: Request) -> dict[str, str]:
    async with request.form() as form:
        return {key: str(value) for key, value in form.items() if isinstance(value, str)}


def _page(
    request: Request, name: str, t: Messages, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return render(request, name, t, status_code=status_code, **context)


@pages.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, t: MessagesDep) -> HTMLResponse:
    return _page(request, "auth_register.html", t, email="", error=None)


@pages.post("/register", response_class=HTMLResponse)
async def register_form(request: Request, t: MessagesDep, accounts: AccountsDep) -> Response:
    form = await _form(request)
    email = form.get("email", "")
    try:
        account = await anyio.to_thread.run_sync(
            accounts.register, email, form.get("password", ""), client_address(request)
        )
    except RateLimited as error:
        await anyio.to_thread.run_sync(_audit, accounts, request, "register", "rate_limited")
        message = t("auth_page.rate_limited", seconds=error.retry_after)
        page = _page(request, "auth_register.html", t, 429, email=email, error=message)
        page.headers.update(_too_many(error))
        return page
    except Rejected as error:
        message = t("auth_page.error_" + error.reason, min=MIN_LENGTH, max=MAX_LENGTH)
        return _page(request, "auth_register.html", t, 422, email=email, error=message)
    except AccountExists:
        await anyio.to_thread.run_sync(_audit, accounts, request, "register", "refused")
        return _page(request, "auth_register.html", t, 422, email=email, error=t("auth_page.taken"))
    await anyio.to_thread.run_sync(_audit, accounts, request, "register", "ok", account)
    response = RedirectResponse(f"/account/consent?lang={t.lang}", status_code=303)
    await anyio.to_thread.run_sync(_start, accounts, request, account, response)
    return response


@pages.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, t: MessagesDep) -> HTMLResponse:
    target = _safe_next(request.query_params.get("next"))
    return _page(request, "auth_sign_in.html", t, email="", error=None, next=target)


@pages.post("/sign-in", response_class=HTMLResponse)
async def sign_in_form(request: Request, t: MessagesDep, accounts: AccountsDep) -> Response:
    form = await _form(request)
    email = form.get("email", "")
    target = _safe_next(form.get("next"))
    try:
        account = await anyio.to_thread.run_sync(
            accounts.authenticate,
            email,
            form.get("password", ""),
            client_address(request),
            _session_of(request),
        )
    except RateLimited as error:
        await anyio.to_thread.run_sync(_audit, accounts, request, "sign_in", "rate_limited")
        response = _page(
            request,
            "auth_sign_in.html",
            t,
            429,
            email=email,
            next=target,
            error=t("auth_page.rate_limited", seconds=error.retry_after),
        )
        response.headers.update(_too_many(error))
        return response
    if account is None:
        await anyio.to_thread.run_sync(_audit, accounts, request, "sign_in", "failed")
        return _page(
            request,
            "auth_sign_in.html",
            t,
            401,
            email=email,
            next=target,
            error=t("auth_page.wrong"),
        )
    await anyio.to_thread.run_sync(_audit, accounts, request, "sign_in", "ok", account)
    redirect = RedirectResponse(target, status_code=303)
    await anyio.to_thread.run_sync(_start, accounts, request, account, redirect)
    return redirect


@pages.post("/sign-out")
async def sign_out_form(request: Request, t: MessagesDep, accounts: AccountsDep) -> Response:
    session = signed_in(request)
    if session is not None:
        await anyio.to_thread.run_sync(_audit, accounts, request, "sign_out", "ok", session.account)
    response = RedirectResponse(f"/account/sign-in?lang={t.lang}", status_code=303)
    await anyio.to_thread.run_sync(_end, accounts, request, response)
    return response


@pages.get("/consent", response_class=HTMLResponse)
async def consent_page(request: Request, t: MessagesDep, session: SignedInDep) -> HTMLResponse:
    target = _safe_next(request.query_params.get("next"))
    return _page(
        request,
        "auth_consent.html",
        t,
        account=session.account,
        next=target,
        error=None,
        version=CONSENT_VERSION,
    )


@pages.post("/consent", response_class=HTMLResponse)
async def consent_form(
    request: Request, t: MessagesDep, session: SignedInDep, accounts: AccountsDep
) -> Response:
    form = await _form(request)
    target = _safe_next(form.get("next"))
    if form.get("agree") != CONSENT_VERSION:
        return _page(
            request,
            "auth_consent.html",
            t,
            422,
            account=session.account,
            next=target,
            error=t("auth_page.consent_missing"),
            version=CONSENT_VERSION,
        )
    await anyio.to_thread.run_sync(accounts.give_consent, session.account.id)
    await anyio.to_thread.run_sync(
        _audit, accounts, request, "consent", CONSENT_VERSION, session.account
    )
    return RedirectResponse(target, status_code=303)


@pages.get("", response_class=HTMLResponse)
async def account_page(
    request: Request, t: MessagesDep, session: SignedInDep, accounts: AccountsDep
) -> HTMLResponse:
    account = await anyio.to_thread.run_sync(accounts.by_id, session.account.id)
    trail = await anyio.to_thread.run_sync(accounts.audit_trail, session.account.id, 50)
    return _page(
        request,
        "auth_account.html",
        t,
        account=account or session.account,
        trail=trail,
        error=None,
        version=CONSENT_VERSION,
    )


@pages.post("/delete", response_class=HTMLResponse)
async def delete_form(
    request: Request, t: MessagesDep, session: SignedInDep, accounts: AccountsDep
) -> Response:
    form = await _form(request)
    limited: RateLimited | None = None
    try:
        ok = await anyio.to_thread.run_sync(
            accounts.check_password,
            session.account.id,
            form.get("password", ""),
            client_address(request),
        )
    except RateLimited as error:
        ok, limited = False, error
    if not ok:
        outcome = "failed" if limited is None else "rate_limited"
        await anyio.to_thread.run_sync(
            _audit, accounts, request, "account_delete", outcome, session.account
        )
        trail = await anyio.to_thread.run_sync(accounts.audit_trail, session.account.id, 50)
        page = _page(
            request,
            "auth_account.html",
            t,
            401 if limited is None else 429,
            account=session.account,
            trail=trail,
            error=t("auth_page.wrong_password")
            if limited is None
            else t("auth_page.rate_limited", seconds=limited.retry_after),
            version=CONSENT_VERSION,
        )
        if limited is not None:
            page.headers.update(_too_many(limited))
        return page
    await anyio.to_thread.run_sync(_delete, accounts, request, session)
    response = RedirectResponse(f"/account/register?lang={t.lang}&deleted=1", status_code=303)
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, "", clear=True))
    return response


@pages.post("/password", response_class=HTMLResponse)
async def password_form(
    request: Request, t: MessagesDep, session: SignedInDep, accounts: AccountsDep
) -> Response:
    form = await _form(request)
    error: str | None = None
    limited: RateLimited | None = None
    try:
        changed = await anyio.to_thread.run_sync(
            accounts.change_password,
            session.account.id,
            form.get("password", ""),
            form.get("new_password", ""),
            session.session_id,
            client_address(request),
        )
        if not changed:
            error = t("auth_page.wrong_current_password")
    except RateLimited as too_many:
        changed, limited = False, too_many
        error = t("auth_page.rate_limited", seconds=too_many.retry_after)
    except Rejected as rejected:
        changed = False
        error = t("auth_page.error_" + rejected.reason, min=MIN_LENGTH, max=MAX_LENGTH)
    outcome = "ok" if changed else "failed" if limited is None else "rate_limited"
    await anyio.to_thread.run_sync(
        _audit, accounts, request, "password_change", outcome, session.account
    )
    if error is not None:
        trail = await anyio.to_thread.run_sync(accounts.audit_trail, session.account.id, 50)
        page = _page(
            request,
            "auth_account.html",
            t,
            422 if limited is None else 429,
            account=session.account,
            trail=trail,
            error=error,
            error_anchor="new-password",
            version=CONSENT_VERSION,
        )
        if limited is not None:
            page.headers.update(_too_many(limited))
        return page
    return RedirectResponse(f"/account?lang={t.lang}&done=password", status_code=303)


@pages.post("/sign-out-everywhere")
async def sign_out_everywhere_form(
    request: Request, t: MessagesDep, session: SignedInDep, accounts: AccountsDep
) -> Response:
    await anyio.to_thread.run_sync(
        _audit, accounts, request, "sign_out_everywhere", "ok", session.account
    )
    await anyio.to_thread.run_sync(accounts.end_sessions, session.account.id)
    response = RedirectResponse(f"/account/sign-in?lang={t.lang}", status_code=303)
    response.headers.append("set-cookie", cookie_header(SESSION_COOKIE, "", clear=True))
    return response
