"""The site in a real browser: Debian's chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site built and served at its base path /news/ on a free port."""
    require_browser()
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    docroot = tmp / "docroot"
    build_site(load_config(root).with_overrides(output_dir=str(docroot / "news")))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(docroot)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(served_site: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


def test_reader_goes_from_home_to_an_article_and_its_topic(served_site: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    external: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda request: external.append(request.url)
            if not request.url.startswith("http://127.0.0.1") else None)
    page.goto(served_site)
    assert page.locator("h1").first.inner_text().startswith("Fixture Digest")
    page.get_by_role("link", name="Storm closes the northern port").first.click()
    page.wait_for_url("**/2026/02/08/storm-closes-port/")
    assert page.locator("article.story h1").inner_text() == "Storm closes the northern port"
    assert "Waves break over the harbour wall." in page.locator("figcaption").inner_text()
    page.locator("article.story .kicker").get_by_role("link", name="Economy").click()
    page.wait_for_url("**/topics/economy/")
    assert page.locator("h1").inner_text().startswith("Economy")
    assert page.get_by_role("link", name="Market prices rise for a third week").count() == 1
    assert errors == [] and external == []


def test_hostile_title_is_shown_as_text(served_site: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(served_site + "2026/02/08/hostile/")
    assert page.locator("article.story h1").inner_text() == "<script>alert('x')</script> & {{ site.title }}"
    assert dialogs == []
    assert page.locator("article.story iframe").count() == 0
