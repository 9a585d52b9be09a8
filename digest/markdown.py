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

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .text import neutralise_text

if TYPE_CHECKING:
    from .saferender import SafeRenderer


@functools.cache
def _mistune_parts() -> tuple[Callable[[str], Any], SafeRenderer]:
    """The mistune function and a renderer for the fast path's links, made on first use."""
    from .saferender import SafeRenderer, make_renderer

    return make_renderer(), SafeRenderer()


def render_with_mistune(text: str) -> str:
    """mistune's HTML for a document (what `render_fast` must equal where it answers)."""
    return str(_mistune_parts()[0](text))


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
            out.append(_mistune_parts()[1].image(label, url))
        else:
            out.append(_mistune_parts()[1].link(label, url))
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
    return fast if fast is not None else render_with_mistune(text)
