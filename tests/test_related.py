"""Earlier coverage: up to five articles on the same subject published no later, found without all pairs."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

from digest.build import build_site
from digest.config import load_config
from digest.content import read_articles
from digest.curation import Curation, curate, curate_apart
from digest.models import Article
from digest.related import RELATED_COUNT, find_related
from digest.stories import STORY_CANDIDATES, find_stories
from digest.terms import TermIndex, extract_terms, find_names

from .conftest import FIXTURES, REPO, tree_bytes
from .test_stories import START, make_article

S400_2019 = "/2019/07/12/turkey-receives-first-russian-missile-delivery/"
S400_2025 = "/2025/11/03/turkey-not-to-forgo-russian-s-400-missile-systems/"


def related_section(page: str) -> str:
    return page.split('id="related-heading"')[1].split("</section>")[0] if 'id="related-heading"' in page else ""


def test_the_later_s400_article_lists_the_earlier_one_not_the_reverse(tmp_path: Path) -> None:
    root = tmp_path / "stories"
    shutil.copytree(FIXTURES / "site-stories", root)
    out = tmp_path / "out"
    build_site(load_config(root).with_overrides(output_dir=str(out)))
    first = (out / S400_2019.strip("/") / "index.html").read_text()
    later = (out / S400_2025.strip("/") / "index.html").read_text()
    assert f'href="{S400_2019}"' in related_section(later)
    assert "<h2 id=\"related-heading\">Earlier coverage</h2>" in later
    assert f'href="{S400_2025}"' not in related_section(first)  # a page keeps its list as news arrives
    # a football report has nothing in common with the rest
    sport = (out / "2026/02/08/harbury-stun-league-leaders-to-reach-cup-final/index.html").read_text()
    assert related_section(sport) == ""


def test_related_are_ranked_capped_and_exclude_the_story() -> None:
    base = "Tavros port strike delays grain exports"
    articles = [make_article(i, f"{base} day {i}", f"Dock workers in Tavros halted grain exports at Stavenport, round {i}.",
                             hours=-24 * 10 * i) for i in range(8)]
    articles.append(make_article(50, "Opera season opens in Lindaro", "The Lindaro opera opened its season.", hours=3))
    articles.sort(key=lambda a: a.sort_key)
    index = TermIndex.build(articles)
    related = find_related(index, {"id-0": "s", "id-1": "s"})
    assert len(related["id-2"]) == RELATED_COUNT and "id-2" not in related["id-2"]
    assert "id-1" not in related["id-0"] and "id-2" in related["id-0"]  # the story is listed apart
    assert "id-50" not in related
    position = {a.id: i for i, a in enumerate(articles)}
    scores = dict(index.neighbours(position["id-2"], 20, position["id-2"]))
    best = sorted(scores, key=lambda other: (-scores[other], other))[:RELATED_COUNT]
    assert [position[other] for other in related["id-2"]] == sorted(best)  # the most similar, newest first
    date = {a.id: a.date for a in articles}
    assert all(date[other] <= date[mine] for mine, others in related.items() for other in others)


def test_a_newer_article_leaves_older_lists_alone_and_same_time_articles_list_each_other() -> None:
    base = "Tavros port strike delays grain exports"
    articles = [make_article(i, f"{base} day {i}", f"Dock workers in Tavros halted grain exports, round {i}.",
                             hours=-24 * i) for i in range(6)]
    twins = [make_article(20 + i, f"{base} twin {i}", "Dock workers in Tavros halted grain exports.", hours=-100)
             for i in range(2)]
    before = find_related(TermIndex.build(sorted([*articles, *twins], key=lambda a: a.sort_key)), {})
    assert "id-21" in before["id-20"] and "id-20" in before["id-21"]  # published at the same time
    newer = make_article(9, f"{base} again", "Dock workers in Tavros halted grain exports once more.", hours=5)
    after = find_related(TermIndex.build(sorted([newer, *articles, *twins], key=lambda a: a.sort_key)), {})
    assert after.pop("id-9")
    assert after == before


def make_archive(count: int, start: int = 0) -> list[Article]:
    """`count` articles, one every six hours, on 97 subjects in 179 places, two in a row in each
    place: each word is held by a dozen articles or fewer, so stories and earlier coverage exist."""
    subjects = [f"subject{n}x" for n in range(97)]
    places = [f"Place{n}z" for n in range(179)]
    articles = []
    for number in range(start, start + count):
        subject, place = subjects[number % 97], places[(number // 2) % 179]
        articles.append(make_article(number, f"{subject} talks in {place} about {subjects[number % 11]}",
                                     f"Officials in {place} and Harbor{number % 23}q met over {subject}.",
                                     hours=6 * number))
    return articles


def test_new_articles_leave_older_stories_and_coverage_alone_even_when_they_reweigh_every_term() -> None:
    """Weights are frozen as of each article's publication: a day's new articles change no old page,
    and a clean build of the larger archive gives the old articles the same curation."""
    old = make_archive(1200)
    # a burst of new articles on old subjects and places: under archive-wide weights they would
    # make "place0z" and its like common, and reshuffle the older lists that use them
    new = [make_article(5000 + i, f"subject{i % 5}x in Place{i % 4}z again, Place{(i + 1) % 4}z too",
                        f"Officials in Place{i % 4}z and Harbor{i % 3}q met over subject{i % 5}x.",
                        hours=6 * 1200 + i) for i in range(120)]
    before = curate(sorted(old, key=lambda a: a.sort_key))
    after = curate(sorted([*old, *new], key=lambda a: a.sort_key))
    new_ids = {article.id for article in new}
    assert any(set(after.related.get(article.id, ())) - new_ids for article in new)  # they do meet the old
    assert {mine: theirs for mine, theirs in after.related.items() if mine not in new_ids} == before.related
    for story in before.stories:  # old stories keep their members; new articles may only join
        assert after.story_of[story.members[0]].members[: len(story.members)] == story.members
    assert before.related and before.stories


def results(curation: Curation) -> tuple[object, ...]:
    return curation.stories, curation.related, curation.memo


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: a.sort_key)


def test_the_last_builds_memo_gives_the_same_curation_and_is_trusted_only_where_the_key_matches() -> None:
    last = curate(newest_first(make_archive(1200)), {})  # {}: no memo yet, but make one
    grown = newest_first(make_archive(1260))  # the next days' articles
    assert results(curate(grown, last.memo)) == results(curate(grown, {}))
    # an older article edited: the later ones are searched again, and come out the same
    edited = [a._replace(title=f"{a.title} flood") if a.id == "id-600" else a for a in grown]
    assert results(curate(edited, last.memo)) == results(curate(edited, {}))
    assert curate(grown).memo == {} and curate(grown).related == curate(grown, {}).related  # None: no memo
    # the memo is really used where an article's as-of key matches, and only there (a newer
    # article is never earlier coverage: only the memo can list it)
    forged = last.memo["id-100"]._replace(related=("id-1199",))
    assert curate(grown, {**last.memo, "id-100": forged}).related["id-100"] == ("id-1199",)
    stale = {**last.memo, "id-100": forged._replace(key=b"another archive")}
    assert curate(grown, stale).related.get("id-100") == curate(grown).related.get("id-100") != ("id-1199",)


def fingerprinted(articles: list[Article]) -> list[Article]:
    """Articles with fingerprints, as parsed files have (a tally needs them)."""
    return [a._replace(fingerprint=hashlib.sha256(repr(a).encode()).hexdigest()[:24]) for a in articles]


def test_the_tally_spares_counting_the_oldest_articles_and_changes_no_result() -> None:
    last = curate(newest_first(fingerprinted(make_archive(1200))), {})
    tally = last.tally
    # it ends TALLY_AGE before the newest article (one every six hours: 12 articles)
    assert tally is not None and tally.covered == 1200 - 12
    grown = newest_first(fingerprinted(make_archive(1260)))
    resumed = curate(grown, last.memo, tally)
    assert results(resumed) == results(curate(grown, {}))
    assert resumed.tally == curate(grown, {}).tally  # the next build's tally is a clean build's too
    apart = curate_apart(grown, last.memo, tally, apart_from=0)  # in a forked child: the same
    assert results(apart) == results(resumed) and apart.tally == resumed.tally
    # really used: forged frequencies (every term common) change how the new articles are weighed
    forged = tally._replace(df={term: min(count * 50, tally.covered) for term, count in tally.df.items()})
    assert curate(grown, last.memo, forged).related != resumed.related
    # and used only for exactly the articles it counted: an older article edited, or a new one
    # sharing the time of the newest it counted, and it is left aside
    edited = [a._replace(title=f"{a.title} flood", fingerprint="0" * 24) if a.id == "id-600" else a
              for a in grown]
    assert results(curate(edited, last.memo, forged)) == results(curate(edited, {}))
    newest_counted = newest_first(make_archive(1200))[12]
    twin = fingerprinted([make_article(9000, "subject5x talks in Place3z", "Officials in Place3z met.",
                                       hours=(newest_counted.date - START).total_seconds() / 3600)])
    joined = newest_first([*grown, *twin])
    assert results(curate(joined, last.memo, forged)) == results(curate(joined, {}))
    assert curate(newest_first(make_archive(1200)), {}).tally is None  # no fingerprints: no tally


def test_curation_apart_gives_the_same_memo_and_keeps_the_last_builds_entries() -> None:
    last = curate(newest_first(make_archive(1200)), {})
    grown = newest_first(make_archive(1260))
    here, apart = curate(grown, last.memo), curate_apart(grown, last.memo, apart_from=0)
    assert results(apart) == results(here)
    # the very entries of the last memo where they stand: the cache then keeps their shards
    assert all(apart.memo[key] is entry for key, entry in last.memo.items())
    assert curate_apart(grown, None, apart_from=0).memo == {}


def test_only_articles_sharing_a_term_are_ever_scored() -> None:
    """Never all pairs: scores flow along postings only, and stories compare few pairs each."""
    words = [f"w{n}x" for n in range(3000)]
    articles = [make_article(i, " ".join(words[i * 10 : i * 10 + 5]), " ".join(words[i * 10 + 5 : i * 10 + 10]),
                             hours=-i) for i in range(300)]
    index = TermIndex.build(articles)
    assert all(index.neighbours(i, 50) == [] for i in range(len(articles)))
    assert find_related(index, {}) == {} and find_stories(index) == [] and index._similar == {}
    # with shared terms: every scored article shares a searchable term, and stories stay bounded
    articles = [make_article(i, f"Tavros w{i % 40}x w{i % 37}y", f"note w{i % 31}z", hours=-i) for i in range(400)]
    index = TermIndex.build(articles)
    for position in range(len(articles)):
        sharers = {other for term in index.queries[position] for other in index.postings[term]} - {position}
        assert {other for other, _ in index.neighbours(position, 1000)} <= sharers
    find_stories(index)
    assert len(index._similar) <= len(articles) * STORY_CANDIDATES


def test_names_are_runs_of_capitalised_words_not_sentence_openers() -> None:
    names = find_names('Police met Xinhua reporters. Officials said "Yes" to Recep Tayyip Erdogan.', "")
    assert names == ("Xinhua", "Recep Tayyip Erdogan")
    terms = extract_terms("", "", (), names)
    names = sorted(term for term in terms if term.startswith("@"))
    assert names == ["@erdogan", "@recep", "@recep tayyip", "@tayyip", "@tayyip erdogan", "@xinhua"]
    # a heading without a full stop, a paragraph's first word, list markers: no names either
    assert find_names("", "## What next\n\nOfficials said so.\n\n- Rescuers came from Tolvik") == ("Tolvik",)


def test_terms_found_when_a_file_is_parsed_are_the_fields_terms_and_pickle_compactly() -> None:
    articles = sorted(read_articles(load_config(FIXTURES / "site-stories")).articles, key=lambda a: a.sort_key)
    for article in articles:
        assert article.terms is not None
        expected = extract_terms(article.title, article.summary, article.tags, article.names)
        assert list(zip(*article.terms)) == list(expected.items())
        copy = pickle.loads(pickle.dumps(article))  # as from a parse worker or the build cache
        assert copy == article and copy.terms == article.terms
        assert all(term is sys.intern(term) for term in copy.terms.terms)  # one string per term
    # curation reads them: the same result as when it finds the terms itself
    bare = [article._replace(terms=None) for article in articles]
    found, again = curate(articles), curate(bare)
    assert found.stories and found.related
    assert (found.stories, found.related) == (again.stories, again.related)


def test_builds_are_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    root = tmp_path / "stories"
    shutil.copytree(FIXTURES / "site-stories", root)
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "digest", "build", "--out", str(out)], cwd=root, env=env,
                       check=True, capture_output=True)
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1]
    assert any(name.endswith("index.html") and b"card-also" in data for name, data in trees[0].items())


def test_earlier_coverage_reaches_back_years() -> None:
    old = make_article(1, "Grain corridor talks resume in Tavros", "Envoys from Ostrevia and Karesh met in Tavros.")
    new = make_article(2, "Tavros grain corridor deal signed", "Ostrevia and Karesh signed the Tavros grain deal.",
                       hours=24 * 365 * 3)
    filler = [make_article(10 + i, f"Unrelated item {i} on cycling", f"Riders {i} raced.", hours=-i) for i in range(5)]
    articles = sorted([old, new, *filler], key=lambda a: a.sort_key)
    related = find_related(TermIndex.build(articles), {})
    assert related["id-2"][0] == "id-1" and "id-1" not in related
    assert new.date - old.date > dt.timedelta(days=1000)


def test_in_the_sample_site_the_later_s400_article_lists_the_earlier(tmp_path: Path) -> None:
    """The repository's own digest (content ingested from seeds/): the delivery page (dated 2026-02-08,
    the capture's date) lists the refusal (2025-11-03) as earlier coverage, not the other way round."""
    out = tmp_path / "site"
    build_site(load_config(REPO).with_overrides(output_dir=str(out), cache_dir=str(tmp_path / "cache")))
    pages = {page.parent.name: page.read_text() for page in out.glob("20*/*/*/*/index.html")}
    delivery = "turkey-receives-first-russian-missile-delivery-sparking-us-nato-concerns"
    refusal = "turkey-not-to-forgo-russian-s-400-missile-systems-despite-us-pressure"
    assert f"/{refusal}/" in related_section(pages[delivery])
    assert f"/{delivery}/" not in related_section(pages[refusal])
