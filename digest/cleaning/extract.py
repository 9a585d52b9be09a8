"""Turn one text capture into article drafts: blocks, regions, headline, body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from digest.cleaning.boilerplate import Judged, judge_blocks
from digest.cleaning.boundaries import split_zones
from digest.cleaning.lines import Layout, detect_layout, read_lines
from digest.cleaning.metadata import (
    byline_name,
    is_byline_or_date,
    is_date_line,
    is_meta_line,
    score_title,
)
from digest.cleaning.reflow import build_blocks
from digest.cleaning.segment import Region, find_core, find_regions, score_blocks

_TITLE_WINDOW = 40
_LEAD_LABEL_RE = re.compile(r"^[^\W\d_][\w ’'-]{1,25}\s?:\s*\S")


@dataclass(slots=True)
class Draft:
    """What one article region yields before dates and tidying."""

    title: str
    paragraphs: list[str]
    header: list[Judged] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    summary: str | None = None
    author: str | None = None
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Page:
    """A capture read into judged blocks."""

    layout: Layout
    judged: list[Judged]
    folded: str = ""  # every block's folded text, one per line, to search for echoes


def read_page(text: str) -> Page:
    """Split, re-flow and judge the blocks of a capture."""
    lines = read_lines(text)
    layout = detect_layout(lines)
    judged = judge_blocks(build_blocks(lines, layout))
    return Page(layout, judged, "\n".join(_fold(item.text) for item in judged))


def count_echoes(page: Page, index: int) -> int:
    """How many other blocks quote block `index` inside a longer text."""
    key = _fold(page.judged[index].text)
    if len(key) < 12:
        return 0
    return max(0, page.folded.count(key) - page.judged[index].repeats)


def extract_drafts(text: str) -> list[Draft]:
    """Find the articles of a capture."""
    page = read_page(text)
    judged = page.judged
    if not judged:
        return []
    scores = score_blocks(judged)
    starts = split_zones(judged, scores, page.layout.base_indent)
    drafts: list[Draft] = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(judged)
        regions = find_regions(scores[start:end])
        if not regions:
            continue
        best = regions[0]
        region = Region(best.start + start, best.end + start, best.score)
        drafts.append(build_draft(page, region, find_core(scores, region), start))
    return drafts


def build_draft(page: Page, region: Region, core: int, floor: int = 0) -> Draft:
    """Headline, header metadata and body of the article in `region`, whose main run
    of prose starts at `core`; its headline is not above block `floor`."""
    judged = page.judged
    title_index = find_title(page, core, region.start, floor)
    title = judged[title_index].text if title_index >= 0 else ""
    start = region.start
    if title_index >= start:
        start = title_index + 1
    draft = Draft(title, [], start=start, end=region.end)
    draft.header = judged[title_index + 1 : start] if title_index >= 0 else []
    seen: set[str] = {_fold(title)} if title else set()
    body = judged[start : region.end + 1]
    for position, item in enumerate(body):
        text = item.text
        key = _fold(text)
        if key in seen:
            continue
        if is_caption(item):
            draft.captions.append(text)
            seen.add(key)
            continue
        if item.furniture or item.label:
            continue
        if is_meta_line(item):
            name = byline_name(text)
            if name and draft.author is None:
                draft.author = name
            continue
        if item.prose:
            if _LEAD_LABEL_RE.match(text) and item.words < 20 and not item.signals.full_stop:
                continue
            seen.add(key)
            draft.paragraphs.append(text)
            continue
        if item.block.bullet:
            if item.words >= 4 and (item.signals.full_stop or item.signals.stop_ratio >= 0.2):
                seen.add(key)
                draft.paragraphs.append(f"- {text}")
            continue
        if _is_subheading(item, body[position + 1 :]):
            seen.add(key)
            draft.paragraphs.append(f"## {text}")
            continue
        if item.signals.full_stop and item.words >= 3:
            seen.add(key)
            draft.paragraphs.append(text)
    return draft


def find_title(page: Page, core: int, region_start: int, floor: int = 0) -> int:
    """Index of the best headline above block `core`, or -1. Between `region_start` and
    `core` only a headline with a byline or date under it counts: elsewhere in the
    body a short line is a subheading or a related link."""
    judged = page.judged
    best, best_score = -1, 0.0
    distance = 0
    # The region may open with the headline itself when it reads like a sentence.
    top = min(core + 2, len(judged))
    for index in range(top - 1, max(floor - 1, core - _TITLE_WINDOW), -1):
        item = judged[index]
        if index < core and not item.furniture:
            distance += 1
        echoes = count_echoes(page, index) if item.words >= 4 else 0
        score = score_title(judged, index, distance, page.layout.base_indent, echoes)
        if score <= 0:
            continue
        dated = any(is_byline_or_date(nxt) for nxt in judged[index + 1 : index + 5])
        if index >= region_start:
            if not dated:
                continue
            score -= 0.5  # articles mostly begin below their headline
        if score > best_score:
            best, best_score = index, score
    return best


def is_caption(item: Judged) -> bool:
    """Photo captions and credits, in the body or around it."""
    return item.caption


def _is_subheading(item: Judged, following: list[Judged]) -> bool:
    signals = item.signals
    if signals.words < 1 or signals.words > 15 or signals.full_stop:
        return False
    if is_date_line(item.text):
        return False
    for nxt in following[:2]:
        if nxt.prose:
            return True
    return False


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
