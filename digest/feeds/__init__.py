"""Feeds: RSS 2.0, Atom and JSON Feed for the digest, its daily editions and each topic, plus OPML.

`entries` decides what every feed holds (a `FeedSpec`, then a `Feed` of plain data), and
`syndication`, `jsonfeed` and `opml` write it; the writer alone puts the bytes into `site/`.
A build asks for `plan_feed_jobs`: each job has a cheap key, so unchanged feeds are not made again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import urls
from ..collate import Site
from ..models import Article
from .entries import FeedMaker, FeedSpec, absolutise, feed_entries, plan_feed_specs, xml_safe
from .jsonfeed import render_json_feed

__all__ = ["FeedJob", "absolutise", "feed_entries", "plan_feed_jobs", "render_feeds", "xml_safe"]

Files = list[tuple[urls.Route, bytes]]


@dataclass(frozen=True)
class FeedJob:
    """Files to write together: one feed in three formats, or the OPML list of all feeds."""

    producer: str
    routes: tuple[urls.Route, ...]
    key: tuple[object, ...]  # what the files are made from, besides the site's settings
    feeds: int  # how many of the files are feeds
    render: Callable[[], Files]
    article_ids: frozenset[str] = frozenset()  # the articles it shows: their edits make it stale


def plan_feed_jobs(site: Site, body_html: Callable[[Article], str]) -> list[FeedJob]:
    """Every feed of the site in every format, then the OPML list of them; nothing made yet."""
    maker = FeedMaker(site.config, body_html)
    specs = plan_feed_specs(site)

    def render_one(spec: FeedSpec) -> Files:
        from .syndication import render_rss_atom  # feedgen and lxml load only when a feed is rendered

        feed = maker.make(spec)
        rss, atom = render_rss_atom(feed)
        return [(feed.route("rss"), rss), (feed.route("atom"), atom), (feed.route("json"), render_json_feed(feed))]

    def render_list() -> Files:
        from .opml import render_opml  # ElementTree loads only when the list is rendered

        main = [maker.make(spec, with_entries=False) for spec in specs if spec.topic is None]
        topics = [maker.make(spec, with_entries=False) for spec in specs if spec.topic is not None]
        return [(urls.opml(), render_opml(site.config.title, main, topics))]

    jobs = [FeedJob(spec.producer, spec.routes, spec.key(), len(spec.routes),
                    lambda spec=spec: render_one(spec), spec.article_ids()) for spec in specs]  # type: ignore[misc]
    jobs.append(FeedJob("feed list", (urls.opml(),),
                        tuple((spec.producer, spec.title, spec.description) for spec in specs), 0, render_list))
    return jobs


def render_feeds(site: Site, body_html: Callable[[Article], str]) -> Files:
    """Every feed file of the site, made now (for tools and tests; builds use plan_feed_jobs)."""
    return [file for job in plan_feed_jobs(site, body_html) for file in job.render()]
