"""Stores: one interface (``Store``), SQLite by default, PostgreSQL when the location is a URL."""

from __future__ import annotations

from newsweave.errors import StoreError
from newsweave.store.base import NewArticle, Store, StoredRow
from newsweave.store.sqlite import SQLiteStore

__all__ = ["NewArticle", "SQLiteStore", "Store", "StoredRow", "open_store"]


def open_store(location: str) -> Store:
    """Open (and migrate) the store at ``location``: a file path, ``:memory:``, or a postgresql:// URL."""
    if location.startswith(("postgresql://", "postgres://")):
        try:
            from newsweave.store.postgres import PostgresStore
        except ImportError as exc:  # psycopg is only needed for PostgreSQL
            raise StoreError(
                f"PostgreSQL stores need the psycopg package ({exc}): pip install 'psycopg[binary]'"
            ) from exc
        return PostgresStore(location)
    return SQLiteStore(location)
