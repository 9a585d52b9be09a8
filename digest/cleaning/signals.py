"""Measure a block of text: how many words, how sentence-like, how title-like.

These are the language-light signals the boilerplate and metadata rules judge by:
running prose has many function words and ends in punctuation; menus, headlines and
labels are short, capitalised and unpunctuated.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# The same words in text without an underscore: a plain word class is quicker to match.
_WORD_NO_UNDERSCORE_RE = re.compile(r"\w+(?:['’]\w+)*")
_SAMPLE_WORDS = 60
_SHORT_CHARS = 30
_SAMPLE_CHARS = 400
_ASCII_LOWER = b"abcdefghijklmnopqrstuvwxyz"
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LONE_MARK_RE = re.compile(r"(?<!\S)[—–\-|/•·»>]+(?!\S)")
# A mark standing between two spaces (what `has_lone_mark` looks for).
_SPACED_MARK_RE = re.compile(r" [-—–|/•·»>] ")

_WIDE_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SENTENCE_END_RE = re.compile(r"[.!?。！？…:;]['\"’”»)\]]*$")
_CLOSING_END_RE = re.compile(r"[.!?。！？…]['\"’”»)\]]*$")
_SENTENCE_ENDS = ".!?。！？…:;"
_CLOSING_ENDS = ".!?。！？…"
_CLOSERS = "'\"’”»)]"

# Function words of the languages curators bring most often. They only need to be the
# commonest few: running text is full of them, menus and headlines are not.
_STOP_BY_LANGUAGE: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "a an the and or but if of to in on at by for with from as into than that this "
        "these those it its is are was were be been being has have had do does did not no so "
        "we you he she they i his her their our my your who whom which what when where why how "
        "there here also about after before over under more most some any all can could will "
        "would should may might must said says one two up out then them him us me just very",
        "es": "el la los las un una unos unas y o de del al en con por para que es son fue se su "
        "sus lo le les como más pero sin sobre entre ya muy también cuando donde esta este esto",
        "pt": "o a os as um uma e do da dos das no na nos nas em com por para que é são foi se seu "
        "sua não mais mas como ao aos pelo pela também já quando onde isso este esta",
        "fr": "le la les un une des et ou de du au aux en dans sur avec pour par que qui est sont "
        "été ce cette ces il elle ils elles nous vous ne pas plus mais comme se sa son ses",
        "it": "il lo la i gli le un uno una e o di del della dei delle da in con su per che è sono "
        "non più ma come anche si suo sua questo questa nel nella alla al",
        "de": "der die das ein eine einen einem und oder von zu im in mit auf für ist sind war "
        "nicht auch sich es er sie wir ich den dem des bei aus als wie nach noch nur",
        "nl": "de het een en of van in op met voor is zijn was niet ook dat die er ze we",
        "ru": "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по "
        "только ее мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни "
        "быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где "
        "есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж "
        "тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы "
        "нее были куда зачем всех никогда можно при наконец два об другой хоть после над больше "
        "тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой "
        "перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это",
    }.items()
}
_STOP_WORDS = frozenset().union(*_STOP_BY_LANGUAGE.values())
_STOP_WORDS_CASED = (
    _STOP_WORDS
    | {word.capitalize() for word in _STOP_WORDS}
    | {word.upper() for word in _STOP_WORDS}
)
_STOP_LANGUAGES: dict[str, tuple[str, ...]] = {
    word: tuple(code for code, words in _STOP_BY_LANGUAGE.items() if word in words)
    for word in _STOP_WORDS
}
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Any character the Windows Western code page cannot encode (searching for one is
# quicker than encoding the text and catching the error).
_WESTERN_CHARS = bytes(range(256)).decode("cp1252", errors="ignore")  # its 251 characters
_NOT_WESTERN_RE = re.compile(f"[^{re.escape(_WESTERN_CHARS)}]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u052f]")
_CJK_RE = re.compile(r"[\u3040-\u9fff\uac00-\ud7af]")
_OTHER_SCRIPT_RE = re.compile(r"[\u0370-\u03ff\u0590-\u06ff\u0900-\u0e7f]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_SCRIPT_LANGUAGES = (
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)


class Signals:
    """Measurements of one block of text (see `measure`).

    The word count and how the text ends are taken at once: whether a block is prose
    mostly turns on them. The ratios and the script, which fewer rules ask for, are
    worked out on first use."""

    __slots__ = (
        "_latin",
        "_ratios",
        "_sample",
        "_script",
        "full_stop",
        "sentence_end",
        "text",
        "wide",
        "words",
    )

    def __init__(
        self,
        text: str,
        words: int,
        wide: bool,
        latin: bool,
        sample: str,
        ends: tuple[bool, bool],
    ) -> None:
        self.text = text
        self.words = words  # word count; wide (CJK) characters count half a word each
        self.wide = wide  # mostly CJK-like script without spaces
        self._latin = latin  # Western letters only: no other script to count
        self._sample = sample  # the opening the ratios are taken over
        self._ratios: tuple[float, float] | None = None
        self._script: str | None = None
        # Ends like a sentence (. ! ? : ; and closing quotes); with . ! ? or an ellipsis.
        self.sentence_end, self.full_stop = ends

    @property
    def stop_ratio(self) -> float:
        """Share of words that are function words."""
        if self._ratios is None:
            self._ratios = self._count_words()
        return self._ratios[0]

    @property
    def lower_ratio(self) -> float:
        """Share of alphabetic words starting lowercase."""
        if self._ratios is None:
            self._ratios = self._count_words()
        return self._ratios[1]

    @property
    def script(self) -> str:
        """ "latin", "cyrillic", "cjk" or "other": the commonest letters."""
        if self._script is None:
            self._script = "latin" if self._latin else script_of(self.text)
        return self._script

    def _count_words(self) -> tuple[float, float]:
        """The stop-word and lowercase ratios over the sampled words."""
        tokens, words = self._sample.split()[:_SAMPLE_WORDS], self.words
        # The stop list holds each word lowercase, capitalised and in capitals.
        stops = sum(map(_STOP_WORDS_CASED.__contains__, tokens))
        # Word-initial letters, cased as written: lowercase ones mark running text.
        initials = "".join([token[0] for token in tokens])
        if self._latin:
            letters = initials.encode("ascii", "ignore")
            lowers = len(letters) - len(letters.translate(None, _ASCII_LOWER))
            cased = lowers + len(letters) - len(letters.translate(None, _ASCII_UPPER))
        else:
            lowers = sum(map(str.islower, initials))
            cased = lowers + sum(map(str.isupper, initials))
        stop_ratio = stops / min(words, len(tokens)) if words > 0 and tokens else 0.0
        return stop_ratio, lowers / cased if cased else 0.0


def measure(text: str, spaced: bool = False) -> Signals:
    """Compute the signals of `text`. Long paragraphs are only sampled: their ratios
    settle within the first sentences, and the cost must not grow with their length.
    `spaced`: `text` is known to be single-spaced (see `boilerplate.is_single_spaced`),
    so that counting its spaces counts its words."""
    # Latin script with typographic quotes and dashes is the common case: no need to
    # look for wide (CJK) characters or count scripts there.
    if len(text) <= _SHORT_CHARS and text.isascii() and " " not in text:
        return _measure_word(text)  # menus: one word, the common case
    latin_only = text.isascii() or _is_western(text)
    sample = text[:_SAMPLE_CHARS]
    # Blocks are single-spaced: counting spaces is the cheap way to count words.
    if spaced or len(text) > _SAMPLE_CHARS:
        words = text.count(" ") + 1 if text else 0
    else:
        words = len(sample.split())
    # A dash or bar standing alone between spaces is not a word.
    if 0 < words < 80 and has_lone_mark(text):
        words -= len(_LONE_MARK_RE.findall(text))
    wide = False
    if not latin_only:
        wide_chars = len(_WIDE_RE.findall(sample)) * max(1, len(text) // _SAMPLE_CHARS)
        wide = wide_chars > 2 * max(1, words)
        if wide:
            words = max(words, wide_chars // 2)
    # What `_SENTENCE_END_RE` and `_CLOSING_END_RE` find, without running them: the
    # last character before any closing quotes and brackets.
    last = text[-8:].rstrip().rstrip(_CLOSERS)[-1:]
    ends = (last != "" and last in _SENTENCE_ENDS, last != "" and last in _CLOSING_ENDS)
    return Signals(text, max(words, 0), wide, latin_only, sample, ends)


def _measure_word(word: str) -> Signals:
    """`measure` for a single ASCII word, without the general machinery."""
    has_word = any(ch.isalnum() for ch in word)
    stripped = word.rstrip()
    ends = (bool(_SENTENCE_END_RE.search(stripped)), bool(_CLOSING_END_RE.search(stripped)))
    signals = Signals(word, 1 if has_word else 0, False, True, word, ends)
    signals._ratios = (
        1.0 if word.lower() in _STOP_WORDS else 0.0,
        1.0 if word[0].islower() else 0.0,
    )
    return signals


def has_lone_mark(text: str) -> bool:
    """Whether a dash or bar stands alone between spaces somewhere in `text`."""
    # One search in C: re skips along to each space, then tries the mark and the space
    # after it (a Python loop over the marks cost more than the searches it made).
    return _SPACED_MARK_RE.search(text) is not None


def has_wide(text: str) -> bool:
    """Whether `text` holds a character `measure` counts as half a word (CJK)."""
    return _WIDE_RE.search(text) is not None


def _is_western(text: str) -> bool:
    """Whether `text` fits the Windows Western code page (Latin letters, curly quotes,
    dashes): a fast way to rule out other scripts."""
    return _NOT_WESTERN_RE.search(text) is None


def script_of(text: str) -> str:
    """The script most letters of `text` are written in."""
    sample = text[:120]
    if sample.isascii():
        return "latin"
    counts = (
        (len(_LATIN_RE.findall(sample)), "latin"),
        (len(_CYRILLIC_RE.findall(sample)), "cyrillic"),
        (len(_CJK_RE.findall(sample)), "cjk"),
        (len(_OTHER_SCRIPT_RE.findall(sample)), "other"),
    )
    return max(counts)[1] if any(count for count, _ in counts) else "latin"


def guess_language(text: str) -> str | None:
    """A best guess at the language of `text` (ISO 639-1), None when unsure."""
    sample = text[:3000]
    if not (sample.isascii() or _is_western(sample)):
        return _guess_by_script(sample) or _guess_by_stop_words(sample)
    return _guess_by_stop_words(sample)


def _guess_by_script(sample: str) -> str | None:
    if _KANA_RE.search(sample):
        return "ja"
    if _HANGUL_RE.search(sample):
        return "ko"
    if len(_HAN_RE.findall(sample)) > 20:
        return "zh"
    for code, pattern in _SCRIPT_LANGUAGES:
        if len(pattern.findall(sample)) > 20:
            return code
    return None


def words_of(text: str) -> list[str]:
    """The words `_WORD_RE` finds in `text`. Most pieces of prose between spaces are one
    plain word (letters and digits only, which `isalnum` tells at once): the pattern
    runs only on the others. (Its words never hold a space, so none spans two pieces.)"""
    words = _WORD_RE if "_" in text else _WORD_NO_UNDERSCORE_RE  # (the same without "_")
    found: list[str] = []
    for piece in text.split():
        if piece.isalnum():
            found.append(piece)
        elif piece[:-1].isalnum() and not piece[-1].isalnum() and piece[-1] != "_":
            # A word and a mark that is no word character ("said," "it."): the word.
            found.append(piece[:-1])
        else:
            found += words.findall(piece)
    return found


def _guess_by_stop_words(sample: str) -> str | None:
    tokens = words_of(sample.lower())
    if len(tokens) < 5:
        return None
    hits: dict[str, int] = {}
    # Each distinct stop word once, in order of first appearance (so ties between
    # languages still go to the one met first).
    counts = Counter(filter(_STOP_LANGUAGES.__contains__, tokens))
    for token, count in counts.items():
        for code in _STOP_LANGUAGES[token]:
            hits[code] = hits.get(code, 0) + count
    if not hits:
        return None
    best, best_hits = max(hits.items(), key=lambda kv: kv[1])
    return best if best_hits >= max(2, len(tokens) // 20) else None
