"""The HTTP JSON API (FastAPI) over one store; the web UI (``newsweave.web``) is mounted on the same app.

``create_app(settings)`` opens the store named by ``settings.db`` and serves:

- reads (anyone): stories (search and filters), a story's dossier, articles with highlights, figures,
  contradictions, places (GeoJSON), exports, full-text search, health;
- writes (``Authorization: Bearer <NEWSWEAVE_TOKEN>``; refused when no token is configured): ingest of a
  JSON article or batch, an uploaded file, a URL or a feed, through the same pipeline as the CLI.

Every error, on every endpoint, has one JSON shape::

    {"error": {"status": 404, "code": "not_found", "message": "no story with id 'x'", "details": null}}

Reads carry a weak ETag (a hash of the body) and honour ``If-None-Match``. Request bodies are limited in
size. Article text and titles are untrusted: the API returns them as JSON strings; the UI escapes them.

Connections, freshness and caching live in ``newsweave.app_state`` (``AppState``): a pool of read
connections and one writer; read results cached per store generation, which changes with this app's
writes and with other processes' (a CLI ingest, ``newsweave watch``); the whole-store read models rebuilt
in the background at start-up, by each write before it answers, and as soon as another process's write
is seen. A write is visible to every read that starts after it answered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsweave.app_state import REFRESH_SECONDS, AppState, CachedReads, SharedCache
from newsweave.errors import InputError, NewsweaveError
from newsweave.model import IngestReport
from newsweave.settings import Settings
from newsweave.store import Store
from newsweave.web import (
    add_web_routes,
    article_payload,
    figure_rows,
    filter_stories,
    place_features,
    story_index,
)

__all__ = [
    "AppState",
    "CachedReads",
    "PayloadTooLargeError",
    "ReadOnlyError",
    "SharedCache",
    "UnauthorizedError",
    "create_app",
    "error_body",
    "serve",
    "serve_command",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_PAGE = 500
_ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]
]


class PayloadTooLargeError(InputError):
    http_status = 413


class UnauthorizedError(NewsweaveError):
    http_status = 401


class ReadOnlyError(NewsweaveError):
    http_status = 403


class IngestRejectedError(InputError):
    """Nothing of the input could be stored; ``details`` lists every rejection with its reason."""

    http_status = 422

    def __init__(self, message: str, details: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.details = details


ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
}


def error_body(status: int, message: str, details: Any = None) -> dict[str, Any]:
    """The one error shape of the API."""
    return {
        "error": {"status": status, "code": ERROR_CODES.get(status, "error"), "message": message, "details": details}
    }


class UrlIngest(BaseModel):
    """A URL to fetch: a page, a feed or a JSON document."""

    url: str = Field(..., max_length=2000, description="http(s) URL of a page, a feed or a JSON document")
    source: str | None = Field(None, max_length=200, description="outlet for articles that carry none")
    published: str | None = Field(None, max_length=40, description="date for articles that carry none")


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.newsweave
    return state


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


# -- responses -----------------------------------------------------------------------------------------


def encode_json(data: Any) -> tuple[bytes, str]:
    """The body and its weak ETag."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body, 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def respond(request: Request, body: bytes, etag: str, media_type: str = "application/json") -> Response:
    """200 with the body, or 304 when the client already has this version."""
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    inm = request.headers.get("if-none-match")
    if inm and etag in {t.strip() for t in inm.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def _read_json(request: Request, key: tuple[Any, ...], compute: Callable[[Store], Any]) -> Response:
    body, etag = _state(request).cached(key, lambda store: encode_json(compute(store)))
    return respond(request, body, etag)


def page_of(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    window = items[offset : offset + limit]
    nxt = offset + limit if offset + limit < len(items) else None
    return {"items": window, "total": len(items), "limit": limit, "offset": offset, "next_offset": nxt}


def check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{name} {value!r} is not an ISO 8601 date (e.g. 2024-11-29)") from None
    return value


def ingest_summary(report: IngestReport) -> dict[str, Any]:
    """The response of every ingest; raises when nothing at all could be stored."""
    out: dict[str, Any] = {
        "added": list(report.added),
        "already_stored": list(report.duplicates),
        "rejected": [asdict(r) for r in report.rejected],
    }
    if report.rejected and not report.added and not report.duplicates:
        first = report.rejected[0]
        raise IngestRejectedError(f"nothing ingested: {first.item}: {first.reason}", out["rejected"])
    return out


# -- writes --------------------------------------------------------------------------------------------


def authorize(state: AppState, supplied: str | None) -> None:
    """Writes need the configured token; without one the API is read-only."""
    token = state.settings.token
    if not token:
        raise ReadOnlyError("this server is read-only: start it with NEWSWEAVE_TOKEN set to allow writes")
    if not supplied or not hmac.compare_digest(supplied.encode("utf-8"), token.encode("utf-8")):
        raise UnauthorizedError("missing or wrong token: send 'Authorization: Bearer <token>'")


def request_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-newsweave-token")


def ingest_json_text(
    state: AppState, text: str, origin: str, *, source: str | None, published: str | None
) -> IngestReport:
    """A JSON article, an array or object of articles, or JSON Lines: the CLI's JSON reader, then the pipeline."""
    from newsweave.ingest.jsonl import read_json_document
    from newsweave.ingest.metadata import Options
    from newsweave.pipeline import ingest_records

    options = Options(source=source, published=published, max_bytes=state.settings.max_bytes)
    records = list(read_json_document(text, origin, options))
    with state.writing() as store:
        return ingest_records(store, records, state.settings)


def ingest_inputs(state: AppState, inputs: list[str], *, source: str | None, published: str | None) -> IngestReport:
    """Paths or URLs through ``pipeline.ingest`` (SSRF guard and size limits included)."""
    from newsweave.pipeline import ingest

    try:
        with state.writing() as store:
            report, _ = ingest(store, inputs, state.settings, source=source, published=published)
    except ValueError as exc:  # an unusable argument, e.g. a published date that is not a date
        raise InputError(str(exc)) from None
    return report


def ingest_upload(
    state: AppState, filename: str, data: bytes, *, source: str | None, published: str | None
) -> IngestReport:
    """An uploaded file, read by the same file readers as the CLI (by its extension)."""
    suffix = "".join(Path(filename).suffixes[-2:])[:16] or ".txt"
    if not all(c.isalnum() or c == "." for c in suffix):
        suffix = ".txt"
    with tempfile.TemporaryDirectory(prefix="newsweave-upload-") as tmp:
        path = Path(tmp) / ("upload" + suffix)
        path.write_bytes(data)
        report = ingest_inputs(state, [str(path)], source=source, published=published)
    origin = Path(filename).name or "upload"
    fix = [type(r)(r.item.replace(str(path), origin), r.stage, r.reason) for r in report.rejected]
    return IngestReport(added=report.added, duplicates=report.duplicates, rejected=fix)


def check_url(url: str) -> str:
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"url {url[:200]!r} is not an http(s) URL")
    return url


# -- middleware ----------------------------------------------------------------------------------------

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
]


