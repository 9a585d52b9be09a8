"""`digest serve` under hostile requests, load and edits: a real process on loopback.

It listens on 127.0.0.1 only; it refuses every path outside `site/` (encoded, double-encoded,
backslashes, NUL) without an error; it answers a burst of 500 requests from 50 concurrent clients;
it keeps serving whole pages while edits arrive during rebuilds and ends up with the last edit;
and Ctrl-C in the middle of a rebuild stops it cleanly.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import FIXTURES, REPO
from .test_kill_build import write_corpus
from .test_serve import fetch, free_port, wait_for

pytestmark = pytest.mark.slow
SECRET = "SECRET-OUTSIDE-THE-SITE-7f3a"


@dataclass
class Preview:
    root: Path
    port: int
    base: str  # the site's path on the server, e.g. /news/
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{self.base}{path}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_preview(root: Path, log: Path, base: str) -> Preview:
    port = free_port()
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "digest", "serve", "--port", str(port)], cwd=root,
            stdout=stream, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"},
        )
    preview = Preview(root, port, base, process, log)
    assert wait_for(lambda: fetch(preview.url())[0] == 200, timeout=60), preview.output()
    return preview


def stop_preview(preview: Preview) -> None:
    if preview.process.poll() is None:
        preview.process.send_signal(signal.SIGINT)
        try:
            preview.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            preview.process.kill()
            preview.process.wait()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "site-basic", root)
    (tmp_path / "secret.txt").write_text(SECRET)
    (root / "secret.txt").write_text(SECRET)
    running = start_preview(root, tmp_path / "serve.log", "/news/")
    try:
        yield running
    finally:
        stop_preview(running)


def raw_get(port: int, target: bytes) -> tuple[int, bytes]:
    """Send the request line exactly as given (no client-side normalisation) and read the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line = data.split(b"\r\n", 1)[0]
    return int(status_line.split()[1]), data


