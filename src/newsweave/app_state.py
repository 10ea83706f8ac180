"""The API's hold on its store: a pool of read connections, one writer, and the cache of read results.

``AppState`` is what every request handler of ``newsweave.api`` and ``newsweave.web`` works through:

- **Connections.** A file database is opened once for writes and a few times for reads (SQLite WAL lets
  readers go on while an ingest runs); each connection is used by one thread at a time.
- **Generations.** The store's generation changes with every write: this app's own, and other
  processes' (a file store's size and time; a server store's revision counter), so a CLI ingest or
  ``newsweave watch`` running next to the server is seen at once.
- **Cache.** Read results are cached per generation, each computed once however many requests want it
  at once (``SharedCache``). The whole-store read models (story index, alias table, counts) are built in
  the background at start-up, again by each write before it answers, and again as soon as another
  process's write is seen (``refresh_every``), so no request pays for them.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar, cast

from newsweave.model import Duplicate, Entity, Story
from newsweave.settings import Settings
from newsweave.store import SQLiteStore, Store, StoredRow, open_store
from newsweave.web import story_index

__all__ = ["REFRESH_SECONDS", "AppState", "CachedReads", "SharedCache"]

log = logging.getLogger(__name__)
T = TypeVar("T")

_CACHE_ENTRIES = 2048  # read results kept (dossiers are ~5-20 kB each)


class _Flight:
    """One computation in progress; the threads that want the same value wait for it."""

    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class SharedCache:
    """Values by key, each tagged with the store generation it was computed at (LRU-bounded).

    A value missing for the current generation is computed once, by the first thread that asks; the
    others asking for the same key and generation meanwhile wait for that result instead of recomputing
    it (so a burst of cold requests pays one rebuild, not one each).
    """

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._flights: dict[tuple[Hashable, Hashable], _Flight] = {}

    def has(self, key: Hashable, gen: Hashable) -> bool:
        """True when the value of ``key`` at ``gen`` is ready."""
        with self._lock:
            hit = self._values.get(key)
            return hit is not None and hit[0] == gen

    def get(self, key: Hashable, gen: Hashable, compute: Callable[[], T], *, also: Hashable = None) -> T:
        """The value of ``key`` at ``gen`` (or at ``also``, when given), computing it at most once."""
        with self._lock:
            hit = self._values.get(key)
            if hit is not None and (hit[0] == gen or (also is not None and hit[0] == also)):
                self._values.move_to_end(key)
                return cast(T, hit[1])
            flight = self._flights.get((key, gen))
            owner = flight is None
            if flight is None:
                flight = self._flights[(key, gen)] = _Flight()
        if not owner:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return cast(T, flight.value)
        try:
            value = compute()
        except BaseException as exc:
            flight.error = exc
            raise
        else:
            flight.value = value
            with self._lock:
                self._values[key] = (gen, value)
                self._values.move_to_end(key)
                while len(self._values) > self._max:
                    self._values.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._flights.pop((key, gen), None)
            flight.done.set()


class CachedReads:
    """The read connection(s), with the whole-store reads (entities, duplicates, stories, article
    metadata) kept until the store changes: the dossier and the article view read them on every call.

    One object over a pool of connections: every call goes to the connection the calling thread holds
    (``AppState.reading``), the memo is shared by all of them.
    """

    def __init__(self, state: AppState) -> None:
        self._state = state
        self._memo = SharedCache(64)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._state.connection(), name)

    def _remember(self, key: str, compute: Callable[[], T]) -> T:
        return self._memo.get(key, self._state.generation(), compute)

    def entities(self) -> list[Entity]:
        return list(self._remember("entities", lambda: self._state.connection().entities()))

    def duplicates(self) -> list[Duplicate]:
        return list(self._remember("duplicates", lambda: self._state.connection().duplicates()))

    def stories(self) -> list[Story]:
        return list(self._remember("stories", lambda: self._state.connection().stories()))

    def canonical_names(self) -> dict[str, str]:
        """``pipeline.canonical_names`` of the store (kept there until the entities change; do not mutate)."""
        from newsweave.pipeline import canonical_names

        return canonical_names(cast(Store, self))

    def article_rows(self, ids: Sequence[str] | None = None) -> list[StoredRow]:
        if ids is not None:  # one story's articles: one indexed query, always current
            return self._state.connection().article_rows(ids)
        rows = self._remember("article_rows", lambda: self._state.connection().article_rows())
        return [dict(r) for r in rows]

    def warm(self) -> None:
        """Load every memoised whole-store read."""
        self.canonical_names()
        self.duplicates()
        self.stories()
        self.article_rows()


# The whole-store read models every kind of request needs: built at start-up and right after each write.
_WARM_KEYS: tuple[tuple[tuple[Any, ...], Callable[[Store], Any]], ...] = (
    (("story_index",), story_index),
    (("counts",), lambda s: s.counts()),
)
REFRESH_SECONDS = 2.0  # how often the server looks for writes by other processes
_READERS = 4  # read connections on a file store: a long read (a cold rebuild, a big search) blocks no other


class AppState:
    """The app's store connections and a cache of read results keyed by the store's generation.

    Reads go through a small pool of connections (SQLite WAL lets them run while an ingest writes);
    writes through one write connection, one at a time. Cached read results are valid for the generation
    of the store they were computed at; each is computed once however many requests want it at once.

    Freshness: a write is visible to every read that starts after the write has answered. While a write
    is running, reads concurrent with it may be answered from the results of the state before it (they
    may be ordered before the write); when it ends, the whole-store read models are rebuilt before the
    write answers, so the first reads after a write do not pay that rebuild.
    """

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        # A request body is never larger than the API's limit nor than what a file may be.
        self.max_request_bytes = min(settings.max_request_bytes, settings.max_bytes)
        self._owns = store is None
        self.writer: Store = store if store is not None else open_store(settings.db)
        shared = store is not None or settings.db == ":memory:"
        self._shared = shared
        self.readers: list[Store] = [self.writer] if shared else [open_store(settings.db) for _ in range(_READERS)]
        self.reader: Store = self.readers[0]
        self._pool: queue.LifoQueue[Store] = queue.LifoQueue()
        for r in self.readers:
            self._pool.put(r)
        self._local = threading.local()
        self.view = cast(Store, CachedReads(self))
        # A file store changes when its files do; a server store (PostgreSQL) says so with its revision.
        self._path = None if shared or not isinstance(self.writer, SQLiteStore) else Path(settings.db)
        self._asks_revision = not shared and self._path is None
        # One connection for reads and writes (":memory:" or a store handed in): one thread at a time.
        self._write_lock = threading.RLock()
        self._writes = 0
        self._active_writes = 0
        self._stable: tuple[Any, ...] | None = None  # the generation reads may use while a write runs
        self._state_lock = threading.Lock()
        self._cache = SharedCache(_CACHE_ENTRIES)
        self._warming: list[threading.Thread] = []
        self._closed = False
        self._stop = threading.Event()
        self._refresher: threading.Thread | None = None

    # -- connections --------------------------------------------------------------------------------

    def connection(self) -> Store:
        """The read connection the calling thread holds (inside ``reading``)."""
        held: Store | None = getattr(self._local, "store", None)
        if held is None:
            raise RuntimeError("store read outside AppState.reading()")
        return held

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A read connection (with whole-store reads cached) for the calling thread alone."""
        if getattr(self._local, "store", None) is not None:  # nested: keep the one held
            yield self.view
            return
        with self._write_lock if self._shared else nullcontext():
            store = self._pool.get()
            self._local.store = store
            try:
                yield self.view
            finally:
                self._local.store = None
                self._pool.put(store)

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The write connection, one writer at a time. Reads meanwhile may use the state before the write;
        afterwards the whole-store read models are rebuilt, and only then does the write answer."""
        with self._state_lock:
            if self._active_writes == 0:
                self._stable = self.generation()
            self._active_writes += 1
        try:
            with self._write_lock:
                try:
                    yield self.writer
                finally:
                    self._writes += 1
        finally:
            gen = self.generation()
            try:
                self.prepare(gen)
            except Exception:  # the next reader rebuilds (and reports) what could not be built here
                log.exception("rebuilding the read cache after a write failed")
            with self._state_lock:
                self._active_writes -= 1
                self._stable = None if self._active_writes == 0 else gen

    # -- generations and the cache --------------------------------------------------------------------

    def generation(self) -> tuple[Any, ...]:
        """Changes whenever the store may have changed (our own writes, or another process's commits)."""
        stamp: list[Any] = [self._writes]
        if self._path is not None:
            for suffix in ("", "-wal"):
                try:
                    st = os.stat(str(self._path) + suffix)
                except FileNotFoundError:
                    stamp.append(None)
                    continue
                stamp += [st.st_mtime_ns, st.st_size]
        elif self._asks_revision:
            held: Store | None = getattr(self._local, "store", None)
            if held is not None:  # inside reading(): ask on the connection this thread holds
                stamp.append(held.revision())
            else:
                with self.reading() as store:
                    stamp.append(store.revision())
        return tuple(stamp)

    def cached(self, key: tuple[Any, ...], compute: Callable[[Store], T]) -> T:
        """``compute(reader)``, reused until the store changes; computed once for concurrent callers."""
        return self._cached(key, compute, self.generation())

    def _cached(self, key: tuple[Any, ...], compute: Callable[[Store], T], gen: tuple[Any, ...]) -> T:
        def run() -> T:
            with self.reading() as store:
                return compute(store)

        return self._cache.get(key, gen, run, also=self._stable)

    def prepare(self, gen: tuple[Any, ...] | None = None) -> None:
        """Build the whole-store read models (alias table, story index, counts) for the store as it is."""
        gen = self.generation() if gen is None else gen
        import newsweave.report.article
        import newsweave.report.dossier  # noqa: F401 -- imported here, not by the first dossier request

        with self.reading() as view:
            warm = getattr(view, "warm", None)
            if callable(warm):
                warm()
        for key, compute in _WARM_KEYS:
            self._cached(key, compute, gen)

    def warm(self) -> threading.Thread:
        """``prepare`` in a background thread (at start-up): requests are served meanwhile, and one that
        needs a model being built waits for that build instead of starting its own."""

        def run() -> None:
            try:
                self.prepare()
            except Exception:  # a failed warm-up only costs the next reader time; say why
                log.exception("warming the read cache failed")

        thread = threading.Thread(target=run, name="newsweave-warm", daemon=True)
        self._warming = [t for t in self._warming if t.is_alive()] + [thread]
        thread.start()
        return thread

    def refresh_every(self, seconds: float) -> threading.Thread:
        """Watch for writes by other processes (a CLI ingest, ``newsweave watch``, another server) and
        rebuild the read models as soon as one is seen, so the next request does not pay for it."""

        def run() -> None:
            seen = self.generation()
            while not self._stop.wait(seconds):
                try:
                    gen = self.generation()
                    if gen != seen and self._active_writes == 0:
                        self.prepare(gen)
                    seen = gen
                except Exception:  # the next reader rebuilds (and reports) what could not be built here
                    log.exception("refreshing the read cache failed")

        thread = threading.Thread(target=run, name="newsweave-refresh", daemon=True)
        self._refresher = thread
        thread.start()
        return thread

    def close(self) -> None:
        self._stop.set()
        if self._refresher is not None:
            self._refresher.join(60)
        for thread in self._warming:
            thread.join(60)
        if self._owns and not self._closed:
            self._closed = True
            for r in self.readers:
                if r is not self.writer:
                    r.close()
            self.writer.close()
