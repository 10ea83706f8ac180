"""Figure extraction throughput on Reuters-21578: articles/s and words/s for ``find_figures``.

    python benchmarks/figures.py [--n 2000] [--data PATH]

Texts are normalised and segmented before timing; only ``find_figures`` is timed (pure rules, one core).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from newsweave.extract.figures import find_figures
from newsweave.model import Article
from newsweave.text import normalise, segment

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "data" / "reuters21578.jsonl.gz"


def load_articles(path: Path, n: int) -> list[Article]:
    """The first ``n`` articles of a JSON Lines corpus (fields id, text, published), segmented."""
    articles: list[Article] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(articles) >= n:
                break
            row = json.loads(line)
            text = normalise(row.get("text") or "")
            paragraphs, sentences = segment(text)
            articles.append(
                Article(
                    id=str(row.get("id", len(articles))),
                    content_hash="",
                    text=text,
                    origin="bench",
                    seq=len(articles) + 1,
                    ingested_at="",
                    published=row.get("published"),
                    paragraphs=tuple(paragraphs),
                    sentences=tuple(sentences),
                )
            )
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of articles (default 2000)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSON Lines corpus (.jsonl.gz)")
    args = parser.parse_args()
    articles = load_articles(args.data, args.n)
    words = sum(len(article.text.split()) for article in articles)
    started = time.perf_counter()
    count = sum(len(find_figures(article)) for article in articles)
    elapsed = time.perf_counter() - started
    print(f"find_figures: {len(articles)} articles, {words} words, {count} figures in {elapsed:.2f} s")
    print(f"throughput: {len(articles) / elapsed:.1f} articles/s, {words / elapsed:.0f} words/s (one core)")


if __name__ == "__main__":
    main()
