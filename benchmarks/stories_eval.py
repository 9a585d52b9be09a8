"""Check stories and related coverage against hand-judged groupings.

Two sets:
  - the sample fixture `tests/fixtures/site-stories` (the seed articles plus invented reports of
    the same events, an older related event and a wire copy): expected stories and links are
    listed below;
  - the 57 pages of `<shared>/extraction-dev` (gold title and body, first paragraph as summary,
    the outlet's domain as source, the date from the URL or else 2019-11-19, when the set was
    collected), against `benchmarks/data/stories_dev_expect.json`.

Story pairs are scored by precision and recall over pairs of articles put in one story; for
related coverage, the share of expected pairs that are linked (either way, or as one story).

    PYTHONPATH=. python benchmarks/stories_eval.py [--shared DIR] [--per-item]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]

from digest.build import load_site
from digest.config import load_config
from digest.content import hash_text
from digest.curation import Curation, curate
from digest.models import Article
from digest.terms import find_names
from digest.text import count_words, first_paragraph, shorten

EXPECT = REPO / "benchmarks" / "data" / "stories_dev_expect.json"
FIXTURE = REPO / "tests" / "fixtures" / "site-stories"
# the fixture's expectations, by file name (without .md)
FIXTURE_STORIES = [
    ["russia-man-suspected-of-shooting-top-general-detained-in-dubai", "suspect-in-attack-on-gru-general-handed-to-moscow"],
    ["factory-explosion-kills-8-in-northern-china", "death-toll-in-shanxi-biotech-plant-blast-rises"],
]
FIXTURE_RELATED = [
    ["turkey-receives-first-russian-missile-delivery", "turkey-not-to-forgo-russian-s-400-missile-systems"],
    ["factory-explosion-kills-8-in-northern-china", "steel-plant-explosion-in-inner-mongolia-kills-nine"],
]
_URL_DATE = re.compile(r"/(20\d\d)/(\d\d)/(\d\d)/")


def score(curation: Curation, key: dict[str, str], stories: Sequence[Sequence[str]],
          related: Sequence[Sequence[str]], label: str, per_item: bool, names: dict[str, str]) -> None:
    """Print story pair precision/recall and related recall; `key` maps article id -> label key."""
    found_story = {key[member]: story.id for member, story in curation.story_of.items()}
    wanted = {frozenset(pair) for group in stories for pair in itertools.combinations(group, 2)}
    got = {frozenset(pair) for pair in itertools.combinations(sorted(found_story), 2)
           if found_story[pair[0]] == found_story[pair[1]]}
    right = wanted & got
    links = {frozenset((key[a], key[b])) for a, others in curation.related.items() for b in others}
    linked = [pair for pair in related if frozenset(pair) in links or frozenset(pair) in got]
    print(f"{label}: {len(key)} articles, {len(curation.stories)} stories found; story pairs precision "
          f"{len(right)}/{len(got)}, recall {len(right)}/{len(wanted)}; expected related pairs linked "
          f"{len(linked)}/{len(related)}; articles with related links {len(curation.related)}, "
          f"links {sum(len(v) for v in curation.related.values())}")
    if per_item:
        for story in curation.stories:
            print("  story:", " | ".join(names[key[m]] for m in story.members))
        for pair in sorted(wanted - got, key=sorted):
            print("  missed story pair:", " | ".join(names[p] for p in sorted(pair)))
        for pair in sorted(got - wanted, key=sorted):
            print("  unexpected story pair:", " | ".join(names[p] for p in sorted(pair)))
        for pair in related:
            if pair not in linked:
                print("  missed related:", " | ".join(names[p] for p in pair))
        for article_id, others in sorted(curation.related.items(), key=lambda kv: names[key[kv[0]]]):
            print(f"  related {names[key[article_id]]} -> " + " | ".join(names[key[o]] for o in others))


def dev_articles(data: Path) -> list[Article]:
    """The dev pages as in-memory articles (nothing is written anywhere)."""
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    articles: dict[str, Article] = {}
    for item in manifest["items"]:
        if item["split"] != "dev":
            continue
        gold = json.loads((data / "gold" / f"{item['id']}.json").read_text(encoding="utf-8"))
        for page, url, article in zip(item["pages"], item["urls"], gold["articles"]):
            if page in articles:
                continue
            match = _URL_DATE.search(url)
            day = dt.date(*map(int, match.groups())) if match else dt.date(2019, 11, 19)
            date = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
            body = article["body"]
            summary = shorten(first_paragraph(body), 300)
            articles[page] = Article(
                path=page, rel_path=page, slug=page, title=article["title"], date=date, updated=date,
                day=day, id=page, summary=summary, body_hash=hash_text(body), body_line=1, topics=(),
                topics_given=False, source=urlsplit(url).netloc, words=count_words(body),
                names=find_names(summary, body),
            )
    return sorted(articles.values(), key=lambda a: a.sort_key)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DIGEST_SHARED", REPO.parent / "shared")))
    parser.add_argument("--per-item", action="store_true", help="print stories, misses and related lists")
    args = parser.parse_args(list(argv) if argv is not None else None)

    site, _ = load_site(load_config(FIXTURE))
    key = {a.id: Path(a.rel_path).stem for a in site.articles}
    names = {Path(a.rel_path).stem: a.title[:60] for a in site.articles}
    score(site.curation, key, FIXTURE_STORIES, FIXTURE_RELATED, "seeds fixture", args.per_item, names)

    data = args.shared / "extraction-dev"
    if not (data / "manifest.json").exists():
        print(f"note: {data} not found; fixture only", file=sys.stderr)
        return 0
    expect = json.loads(EXPECT.read_text(encoding="utf-8"))
    articles = dev_articles(data)
    curation = curate(articles)
    names = {a.id: f"{a.source}: {a.title[:50]}" for a in articles}
    score(curation, {a.id: a.id for a in articles}, expect["stories"], expect["related"], "dev pages",
          args.per_item, names)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
