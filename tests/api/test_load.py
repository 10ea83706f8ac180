"""A bounded load test on loopback: concurrent readers and one writer against a real uvicorn server.

Fixed request counts and a deadline: it stops by itself. Analysis is stubbed (``no_analysis``): this
measures the HTTP and store layers under concurrency, not the models. Zero errors, no lost writes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from api_store import auth

from newsweave.api import create_app
from newsweave.settings import Settings
from newsweave.store import open_store

READERS = 4
READS_EACH = 60
WRITES = 12
DEADLINE_S = 120


@pytest.fixture
def server(db: str, no_analysis: list[int]) -> Iterator[str]:
    config = uvicorn.Config(
        create_app(Settings(db=db, token="load-token")), host="127.0.0.1", port=0, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_load_concurrent_readers_and_one_writer_lose_nothing(server: str, db: str) -> None:
    before = len(open_store(db).article_ids())
    errors: list[str] = []
    started = time.monotonic()

    def reader(n: int) -> None:
        paths = ["/api/stories", "/api/search?q=storm", "/api/figures", "/api/places", "/"]
        with httpx.Client(base_url=server, timeout=30, trust_env=False) as c:
            for i in range(READS_EACH):
                if time.monotonic() - started > DEADLINE_S:
                    errors.append("deadline reached")
                    return
                r = c.get(paths[(i + n) % len(paths)])
                if r.status_code not in (200, 304):
                    errors.append(f"GET {r.request.url.path}: {r.status_code}")

    def writer() -> None:
        with httpx.Client(base_url=server, timeout=30, trust_env=False) as c:
            for i in range(WRITES):
                body = {
                    "id": f"load-{i}",
                    "text": f"Volunteers cleared {i + 3} fallen trees from the road in "
                    f"Marrowby on Tuesday, council officials said. Report number {i}.",
                }
                r = c.post("/api/ingest", json=body, headers=auth("load-token"))
                if r.status_code not in (200, 201):
                    errors.append(f"POST {i}: {r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE_S + 30)
    assert not errors, errors[:5]
    store = open_store(db)
    assert len(store.article_ids()) == before + WRITES
    assert {a["external_id"] for a in store.article_rows()} >= {f"load-{i}" for i in range(WRITES)}
