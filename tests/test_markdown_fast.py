"""The fast path must be invisible: wherever it answers, it answers exactly what mistune says."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.markdown import render_fast, render_with_mistune

WORDS = st.sampled_from([
    "news", "said", "on", "Sunday", "the", "minister", "2026", "3.5", "U.S.", "e-mail", "don't",
    '"quoted"', "'single'", "(aside)", "50%", "a,", "b.", "c;", "d:", "e?", "f!", "!", "#tag",
    "*", "**", "*em*", "**strong**", "_u_", "[", "]", "[x]", "![", "(", ")", "<b>", "&amp;",
    "&", "`code`", "\\", "~", "~~s~~", "|", ">", "x>y", "1.", "2)", "-", "+", "=", "www.a.org",
    "https://a.example/x", "é", "—", "😀", "  ", "\t",
])
LINK = st.builds(lambda text, url, bang: f"{bang}[{text}]({url})",
                 st.sampled_from(["a link", "the report", "x", "*em*", "a]b", ""]),
                 st.sampled_from(["https://a.example/p?q=1&r=2", "/local/", "javascript:alert(1)",
                                  "data:x", "https://a.example/(x)", "mailto:x@y.z", "rel/path", "#frag"]),
                 st.sampled_from(["", "!"]))
INLINE = st.lists(st.one_of(WORDS, LINK), min_size=1, max_size=12).map(" ".join)
LINE = st.one_of(
    INLINE,
    INLINE.map(lambda s: "## " + s),
    INLINE.map(lambda s: "# " + s + " #"),
    INLINE.map(lambda s: "> " + s),
    INLINE.map(lambda s: ">" + s),
    INLINE.map(lambda s: "- " + s),
    INLINE.map(lambda s: "1. " + s),
    INLINE.map(lambda s: "    " + s),
    INLINE.map(lambda s: "*" + s + "*"),
    st.sampled_from(["", "---", "===", "***", "[ref]: https://a.example/", "```", "<div>", "> ", ">"]),
)
DOCUMENT = st.lists(LINE, min_size=1, max_size=10).map(
    lambda lines: "".join(line + ("\n\n" if i % 3 == 0 else "\n") for i, line in enumerate(lines))
)


# Documents built only from what the fast path accepts, so most of them exercise it.
PLAIN_WORDS = st.sampled_from([
    "news", "said", "Sunday", "2026", "U.S.", "don't", '"quoted"', "(aside)", "50%", "a,", "b.",
    "e?", "f!", "!", "#tag", "#", "*", "**", "*em*", "* x", "a*b*c", "*a *b*", "[", "]", "[x]",
    "![", "(", ")", "x>y", ">", "1.", "é", "😀", "x*", "*x", "!x", "a!", "[a](b)", "](",
])
PLAIN_INLINE = st.lists(st.one_of(PLAIN_WORDS, LINK), min_size=1, max_size=10).map(" ".join)
PLAIN_LINE = st.one_of(
    PLAIN_INLINE,
    PLAIN_INLINE.map(lambda s: "## " + s),
    PLAIN_INLINE.map(lambda s: "###### " + s + " #"),
    PLAIN_INLINE.map(lambda s: "> " + s),
    PLAIN_INLINE.map(lambda s: "*" + s + "*"),
    PLAIN_INLINE.map(lambda s: "#" + s),
)
PLAIN_DOCUMENT = st.lists(st.tuples(PLAIN_LINE, st.sampled_from(["\n", "\n\n", "\n\n\n"])),
                          min_size=1, max_size=8).map(lambda parts: "".join(a + b for a, b in parts))
# Mostly-accepted documents: the fast path's own output is what gets compared.
SAFE_INLINE = st.lists(st.one_of(
    st.sampled_from(["news", "said", "Sunday", "2026", "U.S.", "don't", '"quoted"', "(aside)", "a,",
                     "b.", "e?", "x>y", "é", "😀", "*em*", "*two words*", "f!", "#3"]),
    st.builds(lambda t, u, b: f"{b}[{t}]({u})", st.sampled_from(["a link", "report"]),
              st.sampled_from(["https://a.example/p?q=1", "/local/", "javascript:alert", "rel/p", "data:x"]),
              st.sampled_from(["", "!"])),
), min_size=1, max_size=10).map(" ".join)
SAFE_DOCUMENT = st.lists(st.tuples(
    st.one_of(SAFE_INLINE, SAFE_INLINE.map(lambda s: "## " + s), SAFE_INLINE.map(lambda s: "> " + s)),
    st.sampled_from(["\n\n", "\n\n", "\n"])), min_size=1, max_size=8).map(lambda parts: "".join(a + b for a, b in parts))
EXAMPLES = int(os.environ.get("DIGEST_HYPOTHESIS_EXAMPLES", "600"))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(DOCUMENT, PLAIN_DOCUMENT, SAFE_DOCUMENT))
def test_fast_path_equals_mistune(document: str) -> None:
    fast = render_fast(document)
    if fast is not None:
        assert fast == render_with_mistune(document)


def test_fast_path_takes_plain_news() -> None:
    body = ('The port closed on Sunday, officials said.\nShips waited "for days".\n\n## What next\n\n'
            '> "Never like this," a pilot said.\n\nRead the [forecast](https://w.example/).\n\n'
            '*Photo: A. Person*\n\n![Storm](https://img.example/a.jpg)\n')
    assert render_fast(body) == render_with_mistune(body)
    assert render_fast("<script>x</script>") is None
