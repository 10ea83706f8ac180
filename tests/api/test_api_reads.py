"""Read endpoints: stories with filters and pagination, dossier, articles, figures, places, search, exports."""

from __future__ import annotations

import csv
import io
import threading

import httpx
import pytest
from api_store import XSS_TEXT, XSS_TITLE, Built
from fastapi import FastAPI

pytestmark = pytest.mark.anyio


async def test_stories_list_paginates_with_total_and_next_offset(client: httpx.AsyncClient) -> None:
    first = (await client.get("/api/stories", params={"limit": 1})).json()
    assert first["total"] == 2 and len(first["items"]) == 1 and first["next_offset"] == 1
    second = (await client.get("/api/stories", params={"limit": 1, "offset": 1})).json()
    assert second["next_offset"] is None
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {"storm0001", "bridge0001"}


async def test_stories_list_is_newest_first_with_counts(client: httpx.AsyncClient) -> None:
    items = (await client.get("/api/stories")).json()["items"]
    assert [s["id"] for s in items] == ["bridge0001", "storm0001"]
    storm = items[1]
    assert storm["article_count"] == 3 and storm["contradictions"] == 1 and storm["key_figures"] == 1
    assert storm["outlets"] == ["Harbor Times", "Northern Courier"]
    assert storm["places"][0] == "Varenna"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "mayor"}, ["storm0001"]),
        ({"q": "bridge"}, ["bridge0001"]),
        ({"place": "lume"}, ["storm0001"]),
        ({"place": "oskel"}, ["bridge0001"]),
        ({"source": "northern"}, ["storm0001"]),
        ({"date_from": "2025-06-01"}, ["bridge0001"]),
        ({"date_to": "2025-05-31"}, ["storm0001"]),
        ({"date_from": "2025-05-03", "date_to": "2025-05-03"}, ["storm0001"]),
        ({"q": "storm", "source": "valley"}, []),
    ],
)
async def test_stories_filters_select_matching_stories(
    client: httpx.AsyncClient, params: dict[str, str], expected: list[str]
) -> None:
    response = await client.get("/api/stories", params=params)
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["items"]] == expected


async def test_dossier_has_key_figures_verdicts_and_contradictions(client: httpx.AsyncClient) -> None:
    d = (await client.get("/api/stories/storm0001")).json()
    assert d["headline"] == "Storm kills at least 12 in Varenna"
    kf = d["key_figures"][0]
    assert kf["verdict"] == "conflict" and (kf["low"], kf["best"], kf["high"]) == (12, 19, 30)
    assert sorted(r["value"] for r in kf["reports"]) == [12, 19, 30]
    assert d["contradictions"][0]["articles"] == ["A2", "A3"]
    assert d["sources"]["versions"][0]["relation"] == "version"


