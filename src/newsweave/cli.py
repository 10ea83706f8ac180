"""The newsweave command line: thin commands over the library; errors become clean messages.

Every command opens the store named by ``--db`` (or ``NEWSWEAVE_DB``), calls one library function and
prints its result; ``--json`` prints machine-readable output instead of tables.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsweave.errors import InputError, NewsweaveError
from newsweave.model import ArticleInput, Rejected
from newsweave.report.exports import FORMATS as EXPORT_FORMATS
from newsweave.settings import SETTINGS_HELP, Settings
from newsweave.store import Store, open_store

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False)


class Context:
    def __init__(self, db: str | None, quiet: bool, as_json: bool) -> None:
        self.settings = Settings.from_env(db=db)
        self.quiet = quiet
        self.json = as_json
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings.db)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


class NewsweaveGroup(click.Group):
    """Turns library errors into one clean line on stderr and the error's exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsweaveError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            err.print("[yellow]interrupted:[/yellow] committed batches are kept; run the command again to finish")
            sys.exit(130)


@click.group(cls=NewsweaveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db", envvar="NEWSWEAVE_DB", default=None, metavar="PATH", help=SETTINGS_HELP["db"] + " [env NEWSWEAVE_DB]"
)
@click.option("--quiet", "-q", is_flag=True, help="print only errors and results")
@click.option("--json", "as_json", is_flag=True, help="machine-readable JSON output")
@click.version_option(package_name="newsweave")
@click.pass_context
def main(ctx: click.Context, db: str | None, quiet: bool, as_json: bool) -> None:
    """newsweave: many news reports about unfolding events -> one cross-checked, cited picture."""
    try:
        state = Context(db, quiet, as_json)
    except NewsweaveError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(exc.exit_code)
    ctx.obj = state
    ctx.call_on_close(state.close)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def _report_rejected(item: ArticleInput | Rejected) -> None:
    if isinstance(item, Rejected):
        err.print(f"[yellow]skipped[/yellow] {escape(item.item)}: {escape(item.reason)}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--source", help="outlet name for inputs that carry none")
@click.option("--published", help="publication date (ISO 8601) for inputs that carry none")
@click.pass_obj
def ingest(obj: Context, inputs: tuple[str, ...], source: str | None, published: str | None) -> None:
    """Ingest files, folders, JSON Lines, HTML, URLs and feeds, then analyse what was added."""
    from newsweave.pipeline import ingest as run_ingest

    if published:
        published = _iso(published, "--published")
    show = not obj.quiet and not obj.json and err.is_terminal
    with _progress(show) as progress:
        report, analysis = run_ingest(
            obj.store,
            list(inputs),
            obj.settings,
            source=source,
            published=published,
            progress=progress,
            on_item=None if obj.quiet or obj.json else _report_rejected,
        )
    summary = {
        "added": len(report.added),
        "already_stored": len(report.duplicates),
        "rejected": len(report.rejected),
        "analysed": analysis.counts,
        "seconds": analysis.seconds,
    }
    if obj.json:
        summary["rejections"] = [asdict(r) for r in report.rejected]
        out.print_json(json.dumps(summary))
    elif not obj.quiet:
        err.print(
            f"added {summary['added']}, already stored {summary['already_stored']}, rejected {summary['rejected']}"
        )
    if report.rejected:
        if obj.quiet:
            for r in report.rejected:
                err.print(f"skipped {escape(r.item)}: {escape(r.reason)}")
        sys.exit(1)


