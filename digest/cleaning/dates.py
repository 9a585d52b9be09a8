"""Find dates in capture text and decide each article's publication date.

An explicit timestamp in the article wins. Relative expressions ("Today 20:24",
"2 hours ago", "said on Sunday") resolve against a reference date: the curator's
--date, else the latest absolute date anywhere in the capture, else the file time.
An article without date evidence borrows one (see `resolve_published`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from digest.cleaning.model import DateReference
from digest.cleaning.patterns import trie_pattern

DATE_SOURCES: tuple[str, ...] = (
    "article",  # an explicit timestamp or dateline of the article
    "relative-to-option",  # a relative expression resolved against --date
    "relative-to-capture",  # ... against the latest absolute date in the capture
    "relative-to-file",  # ... against the capture file's modification time
    "option",  # no evidence: the curator's --date
    "capture-sibling",  # no evidence: the newest date of another article in the capture
    "capture",  # no evidence: the latest absolute date in the capture
    "file",  # no evidence: the file's modification time
    "unknown",  # nothing at all to go on
)

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv janeiro enero gennaio januar januari jän янв января январь",
        "february feb febr février févr fevereiro fev febrero febbraio februar februari "
        "фев февраля февраль",
        "march mar mars março marzo märz maart мар марта март",
        "april apr avril abril abr aprile апр апреля апрель",
        "may mai maio mayo maggio mei мая май",
        "june jun juin junho junio giugno juni июн июня июнь",
        "july jul juillet julho julio luglio juli июл июля июль",
        "august aug août agosto ago augustus авг августа август",
        "september sep sept septembre setembro set septiembre settembre сен сентября сентябрь",
        "october oct octobre outubro out octubre ottobre okt oktober окт октября октябрь",
        "november nov novembre novembro noviembre ноя ноября ноябрь",
        "december dec décembre déc dezembro dez diciembre dic dicembre dezember "
        "dekember дек декабря декабрь",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH_ALT = trie_pattern(_MONTHS)  # nested by prefix: much faster to search than a list

_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_WEEKDAY_ALT = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

# Offsets of the zone abbreviations news pages print; "ET"/"PT" read as standard time.
_ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 60,
    "ist": 330,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "est": -300,
    "edt": -240,
    "et": -300,
    "cst": -360,
    "cdt": -300,
    "ct": -360,
    "mst": -420,
    "mdt": -360,
    "mt": -420,
    "pst": -480,
    "pdt": -420,
    "pt": -480,
    "aest": 600,
    "aedt": 660,
    "jst": 540,
}
_ZONE_ALT = trie_pattern(_ZONES)

_TIME = (
    rf"(?P<hour>[01]?\d|2[0-3])(?:[:h]|\.(?=\d\d(?![.\d])))(?P<minute>[0-5]\d)(?::[0-5]\d)?"
    rf"(?:\s*(?P<ampm>[ap]\.?\s?m\.?))?(?:\s*\(?(?P<zone>{_ZONE_ALT})\b\)?)?"
)
_TIME_RE = re.compile(rf"(?<![:]){_TIME}(?![\d])", re.IGNORECASE)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|º|er)?"
# A year may run straight into a clock time in some dumps: "NOV 19 20197:05 AM".
_YEAR = r"(?P<year>(?:19|20)\d\d)(?:(?!\d)|(?=\d{1,2}:\d\d))"
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 2019-11-19, 2019-11-19T10:05:00Z
    ("-", re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)")),
    # November 18, 2019 / Nov. 18 2019 / November 20th, 2019
    ("", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE)),
    # 3 Nov 2025 / 19 November, 2019 / 24 сентября 2018 / 6 de febrero de 2026
    (
        "",
        re.compile(
            rf"(?<![\d.]){_DAY}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}", re.IGNORECASE
        ),
    ),
    # 19.11.2019 reads day first, 11/19/2019 and 11/19/19 month first (unless impossible)
    (
        "./",
        re.compile(
            r"(?<![\d.:/])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)(?P=sep)"
            r"(?P<year>(?:19|20)\d\d)(?![\d./])"
        ),
    ),
    (
        "/",
        re.compile(
            r"(?<![\d.:/])(?P<a>[0-3]?\d)(?P<sep>/)(?P<b>[0-3]?\d)/(?P<year>\d\d)(?![\d./])"
        ),
    ),
    # 2016.12.01, 2016/12/01
    (
        "./",
        re.compile(
            r"(?<![\d.])(?P<year>(?:19|20)\d\d)[./](?P<mnum>[01]?\d)[./](?P<day>[0-3]?\d)(?![\d.])"
        ),
    ),
)
# Every absolute date carries a year: four digits, or two after a slash.
# In effect "(?<!\d)(?:(?:19|20)\d\d|\d{1,2}/\d{1,2}/\d\d)(?!\d{2})", written to begin with a
# digit: re then skips straight to digits instead of trying the look-behind everywhere.
_MAYBE_DATE_RE = re.compile(r"\d(?<!\d\d)(?:(?<=1)9\d\d|(?<=2)0\d\d|\d?/\d{1,2}/\d\d)(?!\d{2})")
_SENTENCE_GAP_RE = re.compile(r"[.;]\s")  # a sentence ends between a date and a time
_WINDOW_BEFORE = 40
_WINDOW_AFTER = 12
_RELATIVE_TODAY_RE = re.compile(
    rf"\b(?P<word>today|yesterday)\b(?:[,\s]+(?:at\s+)?{_TIME})?", re.IGNORECASE
)
_AGO_RE = re.compile(
    r"\b(?P<count>\d{1,3}|an?|one)\s+(?P<unit>min(?:ute)?s?|hours?|hrs?|h|days?)\s+ago\b",
    re.IGNORECASE,
)
_REPORTING_VERBS = (
    "said|says|say|told|reported|reports|announced|announces|added|stated|confirmed|"
    "declared|warned|claimed|noted|revealed|disclosed|insisted|wrote|tweeted|posted"
)
_VERB_ALT = trie_pattern(_REPORTING_VERBS.split("|"))
_VERB_WEEKDAY_RE = re.compile(
    rf"\b{_VERB_ALT}\s+(?:on\s+)?(?P<weekday>{_WEEKDAY_ALT})\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Stamp:
    """A date found in text; `time` is None when only the day is known."""

    date: dt.date
    time: dt.time | None = None
    offset_minutes: int | None = None

    def to_datetime(self, tz: dt.tzinfo) -> dt.datetime:
        """The stamp as an aware datetime (midnight and `tz` when not given)."""
        zone: dt.tzinfo = tz
        if self.offset_minutes is not None:
            zone = dt.timezone(dt.timedelta(minutes=self.offset_minutes))
        return dt.datetime.combine(self.date, self.time or dt.time(0, 0), tzinfo=zone)


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative date expression waiting for a reference."""

    kind: str  # "today" | "yesterday" | "ago" | "weekday"
    time: dt.time | None = None
    minutes_ago: int = 0
    weekday: int = 0


