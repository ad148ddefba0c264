"""Charts as inline SVG: offline, deterministic and readable in black and white.

Series are told apart by fill patterns, dashes and marker shapes, and labelled
directly at the line or bar they name, never by colour alone. Every word on a
chart comes from ``texts`` (the knowledge base's progress texts, in the page's
language), so a chart reads in the language of the knowledge base it is given.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 680, 230
LEFT, RIGHT, TOP, BOTTOM = 48, 128, 22, 30

_DEFS = (
    "<defs>"
    '<pattern id="{p}-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)">'
    '<line x1="0" y1="0" x2="0" y2="5" stroke="#000" stroke-width="1.4"/></pattern>'
    '<pattern id="{p}-dots" width="4" height="4" patternUnits="userSpaceOnUse">'
    '<rect width="4" height="4" fill="#fff"/><circle cx="2" cy="2" r="1.1" fill="#000"/>'
    "</pattern>"
    '<pattern id="{p}-band" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(-45)">'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="0.8"/></pattern>'
    "</defs>"
)


def _n(value: float, texts: Mapping[str, str], spec: str = "g") -> str:
    """A number shown on a chart, with the decimal sign of its language (``chart_decimal``)."""
    return format(value, spec).replace(".", texts.get("chart_decimal", "."))


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(
    x: float, y: float, text: str, anchor: str = "start", size: int = 10, **extra: str
) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in extra.items())
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}"{attrs}>'
        f"{escape(text)}</text>"
    )


def nice_max(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    exp = 10.0 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


@dataclass(frozen=True)
class Frame:
    """Maps dates and values to the plot area, and draws its axes."""

    first: dt.date
    last: dt.date
    ymax: float
    prefix: str
    date_format: str
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def x(self, day: dt.date, offset: float = 0.0) -> float:
        inner = self.width - LEFT - RIGHT
        return LEFT + ((day - self.first).days + offset) / self.days * inner

    def day_width(self) -> float:
        return (self.width - LEFT - RIGHT) / self.days

    def y(self, value: float) -> float:
        inner = self.height - TOP - BOTTOM
        return TOP + inner * (1 - min(max(value, 0.0), self.ymax) / self.ymax)

    @property
    def right(self) -> float:
        return self.width - RIGHT

    def open(self, title: str) -> list[str]:
        return [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
            f'width="{self.width}" height="{self.height}" role="img" '
            f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">',
            f"<title>{escape(title)}</title>",
            _DEFS.format(p=self.prefix),
        ]

    def axes(self, unit: str, texts: Mapping[str, str]) -> list[str]:
        out = []
        bottom = self.y(0)
        for i in range(5):
            value = self.ymax * i / 4
            y = self.y(value)
            out.append(
                f'<line x1="{LEFT}" y1="{_f(y)}" x2="{_f(self.right)}" y2="{_f(y)}" '
                f'stroke="#ccc" stroke-width="0.5"/>'
            )
            out.append(_text(LEFT - 4, y + 3, _n(value, texts), "end", 9))
        out.append(_text(LEFT - 4, TOP - 10, unit, "end", 9))
        out.append(
            f'<line x1="{LEFT}" y1="{_f(bottom)}" x2="{_f(self.right)}" y2="{_f(bottom)}" '
            f'stroke="#000" stroke-width="1"/>'
        )
        for tick in _ticks(self.first, self.last):
            x = self.x(tick, 0.5)
            out.append(
                f'<line x1="{_f(x)}" y1="{_f(bottom)}" x2="{_f(x)}" y2="{_f(bottom + 4)}" '
                f'stroke="#000"/>'
            )
            out.append(_text(x, bottom + 15, tick.strftime(self.date_format), "middle", 9))
        return out

    def hline(
        self, value: float, label: str, dash: str, width: float = 1.5, label_dy: float = 0.0
    ) -> list[str]:
        y = self.y(value)
        style = f' stroke-dasharray="{dash}"' if dash else ""
        return [
            f'<line x1="{LEFT}" y1="{_f(y)}" x2="{_f(self.right)}" y2="{_f(y)}" stroke="#fff" '
            f'stroke-width="{_f(width + 3)}"/>',
            f'<line x1="{LEFT}" y1="{_f(y)}" x2="{_f(self.right)}" y2="{_f(y)}" stroke="#000" '
            f'stroke-width="{width}"{style}/>',
            _text(self.right + 4, y + 3 + label_dy, label, "start", 9),
        ]


#: Characters of a row label that fit right of the plot on one line (at 9 px).
LABEL_CHARS = 26


def _row_label(x: float, y: float, label: str) -> list[str]:
    """A row's label right of the plot: one line, or two smaller ones when it is too long."""
    if len(label) <= LABEL_CHARS:
        return [_text(x, y + 3, label, size=9)]
    words = label.split(" ")
    if len(words) == 1:
        return [_text(x, y + 3, label, size=8)]
    # the split whose longer line is shortest
    cut = min(
        range(1, len(words)),
        key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))),
    )
    return [
        _text(x, y - 1, " ".join(words[:cut]), size=8),
        _text(x, y + 8, " ".join(words[cut:]), size=8),
    ]


