from __future__ import annotations

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from digest.render import PageRenderer, TemplateBundle, escape_text


@pytest.mark.parametrize("value", ["plain", "<b>&'\"</b>", "", Markup("<i>safe</i>"), 42, -7, True, None, 1.5])
def test_escape_text_writes_what_markupsafe_escape_writes(value: object) -> None:
    assert str(escape_text(value)) == str(markupsafe.escape(value))


def test_templates_escape_with_escape_text() -> None:
    renderer = PageRenderer(TemplateBundle({"t.html": ("{{ a }}{{ b }}", "t.html")}))
    template = renderer.template("t.html")
    assert template.root_render_func.__globals__["escape"] is escape_text
    assert renderer.render("t.html", a="<x>", b=Markup("<y>")) == b"&lt;x&gt;<y>"


def test_values_used_as_values_keep_their_markup() -> None:
    """Only written values go through escape_text: macros, blocks and filters still get Markup."""
    source = ('{% macro m(x) %}<{{ x }}>{% endmacro %}{% set b %}{{ "<" }}{% endset %}'
              '{{ m("&") }}|{{ m("&")|upper }}|{{ b }}|{{ b|length }}|{% filter upper %}{{ "<a>" }}{% endfilter %}')
    renderer = PageRenderer(TemplateBundle({"t.html": (source, "t.html")}))
    assert renderer.render("t.html") == b"<&amp;>|<&AMP;>|&lt;|4|&LT;A&GT;"


def test_templates_loaded_before_the_cached_macros_see_them() -> None:
    """card.html and chrome.html load first (their macros get cached), yet hold every global."""
    sources = {
        "partials/card.html": ("{% macro card(item) %}[{{ item }}]{% endmacro %}", "c"),
        "partials/chrome.html": ("{% macro site_header(current) %}<{{ current }}>{% endmacro %}"
                                 "{% macro site_footer() %}{{ site }}{% endmacro %}", "h"),
        "page.html": ('{% from "partials/card.html" import card as plain %}'
                      "{{ site_header('x') }}{{ plain('a') }}{{ card('b') }}{{ site_footer() }}", "p"),
    }
    renderer = PageRenderer(TemplateBundle(sources, {"site": "S"}))
    assert renderer.render("page.html") == b"<x>[a][b]S"
    for name in ("partials/card.html", "partials/chrome.html", "page.html"):
        assert renderer.template(name).globals.keys() == renderer.env.globals.keys()


def test_cached_macros_are_called_directly_and_other_callables_as_jinja_does() -> None:
    @jinja2.pass_context
    def page_name(context: jinja2.runtime.Context) -> str:
        return str(context["title"])

    sources = {
        "partials/card.html": ("{% macro card(item, show_date=false) %}[{{ item }}{{ '+' if show_date }}]"
                               "{% endmacro %}", "c"),
        "base.html": ("{% block main %}{% endblock %}", "b"),
        "page.html": ('{% extends "base.html" %}{% block main %}{% for x in items %}'
                      "{{ card(x, show_date=true) }}{% endfor %}{{ card('a') }}{{ page_name() }}{% endblock %}", "p"),
    }
    renderer = PageRenderer(TemplateBundle(sources, {"page_name": page_name}))
    assert renderer.render("page.html", items=["a", "<b>", "a"], title="N") == b"[a+][&lt;b&gt;+][a+][a]N"
    assert renderer.env.globals["card"].render.cache_info().hits == 1
