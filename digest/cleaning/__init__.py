"""The cleaner: one capture's text in, articles out. Pure functions, no I/O."""

from __future__ import annotations

from digest.cleaning.decode import decode_capture
from digest.cleaning.extract import extract_drafts
from digest.cleaning.model import CleanedArticle, CleanedCapture, DateReference

__all__ = [
    "CleanedArticle",
    "CleanedCapture",
    "DateReference",
    "clean_text",
    "decode_capture",
]


def clean_text(text: str, reference: DateReference) -> CleanedCapture:
    """Clean a decoded text capture into articles."""
    drafts = extract_drafts(text)
    return CleanedCapture(
        tuple(CleanedArticle(d.title, "\n\n".join(d.paragraphs)) for d in drafts)
    )
