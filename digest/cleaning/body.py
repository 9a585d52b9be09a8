"""Write an article's body blocks as Markdown: paragraphs, "## " subheadings, "- " and
numbered lists, "> " quotes; captions, bylines and link lists are set aside."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from digest.cleaning.boilerplate import Judged
from digest.cleaning.captions import is_credit_label
from digest.cleaning.metadata import byline_name, is_byline_or_date, is_date_line, is_meta_line

# Labels that introduce a list of links to other articles ("Related", "Read more").
_LIST_LABEL_RE = re.compile(
    r"^(?:related|more|also|see also|read (?:more|next|also)|recommended|suggested|popular"
    r"|most (?:read|popular|viewed|shared)|trending|latest|top stories|you (?:may|might)"
    r"|don'?t miss|editor|further|in other news|up next|what to read|watch|listen|video"
    r"|relacionad|leia|veja|lee|lire|à lire|leggi|lesen|читайте|関連)",
    re.IGNORECASE,
)
# "Read more: Some other headline" -- a label, a colon, a link.
_LEAD_LINK_RE = re.compile(r"^(?P<label>[^\W\d_][\w ’'-]{1,25}?)\s?:\s*(?P<rest>\S.*)$")
_LEAD_LINK_COLON = 28  # its colon comes within this many characters (checked first)
_AFP_SUBHEAD_RE = re.compile(r"^[-–—]\s*(?P<text>.+?)\s*[-–—]$")
# Line openings Markdown would read as syntax: lists, headings, quotes, rules, fences.
_MARKDOWN_MARKS = "#>*+=|~`-"
_MARKDOWN_START_RE = re.compile(rf"^(?:(\d{{1,9}})([.)])(?=\s|$)|([{_MARKDOWN_MARKS}]))")
_HEADLINE_WORDS_RE = re.compile(r"[^\W\d_]+")
_LOOKAHEAD = 12  # blocks searched below a subheading for the text it leads into
_LIST_ITEM_RE = re.compile(r"^(?:- |\d{1,9}\. )")
_BARE_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$")


@dataclass(slots=True)
class Body:
    """An article body as Markdown blocks, with what was set aside."""

    blocks: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    author: str | None = None


def render_body(judged: list[Judged], start: int, end: int, base_indent: int) -> Body:
    """Turn blocks `start`..`end` (inclusive) into Markdown."""
    body = Body()
    items = judged[start : end + 1]
    roles = _assign_roles(items, body)
    seen: set[str] = set()
    position = 0
    count = len(items)
    while position < count:
        item, role = items[position], roles[position]
        key = item.key
        if role != "keep" or key in seen:
            position += 1
            continue
        if item.bullet:
            run_end = position
            while (
                run_end + 1 < count
                and items[run_end + 1].bullet
                and roles[run_end + 1] == "keep"
            ):
                run_end += 1
            run = items[position : run_end + 1]
            if _is_content_list(run):
                for entry in run:
                    seen.add(entry.key)
                    body.blocks.append(_list_item(entry))
            position = run_end + 1
            continue
        if (
            item.prose
            or (item.signals.full_stop and item.words >= 3)
            or _BARE_URL_RE.match(item.text)
        ):
            seen.add(key)
            body.blocks.append(_paragraph(item, base_indent))
        elif _is_subheading(item, items, roles, position, base_indent):
            seen.add(key)
            body.blocks.append("## " + _subheading_text(item.text))
        position += 1
    return body


def _assign_roles(items: list[Judged], body: Body) -> list[str]:
    """Mark each block "keep", "caption", "meta" or "drop"."""
    roles: list[str] = []
    in_links = False
    previous_key = ""
    for index, item in enumerate(items):
        text = item.text
        key = item.key
        following = items[index + 1] if index + 1 < len(items) else None
        if item.caption or (following is not None and key == following.key and not item.prose):
            # Doubled lines are image alt text over a caption.
            roles.append("caption")
            body.captions.append(text)
            previous_key = key
            continue
        if following is not None and is_credit_label(following.text) and not item.prose:
            roles.append("caption")  # the line above "Credit..." is a caption
            body.captions.append(text)
            previous_key = key
            continue
        if following is not None and following.caption and len(key) >= 12 and key in following.key:
            roles.append("caption")  # alt text repeated inside the caption below it
            previous_key = key
            continue
        if key == previous_key and roles and roles[-1] == "caption":
            roles.append("caption")
            continue
        previous_key = key
        if item.prose and not (in_links and item.bullet):
            in_links = False
        if item.label or item.furniture or item.comments:
            roles.append("drop")
            in_links = bool(_LIST_LABEL_RE.match(text.strip(" :>»›|-–—*#")))
            continue
        if in_links and not item.prose:
            roles.append("drop")
            continue
        if item.words <= 25 and is_meta_line(item):
            name = byline_name(text)
            if name and body.author is None:
                body.author = name
            roles.append("meta")
            continue
        lead = _LEAD_LINK_RE.match(text) if ":" in text[:_LEAD_LINK_COLON] else None
        if lead and _LIST_LABEL_RE.match(lead.group("label")) and not item.signals.full_stop:
            roles.append("drop")  # "Read more: Another headline"
            continue
        roles.append("keep")
    return roles


def _is_content_list(run: list[Judged]) -> bool:
    """Bullets worth keeping: not a list of headlines linking elsewhere."""
    if all(entry.bullet[:1].isdigit() for entry in run):
        return True
    headlines = sum(1 for entry in run if _is_headline_like(entry))
    return headlines < 0.6 * len(run)


def _is_headline_like(item: Judged) -> bool:
    words = _HEADLINE_WORDS_RE.findall(item.text)
    if len(words) < 5 or item.signals.full_stop:
        return False
    capitals = sum(1 for word in words if word[:1].isupper())
    return capitals >= 0.6 * len(words)


def _is_subheading(
    item: Judged, items: list[Judged], roles: list[str], position: int, base_indent: int
) -> bool:
    signals = item.signals
    if signals.words < 1 or signals.words > 15:
        return False
    text = item.text.rstrip()
    if signals.full_stop and not _AFP_SUBHEAD_RE.match(text):
        return False
    if text.endswith((",", ";")) or item.image_before or is_date_line(text):
        return False
    if base_indent and item.indent > base_indent + 4:
        return False  # centred: a caption under a picture
    if is_byline_or_date(item):
        return False
    # A subheading leads into text: the next kept block is prose or a list.
    for later in range(position + 1, min(len(items), position + 1 + _LOOKAHEAD)):
        if roles[later] != "keep":
            continue
        nxt = items[later]
        return nxt.prose or bool(nxt.bullet) or (nxt.signals.full_stop and nxt.words >= 3)
    return False


def _subheading_text(text: str) -> str:
    match = _AFP_SUBHEAD_RE.match(text.strip())
    if match:
        return match.group("text").strip(" -–—")
    return text.strip()


def _paragraph(item: Judged, base_indent: int) -> str:
    text = escape_markdown_start(item.text)
    if (
        base_indent is not None
        and item.indent >= base_indent + 3
        and not item.bullet
        and item.prose
    ):
        return "> " + text  # indented prose in a terminal dump is a block quote
    return text


def _list_item(item: Judged) -> str:
    bullet = item.bullet
    text = escape_markdown_start(item.text)
    if bullet[:1].isdigit():
        return f"{bullet[:-1]}. {text}"
    return f"- {text}"


def join_blocks(blocks: list[str]) -> str:
    """Join Markdown blocks with blank lines, keeping list items of one list together."""
    out: list[str] = []
    for block in blocks:
        if out and _LIST_ITEM_RE.match(block) and _LIST_ITEM_RE.match(out[-1]):
            out[-1] = f"{out[-1]}\n{block}"
        else:
            out.append(block)
    return "\n\n".join(out)


def escape_markdown_start(text: str) -> str:
    """Backslash-escape a line opening that Markdown would read as syntax."""
    first = text[:1]
    # (`\d` is a decimal digit: most lines open with neither one nor a mark.)
    if not first.isdecimal() and first not in _MARKDOWN_MARKS:
        return text
    match = _MARKDOWN_START_RE.match(text)
    if match is None:
        return text
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}{text[match.end() :]}"
    return "\\" + text
