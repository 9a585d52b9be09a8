"""Saved HTML goes through trafilatura into the same article model."""

from __future__ import annotations

import datetime as dt

from digest.cleaning import DateReference, clean_html

UTC = dt.UTC
PAGE = """<!doctype html>
<html lang="en"><head>
<title>Night Trains Return to the Coast Line | The Rail Courier</title>
<meta property="og:title" content="Night Trains Return to the Coast Line">
<meta property="og:site_name" content="The Rail Courier">
<meta name="author" content="Ines Lauk">
<meta property="article:published_time" content="2025-10-14T06:30:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/trains">Trains</a></li></ul></nav>
<article>
<h1>Night Trains Return to the Coast Line</h1>
<p>Night trains will run again on the coast line from December, the operator said on
Monday, ten years after the last sleeper service was cut for lack of passengers.</p>
<p>The new trains will leave the capital shortly before midnight and reach the port towns
early in the morning, with sleeping cabins, reclining seats and a small dining car.</p>
<h2>Tickets and prices</h2>
<p>Tickets go on sale next month. A seat will cost about the same as a day train, while a
bed in a shared cabin will cost roughly twice as much, according to the operator.</p>
<ul><li>Seats from the price of a day ticket</li><li>Shared cabins for four people</li></ul>
<blockquote><p>We have seen demand for night travel grow every year since 2020.</p></blockquote>
<p>1. is how the operator numbered its first priority, punctuality.</p>
</article>
<footer><p>Copyright 2025 The Rail Courier. All rights reserved.</p></footer>
</body></html>"""


def test_html_article_in_the_same_model() -> None:
    capture = clean_html(PAGE, DateReference(tz=UTC), url="https://courier.example/night")
    [article] = capture.articles
    assert article.title == "Night Trains Return to the Coast Line"
    assert article.author == "Ines Lauk"
    assert article.source == "The Rail Courier"
    assert article.source_url == "https://courier.example/night"
    assert article.published == dt.datetime(2025, 10, 14, tzinfo=UTC)
    assert article.date_source == "article"
    blocks = article.body.split("\n\n")
    assert blocks[0].startswith("Night trains will run again on the coast line")
    assert "## Tickets and prices" in blocks
    assert "- Seats from the price of a day ticket\n- Shared cabins for four people" in blocks
    assert any(block.startswith("> We have seen demand") for block in blocks)
    assert "1\\. is how the operator" in article.body  # text, not an ordered list
    assert "Home" not in article.body and "Copyright" not in article.body


def test_broken_or_empty_html_gives_no_article() -> None:
    reference = DateReference(tz=UTC)
    for html in ("", "   ", "<<<>>>", "<html><body><nav>Home</nav></body></html>", "\x00\x01"):
        capture = clean_html(html, reference)
        assert capture.articles == ()
        assert capture.notes
