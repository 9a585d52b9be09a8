"""Assign topics from the keyword lists in `digest.toml`.

Keywords are matched as whole words (case-insensitive; multi-word keywords as phrases) in the
title, summary and body, weighted by where they occur. The curator's topics in front matter
always win; this only fills in articles that have none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .config import Topic

MAX_TOPICS = 3
_WORD = re.compile(r"[\w'-]+")
WEIGHTS = {"title": 3.0, "summary": 2.0, "tags": 2.0, "body": 1.0}


@dataclass(frozen=True)
class TopicScore:
    slug: str
    score: float
    matches: tuple[str, ...]


class KeywordClassifier:
    """Score articles against each topic's keywords with one pass over the words."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        self.order = {topic.slug: index for index, topic in enumerate(topics)}
        self.fallback = topics[0].slug if topics else None
        # phrase (tuple of words) -> topics it points to
        self.phrases: dict[tuple[str, ...], list[str]] = {}
        for topic in topics:
            for keyword in topic.keywords:
                words = tuple(_WORD.findall(keyword.casefold()))
                if words:
                    self.phrases.setdefault(words, []).append(topic.slug)
        self.max_len = max((len(words) for words in self.phrases), default=1)

    def score(self, fields: dict[str, str]) -> list[TopicScore]:
        """Return every topic with a positive score, best first."""
        scores: Counter[str] = Counter()
        matched: dict[str, set[str]] = {}
        for field, text in fields.items():
            weight = WEIGHTS.get(field, 1.0)
            words = _WORD.findall(text.casefold())
            for start in range(len(words)):
                for size in range(1, self.max_len + 1):
                    phrase = tuple(words[start : start + size])
                    if len(phrase) < size:
                        break
                    for slug in self.phrases.get(phrase, ()):
                        scores[slug] += weight
                        matched.setdefault(slug, set()).add(" ".join(phrase))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.order[item[0]]))
        return [TopicScore(slug, value, tuple(sorted(matched[slug]))) for slug, value in ranked]

    def assign(self, fields: dict[str, str]) -> tuple[str, ...]:
        """Pick one to three topics: the best, plus any within half of its score."""
        ranked = self.score(fields)
        if not ranked:
            return (self.fallback,) if self.fallback else ()
        best = ranked[0].score
        chosen = [item.slug for item in ranked if item.score >= best / 2][:MAX_TOPICS]
        return tuple(chosen)
