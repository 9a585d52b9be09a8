"""Finding dates and resolving each article's publication date (issue 2's rules)."""

from __future__ import annotations

import datetime as dt

import pytest

from digest.cleaning.dates import (
    DATE_SOURCES,
    Evidence,
    Relative,
    Stamp,
    find_relative_header,
    find_reported_weekday,
    find_stamps,
    latest_stamp,
    resolve_published,
)
from digest.cleaning.model import DateReference

UTC = dt.UTC
EST = dt.timezone(dt.timedelta(hours=-5))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February 6, 2026 12:00", dt.datetime(2026, 2, 6, 12, 0, tzinfo=UTC)),
        ("3 Nov 2025", dt.datetime(2025, 11, 3, tzinfo=UTC)),
        ("2019-11-19", dt.datetime(2019, 11, 19, tzinfo=UTC)),
        ("Updated 10:05 GMT, Tue 19 Nov 2019", dt.datetime(2019, 11, 19, 10, 5, tzinfo=UTC)),
        ("Published 11:11 PM EST Nov 19, 2019", dt.datetime(2019, 11, 19, 23, 11, tzinfo=EST)),
        ("19.11.2019, 08:57", dt.datetime(2019, 11, 19, 8, 57, tzinfo=UTC)),
        ("on 11/13/19 at 4:00 PM EST", dt.datetime(2019, 11, 13, 16, 0, tzinfo=EST)),
        ("24 сентября 2018", dt.datetime(2018, 9, 24, tzinfo=UTC)),
        ("PUBLISHED TUE, NOV 19 20197:05 AM", dt.datetime(2019, 11, 19, 7, 5, tzinfo=UTC)),
    ],
)
def test_absolute_dates(text: str, expected: dt.datetime) -> None:
    stamps = find_stamps(text)
    assert stamps and stamps[0].to_datetime(UTC) == expected


def test_years_alone_are_not_dates() -> None:
    assert find_stamps("© 2019 The Paper, founded in 1999; 2,019 readers") == []


def test_relative_expressions() -> None:
    assert find_relative_header("Today 20:24") == Relative("today", dt.time(20, 24))
    assert find_relative_header("Yesterday") == Relative("yesterday")
    assert find_relative_header("3 hours ago") == Relative("ago", minutes_ago=180)
    for text in ("said on Sunday", "reported Sunday", "said Sunday", "announced on Sunday"):
        assert find_reported_weekday(f"The ministry {text} that") == Relative("weekday", weekday=6)
    assert find_reported_weekday("told journalists on Friday that") is None
    assert find_reported_weekday("arrived on Friday") is None


SATURDAY = Stamp(dt.date(2026, 2, 7))  # the latest date seen in a capture
SUNDAY = Relative("weekday", weekday=6)
THURSDAY = Relative("weekday", weekday=3)


def test_weekday_nearest_to_the_capture_reference() -> None:
    reference = DateReference(tz=UTC)
    [(sunday, source)] = resolve_published([Evidence(relative=SUNDAY)], SATURDAY, reference)
    assert (sunday, source) == (dt.datetime(2026, 2, 8, tzinfo=UTC), "relative-to-capture")
    [(thursday, _)] = resolve_published([Evidence(relative=THURSDAY)], SATURDAY, reference)
    assert thursday == dt.datetime(2026, 2, 5, tzinfo=UTC)


def test_weekday_on_or_before_the_option_and_the_file_time() -> None:
    option = DateReference(tz=UTC, option=dt.date(2026, 2, 7))
    [(sunday, source)] = resolve_published([Evidence(relative=SUNDAY)], SATURDAY, option)
    assert (sunday, source) == (dt.datetime(2026, 2, 1, tzinfo=UTC), "relative-to-option")
    file_time = DateReference(tz=UTC, file_time=dt.datetime(2026, 2, 8, 9, 30, tzinfo=UTC))
    [(same_day, source)] = resolve_published([Evidence(relative=SUNDAY)], None, file_time)
    assert (same_day, source) == (dt.datetime(2026, 2, 8, tzinfo=UTC), "relative-to-file")


def test_today_and_hours_ago() -> None:
    reference = DateReference(tz=UTC)
    today = Evidence(relative=Relative("today", dt.time(20, 24)))
    [(when, _)] = resolve_published([today], Stamp(dt.date(2025, 11, 3)), reference)
    assert when == dt.datetime(2025, 11, 3, 20, 24, tzinfo=UTC)
    file_time = DateReference(tz=UTC, file_time=dt.datetime(2025, 11, 3, 12, 0, tzinfo=UTC))
    ago = Evidence(relative=Relative("ago", minutes_ago=180))
    [(when, source)] = resolve_published([ago], None, file_time)
    assert (when, source) == (dt.datetime(2025, 11, 3, 9, 0, tzinfo=UTC), "relative-to-file")


def test_fallbacks_for_articles_without_evidence() -> None:
    stamp = Evidence(stamp=Stamp(dt.date(2026, 1, 2), dt.time(8, 0)))
    none = Evidence()
    assert resolve_published([none], None, DateReference(tz=UTC, option=dt.date(2026, 1, 5))) == [
        (dt.datetime(2026, 1, 5, tzinfo=UTC), "option")
    ]
    assert resolve_published([stamp, none], SATURDAY, DateReference(tz=UTC))[1] == (
        dt.datetime(2026, 1, 2, 8, 0, tzinfo=UTC),
        "capture-sibling",
    )
    assert resolve_published([none], SATURDAY, DateReference(tz=UTC)) == [
        (dt.datetime(2026, 2, 7, tzinfo=UTC), "capture")
    ]
    file_time = dt.datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert resolve_published([none], None, DateReference(tz=UTC, file_time=file_time)) == [
        (file_time, "file")
    ]
    assert resolve_published([none], None, DateReference(tz=UTC)) == [(None, "unknown")]


def test_latest_stamp_ignores_dates_after_the_file_time() -> None:
    stamps = find_stamps("March 3, 2026 and January 9, 2026 and December 30, 2025")
    file_time = dt.datetime(2026, 2, 1, tzinfo=UTC)
    assert latest_stamp(stamps) == Stamp(dt.date(2026, 3, 3))
    assert latest_stamp(stamps, file_time) == Stamp(dt.date(2026, 1, 9))


def test_date_sources_are_unique_names() -> None:
    assert len(set(DATE_SOURCES)) == len(DATE_SOURCES)
    assert "article" in DATE_SOURCES and "capture-sibling" in DATE_SOURCES
