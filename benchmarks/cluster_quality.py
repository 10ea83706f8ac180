"""Story clustering quality on a labelled corpus, re-clustering a stored corpus without re-extracting.

    .venv/bin/python benchmarks/cluster_quality.py CORPUS.jsonl.gz --db /tmp/ecb.db [--limit N] [--orders 3]

The first run ingests the corpus (labels stripped: only id, text, title, url, source, published) into
``--db`` with the full pipeline. Every run then clusters the stored articles again, in-process, with
the current ``newsweave.cluster`` code and the stored entity mentions, duplicates and lead vectors, and
prints B-cubed and pairwise precision / recall / F1 against the corpus' ``story`` labels, the way
../shared/benchmarks/score_corpus.py computes them. ``--set THRESHOLD=0.3`` overrides a constant of
``newsweave.cluster`` (or of ``cluster_split`` / ``cluster_text``, e.g. ``SPLIT_RATIO``) for the run
(to see how sensitive a setting is, on every labelled corpus at once). Iterating on the clusterer
this way takes seconds instead of a full ingest. ``--orders N`` also clusters N shuffled arrival
orders (articles of one publication day shuffled, days kept in order) and prints the spread: how much
ingest order matters.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from newsweave import cluster as cluster_module
from newsweave import cluster_split, cluster_text
from newsweave.cluster import StoryClusterer
from newsweave.embed import embed_cached
from newsweave.model import Article
from newsweave.pipeline import _entity_names, _in_time_order, ingest
from newsweave.settings import Settings
from newsweave.store import Store, open_store


def load_rows(path: Path, limit: int) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return rows[:limit] if limit else rows


def build(db: Path, rows: list[dict[str, Any]]) -> None:
    keep = ("id", "text", "published", "title", "url", "source")
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "in.jsonl"
        clean.write_text("".join(json.dumps({k: r[k] for k in keep if r.get(k)}) + "\n" for r in rows))
        store = open_store(str(db))
        started = time.perf_counter()
        ingest(store, [str(clean)], Settings())
        print(f"built {db} in {time.perf_counter() - started:.0f} s")
        store.close()


def prf(tp: int, got: int, want: int) -> tuple[float, float, float]:
    p = tp / got if got else 0.0
    r = tp / want if want else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairs(groups: dict[str, set[str]]) -> set[frozenset[str]]:
    return {frozenset(x) for g in groups.values() for x in itertools.combinations(sorted(g), 2)}


def scores(gold_of: dict[str, str], pred_of: dict[str, str]) -> dict[str, float]:
    gold: dict[str, set[str]] = defaultdict(set)
    pred: dict[str, set[str]] = defaultdict(set)
    for d, g in gold_of.items():
        gold[g].add(d)
    for d, c in pred_of.items():
        if d in gold_of:
            pred[c].add(d)
    ps, rs = [], []
    for d, g in gold_of.items():
        c = pred[pred_of[d]] if d in pred_of else {d}
        inter = len(gold[g] & c)
        ps.append(inter / len(c))
        rs.append(inter / len(gold[g]))
    bp, br = sum(ps) / len(ps), sum(rs) / len(rs)
    gp, pp = pairs(gold), pairs(pred)
    pair_p, pair_r, pair_f = prf(len(gp & pp), len(pp), len(gp))
    return {
        "bcubed_p": bp,
        "bcubed_r": br,
        "bcubed_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
        "pair_p": pair_p,
        "pair_r": pair_r,
        "pair_f1": pair_f,
    }


def cluster(store: Store, articles: list[Article]) -> dict[str, str]:
    names = _entity_names(store, [a.id for a in articles])
    clusterer = StoryClusterer()
    placed = clusterer.assign(articles, names, store.duplicates(), embed=lambda texts: embed_cached(texts, store))
    return placed


def shuffled(articles: list[Article], seed: int) -> list[Article]:
    rng = random.Random(seed)
    by_day: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_day[(a.published or "")[:10]].append(a)
    out: list[Article] = []
    for day in sorted(by_day):
        group = by_day[day]
        rng.shuffle(group)
        out += group
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--db", type=Path, required=True, help="store to build once and re-cluster")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--orders", type=int, default=0, help="also score this many shuffled arrival orders")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a cluster.py constant")
    a = ap.parse_args()
    for item in a.set:
        name, _, value = item.partition("=")
        module = next((m for m in (cluster_split, cluster_text) if hasattr(m, name)), cluster_module)
        current = getattr(module, name)  # fails loudly on a misspelt name
        setattr(module, name, type(current)(float(value)))
    rows = load_rows(a.corpus, a.limit)
    if not a.db.exists():
        build(a.db, rows)
    store = open_store(str(a.db))
    articles = _in_time_order(store.get_articles())
    external = {a.id: str(a.external_id) for a in articles}
    gold_of = {str(r["id"]): str(r["story"]) for r in rows if r.get("story") is not None}

    def run(order: list[Article]) -> dict[str, float]:
        started = time.perf_counter()
        placed = cluster(store, order)
        pred_of = {external[aid]: sid for aid, sid in placed.items()}
        res = scores(gold_of, pred_of)
        res["stories"] = len(set(placed.values()))
        res["seconds"] = time.perf_counter() - started
        return res

    base = run(articles)
    print(
        f"{a.corpus.name}: {len(articles)} articles, {base['stories']:.0f} stories ({len(set(gold_of.values()))} gold)"
        f"  B3 P {base['bcubed_p']:.3f} R {base['bcubed_r']:.3f} F1 {base['bcubed_f1']:.3f}"
        f"  pair P {base['pair_p']:.3f} R {base['pair_r']:.3f} F1 {base['pair_f1']:.3f}  ({base['seconds']:.1f} s)"
    )
    if a.orders:
        runs = [run(shuffled(articles, seed)) for seed in range(a.orders)]
        for key in ("bcubed_f1", "pair_f1"):
            values = [r[key] for r in runs]
            print(f"  {a.orders} shuffled orders {key}: min {min(values):.3f} max {max(values):.3f}")


if __name__ == "__main__":
    main()
