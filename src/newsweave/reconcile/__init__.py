"""Cross-source reconciliation: figure slots, verdicts, low/best/high, contradictions and a timeline.

``reconcile_story`` turns the attributed figures, claims and events of one story into one picture:

1. **Figure slots.** Figures that speak about the same thing share a slot: the same measure (``killed``,
   ``places_captured``...) and group (``civilians``, ``all``...), a compatible place, and values of the
   same order. Inside a (measure, group) partition, each counter's figures form a *series* (a counter
   revising its own toll stays together); unattributed figures are single units; units merge by
   complete linkage while their latest values stay within a factor of three, never across two different
   named places and never between parts of the same breakdown. Parts of a breakdown (``part_of``) that
   share their total's group get their own slots, so a part is never mistaken for the total.
   Background figures (``background`` True: another time or scope, such as a war's whole toll) are
   **kept out of slots**: they describe context, not the story, and would pollute exports.
2. **Verdict per slot.** ``single`` (one figure); ``conflict`` (a figure denied by one side and asserted
   by another, or the same counter giving incompatible exact figures for the same date at the same
   time); ``spread`` (the current figures of different counters are incompatible); ``evolving`` (a
   counter's figure rose or was revised over time); ``agree`` otherwise. Qualifiers define intervals:
   "at least 145" is compatible with 163, "around 40" with 40.
3. **low / best / high.** Each counter has a *standing* figure: its latest, except that a lower later
   figure stands only when the same named counter revises itself (an unattributed "1 killed" after
   "3 killed" is usually one victim's story). ``best`` is the standing figure of the best counter:
   named before unattributed, credible (asserted, not hedged) before not, most recent, then most
   specific (exact before approximate before bounded). ``low``/``high`` span the counters' standing
   figures (every figure when all are compatible), qualifiers respected ("at least 31" adds 31 to low,
   never an upper bound); ``conservative`` is ACLED's rule: the lowest credible standing figure.
   ``spread`` compares, per counter, the figures of its latest period compatible with its standing one.
4. **Contradictions.** Denials against the claims (and figures) they deny, "regained" claims against
   other sources' capture claims, and figure conflicts.
5. **Timeline.** Dated events, dated claims and the changes of evolving figures, with date granularity.

Everything is deterministic: ids are hashes of the story id and content, and the order of the inputs
does not change the output.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsweave.model import Event
from newsweave.reconcile.contradictions import claim_family, find_contradictions
from newsweave.reconcile.figures import (
    normalise_group,
    normalise_measure,
    reconcile_figures,
    reconcile_values,
    slot_figures,
)
from newsweave.reconcile.records import StoryClaim, StoryFigure, StoryReconciliation, TimelineEntry
from newsweave.reconcile.timeline import build_timeline

__all__ = [
    "StoryClaim",
    "StoryFigure",
    "StoryReconciliation",
    "TimelineEntry",
    "build_timeline",
    "claim_family",
    "find_contradictions",
    "normalise_group",
    "normalise_measure",
    "reconcile_figures",
    "reconcile_story",
    "reconcile_values",
    "slot_figures",
]


def reconcile_story(
    story_id: str,
    figures: Sequence[StoryFigure],
    claims: Sequence[StoryClaim],
    events: Sequence[tuple[str, str | None, Event]] = (),
) -> StoryReconciliation:
    """Reconcile one story: figure slots with verdicts, contradictions, and the timeline.

    ``events`` are ``(article_id, published, event)`` triples. The result does not depend on the order
    of the inputs.
    """
    reconciliations = reconcile_figures(story_id, figures)
    contradictions = find_contradictions(story_id, claims, figures, reconciliations)
    ordered_events = sorted(events, key=lambda e: (e[0], e[2].sentence_index, e[2].type, e[2].date or ""))
    timeline = build_timeline(story_id, figures, claims, ordered_events, reconciliations)
    return StoryReconciliation(
        story_id=story_id,
        reconciliations=tuple(reconciliations),
        contradictions=tuple(contradictions),
        timeline=tuple(timeline),
    )
