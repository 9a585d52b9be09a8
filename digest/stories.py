"""Group articles about the same event, published within a few days, into stories.

Articles are taken oldest first. Each joins the story of its most similar earlier article when
the story began at most STORY_DAYS before it and the two are alike enough: cosine similarity
(`terms.TermIndex`) of at least STORY_SIMILARITY, or of NAMED_SIMILARITY when they also share
two or more distinctive names (people, places, companies found in few articles: what tells
one factory fire from another is where it was). Otherwise the article starts a story of its
own. Anchoring the window at a story's first article keeps stories to "a few days" however long
a chain of follow-ups grows.

A story's id is derived from its first article's id, so it is the same in every build of the
same content. Only stories of two or more articles are returned.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

from .terms import TermIndex

STORY_DAYS = 3.0
STORY_SIMILARITY = 0.30
NAMED_SIMILARITY = 0.12
SHARED_NAMES = 2
STORY_CANDIDATES = 12


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one event: ids oldest first."""

    id: str
    members: tuple[str, ...]


def story_id(first_article_id: str) -> str:
    """Stable id of the story an article starts."""
    return "story-" + hashlib.blake2b(first_article_id.encode("utf-8"), digest_size=6).hexdigest()


def find_stories(index: TermIndex, known: Mapping[int, int] | None = None) -> list[Story]:
    """Cluster the indexed articles into stories (index positions must be newest first).

    `known`: position -> position of its story's first article, for articles whose placing an
    earlier build found with the same as-of key (see `curation.curate`): not searched again.
    """
    known = known or {}
    window = STORY_DAYS * 86400
    keys = index.ascending
    story_of: dict[int, int] = {}  # position -> position of the story's first article
    members: dict[int, list[int]] = {}
    count = len(index.articles)
    for position in range(count - 1, -1, -1):  # oldest first
        leader = known.get(position)
        if leader is not None:
            story_of[position] = leader
            members.setdefault(leader, []).append(position)
            continue
        time = index.times[position]
        # earlier articles within the window lie at higher positions
        first = bisect_left(keys, -time)
        last = bisect_right(keys, -(time - window)) - 1
        best, best_score = -1, 0.0
        if first <= last:
            for other in index.candidates(position, STORY_CANDIDATES, (first, last)):
                if other <= position or other not in story_of:
                    continue  # not earlier, or a same-second article not yet placed
                leader = story_of[other]
                if time - index.times[leader] > window:
                    continue
                score = index.similarity(position, other)
                alike = score >= STORY_SIMILARITY or (
                    score >= NAMED_SIMILARITY and index.shared_names(position, other) >= SHARED_NAMES
                )
                if alike and (score > best_score or (score == best_score and other > best)):
                    best, best_score = other, score
        leader = story_of[best] if best >= 0 else position
        story_of[position] = leader
        members.setdefault(leader, []).append(position)
    stories = []
    for leader in sorted(members, reverse=True):  # by the first article's date, oldest first
        group = members[leader]
        if len(group) > 1:
            ids = tuple(index.articles[p].id for p in group)
            stories.append(Story(story_id(ids[0]), ids))
    return stories
