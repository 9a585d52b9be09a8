"""Read a text dump into lines, stripping what the renderer added (form fields, image
markers, buttons) and noting the layout: hard-wrapped width, base indent."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

# Widths a terminal renderer wraps at; a browser copy never wraps.
_MAX_WRAP_WIDTH = 100
_MIN_WRAP_WIDTH = 60
_MIN_WRAPPED_LINES = 8

# Characters a terminal draws two columns wide (CJK, kana, hangul, full-width forms).
_WIDE_CHAR_RE = re.compile(
    r"[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    r"\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)
# Soft hyphens, zero-width spaces and the like; and the odd spaces (no-break, thin,
# ideographic). Kept as plain characters too: looking for a few single characters is many
# times faster than scanning with a class (see `read_lines`).
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffc"
_ODD_SPACE_CHARS = "\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
# Runs of spaces become one plain space. Only the runs that change are matched (two or
# more spaces, or an odd one): replacing every single space with itself is slow. (Written
# as "a space, then more of them or an odd one before": a pattern that opens with a
# plain class lets re skip along to the next space, rather than try the whole pattern
# at every character, as it does for "[ ...]{2,}|[...]".)
_SPACES_RE = re.compile(
    f"[ {_ODD_SPACE_CHARS}](?:[ {_ODD_SPACE_CHARS}]+|(?<=[{_ODD_SPACE_CHARS}]))"
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Renderer furniture inside a line: form fields, buttons, inline-frame and ad markers.
# (Every branch opens with a plain character, "_{6,}" too as "__{5,}": re then skips
# along to the next "[", "(" or "_" instead of trying every branch at every character.)
_FURNITURE_RE = re.compile(
    r"\[ {2,}\]|\[[^\]\n]*? {3,}\]|__{5,}|\(BUTTON\)|\[INS:? ?:?INS\]|\[(?:\*| |X|x)\](?= )"
    r"|\((?:\*| )\)(?= )|\(RADIO\)|\(CHECKBOX\)"
)
# An image marker: a bracketed name without spaces that looks like a file or slug.
_IMAGE_TOKEN_RE = re.compile(
    r"\[(?:image|img|IMG|IMAGE|photo|video|icon|logo|svg)\]"
    r"|\[[^\]\s]*[-_./\d][^\]\s]*\]"
)
_ONLY_BRACKETS_RE = re.compile(r"^(?:\s*\[[^\]\n]*\])+\s*$")
_RULE_MARKS = "━─—–_=*~#.·•-"  # what a horizontal rule is drawn with
_RULE_RE = re.compile(rf"^[\s{re.escape(_RULE_MARKS)}]{{5,}}$")
_LYNX_META_RE = re.compile(r"^(?:IFRAME:|#\S)")
_BULLET_RE = re.compile(r"^(?P<bullet>[•*+□◦▪■●○·►▸‣‧∙]|\d{1,3}[.)](?=\s))\s+(?P<rest>\S.*)$")
# Openings that can never start a bullet: the line is plain text.
_PLAIN_OPENERS = frozenset("\"'“‘«([{@$€£&%!?.,:;")
# The marks `_BULLET_RE` takes, each a single character: a line of one alone is empty.
_BULLET_MARKS = frozenset("•*+□◦▪■●○·►▸‣‧∙")
_DASH_BULLET_RE = re.compile(r"^[-–]\s+(?P<rest>\S.*)$")


class Line(NamedTuple):
    """One physical line of the dump after renderer furniture is removed."""

    text: str  # content without indent and bullet
    indent: int  # columns of leading space in the dump
    width: int  # length of the raw line, to judge hard wraps
    bullet: str = ""  # list marker that began the line, if any
    marker: str = ""  # "image" | "rule" | "furniture" for lines that held only those


@dataclass(frozen=True, slots=True)
class Layout:
    """How the dump was rendered: hard-wrapped at `width` (0 if not) with body text at
    `base_indent` columns."""

    width: int
    base_indent: int

    @property
    def wrapped(self) -> bool:
        return self.width > 0


class _Scan(NamedTuple):
    """Which rare characters a capture holds at all: one scan of the whole text spares
    every line the searches for them (most captures have none)."""

    odd_spaces: str  # which no-break, thin, ideographic spaces it holds
    wide: bool  # characters a terminal draws two columns wide


# `Line(...)` without the Python-level `__new__` the named tuple is given (a field
# tuple in order: text, indent, width, bullet, marker): a line is made for every row.
_new_line = tuple.__new__

_ALL_RARE = _Scan(odd_spaces=_ODD_SPACE_CHARS, wide=True)
_NO_RARE = _Scan(odd_spaces="", wide=False)
_ASCII_BYTES = bytes(range(0x80))


def read_lines(text: str) -> list[Line]:
    """Split a dump into `Line`s; blank lines have empty text and no marker."""
    blank = Line("", 0, 0)
    # Tabs and invisible characters go from the whole text at once: tab stops restart
    # at every line break, so this is what expanding each line would give.
    if "\t" in text:
        text = text.expandtabs(8)
    if text.isascii():
        scan = _NO_RARE
    else:
        # The characters past ASCII (few in most captures), to look for the rare ones
        # among. Dropping the ASCII bytes of the UTF-8 leaves whole characters (theirs
        # are all 0x80 or above), many times faster than any pattern or scan of the text.
        data = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
        rare = data.decode("utf-8", "surrogatepass")
        if any(char in rare for char in _INVISIBLE_CHARS):
            text = _INVISIBLE_RE.sub("", text)
        scan = _Scan(
            odd_spaces="".join(char for char in _ODD_SPACE_CHARS if char in rare),
            wide=_WIDE_CHAR_RE.search(rare) is not None,
        )
    # Menus, share rows and echoed headlines repeat: parse each distinct line once.
    parsed: dict[str, Line] = {}
    lines = []
    for raw in text.split("\n"):
        line = parsed.get(raw)
        if line is None:
            line = parsed[raw] = parse_line(raw, scan) if raw and not raw.isspace() else blank
        lines.append(line)
    return lines


def parse_line(raw: str, scan: _Scan = _ALL_RARE) -> Line:
    """Strip one raw line (its tabs expanded, its invisible characters dropped: see
    `read_lines`) of renderer furniture and recognise bullets and markers. `scan` says
    which rare characters the capture may hold (by default: all)."""
    raw = raw.rstrip()
    stripped = raw.lstrip()
    length = len(raw)
    indent = length - len(stripped)
    width = display_width(raw) if scan.wide and not raw.isascii() else length
    if not stripped:
        return Line("", indent, width)
    first = stripped[0]
    # (A rule ends in a mark too: "* Menu" and "...and more" are ruled out unsearched.)
    if first in _RULE_MARKS and stripped[-1] in _RULE_MARKS and _RULE_RE.match(stripped):
        return Line("", indent, width, marker="rule")
    if indent > 0 and first in "#I" and _LYNX_META_RE.match(stripped):
        return Line("", indent, width, marker="furniture")
    text = stripped
    # Renderer furniture always comes in brackets, parentheses or underscores. (One
    # character is found many times faster than two: "_" is looked for before "__".)
    if "[" in text or "(" in text or "_" in text and "__" in text:
        if first == "[" and _ONLY_BRACKETS_RE.match(stripped):
            inner = stripped.strip("[] ")
            kind = "furniture" if not inner.strip() else "image"
            return Line("", indent, width, marker=kind)
        text = _FURNITURE_RE.sub(" ", text)
        if "[" in text:  # every image marker is bracketed
            text = _IMAGE_TOKEN_RE.sub(" ", text)
    if "  " in text or scan.odd_spaces and any(map(text.__contains__, scan.odd_spaces)):
        text = _SPACES_RE.sub(" ", text)
    # (Unchanged, the text is the stripped line: nothing to strip, and not empty.)
    if text is not stripped:
        text = text.strip()
        if not text:
            return Line("", indent, width, marker="furniture")
    lead = text[0]
    if lead.isalpha() or lead in _PLAIN_OPENERS:
        return _new_line(Line, (text, indent, width, "", ""))  # the common case: no bullet
    if text in _BULLET_MARKS:
        return Line("", indent, width, marker="furniture")
    bullet = ""
    # (A bullet opens with a mark or a digit, a dashed item with a dash: most other
    # lines are ruled out by their first character.)
    match = _BULLET_RE.match(text) if lead in _BULLET_MARKS or lead.isdecimal() else None
    if match:
        bullet, text = match.group("bullet"), match.group("rest")
    elif lead in "-–":
        dash = _DASH_BULLET_RE.match(text)
        # "- Subhead -" is an AFP-style subheading, not a list item.
        if dash and not text.rstrip().endswith("-"):
            bullet, text = "-", dash.group("rest")
    return Line(text, indent, width, bullet)


def display_width(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide characters take two."""
    return len(text) + len(_WIDE_CHAR_RE.findall(text))


def detect_layout(lines: list[Line]) -> Layout:
    """Guess whether the dump is hard-wrapped (w3m, lynx) and at which width."""
    # (Shortest first: how many lines reach a length is then a bisection, not a count.)
    lengths = sorted([ln.width for ln in lines if ln.text and " " in ln.text])
    indents = [ln.indent for ln in lines if len(ln.text) >= 40 and not ln.bullet]
    base = _mode(indents) if indents else 0
    if len(lengths) < _MIN_WRAPPED_LINES:
        return Layout(0, base)
    # The third longest line ignores a couple of unbreakable URLs running past the margin.
    width = lengths[-3]
    if not _MIN_WRAP_WIDTH <= width <= _MAX_WRAP_WIDTH:
        return Layout(0, base)
    # Wrapped paragraphs pile their lines up against the right margin.
    near_full = len(lengths) - bisect_left(lengths, width - 12)
    long_lines = len(lengths) - bisect_left(lengths, width // 2)
    if near_full < 3 or near_full < 0.3 * long_lines:
        return Layout(0, base)
    return Layout(width, base)


def _mode(values: list[int]) -> int:
    """The commonest value (the smallest of those tied)."""
    return max(Counter(values).items(), key=lambda kv: (kv[1], -kv[0]))[0]
