from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
