"""The cleaner: one capture in, its articles out.

Pure functions: no file I/O, no printing, no global state. Odd input never raises; a
capture without an article yields no articles and a note saying so.
"""

from __future__ import annotations

from digest.cleaning.article import assemble_article
from digest.cleaning.capture import finish_capture
from digest.cleaning.decode import decode_capture, normalize_text
from digest.cleaning.extract import locate_articles, read_page
from digest.cleaning.html import clean_html
from digest.cleaning.model import CleanedArticle, CleanedCapture, DateReference

__all__ = [
    "CleanedArticle",
    "CleanedCapture",
    "DateReference",
    "clean_html",
    "clean_text",
    "decode_capture",
]

_NO_ARTICLE = "no article found in the capture"


def clean_text(text: str, reference: DateReference) -> CleanedCapture:
    """Clean a decoded text capture (a browser copy or a w3m/lynx dump) into articles."""
    text = normalize_text(text)
    page = read_page(text)
    parts = [assemble_article(page, located) for located in locate_articles(page)]
    parts = [part for part in parts if part.body.strip()]
    if not parts:
        return CleanedCapture(articles=(), notes=(_NO_ARTICLE,))
    return finish_capture(parts, text, reference)
