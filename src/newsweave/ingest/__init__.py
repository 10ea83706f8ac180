"""Readers that turn user inputs into ``ArticleInput`` records, or ``Rejected`` records with a reason.

``read_inputs`` dispatches each input:

- a folder: every supported file under it, recursively, in name order (hidden entries skipped, other
  file types reported as rejected "skipped: ...");
- ``.txt``/``.md``: plain text, the first line as title when it looks like one;
- ``.jsonl``/``.ndjson`` (also ``.gz``): JSON Lines, streamed, one record per line ("file:LINE");
- ``.json``: an array of articles, an object holding one under "articles"/"items", or one article;
- ``.html``/``.htm``: main text, title and site name by trafilatura, the date by htmldate;
- ``.xml``/``.rss``/``.atom``: RSS/Atom entries, their content or summary, else their fetched link;
- ``http(s)://`` URLs: fetched with timeouts, a size limit and an SSRF guard, then read as a page,
  feed, JSON document or text, by content type and first bytes.

Readers never raise on bad input: each bad item becomes one ``Rejected`` and reading goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsweave.ingest.files import read_path
from newsweave.ingest.metadata import Options, detect_language, normalise_published, reject
from newsweave.ingest.url import read_url
from newsweave.model import ArticleInput, Rejected

if TYPE_CHECKING:
    import httpx

__all__ = ["detect_language", "normalise_published", "read_inputs"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def read_inputs(
    inputs: Sequence[str],
    *,
    max_bytes: int = 50_000_000,
    source: str | None = None,
    published: str | None = None,
    allow_private_urls: bool = False,
    http: httpx.Client | None = None,
) -> Iterator[ArticleInput | Rejected]:
    """Read every input in order, yielding articles and rejections as it goes.

    ``source`` and ``published`` fill in for inputs without their own outlet or date. ``max_bytes``
    limits each file read whole and each download (JSON Lines files are streamed, so only each line is
    limited). ``http`` is an optional client for URLs (its transport is then the caller's; the address
    check still runs before each request and redirect hop).

    Raises ``ValueError`` at once (before reading anything) for an unusable argument, e.g. a
    ``published`` that is not a date.
    """
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    if published is not None and normalise_published(published) is None:
        raise ValueError(f"published {published!r} is not a date (use ISO 8601, e.g. 2025-03-14)")
    options = Options(
        source=" ".join(source.split()) or None if source else None,
        published=published,
        max_bytes=max_bytes,
        allow_private_urls=allow_private_urls,
        http=http,
    )
    return _read_all(list(inputs), options)


def _read_all(inputs: list[str], options: Options) -> Iterator[ArticleInput | Rejected]:
    for item in inputs:
        if not item or not item.strip():
            yield reject(repr(item), "empty input name")
        elif _URL.match(item):
            yield from read_url(item, options)
        else:
            yield from read_path(Path(item), options)
