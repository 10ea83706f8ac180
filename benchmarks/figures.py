"""Figure extraction throughput on Reuters-21578: articles/s and words/s for ``find_figures``.

    python benchmarks/figures.py [--n 2000] [--data PATH]

Texts are normalised and segmented before timing; only ``find_figures`` is timed (pure rules, one core).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from corpus import REUTERS as DEFAULT_DATA
from corpus import load_articles

from newsweave.extract.figures import find_figures


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
