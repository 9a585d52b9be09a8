"""Undo CSS text-transform: a headline a browser copied in capitals gets its case back."""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_SMALL_WORDS = frozenset(
    "a an the and or but nor of in on at to for by as from with into via vs".split()
)


def is_shouting(text: str) -> bool:
    """Whether every cased letter of a line with several words is a capital."""
    stripped = text.strip()
    return (
        " " in stripped
        and stripped == stripped.upper()
        and sum(1 for ch in stripped if ch.isupper()) >= 6
    )


def recase(text: str, body: str) -> str:
    """Title-case an all-capitals line; words the body itself writes in capitals
    (NATO, US, CEO) stay as they are."""
    if not is_shouting(text):
        return text
    capitals = {word for word in _WORD_RE.findall(body) if word.isupper() and len(word) > 1}
    position = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal position
        word = match.group(0)
        first = position == 0
        position += 1
        if word in capitals:
            return word
        lower = word.lower()
        if not first and lower in _SMALL_WORDS:
            return lower
        return lower[:1].upper() + lower[1:]

    return _WORD_RE.sub(fix, text)
