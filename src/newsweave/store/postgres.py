"""PostgreSQL store: the team/server back end, with the same semantics as the SQLite store.

Same tables, same migration ids and names (recorded in a ``migrations`` table), the same JSON text
in the ``data`` columns, and the same orderings (text columns sorted with ``COLLATE "C"``, that is
by code point, as SQLite's BINARY collation does), so an export from either back end is identical.
Differences that cannot be avoided are kept small and written down here:

- Full-text search uses PostgreSQL's own ``tsvector`` (English configuration: stemmed, so "rescuer"
  also finds "Rescuers", and stop words are ignored) over title and text, ranked with ``ts_rank``;
  ``snippet`` comes from ``ts_headline`` with the same ``[`` ``]`` markers as SQLite's. The query
  language is FTS5's: words (all must match), ``"a phrase"``, ``OR``, ``NOT``, ``AND``, ``word*``.
  ``rank`` is negated so that, as with SQLite's bm25, lower is better.
- Writers are serialised by an advisory lock taken at the start of ``transaction`` (SQLite's
  ``BEGIN IMMEDIATE``), so ``seq`` is gap-free and in commit order even with several writers.
- PostgreSQL text cannot hold NUL characters: a NUL in a metadata field is stored as U+FFFD.
- A lost connection (server restart) fails the call or transaction in progress with ``StoreError``;
  the next call outside a transaction connects again. A nested ``transaction`` is refused, as in SQLite.

Tests point ``NEWSWEAVE_TEST_POSTGRES`` at a server (``scripts/start-postgres.sh`` starts one); a URL's
``options=-csearch_path%3Dname`` puts a store in its own schema.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import DictRow, dict_row

from newsweave.errors import NotFoundError, StoreError
from newsweave.model import (
    Article,
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
from newsweave.store.base import EXTRACTION_TOKEN, NewArticle, StoredRow, known_by
from newsweave.store.records import build_articles, decode, dumps, now, record

#: Text-search configuration of the ``articles.tsv`` column and of queries.
TS_CONFIG = "english"
#: Only this many characters of an article are indexed for search (a tsvector is limited to 1 MB).
TS_MAX_CHARS = 300_000

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial schema",
        f"""
        CREATE TABLE articles (
            id TEXT PRIMARY KEY, seq BIGINT NOT NULL UNIQUE, content_hash TEXT NOT NULL,
            external_id TEXT, title TEXT, source TEXT, url TEXT, published TEXT, language TEXT,
            origin TEXT NOT NULL, ingested_at TEXT NOT NULL, text TEXT NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'A')
                || setweight(to_tsvector('{TS_CONFIG}', left(text, {TS_MAX_CHARS})), 'B')
            ) STORED
        );
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_external_id ON articles(external_id);
        CREATE INDEX articles_tsv ON articles USING GIN (tsv);
        CREATE TABLE paragraphs (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, heading BOOLEAN NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, paragraph INTEGER NOT NULL, heading BOOLEAN NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE rejected (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item TEXT NOT NULL, stage TEXT NOT NULL,
            reason TEXT NOT NULL, at TEXT NOT NULL
        );
        CREATE TABLE stage_runs (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, stage TEXT NOT NULL,
            version TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (article_id, stage)
        );
        CREATE TABLE mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            data TEXT NOT NULL, PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE figures (
            id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL, measure TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, data TEXT NOT NULL
        );
        CREATE INDEX figures_article ON figures(article_id);
        CREATE TABLE claims (
            id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL, data TEXT NOT NULL
        );
        CREATE INDEX claims_article ON claims(article_id);
        CREATE TABLE events (
            id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL, data TEXT NOT NULL
        );
        CREATE INDEX events_article ON events(article_id);
        CREATE TABLE places (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            data TEXT NOT NULL, PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE entities (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE TABLE duplicates (
            a TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            b TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            relation TEXT NOT NULL, similarity DOUBLE PRECISION NOT NULL, data TEXT NOT NULL, PRIMARY KEY (a, b)
        );
        CREATE TABLE stories (
            id TEXT PRIMARY KEY, title TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            story_id TEXT NOT NULL, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (story_id, article_id)
        );
        CREATE INDEX story_articles_article ON story_articles(article_id);
        CREATE TABLE reconciliations (
            id TEXT PRIMARY KEY, story_id TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE INDEX reconciliations_story ON reconciliations(story_id);
        CREATE TABLE contradictions (
            id TEXT PRIMARY KEY, story_id TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE INDEX contradictions_story ON contradictions(story_id);
        CREATE TABLE story_analysis (
            story_id TEXT PRIMARY KEY, signature TEXT NOT NULL, data TEXT NOT NULL
        );
        CREATE TABLE state (key TEXT PRIMARY KEY, value BYTEA NOT NULL);
        """,
    ),
    (
        2,
        "embedding cache",
        """
        CREATE TABLE embeddings (key TEXT PRIMARY KEY, vector BYTEA NOT NULL);
        """,
    ),
    (
        3,
        "revision counter",
        """
        CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL);
        INSERT INTO revision(id, n) VALUES (1, 0);
        """,
    ),
]

# Writers (and migrations) of one schema take this advisory lock for the length of their transaction.
_WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('newsweave:' || current_schema()))"
# Every write transaction ends by counting itself, so readers elsewhere can tell the store changed.
_BUMP = "UPDATE revision SET n = n + 1 WHERE id = 1"
_C = 'COLLATE "C"'
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
_PREFIX = re.compile(r"^(\w+)\*$")
_WORDY = re.compile(r"\w")
_VALUES = re.compile(r"^(?P<head>INSERT INTO \w+\((?P<cols>[^)]*)\) VALUES )(?P<row>\([^)]*\))(?P<tail>.*)$", re.S)
_CONFLICT = re.compile(r"ON CONFLICT \((?P<key>[^)]*)\) DO UPDATE")
_MAX_PARAMS = 30_000  # per statement (PostgreSQL allows 65,535)


def _t(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL: store it as U+FFFD."""
    return None if value is None else value.replace("\x00", "\ufffd")


def _reason(exc: BaseException) -> str:
    """psycopg's message on one line."""
    return " ".join(str(exc).split())


def redact_url(url: str) -> str:
    """The URL with its password (if any) replaced by ``***``, safe to show in messages."""
    return _PASSWORD.sub(r"\1***@", url)


class PostgresStore:
    """A store in a PostgreSQL database (or the schema first in the URL's ``search_path``)."""

    def __init__(self, url: str) -> None:
        self.path = redact_url(url)
        self._url = url
        self._lock = threading.RLock()
        self._in_transaction = False
        self._conn = self._connect()
        try:
            self._migrate()
        except psycopg.Error as exc:
            self._conn.close()
            raise StoreError(f"cannot migrate store {self.path!r}: {_reason(exc)}") from exc

    def _connect(self) -> psycopg.Connection[DictRow]:
        try:
            return psycopg.connect(self._url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open store {self.path!r}: {_reason(exc)}") from exc

    def _ready(self) -> psycopg.Connection[DictRow]:
        """The connection; a new one when the last was lost (server restart) outside a transaction."""
        if self._conn.broken and not self._in_transaction:  # never switch connections mid-transaction
            self._conn = self._connect()
        return self._conn

    # -- plumbing -----------------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._conn.transaction():
            self._conn.execute(_WRITE_LOCK)
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at TEXT NOT NULL)"
            )
            done = {row["id"] for row in self._conn.execute("SELECT id FROM migrations")}
            for mid, name, sql in MIGRATIONS:
                if mid in done:
                    continue
                self._conn.execute(sql)
                self._conn.execute("INSERT INTO migrations(id, name, at) VALUES (%s, %s, %s)", (mid, name, now()))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: everything inside commits together or not at all (also on Ctrl-C)."""
        with self._lock:
            conn = self._ready()
            if self._in_transaction or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raise StoreError("cannot start a transaction within a transaction")
            self._in_transaction = True
            try:
                with conn.transaction():
                    conn.execute(_WRITE_LOCK)
                    yield
                    conn.execute(_BUMP)
            except psycopg.OperationalError as exc:
                raise StoreError(f"store {self.path!r}: {_reason(exc)}") from exc
            finally:
                self._in_transaction = False

    def revision(self) -> int:
        """A number that grows with every committed transaction, from any process or host."""
        return int(self._q("SELECT n FROM revision WHERE id = 1")[0]["n"])

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[DictRow]:
        try:
            return self._ready().execute(sql, params).fetchall()
        except psycopg.OperationalError as exc:
            raise StoreError(f"store {self.path!r}: {_reason(exc)}") from exc

    def _x(self, sql: str, params: Sequence[Any] = ()) -> None:
        try:
            self._ready().execute(sql, params)
        except psycopg.OperationalError as exc:
            raise StoreError(f"store {self.path!r}: {_reason(exc)}") from exc

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run a one-row ``INSERT ... VALUES (...)`` for many rows, as few multi-row statements.

        With ``ON CONFLICT (key) DO UPDATE`` the last row of each key wins, as with SQLite's
        ``INSERT OR REPLACE`` (PostgreSQL refuses to update one row twice in one statement).
        """
        if not rows:
            return
        m = _VALUES.match(sql)
        if m is None:
            raise ValueError(f"not a one-row INSERT ... VALUES statement: {sql!r}")
        cols = [c.strip().strip('"') for c in m["cols"].split(",")]
        conflict = _CONFLICT.search(m["tail"])
        if conflict:
            at = [cols.index(k.strip()) for k in conflict["key"].split(",")]
            rows = list({tuple(r[i] for i in at): r for r in rows}.values())
        per = max(1, _MAX_PARAMS // len(cols))
        for i in range(0, len(rows), per):
            chunk = rows[i : i + per]
            self._x(m["head"] + ",".join([m["row"]] * len(chunk)) + m["tail"], [v for r in chunk for v in r])

    def close(self) -> None:
        self._conn.close()

    def migrations(self) -> list[tuple[int, str]]:
        return [(r["id"], r["name"]) for r in self._q("SELECT id, name FROM migrations ORDER BY id")]

    # -- articles -----------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return bool(self._q("SELECT 1 FROM articles WHERE id = %s", (_t(article_id),)))

    def add_article(self, new: NewArticle) -> Article | None:
        """Store one article (call inside ``transaction``); None when it is already stored."""
        found = self._q(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE id = %s) AS stored, COALESCE(MAX(seq), 0) + 1 AS seq"
            " FROM articles",
            (_t(new.id),),
        )[0]
        if found["stored"]:
            return None
        seq = int(found["seq"])
        at = now()
        self._x(
            "INSERT INTO articles(id, seq, content_hash, external_id, title, source, url, published, language,"
            " origin, ingested_at, text) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (
                _t(new.id),
                seq,
                new.content_hash,
                _t(new.external_id),
                _t(new.title),
                _t(new.source),
                _t(new.url),
                _t(new.published),
                _t(new.language),
                _t(new.origin),
                at,
                _t(new.text),
            ),
        )
        self._many(
            'INSERT INTO paragraphs(article_id, idx, start, "end", heading) VALUES (%s,%s,%s,%s,%s)',
            [(_t(new.id), p.index, p.start, p.end, bool(p.heading)) for p in new.paragraphs],
        )
        self._many(
            'INSERT INTO sentences(article_id, idx, start, "end", paragraph, heading) VALUES (%s,%s,%s,%s,%s,%s)',
            [(_t(new.id), s.index, s.start, s.end, s.paragraph, bool(s.heading)) for s in new.sentences],
        )
        return Article(
            id=new.id,
            content_hash=new.content_hash,
            text=new.text,
            origin=new.origin,
            seq=seq,
            ingested_at=at,
            title=new.title,
            source=new.source,
            url=new.url,
            published=new.published,
            external_id=new.external_id,
            language=new.language,
            paragraphs=tuple(new.paragraphs),
            sentences=tuple(new.sentences),
        )

    def add_rejected(self, items: Iterable[Rejected]) -> None:
        self._many(
            "INSERT INTO rejected(item, stage, reason, at) VALUES (%s,%s,%s,%s)",
            [(_t(r.item), _t(r.stage), _t(r.reason), now()) for r in items],
        )

    def rejected(self) -> list[Rejected]:
        return [Rejected(r["item"], r["stage"], r["reason"]) for r in self._q("SELECT * FROM rejected ORDER BY id")]

    def article_ids(self, until: str | None = None) -> list[str]:
        """Ids in ingest order; with ``until``, only articles published (or ingested) by then."""
        if until is None:
            return [r["id"] for r in self._q("SELECT id FROM articles ORDER BY seq")]
        rows = self._q("SELECT id, published, ingested_at FROM articles ORDER BY seq")
        return [r["id"] for r in rows if known_by(r["published"], r["ingested_at"], until)]

    def get_article(self, article_id: str) -> Article:
        found = self.get_articles([article_id])
        if not found:
            raise NotFoundError(f"no article with id {article_id!r}")
        return found[0]

    def find_article(self, key: str) -> Article:
        """An article by id, external id or unique id prefix."""
        key = _t(key) or ""
        rows = self._q("SELECT id FROM articles WHERE id = %s OR external_id = %s ORDER BY seq", (key, key))
        if not rows and len(key) >= 4:
            # ILIKE: SQLite's LIKE ignores ASCII case, and so does this.
            rows = self._q("SELECT id FROM articles WHERE id ILIKE %s ORDER BY seq", (key + "%",))
        if not rows:
            raise NotFoundError(f"no article with id or external id {key!r}")
        return self.get_article(rows[0]["id"])

    def get_articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        cols = "id, seq, content_hash, external_id, title, source, url, published, language, origin, ingested_at, text"
        if ids is None:
            rows = self._q(f"SELECT {cols} FROM articles ORDER BY seq")
        else:
            rows = self._q(f"SELECT {cols} FROM articles WHERE id = ANY(%s) ORDER BY seq", ([_t(i) for i in ids],))
        if not rows:
            return []
        wanted = [r["id"] for r in rows]
        return build_articles(
            rows,
            self._q("SELECT * FROM paragraphs WHERE article_id = ANY(%s) ORDER BY article_id, idx", (wanted,)),
            self._q("SELECT * FROM sentences WHERE article_id = ANY(%s) ORDER BY article_id, idx", (wanted,)),
        )

    def article_rows(self, ids: Sequence[str] | None = None) -> list[StoredRow]:
        """Article metadata without text (cheap listing)."""
        cols = "id, seq, external_id, title, source, url, published, language, origin, ingested_at, content_hash"
        if ids is None:
            rows = self._q(f"SELECT {cols}, length(text) AS chars FROM articles ORDER BY seq")
        else:
            rows = self._q(
                f"SELECT {cols}, length(text) AS chars FROM articles WHERE id = ANY(%s) ORDER BY seq",
                ([_t(i) for i in ids],),
            )
        return [dict(r) for r in rows]

    def search(self, query: str, limit: int = 20) -> list[StoredRow]:
        """Full-text search (tsvector, ts_rank) with highlighted snippets; FTS5's query language."""
        tsquery, params = _tsquery(_t(query) or "")
        if not tsquery:
            return []
        options = "StartSel=[, StopSel=], MaxWords=12, MinWords=5, MaxFragments=1"
        rows = self._q(
            "SELECT a.id, a.external_id, a.title, a.source, a.published,"
            f" ts_headline('{TS_CONFIG}', left(a.text, {TS_MAX_CHARS}), h.q, %s) AS snippet, h.rank,"
            " left(a.text, 400) AS head, right(a.text, 400) AS tail"
            f" FROM (SELECT a.seq, q, -ts_rank(a.tsv, q) AS rank FROM articles a, ({tsquery}) AS t(q)"
            "       WHERE a.tsv @@ q ORDER BY rank, a.seq LIMIT %s) AS h"
            " JOIN articles a ON a.seq = h.seq ORDER BY h.rank, h.seq",
            (options, *params, limit),
        )
        out: list[StoredRow] = []
        for r in rows:
            row = dict(r)
            row["snippet"] = _mark_cuts(row["snippet"], row.pop("head"), row.pop("tail"))
            out.append(row)
        return out

    def search_ids(self, query: str, limit: int = 20) -> list[str]:
        """The ids ``search`` would return, in the same order, without building headlines."""
        tsquery, params = _tsquery(_t(query) or "")
        if not tsquery:
            return []
        rows = self._q(
            f"SELECT a.id FROM articles a, ({tsquery}) AS t(q) WHERE a.tsv @@ q"
            " ORDER BY -ts_rank(a.tsv, q), a.seq LIMIT %s",
            (*params, limit),
        )
        return [r["id"] for r in rows]

    # -- stage bookkeeping --------------------------------------------------------------------------
    def stale(self, stage: str, version: str, ids: Sequence[str] | None = None) -> list[str]:
        """Articles (in ingest order) that ``stage`` has not processed with ``version`` yet."""
        rows = self._q(
            "SELECT a.id FROM articles a LEFT JOIN stage_runs s ON s.article_id = a.id AND s.stage = %s"
            " WHERE s.version IS NULL OR s.version != %s ORDER BY a.seq",
            (stage, version),
        )
        stale = [r["id"] for r in rows]
        if ids is not None:
            keep = set(ids)
            stale = [i for i in stale if i in keep]
        return stale

    def mark_done(self, stage: str, version: str, ids: Iterable[str]) -> None:
        at = now()
        self._many(
            "INSERT INTO stage_runs(article_id, stage, version, at) VALUES (%s,%s,%s,%s)"
            " ON CONFLICT (article_id, stage) DO UPDATE SET version = EXCLUDED.version, at = EXCLUDED.at",
            [(_t(i), stage, version, at) for i in ids],
        )

    def reset_stage(self, stage: str) -> None:
        self._x("DELETE FROM stage_runs WHERE stage = %s", (stage,))

    def get_state(self, key: str) -> bytes | None:
        rows = self._q("SELECT value FROM state WHERE key = %s", (key,))
        return None if not rows else bytes(rows[0]["value"])

    def set_state(self, key: str, value: bytes) -> None:
        self._x(
            "INSERT INTO state(key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (key, value),
        )

    def delete_state(self, key: str) -> None:
        self._x("DELETE FROM state WHERE key = %s", (key,))

    def save_embeddings(self, vectors: Mapping[str, bytes]) -> None:
        self._many(
            "INSERT INTO embeddings(key, vector) VALUES (%s, %s)"
            " ON CONFLICT (key) DO UPDATE SET vector = EXCLUDED.vector",
            list(vectors.items()),
        )

    def embeddings(self, keys: Sequence[str]) -> dict[str, bytes]:
        if not keys:
            return {}
        rows = self._q("SELECT key, vector FROM embeddings WHERE key = ANY(%s)", (list(keys),))
        return {r["key"]: bytes(r["vector"]) for r in rows}

    # -- per-article analysis -----------------------------------------------------------------------
    def save_extraction(self, article_id: str, ex: Extraction) -> None:
        """Replace the mentions, figures, claims and events of one article (inside ``transaction``).

        Also sets a new ``EXTRACTION_TOKEN``: readers that keep decoded mentions see they changed."""
        self.set_state(EXTRACTION_TOKEN, os.urandom(16))
        aid = _t(article_id)
        for table in ("mentions", "figures", "claims", "events"):
            self._x(f"DELETE FROM {table} WHERE article_id = %s", (aid,))
        self._many(
            "INSERT INTO mentions(article_id, idx, data) VALUES (%s,%s,%s)",
            [(aid, i, dumps(record(m))) for i, m in enumerate(ex.mentions)],
        )
        self._many(
            "INSERT INTO figures(id, article_id, idx, measure, value, data) VALUES (%s,%s,%s,%s,%s,%s)",
            [(f"{aid}-f{i}", aid, i, _t(f.measure), f.value, dumps(record(f))) for i, f in enumerate(ex.figures)],
        )
        self._many(
            "INSERT INTO claims(id, article_id, idx, data) VALUES (%s,%s,%s,%s)",
            [(f"{aid}-c{i}", aid, i, dumps(record(c))) for i, c in enumerate(ex.claims)],
        )
        self._many(
            "INSERT INTO events(id, article_id, idx, data) VALUES (%s,%s,%s,%s)",
            [(f"{aid}-e{i}", aid, i, dumps(record(e))) for i, e in enumerate(ex.events)],
        )

    def save_places(self, article_id: str, places: Sequence[Place]) -> None:
        aid = _t(article_id)
        self._x("DELETE FROM places WHERE article_id = %s", (aid,))
        self._many(
            "INSERT INTO places(article_id, idx, data) VALUES (%s,%s,%s)",
            [(aid, i, dumps(record(p))) for i, p in enumerate(places)],
        )

    def _by_article(self, table: str, ids: Sequence[str] | None) -> list[DictRow]:
        if ids is None:
            return self._q(f"SELECT * FROM {table} ORDER BY article_id {_C}, idx")
        return self._q(
            f"SELECT * FROM {table} WHERE article_id = ANY(%s) ORDER BY article_id {_C}, idx",
            ([_t(i) for i in ids],),
        )

    def mentions(self, ids: Sequence[str] | None = None) -> dict[str, list[Mention]]:
        out: dict[str, list[Mention]] = {}
        for r in self._by_article("mentions", ids):
            out.setdefault(r["article_id"], []).append(decode(Mention, r["data"]))
        return out

    def figures(self, ids: Sequence[str] | None = None) -> list[tuple[str, str, Figure]]:
        """(figure id, article id, figure) in article and reading order."""
        return [(r["id"], r["article_id"], decode(Figure, r["data"])) for r in self._by_article("figures", ids)]

    def claims(self, ids: Sequence[str] | None = None) -> list[tuple[str, str, Claim]]:
        return [(r["id"], r["article_id"], decode(Claim, r["data"])) for r in self._by_article("claims", ids)]

    def events(self, ids: Sequence[str] | None = None) -> list[tuple[str, str, Event]]:
        return [(r["id"], r["article_id"], decode(Event, r["data"])) for r in self._by_article("events", ids)]

    def places(self, ids: Sequence[str] | None = None) -> list[tuple[str, Place]]:
        return [(r["article_id"], decode(Place, r["data"])) for r in self._by_article("places", ids)]

    # -- corpus-wide analysis -----------------------------------------------------------------------
    def replace_entities(self, entities: Sequence[Entity]) -> None:
        self._x("DELETE FROM entities")
        self.update_entities(entities, ())

    def update_entities(self, upsert: Sequence[Entity], remove: Sequence[str]) -> None:
        """Change the stored entities in place: ``replace_entities`` for a table that mostly stayed the same."""
        if remove:
            self._x("DELETE FROM entities WHERE id = ANY(%s)", ([_t(i) for i in remove],))
        self._many(
            "INSERT INTO entities(id, name, type, data) VALUES (%s,%s,%s,%s)"
            " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, data = EXCLUDED.data",
            [(_t(e.id), _t(e.name), _t(e.type), dumps(record(e))) for e in upsert],
        )

    def entities(self) -> list[Entity]:
        return [decode(Entity, r["data"]) for r in self._q(f"SELECT data FROM entities ORDER BY name {_C}, id {_C}")]

    def add_duplicates(self, dups: Iterable[Duplicate]) -> None:
        self._many(
            "INSERT INTO duplicates(a, b, relation, similarity, data) VALUES (%s,%s,%s,%s,%s)"
            " ON CONFLICT (a, b) DO UPDATE SET relation = EXCLUDED.relation, similarity = EXCLUDED.similarity,"
            " data = EXCLUDED.data",
            [(_t(d.a), _t(d.b), d.relation, d.similarity, dumps(record(d))) for d in dups],
        )

    def duplicates(self) -> list[Duplicate]:
        return [decode(Duplicate, r["data"]) for r in self._q(f"SELECT data FROM duplicates ORDER BY a {_C}, b {_C}")]

    def replace_stories(self, stories: Sequence[Story]) -> None:
        self._x("DELETE FROM story_articles")
        self._x("DELETE FROM stories")
        self._insert_stories(stories)

    def update_stories(self, upsert: Sequence[Story], remove: Sequence[str]) -> None:
        """Change the stored stories in place: ``replace_stories`` for a list that mostly stayed the same."""
        ids = [_t(i) for i in [*remove, *(s.id for s in upsert)]]
        if ids:
            self._x("DELETE FROM story_articles WHERE story_id = ANY(%s)", (ids,))
            self._x("DELETE FROM stories WHERE id = ANY(%s)", (ids,))
        self._insert_stories(upsert)

    def _insert_stories(self, stories: Sequence[Story]) -> None:
        self._many(
            "INSERT INTO stories(id, title, data) VALUES (%s,%s,%s)",
            [(_t(s.id), _t(s.title), dumps(record(s))) for s in stories],
        )
        self._many(
            "INSERT INTO story_articles(story_id, article_id) VALUES (%s,%s) ON CONFLICT DO NOTHING",
            [(_t(s.id), _t(a)) for s in stories for a in s.article_ids],
        )

    def stories(self) -> list[Story]:
        return [decode(Story, r["data"]) for r in self._q(f"SELECT data FROM stories ORDER BY id {_C}")]

    def get_story(self, key: str) -> Story:
        key = _t(key) or ""
        rows = self._q(
            f"SELECT data FROM stories WHERE id = %s OR id ILIKE %s ORDER BY id = %s DESC, id {_C} LIMIT 1",
            (key, key + "%", key),
        )
        if not rows:
            raise NotFoundError(f"no story with id {key!r}")
        return decode(Story, rows[0]["data"])

    def story_signature(self, story_id: str) -> str | None:
        rows = self._q("SELECT signature FROM story_analysis WHERE story_id = %s", (_t(story_id),))
        return None if not rows else str(rows[0]["signature"])

    def replace_story_analysis(
        self,
        story_id: str,
        signature: str,
        recs: Sequence[Reconciliation],
        contradictions: Sequence[Contradiction],
        extra: dict[str, Any],
    ) -> None:
        sid = _t(story_id)
        self._x("DELETE FROM reconciliations WHERE story_id = %s", (sid,))
        self._x("DELETE FROM contradictions WHERE story_id = %s", (sid,))
        self._many(
            "INSERT INTO reconciliations(id, story_id, data) VALUES (%s,%s,%s)"
            " ON CONFLICT (id) DO UPDATE SET story_id = EXCLUDED.story_id, data = EXCLUDED.data",
            [(_t(r.id), sid, dumps(record(r))) for r in recs],
        )
        self._many(
            "INSERT INTO contradictions(id, story_id, data) VALUES (%s,%s,%s)"
            " ON CONFLICT (id) DO UPDATE SET story_id = EXCLUDED.story_id, data = EXCLUDED.data",
            [(_t(c.id), sid, dumps(record(c))) for c in contradictions],
        )
        self._x(
            "INSERT INTO story_analysis(story_id, signature, data) VALUES (%s,%s,%s)"
            " ON CONFLICT (story_id) DO UPDATE SET signature = EXCLUDED.signature, data = EXCLUDED.data",
            (sid, _t(signature), dumps(extra)),
        )

    def drop_story_analysis_except(self, keep: Iterable[str]) -> None:
        keep_list = [_t(k) for k in keep]
        for table in ("reconciliations", "contradictions", "story_analysis"):
            self._x(f"DELETE FROM {table} WHERE NOT (story_id = ANY(%s))", (keep_list,))

    def story_extra(self, story_id: str) -> dict[str, Any]:
        rows = self._q("SELECT data FROM story_analysis WHERE story_id = %s", (_t(story_id),))
        return {} if not rows else dict(json.loads(rows[0]["data"]))

    def reconciliations(self, story_id: str | None = None) -> list[Reconciliation]:
        rows = (
            self._q(f"SELECT data FROM reconciliations ORDER BY story_id {_C}, id {_C}")
            if story_id is None
            else self._q(f"SELECT data FROM reconciliations WHERE story_id = %s ORDER BY id {_C}", (_t(story_id),))
        )
        return [decode(Reconciliation, r["data"]) for r in rows]

    def contradictions(self, story_id: str | None = None) -> list[Contradiction]:
        rows = (
            self._q(f"SELECT data FROM contradictions ORDER BY story_id {_C}, id {_C}")
            if story_id is None
            else self._q(f"SELECT data FROM contradictions WHERE story_id = %s ORDER BY id {_C}", (_t(story_id),))
        )
        return [decode(Contradiction, r["data"]) for r in rows]

    # -- numbers ------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        tables = (
            "articles",
            "sentences",
            "rejected",
            "mentions",
            "entities",
            "figures",
            "claims",
            "events",
            "places",
            "duplicates",
            "stories",
            "reconciliations",
            "contradictions",
        )
        return {t: int(self._q(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]) for t in tables}


def _mark_cuts(snippet: str, head: str, tail: str) -> str:
    """Add " … " where the snippet starts after the text's start or ends before its end, as FTS5 does."""

    def flat(text: str) -> str:
        return " ".join(text.replace("[", "").replace("]", "").split())

    plain, first, last = flat(snippet), flat(head), flat(tail)
    at_start = first.startswith(plain) or plain.startswith(first)
    at_end = last.endswith(plain) or plain.endswith(last)
    lead = "" if at_start or not plain else " … "
    trail = "" if at_end or not plain else " … "
    return lead + snippet + trail


# -- FTS5 query language -> tsquery ----------------------------------------------------------------
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


def _tsquery(query: str) -> tuple[str, list[str]]:
    """SQL (an expression yielding one tsquery) and its parameters for an FTS5-style query.

    Words must all match; ``"a phrase"`` matches words in sequence; ``OR`` between two terms matches
    either; ``NOT``/``-`` before a term excludes it; ``AND`` is the default and may be written;
    ``word*`` matches words starting with ``word``. Parentheses and other punctuation are ignored, so
    no query is a syntax error. Returns ("", []) when nothing searchable is left.
    """
    groups: list[list[tuple[bool, str, str]]] = [[]]  # OR of ANDs of (negated, kind, text)
    negate = False
    for m in _TOKEN.finditer(query):
        phrase, word = m.group(1), m.group(2)
        if word is not None:
            word = word.strip("()")
            if word == "OR":
                if groups[-1]:
                    groups.append([])
                continue
            if word == "AND":
                continue
            if word == "NOT":
                negate = True
                continue
            if word.startswith("-") and len(word) > 1:
                negate, word = True, word[1:]
            prefix = _PREFIX.match(word)
            if prefix:
                groups[-1].append((negate, "prefix", prefix.group(1)))
            elif _WORDY.search(word):
                groups[-1].append((negate, "words", word))
        elif phrase and _WORDY.search(phrase):
            groups[-1].append((negate, "phrase", phrase))
        negate = False
    parts: list[str] = []
    params: list[str] = []
    for group in groups:
        terms: list[str] = []
        for neg, kind, text in group:
            if kind == "prefix":
                sql = f"to_tsquery('{TS_CONFIG}', %s)"
                params.append("'" + text.replace("'", "''") + "':*")
            elif kind == "phrase":
                sql = f"phraseto_tsquery('{TS_CONFIG}', %s)"
                params.append(text)
            else:
                sql = f"plainto_tsquery('{TS_CONFIG}', %s)"
                params.append(text)
            terms.append(f"!!{sql}" if neg else sql)
        if terms:
            parts.append("(" + " && ".join(terms) + ")")
    if not parts:
        return "", []
    return "SELECT " + " || ".join(parts), params