class GuardMiddleware:
    """Refuses request bodies over the limit (413, also for chunked bodies) and adds security headers."""

    def __init__(self, app: _ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + _SECURITY_HEADERS
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = JSONResponse(
                error_body(413, f"request body of {int(declared)} bytes is over the limit of {self.limit} bytes"),
                status_code=413,
            )
            await response(scope, receive, send_with_headers)
            return
        received = 0
        limit = self.limit

        async def limited_receive() -> Any:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLargeError(f"request body is over the limit of {limit} bytes")
            return message

        await self.app(scope, limited_receive, send_with_headers)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def _error_response(request: Request, status: int, message: str, details: Any = None) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if _wants_html(request):
        from newsweave.web import render_error

        return render_error(request, status, message, headers)
    return JSONResponse(error_body(status, message, details), status_code=status, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    async def newsweave_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NewsweaveError)
        status = exc.http_status
        if status >= 500:
            log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        return _error_response(request, status, str(exc), getattr(exc, "details", None))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        return _error_response(request, exc.status_code, message)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")} for e in exc.errors()
        ]
        first = details[0] if details else {"where": "request", "problem": "invalid"}
        return _error_response(request, 422, f"invalid {first['where']}: {first['problem']}", details)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error_response(request, 500, "internal error: the server could not complete the request")

    app.add_exception_handler(NewsweaveError, newsweave_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)


