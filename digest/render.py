"""Jinja2 rendering: templates in, HTML bytes out, in this process or a worker.

Templates travel as a `TemplateBundle` (their sources), so a worker process or a Dask worker
on another machine renders exactly what this machine would.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import traceback
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup

from .config import Config
from .errors import DigestError, SourceError
from .markdown import render_markdown

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".j2", ".json", ".svg")
# how templates compile: autoescaping, and strict (a typo in a template fails the build)
ENVIRONMENT_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def default_templates_dir() -> Path:
    """The packaged templates (in a wheel) or the repository's (in a checkout)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise DigestError("the default templates are missing from the installation; reinstall digest")


def template_dirs(config: Config) -> list[Path]:
    """Search path: the site's own templates first, then the defaults."""
    dirs = [config.templates_dir] if config.templates_dir.is_dir() else []
    default = default_templates_dir()
    if default.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(default)
    return dirs


@dataclass(frozen=True)
class TemplateBundle:
    """Every template's source and file (first match on the search path wins), plus shared globals."""

    sources: dict[str, tuple[str, str]]  # name -> (source, file it came from)
    globals: dict[str, Any] = field(default_factory=dict)
    digest: str = ""
    bytecode_dir: Path | None = None  # where compiled templates are kept between builds (None: nowhere)


def load_bundle(config: Config, cache_dir: Path | None = None) -> TemplateBundle:
    """Read the templates of the site and the defaults (not `assets/`).

    With a `cache_dir`, compiled templates are kept in it, so a build compiles only the
    templates whose source changed.
    """
    sources: dict[str, tuple[str, str]] = {}
    for folder in template_dirs(config):
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and relative.parts[0] != "assets" and path.suffix in TEMPLATE_SUFFIXES:
                sources.setdefault(relative.as_posix(), (path.read_text(encoding="utf-8"), str(path)))
    hasher = hashlib.blake2b(digest_size=12)
    for name in sorted(sources):
        hasher.update(name.encode() + b"\0" + sources[name][0].encode() + b"\0")
    return TemplateBundle(sources, {}, hasher.hexdigest(), bytecode_folder(cache_dir) if cache_dir else None)


def bytecode_folder(cache_dir: Path) -> Path:
    """The folder of compiled templates in a cache folder: one per Jinja version and compile
    options (Jinja's own check covers each template's source and the Python version)."""
    options = repr((jinja2.__version__, sorted((key, repr(value)) for key, value in ENVIRONMENT_OPTIONS.items())))
    return cache_dir / f"templates-{hashlib.blake2b(options.encode(), digest_size=6).hexdigest()}"


class TolerantBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates in a folder; a damaged or unwritable file only means compiling again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def make_bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """The bundle's bytecode cache, or None when it has none or its folder cannot be made."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return TolerantBytecodeCache(str(folder))


try:  # markupsafe's C escaper, which `markupsafe.escape` wraps
    from markupsafe import _escape_inner
except ImportError:  # a markupsafe without it: the same text, the slower way

    def _escape_inner(text: str, /) -> str:
        return str(markupsafe.escape(text))


def escape_text(value: Any) -> str:
    """The text `markupsafe.escape` would write for a value, without its costly Markup wrapper.

    Compiled templates call `escape` only on a value they write to the output, where the pieces
    are joined into the page: a plain str does as well there as a Markup, and skips the copy
    (and `__html__` probe, about 1 µs) of `Markup(text)`. Markup values (the cached cards and
    chrome) are written as they are, numbers as their digits.
    """
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:
        return value
    if kind is int:
        return str(value)
    return markupsafe.escape(value)


class FastEscapeTemplate(jinja2.Template):
    """A template whose `{{ ... }}` output is escaped by `escape_text`.

    Compiled templates call the `escape` of their module namespace once per value written (a
    million times in a 10,000-article build), and only there; this points it at `escape_text`.
    """

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any,
                  uptodate: Any = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape_text
        return template


class PlainGlobalsEnvironment(jinja2.Environment):
    """An environment whose templates hold its globals in one plain dict, not a ChainMap.

    Every render copies a template's globals into its context, and every `{% from %}` compares
    two templates' global names: with a ChainMap that is Python code per key (about 15% of an
    article page). The dict is a snapshot, so the globals must be complete before templates load
    (as Jinja asks); `PageRenderer` hands the cached macros to the two templates loaded before.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def make_environment(bundle: TemplateBundle) -> jinja2.Environment:
    """The environment of `ENVIRONMENT_OPTIONS`, loading the bundle's templates."""

    def load(name: str) -> tuple[str, str, Any] | None:
        found = bundle.sources.get(name)
        return (found[0], found[1], lambda: True) if found else None

    env = PlainGlobalsEnvironment(
        loader=jinja2.FunctionLoader(load),
        auto_reload=False,
        bytecode_cache=make_bytecode_cache(bundle.bytecode_dir),
        **ENVIRONMENT_OPTIONS,
    )
    env.template_class = FastEscapeTemplate
    env.context_class = PageContext
    env.globals.update(bundle.globals)
    return env


