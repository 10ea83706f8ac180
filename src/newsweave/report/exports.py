"""Tabular and interchange exports built from the JSON export: CSV, GeoJSON, ACLED, UCDP, PLOVER."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

FIGURE_COLUMNS = [
    "id",
    "article_id",
    "measure",
    "group",
    "value",
    "low",
    "high",
    "qualifier",
    "vague",
    "source",
    "stance",
    "hedged",
    "date",
    "background",
    "part_of",
    "sentence",
]
EVENT_COLUMNS = [
    "id",
    "article_ids",
    "date",
    "date_granularity",
    "type",
    "acled_subtype",
    "actors",
    "place",
    "lat",
    "lon",
    "sentence",
]
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]
UCDP_COLUMNS = [
    "id",
    "story_id",
    "label",
    "measure",
    "group",
    "verdict",
    "best",
    "low",
    "high",
    "source_original",
    "source_office",
    "explanation",
]

# ACLED sub-event type -> ACLED event type.
ACLED_EVENT_TYPE = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
_PRECISION = {"point": 1, "city": 1, "admin": 2, "region": 3, "country": 3}


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("; ".join(map(str, v)) if isinstance(v, list | tuple) else v) for k, v in row.items()})
    return buf.getvalue()


def figures_csv(data: dict[str, Any]) -> str:
    return _csv(FIGURE_COLUMNS, data["figures"])


def events_csv(data: dict[str, Any]) -> str:
    return _csv(EVENT_COLUMNS, data["events"])


def to_csv(data: dict[str, Any]) -> str:
    """Figures, a blank line, then events: two CSV tables in one stream (use --table for one)."""
    return figures_csv(data) + "\n" + events_csv(data)


def to_geojson(data: dict[str, Any]) -> dict[str, Any]:
    """RFC 7946 FeatureCollection: resolved places (Points, lon/lat) and the events located at them."""
    features: list[dict[str, Any]] = []
    for p in data["places"]:
        if p.get("lat") is None or p.get("lon") is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {
                    "kind": "place",
                    "name": p["name"],
                    "resolved_name": p.get("resolved_name"),
                    "country": p.get("country"),
                    "precision": p.get("precision"),
                    "article_ids": p.get("article_ids", []),
                },
            }
        )
    for ev in data["events"]:
        if ev.get("lat") is None or ev.get("lon") is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [ev["lon"], ev["lat"]]},
                "properties": {
                    "kind": "event",
                    "id": ev["id"],
                    "type": ev["type"],
                    "acled_subtype": ev.get("acled_subtype"),
                    "date": ev.get("date"),
                    "place": ev.get("place"),
                    "article_ids": ev.get("article_ids", []),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _story_of(data: dict[str, Any]) -> dict[str, str]:
    return {aid: s["id"] for s in data["stories"] for aid in s["article_ids"]}


def acled_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """ACLED-shaped rows; fatalities = the conservative reconciled 'killed' figure of the event's story."""
    sources = {a["id"]: a.get("source") or "" for a in data["articles"]}
    story_of = _story_of(data)
    fig_story = {f["id"]: story_of.get(f["article_id"]) for f in data["figures"]}
    killed: dict[str, float] = {}
    for r in data["reconciliations"]:
        story = next((fig_story.get(f) for f in r.get("figure_ids", []) if fig_story.get(f)), None)
        if story and r.get("measure") == "killed" and r.get("group", "all") == "all":
            value = r.get("conservative") if r.get("conservative") is not None else r.get("low")
            if value is not None:
                killed[story] = max(killed.get(story, 0.0), float(value))
    places = {p["name"]: p for p in data["places"]}
    rows = []
    for ev in data["events"]:
        sub = ev.get("acled_subtype")
        actors = list(ev.get("actors") or [])
        place = places.get(ev.get("place") or "")
        story = story_of.get(ev["article_ids"][0]) if ev.get("article_ids") else None
        rows.append(
            {
                "event_id_cnty": ev["id"],
                "event_date": ev.get("date"),
                "event_type": ACLED_EVENT_TYPE.get(sub or "", "Strategic developments"),
                "sub_event_type": sub or "Other",
                "actor1": actors[0] if actors else "",
                "actor2": actors[1] if len(actors) > 1 else "",
                "location": ev.get("place") or "",
                "latitude": ev.get("lat"),
                "longitude": ev.get("lon"),
                "geo_precision": _PRECISION.get((place or {}).get("precision") or "", 3) if place else "",
                "source": "; ".join(sorted({sources.get(a, "") for a in ev.get("article_ids", [])} - {""})),
                "notes": ev.get("sentence", ""),
                "fatalities": int(killed.get(story or "", 0)),
            }
        )
    return rows


def ucdp_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """UCDP-style best/low/high per reconciled figure slot, with the counters and outlets behind it."""
    figs = {f["id"]: f for f in data["figures"]}
    outlets = {a["id"]: a.get("source") or "" for a in data["articles"]}
    rows = []
    for r in data["reconciliations"]:
        members = [figs[f] for f in r.get("figure_ids", []) if f in figs]
        rows.append(
            {
                "id": r["id"],
                "story_id": r.get("story_id"),
                "label": r["label"],
                "measure": r.get("measure"),
                "group": r.get("group"),
                "verdict": r["verdict"],
                "best": r.get("best"),
                "low": r.get("low"),
                "high": r.get("high"),
                "source_original": "; ".join(sorted({m.get("source") or "" for m in members} - {""})),
                "source_office": "; ".join(sorted({outlets.get(m["article_id"], "") for m in members} - {""})),
                "explanation": r.get("explanation", ""),
            }
        )
    return rows


def plover_lines(data: dict[str, Any]) -> str:
    """PLOVER-style JSON Lines: one event per line with its type, mode, actors, location and sources."""
    lines = []
    for ev in data["events"]:
        lines.append(
            json.dumps(
                {
                    "id": ev["id"],
                    "event_date": ev.get("date"),
                    "event_type": ev["type"],
                    "acled_subtype": ev.get("acled_subtype"),
                    "actor1": (ev.get("actors") or [None])[0],
                    "actors": ev.get("actors") or [],
                    "location": {"name": ev.get("place"), "lat": ev.get("lat"), "lon": ev.get("lon")},
                    "source_articles": ev.get("article_ids", []),
                    "text": ev.get("sentence"),
                },
                ensure_ascii=False,
            )
        )
    return "\n".join(lines) + ("\n" if lines else "")


def render(data: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    if fmt == "csv":
        return to_csv(data)
    if fmt == "figures-csv":
        return figures_csv(data)
    if fmt == "events-csv":
        return events_csv(data)
    if fmt == "geojson":
        return json.dumps(to_geojson(data), ensure_ascii=False, indent=1)
    if fmt == "acled":
        return _csv(ACLED_COLUMNS, acled_rows(data))
    if fmt == "ucdp":
        return _csv(UCDP_COLUMNS, ucdp_rows(data))
    if fmt == "plover":
        return plover_lines(data)
    raise ValueError(f"unknown export format {fmt!r}")


FORMATS = ("json", "csv", "figures-csv", "events-csv", "geojson", "acled", "ucdp", "plover")
