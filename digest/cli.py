"""Command line: `digest ingest`, `digest clean`, `digest stamp`, `digest build`, `digest serve`,
`digest topics`.

The only module that prints or exits. User mistakes print `file:line: message` lines and exit 1;
tracebacks appear only with `--debug`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .config import Config, load_config
from .errors import BuildAborted, DigestError, SourceChanged, SourceError, display_path

F = TypeVar("F", bound=Callable[..., Any])
BUILD_ATTEMPTS = 3  # a build whose files keep changing under it gives up after this many
# Terminal control characters from file names or captured text must not reach the terminal
# as such (an escape sequence can rewrite what the curator sees); show them as \x.. escapes.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(line: str) -> str:
    """Escape control characters, bidi overrides and undecodable bytes of a line of output."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), line)


def echo(line: str, err: bool = False) -> None:
    """Print one line of output safely."""
    click.echo(printable(line), err=err)


def echo_errors(errors: list[DigestError]) -> None:
    """One line per error; with --debug, the traceback of any bug behind one as well."""
    debug = bool(click.get_current_context().obj.get("debug"))
    for error in errors:
        echo(str(error), err=True)
        if debug and isinstance(error, SourceError) and error.trace:
            click.echo(error.trace, err=True)


def report_errors(func: F) -> F:
    """Turn DigestErrors into readable lines and exit status 1; tracebacks only with --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.obj.get("debug"))
        try:
            return func(*args, **kwargs)
        except BuildAborted as exc:
            for line in exc.lines():
                echo(line, err=True)
            if debug:
                raise
            sys.exit(1)
        except DigestError as exc:
            echo(f"error: {exc}", err=True)
            if debug:
                raise
            sys.exit(1)
        except KeyboardInterrupt:
            echo("interrupted", err=True)
            sys.exit(130)
        except OSError as exc:  # a folder that cannot be written, a full disk: the user's to fix
            if debug:
                raise
            where = f"{display_path(exc.filename)}: " if exc.filename else ""
            echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
        except Exception as exc:
            if debug:
                raise
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            echo(f"internal error: {type(exc).__name__}: {exc} (at {Path(frame.filename).name}:"
                 f"{frame.lineno}); this is a bug in digest: please report it with the output of "
                 f"`digest --debug {ctx.info_name} ...`", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def load_site_config(**overrides: Any) -> Config:
    """Read `digest.toml` from the current folder, apply options, print its warnings."""
    config = load_config(Path.cwd()).with_overrides(**overrides)
    for warning in config.warnings:
        echo(f"warning: {warning}", err=True)
    return config


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """digest: turn news captures into a curated digest site with topics, editions and feeds.

    Settings come from digest.toml in the current folder.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def run() -> None:
    """The `digest` program (and `python -m digest`): `main`, told it owns the process."""
    main(obj={"program": True})


