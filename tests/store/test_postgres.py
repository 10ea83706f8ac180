"""What only the PostgreSQL back end promises (the shared behaviour is in test_contract.py)."""

from __future__ import annotations

import threading

import pytest

from newsweave.errors import StoreError
from newsweave.model import ArticleInput
from newsweave.pipeline import store_inputs
from newsweave.store import Store, open_store, sqlite
from newsweave.store import postgres as pg

pytest.importorskip("psycopg")


def test_postgres_store_registers_the_same_migrations_as_sqlite() -> None:
    assert [(i, n) for i, n, _ in pg.MIGRATIONS] == [(i, n) for i, n, _ in sqlite.MIGRATIONS]


def test_postgres_store_unreachable_server_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StoreError, match="cannot open store") as err:
        open_store("postgresql://newsweave:s3cret@127.0.0.1:1/nowhere?connect_timeout=3")
    assert "s3cret" not in str(err.value) and "***" in str(err.value)


def test_postgres_store_redacts_only_the_password() -> None:
    assert pg.redact_url("postgresql://u:p@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert pg.redact_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert pg.redact_url("postgresql:///db") == "postgresql:///db"


@pytest.mark.parametrize("query", ["", "   ", "AND", "OR OR", "NOT", "()", '"', "-", "*"])
def test_postgres_store_query_without_terms_searches_nothing(query: str) -> None:
    assert pg._tsquery(query) == ("", [])


def test_postgres_store_query_translates_fts5_operators() -> None:
    sql, params = pg._tsquery('flood "mountain pass" OR rain* NOT snow')
    assert sql.count("||") == 1 and sql.count("!!") == 1
    assert params == ["flood", "mountain pass", "'rain':*", "snow"]


@pytest.fixture
def pg_store(postgres_location: str) -> Store:
    store = open_store(postgres_location)
    assert isinstance(store, pg.PostgresStore)
    return store


def test_postgres_store_search_is_stemmed(pg_store: Store) -> None:
    store_inputs(pg_store, [ArticleInput(text="Rescuers searched the flooded valleys.", origin="a")])
    hits = pg_store.search("rescuer valley")
    assert len(hits) == 1 and "[Rescuers]" in hits[0]["snippet"] and "[valleys]" in hits[0]["snippet"]


def test_postgres_store_keeps_metadata_with_nul_characters(pg_store: Store) -> None:
    report = store_inputs(pg_store, [ArticleInput(text="Talks resumed on Monday.", origin="a", source="Her\x00ald")])
    assert pg_store.get_article(report.added[0]).source == "Her\ufffdald"


def test_postgres_store_nested_transaction_is_refused(pg_store: Store) -> None:
    with pg_store.transaction(), pytest.raises(StoreError, match="within a transaction"), pg_store.transaction():
        pass


def test_postgres_store_concurrent_writers_get_gap_free_seq(postgres_location: str) -> None:
    stores = [open_store(postgres_location) for _ in range(3)]
    errors: list[BaseException] = []

    def write(store: Store, writer: int) -> None:
        try:
            for i in range(8):
                store_inputs(store, [ArticleInput(text=f"Writer {writer} filed report {i}.", origin=f"{writer}:{i}")])
        except BaseException as exc:  # handed to the main thread, which fails the test
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(a.seq for a in stores[0].get_articles()) == list(range(1, 25))
    for s in stores:
        s.close()


def _kill_connection(location: str, store: Store) -> None:
    import psycopg

    assert isinstance(store, pg.PostgresStore)
    with psycopg.connect(location, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (store._conn.info.backend_pid,))


def test_postgres_store_lost_connection_fails_the_transaction_then_reconnects(postgres_location: str) -> None:
    store = open_store(postgres_location)
    try:
        with pytest.raises(StoreError), store.transaction():
            store.set_state("before", b"1")
            _kill_connection(postgres_location, store)
            store.set_state("after", b"2")
        assert store.get_state("before") is None and store.get_state("after") is None
        store_inputs(store, [ArticleInput(text="Talks resumed on Monday.", origin="a")])
        assert store.counts()["articles"] == 1
    finally:
        store.close()
