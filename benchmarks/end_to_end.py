"""End-to-end throughput: the real CLI on a corpus, plain ingest vs Dask batch, SQLite or PostgreSQL.

    .venv/bin/python benchmarks/end_to_end.py [CORPUS] [--limit N ...] [--mode plain|dask] [--workers N]
                                              [--db postgresql://...]

Prints articles/s, peak RSS of the newsweave process tree (Dask workers included), the machine's mean
1-minute load average during the run (above the cores in use means the figures are slowed by other
work), and seconds per stage (from `ingest --json`),
for each --limit given (e.g. `--limit 1000 --limit 4000`), so super-linear stages show up.
Default corpus: ../shared/benchmarks/data/reuters21578.jsonl.gz (19,043 articles).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "data" / "reuters21578.jsonl.gz"
CLI = str(Path(sys.executable).with_name("newsweave"))


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB.

    Dask's worker processes are started from a thread of the newsweave process, so they must be found
    by parent id (psutil), not in the main thread's ``children`` list.
    """
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def run(cmd: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float, float]:
    """Run ``cmd``; return it, its wall time, its peak tree RSS, and the mean 1-minute load meanwhile."""
    peak = 0.0
    loads: list[float] = []
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, tree_rss_mb(proc.pid))
            loads.append(os.getloadavg()[0])
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    load = sum(loads) / len(loads) if loads else os.getloadavg()[0]
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), time.perf_counter() - started, peak, load


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, action="append", help="articles (repeat for a growth curve)")
    ap.add_argument("--mode", choices=["plain", "dask"], default="plain")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", help="a postgresql:// URL (default: a fresh SQLite file per run)")
    a = ap.parse_args()
    if a.db and len(a.limit or []) > 1:
        ap.error("with --db (an existing PostgreSQL database) give one --limit per run: runs would share the store")
    opener = gzip.open if a.corpus.endswith(".gz") else open
    with opener(a.corpus, "rt", encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    for limit in a.limit or [len(lines)]:
        tmp = Path(tempfile.mkdtemp(prefix="nw-e2e-"))
        src = tmp / "in.jsonl"
        src.write_text("".join(lines[:limit]), encoding="utf-8")
        db = a.db or str(tmp / "store.db")
        if a.mode == "plain":
            cmd = [CLI, "--db", db, "--json", "ingest", str(src)]
        else:
            cmd = [CLI, "--db", db, "--json", "batch", str(src), "--workers", str(a.workers)]
        proc, elapsed, peak, load = run(cmd)
        n = min(limit, len(lines))
        label = f"{a.mode}" + (f" x{a.workers}" if a.mode == "dask" else "") + (" postgres" if a.db else " sqlite")
        if proc.returncode not in (0, 1):
            print(f"{label} {n}: failed ({proc.returncode}): {proc.stderr[-500:]}")
            continue
        summary = json.loads(proc.stdout)
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in summary.get("seconds", {}).items())
        print(
            f"{label:<18} {n:>6} articles  {elapsed:7.1f} s  {n / elapsed:6.1f} articles/s  "
            f"peak RSS {peak:6.0f} MB  load {load:4.1f}  [{stages}]"
        )
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
