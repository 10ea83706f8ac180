"""The read cache: one computation per key and store state however many ask, a background warm-up that
blocks no request, and writes that are visible to the very next read (with the read models rebuilt)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from api_store import auth
from fastapi import FastAPI

from newsweave.app_state import AppState, SharedCache
from newsweave.model import Story
from newsweave.settings import Settings
from newsweave.store import Store

pytestmark = pytest.mark.anyio

ARTICLE = {
    "id": "late-1",
    "title": "Ferry service to Tarsen resumes",
    "source": "Island Gazette",
    "published": "2025-07-01",
    "text": "The ferry service to the harbour of Tarsen resumed on Monday after the storm, the port office said.",
}


def _in_threads(n: int, target: Callable[[], Any]) -> list[Any]:
    results: list[Any] = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = target()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    return results


def count_story_index_builds(monkeypatch: pytest.MonkeyPatch, delay: float = 0.0) -> list[int]:
    """Make every build of the story index append to the returned list (after ``delay`` seconds)."""
    from newsweave import web

    calls: list[int] = []
    real = web.story_index

    def counted(store: Store) -> list[dict[str, Any]]:
        calls.append(1)
        time.sleep(delay)
        return real(store)

    monkeypatch.setattr(web, "story_index", counted)
    return calls


def test_shared_cache_computes_once_for_concurrent_callers() -> None:
    cache = SharedCache(8)
    calls: list[int] = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "value"

    assert _in_threads(8, lambda: cache.get("k", 1, slow)) == ["value"] * 8
    assert calls == [1]
    assert cache.get("k", 1, slow) == "value" and calls == [1]
    assert cache.get("k", 2, slow) == "value" and calls == [1, 1]  # another store state: computed again


def test_shared_cache_gives_the_error_to_every_waiter_and_retries_later() -> None:
    cache = SharedCache(8)
    calls: list[int] = []

    def failing() -> str:
        calls.append(1)
        time.sleep(0.2)
        raise ValueError("broken")

    results = _in_threads(4, lambda: cache.get("k", 1, failing))
    assert all(isinstance(r, ValueError) for r in results) and calls == [1]
    assert cache.get("k", 1, lambda: "fixed") == "fixed"  # a failure is not remembered


def test_shared_cache_serves_the_accepted_older_state_and_evicts_the_oldest() -> None:
    cache = SharedCache(2)
    cache.get("a", 1, lambda: "a1")
    assert cache.get("a", 2, lambda: "a2", also=1) == "a1"
    assert cache.get("a", 2, lambda: "a2") == "a2"
    cache.get("b", 2, lambda: "b2")
    cache.get("c", 2, lambda: "c2")
    assert cache.get("a", 2, lambda: "recomputed") == "recomputed"


def test_concurrent_cold_requests_build_the_story_index_once(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsweave import web

    calls = count_story_index_builds(monkeypatch, delay=0.2)
    state = AppState(Settings(db=db))
    try:
        results = _in_threads(6, lambda: web.filter_stories(state))
        assert all(isinstance(r, list) and len(r) == 2 for r in results)
        assert calls == [1]
    finally:
        state.close()


def test_warm_up_builds_the_read_models_in_the_background(db: str) -> None:
    state = AppState(Settings(db=db))
    try:
        state.warm().join(20)
        gen = state.generation()
        missing: list[tuple[str, ...]] = []
        for key in (("story_index",), ("counts",)):

            def not_warmed(k: tuple[str, ...] = key) -> None:
                missing.append(k)

            state._cache.get(key, gen, not_warmed)
        assert missing == []
    finally:
        state.close()


async def test_a_request_during_the_warm_up_is_neither_blocked_nor_broken(
    make_app: Callable[..., FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsweave.app_state as app_state

    release = threading.Event()
    started = threading.Event()

    def stuck(store: Store) -> int:
        started.set()
        release.wait(20)  # holds a read connection all along
        return len(store.article_ids())

    monkeypatch.setattr(app_state, "_WARM_KEYS", ((("stuck",), stuck), *app_state._WARM_KEYS))
    app = make_app()
    state: AppState = app.state.newsweave
    warming = state.warm()
    try:
        assert started.wait(10)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            t0 = time.monotonic()
            dossier = await c.get("/api/stories/storm0001")
            stories = await c.get("/api/stories")
            found = await c.get("/api/search", params={"q": "storm"})
            assert time.monotonic() - t0 < 5
        assert dossier.status_code == 200 and dossier.json()["story_id"] == "storm0001"
        assert stories.status_code == 200 and stories.json()["total"] == 2
        assert found.status_code == 200 and found.json()["items"]
        assert warming.is_alive()
    finally:
        release.set()
        warming.join(20)
    assert not warming.is_alive()


async def test_an_api_write_is_visible_on_the_next_read_with_the_index_already_rebuilt(
    app: FastAPI, client: httpx.AsyncClient, no_analysis: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:

    before = await client.get("/api/articles")
    assert before.json()["total"] == 4
    assert (await client.get("/api/stories")).json()["total"] == 2
    response = await client.post("/api/ingest", json=ARTICLE, headers=auth())
    assert response.status_code == 200, response.text
    calls = count_story_index_builds(monkeypatch)
    after = await client.get("/api/articles", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.json()["total"] == 5
    assert (await client.get("/api/search", params={"q": "Tarsen"})).json()["items"][0]["title"] == ARTICLE["title"]
    assert (await client.get("/api/stories")).status_code == 200
    assert calls == []  # rebuilt by the write before it answered, not by the first reader


def _add_story(store: Store, story_id: str, title: str) -> None:
    ids = [store.find_article("storm-1").id]
    with store.transaction():
        store.replace_stories([*store.stories(), Story(id=story_id, title=title, article_ids=tuple(ids))])


async def test_reads_during_a_write_are_answered_and_the_write_shows_once_it_returns(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    state: AppState = app.state.newsweave
    assert (await client.get("/api/stories")).json()["total"] == 2
    old_etag = (await client.get("/api/stories")).headers["etag"]
    written = threading.Event()
    release = threading.Event()

    def write() -> None:
        with state.writing() as store:
            _add_story(store, "ferry0001", "Ferry service resumes")
            written.set()
            release.wait(10)

    worker = threading.Thread(target=write)
    worker.start()
    try:
        assert written.wait(10)
        during = await client.get("/api/stories")
        assert during.status_code == 200 and during.json()["total"] in (2, 3)
    finally:
        release.set()
        worker.join(20)
    after = await client.get("/api/stories", headers={"If-None-Match": old_etag})
    assert after.status_code == 200
    assert "ferry0001" in [s["id"] for s in after.json()["items"]]
    dossier = await client.get("/api/stories/ferry0001")
    assert dossier.status_code == 200 and dossier.json()["headline"] == "Ferry service resumes"


async def test_a_dossier_changes_with_its_story_after_a_write(app: FastAPI, client: httpx.AsyncClient) -> None:
    state: AppState = app.state.newsweave
    first = await client.get("/api/stories/bridge0001")
    with state.writing() as store:
        stories = [
            Story(id=s.id, title="Bridge collapse: toll confirmed", article_ids=s.article_ids)
            if s.id == "bridge0001"
            else s
            for s in store.stories()
        ]
        with store.transaction():
            store.replace_stories(stories)
    again = await client.get("/api/stories/bridge0001", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 200 and again.json()["headline"] == "Bridge collapse: toll confirmed"
    page = await client.get("/stories/bridge0001")
    assert "Bridge collapse: toll confirmed" in page.text


def test_a_write_by_another_process_is_rebuilt_before_anyone_asks(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsweave import web
    from newsweave.store import open_store

    state = AppState(Settings(db=db))
    state.warm().join(20)
    state.refresh_every(0.05)
    try:
        other = open_store(db)  # a CLI ingest or `newsweave watch`: another connection, another writer
        _add_story(other, "ferry0001", "Ferry fire off Tarsen")
        other.close()
        gen = state.generation()
        deadline = time.monotonic() + 20
        while not state._cache.has(("story_index",), gen) and time.monotonic() < deadline:
            time.sleep(0.05)
        calls = count_story_index_builds(monkeypatch)
        titles = [s["title"] for s in web.filter_stories(state)]
        assert "Ferry fire off Tarsen" in titles and len(titles) == 3
        assert calls == []  # the refresher had rebuilt the index: the first reader paid nothing
    finally:
        state.close()


def test_a_postgresql_store_shows_writes_made_by_another_process(postgres_location: str) -> None:
    from api_store import build_store

    from newsweave import web
    from newsweave.store import open_store

    build_store(postgres_location).store.close()
    state = AppState(Settings(db=postgres_location))
    try:
        assert len(web.filter_stories(state)) == 2
        other = open_store(postgres_location)
        _add_story(other, "ferry0001", "Ferry fire off Tarsen")
        other.close()
        titles = [s["title"] for s in web.filter_stories(state)]
        assert "Ferry fire off Tarsen" in titles and len(titles) == 3
    finally:
        state.close()
