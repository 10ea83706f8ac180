"""The whole pipeline gives the same export on SQLite and PostgreSQL (runs only when PostgreSQL is set up)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from newsweave.export import export_json
from newsweave.pipeline import ingest
from newsweave.settings import Settings
from newsweave.store import open_store


def _without_ingest_times(data: dict[str, Any]) -> dict[str, Any]:
    for article in data["articles"]:
        article.pop("ingested_at", None)
    return data


def test_store_backends_give_the_same_export_for_the_demo_corpus(tmp_path: Path, postgres_location: str) -> None:
    corpus = str(resources.files("newsweave") / "demo" / "corpus.jsonl")
    exports = []
    for location in (str(tmp_path / "parity.db"), postgres_location):
        store = open_store(location)
        try:
            ingest(store, [corpus], Settings())
            full = _without_ingest_times(export_json(store))
            first_day = min(a["published"] for a in full["articles"] if a["published"])
            exports.append((full, _without_ingest_times(export_json(store, as_of=first_day))))
        finally:
            store.close()
    (sqlite_full, sqlite_early), (pg_full, pg_early) = exports
    assert sqlite_full["articles"] and sqlite_full["figures"] and sqlite_full["stories"]
    assert pg_full == sqlite_full
    assert pg_early == sqlite_early
