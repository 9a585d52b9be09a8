"""`digest serve`: build, serve the site with live reload, rebuild on every source change.

The `livereload` package serves pages and talks to the browser. Change detection is ours:
livereload polls every 800 ms and ignores a change that comes within 3 s of the last reload,
so a `watchfiles` (inotify) thread watches content, templates and `digest.toml`, coalesces
bursts, rebuilds, and tells livereload's browser clients to reload. A failed rebuild keeps the
last good site, and the error is shown in the terminal and on top of every open page.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import mimetypes
import queue
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import watchfiles
from livereload import Server
from livereload import server as livereload_server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado import web
from tornado.ioloop import IOLoop

from .build import Builder, BuildOptions
from .config import CONFIG_NAME, Config, load_config
from .errors import BuildAborted, DigestError, SourceChanged, display_path

STATUS_PATH = "/_digest/status"
COMMIT_WAIT = 10.0  # seconds a request waits at most for a build to finish moving files in
# Injected into every page the preview serves (before livereload's own script):
# - the error banner, shown while the last rebuild failed (checked on load and after each update);
# - a livereload.js plugin (it takes every `window.LiveReloadPlugin*`; a plugin whose `reload`
#   returns true has handled the change) that fetches the open page again and swaps in its new
#   body instead of reloading: the edit shows sooner, and the reader keeps their place. Changed
#   stylesheets and images are left to livereload's live CSS and image reloading; a page whose new
#   body holds scripts, or whose stylesheets changed, or that is gone, is reloaded in full.
PREVIEW_SCRIPT = """<script>(function () {
  var STATUS = '%s', BANNER = 'digest-build-error', latest = 0;
  function showStatus() {
    fetch(STATUS, {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (s) {
      var old = document.getElementById(BANNER);
      if (old) old.remove();
      if (!s.error) return;
      var d = document.createElement('pre');
      d.id = BANNER;
      d.setAttribute('role', 'alert');
      d.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;' +
        'padding:1em;background:#7a0b0b;color:#fff;font:14px/1.4 monospace;z-index:99999;white-space:pre-wrap';
      d.textContent = 'digest: the last rebuild failed; showing the last good site.\\n\\n' + s.error;
      document.body.appendChild(d);
    }).catch(function () {});
  }
  function styles(doc) {
    return Array.prototype.map.call(doc.querySelectorAll('link[rel~="stylesheet"],link[rel~="icon"]'),
      function (link) { return link.getAttribute('href'); }).join(' ');
  }
  function Patch(win) { this.window = win; }
  Patch.identifier = 'digest-patch';
  Patch.version = '1.0';
  Patch.prototype.reload = function (path) {
    if (/\\.(css|png|jpe?g|gif|svg|webp|ico)$/i.test(path)) return false;
    var win = this.window, doc = win.document, mine = ++latest;
    fetch(win.location.href, {cache: 'no-store'}).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.text();
    }).then(function (html) {
      if (mine !== latest) return;  // a newer change is on its way
      var fresh = new DOMParser().parseFromString(html, 'text/html');
      if (fresh.body.querySelector('script') || styles(fresh) !== styles(doc)) throw new Error('reload');
      var x = win.scrollX, y = win.scrollY;
      doc.title = fresh.title;
      doc.body.replaceWith(doc.adoptNode(fresh.body));
      win.scrollTo(x, y);
      showStatus();
    }).catch(function () { win.location.reload(); });
    return true;
  };
  window.LiveReloadPluginDigest = Patch;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', showStatus);
  else showStatus();
})();</script>""" % STATUS_PATH


@dataclass
class PreviewState:
    """What the server knows about the last build, shared between threads."""

    error: str = ""
    builds: int = 0
    overlay: dict[str, bytes] = field(default_factory=dict)  # quick updates not yet on disk
    lock: threading.Lock = field(default_factory=threading.Lock)
    committing: threading.Event = field(default_factory=threading.Event)  # files are moving in

    @contextlib.contextmanager
    def hold_readers(self) -> Iterator[None]:
        """While a build moves its files in, requests wait: nobody reads half a new site."""
        self.committing.set()
        try:
            yield
        finally:
            self.committing.clear()


class SourceWatcher:
    """Stands in for livereload's polling watcher: our own threads do the watching."""

    def __init__(self) -> None:
        self._tasks = {"digest": True}  # non-empty, so livereload does not watch the cwd
        self._changes: list[Any] = []
        self.filepath: str | None = None

    def start(self, callback: Callable[[], None]) -> bool:
        return True  # we notify the browsers ourselves; no 800 ms polling

    def examine(self) -> tuple[None, None]:
        return None, None


