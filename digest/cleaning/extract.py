"""Locate the articles of one capture: blocks, zones, regions and headlines."""

from __future__ import annotations

from dataclasses import dataclass

from digest.cleaning.boilerplate import Judged, fold_text, judge_blocks
from digest.cleaning.boundaries import split_zones
from digest.cleaning.lines import Layout, detect_layout, read_lines
from digest.cleaning.metadata import is_byline_or_date, score_title, title_terms
from digest.cleaning.reflow import build_blocks
from digest.cleaning.segment import Region, find_core, find_regions, score_blocks

_TITLE_WINDOW = 40


@dataclass(slots=True)
class Page:
    """A capture read into judged blocks."""

    layout: Layout
    judged: list[Judged]
    folded: str = ""  # every block's folded text, one per line, to search for echoes


@dataclass(frozen=True, slots=True)
class Located:
    """Where one article sits among a page's blocks."""

    title: int  # index of the headline block, -1 if none was found
    start: int  # first body block
    end: int  # last body block
    zone_start: int  # the stretch of the capture this article owns
    zone_end: int  # (exclusive)


def read_page(text: str) -> Page:
    """Split, re-flow and judge the blocks of a capture."""
    lines = read_lines(text)
    layout = detect_layout(lines)
    judged = judge_blocks(build_blocks(lines, layout))
    return Page(layout, judged, "\n".join(item.key for item in judged))


def locate_articles(page: Page) -> list[Located]:
    """Every article of the page, in order."""
    judged = page.judged
    if not judged:
        return []
    scores = score_blocks(judged)
    starts = split_zones(judged, scores, page.layout.base_indent)
    found: list[Located] = []
    for number, zone_start in enumerate(starts):
        zone_end = starts[number + 1] if number + 1 < len(starts) else len(judged)
        regions = find_regions(scores[zone_start:zone_end])
        if not regions:
            continue
        best = regions[0]
        region = Region(best.start + zone_start, best.end + zone_start, best.score)
        core = find_core(scores, region)
        title = find_title(page, core, region.start, zone_start)
        start = title + 1 if title >= region.start else region.start
        # The body opens with prose; bylines and captions above it are header.
        while start < region.end and not judged[start].prose:
            start += 1
        found.append(Located(title, start, region.end, zone_start, zone_end))
    return found


def find_title(page: Page, core: int, region_start: int, floor: int = 0) -> int:
    """Index of the best headline above block `core` (and not above `floor`), or -1.
    Between `region_start` and `core` only a headline with a byline or date under it
    counts: elsewhere in the body a short line is a subheading or a related link."""
    judged = page.judged
    best, best_score = -1, 0.0
    distance = 0
    # The region may open with the headline itself when it reads like a sentence.
    top = min(core + 2, len(judged))
    for index in range(top - 1, max(floor - 1, core - _TITLE_WINDOW), -1):
        item = judged[index]
        if index < core and not item.furniture:
            distance += 1
        if title_terms(judged, index, page.layout.base_indent) is None:
            continue  # (scores 0) checked first: counting echoes searches the page
        echoes = count_echoes(page, index) if item.words >= 4 else 0
        score = score_title(judged, index, distance, page.layout.base_indent, echoes)
        if score <= 0:
            continue
        if index >= region_start:
            if not any(is_byline_or_date(nxt) for nxt in judged[index + 1 : index + 5]):
                continue
            score -= 0.5  # articles mostly begin below their headline
        if score > best_score:
            best, best_score = index, score
    return best


def count_echoes(page: Page, index: int) -> int:
    """How many other blocks quote block `index` inside a longer text."""
    key = page.judged[index].key
    if len(key) < 12:
        return 0
    return max(0, page.folded.count(key) - page.judged[index].repeats)


def fold(text: str) -> str:
    """Case- and space-insensitive key of a text."""
    return fold_text(text)
