"""Body text is untrusted: lines that look like Markdown syntax stay text."""

from __future__ import annotations

import pytest

from digest.cleaning.body import escape_markdown_start, join_blocks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.", "1\\."),
        ("2) and then", "2\\) and then"),
        ("# hashtag news", "\\# hashtag news"),
        ("> not a quote", "\\> not a quote"),
        ("- not a list", "\\- not a list"),
        ("* starred", "\\* starred"),
        ("+ plus", "\\+ plus"),
        ("=====", "\\====="),
        ("```", "\\```"),
        ("| a | b |", "\\| a | b |"),
        ("2019 was a year", "2019 was a year"),
        ("1.5 million people", "1.5 million people"),
        ("Plain text.", "Plain text."),
    ],
)
def test_escape_markdown_start(text: str, expected: str) -> None:
    assert escape_markdown_start(text) == expected


def test_list_items_of_one_list_stay_together() -> None:
    assert join_blocks(["Intro:", "- one", "- two", "After.", "1. a", "2. b"]) == (
        "Intro:\n\n- one\n- two\n\nAfter.\n\n1. a\n2. b"
    )
