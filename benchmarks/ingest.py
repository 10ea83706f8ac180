"""Ingest throughput: read + normalise + segment + store (no analysis stages), with peak RSS.

    .venv/bin/python benchmarks/ingest.py [CORPUS.jsonl.gz] [--limit N]

Default corpus: ../shared/benchmarks/data/reuters21578.jsonl.gz (19,043 articles).
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import tempfile
import time
from pathlib import Path

from newsweave.ingest import read_inputs
from newsweave.pipeline import store_inputs
from newsweave.store import open_store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "data" / "reuters21578.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="nw-bench-ingest-"))
    src = tmp / "in.jsonl"
    opener = gzip.open if a.corpus.endswith(".gz") else open
    with opener(a.corpus, "rt", encoding="utf-8") as f, src.open("w", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if a.limit and i >= a.limit:
                break
            g.write(line)
    store = open_store(str(tmp / "store.db"))
    t0 = time.perf_counter()
    report = store_inputs(store, read_inputs([str(src)]), batch_size=500)
    elapsed = time.perf_counter() - t0
    n = len(report.added) + len(report.duplicates) + len(report.rejected)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus          {a.corpus}")
    print(
        f"inputs          {n} ({len(report.added)} stored, {len(report.duplicates)} already stored, "
        f"{len(report.rejected)} rejected)"
    )
    print(f"ingest          {elapsed:.2f} s, {n / elapsed:.0f} articles/s")
    print(f"peak RSS        {rss_mb:.0f} MB")
    print(f"store size      {(tmp / 'store.db').stat().st_size / 1e6:.1f} MB")
    store.close()
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
