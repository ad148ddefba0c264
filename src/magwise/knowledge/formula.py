"""Molar masses from chemical formulas, for checking elemental fractions.

Formulas are written plainly: ``MgO``, ``Mg(OH)2``, ``Mg3(C6H5O7)2·9H2O``,
``4MgCO3·Mg(OH)2·4H2O``. Parts joined by ``·`` may start with a count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

_TOKEN = re.compile(r"([A-Z][a-z]?)(\d*)|(\()|(\))(\d*)")


def element_counts(formula: str) -> Counter[str]:
    """Count the atoms of each element in ``formula``."""
    total: Counter[str] = Counter()
    for part in formula.replace("*", "·").split("·"):
        match = re.match(r"\s*(\d*)(.*)", part)
        assert match is not None
        count = int(match.group(1) or 1)
        atoms = _parse(match.group(2).strip())
        if count == 0 or not atoms:
            raise ValueError(f"cannot read formula {formula!r}: empty or zero part {part!r}")
        for element, n in atoms.items():
            total[element] += n * count
    return total


def _parse(text: str) -> Counter[str]:
    stack: list[Counter[str]] = [Counter()]
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"cannot read formula {text!r} at {text[pos:]!r}")
        pos = m.end()
        if m.group(1):
            n = int(m.group(2) or 1)
            if n == 0:
                raise ValueError(f"zero count for {m.group(1)} in formula {text!r}")
            stack[-1][m.group(1)] += n
        elif m.group(3):
            stack.append(Counter())
        else:
            if len(stack) == 1:
                raise ValueError(f"unbalanced ')' in formula {text!r}")
            inner = stack.pop()
            times = int(m.group(5) or 1)
            if times == 0 or not inner:
                raise ValueError(f"empty or zero group in formula {text!r}")
            for element, n in inner.items():
                stack[-1][element] += n * times
    if len(stack) != 1:
        raise ValueError(f"unbalanced '(' in formula {text!r}")
    return stack[0]


def molar_mass(formula: str, atomic_weights: Mapping[str, float]) -> float:
    """Molar mass in g/mol from the given atomic weights."""
    counts = element_counts(formula)
    missing = sorted(set(counts) - set(atomic_weights))
    if missing:
        raise ValueError(f"no atomic weight for {', '.join(missing)} in {formula!r}")
    return sum(atomic_weights[el] * n for el, n in counts.items())


def elemental_fraction(formula: str, atomic_weights: Mapping[str, float]) -> float:
    """Mass fraction of magnesium in the compound."""
    magnesium = element_counts(formula)["Mg"] * atomic_weights["Mg"]
    return magnesium / molar_mass(formula, atomic_weights)
