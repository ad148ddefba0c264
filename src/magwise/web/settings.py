"""Settings of the web app, read from ``MAGWISE_`` environment variables."""

from __future__ import annotations

from typing import Literal

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
