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


#: The exit status of the command line for a fault of the machine or the database
#: (a full disk, a read-only file, a database server that is down); bad input is 2.
ENVIRONMENT_EXIT_STATUS = 3


class StorageError(MagwiseError):
    """The storage failed (not the person's input): ``kind`` names the fault.

    ``kind`` is one of ``disk_full``, ``read_only``, ``io_error``, ``locked``,
    ``cannot_open``, ``corrupt`` or ``unavailable``; the message says what to do.
    Nothing was written: every entry is stored whole or not at all.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"database: {message}")
        self.kind = kind
        self.message = message
