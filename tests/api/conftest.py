"""Fixtures for the API tests: an invented analysed store, the app over it, and an in-process client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_store import TOKEN, Built, build_store
from fastapi import FastAPI

from newsweave.api import create_app
from newsweave.settings import Settings


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def built(tmp_path: Path) -> Iterator[Built]:
    b = build_store(str(tmp_path / "api.db"))
    b.store.close()
    yield b


@pytest.fixture
def db(built: Built, tmp_path: Path) -> str:
    return str(tmp_path / "api.db")


@pytest.fixture
def make_app(db: str) -> Iterator[Callable[..., FastAPI]]:
    apps: list[FastAPI] = []

    def make(**settings: Any) -> FastAPI:
        app = create_app(Settings(db=db, **settings))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.newsweave.close()


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app(token=TOKEN)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Skip the (slow, model-loading) analysis stages: these tests are about the HTTP layer."""
    calls: list[int] = []

    def fake_analyse(store: Any, **_: Any) -> Any:
        from newsweave.pipeline import AnalysisReport

        calls.append(1)
        return AnalysisReport()

    monkeypatch.setattr("newsweave.pipeline.analyse", fake_analyse)
    return calls
