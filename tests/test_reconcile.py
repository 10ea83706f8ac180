"""Reconciliation of a story's figures and claims, on invented reports about an invented conflict."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.model import Claim, Event, Figure, Qualifier
from newsweave.reconcile import (
    StoryClaim,
    StoryFigure,
    reconcile_story,
    reconcile_values,
    slot_figures,
)


def fig(
    id: str,
    value: float,
    qualifier: Qualifier = "exact",
    *,
    measure: str = "killed",
    group: str = "all",
    source: str | None = None,
    article: str = "a1",
    published: str | None = "2025-03-04",
    date: str | None = None,
    background: bool = False,
    part_of: int | None = None,
    index: int | None = None,
    stance: str = "asserts",
    place: str | None = None,
    seq: int = 1,
) -> StoryFigure:
    figure = Figure(
        sentence_index=0,
        sentence=f"{value:g} {group} {measure}",
        start=int(value) % 97,
        end=int(value) % 97 + 3,
        measure=measure,
        value=float(value),
        qualifier=qualifier,
        group=group,
        source=source,
        stance="denies" if stance == "denies" else "asserts",
        date=date or published,
        date_granularity="day",
        date_fallback=date is None,
        background=background,
        part_of=part_of,
        place=place,
    )
    return StoryFigure(id, article, published, seq, "Karvel Courier", figure, index)


def claim(
    id: str,
    sentence: str,
    kind: str,
    *,
    source: str | None = None,
    stance: str = "asserts",
    article: str = "a1",
    date: str | None = None,
) -> StoryClaim:
    c = Claim(
        sentence_index=0,
        sentence=sentence,
        start=0,
        end=len(sentence),
        kind=kind,
        source=source,
        stance="denies" if stance == "denies" else "asserts",
        date=date,
        date_granularity="day" if date else None,
    )
    return StoryClaim(id, article, "2025-03-04", 1, "Karvel Courier", c)


MONITOR = "Riverland Monitor for Human Rights"


def slot_of(result_recs: tuple[object, ...], figure_id: str) -> object:
    found = [r for r in result_recs if figure_id in r.figure_ids]  # type: ignore[attr-defined]
    assert len(found) == 1, f"{figure_id} is in {len(found)} slots"
    return found[0]


# --- verdicts and values -------------------------------------------------------------------------


def test_reconcile_values_single_figure_is_single() -> None:
    assert reconcile_values([fig("f1", 12, "at_least")]) == ("single", 12.0, 12.0, 12.0)


def test_reconcile_values_at_least_is_compatible_with_a_higher_exact_figure() -> None:
    verdict, low, best, high = reconcile_values(
        [fig("f1", 145, "at_least", article="a1"), fig("f2", 163, article="a2")]
    )
    assert verdict == "agree"
    assert (low, high) == (145.0, 163.0)
    assert best == 163.0


def test_reconcile_values_around_fifty_agrees_with_fifty() -> None:
    figures = [
        fig("f1", 50, "approx", measure="places_captured", source=MONITOR),
        fig("f2", 50, measure="places_captured", source="RMHR", article="a2"),
        fig("f3", 50, "more_than", measure="places_captured", source=MONITOR, article="a3"),
    ]
    assert reconcile_values(figures)[0] == "agree"


def test_reconcile_values_same_counter_rising_over_days_is_evolving_with_latest_best() -> None:
    figures = [
        fig("f1", 120, source=MONITOR, published="2025-03-02", article="a1"),
        fig("f2", 160, "more_than", source=MONITOR, published="2025-03-03", article="a2"),
        fig("f3", 210, "at_least", source="RMHR", published="2025-03-04", article="a3"),
    ]
    verdict, low, best, high = reconcile_values(figures)
    assert verdict == "evolving"
    assert best == 210.0
    assert low is not None and high is not None and low <= best <= high


def test_reconcile_values_compatible_bounds_raised_by_one_counter_are_evolving_not_agree() -> None:
    # "at least 12", then "at least 19", then "at least 21": every figure fits 21, but the toll grew.
    figures = [
        fig("f1", 12, "at_least", source="Karvel Civil Defence", published="2025-03-04T08:00:00Z", article="a1"),
        fig("f2", 19, "at_least", source="Karvel Civil Defence", published="2025-03-04T17:00:00Z", article="a2"),
        fig("f3", 21, source="Interior Ministry", published="2025-03-05T09:00:00Z", article="a3"),
    ]
    verdict, low, best, high = reconcile_values(figures)
    assert verdict == "evolving"
    assert (low, best, high) == (12.0, 21.0, 21.0)


def test_reconcile_values_a_counter_repeating_its_bound_agrees() -> None:
    figures = [
        fig("f1", 12, "at_least", source="Karvel Civil Defence", published="2025-03-04T08:00:00Z", article="a1"),
        fig("f2", 12, "at_least", source="Karvel Civil Defence", published="2025-03-04T17:00:00Z", article="a2"),
        fig("f3", 14, source="Interior Ministry", published="2025-03-04T09:00:00Z", article="a3"),
    ]
    assert reconcile_values(figures)[0] == "agree"


def test_reconcile_values_local_news_toll_rising_as_victim_dies_takes_latest() -> None:
    figures = [
        fig("f1", 1, published="2025-06-01", article="a1", seq=1),
        fig("f2", 1, published="2025-06-01", article="a2", seq=2),
        fig("f3", 2, published="2025-06-03", article="a3", seq=3),
    ]
    verdict, _, best, _ = reconcile_values(figures)
    assert verdict == "evolving"
    assert best == 2.0


def test_reconcile_values_named_counter_revising_its_toll_down_is_followed() -> None:
    figures = [
        fig("f1", 14, source="Karvel Health Ministry", published="2025-03-02", article="a1"),
        fig("f2", 11, source="Karvel Health Ministry", published="2025-03-03", article="a2"),
    ]
    verdict, _, best, _ = reconcile_values(figures)
    assert verdict == "evolving"
    assert best == 11.0


def test_reconcile_values_later_unattributed_single_victim_does_not_lower_the_toll() -> None:
    figures = [
        fig("f1", 3, published="2025-06-01", article="a1"),
        fig("f2", 1, published="2025-06-05", article="a2"),  # one victim's story, days later
    ]
    assert reconcile_values(figures)[2] == 3.0


def test_reconcile_values_different_counters_with_different_figures_is_spread() -> None:
    figures = [
        fig("f1", 27, "at_least", group="civilians", source="United Nations", article="a1"),
        fig("f2", 20, "approx", group="civilians", source=MONITOR, article="a2"),
    ]
    verdict, low, best, high = reconcile_values(figures)
    assert verdict == "spread"
    assert low == 20.0 and high == 27.0
    assert best in (20.0, 27.0)


def test_reconcile_values_denied_figure_is_conflict() -> None:
    figures = [
        fig("f1", 40, source=MONITOR, article="a1"),
        fig("f2", 40, source="Karvel Interior Ministry", stance="denies", article="a2"),
    ]
    verdict, _, best, _ = reconcile_values(figures)
    assert verdict == "conflict"
    assert best == 40.0


def test_reconcile_values_same_counter_two_exact_figures_for_same_date_is_conflict() -> None:
    figures = [
        fig("f1", 9, source=MONITOR, article="a1", date="2025-03-03"),
        fig("f2", 31, source=MONITOR, article="a2", date="2025-03-03"),
    ]
    assert reconcile_values(figures)[0] == "conflict"


def test_reconcile_values_qualifiers_shape_low_and_high() -> None:
    verdict, low, best, high = reconcile_values(
        [fig("f1", 30, "less_than", source="Karvel Police"), fig("f2", 25, source="Karvel Police", article="a2")]
    )
    assert verdict == "agree"
    assert low is not None and high is not None and best is not None
    assert low <= 25.0 <= high and high <= 30.0


# --- slots ---------------------------------------------------------------------------------------


def offensive_story() -> list[StoryFigure]:
    """An invented offensive: a monitor's rising toll, a ministry's incident count, a UN tally."""
    return [
        fig("t1", 90, source=MONITOR, article="a1", published="2025-03-02"),
        fig("t2", 130, "more_than", source=MONITOR, article="a2", date="2025-03-03"),
        fig("t3", 150, "at_least", article="a3"),  # unattributed: joins the monitor's series
        fig("t4", 171, "at_least", source="RMHR", article="a4"),
        fig("c1", 6, "at_least", group="civilians", source="Karvel government", article="a1"),
        fig("c2", 6, group="civilians", source="Karvel News Agency", article="a5", published="2025-03-05"),
        fig("c3", 15, "approx", group="civilians", source=MONITOR, article="a2"),
        fig("c4", 24, "at_least", group="civilians", source="United Nations", article="a5", published="2025-03-05"),
        fig("p1", 40, "approx", measure="places_captured", source=MONITOR, article="a1"),
        fig("p2", 40, "more_than", measure="places_captured", source=MONITOR, article="a3"),
        fig("b1", 300000, "more_than", background=True, article="a4"),
    ]


def test_reconcile_story_groups_rising_toll_incident_count_and_spread_into_separate_slots() -> None:
    result = reconcile_story("s1", offensive_story(), [])
    toll = slot_of(result.reconciliations, "t1")
    assert set(toll.figure_ids) == {"t1", "t2", "t3", "t4"}  # type: ignore[attr-defined]
    assert toll.verdict == "evolving" and toll.best == 171.0  # type: ignore[attr-defined]
    incident = slot_of(result.reconciliations, "c1")
    assert set(incident.figure_ids) == {"c1", "c2"}  # type: ignore[attr-defined]
    assert incident.verdict == "agree"  # type: ignore[attr-defined]
    civilians = slot_of(result.reconciliations, "c3")
    assert set(civilians.figure_ids) == {"c3", "c4"}  # type: ignore[attr-defined]
    assert civilians.verdict == "spread"  # type: ignore[attr-defined]
    captured = slot_of(result.reconciliations, "p1")
    assert captured.verdict == "agree" and captured.label == "places captured"  # type: ignore[attr-defined]


def test_reconcile_story_keeps_background_figures_out_of_slots() -> None:
    result = reconcile_story("s1", offensive_story(), [])
    assert not any("b1" in r.figure_ids for r in result.reconciliations)


def test_reconcile_story_puts_every_foreground_figure_in_exactly_one_slot() -> None:
    figures = offensive_story()
    result = reconcile_story("s1", figures, [])
    ids = [i for r in result.reconciliations for i in r.figure_ids]
    assert sorted(ids) == sorted(sf.id for sf in figures if not sf.figure.background)


def test_reconcile_story_labels_are_readable_and_unique() -> None:
    result = reconcile_story("s1", offensive_story(), [])
    labels = [r.label for r in result.reconciliations]
    assert len(labels) == len(set(labels))
    assert "killed (all)" in labels
    assert any(label.startswith("civilians killed") for label in labels)


def test_reconcile_story_breakdown_parts_are_not_the_total() -> None:
    figures = [
        fig("total", 30, source=MONITOR, index=0),
        fig("part1", 12, source=MONITOR, part_of=0, index=1),
        fig("part2", 18, source=MONITOR, part_of=0, index=2),
        fig("other", 31, source=MONITOR, article="a2", published="2025-03-05", index=0),
    ]
    result = reconcile_story("s1", figures, [])
    total = slot_of(result.reconciliations, "total")
    assert set(total.figure_ids) == {"total", "other"}  # type: ignore[attr-defined]
    assert slot_of(result.reconciliations, "part1") is not slot_of(result.reconciliations, "part2")


def test_reconcile_story_parts_of_another_group_join_their_group_slot() -> None:
    figures = [
        fig("total", 60, source=MONITOR, index=0),
        fig("civ", 14, group="civilians", source=MONITOR, part_of=0, index=1),
        fig("civ2", 14, "approx", group="civilians", source="United Nations", article="a2"),
    ]
    result = reconcile_story("s1", figures, [])
    assert set(slot_of(result.reconciliations, "civ").figure_ids) == {"civ", "civ2"}  # type: ignore[attr-defined]


def test_reconcile_story_different_places_are_different_slots() -> None:
    figures = [
        fig("f1", 8, source=MONITOR, place="Karvel"),
        fig("f2", 9, source="Karvel Police", place="Dunmore", article="a2"),
    ]
    result = reconcile_story("s1", figures, [])
    assert len(result.reconciliations) == 2
    assert all(r.verdict == "single" for r in result.reconciliations)


def test_slot_figures_merges_acronym_and_full_counter_name() -> None:
    figures = [
        fig("f1", 40, source=MONITOR, published="2025-03-03"),
        fig("f2", 60, source="RMHR", article="a2", published="2025-03-04"),
    ]
    slots = slot_figures(figures)
    assert len(slots) == 1
    assert reconcile_values(slots[0])[0] == "evolving"


# --- contradictions ------------------------------------------------------------------------------


def test_reconcile_story_denial_contradicts_the_claim_it_denies() -> None:
    claims = [
        claim(
            "k1",
            "The militias now control four districts of Karvel, the monitor said.",
            "control",
            source=MONITOR,
            article="a1",
        ),
        claim(
            "k2",
            "State television denied reports that militias had gained ground in the harbour district.",
            "denial",
            source="state television",
            stance="denies",
            article="a2",
        ),
        claim(
            "k3",
            "The government promised more aid to the province.",
            "pledge",
            source="Karvel government",
            article="a3",
        ),
    ]
    result = reconcile_story("s1", [], claims)
    assert len(result.contradictions) == 1
    c = result.contradictions[0]
    assert set(c.article_ids) == {"a1", "a2"}
    assert set(c.claim_ids) == {"k1", "k2"}
    assert "denies" in c.explanation


def test_reconcile_story_regained_positions_contradict_captures() -> None:
    claims = [
        claim(
            "k1",
            "The army said it had won back two hilltops near Dunmore.",
            "regain",
            source="Karvel army",
            article="a1",
        ),
        claim("k2", "Militias captured over 30 villages, the monitor said.", "capture", source=MONITOR, article="a1"),
    ]
    figures = [fig("p1", 30, "more_than", measure="places_captured", source=MONITOR)]
    result = reconcile_story("s1", figures, claims)
    assert len(result.contradictions) == 1
    c = result.contradictions[0]
    assert set(c.claim_ids) == {"k1", "k2"} and c.figure_ids == ("p1",)
    assert c.article_ids == ("a1",)


def test_reconcile_story_unattributed_regain_narration_is_not_a_contradiction() -> None:
    claims = [
        claim("k1", "Allies once helped the army regain lost territory.", "regain", article="a1"),
        claim("k2", "Militias captured over 30 villages, the monitor said.", "capture", source=MONITOR),
    ]
    assert reconcile_story("s1", [], claims).contradictions == ()


def test_reconcile_story_no_contradiction_between_agreeing_claims() -> None:
    claims = [
        claim("k1", "Militias captured the airport.", "capture", source=MONITOR, article="a1"),
        claim("k2", "The airport fell to militias, residents said.", "capture", source="residents", article="a2"),
    ]
    assert reconcile_story("s1", [], claims).contradictions == ()


def test_reconcile_story_conflicting_figures_become_a_contradiction() -> None:
    figures = [
        fig("f1", 40, source=MONITOR, article="a1"),
        fig("f2", 40, source="Karvel Interior Ministry", stance="denies", article="a2"),
    ]
    result = reconcile_story("s1", figures, [])
    assert [c.figure_ids for c in result.contradictions] == [("f1", "f2")]
    assert result.contradictions[0].article_ids == ("a1", "a2")


# --- timeline ------------------------------------------------------------------------------------


def test_reconcile_story_timeline_orders_events_claims_and_toll_changes() -> None:
    events = [
        (
            "a1",
            "2025-03-04",
            Event(
                0,
                "Militias stormed the outskirts on Sunday.",
                "ASSAULT",
                "Armed clash",
                date="2025-03-02",
                date_granularity="day",
                place="Karvel",
            ),
        ),
        (
            "a2",
            "2025-03-04",
            Event(
                1,
                "Clashes on Sunday.",
                "ASSAULT",
                "Armed clash",
                date="2025-03-02",
                date_granularity="day",
                place="Karvel",
            ),
        ),
        (
            "a2",
            "2025-03-04",
            Event(2, "Troops arrived earlier this week.", "MOBILIZE", None, date="2025-03-03", date_granularity="week"),
        ),
        ("a2", "2025-03-04", Event(3, "An undated event.", "COERCE")),
    ]
    figures = [
        fig("t1", 90, source=MONITOR, article="a1", published="2025-03-02"),
        fig("t2", 130, source=MONITOR, article="a2", published="2025-03-04"),
    ]
    claims = [claim("k1", "The militias control the airport.", "control", source=MONITOR, date="2025-03-03")]
    result = reconcile_story("s1", figures, claims, events)
    dates = [(t.date, t.kind) for t in result.timeline]
    assert dates == [
        ("2025-03-02", "event"),
        ("2025-03-02", "figure"),
        ("2025-03-03", "claim"),
        ("2025-03-03", "event"),
        ("2025-03-04", "figure"),
    ]
    clash = result.timeline[0]
    assert clash.article_ids == ("a1", "a2") and "Armed clash in Karvel" in clash.label
    assert result.timeline[3].granularity == "week"
    assert "130 (was 90)" in result.timeline[4].label


# --- determinism and properties ------------------------------------------------------------------


def test_reconcile_story_output_does_not_depend_on_input_order() -> None:
    figures = offensive_story()
    claims = [
        claim("k1", "Militias captured 40 villages.", "capture", source=MONITOR, article="a1"),
        claim(
            "k2",
            "State radio dismissed reports of militia advances.",
            "denial",
            stance="denies",
            source="state media",
            article="a2",
        ),
    ]
    first = reconcile_story("s1", figures, claims)
    rng = random.Random(7)
    for _ in range(5):
        shuffled_f, shuffled_c = figures[:], claims[:]
        rng.shuffle(shuffled_f)
        rng.shuffle(shuffled_c)
        assert reconcile_story("s1", shuffled_f, shuffled_c) == first


def test_reconcile_story_ids_derive_from_story_and_content() -> None:
    a = reconcile_story("s1", offensive_story(), [])
    b = reconcile_story("s2", offensive_story(), [])
    assert all(r.id.startswith("r-") for r in a.reconciliations)
    assert {r.id for r in a.reconciliations}.isdisjoint({r.id for r in b.reconciliations})
    assert [r.id for r in a.reconciliations] == [
        r.id for r in reconcile_story("s1", offensive_story(), []).reconciliations
    ]


_QUALIFIERS: list[Qualifier] = ["exact", "approx", "at_least", "more_than", "at_most", "less_than"]
_figure_specs = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5000),
        st.sampled_from(_QUALIFIERS),
        st.sampled_from([None, MONITOR, "RMHR", "United Nations", "Karvel Police"]),
        st.sampled_from(["2025-03-01", "2025-03-02", "2025-03-03"]),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


def _build(specs: list[tuple[int, Qualifier, str | None, str, bool]]) -> list[StoryFigure]:
    return [
        fig(f"f{i}", v, q, source=s, published=p, article=f"a{i % 3}", stance="denies" if d and i else "asserts")
        for i, (v, q, s, p, d) in enumerate(specs)
    ]


@settings(max_examples=150, deadline=None)
@given(_figure_specs)
def test_reconcile_values_low_best_high_are_ordered(specs: list[tuple[int, Qualifier, str | None, str, bool]]) -> None:
    verdict, low, best, high = reconcile_values(_build(specs))
    assert low is not None and best is not None and high is not None
    assert low <= best <= high
    assert verdict in ("agree", "evolving", "spread", "conflict", "single")
    assert (verdict == "single") == (len(specs) == 1)


@settings(max_examples=100, deadline=None)
@given(_figure_specs, st.randoms(use_true_random=False))
def test_reconcile_story_is_permutation_invariant(
    specs: list[tuple[int, Qualifier, str | None, str, bool]], rnd: random.Random
) -> None:
    figures = _build(specs)
    shuffled = figures[:]
    rnd.shuffle(shuffled)
    assert reconcile_story("s", figures, []) == reconcile_story("s", shuffled, [])
    assert reconcile_values(figures) == reconcile_values(shuffled)
    slotted = sorted(i for slot in slot_figures(figures) for i in (sf.id for sf in slot))
    assert slotted == sorted(sf.id for sf in figures)
