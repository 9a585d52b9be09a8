"""Weighted terms of articles and an inverted index over them, for stories and earlier coverage.

An article's terms: the words of its title (weight 3) and summary (2), folded as in
`topics.py` with stop words dropped; pairs of adjacent words there ("missile defense"); its
tags as whole terms (3); and names, runs of two or more capitalised words ("Recep Tayyip
Erdogan"), found in the summary and the first few hundred characters of the body (2). The body's
other words are left out: the summary is usually its first paragraph, and reading more costs
time at build scale. Weights are multiplied by inverse document frequency; an article's
strongest terms form a normalised vector, and the dot product of two vectors is the articles'
cosine similarity. An article's raw terms are found when its file is parsed (`find_terms`,
in the parse workers) and kept with it, in the build cache too; only the weighing by inverse
document frequency is left to each build's curation.

That weighing is done as of each article's publication (`TermIndex`): a day's new articles
change no older article's vector, so they change no older article's stories or earlier
coverage either, and their pages are not rendered again. A build keeps where its counting stood
a few days before its newest article (`Tally`): the next one, when its older articles are the
very same, takes their figures from there and counts only the newer ones.

Candidates for a comparison come from the postings of an article's strongest terms only, and
terms held by more than a small share of the archive get no postings (they tell too little
apart), never more than MAX_DF articles, so the work grows with the number of articles, never
with its square.
"""

from __future__ import annotations

import copyreg
import functools
import datetime as dt
import hashlib
import math
import pickle
import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, pairwise, repeat
from operator import attrgetter, itemgetter, neg, not_
from typing import IO, NamedTuple, TypeVar, cast

from .models import ARTICLE_ID, Article, fingerprints_hash
from .topics import fold_word

T = TypeVar("T", int, float)
Recall = Callable[[str, bytes], "array[float] | None"]  # (article id, as-of key) -> its known whole vector
LEAD_CHARS = 600
NAME_WEIGHT = 3.0  # people, places and organisations tell one event from another best
QUERY_TERMS = 40  # an article looks for neighbours through (at most) its 40 strongest searchable terms
VECTOR_TERMS = 32  # similarity uses an article's strongest shared terms only (pruned TF-IDF)
# A term held by more than 0.64% of the archive tells too little apart: it gets no postings and
# is no distinctive name. Bounded below, so that a small archive still finds its few neighbours,
# and above, so that the work per article stays bounded however large the archive grows.
MAX_DF = 64
MIN_DF = 16
DF_SHARE_ARCHIVE = 10_000  # the archive size from which MAX_DF applies (64 in 10,000)
OWN_MEMO = 4096  # whole vectors kept as dicts at a time (see `TermIndex.own_weights`)
KEY_SIZE = 16  # bytes of an as-of key
# A build's tally (`TermIndex.tally`) ends this long before its newest article: the next build
# resumes from it when its new articles are all newer, as a day's are, even dated a day or two back.
TALLY_AGE = 3 * 86400.0
WARMUP = 1000  # the oldest articles are weighed together, as of the WARMUP-th (see `TermIndex`)
_TOKEN = re.compile(r"\w+(?:[-'\u2019.&]\w+)*")
# names: runs of capitalised words ("Recep Tayyip Erdogan", "Xinhua")
_NAME = re.compile(r"[A-Z][\w'\u2019-]*(?:[ \t]+[A-Z][\w'\u2019-]*)*")
_SENTENCE_START = frozenset(".!?\"\u201c\u2018'(:#*->|")
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")  # Markdown link and image addresses: not words
_STOP_WORDS = """
a about above after again against ago all almost also although am among an and another any are
around as at back be because been before being below between both but by can could did do does
doing down during each either even ever every few for from further get got had has have having he
her here hers him his how however i if in into is it its itself just last late later least less
like made make many may me might more most much must my near never new next no nor not now of off
on once one only or other our ours out over own per perhaps put rather really said same say says
see seen she should since so some still such than that the their theirs them then there these
they this those though three through thus to today told too two under until up upon us very via
was we week weeks were what when where whether which while who whom whose why will with within
without would year years yet you your monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december mr mrs ms
percent according reported report reports including include first second former people time
well way want going take took come came day days month months left right say, told, statement
news update updated read photo image getty reuters afp ap more's
"""
STOP_WORDS = frozenset(fold_word(word.strip(",")) for word in _STOP_WORDS.split())


