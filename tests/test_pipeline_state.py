"""A long-running process keeps its story clusterer between writes instead of decoding the stored index again."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from newsweave import pipeline
from newsweave.cluster import StoryClusterer
from newsweave.export import export_json
from newsweave.pipeline import ingest
from newsweave.settings import Settings
from newsweave.store import open_store

DEMO = resources.files("newsweave") / "demo" / "corpus.jsonl"


def _halves(tmp_path: Path) -> tuple[str, str]:
    lines = DEMO.read_text(encoding="utf-8").splitlines(keepends=True)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("".join(lines[:5]), encoding="utf-8")
    second.write_text("".join(lines[5:]), encoding="utf-8")
    return str(first), str(second)


def test_second_write_reuses_the_clusterer_and_clusters_as_a_fresh_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _halves(tmp_path)
    decoded: list[int] = []
    original = StoryClusterer.from_bytes.__func__  # type: ignore[attr-defined]

    def counting(cls: type[StoryClusterer], data: bytes) -> StoryClusterer:
        decoded.append(len(data))
        return original(cls, data)  # type: ignore[no-any-return]

    monkeypatch.setattr(StoryClusterer, "from_bytes", classmethod(counting))

    kept = open_store(str(tmp_path / "kept.db"))
    ingest(kept, [first], Settings())
    ingest(kept, [second], Settings())
    assert decoded == []  # the second write used the clusterer the first one left

    reloaded = open_store(str(tmp_path / "reloaded.db"))
    ingest(reloaded, [first], Settings())
    pipeline._CLUSTERERS.clear()  # as if a new process wrote the second half
    ingest(reloaded, [second], Settings())
    assert len(decoded) == 1

    def stories(store_path: Path) -> list[list[str]]:
        data = export_json(open_store(str(store_path)))
        ext = {a["id"]: a["external_id"] for a in data["articles"]}
        return sorted(sorted(ext[i] for i in s["article_ids"]) for s in data["stories"])

    assert stories(tmp_path / "kept.db") == stories(tmp_path / "reloaded.db")
    assert len(stories(tmp_path / "kept.db")) >= 2


def test_a_write_from_another_process_makes_the_kept_clusterer_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = []
    for i, chunk in enumerate((lines[:4], lines[4:6], lines[6:])):
        part = tmp_path / f"part{i}.jsonl"
        part.write_text("".join(chunk), encoding="utf-8")
        parts.append(str(part))
    path = str(tmp_path / "shared.db")
    ingest(open_store(path), [parts[0]], Settings())
    kept = pipeline._CLUSTERERS[path]
    pipeline._CLUSTERERS.clear()  # another process writes the second part
    ingest(open_store(path), [parts[1]], Settings())

    decoded: list[int] = []
    original = StoryClusterer.from_bytes.__func__  # type: ignore[attr-defined]

    def counting(cls: type[StoryClusterer], data: bytes) -> StoryClusterer:
        decoded.append(len(data))
        return original(cls, data)  # type: ignore[no-any-return]

    monkeypatch.setattr(StoryClusterer, "from_bytes", classmethod(counting))
    pipeline._CLUSTERERS[path] = kept  # this process still holds what it had before the other write
    store = open_store(path)
    ingest(store, [parts[2]], Settings())
    assert len(decoded) == 1  # the stored state changed: decoded again, the old clusterer was not used
    clustered = {i for s in export_json(store)["stories"] for i in s["article_ids"]}
    assert clustered == set(store.article_ids())
