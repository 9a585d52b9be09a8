from __future__ import annotations

import sys

import pytest

from digest import text
from digest.markdown import render_markdown


def test_renders_headings_quotes_and_lists() -> None:
    html = render_markdown("Para *em*.\n\n## Sub\n\n> quote\n\n- a\n- b\n")
    assert html == ("<p>Para <em>em</em>.</p>\n<h2>Sub</h2>\n<blockquote>\n<p>quote</p>\n</blockquote>\n"
                    "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("a <img src=x onerror=alert(1)> b", "<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n"),
        ("[click](javascript:alert(1))", "<p>click</p>\n"),
        ("[click](JaVaScRiPt:alert(1))", "<p>click</p>\n"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>\n"),
        ("![pic](https://img.example.org/a.jpg)",
         '<p><a class="image-link" href="https://img.example.org/a.jpg" rel="nofollow noopener">[Image: pic]</a></p>\n'),
        ("{{ config }} {% if x %}", "<p>{{ config }} {% if x %}</p>\n"),
    ],
)
def test_hostile_markdown_is_neutralised(source: str, expected: str) -> None:
    assert render_markdown(source) == expected


def test_safe_links_keep_their_address() -> None:
    assert render_markdown("[a](https://example.org/x?y=1&z=2)") == (
        '<p><a href="https://example.org/x?y=1&amp;z=2" rel="nofollow noopener">a</a></p>\n'
    )


@pytest.mark.parametrize(("source", "expected"), [
    # found by Hypothesis: a fence's info string used to land in the class attribute as it was
    ("~~~~![pic](javascript:alert(1))", "<pre><code></code></pre>\n"),
    ("~~~~![pic](data:text/html,alert(1))", "<pre><code></code></pre>\n"),
    ('```x" onmouseover="alert(1)\ncode\n```', "<pre><code>code\n</code></pre>\n"),
    ("```python extra words\nx = 1 < 2\n```", '<pre><code class="language-python">x = 1 &lt; 2\n</code></pre>\n'),
])
def test_code_fences_only_name_plain_languages(source: str, expected: str) -> None:
    assert render_markdown(source) == expected


def test_no_neutralised_character_is_printable() -> None:
    """`neutralise_text` returns printable text unchecked: safe only while this holds."""
    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    removed = text._CONTROL.findall(every_character) + text._DISGUISE.findall(every_character)
    assert removed and not [char for char in removed if char.isprintable()]


@pytest.mark.parametrize("body", ["a\u202eb\n", "tab\tand\x00nul", "\u00a0non-breaking\u200bzero-width\n\n", "plain\n"])
def test_neutralise_text_removes_what_the_patterns_find(body: str) -> None:
    assert text.neutralise_text(body) == text._DISGUISE.sub("", text._CONTROL.sub("", body))
