"""`digest serve` as a user runs it: a real process, real files, real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import FIXTURES

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.1)
    return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[bytes]]]:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "serve", "--port", str(port)], cwd=root,
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    process.log_path = tmp_path / "serve.log"  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}/news/"  # the fixture's base URL has the /news/ path
    try:
        assert wait_for(lambda: fetch(base)[0] == 200), "server did not start"
        yield root, base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def test_an_edit_is_served_without_restarting(server: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    root, base, _ = server
    article = root / "content/2026/02/08/minister-resigns.md"
    url = base + "2026/02/08/minister-resigns/"
    assert "heavy defeat" in fetch(url)[1]
    article.write_text(article.read_text().replace("heavy defeat", "narrow defeat"))
    assert wait_for(lambda: "narrow defeat" in fetch(url)[1]), "the edit never showed"


def test_a_broken_edit_keeps_the_last_good_site_and_shows_the_error(
    server: tuple[Path, str, subprocess.Popen[bytes]],
) -> None:
    root, base, process = server
    status_url = base.replace("/news/", "/_digest/status")
    article = root / "content/2026/02/08/minister-resigns.md"
    good = article.read_text()
    article.write_text(good.replace("title:", "title: [broken"))
    assert wait_for(lambda: json.loads(fetch(status_url)[1])["error"] != "")
    error = json.loads(fetch(status_url)[1])["error"]
    assert "content/2026/02/08/minister-resigns.md:3: front matter is not valid YAML" in error
    code, page = fetch(base + "2026/02/08/minister-resigns/")
    assert code == 200 and "heavy defeat" in page and "_digest/status" in page
    article.write_text(good)
    assert wait_for(lambda: json.loads(fetch(status_url)[1])["error"] == "")
    assert process.poll() is None


def test_paths_outside_the_site_are_refused(server: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    _, base, _ = server
    for path in ("../digest.toml", "%2e%2e/digest.toml", "..%2fdigest.toml", "%2e%2e%2f%2e%2e%2fetc/passwd"):
        code, body = fetch(base + path)
        assert code in (403, 404) and "feed_length" not in body


def test_ctrl_c_stops_cleanly(server: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    _, _, process = server
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) in (0, 130)
    output = process.log_path.read_text()  # type: ignore[attr-defined]
    assert "Traceback" not in output and "serving site at" in output


def test_a_text_edit_takes_the_quick_path_and_reaches_the_disk(
    server: tuple[Path, str, subprocess.Popen[bytes]],
) -> None:
    root, base, process = server
    article = root / "content/2026/02/08/minister-resigns.md"
    url = base + "2026/02/08/minister-resigns/"
    article.write_text(article.read_text().replace("next month", "next spring"))
    assert wait_for(lambda: "next spring" in fetch(url)[1])
    on_disk = root / "site/2026/02/08/minister-resigns/index.html"
    assert wait_for(lambda: "next spring" in on_disk.read_text())
    log = process.log_path.read_text()  # type: ignore[attr-defined]
    assert "updated (content/2026/02/08/minister-resigns.md): 1 files in" in log


def test_a_burst_of_saves_ends_with_the_last_one_served(server: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    root, base, process = server
    article = root / "content/2026/02/08/minister-resigns.md"
    original = article.read_text()
    for number in range(25):
        article.write_text(original.replace("next month", f"in {number} weeks"))
        time.sleep(0.01)
    url = base + "2026/02/08/minister-resigns/"
    log = process.log_path  # type: ignore[attr-defined]
    assert wait_for(lambda: "in 24 weeks" in fetch(url)[1]), log.read_text()
    on_disk = root / "site/2026/02/08/minister-resigns/index.html"
    assert wait_for(lambda: "in 24 weeks" in on_disk.read_text()), log.read_text()


def test_kill_stops_cleanly_with_the_last_edit_on_disk(server: tuple[Path, str, subprocess.Popen[bytes]]) -> None:
    root, base, process = server
    article = root / "content/2026/02/08/minister-resigns.md"
    article.write_text(article.read_text().replace("next month", "next winter"))
    assert wait_for(lambda: "next winter" in fetch(base + "2026/02/08/minister-resigns/")[1])
    process.send_signal(signal.SIGTERM)  # at once: the quick update may not be on disk yet
    assert process.wait(timeout=30) == 0
    output = process.log_path.read_text()  # type: ignore[attr-defined]
    assert "Traceback" not in output and output.rstrip().endswith("stopped")
    assert "next winter" in (root / "site/2026/02/08/minister-resigns/index.html").read_text()
