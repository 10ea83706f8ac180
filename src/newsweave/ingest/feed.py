"""RSS and Atom feeds: one article per entry, from its content or summary, or fetched from its link."""

from __future__ import annotations

import calendar
import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from newsweave.ingest.decode import looks_binary
from newsweave.ingest.html import fragment_to_text
from newsweave.ingest.metadata import Options, build_article, format_datetime, reject
from newsweave.model import ArticleInput, Rejected

Fetch = Callable[[str, Options], Iterator[ArticleInput | Rejected]]


def read_feed(data: bytes, origin: str, options: Options, fetch: Fetch) -> Iterator[ArticleInput | Rejected]:
    """Every entry of an RSS/Atom document; ``fetch`` reads the link of an entry that has no text."""
    import feedparser

    if looks_binary(data):
        yield reject(origin, "binary file (contains NUL bytes), not a feed")
        return
    try:
        # A stream, never a string: feedparser would treat a string as a URL or file name to open.
        parsed: Any = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser's loose parser can raise on hostile input: report, go on
        yield reject(origin, f"malformed feed: {type(exc).__name__}: {exc}")
        return
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            yield reject(origin, f"malformed feed: {parsed.get('bozo_exception')}")
        else:
            yield reject(origin, "not a feed, or a feed without entries")
        return
    feed_title = _plain(parsed.get("feed", {}).get("title"))
    for index, entry in enumerate(entries):
        yield from _read_entry(entry, f"{origin}[{index}]", feed_title, options, fetch)


def _read_entry(
    entry: Any, item: str, feed_title: str | None, options: Options, fetch: Fetch
) -> Iterator[ArticleInput | Rejected]:
    link = entry.get("link") if isinstance(entry.get("link"), str) else None
    title = _plain(entry.get("title"))
    source = _plain((entry.get("source") or {}).get("title")) or feed_title
    published = _entry_date(entry)
    text = _entry_text(entry)
    origin = link or item
    if text.strip():
        yield build_article(text, origin, options, title=title, source=source, url=link, published=published)
        return
    if not link or not link.lower().startswith(("http://", "https://")):
        yield reject(item, "feed entry has no content and no http(s) link to fetch")
        return
    hints = replace(options, source=source or options.source, published=published or options.published)
    for record in fetch(link, hints):
        if isinstance(record, ArticleInput) and record.title is None and title:
            record = replace(record, title=title)
        yield record


def _entry_text(entry: Any) -> str:
    """The fullest text the entry carries: its content, else its summary, with markup removed."""
    candidates: list[str] = []
    for content in entry.get("content") or []:
        value = content.get("value")
        if isinstance(value, str):
            candidates.append(value)
    summary = entry.get("summary")
    if isinstance(summary, str):
        candidates.append(summary)
    texts = [fragment_to_text(value) for value in candidates]
    return max(texts, key=len, default="")


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                stamp = calendar.timegm(value)
                return format_datetime(datetime.fromtimestamp(stamp, tz=UTC))
            except (OverflowError, OSError, ValueError, TypeError):
                continue
    for key in ("published", "updated"):
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            return raw
    return None


def _plain(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = fragment_to_text(value) if "<" in value else value
    return " ".join(text.split()) or None