def listening_addresses(pid: int) -> set[str]:
    """host:port of every TCP socket the process listens on (from /proc, IPv4 and IPv6)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:  # 0A: LISTEN
                continue
            host_hex, port_hex = local.split(":")
            if width == 8:
                host = socket.inet_ntop(socket.AF_INET, bytes.fromhex(host_hex)[::-1])
            else:
                words = [bytes.fromhex(host_hex[i:i + 8])[::-1] for i in range(0, 32, 8)]
                host = socket.inet_ntop(socket.AF_INET6, b"".join(words))
            found.add(f"{host}:{int(port_hex, 16)}")
    return found


def file_of(target: str) -> str:
    return target + "index.html" if target.endswith("/") or not target else target


def served_whole(body: bytes, path: Path) -> bool:
    """The file as written, except for the preview scripts injected before `</head>`."""
    written = path.read_bytes()
    if b"</head>" not in written:
        return body == written
    head, tail = written.split(b"</head>", 1)
    return body.startswith(head) and body.endswith(b"</head>" + tail)


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads listening sockets from /proc")
def test_it_listens_on_loopback_only(preview: Preview) -> None:
    assert listening_addresses(preview.process.pid) == {f"127.0.0.1:{preview.port}"}


TRAVERSALS = [
    b"../digest.toml", b"../secret.txt", b"../../secret.txt", b"%2e%2e/digest.toml", b"%2E%2E/secret.txt",
    b"..%2fdigest.toml", b"..%2Fsecret.txt", b"%2e%2e%2f%2e%2e%2fsecret.txt", b"%252e%252e%252fdigest.toml",
    b"%252e%252e/secret.txt", b"..\\digest.toml", b"..%5cdigest.toml", b"..%5Csecret.txt",
    b"%2e%2e%5csecret.txt", b"%00", b"index.html%00.txt", b"%00../digest.toml", b"..%00/digest.toml",
    b"%c0%ae%c0%ae/digest.toml", b"%e0%80%ae%e0%80%ae/secret.txt", b"....//digest.toml", b"..;/digest.toml",
    b"/etc/passwd", b"%2fetc%2fpasswd", b"//etc/passwd", b"./../digest.toml", b"2026/../../digest.toml",
    b"%ff", b"%", b"a" * 5000,
]


def test_paths_outside_the_site_are_refused_without_an_error(preview: Preview) -> None:
    answers = {}
    for target in TRAVERSALS:
        for prefix in (preview.base.encode(), b"/"):
            status, data = raw_get(preview.port, prefix + target)
            answers[prefix + target] = status
            assert status in (301, 302, 400, 403, 404), (target, status)
            assert SECRET.encode() not in data and b"feed_length" not in data and b"root:x:0" not in data
    assert preview.process.poll() is None
    log = preview.output()
    assert "Traceback" not in log and "Uncaught exception" not in log and " 500 " not in log
    assert answers[b"/news/%00"] == 400 and answers[b"/news/..%5cdigest.toml"] == 400
    assert fetch(preview.url())[0] == 200


def test_a_burst_of_500_requests_from_50_clients_is_answered(preview: Preview) -> None:
    site = preview.root / "site"
    files = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*")) if p.is_file()]
    targets = [path.removesuffix("index.html") for path in files]
    assert len(targets) >= 20

    def client(number: int) -> list[tuple[str, int, bool]]:
        connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=30)
        results = []
        try:
            for request in range(10):  # keep-alive: one connection per client, ten requests each
                target = targets[(number * 10 + request) % len(targets)]
                connection.request("GET", preview.base + target)
                response = connection.getresponse()
                body = response.read()
                results.append((target, response.status, served_whole(body, site / file_of(target))))
        finally:
            connection.close()
        return results

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        answers = [item for batch in pool.map(client, range(50)) for item in batch]
    assert len(answers) == 500
    assert [a for a in answers if a[1] != 200] == []
    assert [a for a in answers if not a[2]] == []
    assert preview.process.poll() is None
    log = preview.output()
    assert "Traceback" not in log and "[E " not in log


def test_edits_during_rebuilds_are_all_served_in_the_end(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write_corpus(root, 250, seed=5)  # big enough that a rebuild takes a while
    running = start_preview(root, tmp_path / "serve.log", "/")
    try:
        article = root / "content/2026/03/01/article-00000.md"
        url = running.url("2026/03/01/article-00000/")
        original = article.read_text(encoding="utf-8")
        failures: list[tuple[str, int]] = []
        stop = threading.Event()

        def read_while_editing() -> None:
            pages = [running.url(), url, running.url("feed.xml"), running.url("2026/03/")]
            while not stop.is_set():
                for page in pages:
                    status, _ = fetch(page)
                    if status != 200:
                        failures.append((page, status))

        reader = threading.Thread(target=read_while_editing)
        reader.start()
        try:
            for number in range(1, 13):  # saves faster than a rebuild: some land mid-build
                article.write_text(original.replace("Kill Test Gazette", f"Gazette edit {number}"), encoding="utf-8")
                time.sleep(0.25 if number % 4 else 1.5)
            assert wait_for(lambda: "Gazette edit 12" in fetch(url)[1], timeout=120), running.output()[-3000:]
        finally:
            stop.set()
            reader.join()
        assert failures == []
        status_url = f"http://127.0.0.1:{running.port}/_digest/status"
        status = json.loads(fetch(status_url)[1])
        assert status["error"] == "" and status["builds"] >= 2
        assert running.process.poll() is None
        assert "Traceback" not in running.output()
    finally:
        stop_preview(running)


def test_a_changed_site_title_reaches_every_page(preview: Preview) -> None:
    status_url = f"http://127.0.0.1:{preview.port}/_digest/status"
    builds = json.loads(fetch(status_url)[1])["builds"]
    config = preview.root / "digest.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Fixture Digest"',
                                                                 'title = "Renamed <Digest>"'), encoding="utf-8")
    article = preview.url("2026/02/08/minister-resigns/")
    mixed: list[str] = []

    def renamed_everywhere() -> bool:
        # the rebuild moves changed files in one by one, and requests wait while it does: once
        # one page shows the new title, every page read after it does too
        if "Renamed &lt;Digest&gt;" not in fetch(preview.url())[1]:
            return False
        page = fetch(article)[1]
        if "Renamed &lt;Digest&gt;" not in page or "Fixture Digest" in page:
            mixed.append(page)
        return True

    assert wait_for(renamed_everywhere, timeout=60), preview.output()[-2000:]
    assert mixed == []
    assert json.loads(fetch(status_url)[1])["builds"] > builds


def test_ctrl_c_in_the_middle_of_a_rebuild_stops_cleanly(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write_corpus(root, 250, seed=6)
    running = start_preview(root, tmp_path / "serve.log", "/")
    page = root / "site/2026/03/01/article-00000/index.html"
    before = page.read_bytes()
    article = root / "content/2026/03/01/article-00000.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Kill Test Gazette", "Late edit"),
                       encoding="utf-8")
    # the writer stages into .site.digest/staging; where that is not seen, a second is mid-build
    wait_for(lambda: rebuild_started(root), timeout=5)
    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(timeout=20) in (0, 130)
    log = running.output()
    assert "Traceback" not in log and "Fatal Python error" not in log
    after = page.read_bytes()
    assert after == before or b"Late edit" in after  # the old page or the new one, whole
    assert (root / "site/index.html").is_file()


def rebuild_started(root: Path) -> bool:
    staging = root / ".site.digest" / "staging"
    return staging.is_dir() and any(staging.iterdir())
