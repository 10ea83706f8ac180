"""The whole analysed store as one JSON document (the shape of CONTRACT.md), optionally 'as of' a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from newsweave.pipeline import canonical_names
from newsweave.store import Store

EXPORT_KEYS = (
    "articles",
    "duplicates",
    "stories",
    "entities",
    "figures",
    "claims",
    "places",
    "events",
    "reconciliations",
    "contradictions",
    "rejected",
)


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def export_json(store: Store, *, as_of: str | None = None) -> dict[str, Any]:
    """Every key of CONTRACT.md, present even when empty. ``as_of`` keeps only articles known by then."""
    ids = store.article_ids(until=as_of)
    keep = set(ids)
    alias = canonical_names(store)
    rows = store.article_rows(ids if as_of else None)
    out: dict[str, Any] = {k: [] for k in EXPORT_KEYS}
    out["articles"] = [
        {
            "id": r["id"],
            "external_id": r["external_id"],
            "source": r["source"],
            "title": r["title"],
            "published": r["published"],
            "url": r["url"],
            "language": r["language"],
            "origin": r["origin"],
            "ingested_at": r["ingested_at"],
            "content_hash": r["content_hash"],
            "chars": r["chars"],
        }
        for r in rows
    ]
    out["duplicates"] = [
        {
            "a": d.a,
            "b": d.b,
            "relation": d.relation,
            "similarity": round(d.similarity, 4),
            "added": list(d.added),
            "removed": list(d.removed),
        }
        for d in store.duplicates()
        if d.a in keep and d.b in keep
    ]
    stories = []
    for s in store.stories():
        members = [a for a in s.article_ids if a in keep]
        if members:
            stories.append(
                {
                    "id": s.id,
                    "title": s.title,
                    "article_ids": members,
                    "first_published": s.first_published,
                    "last_published": s.last_published,
                }
            )
    out["stories"] = stories
    out["entities"] = [
        {"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases), "mentions": e.mention_count}
        for e in store.entities()
    ]
    out["figures"] = [_figure_row(fid, aid, asdict(f), alias) for fid, aid, f in store.figures(ids if as_of else None)]
    out["claims"] = [
        {"id": cid, "article_id": aid, **_with_source(asdict(c), alias)}
        for cid, aid, c in store.claims(ids if as_of else None)
    ]
    out["places"] = _places(store.places(ids if as_of else None))
    # Demonyms and metonyms ("Ruritanian army", "the Pentagon") are places, but never where an event happened.
    place_of = {p["name"]: p for p in out["places"] if p.get("feature") not in ("demonym", "metonym")}
    events = []
    for eid, aid, e in store.events(ids if as_of else None):
        row = {"id": eid, "article_ids": [aid], **asdict(e)}
        row["actors"] = [alias.get(_fold(a), a) for a in e.actors]
        resolved = place_of.get(e.place) if e.place else None
        row["lat"] = resolved["lat"] if resolved else None
        row["lon"] = resolved["lon"] if resolved else None
        events.append(row)
    out["events"] = events
    recs = store.reconciliations()
    out["reconciliations"] = [
        asdict(r) for r in recs if not as_of or all(f.rsplit("-", 1)[0] in keep for f in r.figure_ids)
    ]
    out["contradictions"] = [asdict(c) for c in store.contradictions() if not as_of or set(c.article_ids) <= keep]
    out["rejected"] = [asdict(r) for r in store.rejected()]
    return out


def _with_source(data: dict[str, Any], alias: dict[str, str]) -> dict[str, Any]:
    if data.get("source"):
        data["source_as_written"] = data["source"]
        data["source"] = alias.get(_fold(data["source"]), data["source"])
    return data


def _figure_row(fid: str, aid: str, data: dict[str, Any], alias: dict[str, str]) -> dict[str, Any]:
    row = {"id": fid, "article_id": aid, **_with_source(data, alias)}
    if data.get("part_of") is not None:
        row["part_of"] = f"{aid}-f{data['part_of']}"
    return row


def _places(rows: Sequence[tuple[str, Any]]) -> list[dict[str, Any]]:
    """One row per (toponym as written, resolution), listing the articles it appears in."""
    merged: dict[tuple[str, Any, Any], dict[str, Any]] = {}
    for aid, p in rows:
        key = (p.name, p.geonames_id, p.resolved_name)
        row = merged.get(key)
        if row is None:
            row = asdict(p)
            row.pop("start", None)
            row.pop("end", None)
            row["candidates"] = list(p.candidates)
            row["article_ids"] = []
            row["mentions"] = 0
            merged[key] = row
        if aid not in row["article_ids"]:
            row["article_ids"].append(aid)
        row["mentions"] += 1
    return list(merged.values())