_FOLDED: dict[str, str | None] = {}  # raw word -> folded content word, or None for a stop word


def stem(word: str) -> str:
    """`fold_word`, then -ing and -ed cut: "suspected" meets "suspect", "shooting" "shoot"."""
    word = fold_word(word)
    if word.isalpha():
        if len(word) >= 6 and word.endswith("ing"):
            return word[:-3]
        if len(word) >= 5 and word.endswith("ed") and not word.endswith("eed"):
            return word[:-2]
    return word


def _content_word(word: str) -> str | None:
    """Stem of a word worth indexing; None for stop words, numbers and single letters."""
    folded = _FOLDED.get(word, "")
    if folded == "":
        folded = None if fold_word(word) in STOP_WORDS else stem(word)
        if folded is not None and (folded in STOP_WORDS or len(folded) < 2 or folded.isdigit()):
            folded = None
        if len(_FOLDED) < 500_000:  # a bounded memo: words repeat across articles
            _FOLDED[word] = folded
    return folded


def _opens_sentence(text: str, start: int) -> bool:
    """True when the word at `start` begins the text, a line, or a sentence (after . ! ? : " ( or a
    Markdown marker such as `## ` or `- `)."""
    head = text[max(0, start - 6) : start]
    before = head.rstrip()
    return not before or "\n" in head[len(before) :] or before[-1] in _SENTENCE_START


_NAME_TERMS: dict[str, tuple[str, ...]] = {}  # a bounded memo: names repeat across articles


def _name_terms(name: str) -> tuple[str, ...]:
    """"@word" for each word of a name, and "@first second" for each pair of neighbours:
    "Lieutenant General Vladimir Alexeyev" still meets "General Vladimir Alexeyev"."""
    words = [word for word in map(_content_word, _TOKEN.findall(name)) if word]
    terms = tuple([f"@{word}" for word in words] + [f"@{a} {b}" for a, b in pairwise(words)])
    if len(_NAME_TERMS) < 200_000:
        _NAME_TERMS[name] = terms
    return terms


def find_names(summary: str, body: str) -> tuple[str, ...]:
    """Names in the summary and the start of the body: runs of capitalised words, except one
    word opening a sentence. Found when a content file is read, and kept with its article."""
    found: dict[str, None] = {}
    for text in (summary, _LINK_TARGET.sub("]", body[:LEAD_CHARS])):
        for match in _NAME.finditer(text):
            name = match.group()
            if " " not in name and _opens_sentence(text, match.start()):
                continue  # one capitalised word opening a sentence: no sign of a name
            found[name] = None
    return tuple(found)


def _content_words(text: str) -> list[str | None]:
    """`_content_word` of each word of a text, in order."""
    words = _TOKEN.findall(text)
    found = list(map(_FOLDED.get, words, repeat("")))  # the memo, read in C: most words are in it
    if "" in found:
        found = [word if word != "" else _content_word(raw) for word, raw in zip(found, words)]
    return found


