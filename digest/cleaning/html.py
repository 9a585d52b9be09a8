"""Clean saved HTML through trafilatura into the same article model as text dumps.

trafilatura finds the article and its metadata; its XML body is written out here as
our own Markdown (paragraphs, "## " subheadings, lists, quotes) so that the same
escaping rules apply to every body the cleaner produces.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from digest.cleaning.article import Parts
from digest.cleaning.body import escape_markdown_start, join_blocks
from digest.cleaning.captions import split_credit
from digest.cleaning.capture import finish_capture
from digest.cleaning.dates import Evidence, Relative, Stamp, find_reported_weekday, find_stamps
from digest.cleaning.model import CleanedArticle, CleanedCapture, DateReference
from digest.cleaning.signals import guess_language

if TYPE_CHECKING:
    from lxml.etree import _Element

_NO_ARTICLE = "no article found in the HTML"
_HEADING_TAGS = {"head"}
_SKIP_TAGS = {"graphic", "ref", "note", "fw"}


def clean_html(html: str, reference: DateReference, url: str | None = None) -> CleanedCapture:
    """Clean one saved HTML page: trafilatura extracts, we write the article."""
    document = _extract(html, url)
    if document is None or getattr(document, "body", None) is None:
        return CleanedCapture(articles=(), notes=(_NO_ARTICLE,))
    title = _text(getattr(document, "title", None))
    blocks = list(_render(document.body, title))
    body = join_blocks(blocks)
    if not body.strip():
        return CleanedCapture(articles=(), notes=(_NO_ARTICLE,))
    caption, credit = _caption(document.body)
    stamp = _metadata_stamp(getattr(document, "date", None))
    relative = None if stamp else _first_weekday(blocks)
    summary = _text(getattr(document, "description", None)) or None
    if summary and (summary == title or body.startswith(summary[:60])):
        summary = None  # a description copied from the lede is not a standfirst
    part = Parts(
        title=title,
        body=body,
        summary=summary,
        author=_text(getattr(document, "author", None)) or None,
        source=_text(getattr(document, "sitename", None)) or None,
        image_caption=caption,
        image_credit=credit,
        tags=tuple(tag.strip() for tag in (getattr(document, "tags", None) or []) if tag.strip()),
        language=_text(getattr(document, "language", None)) or guess_language(body),
        evidence=Evidence(stamp=stamp, relative=relative),
    )
    text_for_dates = _text(getattr(document, "raw_text", None)) or body
    capture = finish_capture([part], text_for_dates, reference)
    source_url = url or _text(getattr(document, "url", None)) or None
    if source_url is None:
        return capture
    articles = tuple(_with_url(article, source_url) for article in capture.articles)
    return CleanedCapture(articles=articles, source=capture.source, notes=capture.notes)


def _extract(html: str, url: str | None) -> Any:
    """trafilatura's document, or None when it finds nothing (or fails)."""
    if not html or not html.strip():
        return None
    try:
        import trafilatura

        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_formatting=False,
            output_format="python",
        )
    except Exception:  # noqa: BLE001 -- trafilatura and lxml raise many kinds on bad markup
        return None


def _render(body: _Element, title: str) -> list[str]:
    """trafilatura's XML body as Markdown blocks."""
    blocks: list[str] = []
    title_key = " ".join(title.casefold().split())
    for element in body:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP_TAGS:
            continue
        if tag in _HEADING_TAGS:
            text = _flat(element)
            if not text or " ".join(text.casefold().split()) == title_key:
                continue
            blocks.append(f"## {text}")
        elif tag == "list":
            items = [_flat(item) for item in element if item.tag == "item"]
            ordered = element.get("rend", "") == "ol"
            for number, item in enumerate((i for i in items if i), start=1):
                prefix = f"{number}." if ordered else "-"
                blocks.append(f"{prefix} {escape_markdown_start(item)}")
        elif tag == "quote":
            text = _flat(element)
            if text:
                blocks.append("> " + escape_markdown_start(text))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_flat(cell) for cell in row if _flat(cell)]
                if cells:
                    blocks.append(escape_markdown_start(" | ".join(cells)))
        else:
            text = _flat(element)
            if text:
                blocks.append(escape_markdown_start(text))
    return blocks


def _caption(body: _Element) -> tuple[str | None, str | None]:
    for graphic in body.iter("graphic"):
        text = _text(graphic.get("title")) or _text(graphic.get("alt"))
        if text:
            caption, credit = split_credit(text)
            return caption or None, credit
    return None, None


def _metadata_stamp(value: object) -> Stamp | None:
    text = _text(value)
    if not text:
        return None
    stamps = find_stamps(text)
    return stamps[0] if stamps else None


def _first_weekday(blocks: list[str]) -> Relative | None:
    for block in blocks:
        relative = find_reported_weekday(block)
        if relative is not None:
            return relative
    return None


def _flat(element: _Element) -> str:
    """All the text of an element, on one line."""
    return " ".join("".join(element.itertext()).split())


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value else ""


def _with_url(article: CleanedArticle, url: str) -> CleanedArticle:
    return replace(article, source_url=url)