# -- the app -------------------------------------------------------------------------------------------

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": ERROR_CODES[code].replace("_", " "), "content": {"application/json": {}}}
    for code in (400, 404, 422)
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": ERROR_CODES[code].replace("_", " "), "content": {"application/json": {}}}
    for code in (400, 401, 403, 413, 422)
}
_JSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "description": "one article {text|html, id, title, source, url, published}, an array of "
                    "them, or an object holding them under 'articles'; JSON Lines is accepted too",
                    "type": ["object", "array"],
                }
            }
        },
    }
}


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """The API and web UI over the store at ``settings.db`` (or ``store``, which the caller then closes)."""
    state = AppState(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        state.warm()
        if store is None and settings.db != ":memory:":
            state.refresh_every(REFRESH_SECONDS)
        yield
        state.close()

    app = FastAPI(
        title="newsweave",
        summary="Many news reports about unfolding events -> one cross-checked, cited picture.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.newsweave = state
    _install_error_handlers(app)
    _add_read_routes(app)
    _add_write_routes(app)
    add_web_routes(app)
    cors = getattr(settings, "cors_origins", None)
    if cors:
        from fastapi.middleware.cors import CORSMiddleware

        origins = [o.strip() for o in str(cors).split(",") if o.strip()]
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag"],
        )
    app.add_middleware(GuardMiddleware, limit=state.max_request_bytes)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsweave")
    except PackageNotFoundError:
        return "0"


def _add_read_routes(app: FastAPI) -> None:
    @app.get("/api/health", tags=["meta"], responses=_ERRORS)
    def health(request: Request) -> Response:
        """Liveness, what the store holds, and whether writes are enabled."""
        state = _state(request)
        counts = state.cached(("counts",), lambda s: s.counts())
        body, etag = encode_json({"status": "ok", "writable": bool(state.settings.token), "counts": counts})
        return respond(request, body, etag)

    @app.get("/api/stories", tags=["stories"], responses=_ERRORS)
    def list_stories(
        request: Request,
        q: str | None = Query(None, max_length=500, description="full-text query (FTS5) over article titles and text"),
        date_from: str | None = Query(None, description="stories with articles published on or after (ISO date)"),
        date_to: str | None = Query(None, description="stories with articles published on or before (ISO date)"),
        place: str | None = Query(None, max_length=200, description="a place name (as written or resolved)"),
        source: str | None = Query(None, max_length=200, description="an outlet name (substring)"),
        limit: int = Query(50, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
    ) -> Response:
        """Stories, newest first (best match first with ``q``), filtered and paginated."""
        items = filter_stories(_state(request), q=q, date_from=date_from, date_to=date_to, place=place, source=source)
        body, etag = encode_json(page_of(items, limit, offset))
        return respond(request, body, etag)

    @app.get("/api/stories/{story_id}", tags=["stories"], responses=_ERRORS)
    def get_dossier(
        request: Request,
        story_id: str,
        as_of: str | None = Query(None, description="the dossier as it stood then (ISO datetime)"),
    ) -> Response:
        """The dossier of a story: summary, key figures with verdicts, contradictions, timeline, places, sources."""
        from newsweave.report.dossier import build_dossier

        as_of = check_date(as_of, "as_of")
        return _read_json(request, ("dossier", story_id, as_of), lambda s: build_dossier(s, story_id, as_of=as_of))

    @app.get("/api/stories/{story_id}/figures", tags=["figures"], responses=_ERRORS)
    def story_figures(
        request: Request, story_id: str, limit: int = Query(100, ge=1, le=MAX_PAGE), offset: int = Query(0, ge=0)
    ) -> Response:
        """Every figure reported in the story's articles."""
        rows = _state(request).cached(("figures", story_id), lambda s: figure_rows(s, story_id))
        body, etag = encode_json(page_of(rows, limit, offset))
        return respond(request, body, etag)

    @app.get("/api/figures", tags=["figures"], responses=_ERRORS)
    def list_figures(
        request: Request,
        story: str | None = Query(None, description="only this story's figures"),
        measure: str | None = Query(None, max_length=100, description="killed, injured, displaced, ..."),
        source: str | None = Query(None, max_length=200, description="who the figure is attributed to (substring)"),
        limit: int = Query(100, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
    ) -> Response:
        """Figures (numbers with who said them, about whom, when, with what qualifier)."""
        rows = _state(request).cached(("figures", story), lambda s: figure_rows(s, story))
        if measure:
            rows = [r for r in rows if r["measure"] == measure.strip().lower()]
        if source:
            rows = [r for r in rows if _fold(source) in _fold(r.get("source") or "")]
        body, etag = encode_json(page_of(rows, limit, offset))
        return respond(request, body, etag)

    @app.get("/api/contradictions", tags=["figures"], responses=_ERRORS)
    def list_contradictions(
        request: Request,
        story: str | None = Query(None, description="only this story's contradictions"),
        limit: int = Query(100, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
    ) -> Response:
        """Claims or figures that contradict each other, with the articles and an explanation."""

        def compute(s: Store) -> list[dict[str, Any]]:
            sid = s.get_story(story).id if story else None
            return [asdict(c) for c in s.contradictions(sid)]

        rows = _state(request).cached(("contradictions", story), compute)
        body, etag = encode_json(page_of(rows, limit, offset))
        return respond(request, body, etag)

    @app.get("/api/places", tags=["places"], responses=_ERRORS)
    def places_geojson(request: Request, story: str | None = Query(None)) -> Response:
        """Resolved places and located events as a GeoJSON FeatureCollection (lon/lat, RFC 7946)."""
        body, etag = _state(request).cached(("places", story), lambda s: encode_json(place_features(s, story)))
        return respond(request, body, etag, "application/geo+json")

    @app.get("/api/search", tags=["articles"], responses=_ERRORS)
    def search_articles(
        request: Request,
        q: str = Query(..., min_length=1, max_length=500, description="FTS5 query; plain words work too"),
        limit: int = Query(20, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
    ) -> Response:
        """Full-text search over articles, best match first, with snippets and the stories they belong to."""
        state = _state(request)
        index = state.cached(("story_index",), story_index)
        story_of = {a: st["id"] for st in index for a in st["article_ids"]}
        hits = state.cached(("search", q, offset + limit + 1), lambda s: s.search(q, offset + limit + 1))
        items = [{**h, "story_id": story_of.get(h["id"])} for h in hits[offset : offset + limit]]
        more = len(hits) > offset + limit
        page = {"items": items, "total": None, "limit": limit, "offset": offset}
        page["next_offset"] = offset + limit if more else None
        body, etag = encode_json(page)
        return respond(request, body, etag)

    @app.get("/api/articles", tags=["articles"], responses=_ERRORS)
    def list_articles(
        request: Request,
        source: str | None = Query(None, max_length=200, description="outlet (substring)"),
        limit: int = Query(50, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
    ) -> Response:
        """Article metadata (no text), in ingest order."""
        rows = _state(request).cached(("article_rows",), lambda s: s.article_rows())
        if source:
            rows = [r for r in rows if _fold(source) in _fold(r.get("source") or "")]
        body, etag = encode_json(page_of(rows, limit, offset))
        return respond(request, body, etag)

    @app.get("/api/articles/{article_id}", tags=["articles"], responses=_ERRORS)
    def get_article(request: Request, article_id: str) -> Response:
        """One article: text, figures, claims, places, and the text cut into highlighted segments."""
        return _read_json(request, ("article", article_id), lambda s: article_payload(s, article_id))

    @app.get("/api/export", tags=["exports"], responses=_ERRORS)
    def export(
        request: Request,
        format: str = Query("json", description="json, csv, figures-csv, events-csv, geojson, acled, ucdp, plover"),
        as_of: str | None = Query(None, description="only what was known then (ISO datetime)"),
    ) -> Response:
        """The analysed store in one of the export formats (the same as ``newsweave export``)."""
        from newsweave.export import export_json
        from newsweave.report.exports import FORMATS, render

        if format not in FORMATS:
            raise InputError(f"unknown export format {format!r}; valid formats: {', '.join(FORMATS)}")
        as_of = check_date(as_of, "as_of")

        def compute(s: Store) -> tuple[bytes, str]:
            text = render(export_json(s, as_of=as_of), format).encode("utf-8")
            return text, 'W/"' + hashlib.sha256(text).hexdigest()[:32] + '"'

        body, etag = _state(request).cached(("export", format, as_of), compute)
        media = {
            "json": "application/json",
            "geojson": "application/geo+json",
            "plover": "application/x-ndjson",
        }.get(format, "text/csv; charset=utf-8")
        return respond(request, body, etag, media)


def _add_write_routes(app: FastAPI) -> None:
    @app.post("/api/ingest", tags=["ingest"], responses=_WRITE_ERRORS, openapi_extra=_JSON_BODY)
    async def ingest_json(
        request: Request,
        source: str | None = Query(None, max_length=200, description="outlet for articles that carry none"),
        published: str | None = Query(None, description="date for articles that carry none (ISO 8601)"),
    ) -> JSONResponse:
        """Ingest a JSON article, a batch, or JSON Lines; analyses what was added before answering."""
        state = _state(request)
        authorize(state, request_token(request))
        published = check_date(published, "published")
        raw = await request.body()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("request body is not UTF-8 text") from None
        if not text.strip():
            raise InputError("empty request body: send a JSON article, an array of articles, or JSON Lines")
        report = await run_in_threadpool(ingest_json_text, state, text, "api", source=source, published=published)
        return JSONResponse(ingest_summary(report))

    @app.post("/api/ingest/url", tags=["ingest"], responses=_WRITE_ERRORS)
    async def ingest_url(request: Request, body: UrlIngest) -> JSONResponse:
        """Fetch a page, feed or JSON document by URL (loopback/private/link-local/metadata addresses refused)."""
        state = _state(request)
        authorize(state, request_token(request))
        url = check_url(body.url)
        published = check_date(body.published, "published")
        report = await run_in_threadpool(ingest_inputs, state, [url], source=body.source, published=published)
        return JSONResponse(ingest_summary(report))

    @app.post("/api/ingest/feed", tags=["ingest"], responses=_WRITE_ERRORS)
    async def ingest_feed(request: Request, body: UrlIngest) -> JSONResponse:
        """Fetch an RSS/Atom feed and ingest every entry (same guard and reader as ``/api/ingest/url``)."""
        return await ingest_url(request, body)

    @app.post("/api/ingest/file", tags=["ingest"], responses=_WRITE_ERRORS)
    async def ingest_file(request: Request) -> JSONResponse:
        """Upload one file (multipart field ``file``): .txt, .md, .json, .jsonl(.gz), .html, .xml/.rss/.atom."""
        state = _state(request)
        authorize(state, request_token(request))
        name, data, source, published = await read_upload_form(request)
        report = await run_in_threadpool(ingest_upload, state, name, data, source=source, published=published)
        return JSONResponse(ingest_summary(report))


async def read_upload_form(request: Request) -> tuple[str, bytes, str | None, str | None]:
    """(file name, bytes, source, published) from a multipart form with a ``file`` field."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InputError("send the file as multipart/form-data with a field named 'file'")
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InputError("no file: the form needs a field named 'file'")
    data = await upload.read()
    if not data:
        raise InputError("the uploaded file is empty")
    source = form.get("source")
    published = form.get("published")
    return (
        upload.filename or "upload.txt",
        data,
        source.strip() or None if isinstance(source, str) else None,
        check_date(published.strip(), "published") if isinstance(published, str) else None,
    )


# -- serving -------------------------------------------------------------------------------------------


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the API and web UI with uvicorn (one process; the store is opened once)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, server_header=False)


def _serve_command() -> Any:
    import click

    @click.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True, help="address to bind (loopback by default)")
    @click.option("--port", default=8000, show_default=True, type=int)
    @click.pass_obj
    def serve_command(obj: Any, host: str, port: int) -> None:
        """Serve the web UI and the JSON API (OpenAPI at /docs) from the store."""
        serve(obj.settings, host=host, port=port)

    return serve_command


serve_command = _serve_command()
