"""Fixtures for the store contract suite: every test runs once per back end.

PostgreSQL runs only when ``NEWSWEAVE_TEST_POSTGRES`` is set (see ``postgres_location`` in
tests/conftest.py); otherwise its variants are skipped, saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsweave.store import Store, open_store

BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres")]


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store of each back end lives (a file path or a postgresql:// URL)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("postgres_location"))


@pytest.fixture
def open_at(location: str) -> Iterator[Callable[[], Store]]:
    """Opens (more) stores at ``location``; closes them all after the test."""
    opened: list[Store] = []

    def make() -> Store:
        store = open_store(location)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(open_at: Callable[[], Store]) -> Store:
    return open_at()
