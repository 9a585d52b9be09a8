"""The cleaner's quick tests give the same answers as the plain ones they stand in for."""

from __future__ import annotations

import random
import re
from pathlib import Path

from digest.cleaning.body import _MARKDOWN_START_RE, escape_markdown_start
from digest.cleaning.boilerplate import (
    _CASE_BLIND_FURNITURE,
    _GLUE_RE,
    _LABEL_RE,
    _LABEL_ROW_RE,
    _LABELS_BY_INITIAL,
    _LOWERCASE_FURNITURE,
    _ONE_WORD_LABELS,
    Verdict,
    _shape,
    is_doubled,
    is_label,
    is_single_spaced,
)
from digest.cleaning.boilerplate import (
    _DIGIT_RE as _SHAPE_DIGIT_RE,
)
from digest.cleaning.boundaries import _echoed_headers
from digest.cleaning.bylines import is_name_line
from digest.cleaning.captions import (
    _CASE_BLIND_CREDIT_LINES,
    _NAMED_CREDIT_INITIALS,
    _glued_credit_hint,
    is_credit_line,
)
from digest.cleaning.decode import _CONTROL_RE, _has_controls, normalize_text
from digest.cleaning.extract import read_page
from digest.cleaning.lines import (
    _FURNITURE_RE,
    _ODD_SPACE_CHARS,
    _RULE_RE,
    _SPACES_RE,
    Layout,
    Line,
    detect_layout,
    parse_line,
)
from digest.cleaning.metadata import (
    _CRUMB_RE,
    _PROMO_HINTS,
    _PROMO_RE,
    _URL_HINTS,
    _URL_RE,
    _VETO_HINTS,
    _is_vetoed,
    is_comma_list,
)
from digest.cleaning.patterns import _ODD_FOLDS, hint_text
from digest.cleaning.reflow import _WIDE_START_RE, Block, _continues, build_blocks
from digest.cleaning.signals import _WORD_RE, _is_western, has_lone_mark, measure, words_of

_DIGIT_RE = re.compile(r"\d+")
_CAPITALISED_RE = re.compile(r"[A-Z](?<!\w[A-Z])[A-Za-z]*")
_WORD_SHAPE_RE = re.compile(r"[^\W_]+")


def _random_texts(alphabet: str, count: int, longest: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(longest)))
        for _ in range(count)
    ]


def test_western_text_is_text_the_western_code_page_encodes() -> None:
    for code in range(0x3000):
        char = chr(code)
        try:
            char.encode("cp1252")
            encodes = True
        except UnicodeEncodeError:
            encodes = False
        assert _is_western(char) == encodes, hex(code)


def test_control_characters_are_found_by_bytes_as_by_the_pattern() -> None:
    alphabet = "a\n\t\x00\x07\x0b\x1f\x7f\x80\x9f\xa0\xc2é€\ud800😀"
    for text in _random_texts(alphabet, 5000, 8, seed=1):
        assert _has_controls(text) == bool(_CONTROL_RE.search(text)), repr(text)


def test_plain_word_lines_get_the_template_the_patterns_give() -> None:
    for text in _random_texts("aZbY  ", 3000, 30, seed=2):
        if len(text) > 80 or text.count(" ") > 8:
            continue
        digits = _DIGIT_RE.sub("0", text)
        expected = " ".join(_WORD_SHAPE_RE.findall(_CAPITALISED_RE.sub("A", digits)))
        assert _shape(text) == expected, repr(text)


def test_glue_points_are_where_the_look_behinds_put_them() -> None:
    plain = re.compile(r"(?:(?<=[a-z]{4})|(?<=[)”’'?!]))(?=[A-Z])")
    for text in _random_texts("abAB)’?. é", 3000, 60, seed=4):
        found = [match.start() for match in _GLUE_RE.finditer(text, 0, 40)]
        assert found == [match.start() for match in plain.finditer(text, 0, 40)], repr(text)


