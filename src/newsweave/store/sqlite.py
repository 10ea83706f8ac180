"""SQLite store: the embedded default. WAL, one writer, migrations in code, FTS5 over article text.

All SQL of newsweave lives in this package. Analysis results are stored per article (entities'
mentions, figures, claims, events, places) and per story (reconciliations, contradictions), each row
tagged with the method version that produced it, so a change of method re-runs only what is stale.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial schema",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, content_hash TEXT NOT NULL,
            external_id TEXT, title TEXT, source TEXT, url TEXT, published TEXT, language TEXT,
            origin TEXT NOT NULL, ingested_at TEXT NOT NULL, text TEXT NOT NULL
        );
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE paragraphs (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, heading INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, paragraph INTEGER NOT NULL, heading INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq');
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
        END;
        CREATE TABLE rejected (
            id INTEGER PRIMARY KEY, item TEXT NOT NULL, stage TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL
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
            idx INTEGER NOT NULL, measure TEXT NOT NULL, value REAL NOT NULL, data TEXT NOT NULL
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
            relation TEXT NOT NULL, similarity REAL NOT NULL, data TEXT NOT NULL, PRIMARY KEY (a, b)
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
        CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        """,
    ),
    (
        2,
        "embedding cache",
        """
        CREATE TABLE embeddings (key TEXT PRIMARY KEY, vector BLOB NOT NULL);
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

# Every write transaction ends by counting itself, so readers in other processes can tell the store changed.
_BUMP = "UPDATE revision SET n = n + 1 WHERE id = 1"


class SQLiteStore:
    """The default store: one SQLite file, WAL journal, foreign keys on, one writer at a time."""

    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open store {path!r}: folder {str(parent)!r} does not exist")
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {path!r}: {exc}") from exc
        self._lock = threading.RLock()

    # -- plumbing -----------------------------------------------------------------------------------
    def _migrate(self) -> None:
        c = self._conn
        c.execute(
            "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at TEXT NOT NULL)"
        )
        done = {row[0] for row in c.execute("SELECT id FROM migrations")}
        for mid, name, sql in MIGRATIONS:
            if mid in done:
                continue
            c.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(sql):
                    c.execute(statement)
                c.execute("INSERT INTO migrations(id, name, at) VALUES (?, ?, ?)", (mid, name, now()))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: everything inside commits together or not at all (also on Ctrl-C)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._conn.execute(_BUMP)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def revision(self) -> int:
        """A number that grows with every committed transaction, from any process."""
        return int(self._conn.execute("SELECT n FROM revision WHERE id = 1").fetchone()[0])

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        cur = self._conn.execute(sql, params)
        cur.row_factory = sqlite3.Row
        return list(cur.fetchall())

    def close(self) -> None:
        self._conn.close()

    def migrations(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self._conn.execute("SELECT id, name FROM migrations ORDER BY id")]

    # -- articles -----------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return bool(self._q("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def add_article(self, new: NewArticle) -> Article | None:
        """Store one article (call inside ``transaction``); None when it is already stored."""
        if self.has_article(new.id):
            return None
        seq = self._conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
        at = now()
        self._conn.execute(
            "INSERT INTO articles(id, seq, content_hash, external_id, title, source, url, published, language,"
            " origin, ingested_at, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                new.id,
                seq,
                new.content_hash,
                new.external_id,
                new.title,
                new.source,
                new.url,
                new.published,
                new.language,
                new.origin,
                at,
                new.text,
            ),
        )
        self._conn.executemany(
            'INSERT INTO paragraphs(article_id, idx, start, "end", heading) VALUES (?,?,?,?,?)',
            [(new.id, p.index, p.start, p.end, int(p.heading)) for p in new.paragraphs],
        )
        self._conn.executemany(
            'INSERT INTO sentences(article_id, idx, start, "end", paragraph, heading) VALUES (?,?,?,?,?,?)',
            [(new.id, s.index, s.start, s.end, s.paragraph, int(s.heading)) for s in new.sentences],
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
        self._conn.executemany(
            "INSERT INTO rejected(item, stage, reason, at) VALUES (?,?,?,?)",
            [(r.item, r.stage, r.reason, now()) for r in items],
        )

    def rejected(self) -> list[Rejected]:
        return [Rejected(r["item"], r["stage"], r["reason"]) for r in self._q("SELECT * FROM rejected ORDER BY id")]

    def article_ids(self, until: str | None = None) -> list[str]:
        """Ids in ingest order; with ``until``, only articles published (or ingested) by then."""
        if until is None:
            return [r[0] for r in self._conn.execute("SELECT id FROM articles ORDER BY seq")]
        rows = self._conn.execute("SELECT id, published, ingested_at FROM articles ORDER BY seq")
        return [r[0] for r in rows if known_by(r[1], r[2], until)]

    def get_article(self, article_id: str) -> Article:
        found = self.get_articles([article_id])
        if not found:
            raise NotFoundError(f"no article with id {article_id!r}")
        return found[0]

    def find_article(self, key: str) -> Article:
        """An article by id, external id or unique id prefix."""
        rows = self._q("SELECT id FROM articles WHERE id = ? OR external_id = ? ORDER BY seq", (key, key))
        if not rows and len(key) >= 4:
            rows = self._q("SELECT id FROM articles WHERE id LIKE ? ORDER BY seq", (key + "%",))
        if not rows:
            raise NotFoundError(f"no article with id or external id {key!r}")
        return self.get_article(rows[0]["id"])

    def get_articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        if ids is None:
            rows = self._q("SELECT * FROM articles ORDER BY seq")
        else:
            rows = []
            for chunk in _chunks(list(ids), 500):
                marks = ",".join("?" * len(chunk))
                rows += self._q(f"SELECT * FROM articles WHERE id IN ({marks})", chunk)
            rows.sort(key=lambda r: r["seq"])
        if not rows:
            return []
        wanted = [r["id"] for r in rows]
        para_rows: list[sqlite3.Row] = []
        sent_rows: list[sqlite3.Row] = []
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            para_rows += self._q(
                f"SELECT * FROM paragraphs WHERE article_id IN ({marks}) ORDER BY article_id, idx", chunk
            )
            sent_rows += self._q(
                f"SELECT * FROM sentences WHERE article_id IN ({marks}) ORDER BY article_id, idx", chunk
            )
        return build_articles(rows, para_rows, sent_rows)

    def article_rows(self, ids: Sequence[str] | None = None) -> list[StoredRow]:
        """Article metadata without text (cheap listing)."""
        cols = "id, seq, external_id, title, source, url, published, language, origin, ingested_at, content_hash"
        if ids is None:
            return [dict(r) for r in self._q(f"SELECT {cols}, length(text) AS chars FROM articles ORDER BY seq")]
        rows: list[sqlite3.Row] = []
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows += self._q(f"SELECT {cols}, length(text) AS chars FROM articles WHERE id IN ({marks})", chunk)
        return sorted((dict(r) for r in rows), key=lambda r: r["seq"])

    def search(self, query: str, limit: int = 20) -> list[StoredRow]:
        """Full-text search (FTS5, bm25) with highlighted snippets.

        FTS5 syntax is accepted; a query that is not valid FTS5 is searched as its plain words
        (each quoted, all required). Nothing a user types raises.
        """
        sql = (
            "SELECT a.id, a.external_id, a.title, a.source, a.published,"
            " snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet, bm25(articles_fts) AS rank"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        try:
            return [dict(r) for r in self._q(sql, (query, limit))]
        except sqlite3.OperationalError:
            pass
        words = " ".join('"' + w + '"' for w in re.findall(r"\w+", query))
        if not words:
            return []
        try:
            return [dict(r) for r in self._q(sql, (words, limit))]
        except sqlite3.OperationalError:
            return []

    def search_ids(self, query: str, limit: int = 20) -> list[str]:
        """The ids ``search`` would return, in the same order, without cutting snippets (much cheaper)."""
        sql = (
            "SELECT a.id FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts) LIMIT ?"
        )
        try:
            return [r[0] for r in self._q(sql, (query, limit))]
        except sqlite3.OperationalError:
            pass
        words = " ".join('"' + w + '"' for w in re.findall(r"\w+", query))
        if not words:
            return []
        try:
            return [r[0] for r in self._q(sql, (words, limit))]
        except sqlite3.OperationalError:
            return []

    # -- stage bookkeeping --------------------------------------------------------------------------
    def stale(self, stage: str, version: str, ids: Sequence[str] | None = None) -> list[str]:
        """Articles (in ingest order) that ``stage`` has not processed with ``version`` yet."""
        rows = self._conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN stage_runs s ON s.article_id = a.id AND s.stage = ?"
            " WHERE s.version IS NULL OR s.version != ? ORDER BY a.seq",
            (stage, version),
        )
        stale = [r[0] for r in rows]
        if ids is not None:
            keep = set(ids)
            stale = [i for i in stale if i in keep]
        return stale

    def mark_done(self, stage: str, version: str, ids: Iterable[str]) -> None:
        at = now()
        self._conn.executemany(
            "INSERT OR REPLACE INTO stage_runs(article_id, stage, version, at) VALUES (?,?,?,?)",
            [(i, stage, version, at) for i in ids],
        )

    def reset_stage(self, stage: str) -> None:
        self._conn.execute("DELETE FROM stage_runs WHERE stage = ?", (stage,))

    def get_state(self, key: str) -> bytes | None:
        row = self._conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def set_state(self, key: str, value: bytes) -> None:
        self._conn.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", (key, value))

    def delete_state(self, key: str) -> None:
        self._conn.execute("DELETE FROM state WHERE key = ?", (key,))

    def save_embeddings(self, vectors: Mapping[str, bytes]) -> None:
        self._conn.executemany("INSERT OR REPLACE INTO embeddings(key, vector) VALUES (?, ?)", list(vectors.items()))

    def embeddings(self, keys: Sequence[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for chunk in _chunks(list(keys), 500):
            marks = ",".join("?" * len(chunk))
            for key, vector in self._conn.execute(f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk):
                out[key] = bytes(vector)
        return out

    # -- per-article analysis -----------------------------------------------------------------------
    def save_extraction(self, article_id: str, ex: Extraction) -> None:
        """Replace the mentions, figures, claims and events of one article (inside ``transaction``).

        Also sets a new ``EXTRACTION_TOKEN``: readers that keep decoded mentions see they changed."""
        self.set_state(EXTRACTION_TOKEN, os.urandom(16))
        for table in ("mentions", "figures", "claims", "events"):
            self._conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self._conn.executemany(
            "INSERT INTO mentions(article_id, idx, data) VALUES (?,?,?)",
            [(article_id, i, dumps(record(m))) for i, m in enumerate(ex.mentions)],
        )
        self._conn.executemany(
            "INSERT INTO figures(id, article_id, idx, measure, value, data) VALUES (?,?,?,?,?,?)",
            [
                (f"{article_id}-f{i}", article_id, i, f.measure, f.value, dumps(record(f)))
                for i, f in enumerate(ex.figures)
            ],
        )
        self._conn.executemany(
            "INSERT INTO claims(id, article_id, idx, data) VALUES (?,?,?,?)",
            [(f"{article_id}-c{i}", article_id, i, dumps(record(c))) for i, c in enumerate(ex.claims)],
        )
        self._conn.executemany(
            "INSERT INTO events(id, article_id, idx, data) VALUES (?,?,?,?)",
            [(f"{article_id}-e{i}", article_id, i, dumps(record(e))) for i, e in enumerate(ex.events)],
        )

    def save_places(self, article_id: str, places: Sequence[Place]) -> None:
        self._conn.execute("DELETE FROM places WHERE article_id = ?", (article_id,))
        self._conn.executemany(
            "INSERT INTO places(article_id, idx, data) VALUES (?,?,?)",
            [(article_id, i, dumps(record(p))) for i, p in enumerate(places)],
        )

    def _by_article(self, table: str, ids: Sequence[str] | None) -> list[sqlite3.Row]:
        if ids is None:
            return self._q(f"SELECT * FROM {table} ORDER BY article_id, idx")
        rows: list[sqlite3.Row] = []
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows += self._q(f"SELECT * FROM {table} WHERE article_id IN ({marks}) ORDER BY article_id, idx", chunk)
        return rows

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
        self._conn.execute("DELETE FROM entities")
        self.update_entities(entities, ())

    def update_entities(self, upsert: Sequence[Entity], remove: Sequence[str]) -> None:
        """Change the stored entities in place: ``replace_entities`` for a table that mostly stayed the same."""
        for chunk in _chunks(list(remove), 500):
            self._conn.execute(f"DELETE FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        self._conn.executemany(
            "INSERT OR REPLACE INTO entities(id, name, type, data) VALUES (?,?,?,?)",
            [(e.id, e.name, e.type, dumps(record(e))) for e in upsert],
        )

    def entities(self) -> list[Entity]:
        return [decode(Entity, r["data"]) for r in self._q("SELECT data FROM entities ORDER BY name, id")]

    def add_duplicates(self, dups: Iterable[Duplicate]) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO duplicates(a, b, relation, similarity, data) VALUES (?,?,?,?,?)",
            [(d.a, d.b, d.relation, d.similarity, dumps(record(d))) for d in dups],
        )

    def duplicates(self) -> list[Duplicate]:
        return [decode(Duplicate, r["data"]) for r in self._q("SELECT data FROM duplicates ORDER BY a, b")]

    def replace_stories(self, stories: Sequence[Story]) -> None:
        self._conn.execute("DELETE FROM story_articles")
        self._conn.execute("DELETE FROM stories")
        self._insert_stories(stories)

    def update_stories(self, upsert: Sequence[Story], remove: Sequence[str]) -> None:
        """Change the stored stories in place: ``replace_stories`` for a list that mostly stayed the same."""
        for chunk in _chunks([*remove, *(s.id for s in upsert)], 500):
            marks = ",".join("?" * len(chunk))
            self._conn.execute(f"DELETE FROM story_articles WHERE story_id IN ({marks})", chunk)
            self._conn.execute(f"DELETE FROM stories WHERE id IN ({marks})", chunk)
        self._insert_stories(upsert)

    def _insert_stories(self, stories: Sequence[Story]) -> None:
        self._conn.executemany(
            "INSERT INTO stories(id, title, data) VALUES (?,?,?)",
            [(s.id, s.title, dumps(record(s))) for s in stories],
        )
        self._conn.executemany(
            "INSERT OR IGNORE INTO story_articles(story_id, article_id) VALUES (?,?)",
            [(s.id, a) for s in stories for a in s.article_ids],
        )

    def stories(self) -> list[Story]:
        return [decode(Story, r["data"]) for r in self._q("SELECT data FROM stories ORDER BY id")]

    def get_story(self, key: str) -> Story:
        rows = self._q("SELECT data FROM stories WHERE id = ? OR id LIKE ?", (key, key + "%"))
        if not rows:
            raise NotFoundError(f"no story with id {key!r}")
        return decode(Story, rows[0]["data"])

    def story_signature(self, story_id: str) -> str | None:
        row = self._conn.execute("SELECT signature FROM story_analysis WHERE story_id = ?", (story_id,)).fetchone()
        return None if row is None else str(row[0])

    def replace_story_analysis(
        self,
        story_id: str,
        signature: str,
        recs: Sequence[Reconciliation],
        contradictions: Sequence[Contradiction],
        extra: dict[str, Any],
    ) -> None:
        self._conn.execute("DELETE FROM reconciliations WHERE story_id = ?", (story_id,))
        self._conn.execute("DELETE FROM contradictions WHERE story_id = ?", (story_id,))
        self._conn.executemany(
            "INSERT OR REPLACE INTO reconciliations(id, story_id, data) VALUES (?,?,?)",
            [(r.id, story_id, dumps(record(r))) for r in recs],
        )
        self._conn.executemany(
            "INSERT OR REPLACE INTO contradictions(id, story_id, data) VALUES (?,?,?)",
            [(c.id, story_id, dumps(record(c))) for c in contradictions],
        )
        self._conn.execute(
            "INSERT OR REPLACE INTO story_analysis(story_id, signature, data) VALUES (?,?,?)",
            (story_id, signature, dumps(extra)),
        )

    def drop_story_analysis_except(self, keep: Iterable[str]) -> None:
        keep_set = set(keep)
        for table in ("reconciliations", "contradictions", "story_analysis"):
            for (sid,) in self._conn.execute(f"SELECT DISTINCT story_id FROM {table}").fetchall():
                if sid not in keep_set:
                    self._conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (sid,))

    def story_extra(self, story_id: str) -> dict[str, Any]:
        row = self._conn.execute("SELECT data FROM story_analysis WHERE story_id = ?", (story_id,)).fetchone()
        return {} if row is None else dict(json.loads(row[0]))

    def reconciliations(self, story_id: str | None = None) -> list[Reconciliation]:
        rows = (
            self._q("SELECT data FROM reconciliations ORDER BY story_id, id")
            if story_id is None
            else self._q("SELECT data FROM reconciliations WHERE story_id = ? ORDER BY id", (story_id,))
        )
        return [decode(Reconciliation, r["data"]) for r in rows]

    def contradictions(self, story_id: str | None = None) -> list[Contradiction]:
        rows = (
            self._q("SELECT data FROM contradictions ORDER BY story_id, id")
            if story_id is None
            else self._q("SELECT data FROM contradictions WHERE story_id = ? ORDER BY id", (story_id,))
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
        return {t: int(self._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements; trigger bodies (BEGIN ... END;) stay whole."""
    statements: list[str] = []
    current: list[str] = []
    in_trigger = False
    for line in script.strip().splitlines():
        current.append(line)
        upper = line.strip().upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and upper.endswith(";")):
            statements.append("\n".join(current).strip())
            current = []
            in_trigger = False
    if "".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements
