"""Run the cleaner over the extraction dev set and write what the scorer reads.

    PYTHONPATH=. python benchmarks/clean_eval.py --out /tmp/clean-out
    python3 ../shared/extraction-dev/score.py --data ../shared/extraction-dev \
        --pred /tmp/clean-out --split dev

For capture X.txt it writes X.md (one article) or X__1.md, X__2.md, ... (several):
YAML front matter with the title, then the Markdown body.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import yaml

from digest.cleaning import DateReference, clean_text, decode_capture


def default_data_dir() -> Path:
    """The shared dev set: $DIGEST_SHARED/extraction-dev or ../shared next to the repo."""
    shared = os.environ.get("DIGEST_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[1] / ".." / "shared"
    return base / "extraction-dev"


def write_outputs(data: Path, out: Path, split: str = "dev") -> int:
    """Clean every capture of `split` into `out`; return how many captures were read."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.md"):
        old.unlink()
    reference = DateReference(tz=dt.UTC)
    captures = sorted((data / "inputs" / split).glob("*.txt"))
    for path in captures:
        result = clean_text(decode_capture(path.read_bytes()), reference)
        articles = result.articles
        for index, article in enumerate(articles, start=1):
            name = f"{path.stem}.md" if len(articles) == 1 else f"{path.stem}__{index}.md"
            front = yaml.safe_dump({"title": article.title}, allow_unicode=True, sort_keys=False)
            (out / name).write_text(f"---\n{front}---\n\n{article.body}\n", encoding="utf-8")
    return len(captures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--split", default="dev")
    args = parser.parse_args(argv)
    if not (args.data / "inputs" / args.split).is_dir():
        print(f"no captures under {args.data / 'inputs' / args.split}", file=sys.stderr)
        return 2
    count = write_outputs(args.data, args.out, args.split)
    print(f"cleaned {count} captures into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
