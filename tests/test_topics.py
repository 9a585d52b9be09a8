"""The topic classifier, the default taxonomy, topic scores in content, and `digest topics`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from digest import topics
from digest.config import Topic, load_config, load_default_topics
from digest.content import read_articles
from digest.text import first_paragraph, shorten
from digest.topics import TopicClassifier, article_fields, fold_word, tokenize

from .conftest import FIXTURES

BENCHMARK_SLUGS = {"politics", "conflict", "economy", "energy", "technology", "health", "science",
                   "environment", "sport", "culture", "disaster", "diplomacy"}
TOPICS = [
    Topic("politics", "Politics", keywords=("election", "minister", "parliament")),
    Topic("disaster", "Disasters", keywords=("storm", "flood", "evacuation", "storm surge")),
    Topic("economy", "Economy", keywords=("market", "prices", "port")),
    Topic("weather", "Weather", keywords=("storm", "rain")),
]


def fields(title: str = "", summary: str = "", body: str = "", tags: tuple[str, ...] = ()) -> dict[str, str]:
    return article_fields(title, summary, tags, body)


def test_words_fold_case_possessives_and_plurals() -> None:
    assert [fold_word(w) for w in ("Elections", "parties", "Turkey's", "crisis", "virus", "gas", "boxes")] == [
        "election", "party", "turkey", "crisis", "virus", "gas", "boxe"]
    assert tokenize("The U.S. S-400 deal, Erdogan\u2019s plan") == ["the", "u.s", "s-400", "deal", "erdogan", "plan"]
    assert tokenize("R&D -- rock'n'roll... e.g. A.I.") == ["r&d", "rock'n'roll", "e.g", "a.i"]


def test_the_fold_cache_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topics, "FOLD_CACHE_SIZE", 3)
    cache = topics.fold_cache()
    assert [cache[word] for word in ("Elections", "parties", "gas", "boxes", "Elections")] == [
        "election", "party", "gas", "boxe", "election"]
    assert len(cache) <= 3


def test_title_outweighs_body_and_scores_are_shares() -> None:
    classifier = TopicClassifier(TOPICS)
    result = classifier.classify(fields(title="Parliament votes", body="Market prices rose at the market."))
    assert result.topics[0] == "politics"
    by_slug = {score.slug: score for score in result.scores}
    assert by_slug["politics"].points == 3.0  # title weight 3 x keyword weight 1
    # "market" twice in the body: 1 + ln 2; "prices" once
    assert by_slug["economy"].points == pytest.approx(1 + 0.6931 + 1, abs=1e-3)
    assert sum(score.share for score in result.scores) == pytest.approx(1.0)


def test_shared_keywords_split_their_weight_and_phrases_weigh_more() -> None:
    classifier = TopicClassifier(TOPICS)
    result = classifier.classify(fields(title="Storm surge floods the coast"))
    by_slug = {score.slug: score for score in result.scores}
    storm = {m.keyword: m for m in by_slug["disaster"].matches}
    assert storm["storm"].weight == 0.5  # listed under disaster and weather
    assert storm["storm surge"].weight == 1.5  # two words
    assert storm["flood"].points == 3.0  # "floods" folded to "flood"
    assert result.topics == ("disaster",)  # weather (1.5 points) stays under half of 7.5


def test_further_topics_need_half_the_best_and_some_evidence() -> None:
    classifier = TopicClassifier(TOPICS)
    # disaster 1.5 + 3 + 2 + 1 = 7.5; economy 3 + 2 + 2 = 7; weather 1.5 + 1 = 2.5 (< 7.5 / 2)
    two = classifier.classify(fields(title="Storm floods the port", summary="Evacuation as the storm hits market prices."))
    assert two.topics == ("disaster", "economy")
    weak = classifier.classify(fields(body="The minister watched the rain."))
    assert weak.topics == ("politics",)  # weather has half the points but under 3 points


def test_no_match_falls_back_to_the_first_topic_without_scores() -> None:
    result = TopicClassifier(TOPICS).classify(fields(title="Nothing here", body="At all."))
    assert result.topics == ("politics",) and result.fallback and result.scores == ()
    assert result.shares() == (("politics", 0.0),)


def test_default_taxonomy_follows_iptc_and_keeps_the_benchmark_slugs() -> None:
    topics = load_default_topics()
    slugs = {topic.slug for topic in topics}
    assert BENCHMARK_SLUGS <= slugs
    assert {"crime", "society", "education", "labour", "religion", "lifestyle", "weather"} <= slugs
    for topic in topics:
        assert topic.name and topic.description and len(topic.keywords) >= 25, topic.slug
        assert all(tokenize(keyword) for keyword in topic.keywords), topic.slug


def test_accuracy_on_the_invented_labelled_articles() -> None:
    """First-topic accuracy floor on tests/fixtures/topics/labelled.yaml (see benchmarks/topics_eval.py)."""
    classifier = TopicClassifier(load_default_topics())
    entries = yaml.safe_load((FIXTURES / "topics" / "labelled.yaml").read_text(encoding="utf-8"))
    assert len(entries) >= 50
    right = 0
    for entry in entries:
        summary = entry.get("summary") or shorten(first_paragraph(entry["body"]), 300)
        result = classifier.classify(article_fields(entry["title"], summary, entry.get("tags", []), entry["body"]))
        right += result.topics[0] == entry["topics"][0]
    assert right / len(entries) >= 0.9


STORM = """
---
title: Storm closes the port
date: 2026-02-08T09:30:00+00:00
{extra}
---

