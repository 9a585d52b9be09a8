"""Group articles into the site's shape: editions by day, topics, months and years."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter

from .config import Config, Topic
from .curation import Curation, Memo, curate_apart
from .errors import BuildAborted, DigestError, SourceError, display_path
from .models import ARTICLE_FINGERPRINT, ARTICLE_ID, Article
from .terms import Tally


@dataclass(frozen=True)
class Section:
    """One topic's share of an edition."""

    topic: Topic
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Edition:
    """Everything published on one day, lead story first, then one section per topic."""

    day: dt.date
    lead: Article
    sections: tuple[Section, ...]
    articles: tuple[Article, ...]  # newest first
    # an article standing for its story -> the story's other articles of the day (one card each)
    also: dict[str, tuple[Article, ...]] = field(default_factory=dict)

    # read once per build for the edition's page, its month and year pages, and the neighbours
    # of its articles' pages (the planning of every page of the site)
    @functools.cached_property
    def fingerprints(self) -> tuple[str, ...]:
        """Its articles' fingerprints, in order."""
        return tuple(map(ARTICLE_FINGERPRINT, self.articles))

    @functools.cached_property
    def updated(self) -> dt.datetime:
        """Its newest article correction or publication."""
        newest: dt.datetime = max(map(_UPDATED, self.articles))
        return newest


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    days: tuple[dt.date, ...]  # newest first
    count: int


@dataclass
class Site:
    """The whole digest, grouped and ordered; the renderers only read it."""

    config: Config
    articles: list[Article]  # newest first
    editions: list[Edition]  # newest first
    months: list[Month]  # newest first
    by_topic: dict[str, list[Article]]  # topic slug -> newest first
    curation: Curation = field(default_factory=lambda: Curation([]))  # duplicates, stories, related
    index: dict[str, int] = field(default_factory=dict)  # article id -> position in `articles`

    def edition_index(self, day: dt.date) -> int:
        """Position of a day's edition in `editions`."""
        return self._edition_positions[day]

    @property
    def has_search(self) -> bool:
        return wants_search(self.config, self.articles)

    def replace_article(self, old: Article, new: Article) -> None:
        """Swap in an edited article that keeps its place (same day, topics, date and card)."""
        replace_in(self.articles, old, new)
        for articles in self.by_topic.values():
            replace_in(articles, old, new)
        position = self._edition_positions[old.day]
        edition = self.editions[position]
        story_of = {article_id: story.id for article_id, story in self.curation.story_of.items()}
        self.editions[position] = make_edition(
            self.config, edition.day, [new if a is old else a for a in edition.articles], story_of
        )

    def __post_init__(self) -> None:
        self._edition_positions = {edition.day: i for i, edition in enumerate(self.editions)}
        if not self.index:  # (given by `make_site` when another site of the same articles has it)
            self.index = dict(zip(map(ARTICLE_ID, self.articles), range(len(self.articles))))

    @functools.cached_property
    def in_edition(self) -> dict[str, int]:
        """Article id -> its position among its edition's articles (made when a page first asks:
        a day's increment renders a few hundred pages of 10,000 articles)."""
        return {a.id: i for e in self.editions for i, a in enumerate(e.articles)}


_URL = attrgetter("url")
_UPDATED = attrgetter("updated")
_SORT_KEY = attrgetter("sort_key")
_LEAD_KEY = attrgetter("words", "date", "rel_path")  # see `pick_lead`


def replace_in(items: list[Article], old: Article, new: Article) -> None:
    for index, item in enumerate(items):
        if item is old:
            items[index] = new


def wants_search(config: Config, published: Sequence[Article]) -> bool:
    """Search is on unless turned off, and only once there is an article to find."""
    return config.search and bool(published)


def order_articles(articles: Sequence[Article]) -> list[Article]:
    """The articles newest first (the site's order); raise listing every URL or id claimed twice."""
    ordered = sorted(articles, key=_SORT_KEY)
    check_unique(ordered)
    return ordered


def collate_site(
    config: Config, articles: Sequence[Article], memo: Memo | None = None, tally: Tally | None = None,
    ordered: bool = False,
) -> Site:
    """Order and group articles; raise listing every URL or id claimed twice.

    `memo`, `tally`: the last build's curation results (`Curation.memo`, `Curation.tally`), to
    spare searching and counting again. `ordered`: the articles come from `order_articles`.
    """
    curation = curate_apart(articles if ordered else order_articles(articles), memo, tally)
    return make_site(group_articles(config, curation))