def leave_at_once() -> None:
    """End the program now, skipping the interpreter's teardown, when it owns the process.

    A finished build still holds millions of objects (articles, pages, the collated site) that
    the teardown would free one by one for a process about to end: about 0.2 s at 10,000
    articles, and more the larger the archive. By now every file is committed, the worker pools
    are shut down and nothing waits on exit handlers; only our own output needs flushing. Under a
    test runner (CliRunner) `main` is called without `program`, and returns as usual.
    """
    if click.get_current_context().obj.get("program"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


# `digest ingest` and `digest clean`: where the captures are cleaned (see `ingest.load_captures`)
capture_executor_option = click.option(
    "--executor", metavar="SPEC",
    help="Where captures are cleaned: auto (default: every core from 64 captures on), serial, local[:N] or "
         "dask://HOST:PORT.",
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--content", "content_dir", type=click.Path(path_type=Path), help="Content folder to write (default: from digest.toml, `content`).")
@click.option("--date", "date", callback=parse_day, metavar="YYYY-MM-DD", help="Reference date for relative dates such as 'Today 20:24'.")
@click.option("--source", metavar="NAME", help="Publication name for every article (default: detected from the capture).")
@click.option("--force", is_flag=True, help="Replace articles even when the curator has edited them.")
@capture_executor_option
@report_errors
def ingest(paths: tuple[Path, ...], content_dir: Path | None, date: dt.date | None, source: str | None, force: bool,
           executor: str | None) -> None:
    """Clean captures (.txt dumps, .html pages; files or folders) into content/ articles."""
    from .ingest import IngestOptions
    from .ingest import ingest as run_ingest

    config = load_site_config(content_dir=content_dir)
    with progress_bar() as bar:
        report = run_ingest(paths, config, IngestOptions(date=date, source=source, force=force, progress=bar,
                                                                  executor=executor))
    for note in report.notes:
        echo(f"note: {note}", err=True)
    for outcome in report.outcomes:
        if outcome.status == "kept":
            echo(f"kept {display_path(outcome.path)}: edited by hand, not replaced (use --force to replace it)")
        elif outcome.status != "unchanged":
            echo(f"{outcome.status} {display_path(outcome.path)}")
    echo_errors(report.errors)
    echo(
        f"{report.captures} capture(s): {len(report.outcomes)} article(s), {report.count('new')} new, "
        f"{report.count('updated') + report.count('replaced')} updated, {report.count('unchanged')} unchanged, "
        f"{report.count('kept')} kept; {len(report.errors)} error(s)"
    )
    if report.errors:
        sys.exit(1)


def show_progress() -> bool:
    """A progress bar only for a person watching a terminal, never in pipes or CI."""
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextlib.contextmanager
def progress_bar() -> Iterator[ProgressBar | None]:
    """A progress bar for long ingests and builds when a person watches, else None."""
    bar = ProgressBar() if show_progress() else None
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()


class ProgressBar:
    """Draws build progress on stderr (click's bar), one stage at a time."""

    def __init__(self) -> None:
        self.stage = ""
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = click.progressbar(length=total, label=stage, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder for the cleaned articles.")
@click.option("--date", "date", callback=parse_day, metavar="YYYY-MM-DD", help="Reference date for relative dates.")
@click.option("--source", metavar="NAME", help="Publication name for every article.")
@capture_executor_option
@report_errors
def clean(paths: tuple[Path, ...], out_dir: Path, date: dt.date | None, source: str | None,
          executor: str | None) -> None:
    """Preview what ingest would make of captures, without touching content/.

    Capture X.txt gives OUT/X.md, or OUT/X__1.md, OUT/X__2.md, ... when it holds several articles.
    """
    from .ingest import IngestOptions, preview_captures

    config = load_site_config()
    with progress_bar() as bar:
        report = preview_captures(paths, out_dir, config, IngestOptions(date=date, source=source, progress=bar,
                                                                             executor=executor))
    for note in report.notes:
        echo(f"note: {note}", err=True)
    echo_errors(report.errors)
    echo(f"{report.captures} capture(s): {len(report.outcomes)} article(s) in {display_path(out_dir)}; "
               f"{len(report.errors)} error(s)")
    if report.errors:
        sys.exit(1)


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path), help="Content folder (default: from digest.toml, `content`).")
@click.option("--out", "output_dir", type=click.Path(path_type=Path), help="Output folder (default: from digest.toml, `site`).")
@click.option("--base-url", metavar="URL", help="Public address of the site, used in feeds and canonical links.")
@click.option("--executor", metavar="SPEC", help="Where per-article work runs: auto (default), serial, local[:N] or dask://HOST:PORT.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the build cache (a full, clean build).")
@click.option("--timings", is_flag=True, help="Print how long each stage took.")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index and the search page (faster).")
@report_errors
def build(content_dir: Path | None, output_dir: Path | None, base_url: str | None, executor: str | None,
          no_cache: bool, timings: bool, no_search: bool) -> None:
    """Build the site from content/ into site/."""
    from .executor import collector_paused
    from .scanning import scan_ahead

    config = load_site_config(content_dir=content_dir, output_dir=output_dir, base_url=base_url,
                              search=False if no_search else None)
    scanned = scan_ahead(config.content_dir, executor)  # on the second core, during the import below
    try:
        # its modules make tens of thousands of objects that live as long as the program: collections
        # during the import would walk them all for nothing (the build then freezes them, `heap_frozen`)
        with collector_paused():
            from .build import Builder, BuildOptions

        with progress_bar() as bar:
            # held until `leave_at_once`: freed on return, the builder's articles and site would
            # cost a day's increment at 10,000 articles ~0.08 s for nothing
            builder = Builder(config, BuildOptions(executor=executor, use_cache=not no_cache, progress=bar))
            for attempt in range(BUILD_ATTEMPTS):
                try:
                    # a second attempt walks the folder again: a file changed since the first
                    report = builder.build(scanned=scanned if attempt == 0 else None)
                    break
                except SourceChanged as exc:  # saved while being read: what the curator asks is to build again
                    if attempt == BUILD_ATTEMPTS - 1:
                        raise
                    echo(f"note: {display_path(exc.path)} changed while the site was being built; building again",
                         err=True)
    finally:
        if scanned is not None:
            scanned.cancel()  # a build that failed before it needed the walk (after: nothing to do)
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)
    if timings:
        echo("timings: " + ", ".join(f"{stage} {seconds:.2f}s" for stage, seconds in report.timings.items()), err=True)
    target = display_path(config.output_dir)
    if report.unchanged:
        echo(f"nothing changed since the last build ({report.seconds:.2f}s) -> {target}")
    else:
        echo(
            f"built {report.articles} articles: {report.pages} pages, {report.feeds} feeds "
            f"({report.rendered} rendered, {report.written} files written, {report.removed} removed) "
            f"in {report.seconds:.2f}s -> {target}"
        )
    leave_at_once()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--content", "content_dir", type=click.Path(path_type=Path), help="Content folder (default: from digest.toml, `content`).")
