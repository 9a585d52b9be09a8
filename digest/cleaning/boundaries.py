"""Find where articles begin: a headline directly over its byline or date (or over its
own echo, as when a page repeats the headline under its logo), followed by its own run
of prose before the next such headline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from digest.cleaning.metadata import score_title, substantive_below

if TYPE_CHECKING:
    from digest.cleaning.boilerplate import Judged

_HEADER_MIN = 2.0  # headline score a boundary needs
_BODY_MASS = 60.0  # prose weight an article needs before the next headline
_NEXT_MASS = 100.0  # ... and any article after the first
_ECHOED_MASS = 40.0  # ... or less when its headline is printed twice (logo between)
_STRAY_MASS = 20.0  # less than this between two headlines: they head the same article
_SEPARATION = 2  # blank lines a curator leaves between pasted articles
_ECHO_WINDOW = 8
_BODY_REACH = 30  # blocks below a headline in which its body must begin


def split_zones(judged: list[Judged], scores: list[float], base_indent: int) -> list[int]:
    """Where each article's stretch of the capture starts: [0] for one article, more
    when several pasted articles each bring a headline, a byline or date, a body of
    their own, and blank lines before them."""
    groups = find_header_groups(judged, scores, base_indent)
    echoed = _echoed_headers(judged)
    starts = [0]
    for number, group in enumerate(groups):
        if number == 0:
            continue
        end = groups[number + 1][0] if number + 1 < len(groups) else len(scores)
        # A headline printed twice around a logo is a sure start: a short body will do.
        needed = _ECHOED_MASS if any(index in echoed for index in group) else _NEXT_MASS
        if _mass(scores, group[-1] + 1, end) < needed:
            continue
        gap, at = _widest_gap(judged, scores, group[-1])
        if gap < _SEPARATION:
            continue
        starts.append(at)
    return _drop_thin_zones(starts, scores)


def _drop_thin_zones(starts: list[int], scores: list[float]) -> list[int]:
    """Merge away any zone with no article-sized run of prose of its own."""
    starts = list(starts)
    while len(starts) > 1:
        bounds = list(zip(starts, starts[1:] + [len(scores)]))
        weights = [_best_run(scores[start:end]) for start, end in bounds]
        thin = min(range(len(weights)), key=lambda k: weights[k])
        if weights[thin] >= _ECHOED_MASS:
            break
        del starts[max(thin, 1)]
    return starts


def _echoed_headers(judged: list[Judged]) -> set[int]:
    """Blocks whose text comes again a few blocks below, not on the next line."""
    folded = [item.key for item in judged]
    found: set[int] = set()
    for index, item in enumerate(judged):
        # (A text the capture holds once has no echo: most are ruled out unsearched.)
        if item.repeats < 2 or len(item.key) < 12 or item.prose and item.signals.full_stop:
            continue
        if item.key in folded[index + 2 : index + 1 + _ECHO_WINDOW]:
            found.add(index)
    return found


def _best_run(scores: list[float]) -> float:
    """The largest sum of consecutive scores (Kadane)."""
    best = running = 0.0
    for score in scores:
        running = max(0.0, running + score)
        best = max(best, running)
    return best


def find_header_groups(
    judged: list[Judged], scores: list[float], base_indent: int
) -> list[list[int]]:
    """Headlines that open an article with a body of its own, in page order; headlines
    with no prose between them are grouped as rivals for the same article."""
    raw: list[tuple[int, float]] = []
    folded = [item.key for item in judged]
    ahead = _mass_ahead(scores, _BODY_REACH)
    for index, item in enumerate(judged):
        if ahead[index] < _STRAY_MASS:
            continue  # no prose follows: not the head of an article (and cheap to skip)
        words = item.words
        if not 2 <= words <= 35 or item.furniture or (item.prose and item.signals.full_stop):
            continue
        if (item.template and words < 4) or (item.repeats >= 3 and words < 7):
            continue  # menu entries: never a headline (see score_title)
        # Not the next line: doubled lines are image alt text over a caption.
        # (A text the capture holds once is echoed nowhere.)
        echoed = item.repeats >= 2 and folded[index] in folded[index + 2 : index + 1 + _ECHO_WINDOW]
        if not echoed:
            # The first four blocks below that are not furniture, within the window.
            near = substantive_below(judged, index)[:4]
            if not any(
                judged[k].dateline and not judged[k].caption
                for k in near
                if k <= index + _ECHO_WINDOW
            ):
                continue
        score = score_title(judged, index, 1, base_indent)
        if score >= _HEADER_MIN:
            raw.append((index, score))
    # Headlines with (almost) no prose between them compete for the same article.
    groups: list[list[tuple[int, float]]] = []
    for entry in raw:
        if groups and _mass(scores, groups[-1][-1][0] + 1, entry[0]) < _STRAY_MASS:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    kept: list[list[int]] = []
    for number, group in enumerate(groups):
        end = groups[number + 1][0][0] if number + 1 < len(groups) else len(scores)
        if _mass(scores, group[-1][0] + 1, end) < _BODY_MASS:
            continue
        kept.append([entry[0] for entry in group])
    return kept


def _widest_gap(judged: list[Judged], scores: list[float], index: int) -> tuple[int, int]:
    """The widest blank gap between the last prose above `index` and `index`, and the
    block below it."""
    last = index - 1
    while last > 0 and scores[last] <= 0:
        last -= 1
    at = max(range(last + 1, index + 1), key=lambda k: (judged[k].gap_before, -k))
    return judged[at].gap_before, at


def _mass_ahead(scores: list[float], reach: int) -> list[float]:
    """For every block, the prose weight in the `reach` blocks below it."""
    count = len(scores)
    positive = [max(0.0, score) for score in scores]
    ahead = [0.0] * count
    running = sum(positive[1 : 1 + reach])
    for index in range(count):
        ahead[index] = running
        if index + 1 < count:
            running -= positive[index + 1]
        if index + 1 + reach < count:
            running += positive[index + 1 + reach]
    return ahead


def _mass(scores: list[float], start: int, end: int) -> float:
    return sum(score for score in scores[start:end] if score > 0)
