"""Clean saved HTML through trafilatura into the same article model."""

from __future__ import annotations

from digest.cleaning.model import CleanedCapture, DateReference


def clean_html(html: str, reference: DateReference, url: str | None = None) -> CleanedCapture:
    """Clean one saved HTML page (placeholder until the trafilatura route lands)."""
    return CleanedCapture(articles=(), notes=("HTML cleaning not available yet",))