@report_errors
def stamp(paths: tuple[Path, ...], content_dir: Path | None) -> None:
    """Mark corrections: set `updated` on articles whose text changed since the last stamp.

    Run it before each publishing build. PATHS limits it to some content files (default: all).
    """
    from .clock import get_build_time
    from .stamp import stamp_articles

    config = load_site_config(content_dir=content_dir)
    report = stamp_articles(config, get_build_time(), paths or None)
    for outcome in report.outcomes:
        if outcome.status == "corrected":
            click.echo(f"corrected {display_path(outcome.path)}: updated {outcome.values['updated']}")
    for error in report.errors:
        click.echo(str(error), err=True)
    click.echo(
        f"{len(report.outcomes)} article(s): {report.count('corrected')} corrected, "
        f"{report.count('recorded')} recorded, {report.count('unchanged')} unchanged; "
        f"{len(report.errors)} error(s)"
    )
    if report.errors:
        sys.exit(1)


@main.command()
@click.option("--explain", "files", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Show why an article got its topics: matched words, weights, scores (repeatable).")
@report_errors
def topics(files: tuple[Path, ...]) -> None:
    """List the taxonomy, or explain the topics of content files (--explain FILE)."""
    from .content import read_article, read_body
    from .topics import (
        FIELD_WEIGHTS,
        SECOND_MIN_POINTS,
        SECOND_RATIO,
        TopicClassifier,
        article_fields,
    )

    config = load_site_config()
    if not files:
        for topic in config.topics:
            click.echo(f"{topic.slug:14} {topic.name} ({len(topic.keywords)} keywords)")
            if topic.description:
                click.echo(f"{'':14} {topic.description}")
        return
    classifier = TopicClassifier(config.topics)
    names = {topic.slug: topic.name for topic in config.topics}
    errors: list[DigestError] = []
    for number, path in enumerate(files):
        try:
            article, _ = read_article(path, config, classifier, include_drafts=True)
        except DigestError as exc:
            errors.append(exc)
            continue
        except OSError as exc:
            errors.append(SourceError(path, None, f"cannot read the file: {exc.strerror}"))
            continue
        assert article is not None  # drafts are read when asked
        body = read_body(article)
        result = classifier.classify(article_fields(article.title, article.summary, article.tags, body))
        if number:
            click.echo()
        click.echo(f"{display_path(path)}: {article.title}")
        if article.topics_given:
            click.echo(f"  topics: {', '.join(article.topics)} (chosen in the front matter; they win)")
            click.echo(f"  the classifier would choose: {', '.join(result.topics)}")
        elif result.fallback:
            click.echo(f"  topics: {', '.join(result.topics)} (no keyword matched: the taxonomy's first topic)")
        else:
            click.echo("  topics: " + ", ".join(f"{slug} {share:.2f}" for slug, share in result.shares()))
        for rank, score in enumerate(result.scores[:5]):
            chosen = "*" if score.slug in result.topics else " "
            click.echo(f"  {chosen} {score.slug:12} score {score.share:.2f}  ({score.points:.1f} points)  {names.get(score.slug, '')}")
            for match in score.matches[:8]:
                click.echo(
                    f"      {match.keyword!r:24} in {match.field:7} x{match.count:<3} "
                    f"weight {match.weight:.2f} x field {FIELD_WEIGHTS.get(match.field, 1.0):g} -> {match.points:.2f}"
                )
            if len(score.matches) > 8:
                click.echo(f"      ... and {len(score.matches) - 8} more matches")
        if len(result.scores) > 5:
            click.echo(f"    and {len(result.scores) - 5} more topics with a few points")
        click.echo(f"  rule: the best topic, plus up to two more with at least {SECOND_RATIO:.0%} of its points "
                   f"and {SECOND_MIN_POINTS:g} points; score = share of all points")
    if errors:
        raise BuildAborted(errors, "topics")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@report_errors
def serve(host: str, port: int) -> None:
    """Build, then preview the site with live reload on every change."""
    from .serve import serve_site

    serve_site(Path.cwd(), host, port, echo=lambda line: echo(line, err=True))
