"""Give articles one to three topics, with scores, from the vocabulary in `digest.toml`.

Each topic's `keywords` are words or phrases, matched as whole words after case folding and a
light plural folding ("elections" matches "election"). A match earns points:

    field weight (title 3, tags 3, summary 2, body 1)
  x keyword weight (1 / the number of topics that list the keyword; phrases count 1.5x per
    extra word, being less ambiguous)
  x (1 + ln(occurrences in that field))  -- repetition helps, but with diminishing returns

A topic's score is its points; its share is points / all topics' points. The best topic is
always chosen; the second and third when they reach half of the best and a minimum of evidence.
The curator's topics in front matter always win over this (see `content.py`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import TypeVar

from .config import Topic
from .memo import BoundedMemo

MAX_TOPICS = 3
FIELD_WEIGHTS: Mapping[str, float] = {"title": 3.0, "tags": 3.0, "summary": 2.0, "body": 1.0}
SECOND_RATIO = 0.5  # a further topic needs this share of the best topic's points...
SECOND_MIN_POINTS = 3.0  # ...and at least this many points (one title match)
PHRASE_BONUS = 0.5  # extra weight per word beyond the first in a multi-word keyword
# Possessive quantifiers: a word never gives characters back (what follows one is never a word
# character), so the matches are those of the plain pattern, found without futile backtracking
_TOKEN = re.compile(r"\w++(?:[-'\u2019.&]\w++)*+")
FOLD_CACHE_SIZE = 65536
T = TypeVar("T")


def fold_word(word: str) -> str:
    """Fold case, possessives and regular plurals, the same way for text and keywords."""
    word = word.casefold()
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Words of a text, folded (hyphenated words and abbreviations such as U.S. stay whole)."""
    return list(map(_FOLDED.__getitem__, _TOKEN.findall(text)))


def fold_cache() -> BoundedMemo[str, str]:
    """fold_word of each spelling, computed once: news text repeats its words."""
    return BoundedMemo(fold_word, FOLD_CACHE_SIZE)


_FOLDED = fold_cache()


class StartCache(BoundedMemo[str, bool]):
    """Whether each spelling, once folded, starts a keyword; bounded like `_FOLDED`.

    The classifier asks this of every word of every article: one dict lookup per word, where
    folding each word and then looking it up among the keyword starts took two.
    """

    def __init__(self, starts: set[str]) -> None:
        super().__init__(self.starts_keyword, FOLD_CACHE_SIZE)
        self.starts = starts

    def starts_keyword(self, word: str) -> bool:
        return _FOLDED[word] in self.starts


_START_CACHES: dict[frozenset[str], StartCache] = {}


def start_cache(starts: frozenset[str]) -> StartCache:
    """The StartCache of one set of keyword starts, shared by the classifiers that have it.

    Ingest builds a classifier per run; like `_FOLDED`'s, the answers outlive it (they depend
    on the spelling and the starts only). A few taxonomies at most are kept.
    """
    cache = _START_CACHES.get(starts)
    if cache is None:
        if len(_START_CACHES) >= 4:
            _START_CACHES.clear()
        cache = _START_CACHES[starts] = StartCache(set(starts))
    return cache


@dataclass(frozen=True, slots=True)
class Match:
    """One keyword found in one field of an article, and what it earned."""

    keyword: str
    field: str
    count: int
    weight: float  # the keyword's weight
    points: float  # field weight x keyword weight x (1 + ln count)


@dataclass(frozen=True, slots=True)
class TopicScore:
    slug: str
    points: float
    share: float  # points / every topic's points, 0..1
    matches: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class Classification:
    """The chosen topics (best first) and the evidence for every topic that scored."""

    topics: tuple[str, ...]
    scores: tuple[TopicScore, ...]  # best first
    fallback: bool = False  # nothing matched: the taxonomy's first topic was used

    def shares(self) -> tuple[tuple[str, float], ...]:
        """(slug, share) of the chosen topics, shares rounded to two decimals."""
        by_slug = {score.slug: score.share for score in self.scores}
        return tuple((slug, round(by_slug.get(slug, 0.0), 2)) for slug in self.topics)


