"""Name the publication a capture came from, when the page names itself."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from digest.cleaning.boilerplate import is_label
from digest.cleaning.metadata import is_meta_line

if TYPE_CHECKING:
    from digest.cleaning.boilerplate import Judged

_TOP_BLOCKS = 8  # a page prints its name among its first lines...
_BOTTOM_BLOCKS = 40  # ...and again in its footer
_NAME_RE = re.compile(r"^[^\W_][\w&'’.:-]*(?: [\w&'’.:-]+){0,4}$")
_COPYRIGHT_NAME_RE = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\s*(?:[-–]\s*\d{4}\s*)?)?,?\s*"
    r"(?P<name>[A-Z][\w&'’.-]*(?: (?:[A-Z][\w&'’.-]*|&|of|the|and|de|del|la)){0,5})"
)
_NAME_END_RE = re.compile(r"\.\s|,|\s+all\s+rights|\s+is\s", re.IGNORECASE)
_CORPORATE_TAIL_RE = re.compile(
    r"[\s,]+(?:inc|llc|ltd|plc|gmbh|corp|co|s\.a|sa)\.?$", re.IGNORECASE
)


def find_publication(judged: list[Judged], top: range, bottom: range) -> str | None:
    """A name printed among the first blocks of `top` and again in `bottom`, else the
    holder named in a copyright line in `bottom`."""
    bottom_keys = {judged[index].key for index in _tail(bottom, _BOTTOM_BLOCKS)}
    for index in list(top)[:_TOP_BLOCKS]:
        item = judged[index]
        if _is_name(item) and item.key in bottom_keys:
            return item.text.strip()
    for index in reversed(_tail(bottom, _BOTTOM_BLOCKS)):
        match = _COPYRIGHT_NAME_RE.search(judged[index].text)
        if match:
            name = _NAME_END_RE.split(match.group("name"))[0]
            name = _CORPORATE_TAIL_RE.sub("", name).strip(" .,")
            if name and not name.lower().startswith(("all ", "copyright")):
                return name
    return None


def _is_name(item: Judged) -> bool:
    text = item.text.strip()
    if not 3 <= len(text) <= 40 or item.bullet or item.prose:
        return False
    if is_label(text) or is_meta_line(item) or text.endswith((".", "!", "?", ":")):
        return False
    if not _NAME_RE.match(text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    # A name is capitalised: "Al Mayadeen English", "The Verge", "ProPublica".
    return len(letters) >= 3 and text[0].isupper()


def _tail(span: range, count: int) -> list[int]:
    indices = list(span)
    return indices[-count:]
