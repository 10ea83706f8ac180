"""Batch runs on Dask: per-article stages (extraction, geocoding, embedding) in parallel, then the rest.

    newsweave batch INPUT... --workers N            # a local cluster on 127.0.0.1, no dashboard
    newsweave batch INPUT... --scheduler tcp://...  # an existing Dask cluster

Workers receive plain ``Article`` records and return plain results; models load once per worker
process (the extraction and geocoding modules cache them). The store is written by this process only,
so the results are the same as a plain ``ingest`` of the same input.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from newsweave.model import Article, Extraction, IngestReport, Place
from newsweave.pipeline import EMBED_VERSION, EXTRACT_VERSION, GEO_VERSION, AnalysisReport, analyse, store_inputs
from newsweave.settings import Settings
from newsweave.store import Store

ChunkResult = list[tuple[str, Extraction, list[Place], str, bytes | None]]


def analyse_articles(articles: Sequence[Article]) -> ChunkResult:
    """The per-article stages for one chunk, run on a worker: extraction, geocoding, lead embedding."""
    from newsweave.cluster import embed_lead
    from newsweave.embed import embed_texts, embedding_key, vector_to_bytes
    from newsweave.extract import extract_articles
    from newsweave.geo import geocode_article

    leads = [embed_lead(a) for a in articles]
    vectors = embed_texts(leads)
    return [
        (
            article.id,
            ex,
            list(geocode_article(article, ex.mentions)),
            embedding_key(lead),
            vector_to_bytes(vector) if lead.strip() else None,
        )
        for article, ex, lead, vector in zip(articles, extract_articles(articles), leads, vectors, strict=True)
    ]


def run_parallel_stages(
    store: Store, client: Any, *, chunk_size: int = 50, progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Extract, geocode and embed every stale article on the cluster; save results as chunks come back."""
    from distributed import as_completed

    geo_stale = set(store.stale("geo", GEO_VERSION))
    embed_stale = set(store.stale("embed", EMBED_VERSION))
    stale = [i for i in store.stale("extract", EXTRACT_VERSION) if i in geo_stale and i in embed_stale]
    chunks = [stale[i : i + chunk_size] for i in range(0, len(stale), chunk_size)]
    futures = [client.submit(analyse_articles, store.get_articles(chunk), pure=False) for chunk in chunks]
    done = 0
    for future in as_completed(futures):
        results: ChunkResult = future.result()
        with store.transaction():
            for aid, ex, places, _, _ in results:
                store.save_extraction(aid, ex)
                store.save_places(aid, places)
            store.save_embeddings({key: vector for _, _, _, key, vector in results if vector is not None})
            ids = [r[0] for r in results]
            store.mark_done("extract", EXTRACT_VERSION, ids)
            store.mark_done("geo", GEO_VERSION, ids)
            store.mark_done("embed", EMBED_VERSION, ids)
        done += len(results)
        if progress:
            progress("extract+geo+embed", done, len(stale))
    return done


def warm_worker() -> int:
    """Load a worker's models (NER, gazetteer, MiniLM) by analysing one invented sentence."""
    from newsweave.text import article_from_text

    sample = article_from_text(
        "Officials in the capital said on Monday that at least 3 people were hurt in a fire.",
        article_id="warm-up",
        published=None,
        title="Warm-up",
        source=None,
        language="en",
    )
    return len(analyse_articles([sample]))


def batch(
    store: Store,
    inputs: Sequence[str],
    settings: Settings,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[IngestReport, int, AnalysisReport]:
    """Ingest ``inputs``, run the per-article stages on Dask, then the corpus-wide stages here.

    The cluster starts first and its workers load their models while this process reads and stores
    the input, so neither waits for the other. The report's ``seconds`` adds the time of each phase
    (``store``, ``dask start``, ``workers``: extraction, geocoding and embedding) to the stages run here.
    """
    from contextlib import ExitStack

    from distributed import Client, LocalCluster

    from newsweave.ingest import read_inputs

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                )
            )
            client = stack.enter_context(Client(cluster))
        warming = [client.submit(warm_worker, pure=False, workers=[w]) for w in client.scheduler_info()["workers"]]
        seconds["dask start"] = time.perf_counter() - started
        mark = time.perf_counter()
        items = read_inputs(inputs, max_bytes=settings.max_bytes, allow_private_urls=settings.allow_private_urls)
        report = store_inputs(store, items, batch_size=settings.batch_size)
        seconds["store"] = time.perf_counter() - mark
        mark = time.perf_counter()
        parallel = run_parallel_stages(store, client, progress=progress)
        client.gather(warming)  # a worker that failed to load its models says so here
        seconds["workers"] = time.perf_counter() - mark
        # The corpus-wide stages run here; the few lead vectors clustering still needs (leads that lose
        # site furniture) are computed on the workers, which have the model loaded.
        rest = analyse(store, progress=progress, embed=lambda texts: embed_on_workers(client, texts))
    rest.seconds = seconds | rest.seconds
    return report, parallel, rest


def embed_on_workers(client: Any, texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """``embed_texts(texts)``, split across the cluster's workers; rows in the order of ``texts``."""
    from newsweave.embed import DIMENSIONS, embed_texts

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    n = max(1, len(client.scheduler_info()["workers"]))
    size = -(-len(texts) // n)
    parts = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
    futures = [client.submit(embed_texts, part, pure=False) for part in parts]
    return np.vstack(client.gather(futures)).astype(np.float32)
