"""One write at a time into a store, in a process that keeps its caches (the API server, ``watch``), leaves
exactly what a fresh process computes from the same store: entity table, stories, reconciled figures,
contradictions, timelines and dossiers. Also when another process wrote in between."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsweave import pipeline
from newsweave.cluster import StoryClusterer
from newsweave.export import export_json
from newsweave.extract import entity_table
from newsweave.extract.entity_table import resolve_entities
from newsweave.model import ArticleInput
from newsweave.pipeline import analyse, store_inputs
from newsweave.report.dossier import build_dossier
from newsweave.store import SQLiteStore, Store, open_store

TOWNS = ["Alderford", "Brackwater", "Castlemere", "Dunholt"]
CHIEFS = ["Maria Okafor", "Daniel Reyes", "Lina al-Haddad", "Tomas Berg"]
OUTLETS = ["Alderford Herald", "Brackwater Gazette", "Valley News Service", "Castlemere Courier"]


def _corpus(n: int, seed: int) -> list[ArticleInput]:
    """Invented reports of a few incidents (fires, floods, a shooting), with names, acronyms and figures that
    disagree between sources, over a few days."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        town = rng.choice(TOWNS)
        chief = rng.choice(CHIEFS)
        surname = chief.split()[-1]
        outlet = rng.choice(OUTLETS)
        day = 3 + rng.randint(0, 4)
        kind = rng.choice(["fire", "flood", "shooting"])
        if kind == "fire":
            text = (
                f"A fire destroyed a warehouse in {town} on Monday, killing {rng.randint(1, 6)} people and injuring "
                f"{rng.randint(2, 30)}, the {town} Fire Department said. Fire chief {chief} said crews from the "
                f"{town} Fire Department (TFD) fought the blaze for six hours. {surname} said the cause was unknown. "
                f"The Red Cross opened a shelter at {town} High School."
            )
        elif kind == "flood":
            text = (
                f"Floods in {town} forced {rng.randint(100, 900)} residents from their homes on Tuesday, officials "
                f"said. {rng.randint(0, 4)} people died and {rng.randint(5, 40)} were injured, according to the "
                f"National Weather Service (NWS). Mayor {chief} declared an emergency; {surname} said the river rose "
                f"two metres overnight."
            )
        else:
            text = (
                f"A {rng.randint(18, 60)}-year-old man was shot dead on Elm Street in {town} on Wednesday night, the "
                f"{town} Police Department said. Police chief {chief} said {rng.randint(1, 3)} other people were "
                f"wounded. {surname} told the {outlet} that two suspects fled in a grey car. No arrests were made."
            )
        out.append(
            ArticleInput(
                text=text,
                origin=f"test:{seed}:{i}",
                title=f"{kind.title()} in {town}",
                source=outlet,
                published=f"2025-03-0{day}T10:00:00Z",
                external_id=f"r{seed}-{i}",
            )
        )
    return out


def _forget_everything() -> None:
    """What a new process starts with: none of the pipeline's in-process copies."""
    pipeline._CLUSTERERS.clear()
    pipeline._DEDUPERS.clear()
    pipeline._EXTRACTED.clear()
    pipeline._ENTITIES.clear()
    pipeline._ENTITY_KEYS.clear()
    pipeline._CANONICAL_OF_STATE.clear()
    pipeline._CANONICAL.clear()
    entity_table._GROUPS.clear()


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    _forget_everything()
    yield
    _forget_everything()


def _write(store: Store, item: ArticleInput) -> None:
    store_inputs(store, [item])
    analyse(store)


def _outputs(store: Store) -> dict[str, Any]:
    """Everything a reader gets from the analysis, without ingest times."""
    data = export_json(store)
    for a in data["articles"]:
        a.pop("ingested_at", None)
    stories = store.stories()
    return {
        "export": data,
        "entities": store.entities(),
        "stories": stories,
        "reconciliations": store.reconciliations(),
        "contradictions": store.contradictions(),
        "extras": {s.id: store.story_extra(s.id) for s in stories},
        "dossiers": {s.id: json.dumps(build_dossier(store, s.id), sort_keys=True, default=str) for s in stories},
    }


def _fresh_equal(store: Store) -> None:
    """The stored entity table is what a full resolve of the stored mentions gives, and every story's
    reconciliation is what reconciling it again gives."""
    _forget_everything()
    table = resolve_entities(store.mentions())
    assert sorted(store.entities(), key=lambda e: e.id) == sorted(table.entities, key=lambda e: e.id)
    before = (store.reconciliations(), store.contradictions(), {s.id: store.story_extra(s.id) for s in store.stories()})
    with store.transaction():
        store.drop_story_analysis_except([])
    pipeline._run_reconcile(store, None)
    assert (
        store.reconciliations(),
        store.contradictions(),
        {s.id: store.story_extra(s.id) for s in store.stories()},
    ) == before


