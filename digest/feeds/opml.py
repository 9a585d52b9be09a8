"""OPML 2.0: every feed of the site in one file, for importing them all into a reader at once."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .entries import xml_safe
from .model import Feed

OPML_DOCS = "http://opml.org/spec2.opml"


def render_opml(title: str, main: Sequence[Feed], topics: Sequence[Feed]) -> bytes:
    """The site's feeds, topics nested under one outline; each listed once, as RSS.

    RSS, Atom and JSON Feed of one feed carry the same entries: listing all three would make
    a reader subscribe to every story three times.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = xml_safe(f"{title}: feeds")
    ET.SubElement(head, "docs").text = OPML_DOCS
    body = ET.SubElement(root, "body")
    for feed in main:
        _outline(body, feed)
    if topics:
        group = ET.SubElement(body, "outline", text="Topics", title="Topics")
        for feed in topics:
            _outline(group, feed)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _outline(parent: ET.Element, feed: Feed) -> None:
    title = xml_safe(feed.title)  # captured or configured text may hold what XML forbids
    ET.SubElement(parent, "outline", type="rss", text=title, title=title,
                  description=xml_safe(feed.description), xmlUrl=feed.self_url("rss"), htmlUrl=feed.home_url,
                  language=feed.lang)
