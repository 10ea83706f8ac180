"""Dask batch runs give the same analysis as a plain ingest of the same input."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from newsweave.cluster import embed_lead
from newsweave.distributed import batch
from newsweave.embed import embedding_key
from newsweave.export import export_json
from newsweave.pipeline import EMBED_VERSION, ingest
from newsweave.settings import Settings
from newsweave.store import open_store

DEMO = str(resources.files("newsweave") / "demo" / "corpus.jsonl")


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["articles"] = [{k: v for k, v in a.items() if k != "ingested_at"} for a in data["articles"]]
    return data


def test_batch_on_dask_matches_plain_ingest(tmp_path: Path) -> None:
    plain = open_store(str(tmp_path / "plain.db"))
    ingest(plain, [DEMO], Settings())
    dask = open_store(str(tmp_path / "dask.db"))
    report, on_workers, analysis = batch(dask, [DEMO], Settings(), workers=1)
    assert len(report.added) == 8 and on_workers == 8
    # The run says where its time went: each phase, then the corpus-wide stages run here.
    assert {"dask start", "store", "workers", "cluster"} <= set(analysis.seconds)
    assert comparable(export_json(dask)) == comparable(export_json(plain))

    # The lead vectors were computed on the workers: the cache holds them all, nothing is stale.
    keys = [embedding_key(embed_lead(a)) for a in dask.get_articles()]
    assert dask.stale("embed", EMBED_VERSION) == []
    assert set(dask.embeddings(keys)) == set(keys) == set(plain.embeddings(keys))


def test_leads_embedded_on_workers_come_back_in_order_and_equal_local_vectors() -> None:
    import numpy as np
    from distributed import Client, LocalCluster

    from newsweave.distributed import embed_on_workers
    from newsweave.embed import embed_texts

    leads = [
        "Floods cut the coast road near Varenna after two days of rain.",
        "",
        "The port authority of Oskel reopened the ferry terminal on Monday.",
        "Firefighters contained a forest fire north of Tarsen.",
        "Three people were hurt when a bridge collapsed in Oskel.",
    ]
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        remote = embed_on_workers(client, leads)
        assert embed_on_workers(client, []).shape == (0, remote.shape[1])
    local = embed_texts(leads)
    assert remote.shape == local.shape and not remote[1].any()  # a blank lead stays the zero vector
    assert np.allclose(remote, local, atol=1e-5)
