"""Benchmark duplicate detection on a JSON Lines corpus (default: Reuters-21578).

    python benchmarks/dedupe.py [--corpus FILE.jsonl[.gz]] [--limit N] [--batch 1000]

Prints articles/s for ``DedupeIndex.add_many`` (MinHash in bulk, LSH, verification), the size of the
persisted index and its load time, the relations found, and how the exact pairs compare with the
groups of byte-identical bodies in the corpus: every group should be found, and an exact pair whose
bodies differ must differ only by case, spacing or punctuation.
"""

from __future__ import annotations

import argparse
import collections
import re
import resource
import time
from pathlib import Path

from corpus import read_rows as read
from corpus import to_article

from newsweave.dedupe import DedupeIndex

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "data" / "reuters21578.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()

    rows = read(args.corpus, args.limit)
    started = time.perf_counter()
    articles = [to_article(row, n + 1) for n, row in enumerate(rows)]
    prepared = time.perf_counter() - started
    by_id = {a.id: a for a in articles}
    index = DedupeIndex()
    found = []
    started = time.perf_counter()
    for at in range(0, len(articles), args.batch):
        found += index.add_many(articles[at : at + args.batch], by_id.__getitem__)
    elapsed = time.perf_counter() - started
    data = index.to_bytes()
    started = time.perf_counter()
    DedupeIndex.from_bytes(data)
    loaded = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles        {len(articles)} (normalise + segment {prepared:.1f} s, not counted below)")
    print(f"dedupe          {len(articles) / elapsed:.0f} articles/s ({elapsed:.1f} s, batches of {args.batch})")
    print(f"index           {len(data) / 1e6:.1f} MB persisted, loads in {loaded:.2f} s; peak RSS {peak:.0f} MB")
    print(f"relations       {dict(collections.Counter(d.relation for d in found))}")

    raw = {str(r["id"]): r["text"] for r in rows}
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for row in rows:
        groups[row["text"]].append(str(row["id"]))
    identical = [g for g in groups.values() if len(g) > 1]
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    exact = [d for d in found if d.relation == "exact"]
    for d in exact:
        parent[root(d.a)] = root(d.b)
    whole = sum(1 for g in identical if len({root(x) for x in g}) == 1)
    kinds: collections.Counter[str] = collections.Counter()
    for d in exact:
        a, b = raw[d.a], raw[d.b]
        if a == b:
            kinds["byte-identical"] += 1
        elif " ".join(a.split()) == " ".join(b.split()):
            kinds["spacing only"] += 1
        elif " ".join(a.casefold().split()) == " ".join(b.casefold().split()):
            kinds["case (and spacing)"] += 1
        elif re.sub(r"\W+", "", a.casefold()) == re.sub(r"\W+", "", b.casefold()):
            kinds["punctuation"] += 1
        else:
            kinds["OTHER (false exact)"] += 1
    print(f"exact groups    {whole}/{len(identical)} groups of byte-identical bodies found whole")
    print(f"exact pairs     {len(exact)}: {dict(kinds)}")


if __name__ == "__main__":
    main()
