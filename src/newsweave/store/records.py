"""Encoding of records to and from stored rows, shared by every back end."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable
from dataclasses import asdict, fields, is_dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar, cast

from newsweave.model import Article, Paragraph, Sentence

T = TypeVar("T")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def dumps(obj: Any) -> str:
    """Compact JSON that keeps non-ASCII text readable."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@cache
def _tuple_fields(cls: Any) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls) if str(f.type).startswith("tuple"))


def record(obj: Any) -> dict[str, Any]:
    """A record's fields as ``dataclasses.asdict`` gives them, without its deep copy when the fields are plain data."""
    out: dict[str, Any] = {}
    for name in _field_names(cast(Hashable, type(obj))):
        value = getattr(obj, name)
        if is_dataclass(value) or (isinstance(value, (list, tuple)) and value and is_dataclass(value[0])):
            return asdict(obj)
        out[name] = value
    return out


@cache
def _field_names(cls: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def decode(cls: type[T], data: str) -> T:
    """A record from its stored JSON (lists become the record's tuples)."""
    values = json.loads(data)
    for name in _tuple_fields(cast(Hashable, cls)):  # classes are hashable; TypeVar hides it from mypy
        if isinstance(values.get(name), list):
            values[name] = tuple(values[name])
    return cls(**values)


def build_articles(rows: Iterable[Any], paragraph_rows: Iterable[Any], sentence_rows: Iterable[Any]) -> list[Article]:
    """Articles from their rows plus their paragraph and sentence rows (each in reading order).

    Rows are anything indexable by column name (sqlite3.Row, psycopg dict rows).
    """
    rows = list(rows)
    texts = {r["id"]: r["text"] for r in rows}
    paras: dict[str, list[Paragraph]] = {i: [] for i in texts}
    sents: dict[str, list[Sentence]] = {i: [] for i in texts}
    for p in paragraph_rows:
        paras[p["article_id"]].append(Paragraph(p["idx"], p["start"], p["end"], bool(p["heading"])))
    for s in sentence_rows:
        text = texts[s["article_id"]]
        sents[s["article_id"]].append(
            Sentence(s["idx"], s["start"], s["end"], s["paragraph"], text[s["start"] : s["end"]], bool(s["heading"]))
        )
    return [
        Article(
            id=r["id"],
            content_hash=r["content_hash"],
            text=r["text"],
            origin=r["origin"],
            seq=r["seq"],
            ingested_at=r["ingested_at"],
            title=r["title"],
            source=r["source"],
            url=r["url"],
            published=r["published"],
            external_id=r["external_id"],
            language=r["language"],
            paragraphs=tuple(paras[r["id"]]),
            sentences=tuple(sents[r["id"]]),
        )
        for r in rows
    ]
