from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from digest.render import PageRenderer, TemplateBundle, bytecode_folder, escape_text


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


def test_compiled_templates_are_kept_and_an_edited_template_compiles_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = bytecode_folder(tmp_path)
    sources = {"t.html": ("{{ a }}!", "/site/t.html")}
    assert PageRenderer(TemplateBundle(sources, bytecode_dir=folder)).render("t.html", a="<x>") == b"&lt;x&gt;!"
    assert len(list(folder.iterdir())) == 1
    compiled: list[str] = []
    real_compile = jinja2.Environment.compile

    def counting_compile(self: jinja2.Environment, source: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return real_compile(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    again = PageRenderer(TemplateBundle(sources, bytecode_dir=folder))
    assert again.template("t.html").root_render_func.__globals__["escape"] is escape_text
    assert again.render("t.html", a="<x>") == b"&lt;x&gt;!" and compiled == []  # read, not compiled
    edited = {"t.html": ("{{ a }}?", "/site/t.html")}  # same name and file, new source
    assert PageRenderer(TemplateBundle(edited, bytecode_dir=folder)).render("t.html", a="<x>") == b"&lt;x&gt;?"
    assert compiled == ["{{ a }}?"]


def test_a_damaged_or_unwritable_bytecode_cache_only_means_compiling(tmp_path: Path) -> None:
    folder = bytecode_folder(tmp_path)
    sources = {"t.html": ("{{ a }}!", "/site/t.html")}
    PageRenderer(TemplateBundle(sources, bytecode_dir=folder)).render("t.html", a="x")
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes()[:40])  # cut short
    assert PageRenderer(TemplateBundle(sources, bytecode_dir=folder)).render("t.html", a="x") == b"x!"
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    assert PageRenderer(TemplateBundle(sources, bytecode_dir=blocked / "sub")).render("t.html", a="x") == b"x!"
