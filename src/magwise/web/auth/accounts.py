"""Accounts, sessions, sign-in limits and the audit trail, in the store's database.

Everything here is kept in the same database as the log (tables of schema
revision 3), so several ``magwise serve --multi-user`` processes on one
PostgreSQL share sessions and sign-in limits. Times are naive UTC; ``clock``
gives "now" (tests move it instead of sleeping).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Engine, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from magwise.store import models
from magwise.store._db import make_engine
from magwise.web.auth.passwords import Hasher, Rejected, check_new_password

Clock = Callable[[], dt.datetime]

#: The version of the consent text (locales ``auth_consent_text``) an account agrees to.
CONSENT_VERSION = "2026-11"

_ACCOUNTS = cast(Table, models.Account.__table__)
_SESSIONS = cast(Table, models.Session.__table__)
_ATTEMPTS = cast(Table, models.LoginAttempt.__table__)
_AUDIT = cast(Table, models.AuditEvent.__table__)
_PERSONS = cast(Table, models.Person.__table__)

EMAIL_MAX = 254


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def email_key(email: str) -> str:
    return email.strip().casefold()


def attempt_key(email: str) -> str:
    """How failed attempts name an account: a digest of its address, of fixed length
    (the key column holds ``pair:DIGEST|ADDRESS`` whatever address was typed).
    """
    return hashlib.sha256(email_key(email).encode("utf-8")).hexdigest()[:40]


def check_email(email: str, field: str = "email") -> str:
    """The address, trimmed; ``InputError`` unless it looks like one."""
    text = email.strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or len(text) > EMAIL_MAX or " " in text:
        raise Rejected(field, "must be an e-mail address such as name@example.org", "email_invalid")
    return text


class RateLimited(Exception):
    """Too many failed sign-ins: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")
        self.retry_after = retry_after


class AccountExists(Exception):
    """Registration with an address that already has an account."""


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    person_id: int
    created: dt.datetime
    consent_at: dt.datetime | None
    consent_version: str | None

    @property
    def consented(self) -> bool:
        return self.consent_at is not None and self.consent_version == CONSENT_VERSION


@dataclass(frozen=True)
class SignedIn:
    """A live session: its account and its CSRF token."""

    session_id: int
    account: Account
    csrf_token: str


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    action: str
    method: str
    path: str
    client: str | None
    outcome: str
    person_id: int | None


#: NIST SP 800-63B §5.2.2: at most 100 consecutive failed attempts on one account.
NIST_MAX_FAILURES = 100
#: The PostgreSQL advisory lock (two keys) held while checking and counting a failure.
_LIMIT_LOCK = (0x6D67, -1)


@dataclass(frozen=True)
class Limits:
    """Sign-in limits (docs/security.md): failures within ``window`` counted per key.

    ``per_account``: for one account from one client address; ``per_address``: from
    one address, whatever the account; ``per_account_all``: for one account from all
    addresses together, which refuses only addresses and sessions the account has
    not signed in from before (so strangers cannot lock the owner out).
    """

    idle: dt.timedelta
    absolute: dt.timedelta
    window: dt.timedelta
    per_account: int
    per_address: int
    per_account_all: int = NIST_MAX_FAILURES


def _account(row: Any) -> Account:
    return Account(
        id=int(row.id),
        email=str(row.email),
        person_id=int(row.person_id),
        created=row.created,
        consent_at=row.consent_at,
        consent_version=row.consent_version,
    )


