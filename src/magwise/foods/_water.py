"""Words for drinking water: typed where a food goes, they lead to a water entry.

Only a whole query that names plain water counts ("Mineralwasser", "tap water");
"coconut water" or "Kokoswasser" stay foods.
"""

from __future__ import annotations

from magwise.foods._own import fold

WATER_WORDS = frozenset(
    fold(word)
    for word in (
        # English
        "water",
        "tap water",
        "mineral water",
        "sparkling water",
        "still water",
        "drinking water",
        "spring water",
        "bottled water",
        "soda water",
        # German, Austrian and Swiss
        "Wasser",
        "Mineralwasser",
        "Leitungswasser",
        "Trinkwasser",
        "Tafelwasser",
        "Quellwasser",
        "Heilwasser",
        "Sprudel",
        "Sprudelwasser",
        "stilles Wasser",
        "Mineral",
        "Hahnenwasser",
    )
)


def is_water(query: str) -> bool:
    """True when ``query`` names plain drinking water (in English or German)."""
    return fold(query) in WATER_WORDS
