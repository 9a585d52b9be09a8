"""Tell page furniture from article text, block by block.

Most of the decision rests on shape: prose is long, punctuated and full of function
words; furniture is short, repeated (the same line shape many times: "Share", "Reply",
"2 days ago"), or one of the few labels every news page prints around an article
("Related", "Most read", "Comments", "Advertisement", "All rights reserved").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from operator import attrgetter

from digest.cleaning.bylines import is_byline_or_date_text
from digest.cleaning.captions import (
    has_credit,
    is_credit_label,
    is_credit_line,
    starts_like_caption,
)
from digest.cleaning.patterns import lowercase_copies, trie_pattern
from digest.cleaning.reflow import Block
from digest.cleaning.signals import Signals, has_wide, measure
from digest.cleaning.signals import has_lone_mark as _has_lone_mark

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
_ONE_WORD_LABELS = frozenset(
    "share tweet pin email e-mail print facebook twitter linkedin whatsapp reddit pinterest "
    "telegram flipboard copy save saved bookmark listen advertisement advertising ad close "
    "menu search home top subscribe register newsletter newsletters tags tag topics topic "
    "categories category sections section more all video photo photos gallery comments "
    "comment replies reply responses response discussion next previous related login "
    "logout trending latest popular recommended".split()
)
_LABEL_END = r"(?:\s*[:>»›|·•-]+)?$"
_LABEL_RE = re.compile(rf"^(?:{_LABEL_WORDS}){_LABEL_END}", re.IGNORECASE)
# A line that is a list of such labels: share rows, footer menus.
_LABEL_ROW_SEP = r"[\s|·•/,-]*"
_LABEL_ROW_RE = re.compile(rf"^(?:(?:{_LABEL_WORDS}){_LABEL_ROW_SEP}){{2,}}$", re.IGNORECASE)


def _alternatives(pattern: str) -> list[str]:
    """The top-level branches of a regex ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    branches, depth, start, position, in_class = [], 0, 0, 0, False
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            position += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:position])
            start = position + 1
        position += 1
    branches.append(pattern[start:])
    return branches


def _labels_by_initial(flags: int) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    """`_LABEL_RE`, and `_LABEL_RE` or `_LABEL_ROW_RE` in one, cut down for each ASCII
    initial to the labels that can begin with it: re tries the hundred-odd branches one by one, and on most
    lines none of them matches. Branches that do not begin with a plain letter (a group,
    a digit class) stay in every subset; so do the whole patterns' endings. `flags`:
    re.IGNORECASE, or 0 for patterns to match lowercased ASCII text with."""
    by_initial: dict[str, list[str]] = {}
    loose: list[str] = []
    for branch in _alternatives(_LABEL_WORDS):
        initial = branch[0]
        if initial.isalpha() and branch[1:2] not in ("?", "*", "{"):
            if initial.isascii():
                by_initial.setdefault(initial.lower(), []).append(branch)
            # a non-ASCII initial cannot match an ASCII one: left out of every subset
        else:
            loose.append(branch)
    patterns = {}
    for initial in "abcdefghijklmnopqrstuvwxyz0123456789":
        words = "|".join(by_initial.get(initial, []) + loose)
        patterns[initial] = (
            re.compile(rf"^(?:{words}){_LABEL_END}", flags),
            # A label alone or the first of a row (only that one is bound to the
            # initial): the opening label is matched once for both.
            re.compile(
                rf"^(?:{words})(?:{_LABEL_END}"
                rf"|{_LABEL_ROW_SEP}(?:(?:{_LABEL_WORDS}){_LABEL_ROW_SEP})+$)",
                flags,
            ),
        )
    return patterns


