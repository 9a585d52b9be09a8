"""Turn the bytes of a text capture into clean text."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# C0 controls except \t and \n (CR is handled before), plus DEL and the C1 range that
# only shows up when a Windows code page was read as Latin-1.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
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
    return _CONTROL_RE.sub("", text)


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
            return str(best)
        except (LookupError, UnicodeDecodeError):  # a detector guess we cannot use
            pass
    # cp1252 covers most Western pages; undefined bytes become U+FFFD, never an error.
    return data.decode("cp1252", errors="replace")
