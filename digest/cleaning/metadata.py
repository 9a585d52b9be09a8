"""Recognise the lines around an article that are about it rather than of it: the
headline, bylines, date lines, tag lists and the publication's own name."""

from __future__ import annotations

import re

from digest.cleaning.boilerplate import Judged, is_label
from digest.cleaning.captions import has_credit, is_credit_line
from digest.cleaning.dates import find_relative_header, find_stamps

_BYLINE_RE = re.compile(
    r"^(?:(?:written |posted |words |reporting |text |story |report(?:ed)? )?by|por|par|di|von|"
    r"door|av|af|от|текст|автор|author|authors|writer|autor(?:a|es)?|escrito por|publicado por)"
    r"\s*[:：]?\s+(?P<name>.+)$",
    re.I,
)
_BYLINE_TAIL_RE = re.compile(
    r"\s*(?:[|·•,;]|\s-\s|\s–\s|\s—\s|\bon\b|\bat\b|\bupdated\b|\bpublished\b|\bin\b"
    r"|\d{1,2}[:/.]\d|\d{4}|@).*$",
    re.I,
)
_NAME_RE = re.compile(r"^[^\W\d_][\w.'’ -]*[^\W\d_]\.?$")
_DATE_WORDS_RE = re.compile(
    r"\b(?:published|updated|posted|last updated|modified|date|publish date|publicado|"
    r"atualizado|mis à jour|publié|aggiornato|pubblicato|veröffentlicht|aktualisiert|"
    r"опубликовано|обновлено|am|pm|gmt|utc|est|edt|pst|pdt|ago|today|yesterday)\b",
    re.I,
)
_READ_TIME_RE = re.compile(r"^\d{1,3}\s*(?:min(?:ute)?s?|m)\.?\s*(?:read|de leitura|de lectura|lecture)?$", re.I)
_WORDISH_RE = re.compile(r"[^\W\d_]{2,}")


def byline_name(text: str) -> str | None:
    """The author named by a byline ("By Jane Doe | Reuters" -> "Jane Doe")."""
    match = _BYLINE_RE.match(text.strip())
    if match is None:
        return None
    name = _BYLINE_TAIL_RE.sub("", match.group("name")).strip(" .,:;-–—")
    if not name or len(name) > 80 or len(name.split()) > 8:
        return None
    if not _NAME_RE.match(name):
        return None
    # "by the way", "by clicking ..." are sentences, not bylines.
    if name.split()[0][:1].islower() and not name.isupper():
        return None
    return _tidy_name(name)


def is_date_line(text: str) -> bool:
    """A short line that is mostly a timestamp ("Published 11:11 PM EST Nov 19, 2019")."""
    words = text.split()
    if len(words) > 16:
        return False
    if find_relative_header(text) is not None and len(words) <= 8:
        return True
    if not find_stamps(text):
        return False
    rest = _WORDISH_RE.findall(text)
    return len(rest) <= 8 or bool(_DATE_WORDS_RE.search(text))


def is_read_time(text: str) -> bool:
    """"2 Min Read", "5 min read" and the like."""
    return bool(_READ_TIME_RE.match(text.strip()))


def is_meta_line(item: Judged) -> bool:
    """Bylines, date lines, credits and read-time badges: metadata, never body."""
    text = item.text
    if item.words > 25:
        return False
    return (
        byline_name(text) is not None
        or is_date_line(text)
        or is_read_time(text)
        or is_credit_line(text)
    )


def score_title(item: Judged, distance: int, base_indent: int, echoes: int) -> float:
    """How much `item` looks like the headline of an article starting `distance`
    blocks below it. Zero or less: not a headline."""
    text = item.text
    signals = item.signals
    words = signals.words
    if words < 2 or len(text) > 250 or words > 35:
        return 0.0
    if item.label or item.furniture or is_label(text):
        return 0.0
    if is_meta_line(item) or has_credit(text):
        return 0.0
    if item.block.bullet and base_indent == 0 and item.block.indent == 0:
        pass
    score = 1.0
    if 4 <= words <= 25:
        score += 1.0
    elif words <= 2:
        score -= 0.6
    if signals.full_stop and not text.rstrip().endswith(("?", "!", "…", "...")):
        score -= 0.8
    if item.prose and words > 25:
        score -= 0.5
    if item.block.bullet:
        score -= 0.8
    if item.template and words < 4:
        score -= 0.5
    indent = item.block.indent
    if base_indent and indent < base_indent:
        score += 0.8  # lynx prints headings at the left margin
    elif indent > base_indent + 6 and not item.block.bullet:
        score += 0.4  # centred headings
    if echoes > 1:
        score += 0.6
    # Closer to the body is better; headlines sit just above bylines and standfirsts.
    score -= 0.12 * max(0, distance - 1)
    return score


def _tidy_name(name: str) -> str:
    if name.isupper():
        return " ".join(part.capitalize() for part in name.split())
    return name
