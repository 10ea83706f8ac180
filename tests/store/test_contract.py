"""The store contract: what every back end (SQLite, PostgreSQL) must do, checked the same way on each."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsweave.errors import NotFoundError
from newsweave.model import (
    ArticleInput,
    Claim,
    Contradiction,
    Duplicate,
    Entity,
    Event,
    Extraction,
    Figure,
    Mention,
    Place,
    Reconciliation,
    Rejected,
    Story,
)
from newsweave.pipeline import prepare, store_inputs
from newsweave.store import NewArticle, Store
from newsweave.store.sqlite import MIGRATIONS

TEXT = "Floods killed 12 people in the valley on Friday. Rescuers searched for the missing."
OTHER = "A storm closed the mountain pass on Sunday.\n\nOfficials said the road would reopen by Tuesday."


def add(store: Store, *texts: str, **meta: str) -> list[str]:
    report = store_inputs(store, [ArticleInput(text=t, origin=f"in:{i}", **meta) for i, t in enumerate(texts)])
    return report.added


def fig(value: float, measure: str = "killed", **kw: Any) -> Figure:
    return Figure(sentence_index=0, sentence="s", start=0, end=1, measure=measure, value=value, qualifier="exact", **kw)


# -- migrations and opening --------------------------------------------------------------------------------
def test_store_migrations_recorded_once_with_the_registered_ids_and_names(open_at: Callable[[], Store]) -> None:
    open_at().close()
    store = open_at()
    assert store.migrations() == [(mid, name) for mid, name, _ in MIGRATIONS]


def test_store_reopened_keeps_everything(open_at: Callable[[], Store]) -> None:
    first = open_at()
    ids = add(first, TEXT, OTHER)
    first.close()
    again = open_at()
    assert again.article_ids() == ids and again.counts()["sentences"] == 4


def test_store_revision_grows_with_each_write_seen_from_another_connection(open_at: Callable[[], Store]) -> None:
    writer, reader = open_at(), open_at()
    before = reader.revision()
    reader.article_ids()
    reader.search("flood")
    assert reader.revision() == before  # reads change nothing
    add(writer, TEXT)
    after_one = reader.revision()
    with writer.transaction():
        writer.set_state("k", b"v")
    assert before < after_one < reader.revision() == writer.revision()
    with pytest.raises(RuntimeError), writer.transaction():
        writer.set_state("k", b"w")
        raise RuntimeError("abandoned")
    assert reader.revision() == writer.revision() and writer.get_state("k") == b"v"  # a rollback counts nothing
    writer.close()
    reader.close()


# -- articles ------------------------------------------------------------------------------------------------
def test_store_same_text_twice_is_stored_once_and_reported(store: Store) -> None:
    r1 = store_inputs(store, [ArticleInput(text=TEXT, origin="a.txt")])
    r2 = store_inputs(store, [ArticleInput(text=TEXT, origin="b.txt")])
    assert len(r1.added) == 1 and r2.added == [] and r2.duplicates == r1.added
    assert store.counts()["articles"] == 1


def test_store_same_text_twice_in_one_batch_is_stored_once(store: Store) -> None:
    report = store_inputs(store, [ArticleInput(text=TEXT, origin="a"), ArticleInput(text=TEXT, origin="b")])
    assert len(report.added) == 1 and report.duplicates == report.added


def test_store_same_text_with_other_caller_id_is_a_second_article(store: Store) -> None:
    report = store_inputs(
        store,
        [ArticleInput(text=TEXT, origin="x", external_id="1"), ArticleInput(text=TEXT, origin="x", external_id="2")],
    )
    assert len(report.added) == 2
    a, b = store.get_articles()
    assert a.content_hash == b.content_hash and (a.external_id, b.external_id) == ("1", "2")


def test_store_round_trips_article_metadata_and_sentences(store: Store) -> None:
    store_inputs(
        store,
        [
            ArticleInput(
                text=TEXT,
                origin="f.jsonl:3",
                title="Floods",
                source="Herald",
                url="https://h.example/1",
                published="2025-03-14",
                external_id="7",
                language="en",
            )
        ],
    )
    art = store.find_article("7")
    assert (art.title, art.source, art.url, art.published, art.origin, art.language) == (
        "Floods",
        "Herald",
        "https://h.example/1",
        "2025-03-14",
        "f.jsonl:3",
        "en",
    )
    assert [s.text for s in art.sentences] == [
        "Floods killed 12 people in the valley on Friday.",
        "Rescuers searched for the missing.",
    ]
    assert store.find_article(art.id[:6]).id == art.id


def test_store_round_trips_paragraphs_and_offsets(store: Store) -> None:
    (aid,) = add(store, OTHER)
    art = store.get_article(aid)
    assert len(art.paragraphs) == 2 and [p.index for p in art.paragraphs] == [0, 1]
    assert [art.text[s.start : s.end] for s in art.sentences] == [s.text for s in art.sentences]
    assert [s.paragraph for s in art.sentences] == [0, 1]


def test_store_add_article_returns_the_stored_record_and_assigns_next_seq(store: Store) -> None:
    ids = add(store, TEXT, OTHER, TEXT + " Again.")
    assert [a.seq for a in store.get_articles()] == [1, 2, 3]
    assert store.article_ids() == ids
    assert store.get_article(ids[1]).seq == 2


def test_store_seq_has_no_gap_after_a_rolled_back_batch(store: Store) -> None:
    add(store, TEXT)

    def items() -> Iterator[ArticleInput]:
        yield ArticleInput(text=OTHER, origin="lost")
        raise RuntimeError("reader failed")

    with pytest.raises(RuntimeError):
        store_inputs(store, items())
    add(store, OTHER)
    assert [a.seq for a in store.get_articles()] == [1, 2]


def test_store_get_articles_keeps_ingest_order_and_ignores_unknown_ids(store: Store) -> None:
    ids = add(store, TEXT, OTHER)
    got = store.get_articles([ids[1], "no-such-id", ids[0]])
    assert [a.id for a in got] == ids
    assert store.get_articles([]) == []


def test_store_article_rows_list_metadata_without_text(store: Store) -> None:
    ids = add(store, TEXT, OTHER, source="Herald")
    rows = store.article_rows()
    assert [r["id"] for r in rows] == ids and "text" not in rows[0]
    assert rows[0]["chars"] == len(TEXT) and rows[0]["source"] == "Herald" and rows[0]["seq"] == 1
    assert [r["id"] for r in store.article_rows([ids[1]])] == [ids[1]]


def test_store_article_ids_until_uses_published_date(store: Store) -> None:
    store_inputs(
        store,
        [
            ArticleInput(text=TEXT, origin="a", published="2024-11-27"),
            ArticleInput(text=OTHER, origin="b", published="2024-11-29T10:00:00"),
        ],
    )
    first, second = store.article_ids()
    assert store.article_ids(until="2024-11-28") == [first]
    assert store.article_ids(until="2024-11-29T23:59:59") == [first, second]


def test_store_find_article_by_external_id_or_case_blind_prefix(store: Store) -> None:
    store_inputs(store, [ArticleInput(text=TEXT, origin="a", external_id="ext-9")])
    art = store.find_article("ext-9")
    assert store.find_article(art.id[:8].upper()).id == art.id


def test_store_unknown_article_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.find_article("zzzz")
    with pytest.raises(NotFoundError):
        store.get_article("zzzz")
    assert not store.has_article("zzzz")


_TEXT_NO_NUL = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT_NO_NUL, source=_TEXT_NO_NUL, external_id=_TEXT_NO_NUL.filter(bool), blob=st.binary(max_size=64))
def test_store_round_trips_any_metadata_text(
    store: Store, title: str, source: str, external_id: str, blob: bytes
) -> None:
    prepared = prepare(ArticleInput(text=TEXT, origin="p"))
    assert isinstance(prepared, NewArticle)
    new = replace(prepared, id=uuid.uuid4().hex, title=title, source=source, external_id=external_id)
    with store.transaction():
        assert store.add_article(new) is not None
        store.set_state("blob:" + new.id, blob)
    art = store.get_article(new.id)
    assert (art.title, art.source, art.external_id) == (title, source, external_id)
    assert store.get_state("blob:" + new.id) == blob
    assert store.find_article(external_id).external_id == external_id


# -- rejected inputs and transactions -----------------------------------------------------------------------
def test_store_rejected_inputs_are_kept_with_reason(store: Store) -> None:
    report = store_inputs(
        store, [Rejected("in.jsonl:4", "ingest", "invalid JSON"), ArticleInput(text=" \n", origin="e")]
    )
    assert [r.item for r in report.rejected] == ["in.jsonl:4", "e"]
    assert store.rejected()[0] == Rejected("in.jsonl:4", "ingest", "invalid JSON")
    assert store.rejected()[1].reason.startswith("empty article")
    assert store.counts()["rejected"] == 2


def test_store_failed_batch_leaves_no_partial_article(store: Store) -> None:
    def items() -> Iterator[ArticleInput]:
        yield ArticleInput(text=TEXT, origin="ok")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store_inputs(store, items(), batch_size=10)
    assert store.counts()["articles"] == 0
    report = store_inputs(store, [ArticleInput(text=TEXT, origin="ok")])
    assert len(report.added) == 1 and store.counts()["sentences"] == 2


def test_store_transaction_is_all_or_nothing_for_every_kind_of_write(store: Store) -> None:
    (aid,) = add(store, TEXT)
    with pytest.raises(ValueError, match="boom"), store.transaction():
        store.save_extraction(aid, Extraction(figures=(fig(12),)))
        store.save_places(aid, [Place(name="Valley", start=0, end=6)])
        store.mark_done("extract", "v1", [aid])
        store.set_state("k", b"v")
        store.replace_entities([Entity("e1", "Herald", "ORG", ("Herald",))])
        store.replace_stories([Story("s1", "Floods", (aid,))])
        store.add_rejected([Rejected("x", "ingest", "bad")])
        raise ValueError("boom")
    counts = store.counts()
    assert counts["figures"] == counts["places"] == counts["entities"] == counts["stories"] == 0
    assert counts["rejected"] == 0
    assert store.stale("extract", "v1") == [aid] and store.get_state("k") is None


def test_store_committed_transaction_is_visible_to_another_connection(open_at: Callable[[], Store]) -> None:
    writer, reader = open_at(), open_at()
    add(writer, TEXT)
    with writer.transaction():
        writer.set_state("k", b"1")
    assert reader.counts()["articles"] == 1 and reader.get_state("k") == b"1"


# -- stage bookkeeping and state ----------------------------------------------------------------------------
def test_store_stage_bookkeeping_reports_stale_articles(store: Store) -> None:
    add(store, TEXT, TEXT + " More.")
    ids = store.article_ids()
    assert store.stale("extract", "v1") == ids
    with store.transaction():
        store.mark_done("extract", "v1", ids[:1])
    assert store.stale("extract", "v1") == ids[1:]
    assert store.stale("extract", "v1", ids=ids[:1]) == []
    assert store.stale("extract", "v2") == ids
    assert store.stale("geo", "v1") == ids


def test_store_mark_done_again_updates_the_version_and_reset_forgets_it(store: Store) -> None:
    ids = add(store, TEXT)
    with store.transaction():
        store.mark_done("extract", "v1", ids)
        store.mark_done("extract", "v2", ids)
    assert store.stale("extract", "v2") == [] and store.stale("extract", "v1") == ids
    with store.transaction():
        store.reset_stage("extract")
    assert store.stale("extract", "v2") == ids


def test_store_state_round_trips_any_bytes_and_overwrites(store: Store) -> None:
    assert store.get_state("index") is None
    blob = bytes(range(256)) * 3
    with store.transaction():
        store.set_state("index", b"old")
        store.set_state("index", blob)
    assert store.get_state("index") == blob


def test_store_embedding_cache_returns_only_known_keys_and_overwrites(store: Store) -> None:
    assert store.embeddings(["a", "b"]) == {}
    with store.transaction():
        store.save_embeddings({"a": b"\x00\x01" * 8, "b": b"old"})
        store.save_embeddings({"b": bytes(range(256))})
    assert store.embeddings(["b", "a", "missing"]) == {"a": b"\x00\x01" * 8, "b": bytes(range(256))}
    assert store.embeddings([]) == {}
    many = [f"k{i}" for i in range(1200)]  # more keys than one SQL statement's parameters
    with store.transaction():
        store.save_embeddings({k: k.encode() for k in many})
    assert len(store.embeddings(many)) == 1200


# -- per-article analysis -----------------------------------------------------------------------------------
def test_store_extraction_replaced_not_appended(store: Store) -> None:
    (aid,) = add(store, TEXT)
    f = fig(12)
    for _ in range(2):
        with store.transaction():
            store.save_extraction(aid, Extraction(figures=(f,)))
    assert [x for _, _, x in store.figures()] == [f]


def test_store_extraction_round_trips_every_record_kind(store: Store) -> None:
    aid, other = add(store, TEXT, OTHER)
    mention = Mention("Rescuers", "NORP", 49, 57, 1, key="k1")
    figures = (fig(12, group="civilians", low=10.0, high=14.5, source="Herald", date="2025-03-14"), fig(0.1 + 0.2))
    claim = Claim(0, "s", 0, 1, "attack", source="Herald", stance="denies", actors=("A", "B"))
    event = Event(0, "s", "ASSAULT", acled_subtype="Shelling", actors=("A",), figure_indices=(0, 1))
    ex = Extraction(mentions=(mention,), figures=figures, claims=(claim,), events=(event,))
    place = Place("Valley", 0, 6, resolved_name="Vālley", lat=35.5, lon=36.25, candidates=("a", "b"), confidence=0.5)
    with store.transaction():
        store.save_extraction(aid, ex)
        store.save_places(aid, [place])
    assert store.mentions() == {aid: [mention]}
    assert store.figures() == [(f"{aid}-f0", aid, figures[0]), (f"{aid}-f1", aid, figures[1])]
    assert store.claims() == [(f"{aid}-c0", aid, claim)]
    assert store.events() == [(f"{aid}-e0", aid, event)]
    assert store.places() == [(aid, place)]
    assert store.figures([other]) == [] and store.places([other]) == [] and store.mentions([other]) == {}
    assert store.counts()["figures"] == 2 and store.counts()["mentions"] == 1


def test_store_analysis_reads_are_in_article_id_then_reading_order(store: Store) -> None:
    ids = add(store, TEXT, OTHER, TEXT + " Later.")
    with store.transaction():
        for aid in ids:
            store.save_extraction(aid, Extraction(figures=(fig(1), fig(2))))
    got = [(aid, f.value) for _, aid, f in store.figures()]
    assert got == [(aid, v) for aid in sorted(ids) for v in (1, 2)]
    assert [aid for _, aid, _ in store.figures(ids[:1])] == [ids[0], ids[0]]


# -- corpus-wide analysis -----------------------------------------------------------------------------------
def test_store_entities_replaced_and_sorted_by_code_point(store: Store) -> None:
    with store.transaction():
        store.replace_entities([Entity("x", "old", "ORG", ("old",))])
        store.replace_entities(
            [
                Entity("3", "alpha", "ORG", ("alpha", "the alpha")),
                Entity("2", "Zeta", "PERSON", ("Zeta",), mention_count=4),
                Entity("1", "Émile", "PERSON", ("Émile",)),
                Entity("4", "Zeta", "ORG", ("Zeta group",)),
            ]
        )
    assert [(e.name, e.id) for e in store.entities()] == [("Zeta", "2"), ("Zeta", "4"), ("alpha", "3"), ("Émile", "1")]
    assert store.entities()[0] == Entity("2", "Zeta", "PERSON", ("Zeta",), mention_count=4)


def test_store_duplicates_added_once_per_pair_and_updated(store: Store) -> None:
    a, b, c = add(store, TEXT, OTHER, TEXT + " Updated.")
    first = Duplicate(a, c, "near_duplicate", 0.9)
    with store.transaction():
        store.add_duplicates([first, Duplicate(a, b, "exact", 1.0)])
        store.add_duplicates([Duplicate(a, c, "version", 0.95, added=("Updated.",))])
    dups = store.duplicates()
    assert len(dups) == 2 and store.counts()["duplicates"] == 2
    assert Duplicate(a, c, "version", 0.95, added=("Updated.",)) in dups
    assert dups == sorted(dups, key=lambda d: (d.a.encode(), d.b.encode()))


def test_store_repeated_keys_in_one_call_keep_the_last_row(store: Store) -> None:
    a, b = add(store, TEXT, OTHER)
    with store.transaction():
        store.mark_done("extract", "v1", [a, b, a])
        store.add_duplicates([Duplicate(a, b, "exact", 1.0), Duplicate(a, b, "version", 0.8)])
        store.replace_stories([Story("s", "Both", (a, b, a))])
        r1 = Reconciliation("r", "s", "killed", ("f1",), "single", 1.0, 1.0, 1.0)
        r2 = Reconciliation("r", "s", "killed", ("f1", "f2"), "agree", 1.0, 2.0, 2.0)
        store.replace_story_analysis("s", "sig", [r1, r2], [], {})
    assert store.stale("extract", "v1") == []
    assert store.duplicates() == [Duplicate(a, b, "version", 0.8)]
    assert store.reconciliations("s") == [r2]


def test_store_many_rows_in_one_call_are_all_kept(store: Store) -> None:
    (aid,) = add(store, TEXT)
    figures = tuple(fig(i) for i in range(6000))
    with store.transaction():
        store.save_extraction(aid, Extraction(figures=figures))
    assert [f.value for _, _, f in store.figures()] == list(range(6000))


def test_store_stories_replaced_whole_and_found_by_prefix(store: Store) -> None:
    a, b = add(store, TEXT, OTHER)
    with store.transaction():
        store.replace_stories([Story("old-story", "Old", (a,))])
        store.replace_stories(
            [Story("story-b", "Storm", (b,)), Story("story-a", "Floods", (a, b), first_published="2025-03-14")]
        )
    assert [s.id for s in store.stories()] == ["story-a", "story-b"]
    assert store.get_story("story-a") == Story("story-a", "Floods", (a, b), first_published="2025-03-14")
    assert store.get_story("story-b").title == "Storm"
    assert store.counts()["stories"] == 2
    with pytest.raises(NotFoundError):
        store.get_story("old-story")


def test_store_story_analysis_replaced_and_dropped_for_gone_stories(store: Store) -> None:
    rec = Reconciliation("r1", "s1", "killed", ("f1", "f2"), "conflict", 10.0, 12.0, 14.0, explanation="e")
    con = Contradiction("c1", "s1", ("a1", "a2"), "denied", claim_ids=("c1", "c2"))
    other = Reconciliation("r2", "s2", "injured", ("f3",), "single", 3.0, 3.0, 3.0)
    extra = {"zeta": 1, "alpha": [1, 2], "timeline": {"b": None, "a": "x"}}
    with store.transaction():
        store.replace_story_analysis("s1", "sig-old", [other], [], {})
        store.replace_story_analysis("s1", "sig1", [rec], [con], extra)
        store.replace_story_analysis("s2", "sig2", [other], [], {})
    assert store.story_signature("s1") == "sig1" and store.story_signature("nope") is None
    assert store.reconciliations("s1") == [rec] and store.contradictions("s1") == [con]
    assert store.reconciliations() == [rec, other]
    assert list(store.story_extra("s1")) == ["zeta", "alpha", "timeline"]  # key order kept
    assert store.story_extra("s1") == extra and store.story_extra("nope") == {}
    with store.transaction():
        store.drop_story_analysis_except(["s1"])
    assert store.reconciliations() == [rec] and store.story_signature("s2") is None
    with store.transaction():
        store.drop_story_analysis_except([])
    assert store.reconciliations() == [] and store.contradictions() == [] and store.story_signature("s1") is None


def test_store_counts_cover_every_table(store: Store) -> None:
    add(store, TEXT)
    counts = store.counts()
    assert counts["articles"] == 1 and counts["sentences"] == 2
    assert {"rejected", "mentions", "entities", "figures", "claims", "events", "places", "duplicates"} <= set(counts)
    assert {"stories", "reconciliations", "contradictions"} <= set(counts)


# -- full-text search ---------------------------------------------------------------------------------------
def test_store_search_returns_snippets_and_survives_bad_syntax(store: Store) -> None:
    store_inputs(store, [ArticleInput(text=TEXT, origin="a", title="Valley floods")])
    hits = store.search("rescuers")
    assert hits and "[Rescuers]" in hits[0]["snippet"]
    assert store.search('AND "unbalanced') == []
    assert store.search("") == [] and store.search("   ") == []


def test_store_search_hits_carry_metadata_and_respect_limit(store: Store) -> None:
    ids = add(store, TEXT, TEXT + " Rescuers rested.", OTHER, source="Herald")
    hits = store.search("rescuers", limit=1)
    assert len(hits) == 1 and hits[0]["id"] in ids[:2]
    assert {"id", "external_id", "title", "source", "published", "snippet", "rank"} <= set(hits[0])
    assert hits[0]["source"] == "Herald"
    assert {h["id"] for h in store.search("rescuers")} == set(ids[:2])


def test_store_search_all_words_must_match_and_phrases_keep_order(store: Store) -> None:
    _, storm = add(store, TEXT, OTHER)
    assert [h["id"] for h in store.search("storm pass")] == [storm]
    assert store.search("storm floods") == []
    assert [h["id"] for h in store.search('"mountain pass"')] == [storm]
    assert store.search('"pass mountain"') == []


def test_store_search_or_not_and_prefix(store: Store) -> None:
    flood, storm = add(store, TEXT, OTHER)
    assert {h["id"] for h in store.search("valley OR mountain")} == {flood, storm}
    assert [h["id"] for h in store.search("valley AND rescuers")] == [flood]
    assert [h["id"] for h in store.search("officials NOT valley")] == [storm]
    assert [h["id"] for h in store.search("moun*")] == [storm]


def test_store_search_finds_title_words(store: Store) -> None:
    store_inputs(store, [ArticleInput(text=TEXT, origin="a", title="Deluge report")])
    assert len(store.search("deluge")) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.lists(st.sampled_from([*'ab "*()-:^\x00+', "OR", "AND", "NOT", "NEAR", "flood"]), max_size=12).map("".join)
)
def test_store_search_never_fails_on_any_query(store: Store, query: str) -> None:
    if not store.article_ids():
        add(store, TEXT, OTHER)
    hits = store.search(query)
    assert all(isinstance(h["snippet"], str) for h in hits)


def test_store_search_ids_match_search_order(store: Store) -> None:
    add(store, "Floodwater closed the old harbour road on Monday.", "Dockers blocked the harbour gates.")
    add(store, "The harbour reopened after the floodwater receded.")
    for query in ("harbour", "floodwater harbour", '"old harbour"', "harbour OR gates", "((", ""):
        assert store.search_ids(query, 10) == [r["id"] for r in store.search(query, 10)]