def _sum_weights(title: str, summary: str, tags: Sequence[str], names: Sequence[str]) -> dict[str, float]:
    """Each term of an article and its summed weight, in the order the terms were found."""
    weights: dict[str, float] = {}
    get = weights.get
    for text, weight in ((title, 3.0), (summary, 2.0)):
        previous = None
        for word in _content_words(text):
            if word is None:
                previous = None
                continue
            weights[word] = get(word, 0.0) + weight
            if previous is not None:
                pair = f"{previous} {word}"
                weights[pair] = get(pair, 0.0) + weight
            previous = word
    for tag in tags:
        words = [word for word in _content_words(tag) if word]
        if words:
            term = "#" + " ".join(words)
            weights[term] = get(term, 0.0) + 3.0
            for word in words:
                weights[word] = get(word, 0.0) + 1.5
    name_terms: set[str] = set()
    for name in names:
        terms = _NAME_TERMS.get(name)
        name_terms.update(terms if terms is not None else _name_terms(name))
    for term in name_terms:
        weights[term] = get(term, 0.0) + NAME_WEIGHT
    return weights


_DAMPED: dict[float, float] = {}  # summed weight -> damped weight (sums of a few weights: few values)


def _damp(weights: Iterable[float]) -> list[float]:
    """A word met again (in another field, or twice) helps less than a new one: 1 + log(weight)."""
    sums = list(weights)
    damped = list(map(_DAMPED.get, sums, repeat(0.0)))  # the memo, read in C (0.0: not in it)
    if 0.0 in damped:
        damped = [weight if weight <= 1.0 else 1.0 + math.log(weight) for weight in sums]
        if len(_DAMPED) < 10_000:
            _DAMPED.update(zip(sums, damped))
    return damped


def extract_terms(title: str, summary: str, tags: Sequence[str], names: Sequence[str]) -> dict[str, float]:
    """Raw term weights of one article (before inverse document frequency)."""
    weights = _sum_weights(title, summary, tags, names)
    return dict(zip(weights, _damp(weights.values())))


def find_terms(title: str, summary: str, tags: Sequence[str], names: Sequence[str]) -> RawTerms:
    """`extract_terms` in the compact form kept with an article."""
    weights = _sum_weights(title, summary, tags, names)
    return _shared_terms(weights.keys(), array("d", _damp(weights.values())))


def _shared_terms(terms: Iterable[str], weights: array[float]) -> RawTerms:
    """RawTerms whose terms are interned: every article holding "police" points at one string."""
    return tuple.__new__(RawTerms, (tuple(map(sys.intern, terms)), weights))


def _kept_terms(terms: tuple[str, ...], weights: array[float]) -> RawTerms:
    """RawTerms read back from the build cache: not interned again (see `cache_pickler`)."""
    return tuple.__new__(RawTerms, (terms, weights))


def cache_pickler(stream: IO[bytes], protocol: int) -> pickle.Pickler:
    """A pickler for a file of the build cache: equal terms of its articles are written once
    and read back shared, without interning each term of each article again (a quarter of the
    time it takes to read 10,000 cached articles). Terms are then shared within a file, not
    across files: a few MiB more at 10,000 articles."""
    seen: dict[str, str] = {}

    def reduce(raw: RawTerms) -> tuple[Callable[..., RawTerms], tuple[object, ...]]:
        # equal terms become one object, so the pickle's memo writes each once (articles read
        # from the cache hold each file's own strings, and new ones interned strings)
        return _kept_terms, (tuple([seen.setdefault(term, term) for term in raw.terms]), raw.weights)

    pickler = pickle.Pickler(stream, protocol)
    pickler.dispatch_table = {**copyreg.dispatch_table, RawTerms: reduce}
    return pickler


class Tally(NamedTuple):
    """How a build's weighing stood a few days before its newest article (`TermIndex.tally`),
    kept for the next build: a day's increment then counts its newest articles only."""

    covered: int  # articles counted, the oldest
    identity: bytes  # `models.fingerprints_hash` of them
    keys: bytes  # their as-of keys, oldest first, KEY_SIZE bytes each
    df: dict[str, int]  # document frequencies over all of them