@dataclass(frozen=True, slots=True)
class Evidence:
    """What an article says about its own date."""

    stamp: Stamp | None = None
    relative: Relative | None = None


def find_stamps(text: str) -> list[Stamp]:
    """Every absolute date (day, month and year) in `text`, with a clock time when one
    follows or precedes it closely."""
    found: list[tuple[int, Stamp]] = []
    seen: set[tuple[int, int]] = set()
    # Every date carries a year: look only around years, not along the whole text.
    for anchor in _MAYBE_DATE_RE.finditer(text):
        low = max(0, anchor.start() - _WINDOW_BEFORE)
        high = min(len(text), anchor.end() + _WINDOW_AFTER)
        window = text[low:high]
        taken: list[tuple[int, int]] = []
        for needle, pattern in _DATE_PATTERNS:
            if needle and needle[0] not in window and needle[-1] not in window:
                continue  # (needles are one or two characters)
            for match in pattern.finditer(window):
                span = (match.start() + low, match.end() + low)
                if not span[0] <= anchor.start() < span[1] or span in seen:
                    continue
                if any(s < span[1] and span[0] < e for s, e in taken):
                    continue
                day = _date_from_match(match)
                if day is None:
                    continue
                taken.append(span)
                seen.add(span)
                clock, offset = _nearby_time(text, span[0], span[1])
                found.append((span[0], Stamp(day, clock, offset)))
    found.sort(key=lambda pair: pair[0])
    return [stamp for _, stamp in found]


def find_stamp(text: str) -> Stamp | None:
    """The first absolute date in `text`, if any."""
    stamps = find_stamps(text)
    return stamps[0] if stamps else None


def find_relative_header(text: str) -> Relative | None:
    """A relative timestamp of the kind printed in an article header: "Today 20:24",
    "Yesterday", "3 hours ago"."""
    match = _RELATIVE_TODAY_RE.search(text)
    if match:
        kind = match.group("word").lower()
        return Relative(kind, _clock(match))
    ago = _AGO_RE.search(text)
    if ago:
        count_text = ago.group("count").lower()
        count = 1 if count_text in ("a", "an", "one") else int(count_text)
        unit = ago.group("unit").lower()
        minutes = (
            count if unit.startswith("min") else count * (1440 if unit.startswith("d") else 60)
        )
        return Relative("ago", minutes_ago=minutes)
    return None


def find_reported_weekday(text: str) -> Relative | None:
    """A reporting verb directly followed by a weekday: "said on Sunday"."""
    # Every weekday name ends in "day" (and no other letters fold to d, a, y): most
    # paragraphs are ruled out without the pattern.
    if "day" not in text.lower():
        return None
    match = _VERB_WEEKDAY_RE.search(text)
    if match is None:
        return None
    return Relative("weekday", weekday=_WEEKDAYS[match.group("weekday").lower()])


