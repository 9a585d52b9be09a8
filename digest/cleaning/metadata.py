"""Recognise the lines around an article that are about it rather than of it: the
headline, bylines, date lines, tag lists and the publication's own name."""

from __future__ import annotations

import re

from digest.cleaning.boilerplate import Judged
from digest.cleaning.bylines import (
    byline_name,
    is_comma_list,
    is_date_line,
    is_name_line,
    is_read_time,
)
from digest.cleaning.patterns import hint_text, trie_pattern

__all__ = [
    "byline_name",
    "could_be_title",
    "is_byline_or_date",
    "is_comma_list",
    "is_date_line",
    "is_meta_line",
    "is_name_line",
    "is_read_time",
    "score_title",
    "substantive_below",
    "title_terms",
]

_CRUMB_RE = re.compile(r"\S\s+[»›>]\s+\S")
_URL_RE = re.compile(r"https?://|www\.|\.(?:com|org|net|html?)\b", re.IGNORECASE)
_PHOTO_CREDIT_RE = re.compile(r"[,/]|\b(?:photo|getty|images)\b", re.IGNORECASE)
# Promotional and sharing lines: "Follow us", "(Opens in new window)", "Email this".
_PROMO_RE = re.compile(
    r"\b(?:opens in (?:a )?new window|follow (?:us|@)|subscribe|sign up|newsletter|"
    r"email this|share (?:on|this|via|to)|click (?:here|to)|download|install|"
    r"get (?:the|our) app|trust|advertis)",
    re.IGNORECASE,
)
# Plain lowercase substrings without which `_URL_RE` and `_PROMO_RE` cannot match (see
# `patterns.hint_text`), as one case-sensitive pattern each: many times quicker to search
# for than the case-blind patterns of many branches.
_URL_HINT_WORDS = ("://", "www.", ".com", ".org", ".net", ".htm")
_PROMO_HINT_WORDS = (
    *("opens in ", "follow ", "subscribe", "sign up", "newsletter", "email this"),
    *("share ", "click ", "download", "install", "get ", "trust", "advertis"),
)
_URL_HINTS = re.compile(trie_pattern(_URL_HINT_WORDS))
_PROMO_HINTS = re.compile(trie_pattern(_PROMO_HINT_WORDS))
# Either kind: most texts hold neither, which one search tells.
_VETO_HINTS = re.compile(trie_pattern((*_URL_HINT_WORDS, *_PROMO_HINT_WORDS)))
_CRUMB_MARKS = "»›>"


def is_meta_line(item: Judged) -> bool:
    """Bylines, date lines, credits and read-time badges: metadata, never body."""
    return item.meta  # judged once per text


def is_byline_or_date(item: Judged) -> bool:
    """The lines printed under a headline: author, date, reading time."""
    return item.dateline


def score_title(
    judged: list[Judged], index: int, distance: int, base_indent: int, echoes: int = 0
) -> float:
    """How much block `index` looks like the headline of an article whose body starts
    `distance` blocks below it; `echoes` counts other blocks quoting it. Zero or less:
    not a headline."""
    item = judged[index]
    terms = title_terms(judged, index, base_indent)
    if terms is None:
        return 0.0
    # (The same steps in the same order as ever: the sum is bit for bit the same.)
    score, meta, script_differs = terms
    if item.repeats >= 2 or echoes > 0:
        score += 0.5  # echoed: page title, share text, breadcrumb, comment heading
    if meta:
        score += meta
    if script_differs:
        score -= 1.5
    # Closer to the body is better; standfirsts and bylines may come between.
    score -= 0.1 * max(0, distance - 1)
    return score


def title_terms(
    judged: list[Judged], index: int, base_indent: int
) -> tuple[float, float, bool] | None:
    """What `score_title` makes of block `index` whatever its distance and echoes: the
    score so far, what the byline and date below it add, and whether its script differs
    from the body's; None when it cannot be a headline. Worked out once per block (a
    capture's header grouping and headline search ask for the same blocks)."""
    item = judged[index]
    terms = item.title_terms
    if terms is None:
        terms = item.title_terms = _weigh_title(judged, index, base_indent) or ()
    return terms or None


