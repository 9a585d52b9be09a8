"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) from the same entries as RSS and Atom."""

from __future__ import annotations

import json
from typing import Any

from .model import Entry, Feed

VERSION = "https://jsonfeed.org/version/1.1"


def render_json_feed(feed: Feed) -> bytes:
    """The feed as JSON Feed 1.1: keys in a fixed order, dates in RFC 3339, compact UTF-8."""
    document: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.self_url("json"),
        "description": feed.description,
        "language": feed.lang,
        "authors": [{"name": feed.author, "url": feed.author_url}],
        "items": [json_item(entry) for entry in feed.entries],
    }
    # compact: the standard library only uses its C encoder without indentation
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def json_item(entry: Entry) -> dict[str, Any]:
    """One item; an item without `authors` takes the feed's, as the specification says."""
    item: dict[str, Any] = {"id": entry.id, "url": entry.url, "title": entry.title}
    if entry.content_html is not None:
        item["content_html"] = entry.content_html
    else:
        item["content_text"] = entry.summary
    item["summary"] = entry.summary
    item["date_published"] = entry.published.isoformat()
    item["date_modified"] = entry.updated.isoformat()
    if entry.author:
        item["authors"] = [{"name": entry.author}]
    if entry.categories:
        item["tags"] = [category.label for category in entry.categories]
    if entry.origin is not None and entry.origin.article_url:
        item["external_url"] = entry.origin.article_url
    if entry.lang:
        item["language"] = entry.lang
    return item
