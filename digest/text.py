"""Small text helpers shared by ingest and build: plain text, summaries, word counts."""

from __future__ import annotations

import re
import unicodedata

_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_MARKS = re.compile(r"(^|\s)(#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`]+", re.MULTILINE)
_SPACE = re.compile(r"\s+")
# bidi overrides and zero-width characters can disguise text; they carry no meaning here
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE_CHARS}]")
_INVISIBLE = dict.fromkeys(
    map(ord, _INVISIBLE_CHARS),
    None,
)


def plain_text(markdown: str) -> str:
    """Flatten Markdown to one line of readable text (links keep their words)."""
    text = _LINK.sub(r"\1", markdown)
    text = _MARKS.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


def first_paragraph(markdown: str) -> str:
    """Return the first paragraph that is not a heading, quote or list."""
    for block in re.split(r"\n\s*\n", markdown.strip()):
        stripped = block.strip()
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
    """Normalise a one-line field: NFC, no control or invisible characters, single spaces."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _INVISIBLE_RE.search(text):
        text = text.translate(_INVISIBLE)
    if not text.isprintable():  # rare; the per-character pass is slow
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return _SPACE.sub(" ", text).strip()
