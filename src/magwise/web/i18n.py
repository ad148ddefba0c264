"""UI strings in English and German, from ``locales/*.toml``.

Only the interface is translated; findings, reasons and labels come from the
knowledge base, which is in English for now.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from magwise.web.settings import LANGUAGES, Language

LOCALES = Path(__file__).parent / "locales"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


class Messages:
    """The catalogue of one language: ``t("key", name=value)`` gives the text."""

    def __init__(self, lang: Language, texts: dict[str, str]) -> None:
        self.lang = lang
        self.texts = texts

    def __call__(self, key: str, **values: object) -> str:
        text = self.texts[key]
        return text.format(**values) if values else text

    def get(self, key: str, default: str) -> str:
        return self.texts.get(key, default)

    def n(self, key: str, count: float, **values: object) -> str:
        """The text of ``key`` for ``count`` things, in the language's plural form.

        ``key_one`` (or ``key_zero``, ``key_few``... as Babel names the form) when the
        catalogue has it, else ``key``; ``{n}`` is ``count`` written as the language
        writes numbers.
        """
        from magwise import l10n

        form = l10n.plural_form(count, self.lang)
        text = self.texts.get(f"{key}_{form}", self.texts[key])
        return text.format(n=l10n.number(count, self.lang), **values)


@functools.cache
def messages(lang: Language) -> Messages:
    """The message catalogue of ``lang``, read once."""
    path = LOCALES / f"{lang}.toml"
    return Messages(lang, _flatten(tomllib.loads(path.read_text(encoding="utf-8"))))


_BY_NAME: dict[str, Language] = {lang: lang for lang in LANGUAGES}


def pick_language(query: str | None, accept: str | None, default: Language) -> Language:
    """``?lang=`` first, then the browser's Accept-Language, then the default."""
    if query is not None and query in _BY_NAME:
        return _BY_NAME[query]
    best: Language | None = None
    best_quality = 0.0
    for position, item in enumerate((accept or "").split(",")):
        tag, _, params = item.strip().partition(";")
        lang = _BY_NAME.get(tag.strip().lower().split("-")[0])
        if lang is None:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        quality -= position / 1000
        if quality > best_quality:
            best, best_quality = lang, quality
    return best or default
