"""The words the food search knows: synonyms and word classes from ``lexicon.toml``."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from magwise.errors import DataError
from magwise.foods._text import terms

_WORD_CLASSES = (
    "category",
    "stop",
    "qualifier",
    "generic",
    "derived",
    "unlike",
    "variant",
    "natural",
    "cooking",
    "processing",
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Search vocabulary, every word already folded the way the index folds it."""

    synonyms: dict[str, tuple[str, ...]]
    phrases: dict[str, tuple[str, ...]]
    category: frozenset[str]
    stop: frozenset[str]
    qualifier: frozenset[str]
    generic: frozenset[str]
    derived: frozenset[str]
    unlike: frozenset[str]
    variant: frozenset[str]
    natural: frozenset[str]
    cooking: frozenset[str]
    processing: frozenset[str]
    brand_penalty: float
    group_penalties: dict[str, float]


Terms = Callable[[str], list[str]]


def _fold(words: Any, where: str, terms: Terms = terms) -> frozenset[str]:
    if not (isinstance(words, list) and all(isinstance(word, str) for word in words)):
        raise DataError(f"lexicon.toml: {where} must be a list of words")
    return frozenset(term for word in words for term in terms(word))


def _folded_key(word: str, where: str, terms: Terms = terms) -> str:
    folded = terms(word)
    if len(folded) != 1:
        raise DataError(f"lexicon.toml: {where} key {word!r} must be one word")
    return folded[0]


#: The longest everyday name the phrases table may hold, in words.
PHRASE_WORDS = 3


def _phrase_key(words: str, where: str, terms: Terms = terms) -> str:
    """A phrase's key: one to three words ("pepitas", "hot dog", "on the cob") joined by a space."""
    folded = terms(words)
    if not 1 <= len(folded) <= PHRASE_WORDS:
        raise DataError(f"lexicon.toml: {where} key {words!r} must be one to three words")
    return " ".join(folded)


def parse_lexicon(content: dict[str, Any], terms: Terms = terms) -> Lexicon:
    """Check and fold the parsed contents of a lexicon, words folded by ``terms``."""
    try:
        words = content["words"]
        penalties = content["penalties"]
        synonyms = {
            _folded_key(word, "synonyms", terms): tuple(
                sorted(_fold(alternatives, f"synonyms.{word}", terms))
            )
            for word, alternatives in content["synonyms"].items()
        }
        phrases = {
            _phrase_key(key, "phrases", terms): tuple(terms(phrase))
            for key, phrase in content["phrases"].items()
        }
        classes = {
            name: _fold(words.get(name, []), f"words.{name}", terms) for name in _WORD_CLASSES
        }
        brand = float(penalties["brand"])
        groups = {str(name): float(points) for name, points in penalties["groups"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"lexicon.toml is malformed: {exc!r}") from exc
    return Lexicon(
        synonyms=synonyms,
        phrases=phrases,
        brand_penalty=brand,
        group_penalties=groups,
        **classes,
    )


def load_lexicon() -> Lexicon:
    """The English lexicon shipped with magwise."""
    text = (files("magwise.foods") / "lexicon.toml").read_text(encoding="utf-8")
    return parse_lexicon(tomllib.loads(text))


def load_german_lexicon() -> Lexicon:
    """The lexicon for German names and queries (``lexicon_de.toml``)."""
    from magwise.foods._german import german_terms

    text = (files("magwise.foods") / "lexicon_de.toml").read_text(encoding="utf-8")
    return parse_lexicon(tomllib.loads(text), german_terms)
