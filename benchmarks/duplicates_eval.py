"""Measure near-duplicate detection on the extraction dev set: 57 pages, each captured three ways.

Every page of `<shared>/extraction-dev` was captured with Chromium, w3m and lynx, so each page
should come out as one article with two duplicates, and no two different pages should be joined.
Texts are fed to `digest.duplicates.DuplicateIndex` in a fixed order, the way ingest does
(`find` against what came before, then `add`); a text found to duplicate an earlier one is
joined to it. Pair precision and recall count pairs of texts from the same page.

Text sources (`--text`):
  cleaned  the cleaner's articles (`digest.cleaning.clean_text`; needs the cleaner installed)
  raw      the whole capture, menus and all (a harder test than ingest faces)
  gold     the gold article bodies (identical across captures: a sanity check)

    PYTHONPATH=. python benchmarks/duplicates_eval.py [--text cleaned|raw|gold] [--single] [--shared DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from digest.duplicates import DuplicateIndex, compare, shingle


@dataclass(frozen=True)
class Text:
    key: str  # input id and article number
    page: str  # the page it came from (the truth)
    renderer: str
    text: str


def read_texts(data: Path, source: str, single: bool = False) -> list[Text]:
    """Every dev input as texts with their true page."""
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    texts: list[Text] = []
    items = [i for i in manifest["items"] if i["split"] == "dev" and (i["kind"] == "single" or not single)]
    for item in sorted(items, key=lambda i: i["id"]):
        gold = json.loads((data / "gold" / f"{item['id']}.json").read_text(encoding="utf-8"))
        golds = {page: shingle(article["body"]) for page, article in zip(item["pages"], gold["articles"])}
        if source == "gold":
            for page, article in zip(item["pages"], gold["articles"]):
                texts.append(Text(f"{item['id']}:{page}", page, item["renderer"], article["body"]))
            continue
        raw = (data / "inputs" / "dev" / f"{item['id']}.txt").read_bytes()
        if source == "raw":
            if item["kind"] == "single":
                texts.append(Text(item["id"], item["pages"][0], item["renderer"], raw.decode("utf-8", "replace")))
            continue
        import datetime as dt

        from digest.cleaning import DateReference, clean_text, decode_capture

        capture = clean_text(decode_capture(raw), DateReference(tz=dt.UTC))
        for number, article in enumerate(capture.articles, start=1):
            sets = shingle(article.body)
            # which page of the input this article is: the gold body it overlaps most
            page = max(golds, key=lambda p: compare(sets, golds[p]).containment)
            texts.append(Text(f"{item['id']}#{number}", page, item["renderer"], article.body))
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text", choices=("cleaned", "raw", "gold"), default="cleaned")
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("DIGEST_SHARED", REPO.parent / "shared")))
    parser.add_argument("--single", action="store_true",
                        help="only inputs holding one article (leave out the 5 pasted multi-article inputs)")
    parser.add_argument("--per-item", action="store_true", help="print every wrong join and every miss")
    args = parser.parse_args(argv)
    texts = read_texts(args.shared / "extraction-dev", args.text, args.single)
    started = time.perf_counter()
    index = DuplicateIndex()
    root: dict[str, str] = {}
    by_key = {t.key: t for t in texts}
    for text in texts:
        found = index.find(text.text)
        root[text.key] = root[found.key] if found else text.key
        index.add(text.key, text.text, eligible=found is None)
        if found and args.per_item and by_key[found.key].page != text.page:
            print(f"  wrong join {text.key} -> {found.key} {found.similarity}")
    seconds = time.perf_counter() - started
    same_page = same_group = both = 0
    for a, b in itertools.combinations(texts, 2):
        page, group = a.page == b.page, root[a.key] == root[b.key]
        same_page += page
        same_group += group
        both += page and group
    pages = {t.page for t in texts}
    groups = {root[t.key] for t in texts}
    split = [p for p in sorted(pages) if len({root[t.key] for t in texts if t.page == p}) > 1]
    if args.per_item:
        for page in split:
            print(f"  page {page} split over {sorted({root[t.key] for t in texts if t.page == page})}")
    print(f"texts: {len(texts)} ({args.text}) from {len(pages)} pages -> {len(groups)} articles after joining "
          f"duplicates; pages split in two or more: {len(split)}")
    print(f"duplicate pairs: precision {both / same_group if same_group else 1:.3f} ({both}/{same_group}), "
          f"recall {both / same_page if same_page else 1:.3f} ({both}/{same_page})")
    print(f"time: {seconds * 1000:.0f} ms for {len(texts)} texts ({seconds / len(texts) * 1000:.2f} ms each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