class Rebuilder:
    """Rebuild after changes, one build at a time, never dropping a change.

    An edit of an article's text takes the quick path: only its page and the feeds showing it
    are rendered, served from memory at once and written to the output folder a moment later.
    Anything else runs an (incremental) build.
    """

    FLUSH_AFTER = 0.5  # seconds without changes before quick updates go to disk
    SAVE_AFTER = 10.0  # seconds without changes before the build cache is brought up to date
    RESAVE_PAUSE = 0.05  # seconds to let a save in progress finish before reading the file again

    def __init__(self, root: Path, state: PreviewState, echo: Callable[[str], None]) -> None:
        self.root = root
        self.state = state
        self.echo = echo
        self.changes: queue.Queue[set[str]] = queue.Queue()
        self.stop = threading.Event()
        self.notify: Callable[[str], None] = lambda path: None
        self.builder: Builder | None = None
        self.unsaved = False

    def load_config(self) -> Config:
        return load_config(self.root)

    def rebuild(self, reason: str = "start", changed: set[str] | None = None) -> bool:
        """Update the site; on failure keep the old site and record the error."""
        started = time.perf_counter()
        try:
            config = self.load_config()
            if self.builder is None or self.builder.config != config:
                self.builder = Builder(config, BuildOptions(commit_guard=self.state.hold_readers))
            quick = self.try_quick(config, changed) if changed and not self.state.error else None
            if quick is not None:
                with self.state.lock:
                    self.state.overlay.update(quick)
                self.echo(f"updated ({reason}): {len(quick)} files in {time.perf_counter() - started:.3f}s")
                return True
            report = self.builder.build(prime=True)
            with self.state.lock:
                self.state.overlay.clear()
        except SourceChanged as exc:
            # saved again while being read: no error to show, and the update runs again once the
            # save is done (its own change event may already have been taken in)
            self.echo(f"{display_path(exc.path)} changed while it was read; updating again")
            time.sleep(self.RESAVE_PAUSE)
            self.changes.put({*(changed or ()), exc.path})
            return False
        except BuildAborted as exc:
            message = "\n".join(exc.lines())
        except DigestError as exc:
            message = f"error: {exc}"
        except Exception as exc:  # a bug must not take the preview down; show it instead
            message = f"internal error: {type(exc).__name__}: {exc}"
        else:
            with self.state.lock:
                self.state.error = ""
                self.state.builds += 1
            for warning in report.warnings:
                self.echo(f"warning: {warning}")
            self.echo(f"rebuilt ({reason}): {report.articles} articles, {report.rendered} rendered, "
                      f"{report.written} written in {time.perf_counter() - started:.2f}s")
            return True
        with self.state.lock:
            self.state.error = message
        self.echo(f"rebuild failed ({reason}); still serving the last good site:\n{message}")
        return False

    def try_quick(self, config: Config, changed: set[str]) -> dict[str, bytes] | None:
        paths = {Path(p) for p in changed}
        if self.builder is None or not all(p.suffix == ".md" and p.is_relative_to(config.content_dir) for p in paths):
            return None
        return self.builder.quick_update(paths)

    def flush(self) -> None:
        """Write pending quick updates to the output folder."""
        if self.builder is None or not (self.builder.pending or self.builder.stale_feeds):
            return
        try:
            self.builder.flush(save=False)  # saving the cache takes a while: done when idle longer
            self.unsaved = True
        except (DigestError, OSError) as exc:
            self.echo(f"could not write the quick update to disk: {exc}; rebuilding")
            self.builder = None
            self.rebuild("after a failed write")
            return
        with self.state.lock:
            self.state.overlay.clear()

    def save(self) -> None:
        """Bring the build cache up to date with what the preview wrote."""
        if self.builder is not None and self.unsaved:
            self.unsaved = False
            self.builder.save_caches()

    def run(self) -> None:
        """Worker loop: drain every queued change, update once, tell the browsers."""
        idle = 0.0
        while not self.stop.is_set():
            try:
                batch = self.changes.get(timeout=self.FLUSH_AFTER)
            except queue.Empty:
                idle += self.FLUSH_AFTER
                self.flush()
                if idle >= self.SAVE_AFTER:
                    self.save()
                continue
            idle = 0.0
            while True:  # coalesce a burst of saves into one update
                try:
                    batch |= self.changes.get_nowait()
                except queue.Empty:
                    break
            first = sorted(batch)[0]
            self.rebuild(_short(first, self.root) + (f" and {len(batch) - 1} more" if len(batch) > 1 else ""), batch)
            self.notify(first)


