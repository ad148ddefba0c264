"""Look up entries by code or alias, with a close match suggested for typos."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Generic, Protocol, TypeVar

from magwise.errors import UnknownCode


class HasCode(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


T = TypeVar("T", bound=HasCode)


def normalise(text: str) -> str:
    """Lower case, single spaces, '-' and '_' as spaces."""
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


class CodeBook(Generic[T]):
    """Entries of one kind (symptoms, conditions, ...) by code and alias."""

    def __init__(self, kind: str, entries: Iterable[T]) -> None:
        self.kind = kind
        self._entries: dict[str, T] = {}
        self._names: dict[str, str] = {}  # normalised code or alias -> code
        self._exact: dict[str, str] = {}  # code or alias as written -> code
        for entry in entries:
            if entry.code in self._entries:
                raise ValueError(f"{kind}: code {entry.code!r} appears twice")
            self._entries[entry.code] = entry
            for name in (entry.code, *entry.aliases):
                key = normalise(name)
                if self._names.get(key, entry.code) != entry.code:
                    raise ValueError(f"{kind}: name {name!r} is used by two entries")
                self._names[key] = entry.code
                self._exact[name] = entry.code

    def __iter__(self) -> Iterator[T]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        return code in self._entries

    def codes(self) -> list[str]:
        return list(self._entries)

    def get(self, code: str) -> T:
        """The entry with exactly this code (for codes already validated)."""
        return self._entries[code]

    def find(self, name: str) -> T | None:
        """The entry named by a code or alias, or None."""
        # a name as written in the catalogue names the entry its normalised form does
        code = self._exact.get(name) or self._names.get(normalise(name))
        return None if code is None else self._entries[code]

    def resolve(self, name: str, field: str) -> T:
        """The entry named by ``name``, or an error naming ``field`` and the accepted codes."""
        entry = self.find(name)
        if entry is not None:
            return entry
        import difflib  # only for a code that is not known

        close = difflib.get_close_matches(normalise(name), list(self._names), n=1, cutoff=0.6)
        hint = f" Did you mean '{self._names[close[0]]}'?" if close else ""
        raise UnknownCode(
            field,
            f"unknown {self.kind} {name!r}.{hint} Accepted: {', '.join(self._entries)}"
            " (see 'magwise codes').",
        )
