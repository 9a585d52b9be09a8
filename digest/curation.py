"""Curation computed once per build on the article list: duplicates, stories, earlier coverage.

`curate` is pure and deterministic: the same articles give the same result in every build. It
runs inside `collate_site`, before articles are grouped, and the views read its plain results.

An article's story and earlier coverage depend only on the articles published up to it (see
`terms.TermIndex`), summed up in its as-of key. A build hands its results to the next one (a
`Memo`, in the build cache): articles whose key is unchanged keep them without a search, so a
day's increment searches for its new articles only.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import filterfalse
from operator import attrgetter
from typing import NamedTuple

from .errors import SourceError
from .executor import run_apart
from .models import ARTICLE_ID, Article
from .related import find_related
from .stories import Story, find_stories
from .terms import Tally, TermIndex


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An article file recorded as a copy of another (`duplicate_of`): not published itself."""

    id: str
    title: str
    source: str | None
    source_url: str | None
    path: str


class Remembered(NamedTuple):
    """What a build found for one article, for the next build (see `curate`)."""

    key: bytes  # its as-of key (`TermIndex.asof`)
    leader: str  # id of its story's first article (its own id when it starts one)
    related: tuple[str, ...]  # its earlier coverage
    vector: array[float]  # its whole term vector (`TermIndex.full`)


Memo = dict[str, Remembered]  # article id -> what the last build found for it


@dataclass
class Curation:
    articles: list[Article]  # published articles, in the given order; duplicates folded away
    stories: list[Story] = field(default_factory=list)
    story_of: dict[str, Story] = field(default_factory=dict)  # article id -> its story
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article id -> related ids
    duplicates: dict[str, tuple[Duplicate, ...]] = field(default_factory=dict)  # original id -> copies
    warnings: list[str] = field(default_factory=list)
    memo: Memo = field(default_factory=dict, repr=False)  # for the next build
    tally: Tally | None = field(default=None, repr=False)  # for the next build (`TermIndex.tally`)


def curate(articles: Sequence[Article], memo: Memo | None = None, tally: Tally | None = None) -> Curation:
    """Fold duplicates into their originals, then find stories and related articles.

    `articles` must be newest first (the site's order); positions in that order drive the
    time windows of stories. `memo`: the last build's results (`Curation.memo`), reused for
    articles whose as-of key is unchanged, and this build's are returned for the next (the result
    is the same with or without it); None: no memo at all, neither read nor made (a build without
    a cache, where it would only cost time and memory). `tally`: where the last build's weighing
    ended (`Curation.tally`), which spares counting its articles again when they are the oldest.
    """
    published, duplicates, warnings = fold_duplicates(articles)
    last = memo or {}

    def known(article_id: str, key: bytes) -> array[float] | None:
        found = last.get(article_id)
        return found.vector if found is not None and found.key == key else None

    index = TermIndex.build(published, known=known if last else None, tally=tally if last else None)
    leaders, lists = recall(index, last)
    stories = find_stories(index, leaders)
    story_of = {member: story for story in stories for member in story.members}
    related = find_related(index, {member: story.id for member, story in story_of.items()}, known=lists)
    if memo is None:
        return Curation(published, stories, story_of, related, duplicates, warnings)
    remembered = remember(index, story_of, related, last)
    return Curation(published, stories, story_of, related, duplicates, warnings, remembered, index.tally())


def remember(
    index: TermIndex, story_of: dict[str, Story], related: dict[str, tuple[str, ...]], last: Memo,
) -> Memo:
    """This build's memo: the last one's very entries where they stand (the cache then sees
    their shard is unchanged), new ones for the articles searched from."""
    ids = list(map(ARTICLE_ID, index.articles))
    # every article's entry from the last memo first (in C), then the searched ones' new entries
    memo: Memo = dict(zip(ids, map(last.get, ids)))  # type: ignore[arg-type]
    for place in sorted(index.searched):
        article_id = ids[place]
        story = story_of.get(article_id)
        leader = story.members[0] if story is not None else article_id
        memo[article_id] = Remembered(index.asof[place], leader, related.get(article_id, ()), index.full[place])
    return memo


