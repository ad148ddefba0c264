"""Write src/magwise/foods/names_de.toml, the German names of SR28 foods.

Run: ``python scripts/make_german_food_names.py``. Names come from the
vocabulary in ``german_food_vocabulary.py``: hand-written names for the foods
logged most, then names composed from a German head word and German details
for every further SR28 food of the everyday groups whose description the
vocabulary covers entirely. Branded and prepared foods are skipped.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from german_food_vocabulary import DETAIL, HEAD, NAMES

from magwise.foods._sr28 import read_sr28

OUT = Path(__file__).parent.parent / "src" / "magwise" / "foods" / "names_de.toml"
SKIPPED_GROUPS = {
    "Baby Foods",
    "Fast Foods",
    "Restaurant Foods",
    "American Indian/Alaska Native Foods",
    "Meals, Entrees, and Side Dishes",
    "Soups, Sauces, and Gravies",
}
ROASTED_NOT_FRIED = {
    "Nut and Seed Products",
    "Legumes and Legume Products",
    "Cereal Grains and Pasta",
    "Breakfast Cereals",
    "Beverages",
    "Spices and Herbs",
    "Snacks",
}
_BRAND = re.compile(r"\b(?!NFS\b)[A-Z][A-Z'&.-]{2,}\b")


def segments(description: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", "", description)
    return [part.strip().lower() for part in text.split(",") if part.strip()]


def compose(description: str) -> list[str] | None:
    parts = segments(description)
    for size in (4, 3, 2, 1):
        key = ", ".join(parts[:size])
        if key in HEAD:
            head = HEAD[key]
            names = [head] if isinstance(head, str) else list(head)
            details = []
            for part in parts[size:]:
                german = DETAIL.get(part)
                if german is None:
                    return None
                if german and german not in details:
                    details.append(german)
            suffix = "".join(f", {word}" for word in details)
            return [names[0] + suffix] + ([n + suffix for n in names[1:2]] if suffix else names[1:])
    return None


def main() -> None:
    groups, records = read_sr28()
    described = {ndb: (description, groups[group]) for ndb, description, group, *_ in records}
    entries: dict[str, list[str]] = {}
    for ndb, names in NAMES.items():
        if ndb not in described:
            raise SystemExit(f"no SR28 food {ndb} for {names[0]}")
        entries[ndb] = names
    taken = {names[0].lower() for names in entries.values()}
    for ndb, description, number, *_ in records:
        group = groups[number]
        if ndb in entries or group in SKIPPED_GROUPS or _BRAND.search(description):
            continue
        names = compose(description)
        if names is None:
            continue
        if group in ROASTED_NOT_FRIED:  # seeds, nuts and beans are roasted, not fried
            names = [name.replace("gebraten", "geröstet") for name in names]
        if names[0].lower() in taken:
            continue
        taken.add(names[0].lower())
        entries[ndb] = names
    lines = [
        "# German names of USDA SR28 foods, for search and display.",
        "#",
        "# Made by scripts/make_german_food_names.py from the German food vocabulary",
        "# in scripts/german_food_vocabulary.py: hand-written names (with synonyms,",
        "# Austrian and Swiss words among them) for the foods logged most, and names",
        "# composed from a German head word and German details (roh, gekocht,",
        "# geröstet, ...) for further foods of the everyday groups whose SR28",
        "# description the vocabulary covers entirely. Checked by",
        "# tests/test_food_names_german.py: every NDB exists in SR28 and its `en` is",
        "# the SR28 description; the hand-written names were read against it.",
        "# Source: USDA SR28 FOOD_DES.txt; German food vocabulary (Duden usage, DGE,",
        "# Austrian Lebensmittelbuch and Swiss market names).",
        "",
    ]
    for ndb in sorted(entries):
        names = entries[ndb]
        lines.append("[[food]]")
        lines.append(f'ndb = "{ndb}"')
        lines.append("en = " + _quote(described[ndb][0]))
        lines.append("de = " + _quote(names[0]))
        also = [name for name in dict.fromkeys(names[1:]) if name != names[0]]
        if also:
            lines.append("also = [" + ", ".join(_quote(name) for name in also) + "]")
        lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(entries)} foods named, {len(NAMES)} by hand")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    main()
