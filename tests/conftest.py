"""Fixtures shared by every test directory.

PostgreSQL tests run only when ``NEWSWEAVE_TEST_POSTGRES`` holds a postgresql:// URL (for example the
one ``scripts/start-postgres.sh`` prints; CI sets it); each test then gets its own, freshly created
schema, dropped afterwards. Without it they are skipped, and the skip says why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

POSTGRES_URL = os.environ.get("NEWSWEAVE_TEST_POSTGRES", "")
NO_POSTGRES = (
    "PostgreSQL back end not tested: NEWSWEAVE_TEST_POSTGRES is not set "
    '(export NEWSWEAVE_TEST_POSTGRES="$(scripts/start-postgres.sh)" to run it)'
)


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