def latest_stamp(stamps: list[Stamp], not_after: dt.datetime | None = None) -> Stamp | None:
    """The latest of `stamps` by day (then time), ignoring days after `not_after`."""
    best: Stamp | None = None
    for stamp in stamps:
        if not_after is not None and stamp.date > not_after.date():
            continue
        if best is None or (stamp.date, stamp.time or dt.time(0)) > (
            best.date,
            best.time or dt.time(0),
        ):
            best = stamp
    return best


def resolve_published(
    evidence: list[Evidence], capture_latest: Stamp | None, reference: DateReference
) -> list[tuple[dt.datetime | None, str]]:
    """Decide (published, date_source) for every article of one capture."""
    tz = reference.tz
    resolved: list[tuple[dt.datetime | None, str] | None] = []
    for item in evidence:
        if item.stamp is not None:
            resolved.append((item.stamp.to_datetime(tz), "article"))
        elif item.relative is not None:
            resolved.append(_resolve_relative(item.relative, capture_latest, reference))
        else:
            resolved.append(None)
    known = [r[0] for r in resolved if r is not None and r[0] is not None]
    out: list[tuple[dt.datetime | None, str]] = []
    for found in resolved:
        if found is not None and found[0] is not None:
            out.append(found)
        elif reference.option is not None:
            out.append((_midnight(reference.option, tz), "option"))
        elif known:
            out.append((max(known), "capture-sibling"))
        elif capture_latest is not None:
            out.append((capture_latest.to_datetime(tz), "capture"))
        elif reference.file_time is not None:
            out.append((_aware(reference.file_time, tz), "file"))
        else:
            out.append((None, "unknown"))
    return out


def _resolve_relative(
    relative: Relative, capture_latest: Stamp | None, reference: DateReference
) -> tuple[dt.datetime | None, str] | None:
    tz = reference.tz
    if reference.option is not None:
        base = _midnight(reference.option, tz)
        source, nearest, has_clock = "relative-to-option", False, False
    elif capture_latest is not None:
        base = capture_latest.to_datetime(tz)
        source, nearest, has_clock = "relative-to-capture", True, capture_latest.time is not None
    elif reference.file_time is not None:
        base = _aware(reference.file_time, tz)
        source, nearest, has_clock = "relative-to-file", False, True
    else:
        return None
    day = base.date()
    if relative.kind in ("today", "yesterday"):
        if relative.kind == "yesterday":
            day -= dt.timedelta(days=1)
        return _at(day, relative.time, tz), source
    if relative.kind == "ago":
        if has_clock:
            return base - dt.timedelta(minutes=relative.minutes_ago), source
        # A day-only reference cannot place "3 hours ago" within the day: keep the day.
        return _midnight(day - dt.timedelta(days=relative.minutes_ago // 1440), tz), source
    delta = (relative.weekday - day.weekday()) % 7  # days forward to that weekday
    if nearest:
        # The reference came from dates printed in the capture, which may predate the
        # article by a day or two: take the nearest such weekday.
        delta = delta if delta <= 3 else delta - 7
    else:
        # --date and the file time come after publication.
        delta = delta - 7 if delta > 0 else 0
    return _midnight(day + dt.timedelta(days=delta), tz), source


def _date_from_match(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if year < 100:
        year += 2000
    try:
        if groups.get("a") is not None:
            first, second = int(groups["a"]), int(groups["b"])
            day_first = groups["sep"] == "."
            if (day_first and second > 12) or (not day_first and first > 12):
                day_first = not day_first
            if day_first:
                return dt.date(year, second, first)
            return dt.date(year, first, second)
        if groups.get("mnum") is not None:
            return dt.date(year, int(groups["mnum"]), int(groups["day"]))
        month = _MONTHS.get(groups["month"].lower().rstrip("."))
        if month is None:
            return None
        return dt.date(year, month, int(groups["day"]))
    except ValueError:
        return None


def _nearby_time(text: str, start: int, end: int) -> tuple[dt.time | None, int | None]:
    """A clock time within a few characters after (or before) a date."""
    after = _TIME_RE.search(text, end, min(len(text), end + 24))
    if after and not _SENTENCE_GAP_RE.search(text, end, after.start()):
        return _clock(after), _offset(after)
    window_start = max(0, start - 30)
    before = None
    for before in _TIME_RE.finditer(text, window_start, start):
        pass
    if before is not None and not _SENTENCE_GAP_RE.search(text, before.end(), start):
        return _clock(before), _offset(before)
    return None, None


def _clock(match: re.Match[str]) -> dt.time | None:
    if match.groupdict().get("hour") is None:
        return None
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    ampm = (match.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return dt.time(hour, minute)


def _offset(match: re.Match[str]) -> int | None:
    zone = match.groupdict().get("zone")
    return _ZONES.get(zone.lower()) if zone else None


def _midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)


def _at(day: dt.date, clock: dt.time | None, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, clock or dt.time(0, 0), tzinfo=tz)


def _aware(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
