from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from digest.config import load_config
from digest.content import derive_id, read_articles

GOOD = """
---
title: "Storm closes port"
date: 2026-02-08T09:30:00+00:00
topics: [disaster]
source: Coastal Times
summary: A storm closed the port.
---

The port closed on Sunday.
"""


def test_reads_front_matter_and_derives_what_is_missing(make_site: Callable[..., Path]) -> None:
    root = make_site({
        "2026/02/08/storm.md": GOOD,
        "2026/02/08/plain.md": """
            ---
            title: Earthquake shakes the capital
            date: 2026-02-08
            ---

            An earthquake shook the capital on Sunday, and rescue teams searched for survivors.

            ## Aftermath

            More text here.
            """,
    })
    loaded = read_articles(load_config(root))
    assert loaded.errors == [] and loaded.warnings == []
    by_slug = {a.slug: a for a in loaded.articles}
    plain = by_slug["plain"]
    assert plain.id == derive_id("2026/02/08/plain.md") == derive_id("2026/02/08/plain.md")
    assert plain.summary == "An earthquake shook the capital on Sunday, and rescue teams searched for survivors."
    assert plain.topics[0] == "disaster" and not plain.topics_given
    assert plain.url == "/2026/02/08/plain/"
    storm = by_slug["storm"]
    assert (storm.topics, storm.topics_given, storm.source) == (("disaster",), True, "Coastal Times")


def test_every_bad_file_is_reported(make_site: Callable[..., Path]) -> None:
    root = make_site({
        "a/no-title.md": "---\ndate: 2026-02-08\n---\nx\n",
        "a/bad-date.md": "---\ntitle: T\ndate: next tuesday\n---\nx\n",
        "a/topic.md": "---\ntitle: T\ndate: 2026-02-08\ntopics: [weather-on-mars]\n---\nx\n",
        "a/good.md": GOOD,
        "a/extra.md": "---\ntitle: T\ndate: 2026-02-08\ncolour: red\n---\nx\n",
    })
    loaded = read_articles(load_config(root))
    messages = sorted(str(e).split("content/", 1)[1] for e in loaded.errors)
    assert messages[0] == "a/bad-date.md:3: `date` is not a date: 'next tuesday'; write it as 2026-02-08T09:30:00+00:00"
    assert messages[1] == "a/no-title.md:1: `title` is missing or empty; add `title: ...` to the front matter"
    assert messages[2].startswith("a/topic.md:4: unknown topic `weather-on-mars`; use one of: politics, ")
    assert [a.slug for a in loaded.articles] == ["extra", "good"]
    assert loaded.warnings[0].endswith("a/extra.md:4: unknown front matter key `colour` is ignored")


def test_an_article_derives_its_url_order_and_lastmod_and_keeps_them_when_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`Article` is a named tuple whose last fields are made from the others: when it is made
    and when a copy changes a field, never when it is read back (the build cache)."""
    import datetime as dt
    import pickle

    from digest.models import Article

    date = dt.datetime(2026, 2, 8, 9, 30, tzinfo=dt.timezone.utc)
    article = Article(path="content/a.md", rel_path="a.md", slug="storm", title="Storm", date=date,
                      updated=date, day=date.date(), id="id-a", summary="", body_hash="", body_line=1,
                      topics=(), topics_given=False, url="/wrong/")
    assert article.url == "/2026/02/08/storm/" and article.updated_w3c == "2026-02-08T09:30:00Z"
    assert article.sort_key == (-date.timestamp(), "storm", "a.md")
    renamed = article._replace(slug="gale", title="Gale")
    assert renamed.url == "/2026/02/08/gale/" and renamed.sort_key[1] == "gale" and renamed.id == "id-a"
    written = pickle.dumps(article)
    monkeypatch.setattr("digest.models.urls.article_url", lambda day, slug: "/derived-again/")
    copy = pickle.loads(written)  # read back as written, in C
    assert copy == article and type(copy) is Article and copy.url == "/2026/02/08/storm/"
    assert {article: 1}[copy] == 1  # hashable, though its terms' weights are an array
