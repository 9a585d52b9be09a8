"""Markdown to HTML: one mistune 3 instance that escapes raw HTML, behind a fast path.

Captured text is hostile: control characters and bidi overrides are removed, raw HTML is
shown as text, and links or images whose address could run code (`javascript:`, `data:`,
`vbscript:`) are dropped to their words. Images are never embedded (every request must stay
on the site); they become a link to the picture.

Most news bodies are plain paragraphs, a few `##` subheadings, a quote and a link. mistune takes
about 0.6 ms for such an article, which dominates a build of thousands. `render_fast` renders
exactly that subset by hand and returns None for anything else, which then goes to mistune. Its
output is byte-for-byte mistune's (a Hypothesis test compares the two on generated documents),
so which path an article takes never shows in the site.
"""

from __future__ import annotations

import re
from typing import Any

import mistune
from mistune.renderers.html import HTMLRenderer
from mistune.util import escape as escape_text

from .text import neutralise_text

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


_mistune = make_renderer()
_renderer = SafeRenderer()

# Any of these characters sends a document to mistune: escapes, code, underscores, HTML,
# entities, strikethrough, tables, and carriage returns, tabs or NULs. (Tested one by one with
# `in`: a few memchr scans are far quicker than a character-class regex over a whole body.)
_UNSUPPORTED_CHARS = "\\`_<&~|\r\t\x00"
_INLINE_SPECIAL_CHARS = "*[]!"
_BLANK_LINES = re.compile(r"\n\n+")
_ORDERED_ITEM = re.compile(r"\d{1,9}[.)]( |$)")
_REFERENCE = re.compile(r"\[[^\]]*\]:")
_HEADING = re.compile(r"(#{1,6}) (.*[^#\s])\Z")
_LINK = re.compile(r"(!?)\[([^\[\]*!]+)\]\(([^()\s\"'<>]+)\)")
_EMPHASIS = re.compile(r"(?<![\w*])\*([^\s*](?:[^*]*[^\s*])?)\*(?![\w*])")


def _escape_plain(text: str) -> str:
    """Escape text of a document `is_plain` accepted: it holds no & or <, so only > and " need it."""
    return text.replace(">", "&gt;").replace('"', "&quot;")


def _contains_any(text: str, characters: str) -> bool:
    for character in characters:
        if character in text:
            return True
    return False


def _render_inline(text: str) -> str | None:
    """Plain text, simple links/images and *emphasis*; None when anything else appears."""
    if not _contains_any(text, _INLINE_SPECIAL_CHARS):
        return _escape_plain(text)
    out: list[str] = []
    position = 0
    for match in _LINK.finditer(text):
        before = _render_plain_or_emphasis(text[position : match.start()])
        label = _render_plain_or_emphasis(match.group(2))
        if before is None or label is None or label != _escape_plain(match.group(2)):
            return None
        out.append(before)
        url = match.group(3)
        if match.group(1):
            out.append(_renderer.image(label, url))
        else:
            out.append(_renderer.link(label, url))
        position = match.end()
    rest = _render_plain_or_emphasis(text[position:])
    if rest is None:
        return None
    out.append(rest)
    return "".join(out)


def _render_plain_or_emphasis(text: str) -> str | None:
    if "[" in text or "]" in text or "!" in text and "![" in text:
        return None
    if "*" not in text:
        return _escape_plain(text)
    rendered = _EMPHASIS.sub(lambda m: "\x00" + m.group(1) + "\x01", text)
    if "*" in rendered:
        return None
    return _escape_plain(rendered).replace("\x00", "<em>").replace("\x01", "</em>")


def is_plain(text: str) -> bool:
    """Whether every line is a plain paragraph line, an ATX heading or a `> ` quote line."""
    if _contains_any(text, _UNSUPPORTED_CHARS) or " \n" in text or text.endswith(" "):
        return False
    for line in text.split("\n"):
        if not line:
            continue
        first = line[0]
        if first in " -+=":  # indented code, lists, setext underlines, thematic breaks
            return False
        if first == "*" and (len(line) == 1 or line[1] in " *"):  # a list item or a rule
            return False
        if first.isdigit() and _ORDERED_ITEM.match(line):
            return False
        if first == ">" and not line.startswith("> "):
            return False
        if first == "[" and _REFERENCE.match(line):  # changes how every link resolves
            return False
    return True


def render_fast(text: str) -> str | None:
    """Render the plain-news subset of Markdown exactly as mistune would, or None."""
    if not is_plain(text):
        return None
    out: list[str] = []
    stripped = text.strip("\n")
    for block in _BLANK_LINES.split(stripped) if stripped else ():
        if block.startswith("#"):
            heading = _HEADING.match(block)
            if heading is None or "\n" in block:
                return None
            inline = _render_inline(heading.group(2))
            if inline is None:
                return None
            level = len(heading.group(1))
            out.append(f"<h{level}>{inline}</h{level}>\n")
        elif block.startswith(">"):
            lines = block.split("\n")
            if not all(line.startswith("> ") and len(line) > 2 for line in lines):
                return None
            inner = "\n".join(line[2:] for line in lines)
            if not is_plain(inner) or any(line.startswith(("#", ">")) for line in inner.split("\n")):
                return None
            inline = _render_inline(inner)
            if inline is None:
                return None
            out.append(f"<blockquote>\n<p>{inline}</p>\n</blockquote>\n")
        else:
            # a heading or quote line after the first (most paragraphs are one line)
            if "\n" in block and ("\n#" in block or "\n>" in block):
                return None
            inline = _render_inline(block)
            if inline is None:
                return None
            out.append(f"<p>{inline}</p>\n")
    return "".join(out)


def render_markdown(text: str) -> str:
    """Render an article body to HTML (control and bidi-override characters removed first)."""
    text = neutralise_text(text)
    fast = render_fast(text)
    return fast if fast is not None else str(_mistune(text))
