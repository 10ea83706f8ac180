"""The dossier of one story: everything an analyst needs, every statement cited.

``build_dossier`` returns plain data (JSON-ready); renderers turn it into terminal output, Markdown or
self-contained HTML. Article text and titles are untrusted: the HTML renderer escapes everything.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsweave.pipeline import canonical_names
from newsweave.store import Store


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def build_dossier(store: Store, story_key: str, *, as_of: str | None = None) -> dict[str, Any]:
    """The dossier of a story (by id or id prefix); ``as_of`` keeps only articles known by then."""
    story = store.get_story(story_key)
    known = set(store.article_ids(until=as_of)) if as_of else None
    ids = [a for a in story.article_ids if known is None or a in known]
    alias = canonical_names(store)
    rows = {r["id"]: r for r in store.article_rows(ids)}
    label = {
        aid: f"A{i + 1}"
        for i, aid in enumerate(sorted(ids, key=lambda a: (rows[a]["published"] or "", rows[a]["seq"])))
    }

    def canon(name: str | None) -> str | None:
        return alias.get(_fold(name), name) if name else name

    figures = {fid: (aid, f) for fid, aid, f in store.figures(ids)}
    claims = {cid: (aid, c) for cid, aid, c in store.claims(ids)}
    recs = [r for r in store.reconciliations(story.id) if all(f in figures for f in r.figure_ids)]
    contradictions = [c for c in store.contradictions(story.id) if set(c.article_ids) <= set(ids)]

    key_figures = []
    for r in sorted(recs, key=lambda r: (-len(r.figure_ids), r.label)):
        reports = []
        for fid in r.figure_ids:
            aid, f = figures[fid]
            reports.append(
                {
                    "figure_id": fid,
                    "article": label[aid],
                    "article_id": aid,
                    "source": canon(f.source),
                    "outlet": rows[aid]["source"],
                    "value": f.value,
                    "qualifier": f.qualifier,
                    "date": f.date,
                    "published": rows[aid]["published"],
                    "sentence": f.sentence,
                }
            )
        key_figures.append({**asdict(r), "reports": reports})

    summary = _summary(key_figures, contradictions, claims, label, canon)
    sources = _sources(store, ids, rows, label)
    who = _who_said_what(figures, canon)
    places = _places(store, ids, label)
    timeline = [t for t in store.story_extra(story.id).get("timeline", []) if _in(t, ids)]
    published = sorted(r["published"] for r in rows.values() if r["published"])
    return {
        "story_id": story.id,
        "headline": story.title,
        "as_of": as_of,
        "date_span": [published[0], published[-1]] if published else None,
        "summary": summary,
        "key_figures": key_figures,
        "contradictions": [
            {
                **asdict(c),
                "articles": [label[a] for a in c.article_ids if a in label],
                "sides": [
                    {
                        "claim_id": cid,
                        "article": label[claims[cid][0]],
                        "source": canon(claims[cid][1].source),
                        "stance": claims[cid][1].stance,
                        "sentence": claims[cid][1].sentence,
                    }
                    for cid in c.claim_ids
                    if cid in claims
                ],
            }
            for c in contradictions
        ],
        "timeline": timeline,
        "places": places,
        "sources": sources,
        "who_said_what": who,
    }


def _in(entry: dict[str, Any], ids: list[str]) -> bool:
    arts = entry.get("article_ids") or ([entry["article_id"]] if entry.get("article_id") else [])
    return not arts or any(a in ids for a in arts)


def _summary(
    key_figures: list[dict[str, Any]],
    contradictions: list[Any],
    claims: dict[str, Any],
    label: dict[str, str],
    canon: Any,
) -> list[dict[str, Any]]:
    """Short summary: each sentence carries the article labels (and figure/claim ids) it rests on."""
    out: list[dict[str, Any]] = []
    for kf in key_figures[:4]:
        cites = sorted({r["article"] for r in kf["reports"]})
        counters = sorted({r["source"] or "unattributed reports" for r in kf["reports"]})
        verdict = {
            "evolving": "rose over time to",
            "agree": "agree on",
            "spread": "differ, with a best estimate of",
            "conflict": "conflict; best estimate",
            "single": "report",
        }[kf["verdict"]]
        rng = f" (range {_num(kf['low'])}–{_num(kf['high'])})" if kf["low"] != kf["high"] else ""
        text = f"{kf['label'].capitalize()}: {', '.join(counters)} {verdict} {_num(kf['best'])}{rng}."
        if kf["verdict"] == "evolving":  # the toll rose, not its counters
            text = f"{kf['label'].capitalize()}: {verdict} {_num(kf['best'])}{rng}, per {', '.join(counters)}."
        out.append(
            {
                "text": text,
                "cites": cites,
                "figure_ids": list(kf["figure_ids"]),
            }
        )
    for c in contradictions[:3]:
        out.append(
            {
                "text": c.explanation.rstrip(".") + ".",
                "cites": sorted(label[a] for a in c.article_ids),
                "claim_ids": list(c.claim_ids),
            }
        )
    if not out:
        for cid, (aid, claim) in list(claims.items())[:3]:
            who = canon(claim.source) or "One report"
            out.append({"text": f"{who}: {claim.sentence}", "cites": [label[aid]], "claim_ids": [cid]})
    return out


def _sources(store: Store, ids: list[str], rows: dict[str, Any], label: dict[str, str]) -> dict[str, Any]:
    dups = [d for d in store.duplicates() if d.a in rows and d.b in rows]
    parent = {a: a for a in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in dups:
        parent[find(d.b)] = find(d.a)
    origins = len({find(a) for a in ids})
    return {
        "articles": [
            {
                "label": label[a],
                "id": a,
                "external_id": rows[a]["external_id"],
                "title": rows[a]["title"],
                "outlet": rows[a]["source"],
                "published": rows[a]["published"],
                "url": rows[a]["url"],
            }
            for a in sorted(ids, key=lambda x: label[x][1:].zfill(6))
        ],
        "outlets": sorted({rows[a]["source"] for a in ids if rows[a]["source"]}),
        "independent_origins": origins,
        "versions": [
            {
                "earlier": label[d.a],
                "later": label[d.b],
                "relation": d.relation,
                "similarity": d.similarity,
                "added": list(d.added),
                "removed": list(d.removed),
            }
            for d in dups
        ],
    }


def _who_said_what(figures: dict[str, Any], canon: Any) -> list[dict[str, Any]]:
    table: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for _fid, (_aid, f) in figures.items():
        if f.background:
            continue
        who = canon(f.source) or "unattributed"
        table[who][f"{f.measure} ({f.group})"].append(
            ("denies " if f.stance == "denies" else "") + f"{f.qualifier.replace('_', ' ')} {_num(f.value)}"
        )
    return [{"claimant": who, "figures": dict(v)} for who, v in sorted(table.items())]


def _places(store: Store, ids: list[str], label: dict[str, str]) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    for aid, p in store.places(ids):
        key = p.resolved_name or p.name
        counts[key] += 1
        row = merged.setdefault(
            key,
            {
                "name": p.name,
                "resolved_name": p.resolved_name,
                "lat": p.lat,
                "lon": p.lon,
                "country": p.country,
                "precision": p.precision,
                "articles": [],
            },
        )
        if label[aid] not in row["articles"]:
            row["articles"].append(label[aid])
    return [dict(merged[k], mentions=counts[k]) for k in sorted(merged, key=lambda k: -counts[k])]


# -- renderers ------------------------------------------------------------------------------------------


def render_markdown(d: dict[str, Any]) -> str:
    lines = [f"# {d['headline']}", ""]
    if d["date_span"]:
        lines += [
            f"*{d['date_span'][0]} – {d['date_span'][1]}* · story `{d['story_id']}`"
            + (f" · as of {d['as_of']}" if d["as_of"] else ""),
            "",
        ]
    lines += ["## Summary", ""]
    lines += [f"- {s['text']} [{', '.join(s['cites'])}]" for s in d["summary"]] or ["- (nothing extracted yet)"]
    lines += [
        "",
        "## Key figures",
        "",
        "| figure | verdict | low | best | high | who says what |",
        "|---|---|---|---|---|---|",
    ]
    for k in d["key_figures"]:
        who = "; ".join(
            f"{r['source'] or 'unattributed'} {r['qualifier'].replace('_', ' ')} {_num(r['value'])}"
            f" ({r['article']}, {r['date'] or r['published'] or 'undated'})"
            for r in k["reports"]
        )
        lines.append(
            f"| {k['label']} | {k['verdict']} | {_num(k['low'])} | {_num(k['best'])} | {_num(k['high'])} | {_md(who)} |"
        )
    lines += ["", "## Contradictions", ""]
    for c in d["contradictions"]:
        lines.append(f"- {_md(c['explanation'])} [{', '.join(c['articles'])}]")
        lines += [
            f"  - {s['article']} {s['source'] or 'unattributed'} ({s['stance']}): {_md(s['sentence'])}"
            for s in c["sides"]
        ]
    if not d["contradictions"]:
        lines.append("- none found")
    lines += ["", "## Timeline", ""]
    for t in d["timeline"]:
        lines.append(
            f"- {t.get('date') or 'undated'} ({t.get('granularity') or '?'}): {_md(str(t.get('label') or ''))}"
        )
    lines += ["", "## Places", ""]
    lines += [
        f"- {p['name']} → {p['resolved_name'] or '?'} ({_coord(p)}) [{', '.join(p['articles'])}]" for p in d["places"]
    ]
    s = d["sources"]
    lines += [
        "",
        "## Sources",
        "",
        f"{len(s['articles'])} articles, {len(s['outlets'])} outlets, {s['independent_origins']} independent origins.",
        "",
    ]
    lines += [
        f"- {a['label']}: {a['outlet'] or 'unknown outlet'}, {a['published'] or 'undated'} — {_md(a['title'] or '')}"
        for a in s["articles"]
    ]
    for v in s["versions"]:
        lines.append(
            f"- {v['later']} is {_RELATION[v['relation']]} {v['earlier']} "
            f"(similarity {v['similarity']:.2f}; {len(v['added'])} sentences added, {len(v['removed'])} removed)"
        )
    lines += ["", "## Who said what", ""]
    for w in d["who_said_what"]:
        lines.append(
            f"- **{_md(w['claimant'])}**: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in w["figures"].items())
        )
    return "\n".join(lines) + "\n"


_RELATION = {"exact": "an exact copy of", "near_duplicate": "a near-duplicate of", "version": "a later version of"}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _coord(p: dict[str, Any]) -> str:
    return "unresolved" if p["lat"] is None else f"{p['lat']:.3f}, {p['lon']:.3f}"


def render_html(d: dict[str, Any]) -> str:
    """A self-contained HTML page (inline CSS, no scripts, everything escaped)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(d['headline'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(d['headline'])}</h1>",
    ]
    if d["date_span"]:
        parts.append(f"<p class='meta'>{e(d['date_span'][0])} – {e(d['date_span'][1])} · story {e(d['story_id'])}</p>")
    parts.append("<h2>Summary</h2><ul>")
    parts += [f"<li>{e(s['text'])} <span class='cite'>[{e(', '.join(s['cites']))}]</span></li>" for s in d["summary"]]
    parts.append(
        "</ul><h2>Key figures</h2><table><tr><th>figure</th><th>verdict</th><th>low</th><th>best</th>"
        "<th>high</th><th>who says what</th></tr>"
    )
    for k in d["key_figures"]:
        who = "<br>".join(
            e(
                f"{r['source'] or 'unattributed'}: {r['qualifier'].replace('_', ' ')} {_num(r['value'])} "
                f"({r['article']}, {r['date'] or r['published'] or 'undated'})"
            )
            for r in k["reports"]
        )
        parts.append(
            f"<tr><td>{e(k['label'])}</td><td><span class='badge {e(k['verdict'])}'>{e(k['verdict'])}</span></td>"
            f"<td>{_num(k['low'])}</td><td>{_num(k['best'])}</td><td>{_num(k['high'])}</td><td>{who}</td></tr>"
        )
    parts.append("</table><h2>Contradictions</h2>")
    for c in d["contradictions"]:
        parts.append(f"<div class='contra'><p>{e(c['explanation'])}</p>")
        parts += [
            f"<blockquote>{e(s['article'])} · {e(s['source'] or 'unattributed')} ({e(s['stance'])}): "
            f"{e(s['sentence'])}</blockquote>"
            for s in c["sides"]
        ]
        parts.append("</div>")
    parts.append("<h2>Timeline</h2><ul>")
    parts += [f"<li>{e(str(t.get('date') or 'undated'))}: {e(str(t.get('label') or ''))}</li>" for t in d["timeline"]]
    parts.append("</ul><h2>Places</h2><ul>")
    parts += [f"<li>{e(p['name'])} → {e(p['resolved_name'] or '?')} ({e(_coord(p))})</li>" for p in d["places"]]
    s = d["sources"]
    parts.append(
        f"</ul><h2>Sources</h2><p>{len(s['articles'])} articles, {len(s['outlets'])} outlets, "
        f"{s['independent_origins']} independent origins.</p><ul>"
    )
    parts += [
        f"<li>{e(a['label'])}: {e(a['outlet'] or 'unknown outlet')}, {e(a['published'] or 'undated')} — "
        f"{e(a['title'] or '')}</li>"
        for a in s["articles"]
    ]
    parts.append("</ul></body></html>")
    return "".join(parts)


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top}"
    ".badge{padding:.1rem .4rem;border-radius:.3rem;background:#eee}.evolving{background:#dbeafe}"
    ".agree{background:#dcfce7}.spread{background:#fef3c7}.conflict{background:#fee2e2}"
    ".cite{color:#666;font-size:.85em}.meta{color:#666}blockquote{border-left:3px solid #ccc;margin:.3rem 0;"
    "padding-left:.6rem}"
)