def _ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    days = (last - first).days + 1
    # at most 8 ticks, on a step people read (days, weeks, months, years), however long
    steps = (1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1820, 3640)
    step = next((s for s in steps if days / s <= 8), -(-days // 8))
    return [first + dt.timedelta(days=i) for i in range(0, days, step)]


def _legend(frame: Frame, items: Sequence[tuple[str, str]], top: float) -> list[str]:
    """Swatches with their names, right of the plot (items: (fill, label))."""
    out = []
    for i, (fill, label) in enumerate(items):
        y = top + i * 16
        out.append(
            f'<rect x="{_f(frame.right + 6)}" y="{_f(y)}" width="12" height="10" fill="{fill}" '
            f'stroke="#000" stroke-width="0.6"/>'
        )
        out.append(_text(frame.right + 22, y + 9, label, "start", 9))
    return out


@dataclass(frozen=True)
class Bar:
    start: dt.date
    days: int  # days the bar spans (1, or 7 for a week)
    supplement: float
    water: float
    food: float


def intake_chart(
    bars: Sequence[Bar],
    target: float | None,
    ul: float | None,
    *,
    title: str,
    texts: Mapping[str, str],
) -> str:
    """Stacked bars: supplements at the bottom (so the upper limit reads against
    them directly), then water (hatched), then food (dotted); target and limit lines."""
    first = bars[0].start
    last = bars[-1].start + dt.timedelta(days=bars[-1].days - 1)
    top = max(b.supplement + b.water + b.food for b in bars)
    ymax = nice_max(max(top, target or 0, ul or 0) * 1.05)
    frame = Frame(first, last, ymax, "intake", texts["chart_date"])
    p = frame.prefix
    out = frame.open(title)
    out += frame.axes(texts["chart_mg_per_day"], texts)
    fills = {"supplement": "#000", "water": f"url(#{p}-hatch)", "food": f"url(#{p}-dots)"}
    gap = 0.12 if frame.day_width() * bars[0].days > 3 else 0.0
    for bar in bars:
        x0 = frame.x(bar.start, gap)
        x1 = frame.x(bar.start, bar.days - gap)
        base = 0.0
        for part, value in (
            ("supplement", bar.supplement),
            ("water", bar.water),
            ("food", bar.food),
        ):
            if value <= 0:
                continue
            y_top, y_bottom = frame.y(base + value), frame.y(base)
            out.append(
                f'<rect x="{_f(x0)}" y="{_f(y_top)}" width="{_f(max(x1 - x0, 0.6))}" '
                f'height="{_f(y_bottom - y_top)}" fill="{fills[part]}" stroke="#000" '
                f'stroke-width="0.3"/>'
            )
            base += value
    if target is not None:
        out += frame.hline(target, texts["chart_target"].format(mg=_n(target, texts)), "", 1.8)
    if ul is not None:
        close = target is not None and abs(frame.y(target) - frame.y(ul)) < 12
        below = target is not None and ul <= target
        nudge = (12 - abs(frame.y(target or 0) - frame.y(ul))) * (1 if below else -1)
        label = texts["chart_limit"].format(mg=_n(ul, texts))
        out += frame.hline(ul, label, "7 4", 1.8, nudge if close else 0.0)
    out += _legend(
        frame,
        [
            (fills["food"], texts["chart_food"]),
            (fills["water"], texts["chart_water"]),
            (fills["supplement"], texts["chart_supplements"]),
        ],
        frame.y(frame.ymax) + 40,
    )
    out.append("</svg>")
    return "\n".join(out)


def shedding_chart(
    counts: Sequence[tuple[dt.date, float]],
    weekly: Sequence[tuple[dt.date, float]],
    baseline: float | None,
    normal: tuple[float, float] | None,
    *,
    title: str,
    texts: Mapping[str, str],
) -> str:
    """Daily counts as open circles, weekly medians as a thick step line, the
    baseline dashed, and the normal range (daily counts only) as a hatched band."""
    first, last = counts[0][0], counts[-1][0]
    top = max(v for _, v in counts)
    ymax = nice_max(max(top, normal[1] if normal else 0) * 1.05)
    frame = Frame(first, last, ymax, "shed", texts["chart_date"])
    out = frame.open(title)
    if normal is not None:
        y0, y1 = frame.y(normal[1]), frame.y(normal[0])
        out.append(
            f'<rect x="{LEFT}" y="{_f(y0)}" width="{_f(frame.right - LEFT)}" '
            f'height="{_f(y1 - y0)}" fill="url(#shed-band)"/>'
        )
    out += frame.axes(texts["chart_hairs"], texts)
    radius = 2.2 if frame.days <= 120 else 1.4
    for day, value in counts:
        out.append(
            f'<circle cx="{_f(frame.x(day, 0.5))}" cy="{_f(frame.y(value))}" r="{radius}" '
            f'fill="#fff" stroke="#000" stroke-width="0.7"/>'
        )
    if weekly:
        points = []
        for start, value in weekly:
            y = frame.y(value)
            points.append(f"{_f(frame.x(start))},{_f(y)}")
            end = min(start + dt.timedelta(days=7), last + dt.timedelta(days=1))
            points.append(f"{_f(frame.x(end))},{_f(y)}")
        out.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#000" stroke-width="2.4"/>'
        )
        y = frame.y(weekly[-1][1]) + 14
        out.append(_text(frame.right + 4, y, texts["chart_weekly_median"], size=9))
    if baseline is not None:
        label = texts["chart_baseline"].format(median=_n(baseline, texts))
        out += frame.hline(baseline, label, "2 3", 1.2)
    if normal is not None:
        out.append(
            _text(
                frame.right + 4,
                frame.y(normal[1]) - 4,
                texts["chart_normal"].format(low=_n(normal[0], texts), high=_n(normal[1], texts)),
                size=9,
            )
        )
    out.append("</svg>")
    return "\n".join(out)


def lab_chart(
    results: Sequence[tuple[dt.date, float]],
    *,
    low: float,
    high: float,
    first: dt.date,
    last: dt.date,
    title: str,
    texts: Mapping[str, str],
) -> str:
    """Serum magnesium (mmol/L) as labelled squares against the reference band."""
    days = [d for d, _ in results]
    first, last = min(first, *days), max(last, *days)
    top = max(v for _, v in results)
    ymax = nice_max(max(top, high) * 1.15)
    frame = Frame(first, last, ymax, "lab", texts["chart_date"], height=190)
    out = frame.open(title)
    y0, y1 = frame.y(high), frame.y(low)
    out.append(
        f'<rect x="{LEFT}" y="{_f(y0)}" width="{_f(frame.right - LEFT)}" height="{_f(y1 - y0)}" '
        f'fill="url(#lab-band)" stroke="#000" stroke-width="0.6" stroke-dasharray="3 2"/>'
    )
    out += frame.axes("mmol/L", texts)
    label = texts["chart_range"].format(low=_n(low, texts), high=_n(high, texts))
    out.append(_text(frame.right + 4, (y0 + y1) / 2 + 3, label, size=9))
    for day, value in results:
        x, y = frame.x(day, 0.5), frame.y(value)
        out.append(f'<rect x="{_f(x - 4)}" y="{_f(y - 4)}" width="8" height="8" fill="#000"/>')
        out.append(_text(x, y - 8, _n(value, texts, ".2f"), "middle", 9))
    out.append("</svg>")
    return "\n".join(out)


def symptom_timeline(
    rows: Sequence[tuple[str, Sequence[dt.date], bool]],
    first: dt.date,
    last: dt.date,
    *,
    title: str,
    texts: Mapping[str, str],
) -> str:
    """One row per symptom; a mark on each day it was logged (signs of excess as
    filled triangles, others as open diamonds), the label at the right."""
    height = TOP + BOTTOM + 20 * len(rows) + 6
    frame = Frame(first, last, 1.0, "sym", texts["chart_date"], height=height)
    out = frame.open(title)
    bottom = frame.y(0)
    out.append(
        f'<line x1="{LEFT}" y1="{_f(bottom)}" x2="{_f(frame.right)}" y2="{_f(bottom)}" '
        f'stroke="#000"/>'
    )
    for tick in _ticks(first, last):
        x = frame.x(tick, 0.5)
        out.append(_text(x, bottom + 15, tick.strftime(frame.date_format), "middle", 9))
        out.append(
            f'<line x1="{_f(x)}" y1="{TOP}" x2="{_f(x)}" y2="{_f(bottom)}" stroke="#ddd" '
            f'stroke-width="0.5"/>'
        )
    for i, (label, days, excess) in enumerate(rows):
        y = TOP + 10 + i * 20
        out.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{_f(frame.right)}" y2="{y}" stroke="#bbb" '
            f'stroke-width="0.5" stroke-dasharray="1 2"/>'
        )
        for day in days:
            x = frame.x(day, 0.5)
            if excess:
                out.append(
                    f'<path d="M{_f(x)},{y - 6} L{_f(x + 5)},{y + 4} L{_f(x - 5)},{y + 4} Z" '
                    f'fill="#000"/>'
                )
            else:
                out.append(
                    f'<path d="M{_f(x)},{y - 5} L{_f(x + 5)},{y} L{_f(x)},{y + 5} '
                    f'L{_f(x - 5)},{y} Z" fill="#fff" stroke="#000"/>'
                )
        shown = texts["chart_excess"].format(symptom=label) if excess else label
        out += _row_label(frame.right + 6, y, shown)
    out.append("</svg>")
    return "\n".join(out)