_LABELS_BY_INITIAL = _labels_by_initial(re.IGNORECASE)
# The labels are written in lowercase, and no letter of theirs past ASCII folds to an
# ASCII one: lowercased ASCII text matches them case-sensitively just as text does
# ignoring case, and re compares plain characters much faster than it folds them.
_LOWERCASE_LABELS_BY_INITIAL = _labels_by_initial(0)
_COPYRIGHT_RE = re.compile(
    r"©|\(c\) ?\d{4}|\ball rights reserved\b|\btodos los derechos\b|\btodos os direitos\b"
    r"|\btous droits\b|\balle rechte\b|\bвсе права\b|\bcopyright\b",
    re.IGNORECASE,
)
_COOKIE_RE = re.compile(
    r"\b(?:cookies?|gdpr|privacy (?:policy|notice|settings)|terms (?:of (?:use|service)|and"
    r" conditions)|consent|ad ?blocker|disable your ad|javascript (?:is )?(?:disabled|required)"
    r"|enable javascript|your browser|sign up for (?:our|the) \w+|subscribe to (?:our|the)"
    r"|already a subscriber|create (?:a free|an) account|get unlimited access"
    r"|(?:free|unlimited) (?:trial|access|articles)|paywall|newsletter)\b",
    re.IGNORECASE,
)
# Promotional and sharing lines: "Follow us", "(Opens in new window)", "Email this".
_PROMO_RE = re.compile(
    r"\b(?:opens? in (?:a )?new (?:window|tab)|follow (?:us|@)|subscribe|sign up|newsletters?|"
    r"email this|share (?:on|this|via|to)|tweet (?:this|about)|click (?:here|to)|"
    r"download (?:the|our)|"
    r"get (?:the|our) app|advertis(?:e|ement|ing))\b",
    re.IGNORECASE,
)
# Substrings without which the patterns above cannot match (checked first: fast).
_COPYRIGHT_HINT_WORDS = ("©", "(c)", "right", "derechos", "direitos", "droits", "rechte", "права")
_COOKIE_HINT_WORDS = (
    *("cookie", "gdpr", "privacy", "terms", "consent", "blocker", "javascript", "browser"),
    *("sign up", "subscribe", "account", "access", "trial", "articles", "paywall", "newsletter"),
)
_PROMO_HINT_WORDS = (
    *("window", "tab", "follow", "subscribe", "sign up", "newsletter", "email", "share"),
    *("tweet", "click", "download", "app", "advertis"),
)
_COMMENTS_HINT_WORDS = (
    *("comment", "thought", "respons", "repl", "reaction", "conversation", "discussion"),
    *("comentário", "comentario", "commentaire", "commenti", "kommentar", "комментари"),
)
# Each group as a prefix trie: the same substring test, faster. (Kept as plain names:
# a compiled pattern is a costly dictionary key, hashed anew on every lookup.)
_COPYRIGHT_HINTS = re.compile(trie_pattern(_COPYRIGHT_HINT_WORDS))
_COOKIE_HINTS = re.compile(trie_pattern(_COOKIE_HINT_WORDS))
_PROMO_HINTS = re.compile(trie_pattern(_PROMO_HINT_WORDS))
_COMMENTS_HINTS = re.compile(trie_pattern(_COMMENTS_HINT_WORDS))
# All the words, for one pass over every short line (see `_hinted_texts`); the patterns
# above only run on the few lines it finds a word in. Past twelve words a line can only
# be a copyright, cookie or paywall notice (or a comment count, which opens the line):
# their words are enough there.
_HINT_WORDS = {
    *_COPYRIGHT_HINT_WORDS,
    *_COOKIE_HINT_WORDS,
    *_PROMO_HINT_WORDS,
    *_COMMENTS_HINT_WORDS,
}
# A word containing another hint word adds nothing to a substring test.
_ALL_HINT_WORDS = tuple(
    sorted(
        word for word in _HINT_WORDS if not any(other in word for other in _HINT_WORDS - {word})
    )
)
_NOTICE_HINT_WORDS = tuple(sorted({*_COPYRIGHT_HINT_WORDS, *_COOKIE_HINT_WORDS}))
# (In UTF-8, as `find_texts_with` looks for them.)
_HINT_GROUPS = tuple(
    tuple(word.encode("utf-8") for word in group)
    for group in (_ALL_HINT_WORDS, _NOTICE_HINT_WORDS, _COOKIE_HINT_WORDS)
)
_PROSE_MIN_WORDS = 6  # is_prose never accepts fewer
_CAPTION_MAX_WORDS = 50
_LONE_MARK_RE = re.compile(r"(?<!\S)[—–\-|/•·»>]+(?!\S)")
_SOCIAL_COUNT_RE = re.compile(
    r"^[\d.,]+[kKmM]? ?(?:shares?|comments?|views?|likes?|reads?|letture|visualizações)$",
    re.IGNORECASE,
)
# (A digit, then any more: a pattern that opens with a plain class lets re skip along
# to the next digit; "\d+" is tried at every character.)
_DIGIT_RE = re.compile(r"\d\d*")
# A headline glued to its teaser text: "...Student-AthleteA 24-year-old woman was". Each
# match is the capital that opens the teaser, found first and then looked behind: re
# skips straight to capitals then, instead of trying the look-behinds everywhere. (Two
# glue points are never adjacent: the character before one is no capital.)
_GLUE_RE = re.compile(r"[A-Z](?:(?<=[a-z]{4}[A-Z])|(?<=[)”’'?!][A-Z]))")
_SENTENCE_BREAK_RE = re.compile(r"[.!?]\s")
_WORD_SHAPE_RE = re.compile(r"[^\W_]+")
# "\b[A-Z][A-Za-z]*", written to begin with the capital (faster to search for).
_CAPITALISED_RE = re.compile(r"[A-Z](?<!\w[A-Z])[A-Za-z]*")


