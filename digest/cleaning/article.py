"""Assemble one located article: headline, standfirst, byline, caption and credit, tags,
body and the evidence for its date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.cleaning.body import join_blocks, render_body
from digest.cleaning.boilerplate import Judged, is_label
from digest.cleaning.captions import is_credit_label, is_credit_line, split_credit
from digest.cleaning.casing import recase
from digest.cleaning.dates import (
    Evidence,
    find_relative_header,
    find_reported_weekday,
    find_stamp,
)
from digest.cleaning.extract import Located, Page, fold
from digest.cleaning.metadata import (
    byline_name,
    is_byline_or_date,
    is_date_line,
    is_meta_line,
    is_name_line,
)
from digest.cleaning.publication import find_publication
from digest.cleaning.signals import guess_language

_STANDFIRST_REACH = 6  # blocks below the headline a standfirst may sit
_FOOTER_REACH = 25  # blocks below the body searched for tags and date lines
_TAG_LABEL_RE = re.compile(
    r"^(?:tags?|tagged(?: with)?|topics?|filed under|keywords?|related topics|subjects?"
    r"|etiquetas|tópicos|temas|mots-clés|schlagwörter|теги|タグ)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_TAG_MAX_WORDS = 5
_PERSON_RE = re.compile(r"^[A-Z][a-z'’-]+(?: [A-Z]\.)?(?: [A-Z][a-z'’-]+){1,2}$")
_TAG_MAX_CHARS = 40


@dataclass(slots=True)
class Parts:
    """Everything the cleaner says about one article except its resolved date."""

    title: str
    body: str
    summary: str | None
    author: str | None
    source: str | None
    image_caption: str | None
    image_credit: str | None
    tags: tuple[str, ...]
    language: str | None
    evidence: Evidence


def assemble_article(page: Page, located: Located) -> Parts:
    """Gather the fields of the article at `located`."""
    judged = page.judged
    base = page.layout.base_indent
    title = _tidy(judged[located.title].text) if located.title >= 0 else ""
    header_start = (
        located.title + 1 if located.title >= 0 else max(located.zone_start, located.start - 8)
    )
    header = judged[header_start : located.start]
    start = located.start
    summary = _standfirst_in(header, title)
    if (
        summary is None
        and located.title >= 0
        and start - located.title <= _STANDFIRST_REACH
        and _opens_with_standfirst(judged, start, located.end)
    ):
        summary = judged[start].text
        start += 1
    body = render_body(judged, start, located.end, base)
    title_key = fold(title)
    blocks = [block for block in body.blocks if fold(block) != title_key]
    text = " ".join(blocks)
    title = recase(title, text)
    blocks = [
        f"## {recase(block[3:], text)}" if block.startswith("## ") else block for block in blocks
    ]
    footer = judged[located.end + 1 : min(located.zone_end, located.end + 1 + _FOOTER_REACH)]
    caption, credit = _caption_and_credit(
        [item.text for item in header if _is_caption_block(item, header)] + body.captions
    )
    author = _author(header) or body.author
    top = range(located.zone_start, located.title if located.title >= 0 else located.start)
    bottom = range(located.end + 1, located.zone_end)
    source = find_publication(judged, top, bottom)
    evidence = _evidence(header, footer, blocks)
    return Parts(
        title=title,
        body=join_blocks(blocks),
        summary=_tidy(summary) if summary else None,
        author=author,
        source=source,
        image_caption=caption,
        image_credit=credit,
        tags=_find_tags(header, footer),
        language=guess_language(" ".join(blocks[:20]) or title),
        evidence=evidence,
    )


def _standfirst_in(header: list[Judged], title: str) -> str | None:
    """A sentence between the headline and the body that is not a byline or caption."""
    title_key = fold(title)
    for item in header:
        if item.furniture or item.label or item.caption or item.bullet and item.words < 8:
            continue
        if is_meta_line(item) or item.key == title_key:
            continue
        signals = item.signals
        if signals.words >= 8 and (item.prose or signals.lower_ratio >= 0.5 or signals.wide):
            return item.text
    return None


def _opens_with_standfirst(judged: list[Judged], start: int, end: int) -> bool:
    """Whether the first body block is a standfirst: a byline or date, or several lines
    of furniture and captions, stand between it and the next paragraph."""
    first = judged[start]
    if not first.prose:
        return False
    between = 0
    for item in judged[start + 1 : end + 1]:
        if item.prose:
            return between >= 2
        if is_byline_or_date(item):
            return True
        if item.caption or item.furniture or item.label or item.words <= 3:
            between += 1
        else:
            return False  # a subheading: the first block was the lede
    return False


def _is_caption_block(item: Judged, header: list[Judged]) -> bool:
    if item.caption:
        return True
    position = next((n for n, other in enumerate(header) if other is item), -1)
    if 0 <= position < len(header) - 1 and is_credit_label(header[position + 1].text):
        return True  # the line above "Credit..." is the caption
    doubled = sum(1 for other in header if other.key == item.key) >= 2
    return doubled and item.words >= 5 and not is_meta_line(item)


def _caption_and_credit(captions: list[str]) -> tuple[str | None, str | None]:
    """The first caption and its credit (a credit-only line may follow it)."""
    caption: str | None = None
    credit: str | None = None
    for text in captions:
        if is_credit_label(text):
            continue
        if caption is None and is_credit_line(text) and credit is None:
            credit = split_credit(text)[1] or _credit_only(text)
            continue
        body, found = split_credit(text)
        if caption is None and body:
            caption, credit = _tidy(body), found or credit
            if found:
                break
            continue
        if caption is not None and credit is None and is_credit_line(text):
            credit = _credit_only(text)
            break
        if caption is not None:
            break
    return caption, credit


def _credit_only(text: str) -> str:
    return re.sub(
        r"^(?:\(|©\s*|(?:photo|image|credit|foto|picture)s?\s*(?:by|:|\.{2,}|…)\s*)",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    ).strip(" ()")


def _author(header: list[Judged]) -> str | None:
    for item in header:
        name = byline_name(item.text)
        if name:
            return name
    for item in header:
        if is_name_line(item.text):
            return item.text.split(",")[0].strip()
    # A bare name under the headline, with the date or reading time under it.
    for position, item in enumerate(header[:-1]):
        if _PERSON_RE.match(item.text) and not item.label and header[position + 1].dateline:
            return item.text
    return None


def _find_tags(header: list[Judged], footer: list[Judged]) -> tuple[str, ...]:
    """Tags from a "Tags:" line or list, or a bullet list of short terms under the body."""
    for zone in (footer, header):
        for index, item in enumerate(zone):
            if item.words > 40:  # (a paragraph: no need to match it)
                continue
            match = _TAG_LABEL_RE.match(item.text.strip(" •*-"))
            if match is None:
                continue
            rest = match.group("rest").strip()
            if rest and "," in rest:
                return _clean_tags(rest.split(","))
            if rest:
                continue
            return _clean_tags([other.text for other in _tag_run(zone[index + 1 :])])
    # An unlabelled bullet list of short terms right under the body.
    for index, item in enumerate(footer[:4]):
        if item.bullet:
            run = _tag_run(footer[index:], bullets_only=True)
            if len(run) >= 3:
                return _clean_tags([other.text for other in run])
            break
    return ()


def _tag_run(items: list[Judged], bullets_only: bool = False) -> list[Judged]:
    run: list[Judged] = []
    for item in items:
        text = item.text.strip()
        if bullets_only and not item.bullet:
            break
        if item.words > _TAG_MAX_WORDS or len(text) > _TAG_MAX_CHARS or item.signals.full_stop:
            break
        if is_label(text) or item.furniture:
            break
        run.append(item)
    return run


def _clean_tags(raw: list[str]) -> tuple[str, ...]:
    tags: list[str] = []
    for tag in raw:
        cleaned = tag.strip(" .;•*#")
        if cleaned and cleaned.casefold() not in {t.casefold() for t in tags}:
            tags.append(cleaned)
    return tuple(tags)


def _evidence(header: list[Judged], footer: list[Judged], blocks: list[str]) -> Evidence:
    """What the article says about its own date: a timestamp in its header (or just
    under its body), a relative one there, or a reporting verb with a weekday."""
    for zone in (header, footer[:6]):
        for item in zone:
            if item.caption or item.prose:
                continue
            if is_date_line(item.text) or byline_name(item.text):
                stamp = find_stamp(item.text)
                if stamp is not None:
                    return Evidence(stamp=stamp)
    for item in header:
        if item.caption or item.prose or item.words > 8:
            continue
        relative = find_relative_header(item.text)
        if relative is not None:
            return Evidence(relative=relative)
    for block in blocks:
        if block.startswith("## "):
            continue
        relative = find_reported_weekday(block)
        if relative is not None:
            return Evidence(relative=relative)
    return Evidence()


def _tidy(text: str) -> str:
    return " ".join(text.split())