def test_headline_vetoes_are_what_the_patterns_say() -> None:
    lines = [
        "Visit www.Example.COM today", "See HTTP://x", "Read it at news.org", "page.HTML",
        "Follow Us on X", "SUBSCRIBE now", "Click Here to win", "Get The App", "Trust me",
        "News » Science » Space", "a > b", "Plain headline here", "Followers gather",
        "ſubscribe now", "Kelvin K.com", "Tags: a, b, c", "Emails this", "",
        "It’s time to SUBSCRIBE", "İnstall it", "“Quoted” headline — here",
    ]
    for text in lines:
        expected = bool(
            _URL_RE.search(text)
            or _PROMO_RE.search(text)
            or is_comma_list(text)
            or _CRUMB_RE.search(text)
        )
        assert _is_vetoed(text) == expected, repr(text)


def test_words_found_piece_by_piece_are_the_words_of_the_whole() -> None:
    for text in _random_texts("ab1é_'’ .,\u00a0\u2028-", 3000, 40, seed=5):
        assert words_of(text) == _WORD_RE.findall(text), repr(text)


def test_lowercasing_finds_every_letter_re_folds_to_an_ascii_one_but_the_odd_ones() -> None:
    codes = [code for code in range(0x80, 0x30000) if not 0xD800 <= code < 0xE000]
    beyond_ascii = "".join(map(chr, codes))
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for char in re.findall(letter, beyond_ascii, re.IGNORECASE):
            assert char in _ODD_FOLDS or char.lower() == letter, hex(ord(char))
    assert hint_text("Straße İnfo") is None and hint_text("Straße") == "straße"


