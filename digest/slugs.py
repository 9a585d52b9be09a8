"""Slugs for URLs and file names, and path joins that cannot leave their root."""

from __future__ import annotations

import functools
import inspect
import re
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import DigestError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 80


def make_slug(text: str, fallback: str = "article") -> str:
    """Turn a title into a short, safe, ASCII slug; never empty."""
    from slugify import slugify  # here: a build that names no new file need not load it (10 ms)

    slug = slugify(text, max_length=MAX_SLUG, word_boundary=True, save_order=True, **_slugify_backend())
    return slug or fallback


@functools.cache
def _slugify_backend() -> dict[str, Any]:
    """The transliteration backend python-slugify's "auto" picks, chosen once per process.

    With "auto", python-slugify 9 imports Unidecode on every title that is not ASCII and falls
    back to text-unidecode when it is missing; a failed import searches sys.path again each
    time, half the cost of a slug. Naming the same backend gives the same slug. Versions
    without the `backend` option (8.x, which chooses once at import) are called as before.
    """
    from slugify import slugify

    if "backend" not in inspect.signature(slugify).parameters:
        return {}
    try:
        import unidecode  # noqa: F401  # the module "auto" tries first
    except ModuleNotFoundError as error:
        if error.name != "unidecode":
            raise
        return {"backend": "text-unidecode"}
    return {"backend": "unidecode"}


def is_slug(text: str) -> bool:
    """Whether text is already a clean slug (lower-case words joined by hyphens)."""
    return len(text) <= 200 and bool(SLUG_RE.match(text))


def safe_join(root: Path, relative: str) -> Path:
    """Join a relative POSIX path under root; refuse anything that would escape it."""
    parts = PurePosixPath(relative).parts
    if (
        not parts
        or relative.startswith(("/", "\\"))
        or any(part in ("..", ".") or "\\" in part or "\x00" in part for part in parts)
    ):
        raise DigestError(f"refusing to write outside the output folder: {relative!r}")
    # a lexical check suffices: the writer creates every folder under root itself, no symlinks
    return root.joinpath(*parts)
