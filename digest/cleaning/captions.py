"""Recognise image captions and photo credits, and split one into the other."""

from __future__ import annotations

import re
from collections.abc import Iterator

from digest.cleaning.patterns import lowercase_copies

# A credit at the end of a caption, in the forms agencies and papers print (see
# `_credit_patterns` for the order they are tried in, each after a cheap test).
_PAREN_CREDIT_RE = re.compile(
    # "... (Photo by ATTA KENARE / AFP)", "(AP Photo/Thibault Camus)", "(Credit: iStock)"
    r"\s*\((?:(?:photo|image|picture|foto|credit|courtesy|source)s?(?: by|:)?\s*)?"
    r"(?P<credit>[^()]{2,80}?)\)\s*$",
    re.IGNORECASE,
)
# "... | AFP"
_BAR_CREDIT_RE = re.compile(r"\s+[|]\s*(?P<credit>[^|]{2,60})$")
# "Credit...Anna Moneymaker/The New York Times", "Photo: Reuters"
_LABELLED_CREDIT_RE = re.compile(
    r"\b(?:credit|photo(?:graph)?|image|picture|foto|fotografia|фото|source)"
    r"(?:\s*(?:\.{2,}|…|:)\s*|\s+by\s+)(?P<credit>[^.]{2,80})$",
    re.IGNORECASE,
)
# "... February 6, 2026. REUTERS/Anastasia Barashkova", "... © REUTERS / POOL"
_SLASH_CREDIT_RE = re.compile(
    r"(?:(?<=[.!?”\"])\s*|\s+)(?P<credit>(?:©\s*)?[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*){0,3}"
    r"\s?/\s?[A-Z][\w.&' -]{1,60})$"
)
# "... co-working space in New York.Reuters" (credit glued on by the renderer)
_GLUED_CREDIT_RE = re.compile(
    r"(?<=[a-z][.!?])(?P<credit>[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*){0,3}"
    r"(?:/[\w .&'-]{2,40})?)$"
)
# "© Reuters"
_COPYRIGHT_CREDIT_RE = re.compile(r"(?:^|\s+)©\s*(?P<credit>.{2,60})$")
_CREDIT_HINT_WORDS = ("credit", "photo", "image", "picture", "foto", "фото", "source")
# The same words (plain substrings) in one pattern: one scan instead of seven.
_CREDIT_HINT_RE = re.compile("|".join(_CREDIT_HINT_WORDS))
_CREDIT_LINE_HINT_RE = re.compile("|".join(map(re.escape, (*_CREDIT_HINT_WORDS, "copyright", "("))))
# A whole line that is only a credit, in three patterns: the first and last backtrack
# a lot on ordinary lines, so each runs only when its slash or comma is there.
# "Name Name/Agency"
_CREDIT_SLASH_LINE_RE = re.compile(
    r"^(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3} ?/ ?[A-Z][\w .&'-]{1,50})$", re.IGNORECASE
)
# "Photo: ...", "© ...", "Reuters"
_CREDIT_NAMED_LINE_RE = re.compile(
    r"^(?:(?:photo|image|picture|foto|credit|source|фото)s?\s*(?:by|:|\.\.\.|…)\s*\S.{0,80}"
    r"|\(?(?:©|copyright)\s*\S.{0,60}|getty images?|reuters|afp|ap|associated press)$",
    re.IGNORECASE,
)
# "Al Goldis, Associated Press"
_CREDIT_COMMA_LINE_RE = re.compile(
    r"^(?:[\w .'-]{2,40},\s*(?:associated press|ap|afp|reuters|getty images|epa|shutterstock|"
    r"ap photo|the [\w ]+)\)?)$",
    re.IGNORECASE,
)
# The named and comma forms, and copies of them that heed case for lowercased ASCII
# lines (their words are lowercase and they hold no [A-Z]: see `lowercase_copies`).
_CASE_BLIND_CREDIT_LINES = (_CREDIT_NAMED_LINE_RE, _CREDIT_COMMA_LINE_RE)
# What a lowercased ASCII line `_CREDIT_NAMED_LINE_RE` matches can open with (its ASCII
# words' initials and the parenthesis): other lines need not try it.
_NAMED_CREDIT_INITIALS = frozenset("pifcsgra(")
_LOWERCASE_CREDIT_LINES = lowercase_copies(*_CASE_BLIND_CREDIT_LINES)
_CREDIT_WORDS_RE = re.compile(
    r"\b(?:ap|afp|reuters|getty|images?|photo|photos|epa|shutterstock|istock|press|pool|"
    r"via|courtesy|file|handout|credit|stock|agency|news|times|post|wire|associated)\b",
    re.IGNORECASE,
)
_CREDIT_LABEL_RE = re.compile(
    r"^(?:credit|photo(?:graph)?|image|picture|foto|source|фото)s?\s*(?:\.{2,}|…|:)?$",
    re.IGNORECASE,
)
_FILE_PHOTO_RE = re.compile(
    r"^(?:file photo|pictured|above|below|top|left|right)\s*:", re.IGNORECASE
)


_TAIL = 160
# A sentence mark with a character after it that is no space (no space is a capital): in
# prose most marks are followed by one, and the pattern passes over them.
_SENTENCE_MARK_RE = re.compile(r"[.!?](?=\S)")


