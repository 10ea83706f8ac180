"""The app under a real uvicorn server on 127.0.0.1 (a free port), spoken to over TCP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from api_store import auth

from newsweave.api import create_app
from newsweave.settings import Settings


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(db: str) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(Settings(db=db, token="live-token")), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_real_server_serves_api_ui_and_refuses_unauthorised_writes(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=10, trust_env=False) as c:
        stories = c.get("/api/stories")
        assert stories.status_code == 200 and stories.json()["total"] == 2
        etag = stories.headers["etag"]
        assert c.get("/api/stories", headers={"If-None-Match": etag}).status_code == 304
        page = c.get("/stories/storm0001", headers={"Accept": "text/html"})
        assert page.status_code == 200 and 'id="map-chart"' in page.text
        refused = c.post("/api/ingest", json={"text": "x"}, headers=auth("wrong"))
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
