"""An independent second reader of our feeds: lxml and the rules of RSS 2.0, RFC 4287 and JSON Feed 1.1.

feedparser forgives a lot; these checks do not. Each returns a list of problems (empty when the
feed follows the rules), so a failing test shows all of them at once. They share no code with
digest, nor with the shared feeds_check tool.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
# RFC 4287 4.1.1, 4.1.2 and 4.2.11: the Atom children each element may have
FEED_CHILDREN = {"author", "category", "contributor", "generator", "icon", "id", "link", "logo",
                 "rights", "subtitle", "title", "updated", "entry"}
ENTRY_CHILDREN = {"author", "category", "content", "contributor", "id", "link", "published",
                  "rights", "source", "summary", "title", "updated"}
SOURCE_CHILDREN = FEED_CHILDREN - {"entry"}
JSON_VERSION = "https://jsonfeed.org/version/1.1"


def is_absolute_http(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def rfc822(value: str | None) -> dt.datetime | None:
    """A strict RFC 822 date with a four-digit year and the right weekday, else None."""
    if not value or not RFC822.match(value):
        return None
    parsed = email.utils.parsedate_to_datetime(value)
    return parsed if parsed.strftime("%a") == value[:3] else None


def rfc3339(value: str | None) -> dt.datetime | None:
    if not value or not RFC3339.match(value):
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def html_urls(fragment: str) -> list[str]:
    """Every link, image or other URL in an HTML fragment, read by an HTML parser (not a regex)."""
    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [link for _, _, link, _ in root.iterlinks()]


def relative_urls(fragment: str) -> list[str]:
    return [url for url in html_urls(fragment) if not urlsplit(url).scheme]


def check_rss(path: Path, self_url: str) -> list[str]:
    """RSS 2.0 (rssboard.org) plus what readers rely on: guids, self link, absolute URLs."""
    problems: list[str] = []
    root = etree.parse(str(path)).getroot()
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"root is <{root.tag} version={root.get('version')!r}>, not RSS 2.0"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} channels"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel <{name}> missing or empty")
    if not is_absolute_http(channel.findtext("link")):
        problems.append("channel <link> is not an absolute URL")
    if not channel.findtext("language"):
        problems.append("channel has no <language>")
    selfs = [link.get("href") for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if selfs != [self_url]:
        problems.append(f"atom:link rel=self is {selfs}, expected [{self_url!r}]")
    for name in ("pubDate", "lastBuildDate"):
        value = channel.findtext(name)
        if value is not None and rfc822(value) is None:
            problems.append(f"channel <{name}> is not RFC 822: {value!r}")
    guids: list[str] = []
    dates: list[dt.datetime] = []
    for number, item in enumerate(channel.findall("item"), start=1):
        where = f"item {number}"
        if not (item.findtext("title") or item.findtext("description")):
            problems.append(f"{where}: neither <title> nor <description>")
        if not is_absolute_http(item.findtext("link")):
            problems.append(f"{where}: <link> is not an absolute URL")
        guid = item.find("guid")
        if guid is None or not (guid.text or "").strip():
            problems.append(f"{where}: no <guid>")
        else:
            guids.append(guid.text or "")
            permalink = guid.get("isPermaLink", "true")
            if permalink not in ("true", "false"):
                problems.append(f"{where}: isPermaLink={permalink!r}")
            if permalink == "true" and not is_absolute_http(guid.text):
                problems.append(f"{where}: guid {guid.text!r} is no URL but isPermaLink is true")
        published = rfc822(item.findtext("pubDate"))
        if published is None:
            problems.append(f"{where}: <pubDate> missing or not RFC 822: {item.findtext('pubDate')!r}")
        else:
            dates.append(published)
        for category in item.findall("category"):
            if not (category.text or "").strip() or not is_absolute_http(category.get("domain")):
                problems.append(f"{where}: <category> without text or absolute domain")
        for creator in item.findall(DC_CREATOR):
            if not (creator.text or "").strip():
                problems.append(f"{where}: empty <dc:creator>")
        for tag in ("description", CONTENT_ENCODED):
            relative = relative_urls(item.findtext(tag) or "")
            if relative:
                problems.append(f"{where}: relative URLs in <{tag}>: {relative}")
    problems += [f"guid {guid!r} appears {n} times" for guid, n in Counter(guids).items() if n > 1]
    if dates != sorted(dates, reverse=True):
        problems.append("items are not newest first")
    return problems


def check_atom(path: Path, self_url: str) -> list[str]:
    """RFC 4287: required elements, cardinality, dates, authors, links; plus absolute URLs."""
    problems: list[str] = []
    root = etree.parse(str(path)).getroot()
    if root.tag != f"{ATOM}feed":
        return [f"root is <{root.tag}>, not atom:feed"]
    if not root.get(XML_LANG):
        problems.append("feed has no xml:lang")
    problems += _atom_common(root, "feed", FEED_CHILDREN)
    selfs = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if selfs != [self_url]:
        problems.append(f"rel=self is {selfs}, expected [{self_url!r}]")
    if not [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "alternate"]:
        problems.append("feed has no rel=alternate link")
    feed_has_author = bool(root.findall(f"{ATOM}author/{ATOM}name"))
    ids: list[str] = []
    newest: dt.datetime | None = None
    published_dates: list[dt.datetime] = []
    for number, entry in enumerate(root.findall(f"{ATOM}entry"), start=1):
        where = f"entry {number}"
        problems += _atom_common(entry, where, ENTRY_CHILDREN)
        ids.append(entry.findtext(f"{ATOM}id") or "")
        updated = rfc3339(entry.findtext(f"{ATOM}updated"))
        published_elements = entry.findall(f"{ATOM}published")
        if len(published_elements) > 1:
            problems.append(f"{where}: {len(published_elements)} <published>")
        published = rfc3339(entry.findtext(f"{ATOM}published"))
        if published_elements and published is None:
            problems.append(f"{where}: <published> is not RFC 3339")
        if published and updated and updated < published:
            problems.append(f"{where}: updated {updated} is before published {published}")
        if published:
            published_dates.append(published)
        if updated and (newest is None or updated > newest):
            newest = updated
        if not feed_has_author and not entry.findall(f"{ATOM}author/{ATOM}name"):
            problems.append(f"{where}: no author here nor on the feed")
        content = entry.find(f"{ATOM}content")
        alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        if content is None and not alternates:
            problems.append(f"{where}: neither <content> nor an alternate link")
        if content is not None and content.get("type") == "html":
            relative = relative_urls(content.text or "")
            if relative:
                problems.append(f"{where}: relative URLs in <content>: {relative}")
        for source in entry.findall(f"{ATOM}source"):
            unknown = {child.tag for child in source} - {ATOM + name for name in SOURCE_CHILDREN}
            if unknown or not (source.findtext(f"{ATOM}title") or "").strip():
                problems.append(f"{where}: <source> without a title or with {sorted(unknown)}")
            for link in source.findall(f"{ATOM}link"):
                if not is_absolute_http(link.get("href")):
                    problems.append(f"{where}: <source> link is not absolute")
    feed_updated = rfc3339(root.findtext(f"{ATOM}updated"))
    if newest is not None and feed_updated != newest:
        problems.append(f"feed updated {feed_updated} is not the newest entry's ({newest})")
    problems += [f"id {i!r} appears {n} times" for i, n in Counter(ids).items() if n > 1]
    if published_dates != sorted(published_dates, reverse=True):
        problems.append("entries are not newest first")
    return problems


def _atom_common(element: Any, where: str, allowed: set[str]) -> list[str]:
    """id, title and updated exactly once; links absolute and distinct; no unknown Atom children."""
    problems = []
    for name in ("id", "title", "updated"):
        found = element.findall(f"{ATOM}{name}")
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} <{name}> (need exactly one)")
    if not IRI.match(element.findtext(f"{ATOM}id") or ""):
        problems.append(f"{where}: <id> is not an absolute IRI")
    if rfc3339(element.findtext(f"{ATOM}updated")) is None:
        problems.append(f"{where}: <updated> is not RFC 3339: {element.findtext(f'{ATOM}updated')!r}")
    title = element.find(f"{ATOM}title")
    if title is not None and title.get("type", "text") not in ("text", "html", "xhtml"):
        problems.append(f"{where}: title type {title.get('type')!r}")
    unknown = sorted({child.tag for child in element if child.tag.startswith(ATOM)}
                     - {ATOM + name for name in allowed})
    if unknown:
        problems.append(f"{where}: elements RFC 4287 does not allow here: {unknown}")
    alternates: Counter[tuple[str | None, str | None]] = Counter()
    for link in element.findall(f"{ATOM}link"):
        if not is_absolute_http(link.get("href")):
            problems.append(f"{where}: link href {link.get('href')!r} is not absolute")
        if link.get("rel", "alternate") == "alternate":
            alternates[(link.get("type"), link.get("hreflang"))] += 1
    if any(count > 1 for count in alternates.values()):
        problems.append(f"{where}: more than one alternate link of one type and language")
    for author in element.findall(f"{ATOM}author"):
        if not (author.findtext(f"{ATOM}name") or "").strip():
            problems.append(f"{where}: <author> without <name>")
    return problems


def check_json_feed(path: Path, self_url: str) -> list[str]:
    """JSON Feed 1.1 (jsonfeed.org/version/1.1): required fields and their types."""
    problems: list[str] = []
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("version") != JSON_VERSION:
        problems.append(f"version is {document.get('version')!r}")
    if not isinstance(document.get("title"), str) or not document["title"]:
        problems.append("title missing")
    if document.get("feed_url") != self_url:
        problems.append(f"feed_url is {document.get('feed_url')!r}, expected {self_url!r}")
    if not is_absolute_http(document.get("home_page_url")):
        problems.append("home_page_url is not absolute")
    problems += _json_authors(document.get("authors"), "feed")
    known = {"version", "title", "home_page_url", "feed_url", "description", "user_comment",
             "next_url", "icon", "favicon", "authors", "language", "expired", "hubs", "items"}
    problems += [f"unknown top-level key {key!r}" for key in document if key not in known and not key.startswith("_")]
    items = document.get("items")
    if not isinstance(items, list):
        return [*problems, "items is not a list"]
    ids = []
    for number, item in enumerate(items, start=1):
        where = f"item {number}"
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{where}: id missing or not a string")
        ids.append(item.get("id"))
        html_content, text_content = item.get("content_html"), item.get("content_text")
        if not isinstance(html_content, str) and not isinstance(text_content, str):
            problems.append(f"{where}: neither content_html nor content_text")
        if isinstance(html_content, str) and relative_urls(html_content):
            problems.append(f"{where}: relative URLs in content_html: {relative_urls(html_content)}")
        for key in ("url", "external_url"):
            if key in item and not is_absolute_http(item[key]):
                problems.append(f"{where}: {key} is not absolute")
        for key in ("date_published", "date_modified"):
            if key in item and rfc3339(item[key]) is None:
                problems.append(f"{where}: {key} is not RFC 3339: {item[key]!r}")
        if "tags" in item and not (isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])):
            problems.append(f"{where}: tags must be strings")
        if "authors" in item:
            problems += _json_authors(item["authors"], where)
    problems += [f"id {i!r} appears {n} times" for i, n in Counter(ids).items() if n > 1]
    return problems


def _json_authors(authors: Any, where: str) -> list[str]:
    if authors is None:
        return []
    if not isinstance(authors, list) or not authors:
        return [f"{where}: authors must be a non-empty list"]
    return [f"{where}: an author needs a name, url or avatar" for author in authors
            if not isinstance(author, dict) or not any(author.get(k) for k in ("name", "url", "avatar"))]
