"""Extraction throughput on Reuters-21578: articles/s on this machine, model load excluded.

    python benchmarks/extract.py [--n 500] [--data PATH] [--batch 32]

Prints the load time (spaCy, gazetteer, dateparser warm-up), then articles/s and words/s of the whole
extraction (NER batched with ``nlp.pipe``, rules per article), wall and CPU time, split NER / rules.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from corpus import REUTERS as DEFAULT_DATA
from corpus import load_articles

from newsweave.extract import extract_article
from newsweave.extract.entity_table import resolve_entities
from newsweave.extract.nlp import load_ner, place_names, run_ner
from newsweave.model import Article
from newsweave.text import normalise, segment


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    articles = load_articles(args.data, args.n)
    words = sum(len(a.text.split()) for a in articles)
    t0 = time.perf_counter()
    load_ner()
    place_names()
    resolve_entities({})
    warm = segment(normalise("Rebels said on Friday that 3 people were killed in Mosul."))
    extract_article(
        Article(
            id="w",
            content_hash="",
            text=warm[1][0].text,
            origin="",
            seq=0,
            ingested_at="",
            published="2024-11-29",
            paragraphs=tuple(warm[0]),
            sentences=tuple(warm[1]),
        )
    )
    load_s = time.perf_counter() - t0
    t1, c1 = time.perf_counter(), time.process_time()
    docs = list(run_ner((a.text for a in articles), batch_size=args.batch))
    t2, c2 = time.perf_counter(), time.process_time()
    results = [extract_article(a, doc) for a, doc in zip(articles, docs, strict=True)]
    t3, c3 = time.perf_counter(), time.process_time()
    run_s, cpu_s = t3 - t1, c3 - c1
    t4 = time.perf_counter()
    table = resolve_entities({a.id: list(r.mentions) for a, r in zip(articles, results, strict=True)})
    resolve_s = time.perf_counter() - t4
    counts = {k: sum(len(getattr(r, k)) for r in results) for k in ("mentions", "figures", "claims", "events")}
    print(f"load {load_s:.2f}s (spaCy tok2vec+ner, gazetteer, warm-up)")
    print(
        f"{len(articles)} articles, {words} words in {run_s:.2f}s wall: "
        f"{len(articles) / run_s:.1f} articles/s, {words / run_s:.0f} words/s"
    )
    print(
        f"CPU {cpu_s:.2f}s ({len(articles) / cpu_s:.1f} articles per CPU-second); "
        f"NER {t2 - t1:.2f}s wall / {c2 - c1:.2f}s CPU, rules {t3 - t2:.2f}s wall / {c3 - c2:.2f}s CPU"
    )
    print(f"resolve_entities over all mentions: {resolve_s:.2f}s, {len(table.entities)} entities")
    print("found " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
