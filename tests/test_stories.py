"""Stories: articles about one event within a few days, on the edition and article pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from digest.build import build_site, load_site
from digest.config import load_config
from digest.curation import curate, curate_apart
from digest.executor import run_apart
from digest.models import Article
from digest.stories import STORY_DAYS, story_id
from digest.terms import find_names

from .conftest import FIXTURES

START = dt.datetime(2026, 2, 8, 9, 0, tzinfo=dt.UTC)
QUAKE = ("Earthquake near Port Areth kills dozens", ("A magnitude 6.4 earthquake struck near Port Areth in "
         "Valdora on Sunday, collapsing houses in Kelmsford and Tolvik; rescuers from the Red Crescent searched "
         "the rubble."))
QUAKE_2 = ("Valdora quake: rescuers search rubble in Kelmsford", ("Rescuers from the Red Crescent dug through "
           "collapsed houses in Kelmsford and Tolvik after the earthquake near Port Areth in Valdora."))
OTHER = [
    ("Central bank raises interest rates", "The Ostrevia central bank raised its main rate to curb inflation."),
    ("Harbury win the cup final", "A late header gave Harbury the cup against Castellan United."),
    ("Parliament passes forest law", "Lawmakers in Belmara banned logging in old-growth forests."),
]


def make_article(number: int, title: str, summary: str, hours: float = 0.0, source: str = "Wire") -> Article:
    date = START + dt.timedelta(hours=hours)
    return Article(
        path=f"content/{number}.md", rel_path=f"{number}.md", slug=f"a{number}", title=title, date=date,
        updated=date, day=date.date(), id=f"id-{number}", summary=summary, body_hash="", body_line=1,
        topics=("disaster",), topics_given=True, source=source, names=find_names(summary, ""),
    )


def corpus(*extra: Article) -> list[Article]:
    """Background articles (so that inverse document frequencies mean something) plus `extra`."""
    articles = [make_article(100 + i, title, summary, hours=-24 * (i + 5)) for i, (title, summary) in enumerate(OTHER)]
    return sorted([*articles, *extra], key=lambda a: a.sort_key)


def test_reports_of_one_event_within_days_form_a_story() -> None:
    first = make_article(1, *QUAKE, source="Meridian Wire")
    second = make_article(2, *QUAKE_2, hours=30, source="Coastal Times")
    curation = curate(corpus(first, second))
    assert [story.members for story in curation.stories] == [("id-1", "id-2")]
    story = curation.stories[0]
    assert story.id == story_id("id-1") == curation.story_of["id-2"].id
    assert re.fullmatch(r"story-[0-9a-f]{12}", story.id)
    assert "id-2" not in curation.related.get("id-1", ())  # shown as the story, not again as related


def test_a_site_of_two_reports_is_one_story() -> None:
    """Terms both articles hold still count (smoothed inverse document frequency)."""
    articles = sorted([make_article(1, *QUAKE), make_article(2, *QUAKE_2, hours=2)], key=lambda a: a.sort_key)
    assert [story.members for story in curate(articles).stories] == [("id-1", "id-2")]
    assert curate(articles[:1]).stories == [] and curate([]).stories == []


def test_the_same_words_weeks_apart_are_related_not_one_story() -> None:
    first = make_article(1, *QUAKE)
    later = make_article(2, *QUAKE_2, hours=24 * 20)
    curation = curate(corpus(first, later))
    assert curation.stories == []
    assert curation.related["id-2"] == ("id-1",) and "id-1" not in curation.related  # earlier coverage only


def test_a_story_spans_a_few_days_from_its_first_article() -> None:
    # each report is close to the previous one, but the fourth is too far from the first
    step = STORY_DAYS * 24 / 2 + 1
    reports = [make_article(i, *(QUAKE if i % 2 else QUAKE_2), hours=step * i) for i in range(4)]
    curation = curate(corpus(*reports))
    assert [story.members for story in curation.stories] == [("id-0", "id-1"), ("id-2", "id-3")]


def test_stories_do_not_depend_on_input_order_or_hash_seed() -> None:
    articles = corpus(make_article(1, *QUAKE), make_article(2, *QUAKE_2, hours=5), make_article(3, *QUAKE, hours=9))
    first = curate(articles)
    again = curate(list(articles))
    assert first.stories == again.stories and first.related == again.related
    assert [story.members for story in first.stories] == [("id-1", "id-2", "id-3")]


def stories_root(tmp_path: Path) -> Path:
    root = tmp_path / "stories"
    shutil.copytree(FIXTURES / "site-stories", root)
    return root


def test_seed_fixture_stories(tmp_path: Path) -> None:
    site, warnings = load_site(load_config(stories_root(tmp_path)))
    assert warnings == []
    titles = {a.id: a.title for a in site.articles}
    found = [[titles[i] for i in story.members] for story in site.curation.stories]
    assert found == [
        ["Factory Explosion Kills 8 in Northern China", "Death toll in Shanxi biotech plant blast rises to eight"],
        ["Russia: Man Suspected of Shooting Top General Detained in Dubai",
         "Suspect in attack on GRU general handed over to Moscow after Dubai arrest"],
    ]


def test_edition_shows_one_card_per_story_and_article_pages_link_the_others(tmp_path: Path) -> None:
    root = stories_root(tmp_path)
    out = tmp_path / "out"
    build_site(load_config(root).with_overrides(output_dir=str(out)))
    edition = (out / "2026/02/08/index.html").read_text()
    assert edition.count('class="card-title"><a href="/2026/02/08/russia-man-suspected') == 1
    assert "/2026/02/08/suspect-in-attack-on-gru-general-handed-to-moscow/" not in edition.split("card-also")[0]
    also = re.search(r'<p class="card-also">Also reported by (.*?)</p>', edition)
    assert also is not None
    assert also.group(1) == ('<a href="/2026/02/08/suspect-in-attack-on-gru-general-handed-to-moscow/" '
                             'title="Suspect in attack on GRU general handed over to Moscow after Dubai arrest">'
                             'Meridian Wire</a>')
    assert "5 articles" in edition  # every article counts, story or not; the wire copy is folded away
    page = (out / "2026/02/08/suspect-in-attack-on-gru-general-handed-to-moscow/index.html").read_text()
    story = page.split('id="story-heading"')[1].split("</section>")[0]
    assert "/2026/02/08/russia-man-suspected-of-shooting-top-general-detained-in-dubai/" in story
    other = (out / "2026/02/08/russia-man-suspected-of-shooting-top-general-detained-in-dubai/index.html").read_text()
    assert "/2026/02/08/suspect-in-attack-on-gru-general-handed-to-moscow/" in other.split('id="story-heading"')[1]
    # the factory story crosses midnight: each day's edition keeps its own card, the pages link
    factory = (out / "2026/02/09/death-toll-in-shanxi-biotech-plant-blast-rises/index.html").read_text()
    assert "/2026/02/08/factory-explosion-kills-8-in-northern-china/" in factory.split('id="story-heading"')[1]


def test_incremental_builds_follow_stories_related_and_copies(tmp_path: Path) -> None:
    """Curation changes pages of other articles: an incremental build must still equal a clean one."""
    from digest.build import BuildOptions

    from .conftest import tree_bytes

    root = stories_root(tmp_path)
    config = load_config(root)

    def build(out: str, cache: bool = True) -> dict[str, bytes]:
        build_site(config.with_overrides(output_dir=out), BuildOptions(use_cache=cache, executor="serial"))
        return tree_bytes(root / out)

    build("site")
    # a third outlet reports the Dubai arrest a day later: it joins the story of the 8th
    (root / "content/2026/02/09/dubai-hands-over-suspect.md").write_text(
        "---\ntitle: Dubai hands suspect in GRU general shooting to Russia\ndate: 2026-02-09T08:00:00+00:00\n"
        "source: Capital Bulletin\nsummary: The FSB says Lyubomir Korba, suspected of shooting Lieutenant "
        "General Vladimir Alexeyev in Moscow, was detained in Dubai.\n---\n\nThe FSB named Lyubomir Korba.\n")
    incremental = build("site")
    assert incremental == build("clean", cache=False)
    page = incremental["2026/02/08/russia-man-suspected-of-shooting-top-general-detained-in-dubai/index.html"]
    assert b"/2026/02/09/dubai-hands-over-suspect/" in page
    # the wire copy's duplicate_of no longer names its original: it is published on its own
    copy = root / "content/2026/02/08/iran-says-it-will-never-surrender-right-to-enrich.md"
    copy.write_text(copy.read_text().replace("duplicate_of: urn:uuid:0c8f", "duplicate_of: urn:uuid:ffff"))
    incremental = build("site")
    assert incremental == build("clean", cache=False)
    assert b"also-published" not in incremental[
        "2026/02/08/iran-warns-will-not-give-up-enrichment-despite-us-war-threat/index.html"]


def test_the_preview_quick_path_stands_aside_when_curation_would_change(tmp_path: Path) -> None:
    """A text edit re-renders one page only if no story, related list or story card can move."""
    from digest.build import Builder, BuildOptions

    from .conftest import tree_bytes

    root = stories_root(tmp_path)
    config = load_config(root).with_overrides(output_dir="site")
    builder = Builder(config, BuildOptions(executor="serial"))
    builder.build(prime=True)
    russia = root / "content/2026/02/08/russia-man-suspected-of-shooting-top-general-detained-in-dubai.md"
    suspect = root / "content/2026/02/08/suspect-in-attack-on-gru-general-handed-to-moscow.md"
    text = russia.read_text()

    # the end of the body: nothing curation reads; the quick path serves it, and it equals a clean build
    russia.write_text(text.replace("on security-related aspects", "on the security aspects"))
    assert builder.quick_update({russia}) is not None
    builder.flush()
    clean = tmp_path / "clean"
    build_site(config.with_overrides(output_dir=str(clean)), BuildOptions(use_cache=False, executor="serial"))
    assert tree_bytes(root / "site") == tree_bytes(clean)

    # tags feed related coverage: a full build is needed
    russia.write_text(text.replace("source: Asharq Al-Awsat", "source: Asharq Al-Awsat\ntags: [GRU]"))
    assert builder.quick_update({russia}) is None
    russia.write_text(text)
    builder.build(prime=True)
    # the second report (91 words) grows past the first (151), staying under the day's lead (158)
    # and within the same reading time: it would now front the story's card on the edition
    suspect.write_text(suspect.read_text().rstrip("\n") + " Later." * 62 + "\n")
    assert builder.quick_update({suspect}) is None


def test_curating_apart_gives_the_same_result_with_this_process_articles() -> None:
    """A large archive is curated in a forked child (its working memory dies there): same result."""
    articles = corpus(make_article(1, *QUAKE), make_article(2, *QUAKE_2, hours=5),
                      make_article(3, *QUAKE_2, hours=24 * 20))
    here, apart = curate(articles), curate_apart(articles, apart_from=0)
    assert apart == here
    assert all(a is b for a, b in zip(apart.articles, here.articles))  # not copies sent back


def test_work_run_apart_comes_back_and_so_do_its_errors() -> None:
    assert run_apart(lambda: [n * n for n in range(4)]) == [0, 1, 4, 9]

    def fail() -> None:
        raise ValueError("from the child")

    with pytest.raises(ValueError, match="from the child"):
        run_apart(fail)


def test_the_editions_feed_key_follows_the_story_cards(tmp_path: Path) -> None:
    """A story can gather a day's articles on one card when another day's article arrives: the
    day's articles stay the same, so the editions feed's key must follow the cards, or the feed
    would be kept while its entry's headlines changed."""
    from dataclasses import replace

    from digest.feeds.entries import plan_feed_specs

    site, _ = load_site(load_config(stories_root(tmp_path)))
    spec = next(spec for spec in plan_feed_specs(site) if spec.editions)
    carded = next(index for index, edition in enumerate(spec.editions) if edition.also)
    uncarded = replace(spec.editions[carded], also={})
    editions = (*spec.editions[:carded], uncarded, *spec.editions[carded + 1:])
    assert replace(spec, editions=editions).key() != spec.key()
