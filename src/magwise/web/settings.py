"""Settings of the web app, read from ``MAGWISE_`` environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Language = Literal["en", "de"]
LANGUAGES: tuple[Language, ...] = ("en", "de")


class Settings(BaseSettings):
    """How the web app runs. ``MAGWISE_HOST=0.0.0.0`` and so on override the defaults."""

    model_config = SettingsConfigDict(env_prefix="MAGWISE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    mode: Literal["local", "server"] = "local"
    """local: one person, no login; server: accounts (``magwise serve --multi-user``)."""
    database_url: str | None = None
    """The store (``MAGWISE_DATABASE_URL``); default the SQLite file in the data directory."""
    default_language: Language = "en"
    warm_up: bool = True
    """Load the knowledge base and the food index when the app starts."""
    # server mode (magwise.web.auth): sessions, sign-in limits, password hashing
    session_idle_minutes: int = Field(30, ge=1)
    session_absolute_hours: int = Field(12, ge=1)
    login_window_minutes: int = Field(15, ge=1)
    login_max_per_account: int = Field(5, ge=1)
    """Failed sign-ins per account within the window before it is refused (429)."""
    login_max_per_address: int = Field(20, ge=1)
    argon2_memory_kib: int = Field(19456, ge=19456)
    """argon2id parameters: at least OWASP's minimum (19 MiB, 2 passes, 1 lane)."""
    argon2_time_cost: int = Field(2, ge=2)
    argon2_parallelism: int = Field(1, ge=1)
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    """The largest request body (413 beyond), except for imports."""
    max_import_bytes: int = Field(64 * 1024 * 1024, ge=1024)
    """The largest import (an export, a FHIR bundle): far more than years of log take."""
    report_pdf_per_hour: int = Field(30, ge=1)
    """PDF reports per person and hour (429 beyond): each takes seconds of CPU."""
    hsts_seconds: int = Field(0, ge=0)
    """Strict-Transport-Security max-age on answers over TLS (e.g. 31536000); 0: not sent."""
    forwarded_allow_ips: str | None = None
    """Proxies whose X-Forwarded-For/-Proto are trusted (e.g. 127.0.0.1); default none."""
