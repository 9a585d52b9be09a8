from __future__ import annotations

import markupsafe
import pytest
from markupsafe import Markup

from digest.render import PageRenderer, TemplateBundle, escape_text


@pytest.mark.parametrize("value", ["plain", "<b>&'\"</b>", "", Markup("<i>safe</i>"), 42, None, 1.5])
def test_escape_text_is_markupsafe_escape(value: object) -> None:
    expected = markupsafe.escape(value)
    assert escape_text(value) == expected and type(escape_text(value)) is Markup


def test_templates_escape_with_escape_text() -> None:
    renderer = PageRenderer(TemplateBundle({"t.html": ("{{ a }}{{ b }}", "t.html")}))
    template = renderer.template("t.html")
    assert template.root_render_func.__globals__["escape"] is escape_text
    assert renderer.render("t.html", a="<x>", b=Markup("<y>")) == b"&lt;x&gt;<y>"
