"""Charts drawn at build time as inline SVG: no script, no third-party host.

Horizontal bars suit long Chinese labels; every bar carries a ``<title>`` with its
amount, and the figure's table is on the same page for anyone who would rather read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from juesuan.site.html import Markup, el, join

FONT = 12
VALUE_ROOM = 96


@dataclass(frozen=True)
class Layout:
    """One drawing of a chart: its width in SVG units and the room for category labels.

    A figure holds a wide and a narrow drawing; the stylesheet shows the one that
    fits the screen, so labels stay at about ``FONT`` px on a phone too.
    """

    name: str
    width: int
    max_label: int


WIDE = Layout("wide", 640, 230)
NARROW = Layout("narrow", 360, 120)
LAYOUTS = (WIDE, NARROW)


@dataclass(frozen=True)
class Chart:
    """Bars for each category; one series, several stacked, or several side by side."""

    title: str
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[Decimal | None, ...], ...]
    """values[category][series]."""
    stacked: bool = False
    unit: str = "万元"


def text_width(text: str, size: int = FONT) -> float:
    """Rough rendered width: CJK characters are square, Latin ones about half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _fit(text: str, room: float) -> str:
    if text_width(text) <= room:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…") > room:
            return out + "…"
        out += ch
    return out


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def render(chart: Chart) -> Markup:
    """The chart as a ``<figure>`` with an inline SVG per layout and an HTML legend."""
    values = [[max(v or Decimal(0), Decimal(0)) for v in row] for row in chart.values]
    if not chart.categories or not any(any(row) for row in values):
        return Markup("")
    legend = None
    if len(chart.series) > 1:
        legend = el(
            "ul",
            {"class": "js-legend"},
            [
                el("li", {}, el("span", {"class": f"js-key js-s{i}"}), name)
                for i, name in enumerate(chart.series)
            ],
        )
    return el(
        "figure",
        {"class": "js-figure"},
        el("figcaption", {}, chart.title, f"（{chart.unit}）"),
        [_svg(chart, values, layout) for layout in LAYOUTS],
        legend,
    )


def _svg(chart: Chart, values: list[list[Decimal]], layout: Layout) -> Markup:
    """One drawing of the bars; only the first is indexed for search."""
    label_room = min(layout.max_label, max(text_width(c) for c in chart.categories) + 8)
    bar_room = layout.width - label_room - VALUE_ROOM
    several = len(chart.series) > 1 and not chart.stacked
    bar = 14 if several else 18
    row_height = (bar * len(chart.series) if several else bar) + 10
    scale = max((sum(row) if chart.stacked else max(row)) for row in values) or Decimal(1)
    grand = sum(sum(row) for row in values)
    height = row_height * len(chart.categories) + 4
    shapes: list[Markup] = []
    for index, (category, row) in enumerate(zip(chart.categories, values, strict=True)):
        top = index * row_height + 5
        middle = top + (row_height - 10) / 2 + FONT / 2 - 1
        shapes.append(
            el(
                "text",
                {"x": f"{label_room - 6:.0f}", "y": f"{middle:.1f}", "text-anchor": "end"},
                el("title", {}, category),
                _fit(category, label_room - 8),
            )
        )
        x = float(label_room)
        for number, value in enumerate(row):
            width = float(value / scale) * bar_room
            y = top + (number * bar if several else 0)
            if value > 0:
                label = f"{chart.series[number]}：{_money(value)}{chart.unit}"
                shapes.append(
                    el(
                        "rect",
                        {
                            "x": f"{x:.1f}",
                            "y": f"{y:.1f}",
                            "width": f"{max(width, 1):.1f}",
                            "height": bar - 2,
                            "class": f"js-s{number}",
                        },
                        el("title", {}, f"{category} {label}"),
                    )
                )
            if several:
                shapes.append(
                    el(
                        "text",
                        {"x": f"{x + width + 4:.1f}", "y": f"{y + bar - 4:.1f}", "class": "js-v"},
                        _money(value) if chart.values[index][number] is not None else "",
                    )
                )
            if chart.stacked:
                x += width
        if not several:
            total = sum(row)
            share = f"（{total / grand * 100:.1f}%）" if grand and len(chart.categories) > 1 else ""
            end = x if chart.stacked else x + float(total / scale) * bar_room
            shapes.append(
                el(
                    "text",
                    {"x": f"{end + 4:.1f}", "y": f"{middle:.1f}", "class": "js-v"},
                    f"{_money(Decimal(total))}{share}",
                )
            )
    return el(
        "svg",
        {
            "class": f"js-chart js-chart-{layout.name}",
            "viewBox": f"0 0 {layout.width} {height}",
            "width": "100%",
            "role": "img",
            "aria-label": chart.title,
            "data-pagefind-ignore": layout != LAYOUTS[0] or None,
        },
        shapes,
    )


def keep_series(chart: Chart) -> Chart:
    """The chart without series, or categories, that are blank or zero everywhere."""
    keep = [i for i in range(len(chart.series)) if any(row[i] for row in chart.values)]
    rows = [r for r in range(len(chart.categories)) if any(chart.values[r][i] for i in keep)]
    return Chart(
        chart.title,
        tuple(chart.categories[r] for r in rows),
        tuple(chart.series[i] for i in keep),
        tuple(tuple(chart.values[r][i] for i in keep) for r in rows),
        chart.stacked,
        chart.unit,
    )


def figures(charts: Sequence[Chart]) -> Markup:
    """Several charts, those with nothing to show left out."""
    return join(render(keep_series(c)) for c in charts)
