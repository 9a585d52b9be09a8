"""One small invented capture per kind of page the cleaner has to handle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.cleaning import CleanedCapture, DateReference, clean_text, decode_capture

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UTC = dt.UTC
REFERENCE = DateReference(tz=UTC)


def clean_fixture(name: str, reference: DateReference = REFERENCE) -> CleanedCapture:
    return clean_text(decode_capture((FIXTURES / name).read_bytes()), reference)


def clean(text: str) -> CleanedCapture:
    return clean_text(text, REFERENCE)


# --- w3m: hard-wrapped at 80 columns, bullets, an indented quote, image markers --------


def test_w3m_dump_reflows_into_paragraphs_lists_quotes_and_subheads() -> None:
    capture = clean_fixture("w3m_wrapped.txt")
    [article] = capture.articles
    assert article.title == "Harbour Town Opens Its First Floating Library to Readers"
    assert article.body == "\n\n".join(
        [
            "The small harbour town of Vellmoor opened a floating library on Monday, turning "
            "a retired ferry into a reading room with space for more than four thousand books "
            "and a children's corner on the upper deck.",
            "The project was funded by a local trust and took two years to complete, the town "
            "council said in a statement, adding that the boat would stay moored at the east "
            "quay through the winter before touring nearby villages in the spring.",
            "## What the library offers",
            "Visitors can borrow books for up to three weeks and return them at any of the "
            "stops on the summer route. The council listed the main services:",
            "- a lending desk open six days a week with trained volunteers from the town\n"
            "- a reading room with heating and large windows over the water\n"
            "- free workshops for children on Saturday mornings",
            '> "We wanted a place where people could sit, read and watch the boats go by '
            'without paying for a coffee first," said the head librarian, who has worked in '
            "the town for twenty years.",
            "Residents who spoke to reporters welcomed the idea. Several said the old ferry had "
            "been a familiar sight for decades and that they were glad to see it used again "
            "instead of being sold for scrap.",
        ]
    )


def test_w3m_dump_metadata_goes_to_fields() -> None:
    [article] = clean_fixture("w3m_wrapped.txt").articles
    assert article.author == "Mara Quint"
    assert article.published == dt.datetime(2019, 11, 19, 10, 5, tzinfo=UTC)
    assert article.date_source == "article"
    assert article.image_caption == "The library boat moored at the east quay."
    assert article.image_credit == "Ilsa Borne / Coast Press"
    assert article.source == "Coast Press"
    assert article.language == "en"
    for furniture in ("Related", "Coastal towns bet", "Share this", "Facebook", "©", "[logo"):
        assert furniture not in article.body


# --- lynx: 3-column indent, outdented headings, (BUTTON), IFRAME, nested bullets ------


def test_lynx_dump_is_cleaned() -> None:
    [article] = clean_fixture("lynx_dump.txt").articles
    assert article.title == "Researchers Map the Song of a Rare Mountain Bird"
    assert article.author == "Ella Vance"
    assert article.tags == ("Birds", "Mountains", "Field research")
    assert article.image_caption == "A pale-throated warbler on a juniper branch."
    assert article.image_credit == "REUTERS/Tomas Ekdal"
    assert article.source == "Example Wire"
    assert article.body.split("\n\n")[2] == "## What the recordings show"
    assert article.body.startswith("Scientists working in the high valleys of the Sarn range")
    for junk in ("BUTTON", "IFRAME", "5 Min Read", "warbler.jpg", "Tags", "Birds", "(c) 2019"):
        assert junk not in article.body
    # Nothing is left over from the hard wraps.
    assert all("  " not in paragraph for paragraph in article.body.split("\n\n"))


# --- browser copy: cookie banner, one-word menus, capitals, "Credit...", link lists ----


def test_browser_copy_drops_menus_banners_and_link_lists() -> None:
    [article] = clean_fixture("browser_copy.txt").articles
    assert article.title == "Grain Prices Fall as Harvest Beats Forecasts"  # CSS capitals undone
    assert article.summary == (
        "Farmers brace for lower income after a record crop in the northern plains"
    )
    assert article.image_caption == "Combine harvesters at work near Ostby in October."
    assert article.image_credit == "Pau Riera/Field Photo"
    assert article.published == dt.datetime(2025, 11, 3, tzinfo=UTC)
    assert article.source == "Plains Daily"
    assert article.body.split("\n\n") == [
        "Grain prices fell for a third week as farmers in the northern plains brought in one "
        "of the largest harvests on record, traders said on Friday, easing fears of shortages "
        "that had pushed costs up earlier in the year.",
        "Wheat futures dropped to their lowest level since the spring, while barley and oats "
        "also slipped, according to figures published by the regional exchange.",
        "Analysts expect prices to stay low until the end of the year, when demand from mills "
        "usually picks up ahead of the holidays.",
        '"A big harvest is good news for bakers and bad news for anyone who planted late," '
        "one broker said.",
    ]


# --- several articles pasted one after another ----------------------------------------


def test_pasted_articles_are_split_and_a_repeated_headline_is_one_boundary() -> None:
    capture = clean_fixture("multi_capture.txt")
    assert [a.title for a in capture.articles] == [
        "Bridge Reopens After Six Months of Repairs",
        "Museum Returns Painting to Family",
    ]
    first, second = capture.articles
    assert first.body.startswith("The old stone bridge over the Lenn river reopened")
    assert first.body.endswith("which stopped the crews for several weeks.")
    assert "LOGO" not in first.body and "REUTERS" not in first.body
    assert second.image_credit == "Jon Ake / AFP"
    # "said on Sunday" next to the capture's latest date (Tue 4 Nov 2025): the 2nd.
    assert second.date_source == "relative-to-capture"
    assert second.published == dt.datetime(2025, 11, 2, tzinfo=UTC)
    assert first.date_source == "capture-sibling"
    assert first.published == second.published


# --- small cases -----------------------------------------------------------------------

ARTICLE = """Local Team Wins the Regional Cup

