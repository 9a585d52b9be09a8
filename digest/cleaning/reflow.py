"""Join hard-wrapped lines back into blocks: one block per paragraph, list item,
heading or stray line, with the layout facts later stages judge them by."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from digest.cleaning.lines import Layout, Line

if TYPE_CHECKING:
    from digest.cleaning.boilerplate import Verdict
    from digest.cleaning.signals import Signals

_WIDE = "\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff00-\uff60"
_WIDE_START_RE = re.compile(f"[{_WIDE}]")
_FIRST_WIDE = _WIDE[0]  # no character below it is wide
# Extra columns a renderer may leave free at the right margin before wrapping.
_WRAP_SLACK = 1


class Block:
    """A run of lines that reads as one unit of text. `boilerplate.judge_blocks` adds
    what it reads as: one object per block, so later stages read every fact off it."""

    __slots__ = (
        "text",
        "first",  # index of the first line in the dump
        "last",  # index of the last line
        "indent",
        "bullet",  # list marker that began the block, if any
        "gap_before",  # blank lines directly above
        "gap_after",
        "image_before",  # an image marker sits directly above
        "rule_before",  # a horizontal rule sits directly above
        "n_lines",
        # Set by `judge_blocks` (see `boilerplate.Verdict` for their meaning):
        "verdict",
        "key",
        "words",
        "prose",
        "template",
        "repeats",
        "furniture",
        "label",
        "comments",
        # Worked out on first use by `metadata` (once per block):
        "below",
        "title_terms",
    )
    # Declared for the type checker (and mypyc, which makes them native attributes);
    # `judge_blocks` and `metadata` set them.
    verdict: Verdict
    key: str
    words: int
    prose: bool
    template: bool
    repeats: int
    furniture: float
    label: bool
    comments: bool
    below: list[int] | None
    # `metadata.title_terms`: () once a block is known not to be a headline.
    title_terms: tuple[float, float, bool] | tuple[()] | None

    def __init__(
        self,
        text: str,
        first: int,
        last: int,
        indent: int,
        bullet: str = "",
        gap_before: int = 0,
        gap_after: int = 0,
        image_before: bool = False,
        rule_before: bool = False,
    ) -> None:
        self.text = text
        self.first = first
        self.last = last
        self.indent = indent
        self.bullet = bullet
        self.gap_before = gap_before
        self.gap_after = gap_after
        self.image_before = image_before
        self.rule_before = rule_before
        self.n_lines = 1

    # The costlier verdicts, worked out once per text by the shared `Verdict`.
    @property
    def signals(self) -> Signals:
        """The measurements of the text (see `signals.measure`)."""
        return self.verdict.signals

    @property
    def teaser(self) -> bool:
        """A link card: a headline run into its summary."""
        return self.verdict.teaser

    @property
    def caption(self) -> bool:
        """A photo caption or credit."""
        return self.verdict.caption

    @property
    def dateline(self) -> bool:
        """A byline, date or reading-time line."""
        return self.verdict.dateline

    @property
    def meta(self) -> bool:
        """A byline, date line, credit or read-time badge: metadata, never body."""
        return self.verdict.meta


def build_blocks(lines: list[Line], layout: Layout) -> list[Block]:
    """Group lines into blocks, re-flowing hard wraps when the dump has them."""
    blocks: list[Block] = []
    gap = 0
    image = rule = False
    current: Block | None = None
    # The texts of the lines the current block re-flows, with the spaces between them:
    # joined once when the block is done (adding each line to the text so far would
    # copy a long paragraph over and over).
    pieces: list[str] = []
    cont_indent = 0
    last_width = 0
    wrapped = layout.wrapped
    for index, line in enumerate(lines):
        if not line.text:
            if current is not None:
                if len(pieces) > 1:
                    current.text = "".join(pieces)
                blocks.append(current)
                current = None
            if line.marker == "image":
                image = True
            elif line.marker == "rule":
                rule = True
            elif not line.marker:
                gap += 1
            continue
        # Only a hard-wrapped dump continues a block onto the next line.
        if (
            current is not None
            and wrapped
            and _continues(current, line, layout, cont_indent, last_width)
        ):
            # A wrapped line may begin with a dash that only looks like a bullet.
            piece = f"{line.bullet} {line.text}" if line.bullet else line.text
            # Wrapped CJK text has no spaces between words: join without one.
            # (Only the last character matters: no need to search the whole block.)
            if not (_starts_wide(pieces[-1][-1:]) and _starts_wide(piece)):
                pieces.append(" ")
            pieces.append(piece)
            current.last = index
            current.n_lines += 1
            last_width = line.width
            continue
        if current is not None:
            if len(pieces) > 1:
                current.text = "".join(pieces)
            blocks.append(current)
        # Positional arguments (in field order) cost half as much as keywords here.
        # text, first, last, indent, bullet, gap_before, gap_after, image_before, rule_before
        current = Block(line.text, index, index, line.indent, line.bullet, gap, 0, image, rule)
        pieces = [line.text]
        cont_indent = line.indent + (len(line.bullet) + 1 if line.bullet else 0)
        last_width = line.width
        gap = 0
        image = rule = False
    if current is not None:
        if len(pieces) > 1:
            current.text = "".join(pieces)
        blocks.append(current)
    for before, after in zip(blocks, blocks[1:]):
        before.gap_after = after.gap_before
    return blocks


def _continues(block: Block, line: Line, layout: Layout, cont_indent: int, last_width: int) -> bool:
    """Whether `line` carries on the wrapped text of `block`."""
    # (`layout.width` rather than the `wrapped` property: this runs for every line.)
    if layout.width <= 0 or (line.bullet and line.bullet not in "-–"):
        return False
    # The renderer broke the line only if the next word could not fit on it; CJK text
    # breaks between any two characters.
    text = line.text
    if _starts_wide(text):
        needed = 2
    else:
        space = text.find(" ")  # the first word's length, without splitting the line
        needed = 1 + (space if space >= 0 else len(text))
    full = last_width + needed > layout.width - _WRAP_SLACK
    if line.indent == cont_indent or (block.bullet and line.indent == block.indent + 2):
        return full
    # An outdented heading (lynx) wraps onto a centred second line.
    return full and block.n_lines == 1 and block.indent < layout.base_indent


def _starts_wide(text: str) -> bool:
    """Whether `text` opens with a character a terminal draws two columns wide. (Latin
    text never does: the code point alone rules most lines out.)"""
    return text[:1] >= _FIRST_WIDE and _WIDE_START_RE.match(text) is not None