class Accounts:
    """The accounts API of server mode, over the database at ``url``."""

    def __init__(
        self,
        database: str | Engine,
        hasher: Hasher,
        limits: Limits,
        clock: Clock = utcnow,
    ) -> None:
        """``database``: a URL (an engine of its own), or the store's engine to share."""
        self._owned = isinstance(database, str)
        self.engine = make_engine(database) if isinstance(database, str) else database
        self.hasher = hasher
        self.limits = limits
        self.clock = clock

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()

    # -- accounts ---------------------------------------------------------

    def register(self, email: str, password: str, address: str | None = None) -> Account:
        """A new account and its person; ``InputError`` for a bad address or password.

        Registrations count against the client address like failed sign-ins:
        past the limit, ``RateLimited``.
        """
        now = self.clock()
        if address:
            key = f"register:{address[:100]}"
            with self.engine.begin() as db:
                self._lock(db)
                wait = self._retry_after(db, key, self.limits.per_address, now)
                if wait is None:
                    db.execute(insert(_ATTEMPTS).values(key=key, at=now))
            if wait is not None:
                raise RateLimited(wait)
        email = check_email(email)
        check_new_password(password, email)
        encoded = self.hasher.hash(password)
        try:
            with self.engine.begin() as db:
                person = db.execute(
                    insert(_PERSONS).values(name="account").returning(_PERSONS.c.id)
                ).scalar_one()
                db.execute(
                    insert(_ACCOUNTS).values(
                        email=email,
                        email_key=email_key(email),
                        password_hash=encoded,
                        person_id=person,
                        created=now,
                    )
                )
        except IntegrityError:
            raise AccountExists(email) from None
        found = self.by_email(email)
        assert found is not None
        return found

    def by_email(self, email: str) -> Account | None:
        with self.engine.begin() as db:
            row = db.execute(
                select(_ACCOUNTS).where(_ACCOUNTS.c.email_key == email_key(email))
            ).first()
        return None if row is None else _account(row)

    def by_id(self, account_id: int) -> Account | None:
        with self.engine.begin() as db:
            row = db.execute(select(_ACCOUNTS).where(_ACCOUNTS.c.id == account_id)).first()
        return None if row is None else _account(row)

    def check_password(self, account_id: int, password: str, address: str | None) -> bool:
        """True when ``password`` is the account's; limited like signing in.

        For the checks of the current password (changing it, deleting the
        account), asked by a signed-in session: ``RateLimited`` when the account
        failed too often from ``address``, or ``address`` did.
        """
        account = self.by_id(account_id)
        if account is None:
            self.hasher.burn(password)
            return False
        return (
            self.authenticate(account.email, password, address, session_of=account_id) is not None
        )

    def change_password(
        self,
        account_id: int,
        current: str,
        new: str,
        keep_session: int | None = None,
        address: str | None = None,
    ) -> bool:
        """Set a new password when ``current`` is right; every other session ends.

        False when ``current`` is wrong; ``InputError`` when ``new`` may not be used;
        ``RateLimited`` when the current password failed too often (see ``authenticate``).
        """
        account = self.by_id(account_id)
        if account is None or not self.check_password(account_id, current, address):
            return False
        check_new_password(new, account.email, field="new_password")
        encoded = self.hasher.hash(new)
        with self.engine.begin() as db:
            db.execute(
                update(_ACCOUNTS).where(_ACCOUNTS.c.id == account_id).values(password_hash=encoded)
            )
            ended = delete(_SESSIONS).where(_SESSIONS.c.account_id == account_id)
            if keep_session is not None:
                ended = ended.where(_SESSIONS.c.id != keep_session)
            db.execute(ended)
        return True

    def give_consent(self, account_id: int, version: str = CONSENT_VERSION) -> None:
        with self.engine.begin() as db:
            db.execute(
                update(_ACCOUNTS)
                .where(_ACCOUNTS.c.id == account_id)
                .values(consent_at=self.clock(), consent_version=version)
            )

    def delete(self, account: Account) -> None:
        """Forget the account: its sessions, audit trail and sign-in failures.

        The person and their log go first (``Store.forget``, which cascades to
        the account); this removes whatever is left.
        """
        with self.engine.begin() as db:
            db.execute(delete(_SESSIONS).where(_SESSIONS.c.account_id == account.id))
            db.execute(delete(_AUDIT).where(_AUDIT.c.account_id == account.id))
            key = attempt_key(account.email)
            db.execute(
                delete(_ATTEMPTS).where(
                    (_ATTEMPTS.c.key == f"email:{key}") | _ATTEMPTS.c.key.startswith(f"pair:{key}|")
                )
            )
            db.execute(delete(_ACCOUNTS).where(_ACCOUNTS.c.id == account.id))

    # -- signing in -------------------------------------------------------

    def _retry_after(self, db: Any, key: str, allowed: int, now: dt.datetime) -> int | None:
        since = now - self.limits.window
        times = (
            db.execute(
                select(_ATTEMPTS.c.at)
                .where(_ATTEMPTS.c.key == key, _ATTEMPTS.c.at > since)
                .order_by(_ATTEMPTS.c.at.desc())
                .limit(allowed)
            )
            .scalars()
            .all()
        )
        if len(times) < allowed:
            return None
        free_at = times[-1] + self.limits.window  # when the oldest counted failure expires
        return max(1, int((free_at - now).total_seconds() + 0.999))

    def _lock(self, db: Any) -> None:
        """Check-and-count runs one at a time, in every process (SQLite: its write lock)."""
        if db.dialect.name == "postgresql":
            db.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LIMIT_LOCK[0]}, {_LIMIT_LOCK[1]})")

    def _known(self, db: Any, account_id: int, address: str | None) -> bool:
        """True when the account signed in (or registered) from ``address`` before."""
        if not address:
            return False
        found = db.execute(
            select(func.count()).where(
                _AUDIT.c.account_id == account_id,
                _AUDIT.c.action.in_(("sign_in", "register")),
                _AUDIT.c.outcome == "ok",
                _AUDIT.c.client == address[:100],
            )
        ).scalar_one()
        return bool(found)

    def authenticate(
        self,
        email: str,
        password: str,
        address: str | None,
        session_of: int | None = None,
    ) -> Account | None:
        """The account when ``password`` is right; None otherwise (and the failure counted).

        Limits (docs/security.md), failures within the window: ``per_account`` for
        this account from this address, ``per_address`` from this address for any
        account, and ``per_account_all`` for this account from everywhere, which
        does not apply to an address the account signed in from before nor to a
        session of the account (``session_of``). Past a limit ``RateLimited``,
        before the password is looked at.

        Checking the limits and counting the attempt are one transaction, taken
        one at a time by every process: the attempt is counted as a failure
        first and forgiven when the password is right, so parallel guesses cannot
        all pass the check before any is counted. An unknown address costs as
        much time as a wrong password.
        """
        now = self.clock()
        key = attempt_key(email)
        where = (address or "-")[:100]
        keys = [(f"pair:{key}|{where}", self.limits.per_account)]
        if address:  # without one (a Unix socket), clients are not lumped together
            keys.append((f"address:{where}", self.limits.per_address))
        with self.engine.begin() as db:
            self._lock(db)
            db.execute(delete(_ATTEMPTS).where(_ATTEMPTS.c.at <= now - self.limits.window))
            row = db.execute(
                select(_ACCOUNTS).where(_ACCOUNTS.c.email_key == email_key(email))
            ).first()
            known = row is not None and (
                session_of == row.id or self._known(db, int(row.id), address)
            )
            counted = [*keys, (f"email:{key}", self.limits.per_account_all)]
            checked = keys if known else counted
            waits = [self._retry_after(db, k, allowed, now) for k, allowed in checked]
            if any(wait is not None for wait in waits):
                raise RateLimited(max(wait for wait in waits if wait is not None))
            pending = [
                db.execute(
                    insert(_ATTEMPTS).values(key=k, at=now).returning(_ATTEMPTS.c.id)
                ).scalar_one()
                for k, _ in counted
            ]
        if row is None:
            self.hasher.burn(password)
            return None
        if not self.hasher.verify(row.password_hash, password):
            return None
        with self.engine.begin() as db:
            db.execute(delete(_ATTEMPTS).where(_ATTEMPTS.c.id.in_(pending)))
            db.execute(delete(_ATTEMPTS).where(_ATTEMPTS.c.key == keys[0][0]))
            if self.hasher.needs_rehash(row.password_hash):
                db.execute(
                    update(_ACCOUNTS)
                    .where(_ACCOUNTS.c.id == row.id)
                    .values(password_hash=self.hasher.hash(password))
                )
        return _account(row)

    # -- sessions ---------------------------------------------------------

    def start_session(self, account_id: int, replacing: str | None = None) -> tuple[str, str]:
        """A new session id and CSRF token; the session ``replacing`` ends."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = self.clock()
        with self.engine.begin() as db:
            if replacing:
                db.execute(delete(_SESSIONS).where(_SESSIONS.c.token_hash == token_hash(replacing)))
            db.execute(
                insert(_SESSIONS).values(
                    token_hash=token_hash(token),
                    account_id=account_id,
                    created=now,
                    last_seen=now,
                    csrf_token=csrf,
                )
            )
        return token, csrf

    def session(self, token: str) -> SignedIn | None:
        """The live session of ``token`` (its idle time restarts), or None.

        A session idle longer than the idle timeout, or older than the absolute
        timeout, is ended.
        """
        now = self.clock()
        with self.engine.begin() as db:
            row = db.execute(
                select(
                    _SESSIONS.c.id.label("session_id"),
                    _SESSIONS.c.created.label("session_created"),
                    _SESSIONS.c.last_seen,
                    _SESSIONS.c.csrf_token,
                    _ACCOUNTS,
                )
                .join(_ACCOUNTS, _ACCOUNTS.c.id == _SESSIONS.c.account_id)
                .where(_SESSIONS.c.token_hash == token_hash(token))
            ).first()
            if row is None:
                return None
            if (
                now - row.last_seen > self.limits.idle
                or now - row.session_created > self.limits.absolute
            ):
                db.execute(delete(_SESSIONS).where(_SESSIONS.c.id == row.session_id))
                return None
            db.execute(
                update(_SESSIONS).where(_SESSIONS.c.id == row.session_id).values(last_seen=now)
            )
        return SignedIn(int(row.session_id), _account(row), str(row.csrf_token))

    def end_session(self, token: str) -> None:
        with self.engine.begin() as db:
            db.execute(delete(_SESSIONS).where(_SESSIONS.c.token_hash == token_hash(token)))

    def end_sessions(self, account_id: int) -> None:
        with self.engine.begin() as db:
            db.execute(delete(_SESSIONS).where(_SESSIONS.c.account_id == account_id))

    def session_count(self, account_id: int) -> int:
        with self.engine.begin() as db:
            return int(
                db.execute(
                    select(func.count()).where(_SESSIONS.c.account_id == account_id)
                ).scalar_one()
            )

    # -- the audit trail --------------------------------------------------

    def audit(
        self,
        *,
        action: str,
        method: str,
        path: str,
        outcome: str,
        account_id: int | None = None,
        person_id: int | None = None,
        client: str | None = None,
    ) -> None:
        with self.engine.begin() as db:
            db.execute(
                insert(_AUDIT).values(
                    at=self.clock(),
                    account_id=account_id,
                    person_id=person_id,
                    action=action[:40],
                    method=method[:10],
                    path=path[:500],
                    client=None if client is None else client[:100],
                    outcome=outcome[:20],
                )
            )

    def audit_trail(self, account_id: int, limit: int = 500) -> list[AuditEntry]:
        """The account's own trail, newest first."""
        with self.engine.begin() as db:
            rows = db.execute(
                select(_AUDIT)
                .where(_AUDIT.c.account_id == account_id)
                .order_by(_AUDIT.c.at.desc(), _AUDIT.c.id.desc())
                .limit(limit)
            ).all()
        return [
            AuditEntry(r.at, r.action, r.method, r.path, r.client, r.outcome, r.person_id)
            for r in rows
        ]


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two tokens; False when either is missing."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
