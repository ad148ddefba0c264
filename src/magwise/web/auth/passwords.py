"""Passwords: the rules a new one must meet, and argon2id hashing (argon2-cffi).

Rules (OWASP ASVS 4.0 V2.1, NIST SP 800-63B §5.1.1.2): at least 12 and at most
128 characters, any characters at all (no composition rules), not one of the
10,000 most common passwords (``common-passwords.txt``, with its source and
licence), not the account's own e-mail address, not one character repeated, and
hard enough to guess by zxcvbn's estimate (score 3 of 4 or more: about 10^8
guesses), which knows words, names, keyboard patterns, dates and the address.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from magwise.errors import InputError

MIN_LENGTH = 12
MAX_LENGTH = 128
#: The least zxcvbn score accepted (0-4; 3: "safely unguessable", about 10^8 guesses).
MIN_SCORE = 3
#: zxcvbn looks at this many characters at a time (its own limit is 72).
_ESTIMATED = 72
COMMON = Path(__file__).parent / "common-passwords.txt"

#: OWASP Password Storage Cheat Sheet, argon2id minimum: 19 MiB, 2 passes, 1 lane.
OWASP_MEMORY_KIB = 19456
OWASP_TIME_COST = 2
OWASP_PARALLELISM = 1


class Rejected(InputError):
    """A password or address that may not be used; ``reason`` names the rule (for the pages)."""

    def __init__(self, field: str, message: str, reason: str) -> None:
        super().__init__(field, message)
        self.reason = reason


@functools.cache
def common_passwords() -> frozenset[str]:
    """The refused common passwords, case-folded."""
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def normalize(password: str) -> str:
    """The password as hashed: Unicode NFKC, so one text typed two ways is one password."""
    return unicodedata.normalize("NFKC", password)


def check_new_password(password: str, email: str = "", field: str = "password") -> None:
    """Raise ``InputError`` naming ``field`` unless ``password`` may be used."""
    text = normalize(password)
    if len(text) < MIN_LENGTH:
        raise Rejected(field, f"must be at least {MIN_LENGTH} characters long", "too_short")
    if len(text) > MAX_LENGTH:
        raise Rejected(field, f"must be at most {MAX_LENGTH} characters long", "too_long")
    folded = text.casefold()
    if folded in common_passwords():
        raise Rejected(field, "is a commonly used password; choose another", "common")
    if len(set(folded)) == 1:
        raise Rejected(field, "is one character repeated; choose another", "repeated")
    if email and folded == email.strip().casefold():
        raise Rejected(field, "must not be your e-mail address", "email")
    if strength(text, email) < MIN_SCORE:
        raise Rejected(
            field,
            "is too easy to guess (a word, name, date or pattern with a few changes); "
            "a few unrelated words make a strong one",
            "weak",
        )


def strength(password: str, email: str = "") -> int:
    """zxcvbn's score, 0 (guessed at once) to 4, of ``password``.

    A password longer than zxcvbn takes is scored piece by piece and counts as
    strong as its strongest piece (guessing the whole means guessing that piece).
    """
    from zxcvbn import zxcvbn

    hints = ["magwise", "magnesium"]
    if email:
        local, _, domain = email.strip().casefold().partition("@")
        hints += [email.strip().casefold(), local, domain.split(".")[0]]
    pieces = [password[i : i + _ESTIMATED] for i in range(0, len(password), _ESTIMATED)]
    return max(int(zxcvbn(piece, user_inputs=hints)["score"]) for piece in pieces)


class Hasher:
    """argon2id with the given parameters (never below OWASP's minimum)."""

    def __init__(
        self,
        memory_kib: int = OWASP_MEMORY_KIB,
        time_cost: int = OWASP_TIME_COST,
        parallelism: int = OWASP_PARALLELISM,
    ) -> None:
        if (
            memory_kib < OWASP_MEMORY_KIB
            or time_cost < OWASP_TIME_COST
            or parallelism < OWASP_PARALLELISM
        ):
            raise ValueError("argon2id parameters below OWASP's minimum (m=19456, t=2, p=1)")
        self._hasher = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        self._dummy = self._hasher.hash("magwise: no such account")

    def hash(self, password: str) -> str:
        return self._hasher.hash(normalize(password))

    def verify(self, encoded: str, password: str) -> bool:
        """True when ``password`` matches ``encoded``."""
        try:
            return self._hasher.verify(encoded, normalize(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def burn(self, password: str) -> None:
        """Take as long as a verification, for a sign-in to an unknown account."""
        self.verify(self._dummy, password)

    def needs_rehash(self, encoded: str) -> bool:
        """True when ``encoded`` was made with other parameters than these."""
        try:
            return self._hasher.check_needs_rehash(encoded)
        except InvalidHashError:
            return True
