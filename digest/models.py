"""The content model: what the build knows about each article. No I/O here."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from . import urls

if TYPE_CHECKING:
    from .terms import RawTerms


@dataclass(frozen=True)
class Image:
    """The article's lead image as captured: words only, never the picture itself."""

    caption: str | None = None
    credit: str | None = None


class _ArticleFields(NamedTuple):
    path: str  # the file, as given to the build (for messages)
    rel_path: str  # relative to the content folder, with forward slashes
    slug: str
    title: str
    date: dt.datetime  # published, timezone-aware
    updated: dt.datetime  # last correction; equals `date` unless front matter says otherwise
    day: dt.date  # the edition it belongs to: `date` in the site's timezone
    id: str  # stable entry id for feeds
    summary: str
    body_hash: str  # of the Markdown body, which is read again only when rendered
    body_line: int
    topics: tuple[str, ...]
    topics_given: bool  # True when the curator chose them in front matter
    tags: tuple[str, ...] = ()
    source: str | None = None
    source_url: str | None = None
    author: str | None = None
    image: Image | None = None
    words: int = 0
    topic_scores: tuple[tuple[str, float], ...] = ()  # (slug, share 0..1) of chosen topics, when known
    duplicate_of: str | None = None  # id of the article this one copies (see curation.py)
    names: tuple[str, ...] = ()  # capitalised names in the summary and the body's start (terms.py)
    lang: str | None = None  # the article's language, when front matter names one
    summary_opens_body: bool = False  # the summary is the body's first words (not shown twice)
    fingerprint: str = ""  # hash of everything above: equal fingerprints show the same article
    # the raw terms of title, summary, tags and names (terms.py), found when the file is parsed:
    # derived from fields above, so left out of the fingerprint and of the hash; None: not yet
    terms: RawTerms | None = None
    # derived from the fields above whenever an article is made (`Article.__new__`): every build
    # reads them off every article, so they are made once, when the file is parsed, and cached
    url: str = ""  # site-relative URL of the article page
    sort_key: tuple[float, str, str] = (0.0, "", "")  # newest first, then by title, then by file
    updated_w3c: str = ""  # `updated` as a sitemap's `lastmod` says it (`w3c_datetime`)


_DERIVED = 3  # the last fields of `_ArticleFields`, made by `Article.__new__`


class Article(_ArticleFields):
    """One content file, validated, with everything the build derives filled in.

    A named tuple, not a dataclass: a build reads 10,000 of them from the build cache and walks
    them again and again, and a tuple is made in C and holds its fields in one block (an
    instance dict of 29 entries, per article, made reading the cache a third slower and each
    walk over the articles up to twice as slow).
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Article:
        made = _ArticleFields.__new__(cls, *args, **kwargs)
        return tuple.__new__(cls, (
            *made[:-_DERIVED], urls.article_url(made.day, made.slug),
            (-made.date.timestamp(), made.title.casefold(), made.rel_path), w3c_datetime(made.updated),
        ))

    def __reduce__(self) -> tuple[Any, ...]:
        # read back in C, as written: the derived fields are not made again
        return tuple.__new__, (Article, tuple(self))

    def _replace(self, **changes: Any) -> Article:
        """A copy with some fields changed, its derived fields made again."""
        return Article(**{**self._asdict(), **changes})

    def __hash__(self) -> int:
        return hash((self.id, self.fingerprint))  # (the terms' weights are an unhashable array)


def w3c_datetime(value: dt.datetime) -> str:
    """A moment as a W3C datetime in UTC, to the second: `2026-02-08T09:30:00Z`. Strings of this
    form sort as their moments do."""
    # through the C library's gmtime: half the cost of `astimezone(UTC).isoformat(...)` (a
    # sitemap lists every page of the site)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(value.timestamp()))


# An article's id and fingerprint, read in C: many steps read them off every article of the site.
ARTICLE_ID = attrgetter("id")
ARTICLE_FINGERPRINT = attrgetter("fingerprint")


def fingerprints_hash(articles: Sequence[Article]) -> bytes | None:
    """A hash of the articles' fingerprints (each covers every field, the id too), in order,
    made in C; None if one has no fingerprint (an article not read from a file)."""
    prints = list(map(ARTICLE_FINGERPRINT, articles))
    if "" in prints:
        return None
    return hashlib.blake2b("\0".join(prints).encode(), digest_size=16).digest()
