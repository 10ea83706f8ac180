"""Browser fixtures: the app under uvicorn on 127.0.0.1 and Debian's Chromium driven by Playwright.

Browser tests are marked ``browser``; they skip with a reason when /usr/bin/chromium (Debian's package
``chromium``) or the ``playwright`` Python package is missing. No browser is ever downloaded.
"""

from __future__ import annotations

import json
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))  # for api_store

from api_store import TOKEN, XSS_TEXT, XSS_TITLE
from browser_support import CHROMIUM, CHROMIUM_ARGS, Console, Site


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian's Chromium through Playwright (skips without it)")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with 'apt-get install -y chromium'")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright Python package is not installed")
    return CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo corpus plus one hostile report, ingested and analysed by the real pipeline, served by uvicorn."""
    import uvicorn

    from newsweave.api import create_app
    from newsweave.pipeline import ingest
    from newsweave.settings import Settings
    from newsweave.store import open_store

    folder = tmp_path_factory.mktemp("browser")
    db = str(folder / "web.db")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(
        json.dumps(
            {
                "id": "hostile-1",
                "title": XSS_TITLE,
                "text": XSS_TEXT,
                "source": "Valley Post",
                "published": "2025-06-10T12:00:00+00:00",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    store = open_store(db)
    corpus = resources.files("newsweave") / "demo" / "corpus.jsonl"
    with resources.as_file(corpus) as path:
        ingest(store, [str(path), str(hostile)], Settings(db=db))
    xss_id = store.find_article("hostile-1").id
    store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(create_app(Settings(db=db, token=TOKEN)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", xss_id)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Console]]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, service_workers="block")
    pg = context.new_page()
    console = Console()
    pg.on("console", lambda msg: console.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: console.errors.append(str(exc)))
    try:
        yield pg, console
    finally:
        context.close()