def render_terminal(d: dict[str, Any], console: Console) -> None:
    console.print(f"[bold]{escape(d['headline'])}[/bold]")
    if d["date_span"]:
        console.print(f"{d['date_span'][0]} – {d['date_span'][1]} · story {d['story_id']}")
    console.print("\n[bold]Summary[/bold]")
    for s in d["summary"]:
        console.print(f"  • {escape(s['text'])} [dim]\\[{', '.join(s['cites'])}][/dim]")
    if d["key_figures"]:
        table = Table("figure", "verdict", "low", "best", "high", "who says what", title="Key figures")
        for k in d["key_figures"]:
            who = "\n".join(
                f"{r['source'] or 'unattributed'}: {r['qualifier'].replace('_', ' ')} {_num(r['value'])} "
                f"({r['article']})"
                for r in k["reports"]
            )
            table.add_row(
                escape(k["label"]), k["verdict"], _num(k["low"]), _num(k["best"]), _num(k["high"]), escape(who)
            )
        console.print(table)
    for c in d["contradictions"]:
        console.print(f"[red]contradiction[/red] {escape(c['explanation'])} [dim]\\[{', '.join(c['articles'])}][/dim]")
    if d["timeline"]:
        console.print("\n[bold]Timeline[/bold]")
        for t in d["timeline"]:
            console.print(f"  {t.get('date') or 'undated'}  {escape(str(t.get('label') or ''))}")
    if d["places"]:
        console.print(
            "\n[bold]Places[/bold]  " + ", ".join(f"{escape(p['name'])} ({_coord(p)})" for p in d["places"][:12])
        )
    s = d["sources"]
    console.print(
        f"\n[bold]Sources[/bold]  {len(s['articles'])} articles, {len(s['outlets'])} outlets, "
        f"{s['independent_origins']} independent origins"
    )
    for a in s["articles"]:
        console.print(
            f"  {a['label']}  {escape(a['outlet'] or '?')}  {a['published'] or ''}  {escape(a['title'] or '')}"
        )
    for v in s["versions"]:
        console.print(
            f"  {v['later']} is {_RELATION[v['relation']]} {v['earlier']}"
            f" (+{len(v['added'])} / -{len(v['removed'])} sentences)"
        )