class TopicClassifier:
    """Score articles against a taxonomy's vocabulary; build once, classify many."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        self.order = {topic.slug: index for index, topic in enumerate(topics)}
        self.fallback = topics[0].slug if topics else None
        owners: dict[tuple[str, ...], list[str]] = {}
        spelled: dict[tuple[str, ...], str] = {}
        for topic in topics:
            for keyword in topic.keywords:
                phrase = tuple(tokenize(keyword))
                if not phrase:
                    continue
                spelled.setdefault(phrase, keyword)
                if topic.slug not in owners.setdefault(phrase, []):
                    owners[phrase].append(topic.slug)
        # phrase length -> phrase -> (keyword as written, weight, topics)
        self.vocabulary: dict[int, dict[tuple[str, ...], tuple[str, float, tuple[str, ...]]]] = {}
        for phrase, slugs in owners.items():
            weight = (1.0 + PHRASE_BONUS * (len(phrase) - 1)) / len(slugs)
            self.vocabulary.setdefault(len(phrase), {})[phrase] = (spelled[phrase], weight, tuple(slugs))
        # the words longer phrases begin with: only runs starting with one are counted
        self.starts = {size: {phrase[0] for phrase in phrases} for size, phrases in self.vocabulary.items()}
        self.opens = start_cache(frozenset().union(*self.starts.values()))

    def find_matches(self, fields: Mapping[str, str]) -> dict[str, list[Match]]:
        """Every keyword match, grouped by topic."""
        return self._find(fields, Match)

    def _find(
        self, fields: Mapping[str, str], record: Callable[[str, str, int, float, float], T],
    ) -> dict[str, list[T]]:
        """What `record(keyword, field, count, weight, points)` makes of each match, by topic."""
        found: dict[str, list[T]] = {}
        for field, text in fields.items():
            if not text:
                continue
            field_weight = FIELD_WEIGHTS.get(field, 1.0)
            # only runs that start with a keyword's first word are built: most words start none.
            # One pass over the spellings finds those that start any keyword (as `tokenize` would
            # fold them); only these, and the words after them, are folded and looked at again
            spellings = _TOKEN.findall(text)
            at = list(compress(range(len(spellings)), map(self.opens.__getitem__, spellings)))
            if not at:
                continue
            fold = _FOLDED.__getitem__
            firsts = list(map(fold, map(spellings.__getitem__, at)))
            for size, phrases in self.vocabulary.items():
                grams: Counter[tuple[str, ...]]
                if size == 1:  # the commonest: one-word runs are the words themselves
                    grams = Counter(zip(compress(firsts, map(self.starts[1].__contains__, firsts))))
                else:
                    last = len(spellings) - size  # the last position a run of `size` words fits
                    starting = compress(at, map(self.starts[size].__contains__, firsts))
                    grams = Counter(tuple(map(fold, spellings[i : i + size])) for i in starting if i <= last)
                for phrase in phrases.keys() & grams.keys():
                    keyword, weight, slugs = phrases[phrase]
                    count = grams[phrase]
                    points = field_weight * weight * (1.0 + math.log(count))
                    for slug in slugs:
                        found.setdefault(slug, []).append(record(keyword, field, count, weight, points))
        return found

    def classify(self, fields: Mapping[str, str], explain: bool = True) -> Classification:
        """Score every topic and choose one to three; `fields` maps title/summary/tags/body to text.

        With `explain=False` the scores carry no matches (ingest keeps only the topics and their
        shares); the points, shares and choice are the same, summed in the same order.
        """
        if explain:
            found = self.find_matches(fields)
            points = {slug: sum(match.points for match in matches) for slug, matches in found.items()}
        else:
            points = {slug: sum(earned) for slug, earned in self._find(fields, _keep_points).items()}
        total = sum(points.values())
        ranked = sorted(points, key=lambda slug: (-points[slug], self.order.get(slug, len(self.order))))
        scores = tuple(
            TopicScore(
                slug, round(points[slug], 3), points[slug] / total if total else 0.0,
                tuple(sorted(found[slug], key=lambda m: (-m.points, FIELD_ORDER.get(m.field, 9), m.keyword)))
                if explain else (),
            )
            for slug in ranked
        )
        if not scores:
            return Classification((self.fallback,) if self.fallback else (), (), fallback=True)
        best = scores[0].points
        chosen = [scores[0].slug] + [
            score.slug for score in scores[1:]
            if score.points >= best * SECOND_RATIO and score.points >= SECOND_MIN_POINTS
        ]
        return Classification(tuple(chosen[:MAX_TOPICS]), scores)


FIELD_ORDER = {name: index for index, name in enumerate(FIELD_WEIGHTS)}


def _keep_points(keyword: str, field: str, count: int, weight: float, points: float) -> float:
    """A match's points alone: a `Match` per match was a tenth of classifying for ingest."""
    return points


def article_fields(title: str, summary: str, tags: Iterable[str], body: str) -> dict[str, str]:
    """The fields the classifier reads, in the shape it expects."""
    return {"title": title, "tags": " ; ".join(tags), "summary": summary, "body": body}