# Macros that render the same markup on many pages (a card appears on its edition, topic and
# related pages; the header and footer on all): each becomes a global that reuses the markup
# of the last 16,384 distinct arguments (bounded: a worker's memory stays flat at any size,
# about 13 MB of cards; a 10,000-article build asks for 18,600 distinct cards, 73,000 in all).
MACRO_CACHE_SIZE = 16_384
CACHED_MACROS = {"partials/card.html": ("card",), "partials/chrome.html": ("site_header", "site_footer")}


class CachedMacro:
    """A macro that renders each distinct set of arguments once (the last MACRO_CACHE_SIZE sets)."""

    def __init__(self, macro: Callable[..., Markup]) -> None:
        self.render = functools.lru_cache(maxsize=MACRO_CACHE_SIZE)(macro)

    def __call__(self, *args: Any, **kwargs: Any) -> Markup:
        return self.render(*args, **kwargs)


class PageContext(jinja2.runtime.Context):
    """A template context that calls the cached macros directly.

    For every call in a template, Jinja's `Context.call` first probes the callable for
    `pass_context` and the like (two failed attribute lookups: about 5 µs, ten times the cached
    card it returns). A `CachedMacro` never takes them; everything else goes the usual way.
    """

    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if type(obj) is not CachedMacro:
            return super().call(obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)  # what Jinja adds for pass_context callables
        kwargs.pop("_loop_vars", None)
        return obj.render(*args, **kwargs)


class PageRenderer:
    """Render named templates with a view; template mistakes become located errors."""

    def __init__(self, bundle: TemplateBundle) -> None:
        self.env = make_environment(bundle)
        self._templates: dict[str, jinja2.Template] = {}
        for name, macros in CACHED_MACROS.items():
            if name in bundle.sources:
                module = self.template(name).module
                for macro in macros:
                    self.env.globals[macro] = CachedMacro(getattr(module, macro))
        for loaded in self.env.cache.values() if self.env.cache is not None else ():
            for key, value in self.env.globals.items():
                loaded.globals.setdefault(key, value)  # a template's own globals win, as in Jinja

    def template(self, name: str) -> jinja2.Template:
        cached = self._templates.get(name)
        if cached is None:
            try:
                cached = self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise SourceError(exc.filename or name, exc.lineno, f"template error: {exc.message}") from None
            except jinja2.TemplateNotFound as exc:
                raise DigestError(f"template {exc.name!r} not found in the templates folders") from None
            self._templates[name] = cached
        return cached

    def render(self, name: str, **context: Any) -> bytes:
        """Render a template to UTF-8 bytes."""
        template = self.template(name)
        try:
            return template.render(**context).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise _locate(exc, name) from None


def _locate(exc: Exception, name: str) -> DigestError:
    """Find the template line a render error came from (Jinja keeps it in the traceback)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(TEMPLATE_SUFFIXES):
            return SourceError(frame.filename, frame.lineno, f"template error: {exc}")
    return DigestError(f"{name}: template error: {exc}")


@dataclass(frozen=True)
class RenderTask:
    """One page for a worker: its template and views, and the Markdown body if it has one."""

    path: str
    template: str
    context: dict[str, Any]
    body: str | None = None  # rendered to HTML and passed as `body_html`
    keep_html: bool = False  # send the body's HTML back too (feeds need it)


@dataclass(frozen=True)
class RenderResult:
    path: str
    data: bytes
    html: str | None = None


_renderers: dict[tuple[str, str], PageRenderer] = {}


def renderer_for(bundle: TemplateBundle) -> PageRenderer:
    """One renderer per bundle per process (workers render many chunks with the same templates).

    The key holds the globals too: the same templates with another site view (another site, or
    this one after its settings or topics changed, in one `digest serve`) need a new renderer.
    """
    key = (bundle.digest, repr(sorted(bundle.globals.items())))
    found = _renderers.get(key)
    if found is None:
        _renderers.clear()
        found = _renderers[key] = PageRenderer(bundle)
    return found


def render_chunk(bundle: TemplateBundle, tasks: Sequence[RenderTask]) -> list[RenderResult]:
    """Render a chunk of pages (runs in a worker)."""
    renderer = renderer_for(bundle)
    results = []
    for task in tasks:
        html = render_markdown(task.body) if task.body is not None else None
        context = task.context if html is None else {**task.context, "body_html": html}
        results.append(RenderResult(task.path, renderer.render(task.template, **context),
                                    html if task.keep_html else None))
    return results