The storm forced an evacuation of the harbour on Sunday.
"""


def test_front_matter_topics_win_and_keep_their_written_scores(make_site: Callable[..., Path]) -> None:
    config = "".join(
        f'[[topics]]\nslug = "{t.slug}"\nname = "{t.name}"\nkeywords = {list(t.keywords)!r}\n' for t in TOPICS
    ).replace("'", '"')
    root = make_site({
        "a/given.md": STORM.format(extra="topics: [politics]\ntopic_scores: {politics: 0.4, disaster: 0.5}"),
        "a/computed.md": STORM.format(extra=""),
    }, config=config)
    loaded = read_articles(load_config(root))
    assert loaded.errors == []
    by_slug = {a.slug: a for a in loaded.articles}
    given = by_slug["given"]
    assert (given.topics, given.topics_given, given.topic_scores) == (("politics",), True, (("politics", 0.4),))
    computed = by_slug["computed"]
    assert computed.topics[0] == "disaster" and not computed.topics_given
    assert [slug for slug, _ in computed.topic_scores] == list(computed.topics)
    assert all(0 < score <= 1 for _, score in computed.topic_scores)


def test_bad_topic_scores_name_the_line(make_site: Callable[..., Path]) -> None:
    root = make_site({"a/bad.md": STORM.format(extra="topics: [disaster]\ntopic_scores: [0.5]")})
    loaded = read_articles(load_config(root))
    assert [str(e).split("content/", 1)[1] for e in loaded.errors] == [
        ("a/bad.md:5: `topic_scores` must map topics to numbers from 0 to 1, "
        "e.g. `topic_scores: {politics: 0.62}` (or remove it)")
    ]


def stories_site(tmp_path: Path) -> Path:
    root = tmp_path / "stories"
    shutil.copytree(FIXTURES / "site-stories", root)
    return root


def test_topics_lists_the_taxonomy(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli(stories_site(tmp_path), "topics")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("politics       Politics (")
    assert any(line.startswith("labour         Labour (") for line in lines)


def test_explain_shows_matches_weights_and_scores(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = stories_site(tmp_path)
    article = "content/2026/02/08/harbury-stun-league-leaders-to-reach-cup-final.md"
    given = "content/2026/02/08/iran-warns-will-not-give-up-enrichment-despite-us-war-threat.md"
    (root / given).write_text((root / given).read_text().replace("source:", "topics: [diplomacy]\nsource:", 1))
    result = cli(root, "topics", "--explain", article, "--explain", given)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{article}: Harbury stun league leaders to reach the cup final"
    assert lines[1] == "  topics: sport 1.00"
    assert lines[2].startswith("  * sport        score 1.00  (")
    assert lines[3] == "      'cup final'              in title   x1   weight 1.50 x field 3 -> 4.50"
    assert "  topics: diplomacy (chosen in the front matter; they win)" in lines
    assert any(line.startswith("  the classifier would choose: conflict") for line in lines)


def test_explain_reports_unreadable_files(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = stories_site(tmp_path)
    (root / "content/bad.md").write_text("---\ntitle: T\n---\nNo date.\n")
    result = cli(root, "topics", "--explain", "content/bad.md", "--explain", "missing.md")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/bad.md:1: `date` is missing; add e.g. `date: 2026-02-08T09:30:00+00:00`",
        "missing.md: cannot read the file: No such file or directory",
        "topics failed: 2 errors",
    ]
