"""Build regular expressions that stay fast on long word lists."""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of `words` nested by shared prefixes: "sep(?:t(?:ember)?)?"
    rather than "september|sept|sep".

    `re` tries the branches of an alternation one by one, so a flat list of a hundred
    words costs a hundred tests at every position; the trie tests only the words that
    share the character there. It matches what the flat alternation of the same words
    sorted longest first matches: where several words fit, the longest is tried first
    and the shorter ones on backtracking. The result is a group (or a single literal),
    safe to quantify or to embed."""
    heads: dict[str, set[str]] = {}
    for word in words:
        if word:
            heads.setdefault(word[0], set()).add(word[1:])
    branches = []
    for head, tails in sorted(heads.items()):
        ends_here = "" in tails
        tails.discard("")
        branch = re.escape(head)
        if tails:
            rest = trie_pattern(tails)
            if ends_here:  # a shorter word ends here: the rest is optional (greedy)
                rest = f"(?:{rest})?"
            branch += rest
        branches.append(branch)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


# The letters `re` ignoring case takes for an ASCII letter that `str.lower` does not turn
# into it: İ and ı (for i), ſ (for s). (The Kelvin sign lowercases to k.)
_ODD_FOLDS = ("İ", "ı", "ſ")


def hint_text(text: str) -> str | None:
    """`text` lowercased, to look in for the plain lowercase substrings a case-blind
    pattern of ASCII words needs before running that pattern (a search with a case-blind
    pattern tries every position, and is slow); None when `text` holds a letter the
    pattern would match that lowercasing does not make ASCII: run the pattern then."""
    if not text.isascii() and any(map(text.__contains__, _ODD_FOLDS)):
        return None
    return text.lower()


def lowercase_copies(*patterns: re.Pattern[str]) -> tuple[re.Pattern[str], ...]:
    """Copies of case-blind patterns that heed case, to match text already lowercased.

    They match lowercased ASCII text as the originals match it in any case when the
    patterns' words are lowercase, they hold no cased class ([A-Z]), and none of their
    letters past ASCII folds to an ASCII one (the caller's tests check that); re compares
    plain characters much faster than it folds case."""
    return tuple(re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE) for pattern in patterns)