def _iso(value: str, option: str = "--published") -> str:
    from datetime import datetime

    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{option} {value!r} is not an ISO 8601 date or datetime (e.g. 2025-03-14)") from None
    return value


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="json",
    show_default=True,
    help="json: the whole store (CONTRACT.md); csv: figures then events; geojson; acled; ucdp; plover",
)
@click.option("--as-of", help="only what was known then: articles published (or ingested) by this ISO datetime")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="write here, not stdout")
@click.pass_obj
def export(obj: Context, fmt: str, as_of: str | None, output: str | None) -> None:
    """Export the analysed store: JSON (CONTRACT.md), CSV, GeoJSON, ACLED, UCDP or PLOVER."""
    from newsweave.export import export_json
    from newsweave.pipeline import analyse
    from newsweave.report.exports import render

    analyse(obj.store)  # never show stale results
    text = render(export_json(obj.store, as_of=_iso(as_of, "--as-of") if as_of else None), fmt)
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.argument("story", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "markdown", "html", "json"]),
    default="terminal",
    show_default=True,
)
@click.option("--as-of", help="the dossier as it stood then (articles published or ingested by this ISO datetime)")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="write here, not stdout")
@click.pass_obj
def dossier(obj: Context, story: str | None, fmt: str, as_of: str | None, output: str | None) -> None:
    """The dossier of a STORY (id or prefix; default: the largest story)."""
    from newsweave.pipeline import analyse
    from newsweave.report.dossier import build_dossier, render_html, render_markdown, render_terminal

    analyse(obj.store)
    if story is None:
        stories = obj.store.stories()
        if not stories:
            raise InputError("the store holds no story yet: ingest some articles first")
        story = max(stories, key=lambda s: (len(s.article_ids), s.id)).id
    d = build_dossier(obj.store, story, as_of=_iso(as_of, "--as-of") if as_of else None)
    if fmt == "terminal" and not output:
        render_terminal(d, out)
        return
    text = {"markdown": render_markdown, "html": render_html}.get(fmt, lambda x: json.dumps(x, indent=1))(d)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--workers", default=2, show_default=True, help="local Dask worker processes (127.0.0.1 only)")
