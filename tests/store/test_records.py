"""Stored records serialise exactly as ``dataclasses.asdict`` would, with or without nested records."""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from typing import Any

from newsweave.pipeline import ingest
from newsweave.settings import Settings
from newsweave.store import open_store
from newsweave.store.records import record

DEMO = str(resources.files("newsweave") / "demo" / "corpus.jsonl")


def test_record_matches_asdict_for_every_kind_of_stored_record() -> None:
    store = open_store(":memory:")
    ingest(store, [DEMO], Settings())
    samples: list[Any] = [
        *store.entities(),
        *store.duplicates(),
        *store.stories(),
        *(m for ms in store.mentions().values() for m in ms),
        *(f for _, _, f in store.figures()),
        *(p for _, p in store.places()),
        *(c for _, _, c in store.claims()),
        *(e for _, _, e in store.events()),
    ]
    kinds = {type(s).__name__ for s in samples}
    assert {"Entity", "Duplicate", "Story", "Mention", "Figure", "Place", "Claim", "Event"} <= kinds
    for sample in samples:
        assert json.dumps(record(sample), sort_keys=True) == json.dumps(asdict(sample), sort_keys=True)