def _short(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path


def watch_sources(rebuilder: Rebuilder, config: Config) -> list[threading.Thread]:
    """Start watcher threads for content and templates (recursive) and the config file."""
    config_file = str(config.root / CONFIG_NAME)
    trees = [str(p) for p in (config.content_dir, config.templates_dir) if p.is_dir()]

    def pump(paths: list[str], recursive: bool, keep: Callable[[str], bool]) -> None:
        for changes in watchfiles.watch(
            *paths, recursive=recursive, stop_event=rebuilder.stop, debounce=400, step=10,
            rust_timeout=500, yield_on_timeout=False, raise_interrupt=False,
        ):
            changed = {path for _, path in changes if keep(path)}
            if changed:
                rebuilder.changes.put(changed)

    def is_source(path: str) -> bool:
        name = Path(path).name
        return not name.startswith(".") and not name.endswith(("~", ".swp", ".tmp"))

    threads = [
        threading.Thread(target=pump, args=(trees, True, is_source), daemon=True, name="watch-sources"),
        threading.Thread(target=pump, args=([str(config.root)], False, lambda p: p == config_file),
                         daemon=True, name="watch-config"),
        threading.Thread(target=rebuilder.run, daemon=True, name="rebuild"),
    ]
    for thread in threads:
        thread.start()
    return threads


class StatusInjector(livereload_server.LiveScriptInjector):  # type: ignore[misc]
    """livereload's script injector, plus the error-banner script."""

    def transform_first_chunk(self, status_code: int, headers: Any, chunk: bytes, finishing: bool) -> Any:
        if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
            script = PREVIEW_SCRIPT.encode()
            chunk = chunk.replace(b"</head>", script + b"</head>", 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(script))
        return super().transform_first_chunk(status_code, headers, chunk, finishing)


class PreviewServer(Server):  # type: ignore[misc]
    """livereload's server plus a status endpoint, the error banner and the site's base path."""

    def __init__(self, state: PreviewState, base_path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.base_path = base_path

    def application(self, *args: Any, **kwargs: Any) -> Any:
        # livereload builds its transform from this module-level name when called
        livereload_server.LiveScriptInjector = StatusInjector
        return super().application(*args, **kwargs)

    def get_web_handlers(self, script: bytes) -> list[Any]:
        state = self.state

        class StatusHandler(web.RequestHandler):
            def get(self) -> None:
                with state.lock:
                    payload = {"error": state.error, "builds": state.builds}
                self.set_header("Content-Type", "application/json")
                self.set_header("Cache-Control", "no-store")
                self.write(json.dumps(payload))

        class SiteHandler(StaticFileHandler):  # type: ignore[misc]
            def parse_url_path(self, url_path: str) -> str:
                # tornado answers a NUL with a 500 and a logged traceback; a backslash is never
                # part of a digest URL and only ever a try at a Windows-style `..\`
                if "\x00" in url_path or "\\" in url_path:
                    raise web.HTTPError(400)
                return str(super().parse_url_path(url_path))

            async def get(self, path: str, include_body: bool = True) -> None:
                name = path + "index.html" if not path or path.endswith("/") else path
                deadline = time.monotonic() + COMMIT_WAIT
                while state.committing.is_set() and time.monotonic() < deadline:  # well under a second
                    await asyncio.sleep(0.005)
                with state.lock:
                    data = state.overlay.get(name)
                if data is None:
                    await super().get(path, include_body)
                    return
                self.overlay_hit = True
                self.set_header("Content-Type", mimetypes.guess_type(name)[0] or "application/octet-stream")
                self.set_header("Cache-Control", "no-store")
                self.finish(data if include_body else b"")

            def compute_etag(self) -> str | None:
                return None if getattr(self, "overlay_hit", False) else super().compute_etag()

            def write_error(self, status_code: int, **kwargs: Any) -> None:
                with state.lock:
                    error = state.error
                page = Path(self.root) / "404.html"
                if status_code == 404 and page.is_file() and not error:
                    self.finish(page.read_bytes())
                    return
                detail = f"<pre>{html.escape(error)}</pre>" if error else ""
                self.finish(f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{status_code}"
                            f"</title></head><body><h1>{status_code}</h1>{detail}</body></html>")

        handlers: list[Any] = [(STATUS_PATH, StatusHandler)]
        if self.base_path != "/":
            handlers.append((r"/", web.RedirectHandler, {"url": self.base_path}))
        handlers.append((re.escape(self.base_path) + r"(.*)", SiteHandler,
                         {"path": self.root or ".", "default_filename": "index.html"}))
        return handlers


def stop_on_signals(loop: IOLoop) -> None:
    """Ctrl-C and `kill` stop the server cleanly, quick updates written to disk first.

    Through asyncio's signal handling, not Python's KeyboardInterrupt: the kernel may hand the
    signal to a watcher thread, and then nothing would wake the main thread from its wait.
    asyncio's wakeup file descriptor does."""
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not on this platform
            loop.asyncio_loop.add_signal_handler(number, loop.stop)  # type: ignore[attr-defined]


def serve_site(root: Path, host: str, port: int, echo: Callable[[str], None]) -> None:
    """Build, serve on host:port and rebuild on change until Ctrl-C."""
    state = PreviewState()
    rebuilder = Rebuilder(root, state, echo)
    config = rebuilder.load_config()  # a broken digest.toml at start is the user's to fix first
    rebuilder.rebuild("start")
    base_path = urlsplit(config.base_url).path or "/"
    server = PreviewServer(state, base_path, watcher=SourceWatcher())
    loop = IOLoop.current()
    rebuilder.notify = lambda path: loop.add_callback(LiveReloadHandler.reload_waiters, path)
    worker = watch_sources(rebuilder, config)[-1]
    echo(f"serving {display_path(config.output_dir)} at http://{host}:{port}{base_path} (Ctrl-C to stop)")
    stop_on_signals(loop)
    try:
        server.serve(port=port, host=host, root=str(config.output_dir), restart_delay=0)
    finally:
        rebuilder.stop.set()
        worker.join(timeout=30)  # let an update in progress finish
        rebuilder.flush()
        rebuilder.save()
        echo("stopped")
