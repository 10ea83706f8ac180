"""Benchmark the offline gazetteer and geocoder: index build time and size, memory, toponyms/s.

    python benchmarks/geo.py [--build] [--corpus FILE.jsonl[.gz]] [--limit N]

Without ``--corpus`` it geocodes invented articles built from a template (no NER, gazetteer
matching only). ``--build`` rebuilds the index into a temporary file to time it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import tempfile
import time
from pathlib import Path

from newsweave import geo
from newsweave.gazetteer import build_index, default_index_path, get_gazetteer
from newsweave.model import Article
from newsweave.text import normalise, segment

_TOWNS = [
    "Mosul",
    "Kirkuk",
    "Basra",
    "Homs",
    "Damascus",
    "Mosul",
    "Kharkiv",
    "Gaza",
    "Khartoum",
    "Goma",
    "Springfield",
    "Paris",
    "Alexandria",
    "Tripoli",
    "Kabul",
    "Mariupol",
    "Sanaa",
    "Bamako",
]
_TEMPLATE = (
    "Shelling hit {a} and {b} on Tuesday, residents said. Families fled toward {c}, while officials "
    "in {d} denied the reports. Syrian and Russian forces were seen near {e} province, and Ankara "
    "said it was watching the border. Aid convoys left {f} for the countryside."
)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _article(i: int, raw: str) -> Article:
    text = normalise(raw)
    paras, sents = segment(text)
    return Article(
        id=str(i),
        content_hash=str(i),
        text=text,
        origin="bench",
        seq=i,
        ingested_at="",
        paragraphs=tuple(paras),
        sentences=tuple(sents),
    )


def _invented(n: int) -> list[Article]:
    rnd = random.Random(7)
    return [_article(i, _TEMPLATE.format(**{k: rnd.choice(_TOWNS) for k in "abcdef"})) for i in range(n)]


def _corpus(path: str, limit: int) -> list[Article]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    rows = rows[:limit] if limit else rows
    return [_article(i, str(r.get("text") or "")) for i, r in enumerate(rows)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="store_true", help="time a fresh index build")
    ap.add_argument("--corpus", help="JSON Lines file of articles to geocode")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--articles", type=int, default=300, help="invented articles when no corpus is given")
    args = ap.parse_args()

    if args.build:
        with tempfile.TemporaryDirectory() as tmp:
            stats = build_index(Path(tmp) / "gazetteer.sqlite")
            print(
                f"index build     {stats.seconds:.1f} s; {stats.size_bytes / 1e6:.1f} MB; "
                f"{stats.records} places, {stats.names} names"
            )
    path = default_index_path()
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    gaz = get_gazetteer()
    gaz.lookup("Mosul")  # opens (and builds, the first time) the index
    print(f"index           {path} ({path.stat().st_size / 1e6:.1f} MB on disk)")
    print(f"index open      {time.perf_counter() - t0:.2f} s; peak RSS {_rss_mb():.0f} MB (before {rss0:.0f} MB)")

    articles = _corpus(args.corpus, args.limit) if args.corpus else _invented(args.articles)
    t0 = time.perf_counter()
    n = 0
    for art in articles:
        n += len(geo.geocode_article(art, []))
    dt = time.perf_counter() - t0
    print(
        f"geocoding       {n / dt:.0f} toponyms/s; {len(articles) / dt:.1f} articles/s "
        f"({n} toponyms in {len(articles)} articles, {dt:.1f} s, no NER)"
    )
    t0 = time.perf_counter()
    names = ["Kirkuk", "Springfield", "Laurel County", "Idlib Governorate", "Nowhereville"] * 200
    for i, name in enumerate(names):
        gaz.lookup(f"{name}{(i % 2 and ' ') or ''}")
    print(f"lookup          {len(names) / (time.perf_counter() - t0):.0f} look-ups/s (with cache)")
    print(f"memory          peak RSS {_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
