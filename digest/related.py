"""Earlier coverage: for each article, up to five articles on the same subject published no later.

Candidates and their scores come in one pass along the postings of the article's searchable
terms (`TermIndex.neighbours`: the cosine similarity over terms that told articles apart when
it was published); those below RELATED_SIMILARITY are dropped, and the best five are listed newest
first. Articles of the same story and near-duplicates are shown elsewhere on the page, so
they are left out here.

Only articles published at the same time or before count: a reader of an article gets its
background, and a day's new articles re-render their own pages, not hundreds of old ones: an
article's terms are weighed as of its publication (`TermIndex`), so its list never changes
afterwards. Newer articles on the same event reach older pages through the story instead.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from itertools import filterfalse

from .terms import TermIndex

RELATED_COUNT = 5
RELATED_SIMILARITY = 0.05
RELATED_CANDIDATES = 12  # best-scoring neighbours looked at (the story may take some)


def find_related(
    index: TermIndex, story_of: Mapping[str, str], count: int = RELATED_COUNT,
    known: Mapping[int, tuple[str, ...]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Article id -> ids of its most similar earlier articles, newest first (articles with none omitted).

    `known`: position -> its list, as an earlier build found it with the same as-of key (see
    `curation.curate`): not searched again.
    """
    articles = index.articles
    known = known or {}
    # the known lists as they were (the empty ones left out), then a search for each other article
    related = {articles[position].id: found for position, found in known.items() if found}
    ascending = index.ascending
    for position in filterfalse(known.__contains__, range(len(articles))):
        article = articles[position]
        story = story_of.get(article.id)
        # the first article published no later: same-time ones count
        start = bisect_left(ascending, ascending[position])
        picked: list[int] = []
        for other, score in index.neighbours(position, RELATED_CANDIDATES, start):
            if score < RELATED_SIMILARITY or len(picked) == count:
                break
            if story is None or story_of.get(articles[other].id) != story:
                picked.append(other)
        if picked:
            # shown newest first: a timeline of the background, and one that a new article's
            # small shift of every term's weight cannot reshuffle
            related[article.id] = tuple(articles[other].id for other in sorted(picked))
    return related
