"""Recognise the lines around an article that are about it rather than of it: the
headline, bylines, date lines, tag lists and the publication's own name."""

from __future__ import annotations

import re

from digest.cleaning.boilerplate import Judged, is_label
from digest.cleaning.captions import is_credit_line
from digest.cleaning.dates import find_stamps

_BYLINE_RE = re.compile(
    r"^(?:(?:written |posted |words |reporting |text |story |report(?:ed)? )?by|por|par|di|von|"
    r"door|av|af|от|текст|автор|author|authors|writer|autor(?:a|es)?|escrito por|publicado por)"
    r"\s*[:：]?\s+(?P<name>.+)$",
    re.I,
)
_BYLINE_TAIL_RE = re.compile(
    r"\s*(?:[|·•,;／/]|\s-\s|\s–\s|\s—\s|\bon\b|\bat\b|\bupdated\b|\bpublished\b|\bin\b"
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
_CALENDAR_WORDS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december mon tue wed thu fri sat sun monday "
    "tuesday wednesday thursday friday saturday sunday st nd rd th at on of".split()
)
_NAME_COMMA_RE = re.compile(
    r"^(?:[A-Z][\w'’.-]+ ){1,2}[A-Z][\w'’.-]+(?:,\s*|\s+(?=(?:[A-Z][\w]+ )?(?:Press|News|Times|"
    r"Post|Reporter|Correspondent|Editor|Writer|Staff|Contributor|Columnist)\b))[\w ,.&'’-]{2,45}$"
)
# A whole line given over to a relative timestamp: "Today 20:24", "Updated 3 hours ago".
_RELATIVE_LINE_RE = re.compile(
    r"^\W*(?:(?:published|updated|posted|last updated)\W*)?(?:(?:today|yesterday)\b(?!\s+[a-z])"
    r"|\d{1,3}\s+(?:min(?:ute)?s?|hours?|hrs?|h|days?)\s+ago\b|an? (?:minute|hour|day) ago\b)",
    re.I,
)
_CRUMB_RE = re.compile(r"\S\s+[»›>]\s+\S")
_URL_RE = re.compile(r"https?://|www\.|\.(?:com|org|net|html?)\b", re.I)
# Promotional and sharing lines: "Follow us", "(Opens in new window)", "Email this".
_PROMO_RE = re.compile(
    r"\b(?:opens in (?:a )?new window|follow (?:us|@)|subscribe|sign up|newsletter|"
    r"email this|share (?:on|this|via|to)|click (?:here|to)|download|install|"
    r"get (?:the|our) app|trust|advertis)",
    re.I,
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
    """"2 Min Read", "5 min read" and the like."""
    return bool(_READ_TIME_RE.match(text.strip()))


def is_meta_line(item: Judged) -> bool:
    """Bylines, date lines, credits and read-time badges: metadata, never body."""
    return is_byline_or_date(item) or (item.words <= 25 and is_credit_line(item.text))


def is_byline_or_date(item: Judged) -> bool:
    """The lines printed under a headline: author, date, reading time."""
    text = item.text
    if item.words > 25:
        return False
    return (
        byline_name(text) is not None
        or is_name_line(text)
        or is_date_line(text)
        or is_read_time(text)
    )


def score_title(
    judged: list[Judged], index: int, distance: int, base_indent: int, echoes: int = 0
) -> float:
    """How much block `index` looks like the headline of an article whose body starts
    `distance` blocks below it; `echoes` counts other blocks quoting it. Zero or less:
    not a headline."""
    item = judged[index]
    text = item.text
    signals = item.signals
    words = signals.words
    if words < 2 or len(text) > 250 or words > 35:
        return 0.0
    if item.label or item.furniture or item.caption or item.teaser or is_label(text):
        return 0.0
    if is_meta_line(item) or _URL_RE.search(text) or _PROMO_RE.search(text):
        return 0.0
    if is_comma_list(text):
        return 0.0
    if item.repeats >= 3 and words < 7:
        return 0.0
    if _CRUMB_RE.search(text):
        return 0.0  # a breadcrumb trail: "News » Science » Title"
    following = _next_substantive(judged, index, 5)
    meta_at = next((n for n, nxt in enumerate(following) if is_byline_or_date(nxt)), -1)
    if meta_at != 0 and following and _is_photo_credit_line(following[0].text):
        # A caption with its credit on the next line -- unless a byline or date
        # follows, for then the credit belongs to a picture under the headline.
        if meta_at < 0:
            return 0.0
    score = 1.0
    if 4 <= words <= 25:
        score += 1.0
    elif words <= 3:
        score -= 0.7
        if signals.stop_ratio == 0 and not signals.wide:
            score -= 0.5  # a name or a section label
    if signals.full_stop and not text.rstrip().endswith(("?", "!", "…", "...")):
        score -= 1.0
    elif text.rstrip().endswith((":", ",", ";")):
        score -= 1.0
    if item.block.bullet:
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
    indent = item.block.indent
    if base_indent and indent < base_indent:
        score += 0.8  # lynx prints headings at the left margin
    elif indent > base_indent + 6 and not item.block.bullet:
        score += 0.4  # centred headings
    if item.repeats >= 2 or echoes > 0:
        score += 0.5  # echoed: page title, share text, breadcrumb, comment heading
    if 0 <= meta_at <= 2:
        score += 1.2  # headlines sit right above the byline and date
    elif meta_at > 2:
        score += 0.6
    elif any(is_byline_or_date(prev) for prev in judged[max(0, index - 3) : index]):
        score -= 0.8  # below the byline and date come captions, standfirsts, sidebars
    if _script_of(text) != _script_of(_body_sample(judged, index)):
        score -= 1.5
    # Closer to the body is better; standfirsts and bylines may come between.
    score -= 0.1 * max(0, distance - 1)
    return score


def _next_substantive(judged: list[Judged], index: int, count: int) -> list[Judged]:
    """The next `count` blocks below `index` that are not furniture."""
    out: list[Judged] = []
    for item in judged[index + 1 : index + 1 + 4 * count]:
        if item.furniture or item.label:
            continue
        out.append(item)
        if len(out) == count:
            break
    return out


def _is_photo_credit_line(text: str) -> bool:
    """A credit naming a photographer ("Al Goldis, Associated Press"), not a bare
    agency name (which also stands under headlines as the source)."""
    return is_credit_line(text) and bool(re.search(r"[,/]|\b(?:photo|getty|images)\b", text, re.I))


def _script_of(text: str) -> str:
    """Rough script of a text: "latin", "cyrillic", "cjk" or "other"."""
    counts = {"latin": 0, "cyrillic": 0, "cjk": 0, "other": 0}
    for ch in text[:300]:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if code < 0x250:
            counts["latin"] += 1
        elif 0x400 <= code < 0x530:
            counts["cyrillic"] += 1
        elif 0x3040 <= code < 0xA000 or 0xAC00 <= code < 0xD7B0:
            counts["cjk"] += 1
        else:
            counts["other"] += 1
    return max(counts.items(), key=lambda kv: kv[1])[0]


def _body_sample(judged: list[Judged], index: int) -> str:
    for item in judged[index + 1 : index + 40]:
        if item.prose:
            return item.text
    return judged[index].text


def _tidy_name(name: str) -> str:
    if name.isupper():
        return " ".join(part.capitalize() for part in name.split())
    return name