@dataclass(frozen=True)
class Grouping:
    """The published articles by day and by topic, before the editions are made."""

    config: Config
    curation: Curation
    by_day: dict[dt.date, list[Article]]  # newest day first
    by_topic: dict[str, list[Article]]  # topic slug -> newest first


def group_articles(config: Config, curation: Curation) -> Grouping:
    """Group what the curation published by day and by topic."""
    by_day: dict[dt.date, list[Article]] = defaultdict(list)
    by_topic: dict[str, list[Article]] = {topic.slug: [] for topic in config.topics}
    for article in curation.articles:
        by_day[article.day].append(article)
        for slug in article.topics:
            by_topic.setdefault(slug, []).append(article)
    return Grouping(config, curation, {day: by_day[day] for day in sorted(by_day, reverse=True)}, by_topic)


def make_site(grouping: Grouping, days: int | None = None, start: Site | None = None) -> Site:
    """The site, with one edition per day; with `days`, of the newest days only (all the feeds
    show: such a site's months and editions are partial). `start`: such a site of the same
    grouping, whose editions and index are taken instead of made again."""
    config, curation = grouping.config, grouping.curation
    story_of = {article_id: story.id for article_id, story in curation.story_of.items()}
    editions = list(start.editions) if start is not None else []
    editions += [make_edition(config, day, grouping.by_day[day], story_of)
                 for day in islice(grouping.by_day, len(editions), days)]
    return Site(config, curation.articles, editions, group_months(editions), grouping.by_topic, curation,
                index=start.index if start is not None else {})


def check_unique(articles: Sequence[Article]) -> None:
    """Two files may not share a URL or an id: say which files, so one can be renamed."""
    # the usual case, every URL and id unique, is told by two sets alone
    if len(set(map(_URL, articles))) == len(set(map(ARTICLE_ID, articles))) == len(articles):
        return
    errors: list[DigestError] = []
    for attribute, what, fix in (
        ("url", "URL", "change `slug` in one of them"),
        ("id", "id", "remove `id` from the copy or give it a new one"),
    ):
        first_seen: dict[str, Article] = {}
        for article in sorted(articles, key=lambda a: a.rel_path):
            key = getattr(article, attribute)
            if key in first_seen:
                errors.append(SourceError(
                    article.path, 1,
                    f"{what} {key} is already used by {display_path(first_seen[key].path)}; {fix}",
                ))
            else:
                first_seen[key] = article
    if errors:
        raise BuildAborted(errors)


def pick_lead(articles: Sequence[Article]) -> Article:
    """The day's lead story: the most substantial article, newest on a tie."""
    return max(articles, key=_LEAD_KEY)


def make_edition(
    config: Config, day: dt.date, articles: Sequence[Article], story_of: Mapping[str, str] | None = None
) -> Edition:
    """Lead story first, then each topic (in config order) with its articles by primary topic.

    Articles of one story get one card: the story's lead article of the day stands for it,
    and the others are listed on that card ("also reported by").
    """
    cards, also = merge_stories(articles, story_of or {})
    lead = pick_lead(cards)
    grouped: dict[str, list[Article]] = defaultdict(list)
    for article in cards:
        if article is not lead:
            grouped[article.topics[0] if article.topics else ""].append(article)
    sections = []
    for topic in config.topics:
        if grouped.get(topic.slug):
            sections.append(Section(topic, tuple(grouped.pop(topic.slug))))
    leftover = [article for slug in sorted(grouped) for article in grouped[slug]]
    if leftover:
        sections.append(Section(Topic("other", "Other news"), tuple(leftover)))
    return Edition(day, lead, tuple(sections), tuple(articles), also)


def merge_stories(
    articles: Sequence[Article], story_of: Mapping[str, str]
) -> tuple[list[Article], dict[str, tuple[Article, ...]]]:
    """One article per story (its lead), in the given order; the lead's id -> the others."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        story = story_of.get(article.id)
        if story is not None:
            groups[story].append(article)
    also: dict[str, tuple[Article, ...]] = {}
    hidden: set[str] = set()
    for group in groups.values():
        if len(group) > 1:
            lead = pick_lead(group)
            also[lead.id] = tuple(article for article in group if article is not lead)
            hidden.update(article.id for article in also[lead.id])
    return [article for article in articles if article.id not in hidden], also


def group_months(editions: Sequence[Edition]) -> list[Month]:
    """Months newest first, each with its days and article count."""
    months: dict[tuple[int, int], list[Edition]] = defaultdict(list)
    for edition in editions:
        months[(edition.day.year, edition.day.month)].append(edition)
    return [
        Month(year, month, tuple(e.day for e in group), sum(len(e.articles) for e in group))
        for (year, month), group in sorted(months.items(), reverse=True)
    ]
