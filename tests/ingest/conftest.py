"""Fixtures for the ingest tests: the invented sample inputs, and a local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest_http import LocalServer, start_server

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local, httpd, thread = start_server()
    try:
        yield local
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
