"""Recognise the lines printed under a headline: bylines, date lines, reading times.

Text-level checks only, so that block judging can record their verdicts once.
"""

from __future__ import annotations

import re

from digest.cleaning.dates import find_stamps

_BYLINE_RE = re.compile(
    r"^(?:(?:written |posted |words |reporting |text |story |report(?:ed)? )?by|por|par|di|von|"
    r"door|av|af|от|текст|автор|author|authors|writer|autor(?:a|es)?|escrito por|publicado por)"
    r"\s*[:：]?\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_BYLINE_TAIL_RE = re.compile(
    r"\s*(?:[|·•,;／/]|\s-\s|\s–\s|\s—\s|\bon\b|\bat\b|\bupdated\b|\bpublished\b|\bin\b"
    r"|\d{1,2}[:/.]\d|\d{4}|@).*$",
    re.IGNORECASE,
)
# First words a byline can open with (checked before the byline pattern: fast).
_BYLINE_STARTS = frozenset(
    "by written posted words reporting text story report reported por par di von door av af "
    "от текст автор author authors writer autor autora autores escrito publicado".split()
)
_NAME_RE = re.compile(r"^[^\W\d_][\w.'’ -]*[^\W\d_]\.?$")
_DATE_WORDS_RE = re.compile(
    r"\b(?:published|updated|posted|last updated|modified|date|publish date|publicado|"
    r"atualizado|mis à jour|publié|aggiornato|pubblicato|veröffentlicht|aktualisiert|"
    r"опубликовано|обновлено|am|pm|gmt|utc|est|edt|pst|pdt|ago|today|yesterday)\b",
    re.IGNORECASE,
)
_READ_TIME_RE = re.compile(
    r"^\d{1,3}\s*(?:min(?:ute)?s?|m)\.?\s*(?:read|de leitura|de lectura|lecture)?$", re.IGNORECASE
)
_WORDISH_RE = re.compile(r"[^\W\d_]{2,}")
_CALENDAR_WORDS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december mon tue wed thu fri sat sun monday "
    "tuesday wednesday thursday friday saturday sunday st nd rd th at on of".split()
)
_DESK_RE = re.compile(
    r"^[A-Z][\w.&'’ -]{1,40}\s(?:wire services?|news services?|wire reports?|staff(?: reports?"
    r"| writers?)?|newsroom|news desk|editorial (?:staff|board))$",
    re.IGNORECASE,
)
# The words `_DESK_RE` can end on (the longest has eight letters), as a pattern and,
# for ASCII text (where ignoring case is lowercasing), as plain endings.
_DESK_END_RE = re.compile(
    r"(?:services?|reports?|staff|writers?|newsroom|desk|board)$", re.IGNORECASE
)
_DESK_ENDINGS = tuple(
    "service services report reports staff writer writers newsroom desk board".split()
)
_ROLE_WORDS = (
    "Press",
    "News",
    "Times",
    "Post",
    "Reporter",
    "Correspondent",
    "Editor",
    "Writer",
    "Staff",
    "Contributor",
    "Columnist",
)
_ROLES = "|".join(_ROLE_WORDS)
_ROLE_RE = re.compile(_ROLES)
_NAME_COMMA_RE = re.compile(
    r"^(?:[A-Z][\w'’.-]+ ){1,2}[A-Z][\w'’.-]+(?:,\s*|\s+(?=(?:[A-Z][\w]+ )?(?:"
    + _ROLES
    + r")\b))[\w ,.&'’-]{2,45}$"
)
_DIGIT_RE = re.compile(r"\d")
_RELATIVE_HINT_RE = re.compile(r"today|yesterday|ago\b", re.IGNORECASE)
# A whole line given over to a relative timestamp: "Today 20:24", "Updated 3 hours ago".
_RELATIVE_LINE_RE = re.compile(
    r"^\W*(?:(?:published|updated|posted|last updated)\W*)?(?:(?:today|yesterday)\b(?!\s+[a-z])"
    r"|\d{1,3}\s+(?:min(?:ute)?s?|hours?|hrs?|h|days?)\s+ago\b|an? (?:minute|hour|day) ago\b)",
    re.IGNORECASE,
)


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


def is_name_line(text: str) -> bool:
    """A byline without "By": "Charlie Wood, Business Insider", "Tom Gillespie, reporter"."""
    stripped = text.strip()
    if len(stripped) > 60 or stripped.endswith(".") or len(stripped.split()) > 7:
        return False
    # The desk pattern backtracks over the whole line: check its last word first.
    tail = stripped[-8:]
    if tail.isascii():
        desk_end = tail.lower().endswith(_DESK_ENDINGS)
    else:
        desk_end = _DESK_END_RE.search(tail) is not None
    if desk_end and _DESK_RE.match(stripped):
        return True  # "Detroit News wire services", "Herald staff"
    # The name pattern opens with an ASCII capital: most lines fail on their first letter.
    if not "A" <= stripped[:1] <= "Z":
        return False
    if "," not in stripped and _ROLE_RE.search(stripped) is None:
        return False
    return _NAME_COMMA_RE.match(stripped) is not None


def is_comma_list(text: str) -> bool:
    """A line listing short items ("Filed Under: EEE, health, Michigan, virus")."""
    body = text.split(":", 1)[1] if ":" in text[:30] else text
    items = [part.strip() for part in body.split(",")]
    if len(items) < 3 or any(not part for part in items):
        return False
    return all(len(part.split()) <= 4 for part in items) and not body.rstrip().endswith(".")


def is_date_line(text: str) -> bool:
    """A short line that is mostly a timestamp ("Published 11:11 PM EST Nov 19, 2019")."""
    words = text.split()
    if len(words) > 16:
        return False
    if _RELATIVE_LINE_RE.match(text) and len(words) <= 8:
        return True
    if not find_stamps(text):
        return False
    if _DATE_WORDS_RE.search(text) or byline_name(text) is not None:
        return True
    rest = [word for word in _WORDISH_RE.findall(text) if word.lower() not in _CALENDAR_WORDS]
    return len(rest) <= 3


def is_read_time(text: str) -> bool:
    """ "2 Min Read", "5 min read" and the like."""
    return bool(_READ_TIME_RE.match(text.strip()))


def _tidy_name(name: str) -> str:
    if name.isupper():
        return " ".join(part.capitalize() for part in name.split())
    return name


def _has_relative_hint(text: str) -> bool:
    """`_RELATIVE_HINT_RE.search`, run only when "day" or "ago" occurs at all (no other
    letters fold to theirs, so lowercasing finds every case)."""
    lowered = text.lower()
    return ("day" in lowered or "ago" in lowered) and bool(_RELATIVE_HINT_RE.search(text))


def is_byline_or_date_text(text: str, words: int) -> bool:
    """Whether a line of `words` words is an author, date or reading-time line."""
    if words > 25 or not text:
        return False
    head = text.split(None, 1)[0].lower().rstrip(":：")
    if head in _BYLINE_STARTS and byline_name(text) is not None:
        return True
    if ("," in text or " " in text) and is_name_line(text):
        return True
    # Dates and reading times need a digit, or a word such as "today" or "ago".
    if not _DIGIT_RE.search(text) and not _has_relative_hint(text):
        return False
    return is_date_line(text) or is_read_time(text)
