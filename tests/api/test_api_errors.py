"""One JSON error shape for every error of every API endpoint, and HTML error pages for the UI."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from api_store import auth
from fastapi import FastAPI
from fastapi.routing import APIRoute

pytestmark = pytest.mark.anyio

# For every API route: requests that must fail, with the status they must fail with.
FAILING: dict[tuple[str, str], list[tuple[dict[str, Any], int]]] = {
    ("GET", "/api/health"): [({"headers": {"Content-Length": "99999999999"}}, 413)],
    ("GET", "/api/stories"): [
        ({"params": {"limit": 0}}, 422),
        ({"params": {"date_from": "yesterday"}}, 400),
        ({"params": {"offset": -1}}, 422),
    ],
    ("GET", "/api/stories/{story_id}"): [
        ({"path": "/api/stories/nosuchstory"}, 404),
        ({"path": "/api/stories/storm0001", "params": {"as_of": "soon"}}, 400),
    ],
    ("GET", "/api/stories/{story_id}/figures"): [({"path": "/api/stories/nosuch/figures"}, 404)],
    ("GET", "/api/figures"): [({"params": {"story": "nosuch"}}, 404), ({"params": {"limit": 10_000}}, 422)],
    ("GET", "/api/contradictions"): [({"params": {"story": "nosuch"}}, 404)],
    ("GET", "/api/places"): [({"params": {"story": "nosuch"}}, 404)],
    ("GET", "/api/search"): [({}, 422), ({"params": {"q": ""}}, 422)],
    ("GET", "/api/articles"): [({"params": {"limit": "many"}}, 422)],
    ("GET", "/api/articles/{article_id}"): [({"path": "/api/articles/nosuch"}, 404)],
    ("GET", "/api/export"): [({"params": {"format": "xlsx"}}, 400), ({"params": {"as_of": "later"}}, 400)],
    ("POST", "/api/ingest"): [
        ({}, 401),
        ({"auth": True, "content": b""}, 400),
        ({"auth": True, "content": b"\xff\xfe\xfa"}, 400),
        ({"auth": True, "json": [{"title": "x"}]}, 422),
        ({"auth": True, "json": {"text": "x"}, "params": {"published": "someday"}}, 400),
    ],
    ("POST", "/api/ingest/url"): [
        ({"json": {"url": "https://example.com"}}, 401),
        ({"auth": True, "json": {}}, 422),
        ({"auth": True, "content": b"not json", "headers": {"Content-Type": "application/json"}}, 422),
        ({"auth": True, "json": {"url": "ftp://x"}}, 400),
    ],
    ("POST", "/api/ingest/feed"): [
        ({"json": {"url": "https://example.com"}}, 401),
        ({"auth": True, "json": {"url": "http://127.0.0.1/"}}, 422),
    ],
    ("POST", "/api/ingest/file"): [
        ({"files": {"file": ("a.txt", b"text", "text/plain")}}, 401),
        ({"auth": True, "json": {"text": "x"}}, 400),
        ({"auth": True, "files": {"other": ("a.txt", b"text", "text/plain")}}, 400),
        ({"auth": True, "files": {"file": ("a.txt", b"", "text/plain")}}, 400),
    ],
}


def assert_error_shape(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, (response.request.url, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert "Traceback" not in error["message"]


def test_every_api_route_has_failing_requests(app: FastAPI) -> None:
    routes = {
        (method, r.path)
        for r in app.routes
        if isinstance(r, APIRoute) and r.path.startswith("/api")
        for method in r.methods
    }
    assert routes == set(FAILING)


@pytest.mark.parametrize(("route", "case"), [(k, c) for k, cases in FAILING.items() for c in cases])
async def test_errors_have_one_json_shape(
    client: httpx.AsyncClient, no_analysis: list[int], route: tuple[str, str], case: tuple[dict[str, Any], int]
) -> None:
    method, path = route
    spec, status = case
    kwargs = {k: v for k, v in spec.items() if k not in ("path", "auth")}
    if spec.get("auth"):
        kwargs["headers"] = {**kwargs.get("headers", {}), **auth()}
    response = await client.request(method, spec.get("path", path), **kwargs)
    assert_error_shape(response, status)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/nothing-here", 404), ("DELETE", "/api/stories", 405), ("POST", "/api/stories", 405)],
)
async def test_unknown_routes_and_methods_use_the_error_shape(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    assert_error_shape(await client.request(method, path), status)


async def test_unexpected_failure_is_a_500_without_internals(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(store: object) -> None:
        raise RuntimeError("secret internal detail /var/db")

    monkeypatch.setattr("newsweave.web.story_index", broken)
    response = await client.get("/api/stories")
    assert_error_shape(response, 500)
    assert "secret" not in response.text


async def test_ui_errors_are_html_pages_with_the_status(client: httpx.AsyncClient) -> None:
    response = await client.get("/stories/nosuch", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no story with id" in response.text


async def test_ui_error_without_html_accept_is_json(client: httpx.AsyncClient) -> None:
    assert_error_shape(await client.get("/articles/nosuch", headers={"Accept": "application/json"}), 404)
