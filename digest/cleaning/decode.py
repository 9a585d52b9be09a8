"""Turn the bytes of a text capture into clean text."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

# C0 controls except \t and \n (CR is handled before), plus DEL and the C1 range that
# only shows up when a Windows code page was read as Latin-1.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
# The same characters in UTF-8: C0 controls and DEL are single bytes, the C1 range two.
_C0_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_C1_UTF8_RE = re.compile(rb"\xc2[\x80-\x9f]")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_capture(data: bytes) -> str:
    """Decode capture bytes: BOM first, then UTF-8, then charset detection."""
    text = _decode_bytes(bytes(data))
    return normalize_text(text)


def normalize_text(text: str) -> str:
    """Unify line endings and drop control characters (keeps newlines and tabs)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.removeprefix("\ufeff")
    return _CONTROL_RE.sub("", text) if _has_controls(text) else text


def _has_controls(text: str) -> bool:
    """Whether `text` holds a character `normalize_text` drops. Most captures have none
    (and `clean_text` normalizes decoded text again): byte scans tell faster than `re`."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _C0_BYTES)) != len(data) or bool(_C1_UTF8_RE.search(data))


def _decode_bytes(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None:
        try:
            guess = str(best)
        except (LookupError, UnicodeDecodeError):  # a detector guess we cannot use
            guess = None
        if guess is not None:
            return _prefer_western(data, guess, best.chaos)
    # cp1252 covers most Western pages; undefined bytes become U+FFFD, never an error.
    return data.decode("cp1252", errors="replace")


def _prefer_western(data: bytes, guess: str, chaos: float) -> str:
    """cp1252 when it reads the bytes at least as cleanly as the detector's guess.

    On short text the detector often ranks Windows-1252 level with a Central European or
    Baltic code page and picks the other one ("ñ" becomes "ń", "ü" becomes "³"). Western
    pages are far the commonest captures, so a tie goes to cp1252; text that really is
    Czech, Polish or Cyrillic reads messier as cp1252 and keeps the detector's guess.
    """
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined: not a Western page
        return guess
    if western != guess and mess_ratio(western, maximum_threshold=1.0) <= chaos:
        return western
    return guess
