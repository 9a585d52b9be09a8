"""The reading experience as built HTML: editions, articles, topics, months, navigation."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html as lxml_html

from digest.build import build_site
from digest.pages import topic_chart_key

from .conftest import FIXTURES, config_for

TOPICS = """
    [[topics]]
    slug = "politics"
    name = "Politics"
    [[topics]]
    slug = "economy"
    name = "Economy"
"""


def article(title: str, date: str, topics: str = "", extra: str = "", body: str = "Some text.") -> str:
    topic_line = f"topics: [{topics}]" if topics else ""
    return f"---\ntitle: {title}\ndate: {date}\n{topic_line}\n{extra}\n---\n\n{body}\n"


def page(out: Path, rel: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((out / rel).read_bytes())


def texts(root: lxml_html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in root.xpath(xpath)]


@pytest.fixture(scope="module")
def fixture_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages") / "site-basic"
    shutil.copytree(FIXTURES / "site-basic", root)
    out = root.parent / "out"
    build_site(config_for(root, output_dir=str(out), search=False))
    return out


def test_home_leads_with_the_lead_story_then_one_section_per_topic(
    make_site: Callable[..., Path], tmp_path: Path,
) -> None:
    long_body = " ".join(["word"] * 400)
    root = make_site({
        "2026/03/02/lead.md": article("The big story", "2026-03-02T08:00:00Z", "economy", body=long_body),
        "2026/03/02/vote.md": article("A vote", "2026-03-02T09:00:00Z", "politics", "source: Daily Paper"),
        "2026/03/02/bank.md": article("A bank", "2026-03-02T10:00:00Z", "economy"),
        "2026/03/01/older.md": article("Yesterday", "2026-03-01T10:00:00Z", "politics"),
    }, config=TOPICS)
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out), search=False))
    home = page(out, "index.html")
    assert texts(home, "//h1") == ["Monday 2 March 2026"]
    assert texts(home, "//main/section[1]//h3") == ["The big story"]  # the lead comes first
    assert texts(home, "//section[@class='topic-section']/h2") == ["Politics", "Economy"]
    assert texts(home, "//nav[@class='contents']//li") == ["Politics 1", "Economy 1"]
    assert home.xpath("//nav[@class='contents']//a/@href") == ["#topic-politics", "#topic-economy"]
    assert texts(home, "//*[@id='topic-politics']//p[@class='card-meta']") == ["Daily Paper · 09:00 · 1 min read"]
    assert texts(home, "//*[@id='topic-politics']//p[@class='card-summary']") == ["Some text."]
    assert texts(home, "//main//a[@rel='prev']") == ["Previous edition Sunday 1 March 2026"]
    assert home.xpath("//main//a[@rel='next']") == []
    assert texts(home, "//a[@class='pager-up']") == ["March 2026"]
    assert home.xpath("//nav[@aria-label='Main']//a[@aria-current='page']/text()") == ["Today"]

    older = page(out, "2026/03/01/index.html")
    assert texts(older, "//main//a[@rel='next']") == ["Next edition Monday 2 March 2026"]
    month = page(out, "2026/03/index.html")
    assert texts(month, "//ol[@class='edition-list']/li") == [
        "Monday 2 March 2026 3 articles. Lead story: The big story",
        "Sunday 1 March 2026 1 article. Lead story: Yesterday",
    ]


def test_article_page_has_everything_a_reader_expects(fixture_out: Path) -> None:
    story = page(fixture_out, "2026/02/08/storm-closes-port/index.html")
    assert texts(story, "//article[@class='story']//p[@class='kicker']//a") == ["Disasters", "Economy"]
    assert texts(story, "//p[@class='byline']") == [
        "By Jane Doe · Coastal Times · Sunday 8 February 2026, 09:30 · 1 min read"
    ]
    assert story.xpath("//p[@class='byline']/time/@datetime") == ["2026-02-08T09:30:00+00:00"]
    assert texts(story, "//figcaption") == ["Image: Waves break over the harbour wall. Photo by A. Person / Agency"]
    assert texts(story, "//p[@class='standfirst']") == ["A winter storm closed the northern port for two days."]
    assert texts(story, "//p[@class='tags']") == ["Tags: storms, shipping"]
    assert texts(story, "//p[@class='attribution']") == ["First published by Coastal Times, written by Jane Doe."]
    assert texts(story, "//nav[@aria-label='This edition']/a") == [
        "Previous in this edition Minister resigns after election defeat",
        "Next in this edition <script>alert('x')</script> & {{ site.title }}",
    ]
    assert story.xpath("//article[@class='story']/@data-pagefind-body") == [""]


def test_source_url_links_to_the_original(make_site: Callable[..., Path], tmp_path: Path) -> None:
    root = make_site({"2026/03/02/a.md": article(
        "Linked", "2026-03-02T08:00:00Z", extra="source: The Wire\nsource_url: https://wire.example/story?id=1&x=2",
    )})
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out), search=False))
    story = page(out, "2026/03/02/a/index.html")
    (link,) = story.xpath("//p[@class='attribution']/a")
    assert link.get("href") == "https://wire.example/story?id=1&x=2"
    assert link.text_content() == "The Wire" and link.get("rel") == "nofollow noopener"


def test_earlier_coverage_cards_carry_their_date(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """Earlier articles may be from any day before: their cards say which."""
    body = "Dredging of the Avel harbour channel resumed as the Avel port authority cleared silt."
    root = make_site({
        "2026/03/02/dredging.md": article("Avel harbour dredging resumes", "2026-03-02T08:00:00Z", body=body),
        "2026/02/20/silt.md": article("Silt closes Avel harbour channel", "2026-02-20T16:30:00Z",
                                      body="Silt closed the Avel harbour channel; the port authority plans dredging."),
        "2026/02/21/other.md": article("Orchestra tours the north", "2026-02-21T10:00:00Z",
                                       body="The orchestra begins a winter tour of northern concert halls."),
    })
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out), search=False))
    story = page(out, "2026/03/02/dredging/index.html")
    related = story.xpath("//section[@class='related' or @class='same-story']")
    assert related, "the silt article should be related coverage or the same story"
    assert texts(related[0], ".//h3") == ["Silt closes Avel harbour channel"]
    assert texts(related[0], ".//time") == ["Friday 20 February 2026, 16:30"]


def test_topic_month_pages_keep_their_numbers_when_new_days_arrive(
    make_site: Callable[..., Path], tmp_path: Path,
) -> None:
    files = {f"2026/01/{n:02d}/a{n}.md": article(f"January {n}", f"2026-01-{n:02d}T10:00:00Z", "economy")
             for n in range(1, 6)}
    root = make_site(files, config="items_per_page = 2\n" + TOPICS)
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out), search=False))

    def listed(rel: str) -> list[str]:
        return texts(page(out, rel), "//main//h3")

    before = {rel: listed(rel) for rel in (
        "topics/economy/2026/01/index.html", "topics/economy/2026/01/page/2/index.html",
        "topics/economy/2026/01/page/3/index.html",
    )}
    assert before["topics/economy/2026/01/index.html"] == ["January 5", "January 4"]
    assert before["topics/economy/2026/01/page/3/index.html"] == ["January 1"]
    for n in range(1, 4):
        (root / f"content/2026/02/0{n}").mkdir(parents=True)
        (root / f"content/2026/02/0{n}/b{n}.md").write_text(
            article(f"February {n}", f"2026-02-0{n}T10:00:00Z", "economy"))
    build_site(config_for(root, output_dir=str(out), search=False))
    assert {rel: listed(rel) for rel in before} == before
    assert listed("topics/economy/index.html") == ["February 3", "February 2"]
    topic = page(out, "topics/economy/index.html")
    assert texts(topic, "//nav[@class='months']//li") == [
        "Latest", "February 2026 3 articles", "January 2026 5 articles",
    ]
    assert texts(topic, "//p[@class='subscribe']/a") == ["RSS", "Atom", "JSON Feed"]
    assert topic.xpath("//p[@class='subscribe']/a/@href") == [
        "http://127.0.0.1:8000/topics/economy/feed.xml", "http://127.0.0.1:8000/topics/economy/atom.xml",
        "http://127.0.0.1:8000/topics/economy/feed.json",
    ]
    # a month page links its neighbours, not every month with a count: a new article in
    # February leaves January's pages byte for byte as they were
    january = page(out, "topics/economy/2026/01/index.html")
    assert texts(january, "//nav[@class='months']//li") == ["Latest", "Newer: February 2026", "All months"]
    assert texts(page(out, "topics/economy/2026/02/index.html"), "//nav[@class='months']//li") == [
        "Latest", "Older: January 2026", "All months"]
    january_bytes = {rel: (out / rel).read_bytes() for rel in before}
    (root / "content/2026/02/03/b4.md").write_text(article("February 3b", "2026-02-03T12:00:00Z", "economy"))
    build_site(config_for(root, output_dir=str(out), search=False))
    assert {rel: (out / rel).read_bytes() for rel in before} == january_bytes
    assert texts(page(out, "topics/economy/index.html"), "//nav[@class='months']//li")[1] == "February 2026 4 articles"


def test_pages_have_landmarks_a_skip_link_and_a_language(fixture_out: Path) -> None:
    for path in sorted(fixture_out.rglob("*.html")):
        root = page(fixture_out, path.relative_to(fixture_out).as_posix())
        assert root.get("lang") == "en-GB"
        assert root.xpath("//a[@class='skip-link']/@href") == ["#main"]
        assert len(root.xpath("//main[@id='main']")) == 1
        assert len(root.xpath("//header[@class='site-header']")) == 1
        assert len(root.xpath("//footer[@class='site-footer']")) == 1
        assert len(root.xpath("//h1")) == 1, path
        assert not root.xpath("//*[starts-with(@src, 'http') or (self::link and @rel='stylesheet' "
                              "and starts-with(@href, 'http'))]")  # nothing loads from elsewhere


def test_a_rebuild_in_the_same_process_shows_the_new_settings(
    make_site: Callable[..., Path], tmp_path: Path,
) -> None:
    """The preview server rebuilds in one process: a changed title must reach every page."""
    root = make_site({"2026/03/02/a.md": article("Story", "2026-03-02T08:00:00Z")}, config='title = "First"\n')
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out), search=False))
    assert texts(page(out, "index.html"), "//p[@class='site-title']") == ["First"]
    (root / "digest.toml").write_text('title = "Second"\n')
    build_site(config_for(root, output_dir=str(out), search=False))
    assert texts(page(out, "index.html"), "//p[@class='site-title']") == ["Second"]
    assert texts(page(out, "2026/03/02/a/index.html"), "//p[@class='site-title']") == ["Second"]


def test_a_day_without_a_time_shows_no_midnight_and_a_summary_is_not_said_twice(
    make_site: Callable[..., Path], tmp_path: Path,
) -> None:
    root = make_site({
        "2026/03/02/dated.md": article("Only a day", "2026-03-02T00:00:00Z",
                                       extra="summary: The first paragraph, as the summary.",
                                       body="The first paragraph, as the summary.\n\nMore."),
        "2026/03/02/timed.md": article("With a time", "2026-03-02T09:15:00Z"),
    })
    out = tmp_path / "out"
    build_site(config_for(root, output_dir=str(out), search=False))
    home = page(out, "index.html")
    assert sorted(texts(home, "//p[@class='card-meta']")) == ["09:15 · 1 min read", "1 min read"]
    story = page(out, "2026/03/02/dated/index.html")
    assert texts(story, "//p[@class='byline']/time") == ["Monday 2 March 2026"]
    assert story.xpath("//p[@class='standfirst']") == []  # the body opens with the same words
    assert texts(story, "//div[@class='body']/p[1]") == ["The first paragraph, as the summary."]


def test_a_topic_chart_key_follows_the_days_its_chart_shows_and_nothing_else() -> None:
    day = dt.date(2026, 3, 10)
    window = (day - dt.timedelta(days=9), day)
    counts = {day: 2, day - dt.timedelta(days=1): 1, day - dt.timedelta(days=40): 5}
    key = topic_chart_key(window, [counts])
    # a day outside the window does not count; a count or a day inside it does
    assert topic_chart_key(window, [{**counts, day - dt.timedelta(days=41): 1}]) == key
    assert topic_chart_key(window, [{**counts, day: 3}]) != key
    assert topic_chart_key(window, [{**counts, day - dt.timedelta(days=2): 1}]) != key
    assert topic_chart_key((window[0], day + dt.timedelta(days=1)), [counts]) != key
    # counts split by month give the same key as the same counts in one mapping
    assert topic_chart_key(window, [{day: 2}, {day - dt.timedelta(days=1): 1}]) == key
    assert topic_chart_key(None, [counts]) == ()
