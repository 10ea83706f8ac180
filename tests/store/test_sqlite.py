"""What only the SQLite back end promises (the shared behaviour is in test_contract.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsweave.errors import StoreError
from newsweave.store import SQLiteStore, open_store


def test_sqlite_store_uses_wal_journal(tmp_path: Path) -> None:
    path = str(tmp_path / "m.db")
    open_store(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_store_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "nope" / "s.db"))


def test_sqlite_store_is_what_a_path_opens(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    try:
        assert isinstance(store, SQLiteStore)
    finally:
        store.close()


def test_sqlite_store_in_memory_works(tmp_path: Path) -> None:
    store = open_store(":memory:")
    try:
        assert store.counts()["articles"] == 0 and store.migrations()[0][0] == 1
    finally:
        store.close()
