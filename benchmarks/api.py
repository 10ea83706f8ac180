"""HTTP API latency under a fixed load: p50/p99 of story list, dossier and search on loopback.

    .venv/bin/python benchmarks/api.py [--db STORE] [--corpus CORPUS.jsonl.gz] [--limit N]
                                       [--rate 50] [--duration 20] [--after-write]

Builds the store first when ``--db`` does not exist yet (ingest + full analysis of the corpus, default
../shared/benchmarks/data/gva-dev.jsonl.gz; ``--limit`` keeps the first N articles), then starts
``newsweave.api.serve`` in a separate process on 127.0.0.1 (a free port) and sends an open-loop load:
``rate`` requests per second for ``duration`` seconds, the three kinds in turn, each request sent on
schedule whatever the previous ones do (latency counts from the scheduled time, so a stalled server
shows up). Bounded: rate x duration requests in all, loopback only.

Phases: "cold" (every dossier and search requested for the first time, caches empty) and "warm"
(the same kinds again, spread over the same stories and queries). With ``--after-write`` the server runs
on a temporary copy of the store, with a token, and a third phase "write" follows: one new article is
ingested through ``POST /api/ingest`` (full analysis; the time it takes is printed, not counted), then
the same load again, so the first reads after a write are measured; the new article must be readable
at once (checked).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "data" / "gva-dev.jsonl.gz"
# Generic news words (not taken from any corpus) for the search and filter requests.
TOKEN = "bench-api-token"
# An invented report for the write phase (names and numbers made up).
NEW_ARTICLE = {
    "title": "Two killed, three injured in shooting near Ellery Park, police say",
    "source": "Benchmark Herald",
    "published": "2031-05-17",
    "text": (
        "Two people were killed and three others injured in a shooting near Ellery Park in Maple Falls on "
        "Saturday night, police said.\n\nOfficers were called to the park shortly after 10 p.m., police "
        "spokesman Tom Rudd said. The injured were taken to Maple Falls General Hospital. A suspect was "
        "arrested on Sunday morning, the police department said in a statement."
    ),
}
QUERIES = ["killed", "police", "shooting", "injured", "attack", "officers", "hospital", "suspect", "fire", "city"]


def build_store(db: Path, corpus: Path, limit: int) -> None:
    from newsweave.pipeline import ingest
    from newsweave.settings import Settings
    from newsweave.store import open_store

    with tempfile.TemporaryDirectory(prefix="nw-bench-api-") as tmp:
        src = Path(tmp) / "in.jsonl"
        opener = gzip.open if corpus.suffix == ".gz" else open
        with opener(corpus, "rt", encoding="utf-8") as f, src.open("w", encoding="utf-8") as g:
            for i, line in enumerate(f):
                if limit and i >= limit:
                    break
                g.write(line)
        store = open_store(str(db))
        t0 = time.perf_counter()
        report, _ = ingest(store, [str(src)], Settings(db=str(db)))
        print(f"built store     {db}: {len(report.added)} articles in {time.perf_counter() - t0:.0f} s")
        store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, token: str | None = None) -> subprocess.Popen[bytes]:
    code = (
        "from newsweave.api import serve; from newsweave.settings import Settings; "
        f"serve(Settings(db={str(db)!r}, token={token!r}), host='127.0.0.1', port={port}, log_level='warning')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWEAVE_")}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2, trust_env=False).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the API server did not start")


async def run_load(
    base: str, paths: list[tuple[str, str]], rate: float
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """Send ``paths`` (kind, path) at ``rate`` per second; latencies in ms per kind, failures by status, lag."""
    latencies: dict[str, list[float]] = {}
    failures: dict[str, int] = {}  # status code (or exception) -> count
    lag = 0.0
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits, trust_env=False) as client:

        async def one(kind: str, path: str, due: float) -> None:
            try:
                response = await client.get(path)
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            if status != "200":
                failures[status] = failures.get(status, 0) + 1
            latencies.setdefault(kind, []).append((time.perf_counter() - due) * 1000)

        start = time.perf_counter() + 0.1
        tasks = []
        for i, (kind, path) in enumerate(paths):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            lag = max(lag, time.perf_counter() - due)
            tasks.append(asyncio.create_task(one(kind, path, due)))
        await asyncio.gather(*tasks)
    return latencies, failures, lag * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def report(phase: str, latencies: dict[str, list[float]], failures: dict[str, int], lag: float) -> None:
    for kind in ("stories", "dossier", "search"):
        v = latencies.get(kind, [])
        if v:
            print(
                f"{phase:<5} {kind:<8} n={len(v):<5} p50 {statistics.median(v):7.1f} ms   p99 {pct(v, 0.99):7.1f} ms"
                f"   max {max(v):7.1f} ms"
            )
    detail = ", ".join(f"{status}: {n}" for status, n in sorted(failures.items()))
    print(f"{phase:<5} errors {sum(failures.values())}{f' ({detail})' if detail else ''}, client lag max {lag:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "newsweave-bench-api.db"))
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles when building the store")
    ap.add_argument("--rate", type=float, default=50.0, help="requests per second (all kinds together)")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--after-write", action="store_true", help="then ingest one article and measure again")
    a = ap.parse_args()
    db = Path(a.db)
    if not db.exists():
        build_store(db, Path(a.corpus), a.limit)
    tmp = None
    if a.after_write:  # never write into the benchmark store itself
        tmp = tempfile.TemporaryDirectory(prefix="nw-bench-api-")
        copy = Path(tmp.name) / db.name
        with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)  # the WAL's content too
        db = copy
    port = free_port()
    proc = start_server(db, port, TOKEN if a.after_write else None)
    base = f"http://127.0.0.1:{port}"
    try:
        stories = httpx.get(f"{base}/api/stories?limit=500", trust_env=False, timeout=120).json()
        ids = [s["id"] for s in stories["items"]]
        counts = httpx.get(f"{base}/api/health", trust_env=False).json()["counts"]
        print(f"store           {db}: {counts['articles']} articles, {counts['stories']} stories")
        if not ids:
            raise SystemExit("the store has no story")
        rng = random.Random(a.seed)
        n = int(a.rate * a.duration)

        def plan(order: list[str]) -> list[tuple[str, str]]:
            out = []
            for i in range(n):
                kind = ("stories", "dossier", "search")[i % 3]
                if kind == "stories":
                    offset = rng.choice([0, 0, 0, 50, 100])
                    path = f"/api/stories?limit=50&offset={offset}"
                    if rng.random() < 0.3:
                        path += "&q=" + rng.choice(QUERIES)
                elif kind == "dossier":
                    path = f"/api/stories/{order[(i // 3) % len(order)]}"
                else:
                    path = f"/api/search?q={rng.choice(QUERIES)}&limit=20&offset={rng.choice([0, 20])}"
                out.append((kind, path))
            return out

        order = ids[:]
        rng.shuffle(order)
        cold = plan(order)
        report("cold", *asyncio.run(run_load(base, cold, a.rate)))
        warm = plan(order)
        report("warm", *asyncio.run(run_load(base, warm, a.rate)))
        if a.after_write:
            write_phase(base, plan(order), a.rate)
    finally:
        proc.terminate()
        proc.wait(10)
        if tmp is not None:
            tmp.cleanup()


def write_phase(base: str, paths: list[tuple[str, str]], rate: float) -> None:
    """Ingest one new article, check it is readable at once, then the load again."""
    t0 = time.perf_counter()
    response = httpx.post(
        f"{base}/api/ingest",
        json=NEW_ARTICLE,
        headers={"Authorization": f"Bearer {TOKEN}"},
        trust_env=False,
        timeout=600,
    )
    response.raise_for_status()
    added = response.json()["added"]
    print(f"write           1 article ingested and analysed in {time.perf_counter() - t0:.1f} s")
    for aid in added:
        if httpx.get(f"{base}/api/articles/{aid}", trust_env=False, timeout=60).status_code != 200:
            raise SystemExit(f"the article just written ({aid}) is not readable")
    found = httpx.get(f"{base}/api/search?q=Ellery", trust_env=False, timeout=60).json()["items"]
    if added and not any(h["id"] in added for h in found):
        raise SystemExit("the article just written is not found by search")
    report("write", *asyncio.run(run_load(base, paths, rate)))


if __name__ == "__main__":
    main()
