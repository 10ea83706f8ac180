"""The records reconciliation reads (story figures and claims) and writes (timeline, whole result)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from newsweave.model import Claim, Contradiction, Figure, Granularity, Reconciliation

TimelineKind = Literal["event", "claim", "figure"]


@dataclass(frozen=True, slots=True)
class StoryFigure:
    """A figure of one article of the story, with the store's figure id and the article's metadata.

    ``source_outlet`` is the article's outlet; ``figure.source`` is the counter the figure is attributed
    to. ``index`` (optional) is the figure's position in its article's extraction, which ``part_of``
    refers to; without it the article's figures are taken in text order.
    """

    id: str
    article_id: str
    published: str | None
    seq: int
    source_outlet: str | None
    figure: Figure
    index: int | None = None


@dataclass(frozen=True, slots=True)
class StoryClaim:
    """A claim of one article of the story, with the store's claim id and the article's metadata."""

    id: str
    article_id: str
    published: str | None
    seq: int
    source_outlet: str | None
    claim: Claim


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated moment of a story: an event, a claim, or a change of an evolving figure."""

    id: str
    date: str
    granularity: Granularity
    kind: TimelineKind
    label: str
    article_ids: tuple[str, ...]
    figure_ids: tuple[str, ...] = ()
    claim_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryReconciliation:
    story_id: str
    reconciliations: tuple[Reconciliation, ...]
    contradictions: tuple[Contradiction, ...]
    timeline: tuple[TimelineEntry, ...]
