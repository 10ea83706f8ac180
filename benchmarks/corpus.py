"""Corpus loading shared by the benchmark scripts: JSON Lines (optionally gzipped) -> segmented Articles."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from newsweave.model import Article
from newsweave.text import normalise, segment

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "data"
REUTERS = DATA / "reuters21578.jsonl.gz"


def read_rows(path: Path, limit: int = 0) -> list[dict[str, Any]]:
    """The first ``limit`` rows (all when 0) of a JSON Lines corpus."""
    opener = gzip.open if path.suffix == ".gz" else open
    rows: list[dict[str, Any]] = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if limit and len(rows) >= limit:
                break
            if line.strip():
                rows.append(json.loads(line))
    return rows


def to_article(row: dict[str, Any], seq: int) -> Article:
    """One corpus row as a normalised, segmented Article (fields id, text, title, source, published)."""
    text = normalise(row.get("text") or "")
    paragraphs, sentences = segment(text)
    return Article(
        id=str(row.get("id", seq)),
        content_hash="",
        text=text,
        origin="benchmark",
        seq=seq,
        ingested_at="",
        title=row.get("title"),
        source=row.get("source"),
        published=row.get("published"),
        paragraphs=tuple(paragraphs),
        sentences=tuple(sentences),
    )


def load_articles(path: Path, n: int) -> list[Article]:
    """The first ``n`` rows of a corpus as Articles."""
    return [to_article(row, i + 1) for i, row in enumerate(read_rows(path, n))]
