"""Charts as inline SVG: offline, deterministic and readable in black and white.

Series are told apart by fill patterns, dashes and marker shapes, and labelled
directly at the line or bar they name, never by colour alone. Every word on a
chart comes from ``texts`` (the knowledge base's progress texts, in the page's
language), so a chart reads in the language of the knowledge base it is given;
its numbers are written as ``lang`` writes them (``magwise.l10n``).

``narrow=True`` draws a chart for a phone's width (``NARROW_WIDTH``): the plot
takes the whole width, and what stands right of the plot on a wide chart (the
legend, the labels of lines and bands) stands below it as a key.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from magwise import l10n

WIDTH, HEIGHT = 680, 230
LEFT, RIGHT, TOP, BOTTOM = 48, 128, 22, 30
#: A chart for a phone (360-414 px wide): drawn at about the size it is shown.
NARROW_WIDTH, NARROW_RIGHT = 300, 10
#: The height of one line of the key below a narrow chart.
KEY_LINE = 16

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
    name: str
    date_format: str
    width: int = WIDTH
    height: int = HEIGHT
    lang: str = "en"
    narrow: bool = False
    #: a narrow chart's key below the plot: (swatch, label); a swatch is ("line", dash,
    #: width), ("fill", fill) or ("mark", path)
    key: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        first: dt.date,
        last: dt.date,
        ymax: float,
        name: str,
        date_format: str,
        *,
        lang: str,
        narrow: bool,
        height: int = HEIGHT,
    ) -> Frame:
        width = NARROW_WIDTH if narrow else WIDTH
        return cls(first, last, ymax, name, date_format, width, height, lang, narrow)

    @property
    def prefix(self) -> str:
        """The ids of the chart's patterns: unique on a page that shows both layouts."""
        return f"{self.name}-narrow" if self.narrow else self.name

    @property
    def margin(self) -> int:
        return NARROW_RIGHT if self.narrow else RIGHT

    def num(self, value: float, digits: int = 2) -> str:
        """A number on the chart, as the chart's language writes it."""
        return l10n.number(value, self.lang, digits)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def x(self, day: dt.date, offset: float = 0.0) -> float:
        inner = self.width - LEFT - self.margin
        return LEFT + ((day - self.first).days + offset) / self.days * inner

    def day_width(self) -> float:
        return (self.width - LEFT - self.margin) / self.days

    def y(self, value: float) -> float:
        inner = self.height - TOP - BOTTOM
        return TOP + inner * (1 - min(max(value, 0.0), self.ymax) / self.ymax)

    @property
    def right(self) -> float:
        return self.width - self.margin

    def _svg(self, height: float) -> str:
        layout = ' data-layout="narrow"' if self.narrow else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {_f(height)}" '
            f'width="{self.width}" height="{_f(height)}" role="img"{layout} '
            f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">'
        )

    def open(self, title: str) -> list[str]:
        return [
            self._svg(self.height),
            f"<title>{escape(title)}</title>",
            _DEFS.format(p=self.prefix),
        ]

    def close(self, out: list[str]) -> str:
        """The chart's SVG; a narrow chart gains its key below the plot."""
        if self.narrow and self.key:
            top = self.height + 2
            for i, (swatch, label) in enumerate(self.key):
                y = top + i * KEY_LINE
                out += _swatch(swatch, LEFT, y)
                out.append(_text(LEFT + 26, y + 9, label, "start", 10))
            out[0] = self._svg(top + len(self.key) * KEY_LINE + 4)
        out.append("</svg>")
        return "\n".join(out)

    def label(self, x: float, y: float, text: str, swatch: tuple[str, ...]) -> list[str]:
        """A label right of the plot; on a narrow chart, a line of the key below it."""
        if self.narrow:
            self.key.append((swatch, text))
            return []
        return [_text(x, y, text, "start", 9)]

    def ticks(self) -> list[dt.date]:
        return _ticks(self.first, self.last, 5 if self.narrow else 8)

    def axes(self, unit: str) -> list[str]:
        out = []
        bottom = self.y(0)
        for i in range(5):
            value = self.ymax * i / 4
            y = self.y(value)
            out.append(
                f'<line x1="{LEFT}" y1="{_f(y)}" x2="{_f(self.right)}" y2="{_f(y)}" '
                f'stroke="#ccc" stroke-width="0.5"/>'
            )
            out.append(_text(LEFT - 4, y + 3, self.num(value), "end", 9))
        out.append(_text(LEFT - 4, TOP - 10, unit, "end", 9))
        out.append(
            f'<line x1="{LEFT}" y1="{_f(bottom)}" x2="{_f(self.right)}" y2="{_f(bottom)}" '
            f'stroke="#000" stroke-width="1"/>'
        )
        for tick in self.ticks():
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
            *self.label(self.right + 4, y + 3 + label_dy, label, ("line", dash, _f(width))),
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


