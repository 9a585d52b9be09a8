"""Time stories and related coverage on a generated corpus (one process, one core).

    python3 /work/shared/bench/make_corpus.py --n 10000 --format digest --out /tmp/c10k
    PYTHONPATH=. python benchmarks/stories_speed.py /tmp/c10k [--runs 3]

Reads the corpus with `digest.content.read_articles` (not timed), then times `curate` (fold
duplicates, term extraction, TF-IDF index, stories, related) and each of its phases, best of
`--runs`. The budget is 2 s for 10,000 articles. Also prints what was found, so a change that
makes it fast by finding nothing shows. Then a day's increment: `curate` of the whole corpus
given the memo of a build without its newest 1% (`curation.Memo`), checked to give the same
stories and earlier coverage as without the memo.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from digest.config import load_config
from digest.content import read_articles
from digest.curation import curate, fold_duplicates
from digest.related import find_related
from digest.stories import find_stories
from digest.terms import TermIndex, article_terms


def best_of(runs: int, func):  # type: ignore[no-untyped-def]
    """Smallest CPU time of `runs` calls, and the last result.

    CPU time, not wall time: the work is single-threaded, and on a shared, loaded machine the
    wall clock also counts time spent waiting for a core. Both are printed for the total.
    """
    times, result = [], None
    for _ in range(runs):
        started = time.process_time()
        result = func()
        times.append(time.process_time() - started)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="a site folder (with content/), e.g. from make_corpus.py")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    config = load_config(args.corpus).with_overrides(content_dir=str(args.corpus / "content"))
    started = time.perf_counter()
    loaded = read_articles(config)
    articles = sorted(loaded.articles, key=lambda a: a.sort_key)
    print(f"read {len(articles)} articles in {time.perf_counter() - started:.2f}s (not counted)")

    wall = time.perf_counter()
    total, curation = best_of(args.runs, lambda: curate(articles))
    wall = (time.perf_counter() - wall) / args.runs
    published, _, _ = fold_duplicates(articles)
    t_terms, raw = best_of(args.runs, lambda: [article_terms(a) for a in published])
    t_index, index = best_of(args.runs, lambda: TermIndex.build(published, raw))
    t_stories, t_related = [], []
    for _ in range(args.runs):  # a fresh index each time: it remembers similarities
        index = TermIndex.build(published, raw)
        started = time.process_time()
        stories = find_stories(index)
        t_stories.append(time.process_time() - started)
        story_of = {member: story.id for story in stories for member in story.members}
        started = time.process_time()
        find_related(index, story_of)
        t_related.append(time.process_time() - started)
    print(f"curate: {total:.3f}s CPU (wall {wall:.3f}s mean) for {len(articles)} articles (budget 2 s) — "
          f"terms {t_terms:.3f}s, "
          f"index {t_index:.3f}s, stories {min(t_stories):.3f}s, related {min(t_related):.3f}s")

    newest = max(1, len(articles) // 100)
    memo = curate(articles[newest:], {}).memo  # the build before the increment
    t_increment, again = best_of(args.runs, lambda: curate(articles, memo))
    same = (again.stories, again.related) == (curation.stories, curation.related)
    print(f"increment: {newest} new articles, curate with the last build's memo {t_increment:.3f}s CPU; "
          f"same result as without: {same}")

    sizes = Counter(len(story.members) for story in curation.stories)
    in_stories = sum(len(story.members) for story in curation.stories)
    related_counts = [len(curation.related.get(a.id, ())) for a in curation.articles]
    spans = [
        (max(a.date for a in group) - min(a.date for a in group)).total_seconds() / 86400
        for group in ([articles[i] for i in range(len(articles)) if articles[i].id in set(s.members)]
                      for s in curation.stories[:200])
    ]
    print(f"stories: {len(curation.stories)} of 2+ articles, holding {in_stories} articles "
          f"({100 * in_stories / max(1, len(articles)):.1f}%); sizes {dict(sorted(sizes.items()))}; "
          f"longest span of the first 200: {max(spans, default=0):.1f} days")
    print(f"related: {sum(1 for n in related_counts if n)} articles have some, "
          f"mean {statistics.mean(related_counts) if related_counts else 0:.2f} per article, "
          f"max {max(related_counts, default=0)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