def recall(index: TermIndex, memo: Memo) -> tuple[dict[int, int], dict[int, tuple[str, ...]]]:
    """The story leader and earlier coverage (by position) of every article the index did not
    search from: the last build's, found with the same as-of key."""
    ids = list(map(ARTICLE_ID, index.articles))
    position = dict(zip(ids, range(len(ids))))
    # in C: every article but the few a day's increment searches
    places = list(filterfalse(index.searched.__contains__, range(len(ids))))
    found = list(map(memo.__getitem__, map(ids.__getitem__, places)))
    leaders = dict(zip(places, map(position.__getitem__, map(_LEADER, found))))
    return leaders, dict(zip(places, map(_RELATED, found)))


_LEADER = attrgetter("leader")
_RELATED = attrgetter("related")
_DUPLICATE_OF = attrgetter("duplicate_of")


APART_FROM = 20_000  # archives this large are curated in a child process (see `curate_apart`)


def curate_apart(
    articles: Sequence[Article], memo: Memo | None = None, tally: Tally | None = None, apart_from: int = APART_FROM,
) -> Curation:
    """`curate`, in a forked child process for a large archive.

    Curation's working memory (terms, vectors, postings: several times the articles' own size)
    then dies with the child instead of fragmenting the heap the page workers fork from: at
    100,000 articles that keeps hundreds of MiB out of every worker. Only the results come back;
    the published articles are this process's own objects. Below APART_FROM the fork costs more
    time (the child copies the pages it touches) than the memory it saves is worth.
    """
    if len(articles) < apart_from:
        return curate(articles, memo, tally)

    last = memo or {}

    def work() -> tuple[Curation, list[int]]:
        found = curate(articles, memo, tally)
        published = {article.id for article in found.articles}
        kept = [position for position, article in enumerate(articles) if article.id in published]
        # only the memo's new entries travel back: the others are this process's own already
        fresh = {key: entry for key, entry in found.memo.items() if last.get(key) is not entry}
        return replace(found, articles=[], memo=fresh), kept

    found, kept = run_apart(work)
    published = [articles[position] for position in kept]
    if memo is None:
        return replace(found, articles=published)
    fresh = found.memo
    remembered = {article.id: fresh[article.id] if article.id in fresh else last[article.id] for article in published}
    return replace(found, articles=published, memo=remembered)


def curation_inputs(article: Article) -> tuple[object, ...]:
    """Everything of an article that curation reads: while it is unchanged, so is the curation."""
    return (article.id, article.date, article.title, article.summary, article.tags, article.names,
            article.duplicate_of, article.source, article.source_url)


def fold_duplicates(
    articles: Sequence[Article],
) -> tuple[list[Article], dict[str, tuple[Duplicate, ...]], list[str]]:
    """Split off articles marked `duplicate_of` an article that is published.

    A copy of a copy joins the first original. A copy whose original is missing (deleted, a
    draft, or a mistyped id) stays published, with a warning saying so.
    """
    copies: dict[str, list[Duplicate]] = {}
    published: list[Article] = []
    warnings: list[str] = []
    if list(map(_DUPLICATE_OF, articles)).count(None) == len(articles):  # told in C: nearly always
        return list(articles), {}, []
    by_id = dict(zip(map(ARTICLE_ID, articles), articles))
    for article in articles:
        if article.duplicate_of is None:  # nearly every article: no chain to follow
            published.append(article)
            continue
        original = find_original(article, by_id)
        if original is None:
            warnings.append(str(SourceError(
                article.path, None,
                f"`duplicate_of: {article.duplicate_of}` names no published article, so this "
                f"one is published on its own; correct the id or remove `duplicate_of`",
            )))
            published.append(article)
            continue
        copies.setdefault(original.id, []).append(
            Duplicate(article.id, article.title, article.source, article.source_url, article.rel_path)
        )
    duplicates = {
        original: tuple(sorted(found, key=lambda d: d.path)) for original, found in copies.items()
    }
    return published, duplicates, warnings


def find_original(article: Article, by_id: dict[str, Article]) -> Article | None:
    """The published article this one copies, following chains; None if it is no copy."""
    seen = {article.id}
    current = article
    while current.duplicate_of is not None:
        target = by_id.get(current.duplicate_of)
        if target is None or target.id in seen:
            return None  # missing, or a loop: nothing to fold into
        seen.add(target.id)
        current = target
    return current if current is not article else None