@click.option("--scheduler", help="address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
@click.pass_obj
def batch(obj: Context, inputs: tuple[str, ...], workers: int, scheduler: str | None) -> None:
    """Ingest a large corpus with the per-article stages on Dask workers (same results as ingest)."""
    from newsweave.distributed import batch as run_batch

    if workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    show = not obj.quiet and not obj.json and err.is_terminal
    with _progress(show) as progress:
        report, parallel, analysis = run_batch(
            obj.store, list(inputs), obj.settings, workers=workers, scheduler=scheduler, progress=progress
        )
    summary = {
        "added": len(report.added),
        "already_stored": len(report.duplicates),
        "rejected": len(report.rejected),
        "analysed_on_workers": parallel,
        "analysed": analysis.counts,
        "seconds": analysis.seconds,
    }
    if obj.json:
        out.print_json(json.dumps(summary))
    elif not obj.quiet:
        for r in report.rejected:
            err.print(f"[yellow]skipped[/yellow] {escape(r.item)}: {escape(r.reason)}")
        err.print(
            f"added {summary['added']}, already stored {summary['already_stored']}, "
            f"rejected {summary['rejected']}, analysed on workers {parallel}"
        )
    if report.rejected:
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--every", default="10m", show_default=True, help="polling interval: 30s, 10m, 1h, ...")
@click.option("--rounds", type=int, default=None, help="stop after this many rounds (default: until Ctrl-C)")
@click.pass_obj
def watch(obj: Context, inputs: tuple[str, ...], every: str, rounds: int | None) -> None:
    """Poll feeds, URLs and folders; ingest only what is new (conditional GET, seen files, backoff)."""
    from newsweave.watch import RoundReport, parse_interval
    from newsweave.watch import watch as run_watch

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise InputError(str(exc)) from None

    def report(n: int, r: RoundReport) -> None:
        if obj.json:
            out.print_json(
                json.dumps(
                    {
                        "round": n,
                        "checked": r.checked,
                        "unchanged": r.unchanged,
                        "backing_off": r.backing_off,
                        "added": r.added,
                        "rejected": [asdict(x) for x in r.rejected],
                    }
                )
            )
            return
        for x in r.rejected:
            err.print(f"[yellow]failed[/yellow] {escape(x.item)}: {escape(x.reason)}")
        if not obj.quiet:
            err.print(f"round {n}: added {r.added}, unchanged {len(r.unchanged)}, backing off {len(r.backing_off)}")

    run_watch(obj.store, list(inputs), obj.settings, every=interval, rounds=rounds, on_round=report)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to bind (loopback by default)")
@click.option("--port", default=8000, show_default=True, type=int)
@click.pass_obj
def serve(obj: Context, host: str, port: int) -> None:
    """Serve the web UI and the JSON API (OpenAPI at /docs) from the store."""
    from newsweave.api import serve as run_server

    run_server(obj.settings, host=host, port=port)


@main.command()
@click.pass_obj
def stats(obj: Context) -> None:
    """Counts of what the store holds."""
    counts = obj.store.counts()
    if obj.json:
        out.print_json(json.dumps(counts))
        return
    table = Table("what", "count", title=f"store {obj.settings.db}")
    for k, v in counts.items():
        table.add_row(k, str(v))
    out.print(table)


@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.pass_obj
def search(obj: Context, query: str, limit: int) -> None:
    """Full-text search over article titles and texts (FTS5 syntax accepted)."""
    rows = obj.store.search(query, limit)
    if obj.json:
        out.print_json(json.dumps(rows))
        return
    if not rows:
        err.print("no match")
        return
    for r in rows:
        out.print(
            f"[bold]{escape(r['title'] or '(untitled)')}[/bold]  {r['id']}  {escape(r['source'] or '')} "
            f"{r['published'] or ''}"
        )
        out.print("   " + escape(r["snippet"] or ""))


@main.command()
@click.pass_obj
def stories(obj: Context) -> None:
    """Stories: groups of articles about one event."""
    from newsweave.pipeline import analyse

    analyse(obj.store)
    items = obj.store.stories()
    if obj.json:
        out.print_json(json.dumps([asdict(s) for s in items]))
        return
    table = Table("story", "articles", "dates", "title")
    for s in sorted(items, key=lambda s: -len(s.article_ids)):
        dates = " – ".join(sorted({d[:10] for d in (s.first_published, s.last_published) if d}))
        table.add_row(s.id, str(len(s.article_ids)), dates, escape(s.title))
    out.print(table)


@main.command()
@click.argument("article")
@click.pass_obj
def show(obj: Context, article: str) -> None:
    """An article with its figures, claims and sources highlighted."""
    from newsweave.report.article import article_view, render_article_terminal

    view = article_view(obj.store, obj.store.find_article(article).id)
    if obj.json:
        out.print_json(json.dumps(view))
        return
    render_article_terminal(view, out)


@main.command()
@click.option(
    "--db",
    "demo_db",
    default="newsweave-demo.db",
    show_default=True,
    help="store for the demo (recreated on every run)",
)
@click.pass_obj
def demo(obj: Context, demo_db: str) -> None:
    """Ingest the invented demo corpus shipped with newsweave and show what it found."""
    from newsweave.pipeline import ingest as run_ingest
    from newsweave.report.dossier import build_dossier, render_terminal
    from newsweave.report.summary import render_store_summary

    for suffix in ("", "-wal", "-shm"):
        Path(demo_db + suffix).unlink(missing_ok=True)
    obj.settings = Settings.from_env(db=demo_db)
    corpus = resources.files("newsweave") / "demo" / "corpus.jsonl"
    with resources.as_file(corpus) as path, _progress(err.is_terminal and not obj.quiet) as progress:
        report, _ = run_ingest(obj.store, [str(path)], obj.settings, progress=progress)
    err.print(f"demo store: {demo_db} ({len(report.added)} articles)")
    render_store_summary(obj.store, out)
    stories = obj.store.stories()
    if stories:
        biggest = max(stories, key=lambda s: (len(s.article_ids), s.id))
        out.rule("dossier of the largest story")
        render_terminal(build_dossier(obj.store, biggest.id), out)


@main.command()
@click.pass_obj
def settings(obj: Context) -> None:
    """Every setting, its value and what it does (env NEWSWEAVE_<NAME>)."""
    values = asdict(obj.settings)
    if obj.settings.token:
        values["token"] = "***"
    if obj.json:
        out.print_json(json.dumps(values))
        return
    table = Table("setting", "value", "help")
    for name, help_text in SETTINGS_HELP.items():
        table.add_row("NEWSWEAVE_" + name.upper(), str(values[name]), help_text)
    out.print(table)


if __name__ == "__main__":  # pragma: no cover
    main()
