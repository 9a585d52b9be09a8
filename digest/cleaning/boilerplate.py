"""Tell page furniture from article text, block by block.

Most of the decision rests on shape: prose is long, punctuated and full of function
words; furniture is short, repeated (the same line shape many times: "Share", "Reply",
"2 days ago"), or one of the few labels every news page prints around an article
("Related", "Most read", "Comments", "Advertisement", "All rights reserved").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.cleaning.captions import has_credit, is_credit_line, starts_like_caption
from digest.cleaning.reflow import Block
from digest.cleaning.signals import Signals, measure

# Section labels and furniture lines news pages print around articles, in the
# languages curators bring most often. Matched against a whole short line.
_LABELS = (
    r"related(?: (?:news|articles?|stories|posts|content|coverage|topics|videos?))?",
    r"more (?:from|on|in|news|stories|articles|videos?|like this)(?: [\w ]{1,30})?",
    r"(?:most|more) (?:read|popular|viewed|shared|commented|recent)(?: [\w ]{1,20})?",
    r"(?:you|we think you) (?:may|might|will) (?:also )?(?:like|enjoy|be interested in)",
    r"also|further|recommended(?: for you)?|suggested|editor'?s?'? picks?|trending",
    r"top stories|latest(?: news| stories| headlines)?|popular(?: now)?",
    r"read (?:next|more|also)|what to read next|don'?t miss|up next|see also",
    r"in other news|around the web|from the web|sponsored(?: content| stories| links)?",
    r"promoted(?: stories| content)?",
    r"(?:\d+ )?comments?|(?:\d+ )?responses?|(?:\d+ )?repl(?:y|ies)",
    r"leave a (?:comment|reply)|join the (?:conversation|discussion)|discussion",
    r"view comments|show comments",
    r"share(?: this)?(?: (?:article|story|post|page))?(?: on \w+)?|share via \w+",
    r"tweet|pin|e-?mail|print|facebook|twitter|linkedin|whatsapp|reddit|pinterest",
    r"telegram|flipboard|copy(?: link)?|copied!?|link copied|save|saved|bookmark",
    r"listen(?: to (?:this )?article)?|advertisement|advertising|ad|ads by \w+",
    r"continue reading(?: (?:below|the main story))?|skip (?:to )?(?:main )?content",
    r"skip ad|close|menu|search|home|back to top|top",
    r"subscribe(?: now| today)?|sign (?:in|up)|log ?in|log ?out|register|newsletters?",
    r"follow us(?: on \w+)?|tags?|topics?|filed under|categories|category|sections?",
    r"loading(?: content)?\.*|previous(?: (?:post|article|story))?",
    r"next(?: (?:post|article|story))?",
    r"more|see more|show more|view all|see all|all|load more|video|photos?|gallery",
    r"relacionad[oa]s|leia (?:também|mais)|veja também|mais lidas|compartilh(?:e|ar)",
    r"noticias relacionadas|lee también|más leídas|compartir|comentarios",
    r"articles? (?:liés|similaires)|lire aussi|à lire aussi|partager|commentaires",
    r"leggi anche|articoli correlati|condividi|commenti|potrebbe interessarti",
    r"lesen sie auch|mehr zum thema|teilen|kommentare|weitere artikel",
    r"читайте также|похожие (?:статьи|новости)|поделиться|комментарии|реклама",
    r"関連記事|人気記事|シェア|コメント",
)
_LABEL_WORDS = "|".join(_LABELS)
_LABEL_RE = re.compile(rf"^(?:{_LABEL_WORDS})(?:\s*[:>»›|·•-]+)?$", re.I)
# A line that is a list of such labels: share rows, footer menus.
_LABEL_ROW_RE = re.compile(rf"^(?:(?:{_LABEL_WORDS})[\s|·•/,-]*){{2,}}$", re.I)
_COPYRIGHT_RE = re.compile(
    r"©|\(c\) ?\d{4}|\ball rights reserved\b|\btodos los derechos\b|\btodos os direitos\b"
    r"|\btous droits\b|\balle rechte\b|\bвсе права\b|\bcopyright\b",
    re.I,
)
_COOKIE_RE = re.compile(
    r"\b(?:cookies?|gdpr|privacy (?:policy|notice|settings)|terms (?:of (?:use|service)|and"
    r" conditions)|consent|ad ?blocker|disable your ad|javascript (?:is )?(?:disabled|required)"
    r"|enable javascript|your browser|sign up for (?:our|the) \w+|subscribe to (?:our|the)"
    r"|already a subscriber|create (?:a free|an) account|get unlimited access"
    r"|(?:free|unlimited) (?:trial|access|articles)|paywall|newsletter)\b",
    re.I,
)
# Promotional and sharing lines: "Follow us", "(Opens in new window)", "Email this".
_PROMO_RE = re.compile(
    r"\b(?:opens? in (?:a )?new (?:window|tab)|follow (?:us|@)|subscribe|sign up|newsletters?|"
    r"email this|share (?:on|this|via|to)|tweet (?:this|about)|click (?:here|to)|"
    r"download (?:the|our)|"
    r"get (?:the|our) app|advertis(?:e|ement|ing))\b",
    re.I,
)
_SOCIAL_COUNT_RE = re.compile(
    r"^[\d.,]+[kKmM]? ?(?:shares?|comments?|views?|likes?|reads?|letture|visualizações)$", re.I
)
_DIGIT_RE = re.compile(r"\d+")
# A headline glued to its teaser text: "...Student-AthleteA 24-year-old woman was".
_GLUE_RE = re.compile(r"(?:(?<=[a-z]{4})|(?<=[)”’'?!]))(?=[A-Z])")
_SENTENCE_BREAK_RE = re.compile(r"[.!?]\s")
_WORD_SHAPE_RE = re.compile(r"[^\W\d_]+")


# Where reader comments begin: what follows is not the article.
_COMMENTS_RE = re.compile(
    r"^(?:(?:\d+|top rated|reader|user|show|view|read|all)\s+)?(?:comments?|responses?|replies"
    r"|reactions?)(?:\s+(?:to|on)\b.*|\s*\(\d+\))?$"
    r"|^(?:leave|post|add|write|submit) a (?:comment|reply|response)\b.*"
    r"|^comments (?:are|have been) closed\b.*|^join the (?:conversation|discussion)\b.*"
    r"|^(?:comentários|comentarios|commentaires|commenti|kommentare|комментарии"
    r"|lascia un commento|deixe (?:um|seu) comentário|deja un comentario"
    r"|laisser un commentaire)\b.*",
    re.I,
)


@dataclass(slots=True)
class Judged:
    """A block with the signals and verdicts later stages use."""

    block: Block
    signals: Signals
    prose: bool  # reads like article prose
    furniture: float  # 0 = none; higher = more certainly page furniture
    label: bool  # a section label such as "Related" or "Comments"
    template: bool  # a short line whose shape recurs (menus, comment headers)
    comments: bool  # a heading that opens reader comments
    teaser: bool  # a link card: headline run into its summary
    caption: bool  # a photo caption or credit
    repeats: int  # how often the same text occurs in the capture

    @property
    def text(self) -> str:
        return self.block.text

    @property
    def words(self) -> int:
        return self.signals.words


def judge_blocks(blocks: list[Block]) -> list[Judged]:
    """Measure every block and mark prose, labels and repeated furniture."""
    texts = [_fold(block.text) for block in blocks]
    text_counts: dict[str, int] = {}
    for text in texts:
        text_counts[text] = text_counts.get(text, 0) + 1
    shapes = [_shape(block.text) for block in blocks]
    shape_counts: dict[str, int] = {}
    for shape in shapes:
        if shape:
            shape_counts[shape] = shape_counts.get(shape, 0) + 1
    judged: list[Judged] = []
    for block, text, shape in zip(blocks, texts, shapes):
        signals = measure(block.text)
        label = is_label(block.text)
        repeats = text_counts.get(text, 1)
        caption = is_caption_text(block.text, signals.words)
        # A paragraph printed twice is a headline, caption or teaser echoed elsewhere.
        prose = (
            is_prose(block.text, signals)
            and not label
            and not caption
            and (repeats == 1 or signals.words >= 40)
        )
        furniture = 0.0
        if label:
            furniture = 2.0
        elif _COPYRIGHT_RE.search(block.text) and signals.words < 40:
            furniture = 2.0
        elif _COOKIE_RE.search(block.text) and signals.words < 60:
            furniture = 1.5
        elif _SOCIAL_COUNT_RE.match(block.text):
            furniture = 1.5
        elif signals.words <= 12 and _PROMO_RE.search(block.text.lstrip("0123456789 ")):
            furniture = 1.0
        # The same short line shape again and again is a template: "Reply",
        # "3 hours ago", "Rating: 12 Votes".
        template = not prose and bool(shape) and shape_counts.get(shape, 0) >= 3
        teaser = is_glued_teaser(block.text)
        comments = signals.words <= 12 and bool(_COMMENTS_RE.match(block.text.strip(" .:-–—#[]")))
        judged.append(
            Judged(
                block, signals, prose, furniture, label, template, comments, teaser,
                caption, repeats,
            )
        )
    return judged


def is_label(text: str) -> bool:
    """Whether a whole line is a furniture label ("Related news", "Share", "Tags:")."""
    if len(text) > 60:
        return False
    stripped = text.strip(" .:>»›|·•-–—*#()[]")
    return bool(_LABEL_RE.match(stripped) or _LABEL_ROW_RE.match(stripped))


def is_caption_text(text: str, words: int) -> bool:
    """Photo captions and credits: "... (Photo by X / AFP)", "Credit...", "FILE PHOTO: ..."."""
    if words > 70:
        return False
    return is_credit_line(text) or starts_like_caption(text) or has_credit(text)


def is_glued_teaser(text: str) -> bool:
    """Whether a block starts with a Title Case headline run straight into more text,
    as link cards come out of a dump ("Mayor: Move Won’t StandWarren Mayor says...")."""
    for match in _GLUE_RE.finditer(text, 0, 200):
        head = text[: match.start()]
        words = head.split()[-8:]
        if len(words) < 4 or _SENTENCE_BREAK_RE.search(head):
            continue
        capitals = sum(1 for word in words if word[:1].isupper() or not word[:1].isalpha())
        if capitals >= len(words) - 1:
            return True
    return False


def is_prose(text: str, signals: Signals) -> bool:
    """Whether a block reads like running article text rather than a label or link."""
    words = signals.words
    if signals.wide:
        return words >= 12 and (signals.sentence_end or words >= 40)
    if words >= 25:
        return signals.stop_ratio >= 0.12 or signals.full_stop
    if words >= 12:
        return signals.full_stop or (signals.stop_ratio >= 0.25 and signals.lower_ratio >= 0.5)
    if words >= 6:
        return signals.full_stop and signals.lower_ratio >= 0.5 and signals.stop_ratio >= 0.15
    return False


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _shape(text: str) -> str:
    """A line's template: short lines only, digits and capitalised words abstracted."""
    if len(text) > 80:
        return ""
    words = _WORD_SHAPE_RE.findall(_DIGIT_RE.sub("0", text))
    if len(words) > 8:
        return ""
    out = []
    for word in words:
        out.append("A" if word[:1].isupper() else word.lower())
    return " ".join(out) + ("0" if any(ch.isdigit() for ch in text) else "")
