"""Whatever it is given, the cleaner returns its model and never raises."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.cleaning import (
    CleanedArticle,
    CleanedCapture,
    DateReference,
    clean_text,
    decode_capture,
)

REFERENCE = DateReference(tz=dt.UTC, file_time=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
# Text made of the pieces dumps are made of, so that real structure turns up often.
PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "   ",
        "  • ",
        "     * ",
        "1. ",
        "- ",
        "[image]",
        "(BUTTON)",
        "____",
        "━━━━",
        "Home",
        "Share",
        "By Jane Doe",
        "Updated 10:05 GMT, Tue 19 Nov 2019",
        "Today 20:24",
        "said on Sunday",
        "(Photo by A / AFP)",
        "REUTERS/Name",
        "Credit...",
        "© 2019 Paper",
        "Related News",
        "Comments",
        "##",
        "> ",
        "#",
        "商品の改造",
        "Новости",
        "\t",
        "\u00a0",
        "The council said on Monday that the new bridge would open in spring next year. ",
        "Headline Of The Day",
    ]
)
DUMPS = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=60).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_capture(capture: CleanedCapture) -> None:
    assert isinstance(capture, CleanedCapture)
    assert isinstance(capture.notes, tuple)
    for article in capture.articles:
        assert isinstance(article, CleanedArticle)
        assert isinstance(article.title, str) and isinstance(article.body, str)
        assert article.body.strip()
        assert article.published is None or article.published.tzinfo is not None


@FAST
@given(st.text())
def test_clean_text_never_raises_on_any_text(text: str) -> None:
    check_capture(clean_text(text, REFERENCE))


@FAST
@given(DUMPS)
def test_clean_text_never_raises_on_dump_like_text(text: str) -> None:
    check_capture(clean_text(text, REFERENCE))


@FAST
@given(st.binary())
def test_decode_capture_never_raises(data: bytes) -> None:
    text = decode_capture(data)
    assert isinstance(text, str)
    assert "\r" not in text and "\x00" not in text
    check_capture(clean_text(text, REFERENCE))


@FAST
@given(DUMPS)
def test_cleaning_is_deterministic(text: str) -> None:
    assert clean_text(text, REFERENCE) == clean_text(text, REFERENCE)