# Where reader comments begin: what follows is not the article.
_COMMENTS_RE = re.compile(
    r"^(?:(?:\d+|one|no|top rated|reader|user|show|view|read|all)\s+)?(?:comments?|responses?"
    r"|replies|reactions?|thoughts?)(?:\s+(?:to|on)\b.*|\s*\(\d+\))?$"
    r"|^(?:leave|post|add|write|submit) a (?:comment|reply|response)\b.*"
    r"|^comments (?:are|have been) closed\b.*|^join the (?:conversation|discussion)\b.*"
    r"|^(?:comentários|comentarios|commentaires|commenti|kommentare|комментарии"
    r"|lascia un commento|deixe (?:um|seu) comentário|deja un comentario"
    r"|laisser un commentaire)\b.*",
    re.IGNORECASE,
)


class Verdict:
    """What a block's text alone says, shared by every block with the same text. The
    costlier checks run only when a later stage asks."""

    __slots__ = (
        "_caption",
        "_credit_line",
        "_dateline",
        "_meta",
        "_signals",
        "_spaced",
        "_teaser",
        "comments",
        "furniture",
        "key",
        "label",
        "prose",
        "shape",
        "text",
        "title_veto",
        "words",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        # Told once, for the key and the word count (see `measure`).
        self._spaced = spaced = is_single_spaced(text)
        self.key = fold_text(text, spaced)
        # (Its spaces, counted once: the shape, the short-text test and the word count.)
        spaces = text.count(" ")
        self.shape = _shape(text, spaces)
        self._signals: Signals | None = None
        self._caption: bool | None = None
        self._credit_line: bool | None = None
        self._dateline: bool | None = None
        self._teaser: bool | None = None
        self._meta: bool | None = None
        self.title_veto: bool | None = None  # set by metadata.could_be_title when first asked
        self.label = label = is_label(text)
        if spaces < _PROSE_MIN_WORDS - 1 and (text.isascii() or spaced and not has_wide(text)):
            # Too short to be prose: count words without measuring the rest (menus).
            # (Past ASCII, as `measure` counts them: a lone space between each two, and
            # none of the wide characters it counts as half a word each.)
            words = spaces + 1 if spaced and text else len(text.split())
            # (A mark stands alone between two spaces: most menu entries have fewer.)
            if words and spaces >= 2 and _has_lone_mark(text):
                words -= len(_LONE_MARK_RE.findall(text))
            self.prose = False
        else:
            signals = self.signals
            self.words = words = signals.words
            # Captions are short; a long paragraph is not checked for a credit.
            self.prose = (
                is_prose(text, signals)
                and not label
                and (words > _CAPTION_MAX_WORDS or not self.caption)
            )
        self.words = words

    def judge_furniture(self, hinted: bool, case_blind: bool = False) -> None:
        """Set `furniture` and `comments`. `hinted`: whether the lowercased text holds
        one of the furniture words its length calls for (see `_hinted_texts`); without
        one, none of the patterns below can match. `case_blind`: skip the lowercase fast
        path (the tests compare the two)."""
        text, words, label = self.text, self.words, self.label
        if not hinted:  # most texts: only a label, a count or a comments heading is left
            self._judge_unhinted()
            return
        lowered = text.lower()
        # ASCII text goes to the patterns lowercased (see `_LOWERCASE_FURNITURE`).
        probe, (copyright_re, cookie_re, promo_re, comments_re) = (
            (lowered, _LOWERCASE_FURNITURE)
            if text.isascii() and not case_blind
            else (text, _CASE_BLIND_FURNITURE)
        )
        furniture = 0.0
        if label or words < 40 and _COPYRIGHT_HINTS.search(lowered) and copyright_re.search(probe):
            furniture = 2.0
        elif (
            words < 60
            and _COOKIE_HINTS.search(lowered)
            and cookie_re.search(probe)
            or words <= 3
            and (text[:1].isdecimal() or text[:1] in ".,")  # how social counts begin
            and _SOCIAL_COUNT_RE.match(text)
        ):
            furniture = 1.5
        elif (
            words <= 12
            and _PROMO_HINTS.search(lowered)
            and promo_re.search(probe.lstrip("0123456789 "))
        ):
            furniture = 1.0
        self.furniture = furniture
        # (The comment count opens the line: its first character rules most lines out.)
        self.comments = (
            words <= 40
            and (
                words <= 12
                and bool(comments_re.match(probe.strip(" .:-–—#[]")))
                or (text[:1].isdecimal() or text[:1] in "oO")
                and bool(_COUNTED_COMMENTS_RE.match(text))
            )
            and _COMMENTS_HINTS.search(lowered) is not None
        )

    def _judge_unhinted(self) -> None:
        """`judge_furniture` for a text without a furniture word: the tests that need
        none (a label, a social count, a counted comments heading)."""
        text, words = self.text, self.words
        initial = text[:1]
        if self.label:
            self.furniture = 2.0
        elif (
            words <= 3 and (initial.isdecimal() or initial in ".,") and _SOCIAL_COUNT_RE.match(text)
        ):
            self.furniture = 1.5
        else:
            self.furniture = 0.0
        self.comments = (
            words <= 40
            and (initial.isdecimal() or initial in "oO")
            and bool(_COUNTED_COMMENTS_RE.match(text))
            and _COMMENTS_HINTS.search(text.lower()) is not None
        )

    @property
    def signals(self) -> Signals:
        """The measurements of the text (see `measure`)."""
        if self._signals is None:
            self._signals = measure(self.text, self._spaced)
        return self._signals

    @property
    def caption(self) -> bool:
        """A photo caption or credit."""
        if self._caption is None:
            # (`is_caption_text`, with the credit-line test `meta` shares.)
            self._caption = self.words <= _CAPTION_TEXT_MAX_WORDS and (
                self.credit_line or _is_other_caption(self.text)
            )
        return self._caption

    @property
    def credit_line(self) -> bool:
        """A whole line that is only a photo credit (see `is_credit_line`)."""
        if self._credit_line is None:
            self._credit_line = is_credit_line(self.text)
        return self._credit_line

    @property
    def dateline(self) -> bool:
        """A byline, date or reading-time line."""
        if self._dateline is None:
            self._dateline = is_byline_or_date_text(self.text, self.words)
        return self._dateline

    @property
    def meta(self) -> bool:
        """A byline, date line, credit or read-time badge: metadata, never body."""
        if self._meta is None:
            self._meta = self.dateline or (self.words <= 25 and self.credit_line)
        return self._meta

    @property
    def teaser(self) -> bool:
        """A link card: a headline run into its summary."""
        if self._teaser is None:
            self._teaser = is_glued_teaser(self.text)
        return self._teaser


# "34 responses to “Headline”", "10 thoughts on “Headline”"
_COUNTED_COMMENTS_RE = re.compile(
    r"^(?:\d+|one)\s+(?:comments?|responses?|replies|thoughts?|reactions?)\s+(?:to|on)\s",
    re.IGNORECASE,
)


# The furniture patterns, and copies of them that heed case for lowercased ASCII text
# (their words are lowercase: see `lowercase_copies`).
_CASE_BLIND_FURNITURE = (_COPYRIGHT_RE, _COOKIE_RE, _PROMO_RE, _COMMENTS_RE)
_LOWERCASE_FURNITURE = lowercase_copies(*_CASE_BLIND_FURNITURE)


# A block once `judge_blocks` has set its verdicts (the same object: one per block).
Judged = Block


def judge_blocks(blocks: list[Block]) -> list[Judged]:
    """Measure every block and mark prose, labels and repeated furniture."""
    # Menus and echoes repeat: each distinct text is judged (and folded, shaped) once.
    texts = [block.text for block in blocks]
    distinct = list(dict.fromkeys(texts))
    verdicts = dict(zip(distinct, judge_texts(distinct)))
    ordered = list(map(verdicts.__getitem__, texts))
    key_counts = Counter(map(attrgetter("key"), ordered))
    shape_counts = Counter(filter(None, map(attrgetter("shape"), ordered)))
    # What a block's text says in its page: the same for every block with that text.
    facts: dict[str, tuple[bool, bool, int]] = {}
    for text, verdict in verdicts.items():
        repeats = key_counts[verdict.key]
        # A paragraph printed twice is a headline, caption or teaser echoed elsewhere.
        prose = verdict.prose and (repeats == 1 or verdict.words >= 40)
        # The same short line shape again and again is a template: "Reply",
        # "3 hours ago", "Rating: 12 Votes".
        template = not prose and bool(verdict.shape) and shape_counts[verdict.shape] >= 3
        facts[text] = (prose, template, repeats)
    for block, verdict, text in zip(blocks, ordered, texts):
        block.verdict = verdict
        block.key = verdict.key  # case- and space-folded text, to compare blocks
        block.words = verdict.words
        # reads like article prose; a short line whose shape recurs (menus, comment
        # headers); how often the same text occurs in the capture
        block.prose, block.template, block.repeats = facts[text]
        block.furniture = verdict.furniture  # 0 = none; higher = more surely page furniture
        block.label = verdict.label  # a section label such as "Related" or "Share"
        block.comments = verdict.comments  # a heading that opens reader comments
        block.below = block.title_terms = None  # see metadata.title_terms
    return blocks


def judge_texts(texts: list[str]) -> list[Verdict]:
    """A verdict on each of a capture's distinct block texts."""
    verdicts = [Verdict(text) for text in texts]
    for verdict, hinted in zip(verdicts, _hinted_texts(verdicts)):
        verdict.judge_furniture(hinted)
    return verdicts


def _hinted_texts(verdicts: list[Verdict]) -> list[bool]:
    """For each text, whether its lowercase form holds a furniture word: any of them up to
    twelve words; past that only the copyright and cookie words (the only tests left
    there), past forty only the cookie ones, past sixty none."""
    groups: tuple[list[int], list[int], list[int]] = ([], [], [])
    for number, verdict in enumerate(verdicts):
        words = verdict.words
        if words < 60:
            groups[0 if words <= 12 else 1 if words < 40 else 2].append(number)
    hinted = [False] * len(verdicts)
    for members, hints in zip(groups, _HINT_GROUPS):
        texts = [verdicts[number].text for number in members]
        for found in find_texts_with(texts, hints):
            hinted[members[found]] = True
    return hinted


def find_texts_with(texts: list[str], needles: Iterable[bytes]) -> set[int]:
    """Which of `texts` (single lines) hold any of `needles` (UTF-8) once lowercased. One
    search per word over all the texts at once, in UTF-8 (a byte search skips along
    fastest): many times faster than searching each text for every word."""
    # (Each text lowercased alone: most are ASCII, which lowercases fastest. UTF-8 finds
    # only whole characters.)
    joined = "\n".join(map(str.lower, texts)).encode("utf-8", "surrogatepass")
    if not joined:
        return set()
    starts = [0]  # where each text starts
    for line in joined.split(b"\n"):
        starts.append(starts[-1] + len(line) + 1)
    found: set[int] = set()
    for needle in needles:
        at = joined.find(needle)
        while at >= 0:
            number = bisect_right(starts, at) - 1
            found.add(number)
            at = joined.find(needle, starts[number + 1])  # (the rest of that text adds nothing)
    return found


def is_label(text: str) -> bool:
    """Whether a whole line is a furniture label ("Related news", "Share", "Tags:")."""
    if len(text) > 60:
        return False
    stripped = text.strip(" .:>»›|·•-–—*#()[]")
    lowered = stripped.lower()
    # Other initials (punctuation, other scripts, letters re folds to ASCII ones such as
    # the long s) are rare: they take the whole patterns.
    if stripped.isascii():
        patterns = _LOWERCASE_LABELS_BY_INITIAL.get(lowered[:1])
        if patterns is not None:
            stripped = lowered  # (see `_LOWERCASE_LABELS_BY_INITIAL`)
    else:
        patterns = _LABELS_BY_INITIAL.get(stripped[:1].lower())
    if " " not in stripped:
        label_re = _LABEL_RE if patterns is None else patterns[0]
        return lowered in _ONE_WORD_LABELS or bool(label_re.match(stripped))
    if patterns is None:
        return bool(_LABEL_RE.match(stripped) or _LABEL_ROW_RE.match(stripped))
    return bool(patterns[1].match(stripped))


def is_caption_text(text: str, words: int) -> bool:
    """Photo captions and credits: "... (Photo by X / AFP)", "Credit...", "FILE PHOTO: ...",
    and image alt text printed twice in a row ("Pamela WilsonPamela Wilson")."""
    return words <= _CAPTION_TEXT_MAX_WORDS and (is_credit_line(text) or _is_other_caption(text))


_CAPTION_TEXT_MAX_WORDS = 70


def _is_other_caption(text: str) -> bool:
    """`is_caption_text` but for a whole-line credit (which `Verdict` caches)."""
    return (
        is_credit_label(text) or starts_like_caption(text) or has_credit(text) or is_doubled(text)
    )


def is_doubled(text: str) -> bool:
    """Whether a line is one phrase twice, maybe with a counter between the copies."""
    length = len(text)
    # The second copy repeats the first four characters, and is no longer than the
    # first: it starts in the second half.
    if length < 8 or text.find(text[:4], length - length // 2) < 0:
        return False
    for middle in range(length // 2 - 3, length // 2 + 1):
        head = text[: max(middle, 0)].rstrip()
        if len(head) < 4:
            continue
        rest = text[middle:].lstrip(" 0123456789|·-")
        if rest == head:
            return True
    return False


def is_glued_teaser(text: str) -> bool:
    """Whether a block starts with a Title Case headline run straight into more text,
    as link cards come out of a dump ("Mayor: Move Won’t StandWarren Mayor says...")."""
    opening = text.split(None, 4)[:4]
    if len(opening) < 4 or sum(1 for word in opening if not word[0].islower()) < 3:
        return False  # a glued headline opens with capitalised words
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
    # (The ending is known at once; the ratios are counted only when asked for.)
    if words >= 25:
        return signals.full_stop or signals.stop_ratio >= 0.12
    if words >= 12:
        return signals.full_stop or (signals.stop_ratio >= 0.25 and signals.lower_ratio >= 0.5)
    if words >= 6:
        return signals.full_stop and signals.lower_ratio >= 0.5 and signals.stop_ratio >= 0.15
    return False


def is_single_spaced(text: str) -> bool:
    """Whether the only whitespace in `text` is lone plain spaces between words. (Every
    whitespace character but the plain space is unprintable.)"""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def fold_text(text: str, spaced: bool | None = None) -> str:
    """Case- and space-insensitive key of a text: casefolded, single-spaced. `spaced`
    says whether `text` is single-spaced already (`is_single_spaced`), when known."""
    # (ASCII text casefolds as it lowercases, and `lower` has a fast path for it.)
    folded = text.lower() if text.isascii() else text.casefold()
    if spaced is None:
        spaced = is_single_spaced(text)
    # Splitting a long paragraph into words only to join them again is costly.
    return folded if spaced else " ".join(folded.split())


def _shape(text: str, spaces: int = -1) -> str:
    """A line's template: short lines only, digits and capitalised words abstracted.
    `spaces`: how many plain spaces `text` holds, when known."""
    if len(text) > 80 or (spaces if spaces >= 0 else text.count(" ")) > 8:
        return ""
    # Capitalised words become "A", digit runs "0"; lowercase words stay themselves.
    if text.isascii():
        if text.replace(" ", "").isalpha():  # plain words (most menus): no pattern needed
            return " ".join(["A" if word[0].isupper() else word for word in text.split()])
        digits = _DIGIT_RE.sub("0", text)
        return " ".join(_WORD_SHAPE_RE.findall(_CAPITALISED_RE.sub("A", digits)))
    words = _WORD_SHAPE_RE.findall(_DIGIT_RE.sub("0", text))
    return " ".join(["A" if word[:1].isupper() else word.lower() for word in words])
