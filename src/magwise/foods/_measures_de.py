"""SR28's household measures as a German speaker reads them: "1 cup" is "1 Tasse".

Only the words change; the amount and the grams stay SR28's, and the measure
keeps its SR28 label wherever it is stored or parsed.
"""

from __future__ import annotations

import re

from magwise.foods._model import Food

# SR28 unit words (at the start of a portion's unit) and their German words.
_UNITS = {
    "fl oz": "fl oz",
    "cup": "Tasse",
    "cups": "Tassen",
    "tbsp": "EL",
    "tablespoon": "EL",
    "tablespoons": "EL",
    "tsp": "TL",
    "teaspoon": "TL",
    "slice": "Scheibe",
    "slices": "Scheiben",
    "piece": "Stück",
    "pieces": "Stück",
    "medium": "mittelgroß",
    "large": "groß",
    "small": "klein",
    "extra large": "sehr groß",
    "serving": "Portion",
    "container": "Becher",
    "package": "Packung",
    "can": "Dose",
    "bottle": "Flasche",
    "fruit": "Frucht",
    "stalk": "Stange",
    "leaf": "Blatt",
    "leaves": "Blätter",
    "bar": "Riegel",
    "fillet": "Filet",
    "oz": "oz",
}
_WORDS = {
    "chopped": "gehackt",
    "sliced": "in Scheiben",
    "diced": "gewürfelt",
    "whole": "ganz",
    "shredded": "geraspelt",
    "mashed": "püriert",
    "ground": "gemahlen",
    "packed": "gepresst",
    "pieces": "Stücke",
    "halves": "Hälften",
    "kernels": "Kerne",
    "cooked": "gekocht",
    "raw": "roh",
}
_UNIT = re.compile(
    r"^(" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")\b", re.I
)
_WORD = re.compile(r"\b(" + "|".join(map(re.escape, _WORDS)) + r")\b")


def german_measure_label(label: str) -> str:
    """``label`` ("1 cup, chopped") in German ("1 Tasse, gehackt"); unknown words stay."""
    amount, _, unit = label.partition(" ")
    unit = _UNIT.sub(lambda match: _UNITS[match.group(1).lower()], unit, count=1)
    return f"{amount} {_WORD.sub(lambda match: _WORDS[match.group(1)], unit)}".strip()


def is_drink(food: Food) -> bool:
    """Whether SR28 measures ``food`` by fluid volume (``fl oz``): a drink or a liquid."""
    return any(portion.unit.lower().startswith("fl oz") for portion in food.portions)
