"""Find where articles sit in a capture: runs of prose dense enough to outweigh the
furniture between them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.cleaning.boilerplate import Judged

# Prose earns its word count (capped so one huge paragraph cannot carry a region);
# every non-prose block costs more the longer the run of non-prose it belongs to,
# so a caption or subheading between paragraphs is cheap and a menu is not.
_PROSE_CAP = 120
_SHORT_COST = 2.0
_RUN_STEP = 1.0
_RUN_CAP = 8.0
_FURNITURE_COST = 6.0  # per unit of a block's furniture verdict (labels score 2)
_TEMPLATE_COST = 3.0  # a line whose shape recurs (menus, comment headers)
# Prose that is probably not article text keeps only a share of its weight:
_TIGHT_FACTOR = 0.25  # no blank line above or below, on a page that spaces paragraphs
_LONG_PARAGRAPH = 30  # words of a paragraph that shows how the page spaces them
_SPACED_MIN = 2  # spaced long paragraphs needed to call a page spaced
_COMMENTS_FACTOR = 0.1  # under a comments heading
_TEASER_FACTOR = 0.1  # a headline run into its summary
_LISTED_FACTOR = 0.3  # a short paragraph alone under its own kicker and headline
# Labels that close an article: links to the neighbouring articles and the lists of
# further reading under it.
_END_LABEL_RE = re.compile(
    r"^\W*(?:previous|next|prev|older|newer)\s+(?:article|post|story|entry)"
    r"|^\W*(?:we recommend|recommended(?: for you)?|more stories|read next|up next"
    r"|you (?:may|might) (?:also )?like|most (?:read|popular|viewed)|related (?:articles|stories"
    r"|posts|content)|more from)\b",
    re.IGNORECASE,
)
_END_LABEL_COST = 20.0
_NUMBER_RE = re.compile(r"^(\d{1,3})[.)]$")
_NUMBERED_MIN = 3
_NUMBERED_GAP = 3  # blocks allowed between two items of one ordered list
_NUMBERED_VALUE = 4.0
_LISTED_WORDS = 50  # teaser summaries are shorter than this
_LISTED_RUN = 3  # teasers in a row before they count as a list
_COMMENTS_RESET_RUN = 15  # non-prose blocks after which comments are taken to be over
_COMMENTS_AFTER = 30  # prose words before a comments heading counts (not a top link)
# A stretch of furniture this costly splits a region into runs; the core is the first
# run with this share of the heaviest run's weight.
_CORE_BREAK = 12.0
_CORE_SHARE = 0.5
_CORE_ENOUGH = 100.0


@dataclass(frozen=True, slots=True)
class Region:
    """Blocks `start`..`end` (inclusive) and how strongly they read as an article."""

    start: int
    end: int
    score: float


def score_blocks(judged: list[Judged]) -> list[float]:
    """Give each block its contribution to an article region."""
    listed = find_listed_prose(judged)
    separated = find_separated_prose(judged)
    numbered = find_numbered_runs(judged)
    tight_factor = _TIGHT_FACTOR if _paragraphs_spaced(judged) else 1.0
    scores: list[float] = []
    run = 0
    in_comments = False
    quiet = 0  # non-prose blocks in a row since the comments began
    read = 0  # words of prose so far: comments follow an article, they do not open it
    for index, item in enumerate(judged):
        if item.comments and read >= _COMMENTS_AFTER and not _in_label_row(judged, index):
            in_comments, quiet = True, 0
        elif in_comments and (quiet >= _COMMENTS_RESET_RUN or _opens_next_page(judged, index)):
            # A long stretch of furniture or a new headline set apart: another page.
            in_comments = False
        quiet = 0 if item.prose else quiet + 1
        if item.prose and not in_comments:
            read += item.words
        if item.prose and index not in separated:
            run = 0
            value = float(min(item.words, _PROSE_CAP))
            if item.gap_before == 0 and item.gap_after == 0:
                # Paragraphs are set apart by blank lines; text packed tight between
                # other lines is a teaser, a card or a comment.
                value *= tight_factor
            if in_comments:
                value *= _COMMENTS_FACTOR
            if item.teaser:
                value *= _TEASER_FACTOR
            if index in listed:
                value *= _LISTED_FACTOR
            scores.append(value)
            continue
        if index in numbered and not in_comments:
            # An ordered list counting up (1, 2, 3...) is part of the article.
            run = 0
            scores.append(_NUMBERED_VALUE)
            continue
        cost = _SHORT_COST + min(run * _RUN_STEP, _RUN_CAP)
        if item.bullet:
            cost += 1.0
        cost += item.furniture * _FURNITURE_COST
        if item.label and _END_LABEL_RE.match(item.text):
            cost += _END_LABEL_COST  # "Next article", "We recommend": the article is over
        if item.template:
            cost += _TEMPLATE_COST
        run += 1
        scores.append(-cost)
    return scores


def _paragraphs_spaced(judged: list[Judged]) -> bool:
    """Whether this page sets paragraphs apart with blank lines at all. Some renderings
    never do; packed text is then no sign of a teaser or a card."""
    spaced = 0
    for item in judged:
        if item.prose and item.words >= _LONG_PARAGRAPH and (item.gap_before or item.gap_after):
            spaced += 1
            if spaced >= _SPACED_MIN:
                return True
    return False


def find_numbered_runs(judged: list[Judged]) -> set[int]:
    """Blocks of ordered lists that count up from 1 without a label such as "Most
    popular" above them, with the lines between their items."""
    found: set[int] = set()
    run: list[int] = []
    expected = 1
    for index, item in enumerate(judged):
        bullet = item.bullet
        # (Most blocks have no bullet; a number's ends in "." or ")".)
        match = _NUMBER_RE.match(bullet) if bullet and bullet[-1] in ".)" else None
        if match is None:
            if run and index - run[-1] > _NUMBERED_GAP:
                _keep_run(judged, run, found)
                run, expected = [], 1
            continue
        number = int(match.group(1))
        if number == 1:
            _keep_run(judged, run, found)
            run, expected = [index], 2
        elif number == expected and run:
            run.append(index)
            expected += 1
        else:
            _keep_run(judged, run, found)
            run, expected = [], 1
    _keep_run(judged, run, found)
    return found