class RawTerms(NamedTuple):
    """An article's raw terms in a compact form, kept with the article from parsing on.

    Two flat sequences instead of a dict (dicts of ~32 terms on 100,000 articles would hold some
    200 MiB for the whole build); the terms are interned, also when unpickled from a worker or
    the build cache, so each distinct term is held once.
    """

    terms: tuple[str, ...]  # in the order `extract_terms` found them
    weights: array[float]  # the weight of each term, as a C double

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # interned where unpickled too: results from each parse worker, and the build cache,
        # come with strings of their own
        return _shared_terms, (self.terms, self.weights)


def article_terms(article: Article) -> RawTerms:
    """The raw terms of an article: found when its file was parsed, or now from its fields."""
    found = article.terms
    if found is None:
        found = find_terms(article.title, article.summary, article.tags, article.names)
    return found


def weigh_terms(
    terms: Sequence[str], weights: Sequence[float], df: Mapping[str, int], count: int
) -> tuple[dict[str, float], array[float]]:
    """An article's TF-IDF vector as of a time when `count` articles were published and `df`
    held each term's document frequency, normalised to length 1: in full (aligned with `terms`),
    and pruned to its VECTOR_TERMS strongest terms that other articles hold too (only those can
    match), strongest first when pruned."""
    held = list(map(df.__getitem__, terms))
    logs = _logs(count + 1)
    top = logs[count + 1]
    # smoothed: a term every article holds still counts a little (two articles can match)
    values = [weight * (top - logs[n]) for weight, n in zip(weights, held)]
    # the length counts every term, but only terms other articles share can match
    norm = math.sqrt(sum([value * value for value in values])) or 1.0
    # single precision: plenty to rank by, and half the memory of the vectors the build cache keeps
    # (`curation.Memo`); every comparison reads these very values, remembered or made anew
    full = array("f", [value / norm for value in values])
    kept = [(term, value) for term, value, n in zip(terms, full, held) if n > 1]
    if len(kept) > VECTOR_TERMS:
        # strongest first; the sort is stable, so equal weights keep the article's term order
        kept = sorted(kept, key=itemgetter(1), reverse=True)[:VECTOR_TERMS]
    return dict(kept), full


_LOGS = [0.0, 0.0]  # math.log(n) by n (index 0 unused), grown as archives need


def _logs(upto: int) -> list[float]:
    """A table of natural logarithms up to `upto`: a list read is cheaper than a call per term."""
    if len(_LOGS) <= upto:
        _LOGS.extend(math.log(n) for n in range(len(_LOGS), upto + 1))
    return _LOGS


