"""Finish a capture: resolve every article's date and gather the notes."""

from __future__ import annotations

from digest.cleaning.article import Parts
from digest.cleaning.dates import find_stamps, latest_stamp, resolve_published
from digest.cleaning.model import CleanedArticle, CleanedCapture, DateReference


def finish_capture(parts: list[Parts], text: str, reference: DateReference) -> CleanedCapture:
    """Resolve dates across the capture's articles and build the result."""
    evidence = [part.evidence for part in parts]
    # The whole capture is searched for dates only when a rule needs its latest one.
    needs_latest = reference.option is None and any(item.stamp is None for item in evidence)
    capture_latest = latest_stamp(find_stamps(text), reference.file_time) if needs_latest else None
    dated = resolve_published(evidence, capture_latest, reference)
    sources = {part.source for part in parts if part.source}
    articles = tuple(
        CleanedArticle(
            title=part.title,
            body=part.body,
            published=published,
            date_source=date_source,
            summary=part.summary,
            author=part.author,
            source=part.source,
            image_caption=part.image_caption,
            image_credit=part.image_credit,
            tags=part.tags,
            language=part.language,
        )
        for part, (published, date_source) in zip(parts, dated)
    )
    notes: list[str] = []
    if len(articles) > 1:
        notes.append(f"{len(articles)} articles found in one capture")
    untitled = sum(1 for article in articles if not article.title)
    if untitled:
        notes.append(f"{untitled} article(s) without a recognisable headline")
    source = sources.pop() if len(sources) == 1 else None
    return CleanedCapture(articles=articles, source=source, notes=tuple(notes))