def _ticks(first: dt.date, last: dt.date, most: int = 8) -> list[dt.date]:
    days = (last - first).days + 1
    # at most ``most`` ticks, on a step people read (days, weeks, months, years), however long
    steps = (1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1820, 3640)
    step = next((s for s in steps if days / s <= most), -(-days // most))
    return [first + dt.timedelta(days=i) for i in range(0, days, step)]


def _swatch(swatch: tuple[str, ...], x: float, y: float) -> list[str]:
    """The sample of a line, a fill or a mark in a narrow chart's key (10 px high at ``y``)."""
    kind, *style = swatch
    if kind == "line":
        dash = f' stroke-dasharray="{style[0]}"' if style[0] else ""
        return [
            f'<line x1="{_f(x)}" y1="{_f(y + 5)}" x2="{_f(x + 20)}" y2="{_f(y + 5)}" '
            f'stroke="#000" stroke-width="{style[1]}"{dash}/>'
        ]
    if kind == "fill":
        return [
            f'<rect x="{_f(x + 4)}" y="{_f(y)}" width="12" height="10" fill="{style[0]}" '
            f'stroke="#000" stroke-width="0.6"/>'
        ]
    return [f'<g transform="translate({_f(x + 10)},{_f(y + 5)})">{style[0]}</g>']


def _legend_top(frame: Frame, rows: int, labels: Sequence[float]) -> float:
    """Where a legend of ``rows`` rows goes right of the plot: as near 40 px below the
    plot's top as it can be without touching the labels of lines (their y values)."""
    height = (rows - 1) * 16 + 10
    wanted = frame.y(frame.ymax) + 40
    places = range(round(frame.y(frame.ymax)), round(frame.y(0) - height) + 1, 2)
    for top in sorted(places, key=lambda top: abs(top - wanted)):
        # a label's letters reach about 4 px above its line and 5 px below it
        if all(y + 5 < top - 3 or y - 4 > top + height + 3 for y in labels):
            return top
    return wanted


def _legend(frame: Frame, items: Sequence[tuple[str, str]], top: float) -> list[str]:
    """Swatches with their names, right of the plot (items: (fill, label)); below a
    narrow chart, in its key."""
    if frame.narrow:
        frame.key.extend((("fill", fill), label) for fill, label in items)
        return []
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
    lang: str = "en",
    narrow: bool = False,
) -> str:
    """Stacked bars: supplements at the bottom (so the upper limit reads against
    them directly), then water (hatched), then food (dotted); target and limit lines."""
    first = bars[0].start
    last = bars[-1].start + dt.timedelta(days=bars[-1].days - 1)
    top = max(b.supplement + b.water + b.food for b in bars)
    ymax = nice_max(max(top, target or 0, ul or 0) * 1.05)
    frame = Frame.of(first, last, ymax, "intake", texts["chart_date"], lang=lang, narrow=narrow)
    p = frame.prefix
    out = frame.open(title)
    out += frame.axes(texts["chart_mg_per_day"])
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
    labels = []
    if target is not None:
        out += frame.hline(target, texts["chart_target"].format(mg=frame.num(target)), "", 1.8)
        labels.append(frame.y(target))
    if ul is not None:
        close = target is not None and abs(frame.y(target) - frame.y(ul)) < 12
        below = target is not None and ul <= target
        nudge = (12 - abs(frame.y(target or 0) - frame.y(ul))) * (1 if below else -1)
        label = texts["chart_limit"].format(mg=frame.num(ul))
        out += frame.hline(ul, label, "7 4", 1.8, nudge if close else 0.0)
        labels.append(frame.y(ul) + (nudge if close else 0.0))
    out += _legend(
        frame,
        [
            (fills["food"], texts["chart_food"]),
            (fills["water"], texts["chart_water"]),
            (fills["supplement"], texts["chart_supplements"]),
        ],
        _legend_top(frame, 3, labels),
    )
    return frame.close(out)


def shedding_chart(
    counts: Sequence[tuple[dt.date, float]],
    weekly: Sequence[tuple[dt.date, float]],
    baseline: float | None,
    normal: tuple[float, float] | None,
    *,
    title: str,
    texts: Mapping[str, str],
    lang: str = "en",
    narrow: bool = False,
) -> str:
    """Daily counts as open circles, weekly medians as a thick step line, the
    baseline dashed, and the normal range (daily counts only) as a hatched band."""
    first, last = counts[0][0], counts[-1][0]
    top = max(v for _, v in counts)
    ymax = nice_max(max(top, normal[1] if normal else 0) * 1.05)
    frame = Frame.of(first, last, ymax, "shed", texts["chart_date"], lang=lang, narrow=narrow)
    out = frame.open(title)
    if normal is not None:
        y0, y1 = frame.y(normal[1]), frame.y(normal[0])
        out.append(
            f'<rect x="{LEFT}" y="{_f(y0)}" width="{_f(frame.right - LEFT)}" '
            f'height="{_f(y1 - y0)}" fill="url(#{frame.prefix}-band)"/>'
        )
    out += frame.axes(texts["chart_hairs"])
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
        out += frame.label(frame.right + 4, y, texts["chart_weekly_median"], ("line", "", "2.4"))
    if baseline is not None:
        label = texts["chart_baseline"].format(median=frame.num(baseline))
        out += frame.hline(baseline, label, "2 3", 1.2)
    if normal is not None:
        out += frame.label(
            frame.right + 4,
            frame.y(normal[1]) - 4,
            texts["chart_normal"].format(low=frame.num(normal[0]), high=frame.num(normal[1])),
            ("fill", f"url(#{frame.prefix}-band)"),
        )
    if narrow:
        circle = '<circle r="2.2" fill="#fff" stroke="#000" stroke-width="0.7"/>'
        frame.key.insert(0, (("mark", circle), texts["chart_hairs"]))
    return frame.close(out)


def lab_chart(
    results: Sequence[tuple[dt.date, float]],
    *,
    low: float,
    high: float,
    first: dt.date,
    last: dt.date,
    title: str,
    texts: Mapping[str, str],
    lang: str = "en",
    narrow: bool = False,
) -> str:
    """Serum magnesium (mmol/L) as labelled squares against the reference band."""
    days = [d for d, _ in results]
    first, last = min(first, *days), max(last, *days)
    top = max(v for _, v in results)
    ymax = nice_max(max(top, high) * 1.15)
    frame = Frame.of(
        first, last, ymax, "lab", texts["chart_date"], lang=lang, narrow=narrow, height=190
    )
    out = frame.open(title)
    y0, y1 = frame.y(high), frame.y(low)
    out.append(
        f'<rect x="{LEFT}" y="{_f(y0)}" width="{_f(frame.right - LEFT)}" height="{_f(y1 - y0)}" '
        f'fill="url(#{frame.prefix}-band)" stroke="#000" stroke-width="0.6" '
        f'stroke-dasharray="3 2"/>'
    )
    out += frame.axes("mmol/L")
    label = texts["chart_range"].format(low=frame.num(low), high=frame.num(high))
    out += frame.label(
        frame.right + 4, (y0 + y1) / 2 + 3, label, ("fill", f"url(#{frame.prefix}-band)")
    )
    for day, value in results:
        x, y = frame.x(day, 0.5), frame.y(value)
        out.append(f'<rect x="{_f(x - 4)}" y="{_f(y - 4)}" width="8" height="8" fill="#000"/>')
        out.append(_text(x, y - 8, l10n.fixed(value, lang, 2), "middle", 9))
    return frame.close(out)


def symptom_timeline(
    rows: Sequence[tuple[str, Sequence[dt.date], bool]],
    first: dt.date,
    last: dt.date,
    *,
    title: str,
    texts: Mapping[str, str],
    lang: str = "en",
    narrow: bool = False,
) -> str:
    """One row per symptom; a mark on each day it was logged (signs of excess as
    filled triangles, others as open diamonds), the label at the right (above the
    row on a narrow chart)."""
    row = 30 if narrow else 20
    height = TOP + BOTTOM + row * len(rows) + 6
    frame = Frame.of(
        first, last, 1.0, "sym", texts["chart_date"], lang=lang, narrow=narrow, height=height
    )
    out = frame.open(title)
    bottom = frame.y(0)
    out.append(
        f'<line x1="{LEFT}" y1="{_f(bottom)}" x2="{_f(frame.right)}" y2="{_f(bottom)}" '
        f'stroke="#000"/>'
    )
    for tick in frame.ticks():
        x = frame.x(tick, 0.5)
        out.append(_text(x, bottom + 15, tick.strftime(frame.date_format), "middle", 9))
        out.append(
            f'<line x1="{_f(x)}" y1="{TOP}" x2="{_f(x)}" y2="{_f(bottom)}" stroke="#ddd" '
            f'stroke-width="0.5"/>'
        )
    for i, (label, days, excess) in enumerate(rows):
        y = TOP + (18 if narrow else 10) + i * row
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
        if narrow:
            out.append(_text(LEFT, y - 9, shown, "start", 10))
        else:
            out += _row_label(frame.right + 6, y, shown)
    return frame.close(out)
