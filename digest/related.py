"""Related coverage: for each article, up to five other articles on the same subject, any date.

Candidates are the articles sharing the most strong terms with it (`terms.TermIndex`); they are
ranked by cosine similarity, and those below RELATED_SIMILARITY are dropped. Articles of the
same story and near-duplicates are shown elsewhere on the page, so they are left out here.
"""

from __future__ import annotations

from collections.abc import Mapping

from .terms import TermIndex

RELATED_COUNT = 5
RELATED_SIMILARITY = 0.05
RELATED_CANDIDATES = 8


def find_related(
    index: TermIndex, story_of: Mapping[str, str], count: int = RELATED_COUNT
) -> dict[str, tuple[str, ...]]:
    """Article id -> ids of its related articles, most similar first (articles with none omitted)."""
    related: dict[str, tuple[str, ...]] = {}
    articles = index.articles
    for position, article in enumerate(articles):
        story = story_of.get(article.id)
        scored = []
        for other in index.candidates(position, RELATED_CANDIDATES):
            if story is not None and story_of.get(articles[other].id) == story:
                continue
            score = index.similarity(position, other)
            if score >= RELATED_SIMILARITY:
                scored.append((-score, other))
        if scored:
            scored.sort()
            related[article.id] = tuple(articles[other].id for _, other in scored[:count])
    return related
