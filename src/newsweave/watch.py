"""Watch feeds, URLs and folders: poll them on a schedule and ingest only what is new.

- Folders and files: a file is read again only when its size or modification time changed.
- URLs and feeds: conditional GET (ETag / Last-Modified); an unchanged feed costs one 304.
- A failing source backs off (the interval doubles per consecutive failure, up to ``MAX_BACKOFF``),
  is reported each time, and never stops the others.
The state (seen files, validators, failures) lives in the store, so a restarted watcher goes on
where it stopped. Articles already stored are recognised by their content-derived ids anyway.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsweave.ingest import read_inputs
from newsweave.ingest.files import kind_of
from newsweave.ingest.metadata import Options
from newsweave.ingest.url import Validators, read_url_if_changed
from newsweave.model import ArticleInput, Rejected
from newsweave.pipeline import analyse, store_inputs
from newsweave.settings import Settings
from newsweave.store import Store

STATE_KEY = "watch"
MAX_BACKOFF = 6 * 3600.0
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def parse_interval(text: str) -> float:
    """'10m' -> 600.0 seconds; accepts s, m, h, d (plain numbers are seconds)."""
    match = _DURATION.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"interval {text!r} is not a positive duration such as 30s, 10m, 1h")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


@dataclass(slots=True)
class RoundReport:
    """What one polling round did."""

    checked: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    backing_off: list[str] = field(default_factory=list)
    added: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def _load(store: Store) -> dict[str, Any]:
    raw = store.get_state(STATE_KEY)
    state: dict[str, Any] = json.loads(raw) if raw else {}
    state.setdefault("files", {})
    state.setdefault("urls", {})
    return state


def _save(store: Store, state: dict[str, Any]) -> None:
    with store.transaction():
        store.set_state(STATE_KEY, json.dumps(state, sort_keys=True).encode())


def _changed_files(target: Path, seen: dict[str, list[int]]) -> list[str]:
    files = [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file())
    changed = []
    for path in files:
        if any(part.startswith(".") for part in path.parts[len(target.parts) :]) or kind_of(path) is None:
            continue
        st = path.stat()
        stamp = [st.st_size, st.st_mtime_ns]
        if seen.get(str(path)) != stamp:
            seen[str(path)] = stamp
            changed.append(str(path))
    return changed


def poll_once(store: Store, inputs: Sequence[str], settings: Settings, *, now: float | None = None) -> RoundReport:
    """One round over every input: ingest what is new, then bring the analysis up to date."""
    now = time.time() if now is None else now
    state = _load(store)
    report = RoundReport()
    items: list[ArticleInput | Rejected] = []
    options = Options(max_bytes=settings.max_bytes, allow_private_urls=settings.allow_private_urls)
    for item in inputs:
        if _URL.match(item):
            info = state["urls"].setdefault(item, {"failures": 0, "next": 0.0})
            if now < info["next"]:
                report.backing_off.append(item)
                continue
            report.checked.append(item)
            validators = Validators(info.get("etag"), info.get("last_modified"))
            got, new_validators = read_url_if_changed(item, options, validators)
            if new_validators is None:  # failed: back off, report, go on with the others
                info["failures"] += 1
                info["next"] = now + min(MAX_BACKOFF, 2 ** info["failures"] * 60.0)
            else:
                info.update(failures=0, next=0.0, etag=new_validators.etag, last_modified=new_validators.last_modified)
                if not got:
                    report.unchanged.append(item)
            items.extend(got)
        else:
            path = Path(item)
            report.checked.append(item)
            if not path.exists():
                items.append(Rejected(item, "ingest", "no such file or folder"))
                continue
            changed = _changed_files(path, state["files"])
            if not changed:
                report.unchanged.append(item)
                continue
            items.extend(read_inputs(changed, max_bytes=settings.max_bytes))
    stored = store_inputs(store, items, batch_size=settings.batch_size)
    report.added = len(stored.added)
    report.rejected = stored.rejected
    if stored.added:
        analyse(store)
    _save(store, state)
    return report


def watch(
    store: Store,
    inputs: Sequence[str],
    settings: Settings,
    *,
    every: float,
    rounds: int | None = None,
    on_round: Callable[[int, RoundReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Poll ``inputs`` every ``every`` seconds, ``rounds`` times (None: until interrupted)."""
    done = 0
    while rounds is None or done < rounds:
        started = time.time()
        report = poll_once(store, inputs, settings, now=started)
        done += 1
        if on_round:
            on_round(done, report)
        if rounds is not None and done >= rounds:
            break
        sleep(max(0.0, every - (time.time() - started)))
    return done
