"""Related coverage: for each article, up to five other articles on the same subject, any date.

Candidates and their scores come in one pass along the postings of the article's searchable
terms (`TermIndex.neighbours`: the cosine similarity over terms held by at most MAX_DF
articles); those below RELATED_SIMILARITY are dropped. Articles of the
same story and near-duplicates are shown elsewhere on the page, so they are left out here.
"""

from __future__ import annotations

from collections.abc import Mapping

from .terms import TermIndex

RELATED_COUNT = 5
RELATED_SIMILARITY = 0.05
RELATED_CANDIDATES = 12  # best-scoring neighbours looked at (the story may take some)


def find_related(
    index: TermIndex, story_of: Mapping[str, str], count: int = RELATED_COUNT
) -> dict[str, tuple[str, ...]]:
    """Article id -> ids of its related articles, most similar first (articles with none omitted)."""
    related: dict[str, tuple[str, ...]] = {}
    articles = index.articles
    for position, article in enumerate(articles):
        story = story_of.get(article.id)
        picked: list[str] = []
        for other, score in index.neighbours(position, RELATED_CANDIDATES):
            if score < RELATED_SIMILARITY or len(picked) == count:
                break
            other_id = articles[other].id
            if story is None or story_of.get(other_id) != story:
                picked.append(other_id)
        if picked:
            related[article.id] = tuple(picked)
    return related
