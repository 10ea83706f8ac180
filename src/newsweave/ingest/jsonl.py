"""JSON Lines (streamed line by line) and JSON documents (an array of articles, or one article).

Each object needs ``text`` (aliases ``content``, ``body``) or ``html``; ``id`` comes back as the
external id, and ``title``, ``source``, ``url`` and ``published`` are read with a few common aliases.
A line that is not valid JSON, not an object, or has no text is rejected as "file:LINE"; the rest of
the file is still read.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from newsweave.ingest.decode import UndecodableError, bom_encoding, decode_bytes, looks_binary
from newsweave.ingest.html import extract_page
from newsweave.ingest.metadata import Options, build_article, clean_field, reject
from newsweave.model import ArticleInput, Rejected

TEXT_FIELDS = ("text", "content", "body")
TITLE_FIELDS = ("title", "headline")
SOURCE_FIELDS = ("source", "outlet", "publisher", "site_name")
PUBLISHED_FIELDS = ("published", "published_at", "date", "pubDate", "datetime")
URL_FIELDS = ("url", "link")
# Keys under which a JSON document may hold its list of articles.
LIST_FIELDS = ("articles", "items", "data", "records", "documents")

_CHUNK = 1 << 16


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = obj.get(key)
        if value is not None and value != "":
            return value
    return None


def _text_value(value: Any) -> str | None:
    """A text field as a string: paragraphs given as a list of strings are joined by blank lines."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return "\n\n".join(value)
    return None


def record_to_article(obj: object, origin: str, options: Options) -> ArticleInput | Rejected:
    """One JSON object to an article, or the reason it is not one."""
    if not isinstance(obj, dict):
        return reject(origin, f"not a JSON object (got {_json_type(obj)})")
    metadata = {
        "title": _first(obj, TITLE_FIELDS),
        "source": _first(obj, SOURCE_FIELDS),
        "url": clean_field(_first(obj, URL_FIELDS)),
        "published": _first(obj, PUBLISHED_FIELDS),
        "external_id": obj.get("id"),
    }
    present = [key for key in TEXT_FIELDS if obj.get(key) is not None]
    texts = [text for text in (_text_value(obj[key]) for key in present) if text is not None]
    text = next((text for text in texts if text.strip()), None)
    if text is not None:
        return build_article(text, origin, options, **metadata)
    html = obj.get("html")
    if isinstance(html, str) and html.strip():
        return extract_page(html, origin, options, **metadata)
    if texts or isinstance(html, str):
        return reject(origin, "empty text")
    for key in [*present, "html"]:
        if obj.get(key) is not None:
            return reject(origin, f"field '{key}' is {_json_type(obj[key])}, not a string")
    return reject(origin, "no text: the object has no 'text' (or 'content', 'body', 'html') field")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, transparently decompressed when its name ends in ".gz"."""
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def read_jsonl_file(path: Path, origin: str, options: Options) -> Iterator[ArticleInput | Rejected]:
    """Stream a JSON Lines file (optionally gzip-compressed): one article or rejection per line."""
    try:
        stream = open_binary(path)
    except OSError as exc:
        yield reject(origin, f"cannot read: {exc.strerror or exc}")
        return
    with stream:
        yield from read_jsonl_stream(stream, origin, options)


def read_jsonl_stream(stream: IO[bytes], origin: str, options: Options) -> Iterator[ArticleInput | Rejected]:
    """Read JSON Lines from a binary stream without holding more than one line in memory."""
    lineno = 0
    try:
        head = _peek(stream)
        marked = bom_encoding(head)
        if marked is not None and marked[0] != "utf-8":
            wrapped = io.TextIOWrapper(stream, encoding=_bom_codec(marked[0]))
            yield from _read_text_lines(wrapped, origin, options)
            return
        if _mostly_binary(head):
            yield reject(origin, "binary file (NUL bytes in most lines), not JSON Lines")
            return
        for lineno, line in _lines(stream, options.max_bytes):
            item = f"{origin}:{lineno}"
            if line is None:
                yield reject(item, f"line longer than the limit of {options.max_bytes} bytes")
                continue
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            yield _parse_line(line, item, options)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        where = f"{origin}:{lineno + 1}" if lineno else origin
        yield reject(where, f"file could not be read to the end ({type(exc).__name__}: {exc})")


def _mostly_binary(head: bytes) -> bool:
    """True when most lines at the start of the file carry NUL bytes: binary data, not a few bad lines."""
    if not looks_binary(head):
        return False
    lines = [line for line in head.split(b"\n") if line.strip()]
    return sum(b"\x00" in line for line in lines) * 2 >= len(lines)


def _bom_codec(encoding: str) -> str:
    """The codec that consumes the byte-order mark itself."""
    return "utf-16" if encoding.startswith("utf-16") else "utf-32"


def _peek(stream: IO[bytes]) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(_CHUNK))[:_CHUNK]
    return b""


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a binary stream; None for a line longer than ``limit`` (which is skipped)."""
    lineno = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(_CHUNK)
            yield lineno, None
            continue
        yield lineno, line


def _read_text_lines(stream: IO[str], origin: str, options: Options) -> Iterator[ArticleInput | Rejected]:
    for lineno, line in enumerate(stream, start=1):
        if line.strip():
            yield _parse_text(line, f"{origin}:{lineno}", options)


def _parse_line(line: bytes, item: str, options: Options) -> ArticleInput | Rejected:
    if b"\x00" in line:
        return reject(item, "binary data (NUL bytes) in the line")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = decode_bytes(line)
        except UndecodableError as exc:
            return reject(item, f"line is not text: {exc}")
    return _parse_text(text, item, options)


def _parse_text(text: str, item: str, options: Options) -> ArticleInput | Rejected:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return reject(item, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return reject(item, "invalid JSON: nested too deeply")
    return record_to_article(obj, item, options)


def read_json_document(text: str, origin: str, options: Options) -> Iterator[ArticleInput | Rejected]:
    """A JSON document: an array of articles, an object holding one (e.g. under "articles"), or one article.

    A document that is really JSON Lines (several values, one per line) is read as JSON Lines.
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            yield from _read_text_lines(io.StringIO(text), origin, options)
            return
        yield reject(origin, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield reject(origin, "invalid JSON: nested too deeply")
        return
    if isinstance(doc, dict):
        listed = next((doc[key] for key in LIST_FIELDS if isinstance(doc.get(key), list)), None)
        if listed is None:
            yield record_to_article(doc, origin, options)
            return
        doc = listed
    if not isinstance(doc, list):
        yield reject(origin, f"JSON document is {_json_type(doc)}, not an array of articles or an article")
        return
    if not doc:
        yield reject(origin, "JSON array is empty: no articles")
        return
    for index, obj in enumerate(doc):
        yield record_to_article(obj, f"{origin}[{index}]", options)
