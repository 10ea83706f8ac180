"""Files and folders: pick a reader by extension (or by content for an unknown extension)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from newsweave.ingest.decode import UndecodableError, decode_bytes, looks_binary
from newsweave.ingest.feed import read_feed
from newsweave.ingest.html import extract_page
from newsweave.ingest.jsonl import read_json_document, read_jsonl_file
from newsweave.ingest.metadata import Options, build_plain_article, reject
from newsweave.ingest.url import read_url
from newsweave.model import ArticleInput, Rejected

# Extension -> reader kind. ".gz" is accepted on top of the JSON ones (streamed).
KINDS = {
    ".txt": "text",
    ".md": "markdown",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
SUPPORTED = ", ".join(sorted(KINDS))


def kind_of(path: Path) -> str | None:
    """The reader for a file name, or None for a file type newsweave does not read."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] == ".gz" and KINDS.get(suffixes[-2]) in ("jsonl", "json"):
        return "jsonl" if KINDS[suffixes[-2]] == "jsonl" else "json.gz"
    return KINDS.get(suffixes[-1]) if suffixes else None


def read_path(path: Path, options: Options) -> Iterator[ArticleInput | Rejected]:
    """A file, or every readable file under a folder (recursively, hidden entries skipped)."""
    origin = str(path)
    try:
        if path.is_dir():
            yield from read_folder(path, options)
        elif path.is_file():
            yield from read_file(path, origin, options, kind_of(path) or "sniff")
        elif path.exists():
            yield reject(origin, "not a regular file or folder")
        else:
            yield reject(origin, "no such file or directory")
    except OSError as exc:
        yield reject(origin, f"cannot read: {exc.strerror or exc}")


def read_folder(folder: Path, options: Options) -> Iterator[ArticleInput | Rejected]:
    """Every file under ``folder`` in name order; files of other types are reported, not read."""

    def report(error: OSError) -> None:
        errors.append(error)

    errors: list[OSError] = []
    for root, dirs, names in os.walk(folder, onerror=report):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(root) / name
            kind = kind_of(path)
            if kind is None:
                yield reject(
                    str(path),
                    f"skipped: unsupported file type {path.suffix or '(no extension)'!r} "
                    f"(newsweave reads {SUPPORTED}, and .jsonl.gz/.json.gz)",
                )
                continue
            yield from read_file(path, str(path), options, kind)
        yield from _folder_errors(errors, folder)
    yield from _folder_errors(errors, folder)


def _folder_errors(errors: list[OSError], folder: Path) -> Iterator[Rejected]:
    while errors:
        error = errors.pop(0)
        yield reject(str(error.filename or folder), f"cannot read folder: {error.strerror or error}")


def read_limited(path: Path, origin: str, max_bytes: int) -> bytes | Rejected:
    """The whole file, or a rejection when it is over ``max_bytes`` or unreadable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return reject(origin, f"file is {size} bytes, over the limit of {max_bytes} bytes")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return reject(origin, f"cannot read: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return reject(origin, f"file is over the limit of {max_bytes} bytes")
    return data


def read_file(path: Path, origin: str, options: Options, kind: str) -> Iterator[ArticleInput | Rejected]:
    """One file with the reader for ``kind`` ("sniff" picks one from the first bytes)."""
    if kind == "jsonl":
        yield from read_jsonl_file(path, origin, options)
        return
    if kind == "json.gz":
        yield from _read_gzip_json(path, origin, options)
        return
    data = read_limited(path, origin, options.max_bytes)
    if isinstance(data, Rejected):
        yield data
        return
    if kind == "sniff":
        kind = sniff_file(data)
    if kind == "html":
        yield extract_page(data, origin, options)
    elif kind == "feed":
        yield from read_feed(data, origin, options, read_url)
    else:
        try:
            text = decode_bytes(data)
        except UndecodableError as exc:
            yield reject(origin, str(exc))
            return
        if kind == "json":
            yield from read_json_document(text, origin, options)
        else:
            yield build_plain_article(text, origin, options, markdown=kind == "markdown")


def _read_gzip_json(path: Path, origin: str, options: Options) -> Iterator[ArticleInput | Rejected]:
    import gzip
    import zlib

    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(options.max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        yield reject(origin, f"cannot read compressed file: {exc}")
        return
    if len(data) > options.max_bytes:
        yield reject(origin, f"decompressed file is over the limit of {options.max_bytes} bytes")
        return
    try:
        text = decode_bytes(data)
    except UndecodableError as exc:
        yield reject(origin, str(exc))
        return
    yield from read_json_document(text, origin, options)


def sniff_file(data: bytes) -> str:
    """The reader for a file with an unknown extension, judged by its first bytes."""
    if looks_binary(data):
        return "text"  # the text reader rejects it as binary with a clear reason
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<rss", b"<feed", b"<rdf:rdf")) or (
        head.startswith(b"<?xml") and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    ):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith((b"{", b"[")):
        return "json"
    return "text"
