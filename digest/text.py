"""Small text helpers shared by ingest and build: plain text, summaries, word counts."""

from __future__ import annotations

import re
import unicodedata

_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_MARKS = re.compile(r"(^|\s)(#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`]+", re.MULTILINE)
_SPACE = re.compile(r"\s+")
# Runs of lines without a blank line between; a line's characters are taken in one step
# (possessively: nothing follows that could take them back), not one alternation per character
_BLOCK = re.compile(r"(?:[^\n]++|\n(?![ \t]*\n))++")
# Bidi embeddings, overrides and isolates can make text read differently from what it is
# ("Trojan Source"), and zero-width spaces hide inside words; neither carries meaning in a
# news text. Zero-width (non-)joiners stay: Persian, Indic scripts and emoji need them.
_DISGUISE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
# C0 and C1 controls except tab, newline and carriage return, and the noncharacters: never
# text, and XML forbids most of them
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_JOINERS = "\u200c\u200d"


def plain_text(markdown: str) -> str:
    """Flatten Markdown to one line of readable text (links keep their words)."""
    text = _LINK.sub(r"\1", markdown)
    text = _MARKS.sub(r"\1", text)
    return clean_line(text)


def first_paragraph(markdown: str) -> str:
    """Return the first paragraph that is not a heading, quote or list."""
    for match in _BLOCK.finditer(markdown):  # lazily: the first paragraph is usually the first block
        stripped = match.group().strip()
        if stripped and not stripped.startswith(("#", ">", "- ", "* ", "|", "```")):
            return plain_text(stripped)
    return plain_text(markdown)


def shorten(text: str, limit: int = 300) -> str:
    """Cut text at a sentence or word boundary within `limit` characters."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if sentence_end > limit // 2:
        return cut[: sentence_end + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def count_words(text: str) -> int:
    """Count words for reading time: runs of non-space characters."""
    return len(text.split())


def clean_line(text: str) -> str:
    """Normalise a one-line field: NFC, no control or invisible characters, single spaces.

    Format characters (bidi controls, zero-width spaces, soft hyphens) are removed; a
    zero-width joiner or non-joiner stays only between two non-ASCII characters, where a
    script or an emoji needs it. Other unprintable characters become spaces.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # rare; the per-character pass is slow
        text = "".join(_printable(text, index, char) for index, char in enumerate(text))
    return _SPACE.sub(" ", text).strip()


def _printable(text: str, index: int, char: str) -> str:
    if char.isprintable():
        return char
    if unicodedata.category(char) != "Cf":
        return " "
    if char in _JOINERS and 0 < index < len(text) - 1:
        before, after = text[index - 1], text[index + 1]
        if ord(before) > 127 and ord(after) > 127 and not before.isspace() and not after.isspace():
            return char
    return ""


def neutralise_text(text: str) -> str:
    """Remove control characters and disguising format characters from multi-line text."""
    # None of them is printable, so text printable but for its line breaks (nearly every
    # body) has nothing to remove: one quick check instead of two regex scans.
    if text.replace("\n", "").isprintable():
        return text
    return _DISGUISE.sub("", _CONTROL.sub("", text))
