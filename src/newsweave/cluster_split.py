"""Telling a young story apart when its members form two groups: two similar events merged early.

Online assignment compares an article with the story's average; a story of one article is a noisy
average. When the first report of a second, similar event (another quake on the same island, another
heist in the same street) joins the one-article story of the first, every later report of either
event finds the merged story and joins it. Once the story holds a few articles, the similarities
between its members show the two events: reports of one event are much more alike than reports of
the two. ``best_split`` finds the two groups (exhaustively: the story is small) and says whether they
differ clearly enough to be two stories.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

SPLIT_MIN_GROUP = 2  # each side of a split holds at least this many comparable articles
SPLIT_RATIO = 0.7  # split when the groups' mutual similarity is below this share of their own


@dataclass(frozen=True, slots=True)
class Split:
    """Two groups of member positions (``first`` holds position 0) and how alike they are."""

    first: tuple[int, ...]
    second: tuple[int, ...]
    within: float  # the lower of the two groups' average internal similarity
    between: float  # average similarity of an article of one group to one of the other


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def best_split(similarity: Sequence[Sequence[float]], below: float) -> Split | None:
    """The 2-way split of members (by pairwise ``similarity``) with the clearest gap, if it is clear.

    A split counts when each group holds ``SPLIT_MIN_GROUP`` members, the groups' average mutual
    similarity is below ``below`` (they would not be put together as stories) and below
    ``SPLIT_RATIO`` times the lower of the groups' internal averages.
    """
    n = len(similarity)
    if n < 2 * SPLIT_MIN_GROUP:
        return None
    best: Split | None = None
    rest = range(1, n)
    for size in range(SPLIT_MIN_GROUP - 1, n - SPLIT_MIN_GROUP):
        for chosen in itertools.combinations(rest, size):
            first = (0, *chosen)
            second = tuple(i for i in rest if i not in chosen)
            between = _mean([similarity[i][j] for i in first for j in second])
            within = min(
                _mean([similarity[i][j] for i, j in itertools.combinations(group, 2)]) for group in (first, second)
            )
            if between >= below or between >= SPLIT_RATIO * within:
                continue
            if best is None or between - within < best.between - best.within - 1e-12:
                best = Split(first=first, second=second, within=within, between=between)
    return best
