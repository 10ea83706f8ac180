"""Stores: one interface (``Store``), SQLite by default, PostgreSQL when the location is a URL."""

from __future__ import annotations

from newsweave.errors import StoreError
from newsweave.store.base import NewArticle, Store, StoredRow
from newsweave.store.sqlite import SQLiteStore

__all__ = ["NewArticle", "SQLiteStore", "Store", "StoredRow", "open_store"]


def open_store(location: str) -> Store:
    """Open (and migrate) the store at ``location``: a file path, ``:memory:``, or a postgresql:// URL."""
    if location.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            "PostgreSQL stores are not available in this version yet; use a SQLite file path for --db"
        )
    return SQLiteStore(location)
