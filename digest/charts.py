"""Articles-per-day charts, drawn at build time as plain data for inline SVG (no script).

`make_chart` turns counts per day and series into a `ChartView`: one bar chart of all articles
per day and, when there are several series (topics), one small chart per series on a shared
scale (small multiples read better than a dozen colours stacked), plus a text alternative: a
sentence and a table. Each SVG stretches to its box (`preserveAspectRatio="none"`), so the
words around it are HTML and stay readable at any width; colours come from CSS classes, so dark
mode and print restyle the charts like the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

DAY_WIDTH = 10  # SVG units per day; a bar fills 80% of it
PLOT_HEIGHT = 100
PALETTE_SIZE = 12  # colour classes `series-0` .. `series-11` in style.css
NICE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)


class Bar(NamedTuple):
    """One day's bar; `label` is its tooltip."""

    x: str
    y: str
    height: str
    label: str


class Panel(NamedTuple):
    """One bar chart: a series (or all of them) over the chart's days."""

    id: str
    label: str
    css: str
    count: int  # type: ignore[assignment]  # tuple.count: templates read the field
    summary: str  # its accessible description
    bars: tuple[Bar, ...]


class Row(NamedTuple):
    """A line of the chart's table: a day with articles, and how they split."""

    day: str
    iso: str
    total: int
    detail: str


class ChartView(NamedTuple):
    id: str
    title: str
    description: str
    width: int
    height: int
    bar_width: str
    gridlines: tuple[str, ...]  # y of the dashed lines at half and full scale
    scale_label: str  # what the top gridline of the main panel stands for
    start_label: str
    end_label: str
    main: Panel
    panels: tuple[Panel, ...]  # one per series with articles, when there are several series
    panels_scale_label: str
    rows: tuple[Row, ...]


def nice_ceiling(value: float) -> float:
    """A round number at or above value (at least 1), for a scale people can read at a glance."""
    power = 1
    while True:
        for step in NICE_STEPS:
            if step * power >= value:
                return step * power
        power *= 10


def series_css(index: int | None) -> str:
    """The colour class of a series: topics keep their colour on every page."""
    return "series-other" if index is None else f"series-{index % PALETTE_SIZE}"


def plural(count: int, word: str = "article") -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _panel(
    panel_id: str, label: str, css: str, days: Sequence[dt.date], values: Mapping[dt.date, int],
    scale: float, long_day: Callable[[dt.date], str],
) -> Panel:
    unit = PLOT_HEIGHT / scale
    bars = []
    for position, day in enumerate(days):
        count = values.get(day, 0)
        if count:
            bars.append(Bar(
                x=_number(position * DAY_WIDTH + DAY_WIDTH * 0.1),
                y=_number(PLOT_HEIGHT - count * unit), height=_number(count * unit),
                label=f"{long_day(day)}: {plural(count)}",
            ))
    total = sum(values.get(day, 0) for day in days)
    summary = f"{label}: {plural(total)}{busiest_day(days, values, long_day)}."
    return Panel(panel_id, label, css, total, summary, tuple(bars))


def busiest_day(days: Sequence[dt.date], values: Mapping[dt.date, int], long_day: Callable[[dt.date], str]) -> str:
    """"; the busiest day was ... with N" (the latest such day on a tie), or nothing without articles."""
    if not any(values.get(day) for day in days):
        return ""
    busiest = max(days, key=lambda day: (values.get(day, 0), day))
    return f"; the busiest day was {long_day(busiest)} with {values[busiest]}"


def make_chart(
    chart_id: str,
    title: str,
    start: dt.date,
    end: dt.date,
    counts: Mapping[dt.date, Mapping[str, int]],
    series: Sequence[tuple[str, str, int | None]],
    long_day: Callable[[dt.date], str],
    short_day: Callable[[dt.date], str],
) -> ChartView:
    """Chart counts[day][series key] for every day from start to end (inclusive).

    `series` lists (key, label, palette index or None); `long_day` and `short_day` format a
    date for sentences and for the axis.
    """
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    totals = {day: sum(counts.get(day, {}).values()) for day in days}
    scale = nice_ceiling(max(totals.values(), default=0))
    single = len(series) == 1
    main_css = series_css(series[0][2]) if single else "series-total"
    main = _panel(f"{chart_id}-all", series[0][1] if single else "All topics", main_css, days, totals,
                  scale, long_day)

    panels: list[Panel] = []
    panel_scale = 0.0
    if not single:
        by_series = {
            key: {day: counts[day][key] for day in days if counts.get(day, {}).get(key)}
            for key, _, _ in series
        }
        panel_scale = nice_ceiling(max((max(v.values(), default=0) for v in by_series.values()), default=0))
        panels = [
            _panel(f"{chart_id}-{number}", label, series_css(index), days, by_series[key], panel_scale, long_day)
            for number, (key, label, index) in enumerate(series, start=1)
            if by_series[key]
        ]

    labels = {key: label for key, label, _ in series}
    rows = tuple(
        Row(long_day(day), day.isoformat(), totals[day], ", ".join(
            f"{labels[key]} {counts[day][key]}" for key, _, _ in series if counts[day].get(key)
        ))
        for day in reversed(days) if totals[day]
    )
    description = (f"{plural(main.count)} from {long_day(start)} to {long_day(end)}"
                   f"{busiest_day(days, totals, long_day)}.")
    return ChartView(
        id=chart_id,
        title=title,
        description=description,
        width=len(days) * DAY_WIDTH,
        height=PLOT_HEIGHT,
        bar_width=_number(DAY_WIDTH * 0.8),
        gridlines=(_number(PLOT_HEIGHT / 2), "0"),
        scale_label=f"{_number(scale)} a day",
        start_label=short_day(start),
        end_label=short_day(end),
        main=main,
        panels=tuple(panels),
        panels_scale_label=f"{_number(panel_scale)} a day" if panels else "",
        rows=rows,
    )
