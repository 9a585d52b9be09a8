"""Jinja2 environment and page rendering: views in, HTML bytes out."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2

from .config import Config
from .errors import DigestError, SourceError


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


def make_environment(config: Config) -> jinja2.Environment:
    """Autoescaping, strict environment: a typo in a template fails the build."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(config)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    return env


class PageRenderer:
    """Render named templates with a view; template mistakes become located errors."""

    def __init__(self, config: Config) -> None:
        self.env = make_environment(config)
        self._templates: dict[str, jinja2.Template] = {}

    def template(self, name: str) -> jinja2.Template:
        cached = self._templates.get(name)
        if cached is None:
            try:
                cached = self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise SourceError(exc.filename or name, exc.lineno, f"template error: {exc.message}") from None
            except jinja2.TemplateNotFound as exc:
                raise DigestError(f"template {exc.name!r} not found in {self.env.loader.searchpath}")  # type: ignore[union-attr]
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
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            return SourceError(frame.filename, frame.lineno, f"template error: {exc}")
    return DigestError(f"{name}: template error: {exc}")
