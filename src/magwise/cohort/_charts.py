"""Charts of a cohort's intake against its targets: standalone SVG, no scripts, no fonts fetched."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (quotes stay: no attribute holds text)."""
    return html.escape(text, quote=False)


_FONT = 'font-family="sans-serif" font-size="12"'
_BOX, _TARGET, _TEXT, _GRID = "#4c78a8", "#d62728", "#222", "#ddd"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img">',
            f"<title>{escape(title)}</title>",
            f'<rect width="{width}" height="{height}" fill="white"/>',
            f'<text x="12" y="22" font-family="sans-serif" font-size="15" fill="{_TEXT}">'
            f"{escape(title)}</text>",
            *body,
            "</svg>",
            "",
        ]
    )


def _column(columns: Mapping[str, Any], name: str) -> npt.NDArray[np.float64]:
    return np.asarray(columns[name], dtype=np.float64)


def _nice_max(value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        return 100.0
    step = 10 ** math.floor(math.log10(value))
    return float(math.ceil(value / step) * step)


def intake_by_group(columns: Mapping[str, Any], band_order: list[str], standard: str) -> str:
    """Per sex and age band: 5th-95th and 25th-75th percentiles, median, and the target.

    ``columns`` are the per-person columns of the rules: ``sex`` (0: female,
    1: male) and ``age_band`` (the place in ``band_order``) as indexes.
    """
    total = _column(columns, "total_mg")
    target = _column(columns, "target_mg")
    sex = np.asarray(columns["sex"])
    band = np.asarray(columns["age_band"])
    below = _column(columns, "below_target") == 1.0  # NaN: not judged
    rows = []
    for i, s in enumerate(("female", "male")):
        for j, b in enumerate(band_order):
            member = (sex == i) & (band == j) & ~np.isnan(total)
            if member.any():
                values = total[member]
                targets = target[member & ~np.isnan(target)]
                rows.append(
                    (
                        f"{s}, {b}",
                        np.percentile(values, [5, 25, 50, 75, 95]),
                        float(np.median(targets)) if len(targets) else math.nan,
                        int(member.sum()),
                        float(below[member].mean()),
                    )
                )
    left, right, top, row_h = 150, 230, 50, 26
    width = 900
    plot = width - left - right
    top_value = max(
        [_nice_max(max(float(r[1][-1]), r[2] if math.isfinite(r[2]) else 0.0)) for r in rows]
        or [100.0]
    )
    height = top + row_h * max(len(rows), 1) + 50

    def x(v: float) -> float:
        return left + plot * min(max(v, 0.0), top_value) / top_value

    body: list[str] = []
    for k in range(6):
        v = top_value * k / 5
        body.append(
            f'<line x1="{x(v):.1f}" y1="{top - 6}" x2="{x(v):.1f}" y2="{height - 40}" '
            f'stroke="{_GRID}"/>'
        )
        body.append(
            f'<text x="{x(v):.1f}" y="{height - 24}" {_FONT} text-anchor="middle" '
            f'fill="{_TEXT}">{v:g}</text>'
        )
    body.append(
        f'<text x="{left + plot / 2:.0f}" y="{height - 6}" {_FONT} text-anchor="middle" '
        f'fill="{_TEXT}">total magnesium, mg/day (box: 25th-75th percentile; line: 5th-95th; '
        f"red: target)</text>"
    )
    for i, (label, pct, tgt, n, share) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        p5, p25, p50, p75, p95 = (float(v) for v in pct)
        body += [
            f'<text x="{left - 8}" y="{y + 4:.1f}" {_FONT} text-anchor="end" '
            f'fill="{_TEXT}">{escape(label)}</text>',
            f'<line x1="{x(p5):.1f}" y1="{y:.1f}" x2="{x(p95):.1f}" y2="{y:.1f}" stroke="{_BOX}"/>',
            f'<rect x="{x(p25):.1f}" y="{y - 7:.1f}" width="{max(x(p75) - x(p25), 1):.1f}" '
            f'height="14" fill="{_BOX}" fill-opacity="0.35" stroke="{_BOX}"/>',
            f'<line x1="{x(p50):.1f}" y1="{y - 7:.1f}" x2="{x(p50):.1f}" y2="{y + 7:.1f}" '
            f'stroke="{_BOX}" stroke-width="2"/>',
        ]
        if math.isfinite(tgt):
            body.append(
                f'<line x1="{x(tgt):.1f}" y1="{y - 10:.1f}" x2="{x(tgt):.1f}" y2="{y + 10:.1f}" '
                f'stroke="{_TARGET}" stroke-width="2"/>'
            )
        body.append(
            f'<text x="{left + plot + 10}" y="{y + 4:.1f}" {_FONT} fill="{_TEXT}">'
            f"n={n:,}, below target {share:.0%}</text>"
        )
    if not rows:
        body.append(f'<text x="{left}" y="{top + 16}" {_FONT}>no intake data</text>')
    title = f"Magnesium intake against the target ({standard}), by sex and age band"
    return _svg(width, int(height), title, body)


def intake_vs_target(columns: Mapping[str, Any], standard: str) -> str:
    """Histogram of total intake as a share of each person's own target."""
    total = _column(columns, "total_mg")
    target = _column(columns, "target_mg")
    ok = ~np.isnan(total) & ~np.isnan(target) & (target > 0)
    ratio = total[ok] / target[ok] * 100
    edges = np.arange(0, 260, 10, dtype=np.float64)
    counts: list[int] = []
    if ok.any():
        counts = np.histogram(np.minimum(ratio, 255), bins=[*edges, 260])[0].tolist()
    left, top, width, height = 60, 40, 900, 360
    plot_w, plot_h = width - left - 20, height - top - 60
    most = max([int(c) for c in counts] or [1]) or 1
    bar_w = plot_w / (len(edges))
    body: list[str] = []
    for i, c in enumerate(counts):
        h = plot_h * int(c) / most
        body.append(
            f'<rect x="{left + i * bar_w + 1:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{_BOX}"/>'
        )
    for i in range(0, len(edges) + 1, 5):
        label = f"{i * 10}%" if i < len(edges) else "250%+"
        body.append(
            f'<text x="{left + i * bar_w:.1f}" y="{top + plot_h + 16}" {_FONT} '
            f'text-anchor="middle" fill="{_TEXT}">{label}</text>'
        )
    line = left + 10 * bar_w
    body += [
        f'<line x1="{line:.1f}" y1="{top}" x2="{line:.1f}" y2="{top + plot_h}" '
        f'stroke="{_TARGET}" stroke-width="2"/>',
        f'<text x="{line + 4:.1f}" y="{top + 12}" {_FONT} fill="{_TARGET}">target</text>',
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 12}" {_FONT} text-anchor="middle" '
        f'fill="{_TEXT}">total intake as a share of the person\'s own target '
        f"(n={int(ok.sum()):,}; highest bar {most:,} people)</text>",
    ]
    title = f"Magnesium intake relative to each person's target ({standard})"
    return _svg(width, height, title, body)
