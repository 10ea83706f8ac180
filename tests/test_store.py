import sqlite3

import pytest

from newsweave.errors import NotFoundError, StoreError
from newsweave.model import ArticleInput, Extraction, Figure, Rejected
from newsweave.pipeline import store_inputs
from newsweave.store import open_store

TEXT = "Floods killed 12 people in the valley on Friday. Rescuers searched for the missing."


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "s.db"))
    yield s
    s.close()


def test_store_migrations_recorded_once(tmp_path):
    path = str(tmp_path / "m.db")
    open_store(path).close()
    s = open_store(path)
    assert s.migrations() == [(1, "initial schema")]
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_same_text_twice_is_stored_once_and_reported(store):
    r1 = store_inputs(store, [ArticleInput(text=TEXT, origin="a.txt")])
    r2 = store_inputs(store, [ArticleInput(text=TEXT, origin="b.txt")])
    assert len(r1.added) == 1 and r2.added == [] and r2.duplicates == r1.added
    assert store.counts()["articles"] == 1


def test_store_same_text_with_other_caller_id_is_a_second_article(store):
    report = store_inputs(store, [ArticleInput(text=TEXT, origin="x", external_id="1"),
                                  ArticleInput(text=TEXT, origin="x", external_id="2")])
    assert len(report.added) == 2
    a, b = store.get_articles()
    assert a.content_hash == b.content_hash and (a.external_id, b.external_id) == ("1", "2")


def test_store_round_trips_article_metadata_and_sentences(store):
    store_inputs(store, [ArticleInput(text=TEXT, origin="f.jsonl:3", title="Floods", source="Herald",
                                      url="https://h.example/1", published="2025-03-14", external_id="7")])
    art = store.find_article("7")
    assert (art.title, art.source, art.published, art.origin) == ("Floods", "Herald", "2025-03-14", "f.jsonl:3")
    assert [s.text for s in art.sentences] == ["Floods killed 12 people in the valley on Friday.",
                                               "Rescuers searched for the missing."]
    assert store.find_article(art.id[:6]).id == art.id


def test_store_rejected_inputs_are_kept_with_reason(store):
    report = store_inputs(store, [Rejected("in.jsonl:4", "ingest", "invalid JSON"), ArticleInput(text=" \n", origin="e")])
    assert [r.item for r in report.rejected] == ["in.jsonl:4", "e"]
    assert store.rejected()[1].reason.startswith("empty article")


def test_store_failed_batch_leaves_no_partial_article(store):
    def items():
        yield ArticleInput(text=TEXT, origin="ok")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store_inputs(store, items(), batch_size=10)
    assert store.counts()["articles"] == 0
    report = store_inputs(store, [ArticleInput(text=TEXT, origin="ok")])
    assert len(report.added) == 1 and store.counts()["sentences"] == 2


def test_store_stage_bookkeeping_reports_stale_articles(store):
    store_inputs(store, [ArticleInput(text=TEXT, origin="a"), ArticleInput(text=TEXT + " More.", origin="b")])
    ids = store.article_ids()
    assert store.stale("extract", "v1") == ids
    with store.transaction():
        store.mark_done("extract", "v1", ids[:1])
    assert store.stale("extract", "v1") == ids[1:]
    assert store.stale("extract", "v2") == ids


def test_store_extraction_replaced_not_appended(store):
    store_inputs(store, [ArticleInput(text=TEXT, origin="a")])
    aid = store.article_ids()[0]
    fig = Figure(sentence_index=0, sentence="s", start=0, end=1, measure="killed", value=12, qualifier="exact")
    for _ in range(2):
        with store.transaction():
            store.save_extraction(aid, Extraction(figures=(fig,)))
    assert [f for _, _, f in store.figures()] == [fig]


def test_store_search_returns_snippets_and_survives_bad_syntax(store):
    store_inputs(store, [ArticleInput(text=TEXT, origin="a", title="Valley floods")])
    hits = store.search("rescuers")
    assert hits and "[Rescuers]" in hits[0]["snippet"]
    assert store.search('AND "unbalanced') == []


def test_store_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "nope" / "s.db"))


def test_store_unknown_article_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.find_article("zzzz")
