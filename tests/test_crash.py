"""Crash safety: an ingest killed with SIGKILL leaves a consistent store, and a re-run completes it."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "newsweave.cli"]
TOWNS = ["Alderford", "Brackwater", "Castlemere", "Dunholt", "Eastwick", "Farrowby"]


def write_corpus(path: Path, n: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            town = rng.choice(TOWNS)
            text = (
                f"Report {i}: a storm damaged {rng.randint(2, 90)} houses in {town} on Monday. "
                f"Officials said {rng.randint(1, 9)} people were injured and roads were closed."
            )
            f.write(json.dumps({"id": f"r{i}", "text": text, "published": "2025-02-03"}) + "\n")


def check_consistent(db: Path) -> int:
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every stored article is whole: it has its sentences, and its full-text row
    orphans = con.execute(
        "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.article_id = a.id)"
    ).fetchone()[0]
    assert orphans == 0
    n = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert con.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == n
    ext = con.execute("SELECT COUNT(DISTINCT external_id) FROM articles").fetchone()[0]
    assert ext == n  # no article stored twice
    con.close()
    return int(n)


def kill_and_resume(tmp_path: Path, n: int, kills: int, seed: int) -> None:
    src = tmp_path / "in.jsonl"
    write_corpus(src, n)
    db = tmp_path / "crash.db"
    env = {**os.environ, "NEWSWEAVE_BATCH_SIZE": "20"}
    rng = random.Random(seed)
    for _ in range(kills):
        proc = subprocess.Popen(
            [*CLI, "--db", str(db), "--quiet", "ingest", str(src)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.5, 6.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        if db.exists():
            check_consistent(db)
    done = subprocess.run(
        [*CLI, "--db", str(db), "--json", "ingest", str(src)], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert check_consistent(db) == n
    export = subprocess.run([*CLI, "--db", str(db), "export"], capture_output=True, text=True, timeout=600)
    data = json.loads(export.stdout)
    assert sorted(a["external_id"] for a in data["articles"]) == sorted(f"r{i}" for i in range(n))
    assert sum(len(s["article_ids"]) for s in data["stories"]) == n  # every article analysed, in one story


def test_crash_sigkill_mid_ingest_then_rerun_completes(tmp_path: Path) -> None:
    kill_and_resume(tmp_path, n=120, kills=2, seed=1)


@pytest.mark.slow
def test_crash_many_sigkills_at_random_points(tmp_path: Path) -> None:
    kill_and_resume(tmp_path, n=400, kills=8, seed=2)
