"""The site in a real browser: Debian's chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.build import build_site
from digest.config import load_config

from .conftest import FIXTURES

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
pytestmark = pytest.mark.browser


def require_browser() -> None:
    """Skip where chromium is missing, unless the run demands browsers (CI sets DIGEST_REQUIRE_BROWSER)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("DIGEST_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing but DIGEST_REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} is not installed")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(root: Path, docroot: Path) -> Iterator[str]:
    """The site at `root` built and served at its base path /news/ on a free port."""
    build_site(load_config(root).with_overrides(output_dir=str(docroot / "news")))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(docroot)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/news/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site built and served at its base path /news/ on a free port."""
    require_browser()
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    with serving(root, tmp / "docroot") as url:
        yield url


@contextlib.contextmanager
def launch_chromium() -> Iterator[object]:
    """Debian's chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="module")
def browser(served_site: str) -> Iterator[object]:
    with launch_chromium() as instance:
        yield instance


def watch(page: object) -> tuple[list[str], list[str]]:
    """Collect console errors, page errors and any request that leaves the local server."""
    errors: list[str] = []
    external: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: errors.append(str(exc)))  # type: ignore[attr-defined]
    page.on("request", lambda request: external.append(request.url)  # type: ignore[attr-defined]
            if not request.url.startswith("http://127.0.0.1") else None)
    return errors, external


def test_reader_goes_from_home_to_an_article_its_topic_and_search(served_site: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    errors, external = watch(page)
    page.goto(served_site)
    assert page.locator("h1").first.inner_text() == "Sunday 8 February 2026"
    assert page.locator(".topic-section h2").all_inner_texts() == ["Politics"]
    page.locator(".card-lead").get_by_role("link", name="Storm closes the northern port").click()
    page.wait_for_url("**/2026/02/08/storm-closes-port/")
    assert page.locator("article.story h1").inner_text() == "Storm closes the northern port"
    assert "Waves break over the harbour wall." in page.locator("figcaption").inner_text()
    assert page.locator(".byline").inner_text().count("min read") == 1
    page.locator("article.story .kicker").get_by_role("link", name="Economy").click()
    page.wait_for_url("**/topics/economy/")
    assert page.locator("h1").inner_text().startswith("Economy")
    assert page.get_by_role("img", name="Economy: 2 articles", exact=False).count() == 1
    assert page.get_by_role("link", name="Market prices rise for a third week").count() == 1

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.wait_for_url("**/search/")
    page.get_by_label("Search every article").fill("harbour")
    page.get_by_role("button", name="Search").click()
    result = page.locator(".search-result a").first
    result.wait_for(timeout=10_000)
    assert page.locator("#search-status").inner_text() == "1 article matches “harbour”."
    assert "q=harbour" in page.url
    result.click()
    page.wait_for_url("**/2026/02/08/storm-closes-port/")
    assert page.locator("article.story h1").inner_text() == "Storm closes the northern port"
    assert errors == [] and external == []


def test_search_finds_articles_of_every_year(browser: object, tmp_path: Path) -> None:
    """The index is a bundle per year: the page merges them, so one search finds both years'."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    older = root / "content/2025/12/30/harbour-fund.md"
    older.parent.mkdir(parents=True)
    older.write_text("---\ntitle: Council approves a harbour fund\ndate: 2025-12-30T10:00:00+00:00\n"
                     "source: Meridian Wire\n---\n\nThe council approved a fund to repair the harbour.\n")
    with serving(root, tmp_path / "docroot") as url:
        page = browser.new_page()  # type: ignore[attr-defined]
        errors, external = watch(page)
        page.goto(url + "search/?q=harbour")
        page.get_by_text("2 articles match “harbour”.").wait_for(timeout=10_000)
        titles = sorted(page.locator(".search-result h2").all_inner_texts())
        assert titles == ["Council approves a harbour fund", "Storm closes the northern port"]
        page.get_by_role("link", name="Council approves a harbour fund").click()
        page.wait_for_url("**/2025/12/30/harbour-fund/")
        assert errors == [] and external == []


def test_search_link_with_a_query_shows_marked_results(served_site: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    errors, external = watch(page)
    page.goto(served_site + "search/?q=minister")
    page.locator(".search-result").first.wait_for(timeout=10_000)
    titles = page.locator(".search-result h2").all_inner_texts()
    assert titles == ["Minister resigns after election defeat"]
    assert page.locator(".search-excerpt mark").first.inner_text().lower() == "minister"
    assert page.locator(".search-result .card-meta").inner_text() == "Capital Bulletin · Sunday 8 February 2026, 18:05"
    page.get_by_label("Search every article").fill("zzzznothing")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("No article matches “zzzznothing”.").wait_for(timeout=10_000)
    assert page.locator(".search-result").count() == 0
    assert errors == [] and external == []


def test_hostile_text_in_search_results_stays_text(served_site: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(served_site + "search/?q=iframe")
    page.locator(".search-result").first.wait_for(timeout=10_000)
    assert page.locator("#search-results iframe, #search-results script").count() == 0
    assert "<iframe" in page.locator(".search-excerpt").first.inner_text()
    assert dialogs == []


def test_mobile_pages_do_not_scroll_sideways(served_site: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})  # type: ignore[attr-defined]
    page = context.new_page()
    for path in ("", "2026/02/08/storm-closes-port/", "topics/economy/", "archive/", "search/?q=storm"):
        page.goto(served_site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


def test_hostile_title_is_shown_as_text(served_site: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(served_site + "2026/02/08/hostile/")
    assert page.locator("article.story h1").inner_text() == "<script>alert('x')</script> & {{ site.title }}"
    assert dialogs == []
    assert page.locator("article.story iframe").count() == 0
