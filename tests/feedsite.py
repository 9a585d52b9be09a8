"""A small site made to exercise the feeds: relative links, a foreign language, an original
article's address, characters XML forbids, an article without id, a draft."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lxml import etree

from digest.build import build_site
from digest.config import load_config

BASE = "https://feeds.example.org/news/"
ATOM = "{http://www.w3.org/2005/Atom}"

CONFIG = """\
title = "Feed Test Digest"
description = "Stories for feed tests."
base_url = "https://feeds.example.org/news/"
language = "en"
timezone = "UTC"
feed_length = {feed_length}
{extra}

[[topics]]
slug = "disaster"
name = "Disasters"
description = "Storms & floods."
keywords = ["storm"]

[[topics]]
slug = "economy"
name = "Economy"
keywords = ["market", "prices"]

[[topics]]
slug = "politics"
name = "Politics"
keywords = ["minister", "election"]
"""

ARTICLES = {
    "2026/02/08/storm.md": """\
---
title: Storm closes the northern port
date: 2026-02-08T09:30:00+00:00
source: Coastal Times
source_url: https://coastal.example.com/2026/02/08/storm-port
author: Jane Doe
topics: [disaster, economy]
summary: A winter storm closed the port for two days.
id: urn:uuid:11111111-1111-4111-8111-111111111111
---

A winter storm closed the port. See [yesterday's prices](../../07/market-prices/),
[the economy page](/news/topics/economy/), [what next](#what-next), [a note](note/) and
[the wire](//wire.example.net/storm).

## What next

Officials said "href=/relative" is only text here.
""",
    "2026/02/07/market-prices.md": """\
---
title: Les prix du marché montent
date: 2026-02-07T12:00:00+00:00
source: Meridian Wire
lang: fr
topics: [economy]
id: urn:uuid:22222222-2222-4222-8222-222222222222
---

Les prix du marché montent pour la troisième semaine.
""",
    "2026/02/08/control.md": (
        "---\n"
        'title: "Minister quits \\x01over\\x1f vote"\n'
        "date: 2026-02-08T18:05:00+00:00\n"
        "source: Capital Bulletin\n"
        "id: urn:uuid:33333333-3333-4333-8333-333333333333\n"
        "---\n\n"
        "The minister\x0b resigned\x1f after the election \ufffe defeat.\n"
    ),
    "2026/02/06/by-hand.md": """\
---
title: A minister writes by hand
date: 2026-02-06T08:00:00+00:00
---

The minister wrote a letter by hand.
""",
    "2026/02/06/draft.md": """\
---
title: An unfinished draft about the election
date: 2026-02-06T09:00:00+00:00
draft: true
---

Not ready.
""",
}


def write_site(root: Path, extra_config: str = "", feed_length: int = 10) -> Path:
    """Write the config and articles under root; return root."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "digest.toml").write_text(CONFIG.format(extra=extra_config, feed_length=feed_length), encoding="utf-8")
    for rel, text in ARTICLES.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file with `new` (which must be there), as an editor would."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(root: Path, out: Path | None = None) -> Path:
    """Build the site under root into out (default root/site); return out."""
    out = out or root / "site"
    build_site(load_config(root).with_overrides(output_dir=str(out)))
    return out


def feed_files(out: Path) -> list[Path]:
    """Every feed the build wrote (RSS, Atom, JSON Feed), by path."""
    return sorted(p for p in out.rglob("*") if p.name in ("feed.xml", "atom.xml", "feed.json"))


def self_url(out: Path, path: Path) -> str:
    return BASE + path.relative_to(out).as_posix()


def atom_entries(path: Path) -> dict[str, dict[str, Any]]:
    """Atom entries by id: their text children and links, for comparing builds."""
    root = etree.parse(str(path)).getroot()
    entries = {}
    for entry in root.findall(f"{ATOM}entry"):
        entries[entry.findtext(f"{ATOM}id")] = {
            "updated": entry.findtext(f"{ATOM}updated"),
            "published": entry.findtext(f"{ATOM}published"),
            "title": entry.findtext(f"{ATOM}title"),
            "link": next(link.get("href") for link in entry.findall(f"{ATOM}link")
                         if link.get("rel") == "alternate"),
        }
    return entries


def json_items(path: Path) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in json.loads(path.read_text(encoding="utf-8"))["items"]}
