"""The shedding trend: weekly medians, the baseline, a rank test and a verdict.

Counts by different methods are not comparable; the method with the most counts
is judged (ties: daily count, then comb test, then wash count) and the others are
only listed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from magwise.knowledge import Knowledge
from magwise.progress.result import MethodCounts, RankTest, Shedding, SheddingWeek, Verdict
from magwise.progress.stats import median, p_text, rank_sum, theil_sen
from magwise.record import SHEDDING_METHODS, SheddingEntry, SheddingMethod

_WEEK = 7


def dominant_method(entries: Iterable[SheddingEntry]) -> SheddingMethod | None:
    counts = Counter(e.method for e in entries)
    if not counts:
        return None
    return max(SHEDDING_METHODS, key=lambda m: (counts[m], -SHEDDING_METHODS.index(m)))


def _daily(entries: Iterable[SheddingEntry], method: SheddingMethod) -> dict[dt.date, float]:
    """One value per day: the median of the day's counts (a count logged twice stays one)."""
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    for e in entries:
        if e.method == method:
            by_day[e.day].append(e.count)
    return {day: median(values) for day, values in sorted(by_day.items())}


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def judge_shedding(entries: Iterable[SheddingEntry], kb: Knowledge) -> Shedding:
    """Weekly medians, baseline and recent window, the rank test and the verdict."""
    params, texts = kb.progress, kb.progress.texts
    entries = list(entries)
    methods = [
        MethodCounts(
            method=m,
            counts=sum(1 for e in entries if e.method == m),
            first=min(e.day for e in entries if e.method == m),
            last=max(e.day for e in entries if e.method == m),
        )
        for m in SHEDDING_METHODS
        if any(e.method == m for e in entries)
    ]
    method = dominant_method(entries)
    if method is None:
        return Shedding(
            method=None,
            methods=[],
            first=None,
            last=None,
            weeks_of_data=0.0,
            baseline_start=None,
            baseline_end=None,
            baseline_median=None,
            recent_median=None,
            change_percent=None,
            slope_per_week=None,
            weeks=[],
            test=None,
            verdict="too_early",
            verdict_reason=texts["why_no_counts"],
            worsening=False,
        )
    daily = _daily(entries, method)
    first, last = min(daily), max(daily)
    span_days = (last - first).days + 1
    weeks_of_data = span_days / _WEEK
    per_week = int(params.min_counts_per_week.value)
    baseline_weeks = int(params.baseline_weeks.value)

    weeks: list[SheddingWeek] = []
    for w in range((span_days + _WEEK - 1) // _WEEK):
        start = first + dt.timedelta(days=w * _WEEK)
        end = start + dt.timedelta(days=_WEEK - 1)
        values = [v for d, v in daily.items() if start <= d <= end]
        weeks.append(
            SheddingWeek(
                week=w + 1,
                start=start,
                end=end,
                counts=len(values),
                median=_round(median(values)) if len(values) >= per_week else None,
            )
        )
    with_median = [(w.week, w.median) for w in weeks if w.median is not None]
    slope = (
        theil_sen([float(w) for w, _ in with_median], [m for _, m in with_median])
        if len(with_median) >= 2
        else None
    )

    baseline_end = first + dt.timedelta(days=baseline_weeks * _WEEK - 1)
    baseline = [v for d, v in daily.items() if d <= baseline_end]
    recent_weeks = int(params.recent_weeks.value)
    recent_start = max(
        last - dt.timedelta(days=recent_weeks * _WEEK - 1), baseline_end + dt.timedelta(days=1)
    )
    recent = [v for d, v in daily.items() if d >= recent_start]
    recent_span_weeks = max((last - recent_start).days + 1, 0) / _WEEK

    test: RankTest | None = None
    enough = (
        len(baseline) >= per_week * baseline_weeks
        and recent_span_weeks > 0
        and len(recent) >= per_week * recent_span_weeks
    )
    alpha = params.alpha.value
    if enough:
        rs = rank_sum(baseline, recent)
        test = RankTest(
            baseline_n=len(baseline),
            recent_n=len(recent),
            recent_start=recent_start,
            recent_end=last,
            u=rs.u,
            z=round(rs.z, 4),
            p_lower=round(rs.p_lower, 6),
            p_higher=round(rs.p_higher, 6),
            alpha=alpha,
        )
    baseline_median = median(baseline) if baseline else None
    recent_median = median(recent) if recent else None
    change = (
        (recent_median - baseline_median) / baseline_median * 100
        if recent_median is not None and baseline_median
        else None
    )

    verdict: Verdict
    if weeks_of_data < params.verdict_weeks.value:
        verdict = "too_early"
        reason = texts["why_weeks"].format(
            weeks=f"{weeks_of_data:.1f}".removesuffix(".0"), need=f"{params.verdict_weeks.value:g}"
        )
    elif test is None:
        verdict = "too_early"
        reason = texts["why_few_counts"].format(
            baseline=len(baseline),
            baseline_weeks=baseline_weeks,
            recent=len(recent),
            recent_weeks=f"{recent_span_weeks:g}",
            per_week=per_week,
        )
    else:
        if test.p_lower < alpha:
            verdict = "improving"
        elif test.p_higher < alpha:
            verdict = "worse"
        else:
            verdict = "no_change"
        reason = texts["why_tested"].format(
            recent_weeks=f"{recent_span_weeks:g}",
            baseline_weeks=baseline_weeks,
            p_lower=p_text(test.p_lower),
            p_higher=p_text(test.p_higher),
            alpha=f"{alpha:g}",
        )
    worsening = (
        test is not None
        and weeks_of_data >= params.worse_after_weeks.value
        and test.p_higher < alpha
    )
    return Shedding(
        method=method,
        methods=methods,
        first=first,
        last=last,
        weeks_of_data=round(weeks_of_data, 2),
        baseline_start=first,
        baseline_end=min(baseline_end, last),
        baseline_median=_round(baseline_median),
        recent_median=_round(recent_median),
        change_percent=_round(change),
        slope_per_week=_round(slope, 2),
        weeks=weeks,
        test=test,
        verdict=verdict,
        verdict_reason=reason,
        worsening=worsening,
    )
