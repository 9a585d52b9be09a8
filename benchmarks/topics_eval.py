"""Measure the topic classifier against hand-labelled articles.

Two labelled sets:
  - `tests/fixtures/topics/labelled.yaml`: invented articles (text and labels in the repo);
  - `benchmarks/data/topics_dev_labels.json`: labels for the pages of the extraction dev set
    (`<shared>/extraction-dev`, read at run time: only page ids and topics live in the repo).
    The gold title and body of each page are classified (no summary or tags), which measures
    the classifier apart from the cleaner.
And, with `--corpus DIR`, a synthetic benchmark corpus (`make_corpus.py --format digest`): its
generator labels each article with topics (the first drives the headline) from word lists
written independently of this taxonomy, so it is a check the vocabulary was not tuned on.

First-topic accuracy is reported two ways: strict (the classifier's first topic is the label's
first topic) and lenient (it is one of the label's topics). Topic-set precision and recall
compare all chosen topics with all labelled ones.

    PYTHONPATH=. python benchmarks/topics_eval.py [--config digest.toml] [--shared ../shared]
        [--corpus DIR] [--per-item] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

from digest.config import load_config
from digest.text import first_paragraph, shorten
from digest.topics import TopicClassifier, article_fields

FIXTURES = REPO / "tests" / "fixtures" / "topics" / "labelled.yaml"
DEV_LABELS = REPO / "benchmarks" / "data" / "topics_dev_labels.json"
SUMMARY_LIMIT = 300  # as content.py: a missing summary is the first paragraph, shortened


@dataclass(frozen=True)
class Item:
    id: str
    labels: tuple[str, ...]
    fields: dict[str, str]
    group: str  # which set, and "en"/other language for the dev pages


def read_fixtures(path: Path = FIXTURES) -> list[Item]:
    """The invented labelled articles."""
    items = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        body = entry["body"]
        summary = entry.get("summary") or shorten(first_paragraph(body), SUMMARY_LIMIT)
        fields = article_fields(entry["title"], summary, entry.get("tags", []), body)
        items.append(Item(entry["id"], tuple(entry["topics"]), fields, "fixtures"))
    return items


def read_dev_pages(shared: Path, labels_path: Path = DEV_LABELS) -> list[Item]:
    """The labelled extraction dev pages, their gold text read from the shared folder."""
    data = shared / "extraction-dev"
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    pages: dict[str, dict[str, str]] = {}
    for entry in manifest["items"]:
        if entry["split"] != "dev":
            continue
        gold = json.loads((data / "gold" / f"{entry['id']}.json").read_text(encoding="utf-8"))
        for page, article in zip(entry["pages"], gold["articles"]):
            pages.setdefault(page, article)
    items = []
    for page, label in json.loads(labels_path.read_text(encoding="utf-8"))["labels"].items():
        article = pages[page]
        body = article["body"]
        fields = article_fields(article["title"], shorten(first_paragraph(body), SUMMARY_LIMIT), (), body)
        items.append(Item(page, tuple(label["topics"]), fields, f"dev-{label.get('lang', 'en')}"))
    return items


def read_corpus(root: Path, limit: int = 2000) -> list[Item]:
    """Articles of a generated corpus, their front matter topics taken as labels."""
    from digest.frontmatter import split_document

    items = []
    for path in sorted((root / "content").rglob("*.md"))[:limit]:
        document = split_document(path.read_text(encoding="utf-8"), path)
        meta = document.meta
        fields = article_fields(meta["title"], meta.get("summary", ""), meta.get("tags", []), document.body)
        items.append(Item(path.stem, tuple(meta["topics"]), fields, "corpus"))
    return items


@dataclass
class Tally:
    n: int = 0
    strict: int = 0
    lenient: int = 0
    chosen: int = 0
    labelled: int = 0
    right: int = 0

    def add(self, labels: tuple[str, ...], predicted: tuple[str, ...]) -> None:
        self.n += 1
        self.strict += predicted[:1] == labels[:1]
        self.lenient += bool(predicted) and predicted[0] in labels
        self.chosen += len(predicted)
        self.labelled += len(labels)
        self.right += len(set(predicted) & set(labels))

    def row(self, name: str) -> dict[str, object]:
        def pct(a: int, b: int) -> float:
            return round(100 * a / b, 1) if b else 0.0

        return {
            "set": name, "articles": self.n,
            "first_strict": f"{self.strict}/{self.n} ({pct(self.strict, self.n)}%)",
            "first_lenient": f"{self.lenient}/{self.n} ({pct(self.lenient, self.n)}%)",
            "set_precision": pct(self.right, self.chosen), "set_recall": pct(self.right, self.labelled),
        }


def evaluate(items: Iterable[Item], classifier: TopicClassifier, per_item: bool = False) -> list[dict[str, object]]:
    """Classify every item; return one summary row per set (and print misses with --per-item)."""
    tallies: dict[str, Tally] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    for item in items:
        result = classifier.classify(item.fields)
        groups = [item.group]
        if item.group.startswith("dev-") or item.group == "fixtures":
            groups.append("all-en" if item.group in ("fixtures", "dev-en") else "other-languages")
        for name in groups:
            tallies.setdefault(name, Tally()).add(item.labels, result.topics)
        if result.topics[:1] != item.labels[:1]:
            confusion[(item.labels[0], result.topics[0] if result.topics else "-")] += 1
            if per_item and item.group != "corpus":
                shares = ", ".join(f"{s.slug} {s.share:.2f}" for s in result.scores[:4])
                print(f"  miss {item.group:9} {item.id:18} want {'/'.join(item.labels):28} "
                      f"got {'/'.join(result.topics):28} [{shares}]")
    if per_item and confusion:
        print("  most confused (label -> chosen):", ", ".join(f"{a}->{b} x{n}" for (a, b), n in confusion.most_common(8)))
    order = ["fixtures", "dev-en", "all-en", "other-languages", "corpus"]
    return [tallies[name].row(name) for name in order if name in tallies]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=REPO / "digest.toml", help="taxonomy to test")
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DIGEST_SHARED", REPO.parent / "shared")),
                        help="folder holding extraction-dev (default ../shared or $DIGEST_SHARED)")
    parser.add_argument("--corpus", type=Path, help="also a make_corpus.py --format digest folder (first 2000 files)")
    parser.add_argument("--per-item", action="store_true", help="print every miss")
    parser.add_argument("--json", type=Path, help="also write the summary rows here")
    args = parser.parse_args(argv)
    config = load_config(args.config.parent, args.config)
    classifier = TopicClassifier(config.topics)
    items = read_fixtures()
    if (args.shared / "extraction-dev" / "manifest.json").exists():
        items += read_dev_pages(args.shared)
    else:
        print(f"note: {args.shared}/extraction-dev not found; invented fixtures only", file=sys.stderr)
    if args.corpus:
        items += read_corpus(args.corpus)
    rows = evaluate(items, classifier, args.per_item)
    print(f"{'set':16} {'n':>4}  {'first topic (strict)':>22}  {'first topic (lenient)':>22}  {'set P':>6} {'set R':>6}")
    for row in rows:
        print(f"{row['set']:16} {row['articles']:>4}  {row['first_strict']:>22}  {row['first_lenient']:>22}  "
              f"{row['set_precision']:>6} {row['set_recall']:>6}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