def split_credit(text: str) -> tuple[str, str | None]:
    """Split "caption (credit)" into caption and credit; credit None if there is none."""
    stripped = text.strip()
    # Credits end a caption: only its tail needs searching.
    offset = max(0, len(stripped) - _TAIL)
    tail = stripped[offset:]
    for pattern in _credit_patterns(tail):
        match = pattern.search(tail)
        if match is None:
            continue
        credit = match.group("credit").strip(" .,;:")
        caption = stripped[: offset + match.start()].rstrip(" |-–—")
        if not credit or not _looks_like_credit(credit):
            continue
        if pattern is _PAREN_CREDIT_RE and not _plainly_credit(credit, match.group(0)):
            continue
        return caption, credit
    return stripped, None


def _credit_patterns(tail: str) -> Iterator[re.Pattern[str]]:
    """The credit patterns worth trying on a caption's tail, in order: each only when a
    cheap test shows the tail has what it needs (most captions and lines have none)."""
    end = tail[-1:]
    if end == ")":
        yield _PAREN_CREDIT_RE  # the parenthesis closes the (stripped) caption: "...)$"
    if "|" in tail:
        yield _BAR_CREDIT_RE
    # Its credit runs to the end without a full stop (most sentences are out), after a
    # credit word and "...", "…", ":" or "by".
    if (
        end != "."
        and (":" in tail or "…" in tail or ".." in tail or _has_by(tail))
        and _CREDIT_HINT_RE.search(tail.lower()) is not None
    ):
        yield _LABELLED_CREDIT_RE
    if "/" in tail:
        yield _SLASH_CREDIT_RE
    if ("." in tail or "!" in tail or "?" in tail) and _glued_credit_hint(tail):
        yield _GLUED_CREDIT_RE
    if "©" in tail:
        yield _COPYRIGHT_CREDIT_RE


def _has_by(text: str) -> bool:
    """Whether "by" occurs in any case (no other letters fold to b or y)."""
    return "by" in text or "By" in text or "BY" in text or "bY" in text


def is_credit_line(text: str, case_blind: bool = False) -> bool:
    """Whether a whole line is only a photo credit ("Al Goldis, Associated Press").

    `case_blind`: skip the lowercase fast path (the tests compare the two)."""
    stripped = text.strip()
    if len(stripped) > 90:
        return False
    # Every credit form has a slash, comma or copyright sign, a credit word, or is short.
    if (
        len(stripped) > 24
        and not ("/" in stripped or "," in stripped or "©" in stripped)
        and _CREDIT_LINE_HINT_RE.search(stripped[:12].lower()) is None
    ):
        return False
    # ASCII lines meet the named and comma forms lowercased (see `_LOWERCASE_CREDIT_LINES`).
    if stripped.isascii() and not case_blind:
        probe, (named_re, comma_re) = stripped.lower(), _LOWERCASE_CREDIT_LINES
        named = probe[:1] in _NAMED_CREDIT_INITIALS
    else:
        probe, (named_re, comma_re) = stripped, _CASE_BLIND_CREDIT_LINES
        named = True
    return bool(
        ("/" in stripped and _CREDIT_SLASH_LINE_RE.match(stripped))
        or (named and named_re.match(probe))
        or ("," in stripped and comma_re.match(probe))
    )


def _glued_credit_hint(tail: str) -> bool:
    """A sentence end followed straight by a capital near the end ("York.Reuters")."""
    # Marks from the second character up to the one before last, within 62 of the end.
    for mark in _SENTENCE_MARK_RE.finditer(tail, max(1, len(tail) - 62)):
        end = mark.start()
        if tail[end - 1].islower() and tail[end + 1].isupper():
            return True
    return False


def has_credit(text: str) -> bool:
    """Whether a line ends in a photo credit."""
    return split_credit(text)[1] is not None


def is_credit_label(text: str) -> bool:
    """A line that only announces the credit on the next line: "Credit...", "Photo:"."""
    return len(text) <= 24 and bool(_CREDIT_LABEL_RE.match(text.strip()))


def starts_like_caption(text: str) -> bool:
    """Caption openers such as "FILE PHOTO:"."""
    return ":" in text and bool(_FILE_PHOTO_RE.match(text))  # (each opener ends in one)


def _plainly_credit(credit: str, whole: str) -> bool:
    """A parenthesis ends many sentences; only some are credits."""
    if re.match(r"\s*\((?:photo|image|picture|foto|credit|courtesy|source)", whole, re.IGNORECASE):
        return True
    if "/" in credit or _CREDIT_WORDS_RE.search(credit):
        return True
    return credit.isupper() and credit.replace(" ", "").isalpha() and len(credit.split()) <= 3


def _looks_like_credit(credit: str) -> bool:
    words = credit.split()
    if not 1 <= len(words) <= 10:
        return False
    if any(ch in credit for ch in ".!?") and not re.search(r"\b[A-Z]\.", credit):
        # A sentence in parentheses is prose, not a credit ("(He declined.)").
        return credit.count(".") <= 2 and bool(_CREDIT_WORDS_RE.search(credit))
    capitals = sum(1 for word in words if word[:1].isupper() or not word[:1].isalpha())
    if capitals >= max(1, len(words) - 1):
        return True
    return bool(_CREDIT_WORDS_RE.search(credit))
