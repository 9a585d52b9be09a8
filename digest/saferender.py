"""The mistune 3 side of `markdown`: a renderer that escapes raw HTML and refuses unsafe links.

Loaded when first needed: for a document the fast path cannot take, or a link in one it can
(see `markdown`): a build that renders
no Markdown in its own process (an increment, whose new bodies a forked child renders) never
pays for importing mistune.
"""

from __future__ import annotations

import re
from typing import Any

import mistune
from mistune.renderers.html import HTMLRenderer
from mistune.util import escape as escape_text

SAFE_SCHEMES = ("http:", "https:", "mailto:", "/", "#", "./", "../")
_LANGUAGE = re.compile(r"[A-Za-z][A-Za-z0-9_+#.-]{0,29}")


class SafeRenderer(HTMLRenderer):
    """HTMLRenderer that refuses unsafe link targets and never embeds images."""

    def __init__(self) -> None:
        super().__init__(escape=True, allow_harmful_protocols=False)

    def link(self, text: str, url: str, title: str | None = None) -> str:
        if not is_safe_url(url):
            return text
        attributes = f' title="{mistune.escape(title)}"' if title else ""
        rel = "" if url.startswith(("/", "#", ".")) else ' rel="nofollow noopener"'
        return f'<a href="{self.safe_url(url)}"{attributes}{rel}>{text}</a>'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        label = text or "image"
        if not is_safe_url(url):
            return label
        return f'<a class="image-link" href="{self.safe_url(url)}" rel="nofollow noopener">[Image: {label}]</a>'

    def block_code(self, code: str, info: str | None = None) -> str:
        # The info string is captured text too: only a plain language name becomes a class
        # ("~~~javascript:alert(1)" must not put a script address inside a tag).
        language = info.split(None, 1)[0] if info and info.strip() else ""
        attribute = f' class="language-{language}"' if _LANGUAGE.fullmatch(language) else ""
        return f"<pre><code{attribute}>{escape_text(code)}</code></pre>\n"

    def block_html(self, html: str) -> str:
        return f"<p>{mistune.escape(html.strip())}</p>\n"

    def inline_html(self, html: str) -> str:
        return mistune.escape(html)


def is_safe_url(url: str) -> bool:
    """Whether a link target can be followed without running code."""
    compact = "".join(url.split()).lower()
    return compact.startswith(SAFE_SCHEMES) or ":" not in compact.split("/", 1)[0]


def make_renderer() -> Any:
    """Build the site's mistune function: escape=True, tables and strikethrough on."""
    return mistune.create_markdown(
        escape=True, renderer=SafeRenderer(), plugins=["strikethrough", "table"]
    )

