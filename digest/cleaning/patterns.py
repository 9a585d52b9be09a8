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
