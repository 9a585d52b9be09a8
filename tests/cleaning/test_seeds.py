"""The two sample captures must come out exactly right, field by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.cleaning import (
    CleanedArticle,
    CleanedCapture,
    DateReference,
    clean_text,
    decode_capture,
)
from digest.cleaning.dates import DATE_SOURCES

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
UTC = dt.UTC

S400_BODY = "\n\n".join(
    [
        "Turkey received the first batch of Russia's S-400 missile defense system on Friday, "
        'sparking NATO "concern" and risking deepening tensions with the United States, which has '
        "repeatedly warned against the purchase.",
        "The delivery to an airbase in the Turkish capital Ankara comes after Washington warned "
        'this week that there would be "real and negative" consequences if Turkey bought the '
        "defense system.",
        'NATO, which counts Turkey as one of its members, is "concerned about the potential '
        'consequences" of the purchase, an official told AFP.',
        "The alliance has repeatedly warned Turkey that the Russian system is incompatible with "
        "other NATO weapons systems, not least the F-35, a new generation multi-role stealth "
        "fighter jet.",
        "The US fears that if Ankara integrates the S-400 into its defenses there is a risk that "
        "sensitive data about its F-35 could leak back to the Russians and it has threatened to "
        "expel Turkey from its fighter jet program.",
        "But Turkish President Recep Tayyip Erdogan has refused to back down and said he is "
        "confident Turkey will not face US sanctions.",
        'On Friday, the Turkish defense ministry issued a statement confirming "the delivery of '
        "the first shipment of parts of the S-400 long-range regional air missile defense "
        'system" had begun.',
        "It was not immediately known where the defense system would be deployed or when it "
        "would be operational.",
        "Turkey's Presidency of Defence Industries said in a statement that the delivery of the "
        'system\'s other parts would continue "in the coming days".',
        'Kremlin spokesman Dmitry Peskov told journalists on Friday that "everything is '
        "happening in strict accordance with the agreements and signed contracts, all "
        'obligations are being carried out".',
        "## Potential US sanctions",
        "The US State Department has said Turkish officials are fully aware of legislation -- "
        "the Countering America's Adversaries Through Sanctions Act -- which mandates sanctions "
        'for any "significant" purchases of weapons from Russia.',
        "Washington has given Ankara until July 31 to cancel the S-400 purchase or have its "
        "pilots kicked off its F-35 training course and expelled from the US.",
        "US President Donald Trump's pick for Pentagon chief, Mark Esper, confronted the Turkish "
        "defense minister about the deal on the sidelines of a NATO meeting last month.",
        "The first parts of the Russian missile system arrived on three planes at Ankara's "
        "Murted airbase, Turkish media reported. It arrived three days before the anniversary of "
        "a failed 2016 coup attempt.",
        "## 'Game-changer'",
        "Nicholas Danforth, of the German Marshall Fund of the United States, told AFP the "
        "delivery reflected Ankara's desire to forge \"a more independent foreign policy and "
        'reset the terms of its relationship with the US".',
        'He said Turkish policymakers believe that "more assertive moves will ultimately force '
        'Washington to be more accommodating of their interests".',
        "Turkey has repeatedly refused to back down from the agreement with Russia, despite US "
        "threats.",
        '"We say this each time. This is a done deal. The process continues. We are coordinating '
        'this work, whether permission for planes, personnel," Foreign Minister Mevlut Cavusoglu '
        "told reporters in Ankara on Friday.",
        'US support for Kurdish militia in Syria deemed as "terrorists" by Ankara is one of the '
        "major stumbling blocks in relations between the two countries, as well as Washington's "
        "refusal to extradite Muslim preacher Fethullah Gulen blamed for the coup bid.",
        "Nick Heras, of the Center for a New American Security, said the S-400 system would be a "
        '"game changer" for Turkey\'s air defense strategy in a region surrounded by actors with '
        "well-developed air forces.",
        "\"It is no secret that Erdogan is positioning Turkey to be a 'Eurasian' power, which "
        "means that Turkey needs to balance its relationship with China and Russia as much as it "
        'does with the United States and NATO," he told AFP.',
        '"Turkey is not guaranteed to be in the American camp forever."',
    ]
)

GENERAL_BODY = "\n\n".join(
    [
        "Russia's Federal Security Service (FSB) said on Sunday that the man suspected of "
        "shooting top Russian military intelligence officer Vladimir Alexeyev in Moscow has been "
        "detained in Dubai and handed over to Russia.",
        "Lieutenant General Vladimir Alexeyev, deputy head of the GRU, Russia's military "
        "intelligence arm, was shot several times in an apartment block in Moscow on Friday, "
        "investigators said. He underwent surgery after the shooting, Russian media said.",
        "The FSB said a Russian citizen named Lyubomir Korba was detained in Dubai on suspicion "
        "of carrying out the shooting.",
        "Russian Foreign Minister Sergei Lavrov accused Ukraine of being behind the "
        "assassination attempt, which he said was designed to sabotage peace talks. Ukraine said "
        "it had nothing to do with the shooting.",
        "Alexeyev's boss, Admiral Igor Kostyukov, the head of the GRU, has been leading Russia's "
        "delegation in negotiations with Ukraine in Abu Dhabi on security-related aspects of a "
        "potential peace deal.",
    ]
)

FACTORY_BODY = "\n\n".join(
    [
        "An explosion at a biotech factory in northern China has killed eight people, Chinese "
        "state media reported Sunday, increasing the total number of fatalities by one.",
        "State news agency Xinhua had previously reported that seven people died and one person "
        "was missing after the Saturday morning explosion at the Jiapeng biotech company in "
        "Shanxi province, citing local authorities.",
        "Later, Xinhua said eight were dead, adding that the firm's legal representative had "
        "been taken into custody.",
        "The company is located in Shanyin County, about 400 kilometers west of Beijing, AFP "
        "reported.",
        "Xinhua said clean-up operations were ongoing, noting that reporters observed dark "
        "yellow smoke emanating from the site of the explosion.",
        "Authorities have established a team to investigate the cause of the blast, the report "
        "added.",
        "Industrial accidents are common in China due to lax safety standards.",
        "In late January, an explosion at a steel factory in the neighboring province of Inner "
        "Mongolia left at least nine people dead.",
    ]
)

IRAN_BODY = "\n\n".join(
    [
        'Iran will never surrender the right to enrich uranium, even if war "is imposed on us,\u201d '
        "its foreign minister said Sunday, defying pressure from Washington.",
        '"Iran has paid a very heavy price for its peaceful nuclear program and for uranium '
        'enrichment," Abbas Araghchi told a forum in Tehran.',
        '"Why do we insist so much on enrichment and refuse to give it up even if a war is '
        'imposed on us? Because no one has the right to dictate our behavior," he said, two days '
        "after he met US envoy Steve Witkoff in Oman.",
        "The foreign minister also declared that his country was not intimidated by the US naval "
        "deployment in the Gulf.",
        '"Their military deployment in the region does not scare us," Araghchi said.',
    ]
)

AL_MAYADEEN_BODY = "\n\n".join(
    [
        "Turkey has once again reaffirmed its position on its use of Russian-made S-400 missile "
        "defense systems, defying persistent pressure from the United States. According to "
        "Bloomberg, Turkish officials have stated that Ankara has no intention of dismantling or "
        "discarding the S-400 systems.",
        "Despite ongoing diplomatic friction with Washington, sources cited in the report "
        "indicated that Turkey is open to finding a middle ground regarding the systems' "
        "operational framework.",
        "While rejecting the US demand for complete abandonment of the missile systems, Ankara "
        "has proposed an alternative: the establishment of a joint military mechanism to oversee "
        "the use of the S-400s. This proposal, Turkish officials believe, could address US and "
        "NATO concerns without compromising Turkey\u2019s strategic autonomy.",
        "## About the deal and US response",
        "In 2017, Turkey signed a $2.5 billion agreement with Russia to purchase four S-400 "
        "surface-to-air missile systems. The deal was completed by October 2019, with "
        "Rosoboronexport, Russia\u2019s state arms exporter, confirming the successful delivery of "
        "the regiment set.",
        "The move marked a significant shift in Ankara\u2019s defense procurement strategy and "
        "raised alarms within NATO, as the S-400 system is not compatible with NATO\u2019s defense "
        "architecture.",
        "Following the acquisition of the S-400s, the US retaliated by removing Turkey from the "
        "F-35 stealth fighter jet program, citing security concerns. Washington argued that the "
        "integration of Russian technology could compromise the security of the F-35 platform, "
        "especially its radar signature and operational secrecy.",
        "## Strategic implications for NATO, regional defense",
        "Turkey's insistence on keeping the S-400 systems despite US objections continues to "
        "raise questions about its long-term alignment within NATO. Ankara maintains that its "
        "defense decisions are a matter of national sovereignty and strategic independence.",
        "The proposed joint oversight mechanism is an attempt to balance those interests with "
        "the realities of alliance commitments and international pressure, but whether "
        "Washington will accept the compromise remains uncertain.",
    ]
)

FEB_8 = dt.datetime(2026, 2, 8, tzinfo=UTC)

SEED_000 = [
    CleanedArticle(
        title="Turkey Receives First Russian Missile Delivery Sparking US, NATO Concerns",
        body=S400_BODY,
        published=FEB_8,
        date_source="capture-sibling",
        summary=None,
        author=None,
        source=None,
        source_url=None,
        image_caption="Washington has repeatedly warned Turkey against purchasing the Russian "
        "S-400 missile defense system",
        image_credit="AFP",
        tags=(),
        language="en",
    ),
    CleanedArticle(
        title="Russia: Man Suspected of Shooting Top General Detained in Dubai",
        body=GENERAL_BODY,
        published=FEB_8,
        date_source="relative-to-capture",
        summary=None,
        author=None,
        source=None,
        source_url=None,
        image_caption="An investigator works outside a residential building where the "
        "assassination attempt on Russian Lieutenant General Vladimir Alexeyev took place in "
        "Moscow, Russia February 6, 2026.",
        image_credit="REUTERS/Anastasia Barashkova",
        tags=(),
        language="en",
    ),
    CleanedArticle(
        title="Factory Explosion Kills 8 in Northern China",
        body=FACTORY_BODY,
        published=FEB_8,
        date_source="relative-to-capture",
        summary=None,
        author=None,
        source=None,
        source_url=None,
        image_caption="Employees work on an electric vehicle (EV) production line at the "
        "Volkswagen Anhui factory in Hefei, Anhui province, China, February 4, 2026.",
        image_credit="REUTERS/Florence Lo",
        tags=(),
        language="en",
    ),
    CleanedArticle(
        title="Iran Warns Will Not Give Up Enrichment Despite US War Threat",
        body=IRAN_BODY,
        published=FEB_8,
        date_source="relative-to-capture",
        summary=None,
        author=None,
        source=None,
        source_url=None,
        image_caption="Traffic moves through a street in Tehran on February 7, 2026.",
        image_credit="ATTA KENARE / AFP",
        tags=(),
        language="en",
    ),
]

SEED_003 = CleanedArticle(
    title="Turkey not to forgo Russian S-400 missile systems despite US pressure",
    body=AL_MAYADEEN_BODY,
    published=dt.datetime(2025, 11, 3, 20, 24, tzinfo=UTC),
    date_source="relative-to-capture",
    summary="Ankara rejects US demands to scrap its Russian S-400 missile systems, proposing a "
    "joint oversight mechanism instead. The ongoing dispute has already led to Turkey\u2019s "
    "removal from the F-35 program.",
    author="Al Mayadeen English",
    source="Al Mayadeen English",
    source_url=None,
    image_caption="Combat crews of the S-400 air defense system drive to take up combat duty at "
    "the training ground in the Brest region during the Union Courage-2022 Russia-Belarus "
    "military drills in Belarus.",
    image_credit="Russian Defense Ministry Press Service via AP",
    tags=(
        "United States",
        "Turkey",
        "S-400",
        "Nato",
        "F-35 fighter jet",
        "Recep Tayyip Erdogan",
        "Nato Alliance",
    ),
    language="en",
)


def clean_seed(name: str, reference: DateReference | None = None) -> CleanedCapture:
    data = (SEEDS / name).read_bytes()
    return clean_text(decode_capture(data), reference or DateReference(tz=UTC))


@pytest.fixture(scope="module")
def seed_000() -> CleanedCapture:
    return clean_seed("000_76a53f2f9d0b8894.txt")


@pytest.fixture(scope="module")
def seed_003() -> CleanedCapture:
    return clean_seed("003_ae01d34301e4c391.txt")


def test_seed_000_has_four_articles(seed_000: CleanedCapture) -> None:
    assert len(seed_000.articles) == 4
    assert seed_000.source is None


@pytest.mark.parametrize("number", range(4))
def test_seed_000_article_fields(seed_000: CleanedCapture, number: int) -> None:
    assert seed_000.articles[number] == SEED_000[number]


@pytest.mark.parametrize("number", range(4))
def test_seed_000_bodies_exactly(seed_000: CleanedCapture, number: int) -> None:
    # Compared on their own too, so a failure shows the body diff.
    assert seed_000.articles[number].body == SEED_000[number].body


def test_seed_003_article(seed_003: CleanedCapture) -> None:
    assert len(seed_003.articles) == 1
    assert seed_003.articles[0].body == SEED_003.body
    assert seed_003.articles[0] == SEED_003
    assert seed_003.source == "Al Mayadeen English"


def test_seed_bodies_keep_out_page_furniture(
    seed_000: CleanedCapture, seed_003: CleanedCapture
) -> None:
    bodies = "\n".join(a.body for a in seed_000.articles + seed_003.articles)
    for furniture in (
        "TT",
        "BREAKING",
        "Related News",
        "US officials say no legal grounds",
        "Read more",
        "Listen",
        "2 Min Read",
        "Most Read",
        "Read Next",
        "All Rights Reserved",
        "REUTERS",
        "| AFP",
        "Recep Tayyip Erdogan\n",
    ):
        assert furniture not in bodies.split("\n"), furniture
    assert "Privacy Policy" not in bodies
    assert "Combat crews" not in bodies


def test_dates_follow_the_reference_timezone() -> None:
    paris = ZoneInfo("Europe/Paris")
    capture = clean_seed("003_ae01d34301e4c391.txt", DateReference(tz=paris))
    assert capture.articles[0].published == dt.datetime(2025, 11, 3, 20, 24, tzinfo=paris)


def test_dates_from_the_option_win_over_the_capture() -> None:
    reference = DateReference(tz=UTC, option=dt.date(2026, 2, 10))
    capture = clean_seed("000_76a53f2f9d0b8894.txt", reference)
    sources = [article.date_source for article in capture.articles]
    assert sources == ["option", "relative-to-option", "relative-to-option", "relative-to-option"]
    # Sunday on or before Tuesday 10 February 2026 is the 8th.
    assert [a.published for a in capture.articles] == [
        dt.datetime(2026, 2, 10, tzinfo=UTC),
        FEB_8,
        FEB_8,
        FEB_8,
    ]


def test_date_sources_are_named_in_one_place(seed_000: CleanedCapture) -> None:
    for article in seed_000.articles:
        assert article.date_source in DATE_SOURCES
