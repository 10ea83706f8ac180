"""One article with the figures, claims and places found in it, each tied to its characters."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from newsweave.pipeline import canonical_names
from newsweave.store import Store


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """The article's metadata and text, plus everything extracted from it, with offsets."""
    article = store.get_article(article_id)
    alias = canonical_names(store)
    figures = [{"id": fid, **asdict(f)} for fid, _, f in store.figures([article_id])]
    claims = [{"id": cid, **asdict(c)} for cid, _, c in store.claims([article_id])]
    for row in (*figures, *claims):
        if row.get("source"):
            row["source"] = alias.get(" ".join(row["source"].casefold().split()), row["source"])
    places = [asdict(p) for _, p in store.places([article_id])]
    stories = [s.id for s in store.stories() if article_id in s.article_ids]
    versions = [asdict(d) for d in store.duplicates() if article_id in (d.a, d.b)]
    return {
        "id": article.id,
        "external_id": article.external_id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "text": article.text,
        "figures": figures,
        "claims": claims,
        "places": places,
        "stories": stories,
        "duplicates": versions,
    }


def render_article_terminal(view: dict[str, Any], console: Console) -> None:
    """Print the article text with figures (bold yellow), claims (underlined) and places (cyan) marked."""
    console.print(f"[bold]{escape(view['title'] or '(untitled)')}[/bold]")
    console.print(f"{escape(view['source'] or 'unknown source')} · {view['published'] or 'undated'} · {view['id']}")
    text = Text(view["text"])
    for c in view["claims"]:
        text.stylize("underline", c["start"], c["end"])
    for p in view["places"]:
        text.stylize("cyan", p["start"], p["end"])
    for f in view["figures"]:
        text.stylize("bold yellow", f["start"], f["end"])
    console.print(text)
    if view["figures"]:
        console.print("\n[bold]Figures[/bold]")
        for f in view["figures"]:
            console.print(
                f"  {f['measure']} {f['group']}: {f['qualifier']} {f['value']:g}"
                f" — {escape(f['source'] or 'unattributed')}{' (denies)' if f['stance'] == 'denies' else ''}"
                f"{' [background]' if f['background'] else ''} {f['date'] or ''}"
            )
    if view["claims"]:
        console.print("\n[bold]Claims[/bold]")
        for c in view["claims"]:
            console.print(
                f"  {c['kind']} ({c['stance']}) — {escape(c['source'] or 'unattributed')}: "
                f"{escape(c['sentence'][:140])}"
            )
