"""Articles-per-day charts: geometry, shared scales, text alternatives, and the built pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html as lxml_html

from digest.build import build_site
from digest.charts import PLOT_HEIGHT, make_chart, nice_ceiling
from digest.views import format_day, format_short_day

from .conftest import config_for

D = dt.date(2026, 2, 1)


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


@pytest.mark.parametrize(("value", "expected"), [
    (0, 1), (1, 1), (2, 2), (7, 8), (9, 10), (11, 15), (29, 30), (31, 40), (140, 150), (999, 1000),
])
def test_nice_ceiling_rounds_up_to_a_readable_number(value: int, expected: int) -> None:
    assert nice_ceiling(value) == expected


def chart(counts: dict[dt.date, dict[str, int]], series: list[tuple[str, str, int | None]], days: int = 5):
    return make_chart("c", "Articles", day(0), day(days - 1), counts, series, format_day, format_short_day)


def test_one_bar_per_day_with_articles_scaled_to_the_busiest() -> None:
    view = chart({day(0): {"a": 2}, day(3): {"a": 5}}, [("a", "Alpha", 0)])
    assert view.width == 50 and view.height == PLOT_HEIGHT
    assert [(b.x, b.y, b.height) for b in view.main.bars] == [("1", "60", "40"), ("31", "0", "100")]
    assert view.main.bars[1].label == "Wednesday 4 February 2026: 5 articles"
    assert view.main.css == "series-0" and view.panels == ()  # one series: no small multiples
    assert view.scale_label == "5 a day"
    assert (view.start_label, view.end_label) == ("1 Feb 2026", "5 Feb 2026")


def test_several_series_get_small_multiples_on_one_shared_scale() -> None:
    counts = {day(0): {"a": 1, "b": 3}, day(1): {"a": 4}, day(2): {"other": 1}}
    view = chart(counts, [("a", "Alpha", 0), ("b", "Beta", 13), ("c", "Gamma", 2), ("other", "Other", None)])
    assert view.main.css == "series-total" and view.main.count == 9
    assert [b.height for b in view.main.bars] == ["100", "100", "25"]  # totals 4, 4, 1 on a scale of 4
    assert [(p.label, p.css, p.count) for p in view.panels] == [
        ("Alpha", "series-0", 5), ("Beta", "series-1", 3), ("Other", "series-other", 1),
    ]  # Gamma has no article; palette colours wrap around
    assert view.panels_scale_label == "4 a day"
    assert [b.height for b in view.panels[0].bars] == ["25", "100"]
    assert len({p.id for p in view.panels} | {view.main.id}) == 4


def test_text_alternative_names_the_total_and_the_busiest_day() -> None:
    counts = {day(0): {"a": 1, "b": 2}, day(2): {"a": 3}, day(4): {"b": 1}}
    view = chart(counts, [("a", "Alpha", 0), ("b", "Beta", 1)])
    assert view.description == (
        "7 articles from Sunday 1 February 2026 to Thursday 5 February 2026; "
        "the busiest day was Tuesday 3 February 2026 with 3."
    )
    assert [(r.iso, r.total, r.detail) for r in view.rows] == [
        ("2026-02-05", 1, "Beta 1"), ("2026-02-03", 3, "Alpha 3"), ("2026-02-01", 3, "Alpha 1, Beta 2"),
    ]  # newest first, days without articles left out
    assert view.panels[1].summary == "Beta: 3 articles; the busiest day was Sunday 1 February 2026 with 2."


def test_a_tie_names_the_latest_day_and_an_empty_chart_says_so() -> None:
    view = chart({day(1): {"a": 2}, day(3): {"a": 2}}, [("a", "Alpha", 0)])
    assert view.description.endswith("the busiest day was Wednesday 4 February 2026 with 2.")
    empty = chart({}, [("a", "Alpha", 0)])
    assert empty.description == "0 articles from Sunday 1 February 2026 to Thursday 5 February 2026."
    assert empty.main.bars == () and empty.rows == ()


def test_archive_and_topic_pages_carry_accessible_charts(
    make_site: Callable[..., Path], tmp_path: Path,
) -> None:
    root = make_site({
        "2026/01/30/a.md": "---\ntitle: Storm one\ndate: 2026-01-30T10:00:00Z\ntopics: [weather]\n---\nText.\n",
        "2026/02/02/b.md": "---\ntitle: Storm two\ndate: 2026-02-02T10:00:00Z\ntopics: [weather]\n---\nText.\n",
        "2026/02/02/c.md": "---\ntitle: Vote\ndate: 2026-02-02T11:00:00Z\ntopics: [politics]\n---\nText.\n",
    }, config="""
        [[topics]]
        slug = "politics"
        name = "Politics"
        [[topics]]
        slug = "weather"
        name = "Weather"
    """)
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out), search=False))

    archive = lxml_html.fromstring((out / "archive/index.html").read_bytes())
    svgs = archive.xpath("//figure[@class='chart']//svg")
    assert len(svgs) == 3  # all topics, then Politics and Weather
    for svg in svgs:
        assert svg.get("role") == "img"
        title = svg.xpath(f"//*[@id='{svg.get('aria-labelledby')}']")[0]
        assert title.tag == "title" and title.text_content()
    assert archive.xpath("string(//figure[@class='chart']//svg/title)") == (
        "All topics: 3 articles; the busiest day was Monday 2 February 2026 with 2."
    )
    rows = [" | ".join(c.text_content() for c in row) for row in archive.xpath("//details//tbody/tr")]
    assert rows == ["Monday 2 February 2026 | 2 | Politics 1, Weather 1", "Friday 30 January 2026 | 1 | Weather 1"]

    topic = lxml_html.fromstring((out / "topics/weather/index.html").read_bytes())
    assert topic.xpath("string(//figure//svg/title)") == (
        "Weather: 2 articles; the busiest day was Monday 2 February 2026 with 1."
    )
    assert len(topic.xpath("//figure//svg")) == 1
    january = lxml_html.fromstring((out / "topics/weather/2026/01/index.html").read_bytes())
    assert january.xpath("string(//figcaption)") == "Weather: articles per day, 1 Jan 2026 to 31 Jan 2026"
    february = (out / "topics/weather/2026/02/index.html").read_text()
    # the month in progress ends on the latest edition, not on the last day of the month
    assert re.search(r"articles per day, 1 Feb 2026 to 2 Feb 2026", february)
