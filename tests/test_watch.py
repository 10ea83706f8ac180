"""Watching folders and feeds: only what is new is ingested; failing sources back off."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsweave.settings import Settings
from newsweave.store import Store, open_store
from newsweave.watch import parse_interval, poll_once, watch

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Post</title>
<item><title>Bridge closed after storm</title><link>https://valley-post.example/bridge</link>
<description>Engineers closed the old bridge on Monday after a storm damaged two of its pillars.
Officials said repairs would take at least three weeks.</description>
<pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item></channel></rss>"""


class FeedServer:
    def __init__(self) -> None:
        self.hits: list[tuple[str, str | None]] = []
        self.fail = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                etag = self.headers.get("If-None-Match")
                server.hits.append((self.path, etag))
                if server.fail:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if etag == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                body = FEED.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    yield s
    s.httpd.shutdown()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(str(tmp_path / "w.db"))
    yield s
    s.close()


SETTINGS = Settings(allow_private_urls=True)


def test_watch_interval_parsing() -> None:
    assert parse_interval("10m") == 600 and parse_interval("30s") == 30 and parse_interval("2") == 2
    with pytest.raises(ValueError, match="positive duration"):
        parse_interval("soon")


def test_watch_feed_uses_conditional_get(store: Store, server: FeedServer) -> None:
    first = poll_once(store, [server.url], SETTINGS, now=0)
    assert first.added == 1
    second = poll_once(store, [server.url], SETTINGS, now=1000)
    assert second.added == 0 and second.unchanged == [server.url]
    assert server.hits[-1] == ("/feed.xml", '"v1"')
    assert store.counts()["articles"] == 1


def test_watch_failing_feed_backs_off_and_recovers(store: Store, server: FeedServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour fire\nFirefighters put out a fire at the harbour on Sunday.\n")
    server.fail = True
    r1 = poll_once(store, [server.url, str(folder)], SETTINGS, now=0)
    assert r1.added == 1 and r1.rejected and "503" in r1.rejected[0].reason  # the folder still went in
    r2 = poll_once(store, [server.url, str(folder)], SETTINGS, now=10)
    assert r2.backing_off == [server.url]
    server.fail = False
    r3 = poll_once(store, [server.url], SETTINGS, now=10_000)
    assert r3.added == 1 and not r3.rejected


def test_watch_folder_ingests_only_new_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour fire\nFirefighters put out a fire at the harbour on Sunday.\n")
    rounds: list[int] = []
    watch(
        store,
        [str(folder)],
        SETTINGS,
        every=0,
        rounds=2,
        on_round=lambda n, r: rounds.append(r.added),
        sleep=lambda s: (folder / "b.txt").write_text("Bridge closed\nThe old bridge closed on Monday.\n"),
    )
    assert rounds == [1, 1]
    assert poll_once(store, [str(folder)], SETTINGS).added == 0
    assert store.counts()["articles"] == 2
