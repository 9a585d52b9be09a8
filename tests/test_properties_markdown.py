"""Property tests for Markdown rendering, one-line text cleaning and feeds.

No document makes `render_markdown` raise, and none puts a `<script` or an element, event
attribute or `javascript:`/`data:` link that could run into its HTML: `javascript:` may appear only
as visible text. One-line fields lose every control and disguising character. Feeds built from
any text are well-formed XML.

`DIGEST_PROPERTY_SCALE=10` runs ten times as many examples.
"""

from __future__ import annotations

import json

import datetime as dt
import os
import re
from pathlib import Path

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from digest.collate import collate_site
from digest.config import Config, Topic
from digest.feeds import render_feeds
from digest.markdown import render_markdown
from digest.models import Article, Image
from digest.text import clean_line, neutralise_text, plain_text

from .test_hostile_site import DISGUISE, assert_html_is_inert

SCALE = float(os.environ.get("DIGEST_PROPERTY_SCALE", "1"))


def examples(count: int) -> int:
    return max(1, int(count * SCALE))


SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
SCHEMES = ["javascript:", "JaVaScRiPt:", " javascript:", "java\tscript:", "java\nscript:", "jav&#x61;script:",
           "&#106;avascript:", "javascript&colon;", "data:text/html,", "data:image/svg+xml;base64,", "vbscript:",
           "\x00javascript:", "java\x00script:", "javascript\u200b:", "\u202ejavascript:", "//", "http://", "mailto:"]
PAYLOADS = ["alert(1)", "alert(document.cookie)", "%61lert(1)", "<script>alert(1)</script>", "'\"><svg onload=alert(1)>"]
FRAGMENTS = st.sampled_from([
    "<script>alert(1)</script>", "<ScRiPt src=//evil.example/x.js></sCrIpT>", "<scr<script>ipt>", "<iframe src=x>",
    "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
    "<object data=x>", "<embed src=x>", "<base href=//evil.example/>", "<form action=javascript:alert(1)>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>", "<!--", "-->", "<![CDATA[", "]]>",
    "&lt;script&gt;", "&#60;script&#62;", "\\<script>", "`<script>`", "```\n<script>\n```", "    <script>",
    "```\" onmouseover=\"alert(1)", "{{ 7*7 }}", "{% include 'x' %}", "\u202e", "\u200b", "\x00", "\x1b[2J", "\r",
    "*", "**", "_", "[", "]", "(", ")", "!", "<", ">", "\"", "'", "&", "#", "|", "~~", "\n", "\n\n", "> ", "- ",
    "1. ", "## ", "---", "| a | b |\n|---|---|\n| <script> | x |", "[x]: javascript:alert(1)\n", "[ref][x]",
    "https://example.org/a?b=1&c=2", "www.example.org", "<https://example.org>", "<mailto:a@b.c>",
])
LINK_TARGET = st.builds(lambda scheme, payload: scheme + payload, st.sampled_from(SCHEMES), st.sampled_from(PAYLOADS))
LINK = st.one_of(
    st.builds(lambda text, url: f"[{text}]({url})", st.sampled_from(["x", "click", "<b>", ""]), LINK_TARGET),
    st.builds(lambda url: f"![pic]({url})", LINK_TARGET),
    st.builds(lambda url: f"[x](<{url}>)", LINK_TARGET),
    st.builds(lambda url: f"<{url}>", LINK_TARGET),
    st.builds(lambda url: f"[x]({url} \"t\\\" onmouseover=\\\"alert(1)\")", LINK_TARGET),
    st.builds(lambda url: f"[x][r]\n\n[r]: {url}\n", LINK_TARGET),
)
DOCUMENT = st.lists(st.one_of(FRAGMENTS, LINK, st.text(max_size=12)), max_size=25).map("".join)


@settings(max_examples=examples(800), **SETTINGS)
@given(DOCUMENT)
def test_no_markdown_renders_to_html_that_can_run(document: str) -> None:
    html = render_markdown(document)
    assert isinstance(html, str)
    assert_html_is_inert(html, repr(document))
    # `javascript:` may only be words on the page: never inside a tag
    for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
        assert "javascript" not in tag.lower().replace("&#", ""), tag
        assert "data:" not in tag.lower(), tag
    assert not DISGUISE.search(html)


@settings(max_examples=examples(500), **SETTINGS)
@given(st.text(max_size=200) | DOCUMENT)
def test_one_line_fields_lose_controls_and_disguises(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line and line == line.strip() and "  " not in line
    assert all(ch.isprintable() or ch in "\u200c\u200d" for ch in line)
    assert not DISGUISE.search(line)
    assert clean_line(line) == line  # idempotent
    assert not DISGUISE.search(plain_text(text))
    assert not DISGUISE.search(neutralise_text(text).replace("\t", "").replace("\n", "").replace("\r", ""))


FEED_TEXT = st.one_of(st.text(max_size=80), DOCUMENT, st.sampled_from(["\x00", "\ufffe", "\ud7ff\ue000", "]]>", "\x0b\x0c"]))
TOPICS = (Topic("economy", "Economy <b>&</b>", "Money \x0b markets", ("market",)),)


@settings(max_examples=examples(60), **SETTINGS)
@given(st.lists(st.tuples(FEED_TEXT, FEED_TEXT, FEED_TEXT, DOCUMENT), min_size=1, max_size=3))
def test_feeds_are_well_formed_whatever_the_text(items: list[tuple[str, str, str, str]]) -> None:
    config = Config(root=Path("/nonexistent"), title="Feed <test> \x01", description="d \ufffe",
                    base_url="https://feeds.example.org/", topics=TOPICS)
    # one-line fields as content.py hands them on (cleaned); the body raw, as the curator wrote it
    articles = [
        Article(
            path=f"/c/{i}.md", rel_path=f"{i}.md", slug=f"a{i}", title=clean_line(title) or "t",
            summary=clean_line(summary), date=dt.datetime(2026, 2, 8, 9, i, tzinfo=dt.timezone.utc),
            updated=dt.datetime(2026, 2, 8, 9, i, tzinfo=dt.timezone.utc), day=dt.date(2026, 2, 8),
            id=clean_line(f"urn:x:{i}:{title[:10]}"), body_hash=f"h{i}", body_line=5, topics=("economy",),
            topics_given=True, author=clean_line(author) or None, image=Image(clean_line(title), None),
        )
        for i, (title, summary, author, body) in enumerate(items)
    ]
    bodies = {article.id: body for article, (_, _, _, body) in zip(articles, items)}
    site = collate_site(config, articles)
    for route, data in render_feeds(site, lambda article: render_markdown(bodies[article.id])):
        if route.path.endswith(".json"):  # JSON Feed: valid JSON, and its HTML inert
            for item in json.loads(data)["items"]:
                if item.get("content_html", "").strip():
                    assert_html_is_inert(item["content_html"], route.path)
            continue
        tree = etree.fromstring(data)  # raises when not well-formed
        for element in tree.iter():
            if element.get("type") == "html" or etree.QName(element).localname in ("encoded",):
                if element.text and element.text.strip():
                    assert_html_is_inert(element.text, route.path)
                    lxml.html.fragment_fromstring(element.text, create_parent="div")
