"""A short terminal summary of what the store holds: stories, their key figures and contradictions."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsweave.store import Store


def render_store_summary(store: Store, console: Console) -> None:
    counts = store.counts()
    console.print(
        f"[bold]{counts['articles']}[/bold] articles, {counts['duplicates']} duplicate/version pairs, "
        f"{counts['stories']} stories, {counts['entities']} entities, {counts['figures']} figures, "
        f"{counts['claims']} claims, {counts['places']} places, {counts['contradictions']} contradictions"
    )
    for story in sorted(store.stories(), key=lambda s: -len(s.article_ids)):
        console.print(f"\n[bold]{escape(story.title)}[/bold]  ({story.id}, {len(story.article_ids)} articles)")
        recs = store.reconciliations(story.id)
        if recs:
            table = Table("figure", "verdict", "low", "best", "high", "explanation")
            for r in recs:
                table.add_row(
                    escape(r.label), r.verdict, _num(r.low), _num(r.best), _num(r.high), escape(r.explanation)
                )
            console.print(table)
        for c in store.contradictions(story.id):
            console.print(f"  [red]contradiction[/red]: {escape(c.explanation)}")


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