def _keep_run(judged: list[Judged], run: list[int], found: set[int]) -> None:
    if len(run) < _NUMBERED_MIN:
        return
    first = run[0]
    if any(item.label for item in judged[max(0, first - 2) : first]):
        return  # "Most popular: 1. ... 2. ..." lists links, not article text
    found.update(range(first, run[-1] + 1))


def find_listed_prose(judged: list[Judged]) -> set[int]:
    """Short paragraphs that each sit alone under a few lines of their own (kicker,
    headline, source), at least three in a row: a list of teasers, not an article."""
    count = len(judged)
    prose = [index for index, item in enumerate(judged) if item.prose]
    listed: set[int] = set()
    run: list[int] = []
    for number, index in enumerate(prose):
        before = index - (prose[number - 1] if number else -1) - 1
        after = (prose[number + 1] if number + 1 < len(prose) else count) - index - 1
        if before >= 2 and after >= 1 and judged[index].words <= _LISTED_WORDS:
            run.append(index)
            continue
        if len(run) >= _LISTED_RUN:
            listed.update(run)
        run = []
    if len(run) >= _LISTED_RUN:
        listed.update(run)
    return listed


def find_separated_prose(judged: list[Judged]) -> set[int]:
    """Paragraphs fenced in by the same repeated line above and below them (a share
    row, a "Reply" link under every item): items of a list, not one article."""
    found: set[int] = set()
    for index in range(1, len(judged)):
        item, before = judged[index], judged[index - 1]
        if not item.prose or before.prose or before.label or before.repeats < 3:
            continue
        after = judged[index + 1] if index + 1 < len(judged) else None
        fenced = after is not None and before.text == after.text
        # The last item of such a list has its fence above only.
        last = index - 2 in found and judged[index - 3].text == before.text
        if fenced or last:
            found.add(index)
    return found


def _opens_next_page(judged: list[Judged], index: int) -> bool:
    """A wide gap, or a headline set apart by blank lines with a byline or date under it."""
    item = judged[index]
    gap = item.gap_before
    if gap >= 4:
        return True
    if gap < 2 or item.prose or not 3 <= item.words <= 25:
        return False
    return any(other.dateline for other in judged[index + 1 : index + 4])


def _in_label_row(judged: list[Judged], index: int) -> bool:
    """Whether a block sits among other labels (a share row: "Tweet / Comments / Print")."""
    before = judged[index - 1].label if index > 0 else False
    after = judged[index + 1].label if index + 1 < len(judged) else False
    return before and after


def find_regions(scores: list[float]) -> list[Region]:
    """All maximal scoring runs of blocks (Ruzzo-Tompa), best first."""
    # Each candidate: [start, end, left cumulative, right cumulative].
    found: list[list[float]] = []
    total = 0.0
    for index, score in enumerate(scores):
        left = total
        total += score
        if score <= 0:
            continue
        cand = [float(index), float(index), left, total]
        while True:
            j = len(found) - 1
            while j >= 0 and found[j][2] >= cand[2]:
                j -= 1
            if j < 0 or found[j][3] >= cand[3]:
                found.append(cand)
                break
            # Merge with candidate j: it starts lower and ends lower than us.
            cand = [found[j][0], cand[1], found[j][2], cand[3]]
            del found[j:]
    regions = [Region(int(c[0]), int(c[1]), c[3] - c[2]) for c in found]
    return sorted(regions, key=lambda r: (-r.score, r.start))


def find_core(scores: list[float], region: Region) -> int:
    """Where the main run of prose in `region` starts: the first run (between costly
    stretches of furniture) that carries at least half the weight of the heaviest."""
    runs: list[tuple[int, float]] = []
    run_start, run_score, gap_cost = region.start, 0.0, 0.0
    for index in range(region.start, region.end + 1):
        score = scores[index]
        if score > 0:
            if gap_cost >= _CORE_BREAK and run_score > 0:
                runs.append((run_start, run_score))
                run_start, run_score = index, 0.0
            elif run_score <= 0:
                run_start = index
            run_score += score
            gap_cost = 0.0
        else:
            gap_cost -= score
    runs.append((run_start, run_score))
    heaviest = max(score for _, score in runs)
    for start, score in runs:
        if score >= min(_CORE_SHARE * heaviest, _CORE_ENOUGH):
            return start
    return region.start
