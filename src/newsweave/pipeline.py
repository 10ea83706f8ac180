"""The newsweave pipeline: what ``newsweave ingest`` runs, as plain functions over a store.

Stages, in order (each incremental: it processes what is new or stale since its last run, and
idempotent: running it twice changes nothing):

1. ingest     read inputs (``newsweave.ingest``), reject bad ones with a reason, normalise and segment
              the text (``newsweave.text``), store each article once (content-derived id), in batches
2. extract    per article: entity mentions, figures, claims, events (``newsweave.extract``)
3. geo        per article: toponyms resolved against the offline gazetteer (``newsweave.geo``)
4. embed      per article: the MiniLM vector of its lead, kept in the store's embedding cache
5. entities   store-wide: mentions grouped into entities with aliases
6. dedupe     exact copies, near-duplicates and versions, with what changed (``newsweave.dedupe``)
7. cluster    each new article joins a story or starts one, online (``newsweave.cluster``)
8. reconcile  per story whose inputs changed: figure slots, verdicts, contradictions, timeline

Per-article stages record their method version with their output (``stage_runs``), so a change of
method re-runs exactly what it affects. The per-article stages (2-4) are what ``newsweave batch``
runs on Dask workers (``newsweave.distributed``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from newsweave.errors import InputError, StoreError
from newsweave.extract import METHOD_VERSION as extract_method_version
from newsweave.geo import GEO_VERSION as geo_method_version
from newsweave.model import Article, ArticleInput, Entity, IngestReport, Rejected, Story
from newsweave.settings import Settings
from newsweave.store import NewArticle, Store
from newsweave.store.base import EXTRACTION_TOKEN
from newsweave.text import content_hash_text, normalise, segment

if TYPE_CHECKING:
    from newsweave.cluster import StoryClusterer
    from newsweave.dedupe import DedupeIndex
    from newsweave.embed import Embedder

log = logging.getLogger(__name__)

# Method versions: a stage re-runs on every article whose output was made by another version.
EXTRACT_VERSION = extract_method_version
GEO_VERSION = geo_method_version
EMBED_VERSION = "embed-1"  # the cache key holds the model and the text, so a changed lead is recomputed anyway
DEDUPE_VERSION = "dedupe-1"
CLUSTER_VERSION = "cluster-4"
RECONCILE_VERSION = "reconcile-1"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(slots=True)
class AnalysisReport:
    """What one analysis pass did, stage by stage."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def article_id(inp: ArticleInput, text: str) -> str:
    """Content-derived id: the same text under the same caller id and URL is the same article."""
    key = "\x1f".join((inp.external_id or "", inp.url or "", text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def prepare(inp: ArticleInput) -> NewArticle | Rejected:
    """Normalise and segment one input; an input with no text left is rejected with the reason."""
    text = normalise(inp.text)
    if not text.strip():
        return Rejected(inp.origin, "text", "empty article: no text left after cleaning")
    paragraphs, sentences = segment(text)
    if not sentences:
        return Rejected(inp.origin, "text", "empty article: no sentence found")
    title = normalise(inp.title).replace("\n", " ") if inp.title else None
    content_hash = hashlib.sha256(content_hash_text(text).encode("utf-8")).hexdigest()
    return NewArticle(
        id=article_id(inp, text),
        content_hash=content_hash,
        text=text,
        origin=inp.origin,
        title=title or None,
        source=inp.source,
        url=inp.url,
        published=inp.published,
        external_id=inp.external_id,
        language=inp.language,
        paragraphs=paragraphs,
        sentences=sentences,
    )


def store_inputs(
    store: Store,
    items: Iterable[ArticleInput | Rejected],
    *,
    batch_size: int = 200,
    on_item: Callable[[ArticleInput | Rejected], None] | None = None,
) -> IngestReport:
    """Store articles and rejections in batches: each batch commits whole or not at all."""
    report = IngestReport()
    batch: list[ArticleInput | Rejected] = []

    def flush() -> None:
        with store.transaction():
            rejected: list[Rejected] = []
            added: list[str] = []
            dups: list[str] = []
            for item in batch:
                prepared = item if isinstance(item, Rejected) else prepare(item)
                if isinstance(prepared, Rejected):
                    rejected.append(prepared)
                    continue
                stored = store.add_article(prepared)
                (added if stored is not None else dups).append(prepared.id)
            store.add_rejected(rejected)
        report.added.extend(added)
        report.duplicates.extend(dups)
        report.rejected.extend(rejected)
        batch.clear()

    for item in items:
        batch.append(item)
        if on_item is not None:
            on_item(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report


def ingest(
    store: Store,
    inputs: Sequence[str],
    settings: Settings,
    *,
    source: str | None = None,
    published: str | None = None,
    progress: Progress | None = None,
    on_item: Callable[[ArticleInput | Rejected], None] | None = None,
) -> tuple[IngestReport, AnalysisReport]:
    """Read ``inputs``, store what is new, then bring the analysis up to date."""
    from newsweave.ingest import read_inputs

    try:
        items = read_inputs(
            inputs,
            max_bytes=settings.max_bytes,
            source=source,
            published=published,
            allow_private_urls=settings.allow_private_urls,
        )
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    report = store_inputs(store, items, batch_size=settings.batch_size, on_item=on_item)
    return report, analyse(store, progress=progress)


def ingest_records(store: Store, records: Iterable[ArticleInput | Rejected], settings: Settings) -> IngestReport:
    """Store already-read records (the API's POST path) and analyse them."""
    report = store_inputs(store, records, batch_size=settings.batch_size)
    analyse(store)
    return report


# -- analysis -----------------------------------------------------------------------------------------


def analyse(store: Store, *, progress: Progress | None = None, embed: Embedder | None = None) -> AnalysisReport:
    """Run every analysis stage on what is stale. Safe to interrupt: finished batches stay committed.

    ``embed`` computes lead vectors the store does not hold yet (default: MiniLM in this process)."""
    report = AnalysisReport()

    def timed(stage: str, run: Callable[[], int]) -> None:
        started = time.perf_counter()
        report.counts[stage] = run()
        report.seconds[stage] = round(time.perf_counter() - started, 3)

    timed("extract", lambda: _run_extract(store, progress))
    timed("geo", lambda: _run_geo(store, progress))
    timed("embed", lambda: _run_embed(store, progress))
    if report.counts["extract"] or store.get_state("entities") is None:
        timed("entities", lambda: _run_entities(store))
    timed("dedupe", lambda: _run_dedupe(store, progress))
    timed("cluster", lambda: _run_cluster(store, progress, embed))
    timed("reconcile", lambda: _run_reconcile(store, progress))
    return report


def _batches(ids: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _run_extract(store: Store, progress: Progress | None) -> int:
    stale = store.stale("extract", EXTRACT_VERSION)
    if not stale:
        return 0
    from newsweave.extract import extract_articles

    done = 0
    for chunk in _batches(stale, 50):
        articles = store.get_articles(chunk)
        results = list(zip((a.id for a in articles), extract_articles(articles), strict=True))
        kept = _EXTRACTED.pop(store.path, None)  # taken out: an interrupted run must not leave it half-updated
        saved: dict[str, dict[str, list[Any]]] = {}
        token: bytes | None = None
        with store.transaction():
            if kept is not None and store.get_state(EXTRACTION_TOKEN) != kept[0]:
                kept = None  # another process saved extractions since: read them all again when needed
            for aid, ex in results:
                store.save_extraction(aid, ex)
            store.mark_done("extract", EXTRACT_VERSION, chunk)
            if kept is not None:
                saved = {kind: _read_extracted(store, kind, chunk) for kind in kept[1]}  # as a fresh read decodes
                token = store.get_state(EXTRACTION_TOKEN)
        if kept is not None and token is not None:
            for kind, rows in saved.items():
                for aid in chunk:
                    if aid in rows:
                        kept[1][kind][aid] = rows[aid]
                    else:
                        kept[1][kind].pop(aid, None)
            _EXTRACTED[store.path] = (token, kept[1])
        done += len(chunk)
        if progress:
            progress("extract", done, len(stale))
    return done


def _run_geo(store: Store, progress: Progress | None) -> int:
    stale = store.stale("geo", GEO_VERSION)
    if not stale:
        return 0
    from newsweave.geo import geocode_article

    done = 0
    for chunk in _batches(stale, 100):
        articles = store.get_articles(chunk)
        mentions = store.mentions(chunk)
        results = [(a.id, geocode_article(a, mentions.get(a.id, []))) for a in articles]
        with store.transaction():
            for aid, places in results:
                store.save_places(aid, places)
            store.mark_done("geo", GEO_VERSION, chunk)
        done += len(chunk)
        if progress:
            progress("geo", done, len(stale))
    return done


def _run_embed(store: Store, progress: Progress | None) -> int:
    stale = store.stale("embed", EMBED_VERSION)
    if not stale:
        return 0
    from newsweave.cluster import embed_lead
    from newsweave.embed import new_vectors

    done = 0
    for chunk in _batches(stale, 256):
        vectors = new_vectors([embed_lead(a) for a in store.get_articles(chunk)], store)
        with store.transaction():
            store.save_embeddings(vectors)
            store.mark_done("embed", EMBED_VERSION, chunk)
        done += len(chunk)
        if progress:
            progress("embed", done, len(stale))
    return done


# Every article's decoded mentions, figures and claims (each read when first needed), per store, with the
# store's ``EXTRACTION_TOKEN`` they were read at. A long-running process (the API server, ``watch``) resolves
# entities and reconciles stories after every write from these instead of reading and decoding every mention,
# figure and claim of the store again; ``_run_extract`` updates them with what it saves.
_EXTRACTED: dict[str, tuple[bytes, dict[str, dict[str, list[Any]]]]] = {}


def _read_extracted(store: Store, kind: str, ids: Sequence[str] | None = None) -> dict[str, list[Any]]:
    """Article id -> its mentions, or its (figure id, figure) or (claim id, claim) pairs, in reading order."""
    if kind == "mentions":
        return dict(store.mentions(ids))
    out: dict[str, list[Any]] = {}
    for rid, aid, r in store.figures(ids) if kind == "figures" else store.claims(ids):
        out.setdefault(aid, []).append((rid, r))
    return out


def _extracted(store: Store, kind: str) -> dict[str, list[Any]]:
    """``_read_extracted`` of every article, from this process' copy while the store's extractions are unchanged."""
    token = store.get_state(EXTRACTION_TOKEN)  # read first: what is saved after it only makes the copy stale
    kept = _EXTRACTED.get(store.path)
    if token is None or kept is None or kept[0] != token:
        kept = (token or b"", {})
        if token is not None:
            _EXTRACTED[store.path] = kept
        else:
            _EXTRACTED.pop(store.path, None)
    if kind not in kept[1]:
        kept[1][kind] = _read_extracted(store, kind)
    return kept[1][kind]


# The entity table this process last stored, per store, with the random token and the digest stored with it:
# while the store still holds both, the next table is written as a change of this one (most entities stay as
# they were), not deleted and inserted whole.
_ENTITIES: dict[str, tuple[bytes, bytes, dict[str, Entity]]] = {}
_ENTITIES_TOKEN = "entities-token"
_ENTITY_KEYS: dict[Entity, bytes] = {}  # an entity's part of the "entities" digest, from the last table


def _run_entities(store: Store) -> int:
    global _ENTITY_KEYS
    from newsweave.extract.entity_table import resolve_entities

    table = resolve_entities(_extracted(store, "mentions"))
    digest = hashlib.sha256(EXTRACT_VERSION.encode())
    keys: dict[Entity, bytes] = {}
    for e in table.entities:
        key = _ENTITY_KEYS.get(e)
        if key is None:
            key = json.dumps([e.id, e.name, e.type, e.aliases]).encode()
        keys[e] = key
        digest.update(key)
    _ENTITY_KEYS = keys
    state = digest.hexdigest().encode()
    by_id = {e.id: e for e in table.entities}
    kept = _ENTITIES.pop(store.path, None)  # taken out: an interrupted run must not leave it half-updated
    token = os.urandom(16)
    with store.transaction():
        if kept is not None and (store.get_state(_ENTITIES_TOKEN), store.get_state("entities")) == kept[:2]:
            stored = kept[2]  # what the store holds: this process wrote it, nobody wrote entities since
            changed = [e for e in table.entities if stored.get(e.id) != e]
            store.update_entities(changed, [i for i in stored if i not in by_id])
        else:
            store.replace_entities(table.entities)
        store.set_state("entities", state)  # changes whenever the table does
        store.set_state(_ENTITIES_TOKEN, token)
    _ENTITIES[store.path] = (token, state, by_id)
    _CANONICAL_OF_STATE.clear()
    _CANONICAL_OF_STATE[state] = _canonical_of(table.entities)
    return len(table.entities)


# The dedupe index each store's last analysis in this process left behind, with the digest of what it saved
# (as ``_CLUSTERERS`` below).
_DEDUPERS: dict[str, tuple[bytes, DedupeIndex]] = {}


def _run_dedupe(store: Store, progress: Progress | None) -> int:
    stale = store.stale("dedupe", DEDUPE_VERSION)
    if not stale:
        return 0
    from newsweave.dedupe import DedupeIndex

    state = store.get_state("dedupe")
    kept = _DEDUPERS.pop(store.path, None)  # taken out: an interrupted run must not leave it half-updated
    if state is None or len(stale) >= len(store.article_ids()):
        index = DedupeIndex()
    elif kept is not None and kept[0] == hashlib.blake2b(state, digest_size=16).digest():
        index = kept[1]  # this process wrote the stored index: skip decoding it and building its LSH again
    else:
        index = DedupeIndex.from_bytes(state)
    articles = _in_time_order(store.get_articles(stale))
    dups = index.add_many(articles, store.get_article)
    saved = index.to_bytes()
    with store.transaction():
        store.add_duplicates(dups)
        store.set_state("dedupe", saved)
        store.mark_done("dedupe", DEDUPE_VERSION, stale)
    _DEDUPERS[store.path] = (hashlib.blake2b(saved, digest_size=16).digest(), index)
    if progress:
        progress("dedupe", len(stale), len(stale))
    return len(dups)


def _in_time_order(articles: Sequence[Article]) -> list[Article]:
    """Publication order where known (else ingest order), so 'earlier' means earlier."""
    return sorted(articles, key=lambda a: (a.published or "", a.seq))


# The clusterer each store's last analysis in this process left behind, with the digest of the state it
# saved (the manifest of its segments, see ``StoryClusterer.to_segments``) and the stories it stored. A
# long-running process (the API server, ``watch``) reuses it when the stored state is still that one, instead
# of decoding the whole story index again for every write (about 1 s at 4,000 articles), and stores only the
# segments and stories that changed.
_CLUSTERERS: dict[str, tuple[bytes, StoryClusterer, dict[str, Story]]] = {}


def _run_cluster(store: Store, progress: Progress | None, embed: Embedder | None = None) -> int:
    stale = store.stale("cluster", CLUSTER_VERSION)
    if not stale:
        return 0
    from newsweave.cluster import StoryClusterer

    state = store.get_state("cluster")
    fresh = state is None or len(stale) == len(store.article_ids())
    digest = hashlib.blake2b(state, digest_size=16).digest() if state is not None else b""
    kept = _CLUSTERERS.pop(store.path, None)  # taken out: an interrupted run must not leave it half-updated
    stored: dict[str, Story] | None = None
    if fresh or state is None:
        clusterer = StoryClusterer()
    elif kept is not None and kept[0] == digest:
        clusterer, stored = kept[1], kept[2]  # this process wrote the stored state: skip decoding it again
    else:
        clusterer = _load_clusterer(store, state)
    entity_names = _entity_names(store, stale)
    articles = _in_time_order(store.get_articles(stale))
    stale_set = set(stale)
    dups = [d for d in store.duplicates() if d.b in stale_set]
    from newsweave.embed import embed_cached

    clusterer.assign(articles, entity_names, dups, embed=lambda texts: embed_cached(texts, store, embed))
    manifest, segments = clusterer.to_segments()
    stories = clusterer.stories()
    if stored is not None:  # keep the story records that did not change (fewer new objects to collect later)
        stories = [same if (same := stored.get(s.id)) == s else s for s in stories]
    with store.transaction():
        current = store.get_state("cluster")
        old = set(StoryClusterer.segment_keys(current)) if current and StoryClusterer.is_manifest(current) else set()
        for key, data in segments.items():
            if key not in old:
                store.set_state(key, data)
        for key in sorted(old - segments.keys()):
            store.delete_state(key)
        if stored is not None and current == state:  # the stories stored are those this process stored
            by_id = {s.id: s for s in stories}
            store.update_stories([s for s in stories if stored.get(s.id) != s], [i for i in stored if i not in by_id])
        else:
            store.replace_stories(stories)
        store.set_state("cluster", manifest)
        store.mark_done("cluster", CLUSTER_VERSION, stale)
    saved = hashlib.blake2b(manifest, digest_size=16).digest()
    _CLUSTERERS[store.path] = (saved, clusterer, {s.id: s for s in stories})
    if progress:
        progress("cluster", len(stale), len(stale))
    return len(stale)


def _load_clusterer(store: Store, state: bytes) -> StoryClusterer:
    """The clusterer of a stored state: one ``to_bytes`` blob (as stored before segments) or a manifest."""
    from newsweave.cluster import StoryClusterer

    for _ in range(5):
        if not StoryClusterer.is_manifest(state):
            return StoryClusterer.from_bytes(state)
        segments = {key: store.get_state(key) for key in StoryClusterer.segment_keys(state)}
        found = {key: data for key, data in segments.items() if data is not None}
        if len(found) == len(segments):
            return StoryClusterer.from_segments(state, found)
        # another process stored a newer state between the two reads: read its manifest again
        newer = store.get_state("cluster")
        if newer is None:
            break
        state = newer
    raise StoreError(f"store {store.path!r}: the story index is incomplete (segments missing)")


def _entity_names(store: Store, ids: Sequence[str]) -> dict[str, list[str]]:
    """Canonical entity names per article, for clustering."""
    alias = canonical_names(store)
    out: dict[str, list[str]] = {}
    for aid, mentions in store.mentions(ids).items():
        names = {alias.get(_fold(m.text), m.text) for m in mentions if m.label in _CLUSTER_LABELS}
        out[aid] = sorted(names)
    return out


_CLUSTER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"})


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


_CANONICAL: weakref.WeakKeyDictionary[Any, tuple[bytes | None, dict[str, str]]] = weakref.WeakKeyDictionary()
# The same, by the "entities" state (a digest of the names and aliases of the table) of the table this process
# last resolved: the stages after it need not read back the table it just stored.
_CANONICAL_OF_STATE: dict[bytes, dict[str, str]] = {}


def canonical_names(store: Store) -> dict[str, str]:
    """Every folded surface form seen -> its entity's canonical name (cached until the entities change)."""
    state = store.get_state("entities")
    cached = _CANONICAL.get(store)
    if cached is not None and cached[0] == state:
        return cached[1]
    known = _CANONICAL_OF_STATE.get(state) if state is not None else None
    out = known if known is not None else _canonical_of(store.entities())
    _CANONICAL[store] = (state, out)
    return out


def _canonical_of(entities: Sequence[Entity]) -> dict[str, str]:
    """``canonical_names`` of these entities, taken in the order ``store.entities()`` gives them: by name, then id
    (code point order, as SQLite's BINARY and PostgreSQL's "C" collations sort; names hold no NUL, which
    ``text.normalise`` removes and PostgreSQL would keep as U+FFFD)."""
    out: dict[str, str] = {}
    by_id = sorted(entities, key=attrgetter("id"))
    for e in sorted(by_id, key=attrgetter("name")):  # stable: by name, then id
        for form in (e.name, *e.aliases):
            out.setdefault(_fold(form), e.name)
    return out


def _run_reconcile(store: Store, progress: Progress | None) -> int:
    """Reconcile every story whose articles, or whose sources' canonical names, changed."""
    from newsweave.reconcile import StoryClaim, StoryFigure, reconcile_story

    stories = store.stories()
    alias = canonical_names(store)
    figures_of: dict[str, list[tuple[str, Any]]] = _extracted(store, "figures")
    claims_of: dict[str, list[tuple[str, Any]]] = _extracted(store, "claims")
    redone = 0
    with store.transaction():
        store.drop_story_analysis_except(s.id for s in stories)
    for story in stories:
        ids = sorted(story.article_ids)
        records = [r for a in ids for _, r in (*figures_of.get(a, []), *claims_of.get(a, []))]
        sources = sorted({(r.source, alias.get(_fold(r.source), r.source)) for r in records if r.source})
        signature = hashlib.sha256(json.dumps([RECONCILE_VERSION, EXTRACT_VERSION, ids, sources]).encode()).hexdigest()
        if store.story_signature(story.id) == signature:
            continue
        context = {r["id"]: (r["id"], r["published"], r["seq"], r["source"]) for r in store.article_rows(ids)}
        figures = [
            StoryFigure(fid, *context[aid], _canonical_source(f, alias))
            for aid in ids
            for fid, f in figures_of.get(aid, [])
        ]
        claims = [
            StoryClaim(cid, *context[aid], _canonical_source(c, alias))
            for aid in ids
            for cid, c in claims_of.get(aid, [])
        ]
        events = [(aid, context[aid][1], e) for _, aid, e in store.events(ids)]
        result = reconcile_story(story.id, figures, claims, events)
        extra: dict[str, Any] = {"timeline": [_jsonable(t) for t in result.timeline]}
        with store.transaction():
            store.replace_story_analysis(story.id, signature, result.reconciliations, result.contradictions, extra)
        redone += 1
        if progress:
            progress("reconcile", redone, len(stories))
    return redone


def _canonical_source(record: Any, alias: dict[str, str]) -> Any:
    source = getattr(record, "source", None)
    if not source:
        return record
    return replace(record, source=alias.get(_fold(source), source))


def _jsonable(obj: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return obj
