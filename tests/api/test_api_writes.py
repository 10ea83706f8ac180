"""Write endpoints: token, read-only mode, JSON/batch/file ingest, URL ingest with the SSRF guard, size limits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from api_store import auth
from fastapi import FastAPI

pytestmark = pytest.mark.anyio

ARTICLE = {
    "id": "new-1",
    "title": "Ferry runs aground off Tarsen",
    "source": "Island Gazette",
    "published": "2025-07-01",
    "text": "A ferry ran aground off Tarsen on Monday. All 85 passengers were rescued, the coast guard said.",
}


async def test_ingest_without_token_is_refused_with_401(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    response = await client.post("/api/ingest", json=ARTICLE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    wrong = await client.post("/api/ingest", json=ARTICLE, headers=auth("nope"))
    assert wrong.status_code == 401
    assert not no_analysis
    assert (await client.get("/api/articles/new-1")).status_code == 404


async def test_server_without_token_is_read_only(make_app: Callable[..., FastAPI], no_analysis: list[int]) -> None:
    app = make_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.post("/api/ingest", json=ARTICLE, headers=auth())
        assert response.status_code == 403
        assert "read-only" in response.json()["error"]["message"]
        assert (await c.get("/api/health")).json()["writable"] is False


async def test_ingest_one_article_stores_and_analyses_it(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    before = (await client.get("/api/articles")).headers["etag"]
    response = await client.post("/api/ingest", json=ARTICLE, headers=auth())
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["added"]) == 1 and body["rejected"] == []
    assert no_analysis == [1]
    view = (await client.get("/api/articles/new-1")).json()
    assert view["title"] == ARTICLE["title"] and view["source"] == "Island Gazette"
    listing = await client.get("/api/articles", headers={"If-None-Match": before})
    assert listing.status_code == 200 and listing.json()["total"] == 5
    again = (await client.post("/api/ingest", json=ARTICLE, headers=auth())).json()
    assert again["added"] == [] and again["already_stored"] == body["added"]


async def test_ingest_batch_reports_bad_items_and_keeps_good_ones(
    client: httpx.AsyncClient, no_analysis: list[int]
) -> None:
    batch = {"articles": [ARTICLE, {"title": "no text here"}, {**ARTICLE, "id": "new-2", "text": "Second report."}]}
    body = (await client.post("/api/ingest", json=batch, headers=auth())).json()
    assert len(body["added"]) == 2
    assert [r["item"] for r in body["rejected"]] == ["api[1]"]
    assert "no text" in body["rejected"][0]["reason"]


async def test_ingest_json_lines_body(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    lines = "\n".join(
        json.dumps({**ARTICLE, "id": f"l{i}", "text": f"Report number {i} on the ferry."}) for i in range(3)
    )
    response = await client.post(
        "/api/ingest", content=lines, headers={**auth(), "Content-Type": "application/x-ndjson"}
    )
    assert len(response.json()["added"]) == 3


async def test_ingest_where_everything_is_rejected_is_422_with_reasons(
    client: httpx.AsyncClient, no_analysis: list[int]
) -> None:
    response = await client.post("/api/ingest", content=b'{"text": 5', headers=auth())
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "invalid JSON" in error["message"]
    assert error["details"][0]["item"] == "api"


async def test_ingest_uses_source_and_published_defaults(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    article = {"id": "bare", "text": "A bare report without metadata about the ferry."}
    response = await client.post(
        "/api/ingest", json=article, params={"source": "Desk", "published": "2025-07-02"}, headers=auth()
    )
    assert response.status_code == 200
    view = (await client.get("/api/articles/bare")).json()
    assert view["source"] == "Desk" and view["published"].startswith("2025-07-02")


async def test_ingest_file_upload_reads_by_extension(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    data = "\n".join(json.dumps({**ARTICLE, "id": f"u{i}", "text": f"Upload report {i}."}) for i in range(2))
    files = {"file": ("reports.jsonl", data.encode(), "application/octet-stream")}
    body = (await client.post("/api/ingest/file", files=files, headers=auth())).json()
    assert len(body["added"]) == 2
    text_file = {"file": ("note.txt", b"Harbour closed\n\nThe harbour of Tarsen was closed on Tuesday.", "text/plain")}
    body = (await client.post("/api/ingest/file", files=text_file, headers=auth())).json()
    view = (await client.get(f"/api/articles/{body['added'][0]}")).json()
    assert view["title"] == "Harbour closed"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/feed.xml",
        "http://localhost:9/page.html",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/internal",
        "http://[::1]:9/",
    ],
)
async def test_url_ingest_refuses_internal_addresses(
    client: httpx.AsyncClient, no_analysis: list[int], url: str
) -> None:
    for endpoint in ("/api/ingest/url", "/api/ingest/feed"):
        response = await client.post(endpoint, json={"url": url}, headers=auth())
        assert response.status_code == 422, response.text
        reason = response.json()["error"]["details"][0]["reason"]
        assert "address" in reason


async def test_url_ingest_accepts_only_http_urls(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    response = await client.post("/api/ingest/url", json={"url": "file:///etc/passwd"}, headers=auth())
    assert response.status_code == 400
    assert "not an http(s) URL" in response.json()["error"]["message"]


async def test_body_over_the_limit_is_refused_with_413(
    make_app: Callable[..., FastAPI], no_analysis: list[int]
) -> None:
    app = make_app(token="t", max_bytes=1000)
    big = json.dumps({**ARTICLE, "text": "word " * 1000})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        declared = await c.post("/api/ingest", content=big, headers=auth("t"))
        assert declared.status_code == 413
        assert declared.json()["error"]["code"] == "payload_too_large"

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(20):
                yield b"x" * 100

        streamed = await c.post("/api/ingest", content=chunks(), headers=auth("t"))
        assert streamed.status_code == 413
        assert streamed.json()["error"]["code"] == "payload_too_large"
    assert not no_analysis
