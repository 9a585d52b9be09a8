"""Markdown to HTML through one mistune 3 instance that escapes raw HTML.

Captured text is hostile: control characters and bidi overrides are removed, raw HTML is
shown as text, and links or images whose address could run code (`javascript:`, `data:`,
`vbscript:`) are dropped to their words. Images are never embedded (every request must stay
on the site); they become a link to the picture.
"""

from __future__ import annotations

from typing import Any

import mistune
from mistune.renderers.html import HTMLRenderer

from .text import neutralise_text

SAFE_SCHEMES = ("http:", "https:", "mailto:", "/", "#", "./", "../")


class SafeRenderer(HTMLRenderer):
    """HTMLRenderer that refuses unsafe link targets and never embeds images."""

    def __init__(self) -> None:
        super().__init__(escape=True, allow_harmful_protocols=False)

    def link(self, text: str, url: str, title: str | None = None) -> str:
        if not _is_safe_url(url):
            return text
        attributes = f' title="{mistune.escape(title)}"' if title else ""
        rel = "" if url.startswith(("/", "#", ".")) else ' rel="nofollow noopener"'
        return f'<a href="{self.safe_url(url)}"{attributes}{rel}>{text}</a>'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        label = text or "image"
        if not _is_safe_url(url):
            return label
        return f'<a class="image-link" href="{self.safe_url(url)}" rel="nofollow noopener">[Image: {label}]</a>'

    def block_html(self, html: str) -> str:
        return f"<p>{mistune.escape(html.strip())}</p>\n"

    def inline_html(self, html: str) -> str:
        return mistune.escape(html)


def _is_safe_url(url: str) -> bool:
    compact = "".join(url.split()).lower()
    return compact.startswith(SAFE_SCHEMES) or ":" not in compact.split("/", 1)[0]


def make_renderer() -> Any:
    """Build the site's Markdown function: escape=True, tables and strikethrough on."""
    return mistune.create_markdown(
        escape=True, renderer=SafeRenderer(), plugins=["strikethrough", "table"]
    )


_render = make_renderer()


def render_markdown(text: str) -> str:
    """Render an article body to HTML (control and bidi-override characters removed first)."""
    return str(_render(neutralise_text(text)))
