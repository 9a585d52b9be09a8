"""`digest serve` with the page open in a real browser: edits appear in place, errors in a banner."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_browser import launch_chromium, require_browser, watch
from .test_serve import server  # noqa: F401 (the fixture: `digest serve` on a copy of the fixture site)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
Served = tuple[Path, str, subprocess.Popen[bytes]]
ARTICLE = "content/2026/02/08/minister-resigns.md"


@pytest.fixture
def open_article(server: Served) -> Iterator[tuple[Path, object]]:  # noqa: F811
    """The article page open in chromium, its live-reload client connected."""
    require_browser()
    root, base, _ = server
    with launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 800, "height": 300})  # type: ignore[attr-defined]
        page.goto(base + "2026/02/08/minister-resigns/")
        page.wait_for_function("() => window.LiveReload && window.LiveReload.connector"
                               " && window.LiveReload.connector._isSocketConnected()", timeout=10_000)
        yield root, page


def test_an_edit_replaces_the_page_in_place_and_keeps_the_readers_place(open_article: tuple[Path, object]) -> None:
    root, page = open_article
    errors, _ = watch(page)
    article = root / ARTICLE
    page.evaluate("() => { window.stillHere = true; window.scrollTo(0, 120); }")  # type: ignore[attr-defined]
    article.write_text(article.read_text().replace("heavy defeat", "narrow defeat"))
    page.get_by_text("narrow defeat").wait_for(timeout=10_000)  # type: ignore[attr-defined]
    # swapped in without a reload: the page's own state and the reader's place are still there
    assert page.evaluate("() => [window.stillHere, window.scrollY]") == [True, 120]  # type: ignore[attr-defined]
    assert page.locator("article.story h1").count() == 1  # type: ignore[attr-defined]
    assert errors == []


def test_a_broken_edit_shows_its_error_in_the_open_page_until_fixed(open_article: tuple[Path, object]) -> None:
    root, page = open_article
    article = root / ARTICLE
    good = article.read_text()
    article.write_text(good.replace("title:", "title: [broken"))
    banner = page.locator("#digest-build-error")  # type: ignore[attr-defined]
    banner.wait_for(timeout=10_000)
    assert "minister-resigns.md:3: front matter is not valid YAML" in banner.inner_text()
    assert "heavy defeat" in page.locator("main").inner_text()  # type: ignore[attr-defined]  # the last good page
    article.write_text(good.replace("heavy defeat", "clear defeat"))
    page.get_by_text("clear defeat").wait_for(timeout=10_000)  # type: ignore[attr-defined]
    banner.wait_for(state="detached", timeout=10_000)
