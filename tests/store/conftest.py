"""Fixtures for the store contract suite: every test runs once per back end.

PostgreSQL runs only when ``NEWSWEAVE_TEST_POSTGRES`` holds a postgresql:// URL (for example the one
``scripts/start-postgres.sh`` prints); each test then gets its own, freshly created schema, dropped
afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from newsweave.store import Store, open_store

POSTGRES_URL = os.environ.get("NEWSWEAVE_TEST_POSTGRES", "")
NO_POSTGRES = (
    "PostgreSQL back end not tested: NEWSWEAVE_TEST_POSTGRES is not set "
    '(export NEWSWEAVE_TEST_POSTGRES="$(scripts/start-postgres.sh)" to run it)'
)
needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)

BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=needs_postgres)]


def schema_url(url: str, schema: str) -> str:
    """``url`` with the connection's search_path set to ``schema``."""
    return url + ("&" if "?" in url else "?") + "options=" + quote(f"-c search_path={schema}", safe="")


@pytest.fixture
def postgres_location() -> Iterator[str]:
    """A postgresql:// URL whose tables land in a new, empty schema of the test server."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    import psycopg

    schema = "nw_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema_url(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


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