By Sam Reed

The local football team won the regional cup on Saturday after a tense final that went to
extra time, with the winning goal scored by a teenager playing only his third senior match.

Supporters filled the small stadium hours before kick-off, and many stayed long after the
final whistle to celebrate with the players on the pitch.

1.

The club said it would hold a parade through the town centre next weekend, weather permitting.
"""


def test_markdown_lookalikes_in_the_text_stay_text() -> None:
    text = ARTICLE.replace("1.\n", "1.\n\n# not a heading, just a hash that opens a line.\n")
    [article] = clean(text).articles
    assert "\n\n1\\.\n\n" in f"\n\n{article.body}\n\n" or "1." not in article.body
    for line in article.body.split("\n"):
        assert not line.startswith("# ")
        assert not line.startswith("1. ")


def test_capture_without_article_yields_nothing_and_a_note() -> None:
    capture = clean("Home\nNews\nSport\nWeather\nContact us\n")
    assert capture.articles == ()
    assert capture.notes


def test_empty_capture() -> None:
    assert clean("").articles == ()


@pytest.mark.parametrize(
    "text",
    [
        "Новости\nСпорт\n\nГород открыл новую библиотеку на воде\n\n"
        "Небольшой портовый город открыл в понедельник плавучую библиотеку, превратив старый "
        "паром в читальный зал, где поместились тысячи книг и детский уголок на верхней палубе.\n\n"
        "Проект финансировал местный фонд, и работы заняли два года, сообщили в городском совете, "
        "добавив, что судно простоит у восточного причала всю зиму.\n",
        "首页\n新闻\n\n港口小镇开设水上图书馆\n\n这个小镇在周一开设了一座水上图书馆，把一艘退役的渡轮改造成阅览室，"
        "可以容纳四千多本书，上层甲板还有儿童角。\n\n该项目由当地一个基金会资助，历时两年完成，"
        "镇议会在声明中说，这艘船将在东码头停靠整个冬天，春天再去附近的村庄巡回。\n",
    ],
)
def test_non_english_pages_come_out(text: str) -> None:
    capture = clean(text)
    assert capture.articles
    assert all(article.body for article in capture.articles)


def test_share_rows_and_comments_stay_out() -> None:
    text = ARTICLE + (
        "\nShare\nTweet\nEmail\n\n12 Comments\n\nrivercat says:\nNovember 19, 2019 at 6:34 am\n\n"
        "What a match that was, I have never seen the stadium so full and so loud in my life.\n"
    )
    [article] = clean(text).articles
    assert "Tweet" not in article.body
    assert "rivercat" not in article.body
    assert "never seen the stadium" not in article.body
    assert article.author == "Sam Reed"


def test_caption_date_is_not_the_articles_dateline() -> None:
    text = (
        "Flood Defences Tested Ahead of Winter\n\n"
        "Workers check a barrier in Ostby, Norland January 5, 2026. REUTERS/Kai Lund\n\n"
        "Engineers tested the new flood barriers on the river on Monday, the agency said on "
        "Tuesday, as forecasters warned of heavy rain in the coming weeks across the region.\n\n"
        "The barriers can be raised in less than an hour and protect more than two thousand "
        "homes along the lower river, according to the agency.\n"
    )
    [article] = clean(text).articles
    assert article.image_credit == "REUTERS/Kai Lund"
    # The caption's date is only evidence for the reference: Tuesday nearest to 5 January.
    assert article.date_source == "relative-to-capture"
    assert article.published == dt.datetime(2026, 1, 6, tzinfo=UTC)


def test_browser_copy_without_blank_lines_between_paragraphs() -> None:
    menu = "\n".join(["Home", "News", "Sport", "Business", "Culture", "Opinion", "Travel"])
    paragraphs = [
        "The city council agreed on Tuesday to spend more money on cycle lanes after a year in "
        "which the number of people riding to work doubled, according to the transport office.",
        "Officials said the new lanes would connect the northern suburbs with the centre and "
        "would be separated from traffic by low concrete kerbs along most of the route.",
        "Shop owners on the main street were divided, with some worried about deliveries and "
        "others hoping that more cyclists would mean more customers stopping by.",
    ]
    text = (
        f"{menu}\nCity Backs More Cycle Lanes After Record Year\nBy Ana Field\nNovember 3, 2025\n"
        + "\n".join(paragraphs)
        + "\nMost read\nCouncil votes to extend the tram line to the airport by 2030 after debate\n"
        "About us\nContact\n"
    )
    [article] = clean(text).articles
    assert article.title == "City Backs More Cycle Lanes After Record Year"
    assert article.author == "Ana Field"
    assert article.body.split("\n\n") == paragraphs