@dataclass
class TermIndex:
    """Articles' terms weighed as of each article's publication, and postings of their terms.

    Every figure of an article is frozen when it is published: its inverse document
    frequencies come from the articles published up to then (same-time articles included),
    and it is only ever compared with those. So a day's new articles leave every older
    article's stories and earlier coverage as they were, in any later build: old pages stay
    the same, and a clean build agrees with an incremental one. The similarity of two articles
    is the dot product of their vectors, each as it was when its article was published.

    The oldest WARMUP articles are weighed together, as of the last of them: a handful of
    articles tells common words from rare ones badly. So an archive smaller than that is
    weighed as a whole, as of its newest article.
    """

    articles: Sequence[Article]
    vectors: list[dict[str, float]]  # pruned vector (see `weigh_terms`), by position
    queries: list[list[str]]  # each article's strongest terms that were searchable when it was published
    postings: dict[str, list[int]]  # term -> positions of its (at most MAX_DF) oldest holders, ascending
    times: list[float]  # article timestamps, by position
    names: list[frozenset[str]]  # each article's distinctive names when it was published
    weights: dict[str, list[float]]  # term -> its weight in each article of its postings
    raw: Sequence[RawTerms] = ()
    full: list[array[float]] = field(default_factory=list)  # each article's whole vector, aligned with `raw`
    # each article's as-of key: a hash of every article it was weighed with, so a result computed
    # for the article holds in any build that gives it the same key (see `curation.curate`)
    asof: list[bytes] = field(default_factory=list)
    searched: set[int] = field(default_factory=set)  # positions weighed in this build (not known)
    # (first position, document frequencies) where the tally ends (see `tally`)
    _tallied: tuple[int, dict[str, int]] | None = field(default=None, repr=False)
    _similar: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)
    _own: dict[int, dict[str, float]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, articles: Sequence[Article], raw: Sequence[RawTerms] | None = None, known: Recall | None = None,
        tally: Tally | None = None,
    ) -> TermIndex:
        """Index articles (newest first); `raw` may give precomputed `article_terms` (same order).

        `known(article id, as-of key)`: the article's whole vector as an earlier build weighed
        it with that key, or None. Such an article is not weighed again, nor searched from
        (`searched` holds the others): its results stand too (see `curation.curate`).
        `tally`: where an earlier build's weighing ended (`TermIndex.tally`); when its articles
        are exactly the oldest here, and `known` has each of them, they are not counted again.
        """
        if raw is None:
            raw = list(map(_TERMS, articles))  # found when their files were parsed, nearly always
            if None in raw:
                raw = [article_terms(article) for article in articles]
        count = len(articles)
        times = list(map(dt.datetime.timestamp, map(_DATE, articles)))
        index = cls(articles, [{}] * count, [[]] * count, {}, times, [frozenset()] * count, {}, raw,
                    [array("f")] * count, [b""] * count)
        resumed = index._resume(tally, known) if tally is not None and known is not None else None
        # the articles counted already are the oldest: positions from `end` on
        end, df, previous = resumed or (count, Counter(), b"")
        mark = _tally_mark(times)  # where this build's tally ends (see `tally`)
        if tally is not None and resumed is not None and (mark is None or mark >= end):
            index._tallied = (end, tally.df)  # it ends among the articles resumed: it stands as it was
        # each group's as-of key chains the last group's key with the group's articles
        hasher = hashlib.blake2b(previous, digest_size=KEY_SIZE)
        waiting: list[int] = []  # positions counted in `df`, not yet weighed: oldest first
        for first, last in _same_time_runs(times[:end]):  # oldest first
            for position in range(last, first - 1, -1):
                df.update(raw[position].terms)
                hasher.update(_identity(articles[position]))
                waiting.append(position)
            published = count - first  # every article up to this time, the run included
            if published < WARMUP and first > 0:
                continue  # a young archive tells common words from rare ones badly: wait
            key = hasher.digest()
            hasher = hashlib.blake2b(key, digest_size=KEY_SIZE)
            if first == mark:
                index._tallied = (first, dict(df))
            for position in waiting:
                index.asof[position] = key
                vector = known(articles[position].id, key) if known is not None else None
                if vector is None:
                    index._place(position, df, published)
                    index.searched.add(position)
                else:
                    index.full[position] = vector
            waiting.clear()
        index._post()
        return index

    @functools.cached_property
    def ascending(self) -> list[float]:
        """The timestamps negated: positions are newest first, so these ascend, for bisect
        (stories and earlier coverage look up time windows in them)."""
        return list(map(neg, self.times))

    def _resume(self, tally: Tally, known: Recall) -> tuple[int, Counter[str], bytes] | None:
        """Take the oldest articles' as-of keys, vectors and document frequencies from an earlier
        build's tally, when they are exactly the articles it counted (a day's increment adds
        newer ones): (the newest position it covers, the frequencies, that article's key).
        None when it does not apply, or `known` lacks one of them: then all are counted."""
        count, covered = len(self.articles), tally.covered
        end = count - covered  # the newest article the tally covers
        times = self.times
        # below WARMUP its articles were weighed as one group, which a newer article joins; and
        # an article sharing the newest one's time would have joined that one's group
        if covered < WARMUP or end < 0 or (end > 0 and times[end - 1] == times[end]) \
                or len(tally.keys) != covered * KEY_SIZE:
            return None
        older = self.articles[end:]
        if fingerprints_hash(older) != tally.identity:
            return None
        blob = tally.keys  # oldest first
        keys = [blob[start : start + KEY_SIZE] for start in range(len(blob) - KEY_SIZE, -1, -KEY_SIZE)]
        vectors = list(map(known, map(ARTICLE_ID, older), keys))
        if None in vectors:
            return None  # its vector as of then needs the frequencies as of then
        self.asof[end:] = keys
        self.full[end:] = cast("list[array[float]]", vectors)  # none is None (above)
        return end, Counter(tally.df), keys[0]

    def tally(self) -> Tally | None:
        """Where this index's weighing stood TALLY_AGE before its newest article, for a later
        build to resume from (see `build`); None in a young archive, or with articles that
        have no fingerprint."""
        if self._tallied is None:
            return None
        end, df = self._tallied
        covered = self.articles[end:]
        identity = fingerprints_hash(covered)
        if identity is None or len(covered) < WARMUP:
            return None
        return Tally(len(covered), identity, b"".join(reversed(self.asof[end:])), df)

    def _place(self, position: int, df: Mapping[str, int], published: int) -> None:
        """Weigh an article as of `published` articles with document frequencies `df`."""
        terms, raw_weights = self.raw[position]
        vector, values = weigh_terms(terms, raw_weights, df, published)
        self.vectors[position], self.full[position] = vector, values
        limit = max(MIN_DF, min(MAX_DF, published * MAX_DF // DF_SHARE_ARCHIVE))
        useful = [term for term in vector if df[term] <= limit]
        # strongest first; the sort is stable, so equal weights keep the vector's term order
        self.queries[position] = sorted(useful, key=vector.__getitem__, reverse=True)[:QUERY_TERMS]
        self.names[position] = frozenset([term for term in useful if term[0] == "@"])

    def _post(self) -> None:
        """Postings of every term some searched article queries, in ascending positions.

        A term's oldest MAX_DF holders are all a later article can search (once more hold it, it
        tells too little apart), so no list grows longer.
        """
        wanted: set[str] = set().union(*(self.queries[position] for position in self.searched))
        postings, weights, raw, full, common = self.postings, self.weights, self.raw, self.full, wanted.intersection
        # oldest first, and only articles holding a wanted term, told in C (`wanted` is read as
        # the loop goes): once the searched articles are few (a day's increment), most hold none
        holding = compress(range(len(raw) - 1, -1, -1), map(not_, map(wanted.isdisjoint, map(_FIRST, reversed(raw)))))
        for position in holding:
            terms, values = raw[position].terms, full[position]
            # found in C: most terms of most articles are no query's, or their lists are full;
            # each term is once in an article, so the order they come in changes no list
            for term in common(terms):
                value = values[terms.index(term)]
                holders = postings.get(term)
                if holders is None:
                    postings[term], weights[term] = [position], [value]
                    continue
                holders.append(position)
                weights[term].append(value)
                if len(holders) == MAX_DF:
                    wanted.discard(term)
        for holders in postings.values():
            holders.reverse()
        for scores in weights.values():
            scores.reverse()

    def own_weights(self, position: int) -> dict[str, float]:
        """An article's whole vector, as a dict (a few thousand remembered: stories compare
        articles days apart, so the same ones again and again)."""
        own = self._own.get(position)
        if own is None:
            if len(self._own) >= OWN_MEMO:
                self._own.clear()
            own = self._own[position] = dict(zip(self.raw[position].terms, self.full[position]))
        return own

    def similarity(self, a: int, b: int) -> float:
        """Cosine similarity of two indexed articles: the newer one's pruned vector with the older
        one's whole vector (remembered: stories and related both ask)."""
        pair = (a, b) if a < b else (b, a)
        score = self._similar.get(pair)
        if score is None:
            newer, older = self.vectors[pair[0]], self.own_weights(pair[1])
            # fsum is exact: the result does not depend on the (hash) order of the common terms
            score = self._similar[pair] = math.fsum([newer[term] * older[term] for term in newer.keys() & older.keys()])
        return score

    def shared_names(self, a: int, b: int) -> int:
        """How many of the newer article's distinctive names the older one holds too."""
        newer, older = (a, b) if a < b else (b, a)
        return len(self.names[newer] & self.own_weights(older).keys())

    def neighbours(self, position: int, limit: int, start: int = 0) -> list[tuple[int, float]]:
        """Up to `limit` (article, score) pairs, best first: the dot product over this article's
        query terms, summed along their postings in one pass (no pair is compared on its own).

        `start` keeps only articles from that position of the index on. Terms that held too
        little apart when the article was published add nothing here, so the score can be a
        little under the cosine `similarity`.
        """
        vector = self.vectors[position]
        postings, weights = self.postings, self.weights
        scores: dict[int, float] = {}
        get = scores.get
        for term in self.queries[position]:
            holders = postings[term]
            first = bisect_left(holders, start) if start else 0
            if len(holders) - first < 2:
                continue  # only this article itself
            mine = vector[term]
            for other, theirs in zip(holders[first:], weights[term][first:]):
                scores[other] = get(other, 0.0) + mine * theirs
        scores.pop(position, None)
        # query terms are taken in a fixed order, so each sum is the same in every run
        return best_of(scores, limit)

    def candidates(self, position: int, limit: int, span: tuple[int, int] | None = None) -> list[int]:
        """Up to `limit` articles sharing the most query terms with this one (never itself).

        `span` (first, last position) keeps only articles in that range of the index.
        """
        postings = self.postings
        first, last = span if span is not None else (0, len(self.times) - 1)
        if span is None:
            lists = [postings[term] for term in self.queries[position]]
        else:
            lists = [holders[bisect_left(holders, first) : bisect_right(holders, last)]
                     for holders in map(postings.__getitem__, self.queries[position])]
        if first <= position <= last and sum(map(len, lists)) == len(lists):
            return []  # each list holds this article alone (the usual case in a short span)
        shared = Counter(chain.from_iterable(lists))
        shared.pop(position, None)
        # Counter keeps insertion order (query terms, then positions), so ties are stable
        return [other for other, _ in best_of(shared, limit)]


def _identity(article: Article) -> bytes:
    """What an article's as-of key takes from it: its id and its fingerprint (a hash of every
    field, curation's inputs among them), or those inputs themselves where it has none."""
    shown = article.fingerprint or repr((article.title, article.summary, article.tags, article.names, article.date))
    return f"{article.id}\0{shown}\0".encode()


_DATE = attrgetter("date")
_TERMS = attrgetter("terms")
_FIRST = itemgetter(0)


def _tally_mark(times: Sequence[float]) -> int | None:
    """The position (newest first) where a build's tally ends: the newest article at least
    TALLY_AGE older than the newest of all, which begins a run of its time; None if none is."""
    if not times:
        return None
    cutoff = times[0] - TALLY_AGE
    position = 0
    while position < len(times) and times[position] > cutoff:
        position += 1
    return position if position < len(times) else None


def _same_time_runs(times: Sequence[float]) -> Iterator[tuple[int, int]]:
    """(first, last) positions of each run of articles sharing a time, oldest run first (the
    positions are newest first)."""
    last = len(times) - 1
    while last >= 0:
        first = last
        while first > 0 and times[first - 1] == times[last]:
            first -= 1
        yield first, last
        last = first - 1


def best_of(scores: dict[int, T], limit: int) -> list[tuple[int, T]]:
    """The `limit` (position, score) items of highest score, best first, then by position.

    Which items make the cut among equal scores goes by the dict's order (as `heapq.nlargest`
    and `Counter.most_common` do), but sorting in C: twice as fast on these small dicts.
    """
    best = sorted(scores.items(), key=itemgetter(1), reverse=True)[:limit]
    best.sort(key=itemgetter(0))
    best.sort(key=itemgetter(1), reverse=True)  # stable: equal scores stay in position order
    return best