def _weigh_title(
    judged: list[Judged], index: int, base_indent: int
) -> tuple[float, float, bool] | None:
    """`title_terms`, worked out."""
    item = judged[index]
    if not could_be_title(item):
        return None
    text = item.text
    signals = item.signals
    words = signals.words
    following = [judged[other] for other in substantive_below(judged, index)]
    meta_at = next((n for n, nxt in enumerate(following) if is_byline_or_date(nxt)), -1)
    if following and _is_photo_credit_line(following[0]):
        # A caption with its credit on the next line -- unless a byline or date
        # follows the credit, for then it belongs to a picture under the headline.
        if not any(nxt.dateline for nxt in following[1:]):
            return None
        if meta_at == 0:
            meta_at = next(n for n, nxt in enumerate(following) if n and nxt.dateline)
    score = 1.0
    if 4 <= words <= 25:
        score += 1.0
    elif words <= 3:
        score -= 0.7
        if signals.stop_ratio == 0 and not signals.wide:
            score -= 0.5  # a name or a section label
    if text.rstrip().endswith(("…", "...")):
        score -= 0.6  # a teaser cut short, not a headline
    elif (
        signals.full_stop
        and not text.rstrip().endswith(("?", "!"))
        or text.rstrip().endswith((":", ",", ";"))
    ):
        score -= 1.0
    if item.bullet:
        score -= 0.8
    if item.template and words < 4:
        score -= 0.5
    if words > 16:
        score -= 0.1 * (words - 16)  # standfirsts run longer than headlines
    below = next((nxt for nxt in following if not nxt.furniture), None)
    if (
        below is not None
        and below.words > max(words, 7)
        and below.signals.lower_ratio >= 0.4
        and not is_meta_line(below)
    ):
        score += 0.4  # a headline over a longer standfirst
    indent = item.indent
    if base_indent and indent < base_indent:
        score += 0.8  # lynx prints headings at the left margin
    elif indent > base_indent + 6 and not item.bullet:
        score += 0.4  # centred headings
    if _inside_headline_list(judged, index):
        score -= 1.0  # one link among a list of other headlines
    meta = 0.0
    if 0 <= meta_at <= 2:
        meta = 1.2  # headlines sit right above the byline and date
    elif meta_at > 2:
        meta = 0.6
    elif any(is_byline_or_date(prev) for prev in judged[max(0, index - 3) : index]):
        meta = -0.8  # below the byline and date come captions, standfirsts, sidebars
    return score, meta, signals.script != _body_script(judged, index)


def could_be_title(item: Judged) -> bool:
    """False for the blocks `score_title` rules out whatever surrounds them."""
    text = item.text
    # (`item.words` is `item.signals.words` but for a lone word of no letters or digits,
    # which is ruled out either way: no need to measure the text.)
    words = item.words
    if words < 2 or len(text) > 250 or words > 35:
        return False
    # (`item.label` is `is_label(text)`, judged once per text.)
    if item.label or item.furniture or (item.repeats >= 3 and words < 7):
        return False
    verdict = item.verdict
    if verdict.title_veto is None:  # the text alone rules it out: judged once per text
        verdict.title_veto = _is_vetoed(text)
    # The costlier verdicts last: each is worked out on first use.
    return not (verdict.title_veto or item.teaser or item.caption or item.meta)


def _is_vetoed(text: str) -> bool:
    """A link, a promotion, a list of tags or a breadcrumb trail: never a headline. (The
    case-blind patterns run only on text that holds the substrings they need.)"""
    lowered = hint_text(text)
    if lowered is not None and _VETO_HINTS.search(lowered) is None:
        url = promo = False
    else:
        url = lowered is None or _URL_HINTS.search(lowered) is not None
        promo = lowered is None or _PROMO_HINTS.search(lowered) is not None
    crumb = any(map(text.__contains__, _CRUMB_MARKS))
    return bool(
        (url and _URL_RE.search(text))
        or (promo and _PROMO_RE.search(text))
        or is_comma_list(text)
        or (crumb and _CRUMB_RE.search(text))  # a breadcrumb trail: "News » Science » Title"
    )


def _inside_headline_list(judged: list[Judged], index: int) -> bool:
    """Whether the lines just above and below are headline-like too."""
    if index == 0 or index + 1 >= len(judged):
        return False
    return _headline_like(judged[index - 1]) and _headline_like(judged[index + 1])


def _headline_like(item: Judged) -> bool:
    return (
        4 <= item.words <= 25
        and (not item.prose or item.words <= 16)
        and not item.furniture
        and not item.dateline
        and not item.text.rstrip().endswith(".")
    )


def substantive_below(judged: list[Judged], index: int) -> list[int]:
    """Where the next five blocks below `index` that are not furniture sit (among the
    next twenty), found once per block."""
    item = judged[index]
    found = item.below
    if found is None:
        found = item.below = []
        for other in range(index + 1, min(index + 21, len(judged))):
            if judged[other].furniture or judged[other].label:
                continue
            found.append(other)
            if len(found) == 5:
                break
    return found


def _is_photo_credit_line(item: Judged) -> bool:
    """A credit naming a photographer ("Al Goldis, Associated Press"), not a bare
    agency name (which also stands under headlines as the source)."""
    # (Whether it is a credit line at all is judged once per text.)
    return item.verdict.credit_line and bool(_PHOTO_CREDIT_RE.search(item.text))


def _body_script(judged: list[Judged], index: int) -> str:
    for item in judged[index + 1 : index + 40]:
        if item.prose:
            return item.signals.script
    return judged[index].signals.script
