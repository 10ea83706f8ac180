"""A story's timeline: dated events, dated claims and the changes of evolving figures, with precision."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from newsweave.model import Event, Granularity, Reconciliation
from newsweave.reconcile.figures import (
    _assign_counters,
    _Counters,
    _describe,
    _effective_day,
    _fold,
    _short_hash,
    _when,
)
from newsweave.reconcile.records import StoryClaim, StoryFigure, TimelineEntry, TimelineKind

_KIND_ORDER: dict[TimelineKind, int] = {"event": 0, "claim": 1, "figure": 2}
_GRANULARITY_ORDER: dict[Granularity, int] = {"day": 0, "week": 1, "month": 2, "year": 3}


def _snippet(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _entry(
    story_id: str,
    date: str,
    granularity: Granularity,
    kind: TimelineKind,
    label: str,
    article_ids: set[str],
    figure_ids: Sequence[str] = (),
    claim_ids: Sequence[str] = (),
) -> TimelineEntry:
    return TimelineEntry(
        id="t-" + _short_hash(story_id, kind, date, label),
        date=date,
        granularity=granularity,
        kind=kind,
        label=label,
        article_ids=tuple(sorted(article_ids)),
        figure_ids=tuple(sorted(set(figure_ids))),
        claim_ids=tuple(sorted(set(claim_ids))),
    )


def _event_entries(story_id: str, events: Sequence[tuple[str, str | None, Event]]) -> list[TimelineEntry]:
    groups: dict[tuple[str, Granularity, str, str, str], list[tuple[str, Event]]] = defaultdict(list)
    for article_id, _published, event in events:
        if not event.date:
            continue
        key = (
            event.date,
            event.date_granularity or "day",
            event.type,
            event.acled_subtype or "",
            _fold(event.place or ""),
        )
        groups[key].append((article_id, event))
    out = []
    for (date, granularity, type_, subtype, _), members in groups.items():
        first = min(members, key=lambda m: (m[0], m[1].sentence_index))[1]
        label = subtype or type_
        if first.place:
            label += f" in {first.place}"
        actors = sorted({a for _, e in members for a in e.actors})
        if actors:
            label += f" ({', '.join(actors[:4])})"
        label += f': "{_snippet(first.sentence)}"'
        out.append(_entry(story_id, date, granularity, "event", label, {a for a, _ in members}))
    return out


def _claim_entries(story_id: str, claims: Sequence[StoryClaim], counters: _Counters) -> list[TimelineEntry]:
    groups: dict[tuple[str, Granularity, str, str, str], list[StoryClaim]] = defaultdict(list)
    for sc in claims:
        c = sc.claim
        if not c.date:
            continue
        who = counters.key(c.source) or ""
        groups[(c.date, c.date_granularity or "day", c.kind, c.stance, who)].append(sc)
    out = []
    for (date, granularity, kind, stance, who), members in groups.items():
        first = min(members, key=lambda sc: (sc.published or "", sc.seq, sc.id))
        speaker = counters.display(who) if who else (first.source_outlet or "unattributed")
        if kind == "denial":  # what was denied has no kind of its own: the quote says it
            label = f'{speaker} issues a denial: "{_snippet(first.claim.sentence)}"'
        else:
            verb = "denies" if stance == "denies" else "reports"
            label = f'{speaker} {verb} {kind}: "{_snippet(first.claim.sentence)}"'
        out.append(
            _entry(
                story_id,
                date,
                granularity,
                "claim",
                label,
                {sc.article_id for sc in members},
                claim_ids=[sc.id for sc in members],
            )
        )
    return out


def _figure_entries(
    story_id: str, reconciliations: Sequence[Reconciliation], figures: Sequence[StoryFigure], counters: _Counters
) -> list[TimelineEntry]:
    """Each value change of an evolving slot, counter by counter, at the day it was reported for."""
    by_id = {sf.id: sf for sf in figures}
    out = []
    for rec in reconciliations:
        if rec.verdict != "evolving":
            continue
        previous: dict[str | None, float] = {}
        slot = [by_id[i] for i in rec.figure_ids if i in by_id]
        owner = _assign_counters(slot, counters)
        for sf in sorted(slot, key=_when):
            day = _effective_day(sf)
            key = owner[sf.id]
            if not day or previous.get(key) == sf.figure.value:
                continue
            before = previous.get(key)
            previous[key] = sf.figure.value
            fig = sf.figure
            granularity: Granularity = (fig.date_granularity or "day") if fig.date and not fig.date_fallback else "day"
            change = f" (was {before:g})" if before is not None else ""
            label = f"{rec.label}: {_describe(fig)}{change}, per {counters.display(key)}"
            out.append(_entry(story_id, day, granularity, "figure", label, {sf.article_id}, figure_ids=[sf.id]))
    return out


def build_timeline(
    story_id: str,
    figures: Sequence[StoryFigure],
    claims: Sequence[StoryClaim],
    events: Sequence[tuple[str, str | None, Event]],
    reconciliations: Sequence[Reconciliation],
) -> list[TimelineEntry]:
    """Dated entries in date order (coarser dates after finer ones on the same day), deterministic."""
    figures = sorted(figures, key=lambda sf: sf.id)
    claims = sorted(claims, key=lambda sc: sc.id)
    counters = _Counters([*(sf.figure.source for sf in figures), *(sc.claim.source for sc in claims)])
    entries = [
        *_event_entries(story_id, events),
        *_claim_entries(story_id, claims, counters),
        *_figure_entries(story_id, reconciliations, figures, counters),
    ]
    unique: dict[str, TimelineEntry] = {}
    position: dict[str, int] = {}
    for e in entries:
        if e.id in unique:  # same label on the same day: merge the citations
            old = unique[e.id]
            e = _entry(
                story_id,
                e.date,
                e.granularity,
                e.kind,
                e.label,
                {*old.article_ids, *e.article_ids},
                [*old.figure_ids, *e.figure_ids],
                [*old.claim_ids, *e.claim_ids],
            )
        position.setdefault(e.id, len(position))
        unique[e.id] = e

    def order(e: TimelineEntry) -> tuple[str, int, int, str]:
        # figure changes keep their reporting order within a day; the rest sort by label
        tie = f"{position[e.id]:08d}" if e.kind == "figure" else e.label
        return (e.date, _GRANULARITY_ORDER[e.granularity], _KIND_ORDER[e.kind], tie)

    return sorted(unique.values(), key=order)
