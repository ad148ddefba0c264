"""Errors that reach a person: each names the input and what is accepted."""

from __future__ import annotations


class MagwiseError(Exception):
    """Base class for every error magwise reports to a person."""


class InputError(MagwiseError, ValueError):
    """Bad input: ``field`` names the input, ``message`` says what is accepted."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class UnknownCode(InputError):
    """A code that is not in the knowledge base (a close match is suggested)."""


class DataError(MagwiseError):
    """Shipped or built data is missing or invalid (not the person's fault)."""
