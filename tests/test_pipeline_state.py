"""A long-running process keeps its story clusterer between writes instead of decoding the stored index again."""

from __future__ import annotations

import itertools
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


def _parts(tmp_path: Path, *cuts: int) -> list[str]:
    """The demo corpus cut into consecutive JSON Lines files at the given line numbers."""
    lines = DEMO.read_text(encoding="utf-8").splitlines(keepends=True)
    bounds = [0, *cuts, len(lines)]
    paths = []
    for i, (a, b) in enumerate(itertools.pairwise(bounds)):
        part = tmp_path / f"part{i}.jsonl"
        part.write_text("".join(lines[a:b]), encoding="utf-8")
        paths.append(str(part))
    return paths


def _count_decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on, the size of every stored story index decoded (``StoryClusterer.from_segments``, or
    ``from_bytes`` for one stored whole)."""
    decoded: list[int] = []
    whole = StoryClusterer.from_bytes.__func__  # type: ignore[attr-defined]
    segmented = StoryClusterer.from_segments.__func__  # type: ignore[attr-defined]

    def counting_whole(cls: type[StoryClusterer], data: bytes) -> StoryClusterer:
        decoded.append(len(data))
        return whole(cls, data)  # type: ignore[no-any-return]

    def counting_segmented(cls: type[StoryClusterer], manifest: bytes, segments: dict[str, bytes]) -> StoryClusterer:
        decoded.append(sum(map(len, segments.values())))
        return segmented(cls, manifest, segments)  # type: ignore[no-any-return]

    monkeypatch.setattr(StoryClusterer, "from_bytes", classmethod(counting_whole))
    monkeypatch.setattr(StoryClusterer, "from_segments", classmethod(counting_segmented))
    return decoded


def test_second_write_reuses_the_clusterer_and_clusters_as_a_fresh_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _parts(tmp_path, 5)
    decoded = _count_decodes(monkeypatch)

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
    parts = _parts(tmp_path, 4, 6)
    path = str(tmp_path / "shared.db")
    ingest(open_store(path), [parts[0]], Settings())
    kept = pipeline._CLUSTERERS[path]
    pipeline._CLUSTERERS.clear()  # another process writes the second part
    ingest(open_store(path), [parts[1]], Settings())

    decoded = _count_decodes(monkeypatch)
    pipeline._CLUSTERERS[path] = kept  # this process still holds what it had before the other write
    store = open_store(path)
    ingest(store, [parts[2]], Settings())
    assert len(decoded) == 1  # the stored state changed: decoded again, the old clusterer was not used
    clustered = {i for s in export_json(store)["stories"] for i in s["article_ids"]}
    assert clustered == set(store.article_ids())
