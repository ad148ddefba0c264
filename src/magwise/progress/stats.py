"""Small robust statistics: median, the rank-sum test and the Theil-Sen slope.

Pure Python: the series here are hundreds of numbers, not millions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def p_text(p: float) -> str:
    """A p-value as a reader sees it: '= 0.012' or '< 0.001'."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _upper_tail(z: float) -> float:
    """P(Z >= z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


@dataclass(frozen=True, slots=True)
class RankSum:
    u: float  # pairs (y, x) with y > x, ties counted 0.5
    z: float
    p_lower: float  # one-sided: y tends to be lower than x
    p_higher: float  # one-sided: y tends to be higher than x


def rank_sum(x: Sequence[float], y: Sequence[float]) -> RankSum:
    """Mann-Whitney U test of ``y`` against ``x`` (normal approximation).

    Average ranks for ties, the tie-corrected variance and a continuity
    correction of 0.5; both one-sided p-values are returned.
    """
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        raise ValueError("rank_sum needs values in both samples")
    pooled = sorted([(v, 0) for v in x] + [(v, 1) for v in y])
    n = n1 + n2
    rank_y = 0.0
    tie_term = 0.0
    i = 0
    while i < n:
        j = i
        while j + 1 < n and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        size = j - i + 1
        average = (i + j) / 2 + 1
        rank_y += average * sum(1 for k in range(i, j + 1) if pooled[k][1] == 1)
        tie_term += size**3 - size
        i = j + 1
    u = rank_y - n2 * (n2 + 1) / 2
    mean = n1 * n2 / 2
    variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0:
        return RankSum(u=u, z=0.0, p_lower=1.0, p_higher=1.0)
    sd = math.sqrt(variance)
    z = (u - mean) / sd
    p_higher = min(1.0, _upper_tail((u - mean - 0.5) / sd))
    p_lower = min(1.0, _upper_tail((mean - u - 0.5) / sd))
    return RankSum(u=u, z=z, p_lower=p_lower, p_higher=p_higher)


def theil_sen(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The median of the slopes between all pairs of points with different x."""
    slopes = [
        (ys[j] - ys[i]) / (xs[j] - xs[i])
        for i in range(len(xs))
        for j in range(i + 1, len(xs))
        if xs[j] != xs[i]
    ]
    return median(slopes) if slopes else None