def test_doubled_lines_are_found_as_by_trying_every_split() -> None:
    def plain(text: str) -> bool:
        length = len(text)
        for middle in range(length // 2 - 3, length // 2 + 1):
            head = text[: max(middle, 0)].rstrip()
            if len(head) >= 4 and text[middle:].lstrip(" 0123456789|·-") == head:
                return True
        return False

    texts = _random_texts("ab 1|", 3000, 30, seed=6)
    gaps = (" ", "", " 2 | ", "12") * 750
    texts += [f"{text}{gap}{text}" for text, gap in zip(texts, gaps, strict=True)]
    for text in texts:
        assert is_doubled(text) == plain(text), repr(text)


def test_glued_credit_hint_finds_a_sentence_run_into_a_capital() -> None:
    def plain(tail: str) -> bool:
        return any(
            tail[end] in ".!?" and tail[end - 1].islower() and tail[end + 1].isupper()
            for end in range(max(1, len(tail) - 62), len(tail) - 1)
        )

    for text in _random_texts("aBé É.!? \u00a0\u2028", 5000, 90, seed=3):
        assert _glued_credit_hint(text) == plain(text), repr(text)


def test_desk_lines_are_told_alike_in_ascii_and_other_text() -> None:
    assert is_name_line("Herald staff")
    assert is_name_line("Detroit News wire services")
    assert is_name_line("Herald ſtaff")  # the pattern ignores case as `re` does
    assert not is_name_line("Herald stuff")


def test_signals_count_ratios_only_when_asked() -> None:
    signals = measure("The mayor said on Monday that the bridge would open in the spring.")
    assert signals.full_stop and signals.words == 13
    assert signals.stop_ratio > 0.3 and signals.lower_ratio > 0.8
    assert signals.script == "latin"


def test_single_spaced_text_has_its_words_counted_by_its_spaces() -> None:
    for text in filter(None, _random_texts("ab A.é  - |\u2028", 3000, 60, seed=7)):
        plain, told = measure(text), measure(text, is_single_spaced(text))
        assert (plain.words, plain.full_stop, plain.sentence_end) == (
            told.words,
            told.full_stop,
            told.sentence_end,
        ), repr(text)
        assert (plain.stop_ratio, plain.lower_ratio) == (told.stop_ratio, told.lower_ratio)


def test_lone_marks_are_found_as_by_looking_for_each_between_spaces() -> None:
    marks = "-—–|/•·»>"
    for text in _random_texts("a -—–|/•·»>’", 3000, 20, seed=8):
        expected = any(f" {mark} " in text for mark in marks)
        assert has_lone_mark(text) == expected, repr(text)


def test_plain_lines_are_the_named_tuples_line_would_make() -> None:
    # parse_line builds its common case with tuple.__new__ in field order: the fields and
    # their defaults must stay as it assumes.
    assert Line._fields == ("text", "indent", "width", "bullet", "marker")
    assert Line._field_defaults == {"bullet": "", "marker": ""}
    for raw in ("Plain words here", "   Indented line  ", "“Quoted” text", "Ünïcode line"):
        line = parse_line(raw)
        stripped = raw.strip()
        expected = Line(stripped, len(raw) - len(raw.lstrip()), len(raw.rstrip()))
        assert type(line) is Line and line == expected, repr(raw)
        assert line._asdict() == expected._asdict()


def test_ascii_labels_lowercased_match_as_the_patterns_ignoring_case() -> None:
    def plain(text: str) -> bool:  # every text through the case-blind patterns
        if len(text) > 60:
            return False
        stripped = text.strip(" .:>»›|·•-–—*#()[]")
        patterns = _LABELS_BY_INITIAL.get(stripped[:1].lower())
        if " " not in stripped:
            label_re = _LABEL_RE if patterns is None else patterns[0]
            return stripped.lower() in _ONE_WORD_LABELS or bool(label_re.match(stripped))
        if patterns is None:
            return bool(_LABEL_RE.match(stripped) or _LABEL_ROW_RE.match(stripped))
        return bool(patterns[1].match(stripped))

    texts = [
        "Related", "RELATED NEWS", "Share this article on Facebook", "Share | Tweet | Email",
        "Most Read", "More from Our Newsroom", "You May Also Like", "12 Comments", "Tags:",
        "Advertisement", "Skip to Main Content", "Log In", "LOGOUT", "E-Mail", "Sign Up",
        "Continue reading the main story", "Editor's Picks", "Follow us on X »", "See all",
        "Read more: a story", "Relacionados", "Lesen Sie auch", "Читайте также", "関連記事",
        "Kelvin", "ſhare", "İnfo", "Share\u212a", "Top Stories -", "(12 replies)", "- Home -",
    ]
    texts += _random_texts("shareTWEtomdcRL 1|·-:,'", 2000, 30, seed=9)
    # Runs of label words in random case between random separators.
    words = (
        "related news share this more from read most comments 12 tags top stories sign up "
        "log in e-mail you may also like follow us on x next article ad home the story"
    ).split()
    rng = random.Random(10)
    for _ in range(6000):
        picked = [rng.choice(words) for _ in range(rng.randrange(1, 5))]
        cased = [rng.choice((str.lower, str.upper, str.title))(word) for word in picked]
        texts.append(rng.choice((" ", " | ", "/", " · ", ": ", "-", "")).join(cased))
    for text in texts:
        assert is_label(text) == plain(text), repr(text)


def test_wrapped_lines_continue_as_the_plain_rule_says() -> None:
    def plain(block: Block, line: Line, layout: Layout, cont_indent: int, last: int) -> bool:
        if not layout.wrapped or (line.bullet and line.bullet not in "-–"):
            return False
        wide = bool(line.text[:1]) and bool(_WIDE_START_RE.match(line.text))
        needed = 2 if wide else 1 + len(line.text.split(" ", 1)[0])
        full = last + needed > layout.width - 1
        if line.indent == cont_indent or (block.bullet and line.indent == block.indent + 2):
            return full
        return full and block.n_lines == 1 and block.indent < layout.base_indent

    rng = random.Random(11)
    texts = _random_texts("ab 中-", 400, 20, seed=12) + ["", " ", "word", "中文 字"]
    for _ in range(20000):
        block = Block("x", 0, 0, rng.randrange(4), rng.choice(("", "-", "•")))
        block.n_lines = rng.randrange(1, 3)
        line = Line(rng.choice(texts), rng.randrange(4), 0, rng.choice(("", "-", "–", "1.")))
        layout = Layout(rng.choice((0, 20, 40)), rng.randrange(3))
        cont, last = rng.randrange(4), rng.randrange(45)
        expected = plain(block, line, layout, cont, last)
        assert _continues(block, line, layout, cont, last) == expected, (line, layout, last)


def test_lowercase_furniture_patterns_match_ascii_as_the_case_blind_ones() -> None:
    texts = [
        "We use COOKIES to improve your experience", "Privacy Policy | Terms of Use",
        "Copyright 2024 Herald. All Rights Reserved.", "(C) 2019 Example Media", "© Herald",
        "Sign Up for our Newsletter", "Follow Us on X", "Opens in a new window", "12 Comments",
        "Leave a Reply", "Comments are closed.", "Join the Conversation", "Subscribe to the Post",
        "Click Here", "Get The App", "ADVERTISEMENT", "Enable JavaScript", "Already a subscriber?",
        "3 responses to Storm", "Reader comments (4)", "Share on Facebook", "Download our app",
    ]
    texts += _random_texts("cokiepryvtmsuNCOKIE (),.1", 3000, 40, seed=13)
    for text in texts:
        lowered = text.lower()
        for blind, cased in zip(_CASE_BLIND_FURNITURE, _LOWERCASE_FURNITURE, strict=True):
            assert bool(blind.search(text)) == bool(cased.search(lowered)), (blind, text)
            assert bool(blind.match(text)) == bool(cased.match(lowered)), (blind, text)
        for hinted in (False, True):
            fast, plain = Verdict(text), Verdict(text)
            fast.judge_furniture(hinted)
            plain.judge_furniture(hinted, case_blind=True)
            assert (fast.furniture, fast.comments) == (plain.furniture, plain.comments), repr(text)


def test_ascii_credit_lines_lowercased_match_as_the_case_blind_patterns() -> None:
    texts = [
        "Photo: Reuters", "PHOTOS BY Jane Doe", "Credit...Anna Moneymaker", "Image … AP",
        "Al Goldis, Associated Press", "JANE DOE, AP PHOTO", "John Smith, The New York Times",
        "(c) Getty", "Copyright Herald", "GETTY IMAGES", "Reuters", "AFP", "ap", "Source: X",
        "Associated Press", "Getty Image", "Фото: ТАСС", "© AFP", "Picture by K", "Ap",
    ]
    texts += _random_texts("photgeyimasrcdAPOTGRE: ,.©/", 4000, 30, seed=14)
    for text in texts:
        assert is_credit_line(text) == is_credit_line(text, case_blind=True), repr(text)
    assert sum(map(is_credit_line, texts)) >= 20


def test_words_with_a_mark_after_them_are_the_words_the_pattern_finds() -> None:
    alphabet = "ab1_'’,.“”-é٣²中 \u0301"
    for text in _random_texts(alphabet, 20000, 12, seed=21):
        pattern = _WORD_RE if "_" in text else re.compile(r"\w+(?:['’]\w+)*")
        expected = [word for piece in text.split() for word in pattern.findall(piece)]
        assert words_of(text) == expected, repr(text)


def test_markdown_openings_are_escaped_as_the_pattern_alone_finds_them() -> None:
    for text in _random_texts("1٣²#>*+=|~`-. )ax", 20000, 6, seed=22):
        match = _MARKDOWN_START_RE.match(text)
        if match is None:
            expected = text
        elif match.group(1):
            expected = f"{match.group(1)}\\{match.group(2)}{text[match.end() :]}"
        else:
            expected = "\\" + text
        assert escape_markdown_start(text) == expected, repr(text)


def test_rule_lines_and_named_credits_are_found_as_by_the_patterns_alone() -> None:
    for raw in _random_texts("━─—–_=*~#.·•- a\t", 20000, 9, seed=23):
        stripped = raw.strip()
        if stripped and _RULE_RE.match(stripped):
            assert parse_line(raw).marker == "rule", repr(raw)
    named = _CASE_BLIND_CREDIT_LINES[0]
    for text in ["Photo: AP", "(Copyright Herald)", "(© Reuters)", "Getty Images", "AFP", "ap", "Reuters"]:
        assert named.match(text) and text.lower()[:1] in _NAMED_CREDIT_INITIALS, text
        assert is_credit_line(text), text


def test_the_title_veto_hints_hold_every_url_and_promotion_hint() -> None:
    for text in ["see www.x.org", "Follow us", "ADVERTISEMENT", "get the app", "plain words"]:
        lowered = text.lower()
        either = bool(_URL_HINTS.search(lowered) or _PROMO_HINTS.search(lowered))
        assert bool(_VETO_HINTS.search(lowered)) == either, text


def test_patterns_that_open_with_a_plain_class_match_as_the_ones_they_stand_in_for() -> None:
    # The line furniture, space-run and digit-run patterns are written to open with a
    # plain character or class (so that re skips along); they match what the plain
    # forms match, in the same places.
    odd = _ODD_SPACE_CHARS
    plain_spaces = re.compile(f"[ {odd}]{{2,}}|[{odd}]")
    plain_furniture = re.compile(_FURNITURE_RE.pattern.replace("__{5,}", "_{6,}"))
    assert plain_furniture.pattern != _FURNITURE_RE.pattern
    for text in _random_texts(" \u00a0\u2009\u3000a_[]()*xX", 20000, 16, seed=31):
        assert _SPACES_RE.sub("|", text) == plain_spaces.sub("|", text), repr(text)
        assert _FURNITURE_RE.sub("|", text) == plain_furniture.sub("|", text), repr(text)
    for text in ["[   ]", "[Search     ]", "________", "_____", "(BUTTON) Go", "[INS: :INS]",
                 "[*] Yes", "( ) No", "(RADIO)", "(CHECKBOX)", "[X] item"]:
        assert _FURNITURE_RE.sub("|", text) == plain_furniture.sub("|", text), repr(text)
    for text in _random_texts("a1٣²0 x", 5000, 12, seed=32):
        assert _SHAPE_DIGIT_RE.sub("0", text) == _DIGIT_RE.sub("0", text), repr(text)


def test_lines_re_flowed_into_a_block_are_joined_as_one_at_a_time_would_be() -> None:
    lines = [
        Line("A paragraph hard-wrapped by the renderer at a width of sixty-", 0, 60),
        Line("odd columns goes on here and ends on this line, or rather on", 0, 60),
        Line("the next one.", 0, 13),
        Line("", 0, 0),
        Line("漢字の段落は空白なしで折り返されます。漢字の段落は空白なし", 0, 60),
        Line("で続きます。", 0, 12),
    ]
    blocks = build_blocks(lines, Layout(width=60, base_indent=0))
    assert [block.text for block in blocks] == [
        f"{lines[0].text} {lines[1].text} {lines[2].text}",
        f"{lines[4].text}{lines[5].text}",
    ]
    assert [block.n_lines for block in blocks] == [3, 2]


def test_echoed_headlines_are_the_ones_a_search_of_every_block_finds() -> None:
    # `_echoed_headers` skips texts the capture holds once: none of them can come again.
    fixtures = Path(__file__).resolve().parent / "fixtures"
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    for path in [*sorted(fixtures.glob("*.txt")), *sorted(seeds.glob("*.txt"))]:
        judged = read_page(normalize_text(path.read_text(encoding="utf-8"))).judged
        folded = [item.key for item in judged]
        expected = {
            index
            for index, key in enumerate(folded)
            if len(key) >= 12
            and not (judged[index].prose and judged[index].signals.full_stop)
            and key in folded[index + 2 : index + 1 + 8]
        }
        assert _echoed_headers(judged) == expected, path.name


def test_the_wrap_width_is_found_as_by_counting_line_lengths_one_by_one() -> None:
    def plain(lines: list[Line]) -> Layout:  # the long lines counted one by one
        lengths = sorted((ln.width for ln in lines if ln.text and " " in ln.text), reverse=True)
        indents = [ln.indent for ln in lines if len(ln.text) >= 40 and not ln.bullet]
        base = max(sorted(set(indents)), key=indents.count) if indents else 0
        if len(lengths) < 8 or not 60 <= lengths[2] <= 100:
            return Layout(0, base)
        width = lengths[2]
        near_full = sum(1 for n in lengths if n >= width - 12)
        long_lines = sum(1 for n in lengths if n >= width // 2)
        return Layout(0 if near_full < 3 or near_full < 0.3 * long_lines else width, base)

    rng = random.Random(33)
    for _ in range(2000):
        texts = ["", "word", "two words", "x " * 25]
        lines = [
            Line(rng.choice(texts), rng.randrange(4), rng.randrange(110))
            for _ in range(rng.randrange(30))
        ]
        assert detect_layout(lines) == plain(lines), lines
