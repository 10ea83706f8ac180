"""Quality gate: score newsweave on pinned corpora and fail when a score drops below its floor.

    python quality/gate.py [--cli .venv/bin/newsweave] [--shared ../shared] [--only NAME]

Floors live in quality/floors.json. The gate drives newsweave only through the scorers in
../shared (acceptance/score.py and benchmarks/score_corpus.py), the way CI and outside checks do.
When ../shared is absent (a user's clone) it says so and skips; it never passes silently.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def compare(scores: dict[str, float], floors: dict[str, float]) -> list[str]:
    """Failures: every floored metric that is missing or below its floor."""
    failures = []
    for metric, floor in sorted(floors.items()):
        got = scores.get(metric)
        if got is None:
            failures.append(f"{metric}: missing (floor {floor})")
        elif got + 1e-9 < floor:
            failures.append(f"{metric}: {got:.3f} < floor {floor}")
    return failures


def run_scorer(cmd: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scores.json"
        proc = subprocess.run([*cmd, "--json", str(out)], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if not out.exists():
            sys.stdout.write(proc.stderr[-2000:])
            return {}
        data: dict[str, Any] = json.loads(out.read_text())
        return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", default=str(HERE.parent / ".venv" / "bin" / "newsweave"))
    ap.add_argument("--shared", default=str(HERE.parent.parent / "shared"))
    ap.add_argument("--only", help="run only this acceptance corpus or benchmark corpus")
    a = ap.parse_args()
    if Path(a.cli).exists():  # the scorers run newsweave from a temporary folder: give them an absolute path
        a.cli = str(Path(a.cli).resolve())
    shared = Path(a.shared)
    floors = json.loads((HERE / "floors.json").read_text())
    if not (shared / "acceptance" / "score.py").exists():
        print(f"quality gate SKIPPED: no scorers at {shared} (they live in the team's shared/ folder)")
        return 0
    failures: list[str] = []
    for corpus, corpus_floors in floors.get("acceptance", {}).items():
        if a.only and a.only != corpus:
            continue
        print(f"== acceptance {corpus}", flush=True)
        res = run_scorer(
            [
                sys.executable,
                str(shared / "acceptance" / "score.py"),
                str(shared / "acceptance" / corpus),
                "--cli",
                a.cli,
            ]
        )
        failures += [f"{corpus} {f}" for f in compare(res.get("checks", {}), corpus_floors)]
    for corpus, spec in floors.get("corpora", {}).items():
        if a.only and a.only != corpus:
            continue
        print(f"== corpus {corpus} (limit {spec.get('limit', 0)})", flush=True)
        cmd = [
            sys.executable,
            str(shared / "benchmarks" / "score_corpus.py"),
            str(shared / "benchmarks" / "data" / spec["file"]),
            "--cli",
            a.cli,
        ]
        if spec.get("limit"):
            cmd += ["--limit", str(spec["limit"])]
        res = run_scorer(cmd)
        failures += [f"{corpus} {f}" for f in compare(res, spec["floors"])]
    if failures:
        print("quality gate FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("quality gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
