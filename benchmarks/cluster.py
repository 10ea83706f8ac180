"""Benchmark story clustering: throughput on a real corpus and assignment latency on a large store.

    python benchmarks/cluster.py [--corpus FILE.jsonl[.gz]] [--limit N] [--random-vectors]
                                 [--stories 100000] [--queries 300] [--skip-throughput] [--skip-latency]

1. **Throughput** (default corpus Reuters-21578): dedupe + clustering in batches of 256 articles, as
   the pipeline runs them. MiniLM embedding time is measured and reported separately;
   ``--random-vectors`` puts random unit vectors in its place, to time clustering alone on a whole corpus.
2. **Latency**: a store of ``--stories`` synthetic stories (invented words, random unit embeddings,
   dates spread over ten years), then ``--queries`` single-article ``assign`` calls timed one by one;
   p50/p99 in ms with embedding excluded (a stand-in embedder is used, as the model is not what is
   measured). Also prints the build time and the persisted size of that store.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from corpus import to_article

from newsweave.cluster import StoryClusterer
from newsweave.dedupe import DedupeIndex
from newsweave.embed import DIMENSIONS, embed_texts
from newsweave.model import Article
from newsweave.text import segment

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "data" / "reuters21578.jsonl.gz"


class TimedEmbedder:
    """Wraps an embedder (MiniLM, or random vectors) and adds up the time spent in it."""

    def __init__(self, embed: Callable[[Sequence[str]], npt.NDArray[np.float32]]) -> None:
        self.embed = embed
        self.seconds = 0.0
        self.texts = 0

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        started = time.perf_counter()
        vectors = self.embed(texts)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors


def random_embed(texts: Sequence[str], batch_size: int = 64) -> npt.NDArray[np.float32]:
    """A stand-in for MiniLM: a random unit vector seeded by the text."""
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")
        rng = np.random.default_rng(seed)
        vector = rng.standard_normal(DIMENSIONS).astype(np.float32)
        out[row] = vector / np.linalg.norm(vector)
    return out


def throughput(path: Path, limit: int, random_vectors: bool = False) -> None:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    rows = rows[:limit] if limit else rows
    articles = [to_article(row, n + 1) for n, row in enumerate(rows)]
    by_id = {a.id: a for a in articles}
    embedder = TimedEmbedder(random_embed if random_vectors else embed_texts)
    dedupe, clusterer = DedupeIndex(), StoryClusterer()
    started = time.perf_counter()
    dedupe_s = 0.0
    for at in range(0, len(articles), 256):
        batch = articles[at : at + 256]
        t = time.perf_counter()
        found = dedupe.add_many(batch, by_id.__getitem__)
        dedupe_s += time.perf_counter() - t
        clusterer.assign(batch, {}, found, embed=embedder)
    total = time.perf_counter() - started
    work = total - embedder.seconds
    print(f"corpus          {path.name}: {len(articles)} articles, {len(clusterer)} stories")
    print(
        f"dedupe+cluster  {len(articles) / work:.0f} articles/s without embedding "
        f"({work:.1f} s: dedupe {dedupe_s:.1f} s, clustering {work - dedupe_s:.1f} s)"
    )
    print(
        f"embedding       {embedder.texts / max(embedder.seconds, 1e-9):.1f} leads/s ({embedder.seconds:.1f} s, "
        f"{'random vectors' if random_vectors else 'MiniLM on CPU'}); end to end {len(articles) / total:.1f} articles/s"
    )


def synthetic(n: int, rng: np.random.Generator, vocabulary: list[str], prefix: str) -> list[Article]:
    articles = []
    for k in range(n):
        words = rng.choice(vocabulary, size=24)
        day = 738000 + int(rng.integers(0, 3650))
        text = (
            f"Officials in {words[0].title()} {words[1].title()} said {' '.join(words[2:12])}. "
            f"Witnesses near {words[12].title()} reported {' '.join(words[13:])}."
        )
        paragraphs, sentences = segment(text)
        articles.append(
            Article(
                id=f"{prefix}{k}",
                content_hash="",
                text=text,
                origin="synthetic",
                seq=k,
                ingested_at="",
                published=_iso(day),
                paragraphs=tuple(paragraphs),
                sentences=tuple(sentences),
            )
        )
    return articles


def _iso(ordinal: int) -> str:
    from datetime import date

    return date.fromordinal(ordinal).isoformat()


def latency(stories: int, queries: int) -> None:
    rng = np.random.default_rng(1)
    syllables = ["ka", "lo", "mi", "ter", "van", "su", "ran", "dor", "pel", "qui", "zo", "bex", "ul", "nor"]
    vocabulary = sorted({"".join(rng.choice(syllables, size=3)) for _ in range(20000)})
    clusterer = StoryClusterer()
    started = time.perf_counter()
    store = synthetic(stories, rng, vocabulary, "s")
    for at in range(0, len(store), 2000):
        clusterer.assign(store[at : at + 2000], {}, embed=random_embed)  # embedding excluded
    built = time.perf_counter() - started
    data = clusterer.to_bytes()
    started = time.perf_counter()
    clusterer = StoryClusterer.from_bytes(data)
    loaded = time.perf_counter() - started
    timings = []
    for article in synthetic(queries, rng, vocabulary, "q"):
        t = time.perf_counter()
        clusterer.assign([article], {}, embed=random_embed)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    p50, p99 = timings[len(timings) // 2], timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"store           {len(clusterer)} stories built in {built:.0f} s; persisted {len(data) / 1e6:.0f} MB, "
        f"loads in {loaded:.1f} s; peak RSS {peak:.0f} MB"
    )
    print(f"assign latency  p50 {p50:.2f} ms, p99 {p99:.2f} ms over {queries} single articles (embedding excluded)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=5000, help="articles of the corpus (0: all)")
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument(
        "--random-vectors", action="store_true", help="random unit vectors instead of MiniLM (clustering cost alone)"
    )
    args = parser.parse_args()
    if not args.skip_throughput:
        throughput(args.corpus, args.limit, args.random_vectors)
    if not args.skip_latency:
        latency(args.stories, args.queries)


if __name__ == "__main__":
    main()