async def test_dossier_by_id_prefix(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/stories/storm")).json()["story_id"] == "storm0001"


async def test_read_sends_etag_and_answers_304_when_unchanged(client: httpx.AsyncClient) -> None:
    first = await client.get("/api/stories/storm0001")
    etag = first.headers["etag"]
    again = await client.get("/api/stories/storm0001", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = await client.get("/api/stories/storm0001", headers={"If-None-Match": 'W/"stale"'})
    assert other.status_code == 200


async def test_article_by_external_id_has_highlighted_segments(client: httpx.AsyncClient, built: Built) -> None:
    view = (await client.get("/api/articles/storm-1")).json()
    assert view["id"] == built.ids["storm-1"]
    segments = view["segments"]
    assert "".join(s["text"] for s in segments) == view["text"]
    figure = [s["text"] for s in segments if "figure" in s["kinds"]]
    assert figure == ["at least 12 people"]
    assert "Civil Defence Office" in [s["text"] for s in segments if "source" in s["kinds"]]
    assert {"Varenna", "Lume"} <= {s["text"] for s in segments if "place" in s["kinds"]}


async def test_hostile_article_text_is_returned_verbatim_as_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/articles/bridge-1")
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    view = response.json()
    assert view["title"] == XSS_TITLE and view["text"] == XSS_TEXT


async def test_figures_filter_by_story_measure_and_source(client: httpx.AsyncClient) -> None:
    all_rows = (await client.get("/api/figures")).json()
    assert all_rows["total"] == 4
    storm = (await client.get("/api/figures", params={"story": "storm0001", "source": "mayor"})).json()
    assert [f["value"] for f in storm["items"]] == [30]
    assert (await client.get("/api/figures", params={"measure": "injured"})).json()["total"] == 0
    per_story = (await client.get("/api/stories/bridge0001/figures")).json()
    assert [f["value"] for f in per_story["items"]] == [4]


async def test_contradictions_filter_by_story(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/contradictions", params={"story": "storm0001"})).json()["total"] == 1
    assert (await client.get("/api/contradictions", params={"story": "bridge0001"})).json()["total"] == 0


async def test_places_are_geojson_points_in_lon_lat_order(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/places", params={"story": "storm0001"})
    assert response.headers["content-type"].startswith("application/geo+json")
    fc = response.json()
    assert fc["type"] == "FeatureCollection"
    places = {f["properties"]["name"]: f for f in fc["features"] if f["properties"]["kind"] == "place"}
    assert places["Varenna"]["geometry"] == {"type": "Point", "coordinates": [20.4, 44.8]}
    assert len(places["Varenna"]["properties"]["article_ids"]) == 3
    events = [f for f in fc["features"] if f["properties"]["kind"] == "event"]
    assert events and events[0]["geometry"]["coordinates"] == [20.4, 44.8]


async def test_search_returns_hits_with_story_ids(client: httpx.AsyncClient, built: Built) -> None:
    body = (await client.get("/api/search", params={"q": "bridge collapsed"})).json()
    assert [h["id"] for h in body["items"]] == [built.ids["bridge-1"]]
    assert body["items"][0]["story_id"] == "bridge0001"


async def test_search_with_broken_fts_syntax_still_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/search", params={"q": 'storm" AND ('})
    assert response.status_code == 200


async def test_articles_list_filters_by_source(client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/articles", params={"source": "harbor"})).json()
    assert body["total"] == 2 and all(a["source"] == "Harbor Times" for a in body["items"])
    assert "text" not in body["items"][0]


async def test_export_formats_match_the_cli(client: httpx.AsyncClient) -> None:
    data = (await client.get("/api/export")).json()
    assert {"articles", "stories", "figures", "reconciliations", "contradictions"} <= set(data)
    assert len(data["articles"]) == 4
    figures = await client.get("/api/export", params={"format": "figures-csv"})
    assert figures.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(figures.text)))
    assert sorted(float(r["value"]) for r in rows) == [4, 12, 19, 30]
    geo = await client.get("/api/export", params={"format": "geojson"})
    assert geo.json()["type"] == "FeatureCollection"


async def test_health_reports_counts_and_writability(make_app: object, client: httpx.AsyncClient) -> None:
    body = (await client.get("/api/health")).json()
    assert body["status"] == "ok" and body["writable"] is True and body["counts"]["articles"] == 4


async def test_reads_answer_while_a_write_holds_the_writer(app: FastAPI, client: httpx.AsyncClient) -> None:
    state = app.state.newsweave
    release = threading.Event()
    held = threading.Event()

    def hold_writer() -> None:
        with state.writing():
            held.set()
            release.wait(10)

    worker = threading.Thread(target=hold_writer)
    worker.start()
    try:
        assert held.wait(5)
        response = await client.get("/api/stories")
        assert response.status_code == 200 and response.json()["total"] == 2
    finally:
        release.set()
        worker.join(5)


async def test_cors_is_off_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/stories", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = await client.options(
        "/api/ingest", headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


async def test_cors_allows_only_configured_origins(db: str) -> None:
    from dataclasses import dataclass

    from newsweave.api import create_app
    from newsweave.settings import Settings

    @dataclass(frozen=True, slots=True)
    class WithCors(Settings):
        cors_origins: str = "https://dashboard.example"

    app = create_app(WithCors(db=db))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            ok = await c.get("/api/stories", headers={"Origin": "https://dashboard.example"})
            assert ok.headers["access-control-allow-origin"] == "https://dashboard.example"
            other = await c.get("/api/stories", headers={"Origin": "https://elsewhere.example"})
            assert "access-control-allow-origin" not in other.headers
    finally:
        app.state.newsweave.close()


def test_serve_command_binds_loopback_by_default(monkeypatch: pytest.MonkeyPatch, db: str) -> None:
    from click.testing import CliRunner

    from newsweave.api import serve_command
    from newsweave.settings import Settings

    seen: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: seen.update(kw, app=app))

    class Obj:
        settings = Settings(db=db)

    result = CliRunner().invoke(serve_command, [], obj=Obj())
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    seen["app"].state.newsweave.close()  # type: ignore[attr-defined]


async def test_reads_see_writes_made_by_another_process(client: httpx.AsyncClient, db: str) -> None:
    from newsweave.model import ArticleInput
    from newsweave.pipeline import store_inputs
    from newsweave.store import open_store

    before = await client.get("/api/articles")
    assert before.json()["total"] == 4
    other = open_store(db)  # e.g. `newsweave ingest` running next to the server
    try:
        store_inputs(other, [ArticleInput(text="A late report from the harbour of Tarsen.", origin="cli")])
    finally:
        other.close()
    after = await client.get("/api/articles", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.json()["total"] == 5