def test_single_writes_in_a_warm_process_leave_what_a_fresh_process_computes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, writes = _corpus(14, seed=1), _corpus(7, seed=2)
    full_reads: list[str] = []
    original = SQLiteStore.mentions

    def counting(self: SQLiteStore, ids: Any = None) -> Any:
        if ids is None:
            full_reads.append(self.path)
        return original(self, ids)

    monkeypatch.setattr(SQLiteStore, "mentions", counting)
    decoded: list[int] = []
    segmented = StoryClusterer.from_segments.__func__  # type: ignore[attr-defined]

    def decoding(cls: type[StoryClusterer], manifest: bytes, segments: dict[str, bytes]) -> StoryClusterer:
        decoded.append(len(segments))
        return segmented(cls, manifest, segments)  # type: ignore[no-any-return]

    monkeypatch.setattr(StoryClusterer, "from_segments", classmethod(decoding))

    warm = open_store(str(tmp_path / "warm.db"))
    store_inputs(warm, base)
    analyse(warm)
    for item in writes:
        _write(warm, item)
    warm_path = str(tmp_path / "warm.db")
    assert full_reads.count(warm_path) == 1  # the mentions were read once, then kept up to date
    assert decoded == []  # the story index was never decoded again

    cold = open_store(str(tmp_path / "cold.db"))
    store_inputs(cold, base)
    analyse(cold)
    for item in writes:
        _forget_everything()  # every write by a new process
        _write(cold, item)
    assert decoded  # that process did decode the stored index

    assert _outputs(warm) == _outputs(cold)
    assert len(warm.stories()) >= 3 and warm.reconciliations() and len(warm.entities()) >= 10
    _fresh_equal(warm)


def test_a_write_by_another_process_in_between_is_noticed(tmp_path: Path) -> None:
    base, writes = _corpus(10, seed=3), _corpus(6, seed=4)
    path = str(tmp_path / "shared.db")
    store = open_store(path)
    store_inputs(store, base)
    analyse(store)
    for n, item in enumerate(writes):
        if n % 2:
            kept = (
                dict(pipeline._CLUSTERERS),
                dict(pipeline._DEDUPERS),
                dict(pipeline._EXTRACTED),
                dict(pipeline._ENTITIES),
            )
            _forget_everything()
            _write(open_store(path), item)  # another process
            pipeline._CLUSTERERS.update(kept[0])  # this one still holds what it had before that write
            pipeline._DEDUPERS.update(kept[1])
            pipeline._EXTRACTED.update(kept[2])
            pipeline._ENTITIES.update(kept[3])
        else:
            _write(store, item)
    last = _corpus(1, seed=5)[0]
    _write(store, last)

    reference = open_store(str(tmp_path / "reference.db"))
    _forget_everything()
    store_inputs(reference, base)
    analyse(reference)
    for item in [*writes, last]:
        _forget_everything()
        _write(reference, item)
    assert _outputs(store) == _outputs(reference)
    _fresh_equal(store)


def test_story_index_segments_hold_the_same_state_and_only_the_current_ones_are_kept(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    store = open_store(path)
    store_inputs(store, _corpus(12, seed=6))
    analyse(store)
    for item in _corpus(4, seed=7):
        _write(store, item)
    clusterer = pipeline._CLUSTERERS[path][1]
    manifest, segments = clusterer.to_segments()
    assert store.get_state("cluster") == manifest
    assert StoryClusterer.from_segments(manifest, segments).to_bytes() == clusterer.to_bytes()
    assert StoryClusterer.from_bytes(clusterer.to_bytes()).to_segments()[0] == manifest
    assert isinstance(store, SQLiteStore)
    keys = {k for (k,) in store._conn.execute("SELECT key FROM state WHERE key LIKE 'cluster:%'")}
    assert keys == set(StoryClusterer.segment_keys(manifest))


def test_a_store_with_the_story_index_stored_whole_is_read_and_rewritten_in_segments(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    store = open_store(path)
    store_inputs(store, _corpus(10, seed=8))
    analyse(store)
    clusterer = pipeline._CLUSTERERS[path][1]
    with store.transaction():  # as an earlier version stored it
        for key in StoryClusterer.segment_keys(store.get_state("cluster") or b""):
            store.delete_state(key)
        store.set_state("cluster", clusterer.to_bytes())
    _forget_everything()
    item = _corpus(1, seed=9)[0]
    _write(store, item)
    assert StoryClusterer.is_manifest(store.get_state("cluster") or b"")

    reference = open_store(str(tmp_path / "ref.db"))
    _forget_everything()
    store_inputs(reference, _corpus(10, seed=8))
    analyse(reference)
    _forget_everything()
    _write(reference, item)
    assert _outputs(store) == _outputs(reference)


def test_postgres_single_writes_in_a_warm_process_leave_what_a_fresh_process_computes(
    tmp_path: Path, postgres_location: str
) -> None:
    base, writes = _corpus(12, seed=10), _corpus(5, seed=11)
    warm = open_store(postgres_location)
    store_inputs(warm, base)
    analyse(warm)
    for item in writes:
        _write(warm, item)
    assert pipeline._ENTITIES and pipeline._CLUSTERERS and pipeline._EXTRACTED  # the in-process copies were kept

    cold = open_store(str(tmp_path / "cold.db"))  # the back ends store the same (tests/store/test_backend_parity.py)
    _forget_everything()
    store_inputs(cold, base)
    analyse(cold)
    for item in writes:
        _forget_everything()
        _write(cold, item)
    assert _outputs(warm) == _outputs(cold)
    _fresh_equal(warm)
