"""Exact duplicates, near-duplicates and versions, found incrementally as articles arrive.

For each new article, in order:

1. **exact**: the folded text (case, spacing and punctuation folded, numbers kept whole) was seen
   before; the pair links the new article to the earliest article with that text.
2. **candidates**: MinHash (datasketch, computed in bulk) over word 3-shingles, looked up in an LSH
   index with a low threshold, ranked by estimated Jaccard; at most ``MAX_CANDIDATES`` are verified.
3. **verification** against the earlier text (``lookup``): the exact Jaccard of the shingle sets and
   the share of the earlier article's sentences that reappear in the later one.

   * Jaccard >= ``NEAR_JACCARD``: a **near_duplicate**, or a **version** when both articles name
     the same source (an outlet re-publishing its own story with changes).
   * Otherwise, most of the earlier article's sentences reappear, as they were or lightly reworded
     (see ``count_shared_sentences``), while some change: a **version** (an updated
     rewrite). A version records the sentences ``added`` and ``removed`` verbatim, so a reworded
     sentence ("31 killed" -> "38 killed") shows as one removed and one added.

"Earlier" means published earlier, else ingested earlier (``Article.seq``). Articles shorter than
``MIN_TOKENS`` words take part in exact matching only: short templated texts (market briefs, sports
results) share most of their words without being the same report.

The index holds no article text: it keeps the folded-text digests and the MinHash signatures, and
serialises them to a compact, pickle-free byte string (``to_bytes``/``from_bytes``).
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsweave.model import Article, Duplicate, Relation
from newsweave.text import content_hash_text

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch 2.0's default hashing scheme, recorded with the signatures
SHINGLE = 3
LSH_THRESHOLD = 0.2  # candidate recall only (rewrites share few 3-shingles); every candidate is verified
MIN_ESTIMATE = 0.15  # candidates whose estimated Jaccard is lower are not worth a look-up
NEAR_JACCARD = 0.8
VERSION_SHARE = 0.5  # share of the earlier article's sentences that reappear in a later version
VERSION_MIN_SHARED = 2
SENTENCE_MATCH = 0.6  # weighted word Jaccard at which a reworded sentence still counts as the same one
KEY_WEIGHT = 3.0  # weight of numbers and names in that Jaccard
MIN_TOKENS = 25
MIN_SENTENCE_TOKENS = 4
MAX_CANDIDATES = 10
_FORMAT = b"NWDEDUP1"

# Words, and numbers with their inner separators ("1,200", "5.93", "24/7") kept whole, so that
# folding punctuation never makes "1.5" and "15" the same.
_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|\d+", re.UNICODE)

Lookup = Callable[[str], Article]


def fold_tokens(text: str) -> list[str]:
    """Words of ``text`` with case, spacing and punctuation folded."""
    return _TOKEN.findall(content_hash_text(text).replace("’", "'"))


def exact_key(text: str) -> str:
    """Digest of the folded text: equal for texts identical up to case, spacing and punctuation."""
    return hashlib.blake2b(" ".join(fold_tokens(text)).encode("utf-8"), digest_size=16).hexdigest()


def shingles(tokens: Sequence[str], size: int = SHINGLE) -> set[bytes]:
    """Word ``size``-grams of ``tokens``, as bytes for MinHash."""
    if len(tokens) < size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def jaccard(a: set[bytes], b: set[bytes]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _sentence_keys(article: Article) -> dict[str, str]:
    """Folded sentence -> sentence as written, for sentences long enough to carry reporting."""
    keys: dict[str, str] = {}
    for sentence in article.sentences:
        tokens = fold_tokens(sentence.text)
        if len(tokens) >= MIN_SENTENCE_TOKENS:
            keys.setdefault(" ".join(tokens), sentence.text)
    return keys


def _weighted_words(sentence: str) -> dict[str, float]:
    """Folded words of a sentence; numbers and capitalised words (names) weigh ``KEY_WEIGHT``."""
    weights: dict[str, float] = {}
    for n, token in enumerate(_TOKEN.findall(sentence.replace("’", "'"))):
        key_word = any(c.isdigit() for c in token) or (n > 0 and token[0].isupper())
        folded = token.casefold()
        weights[folded] = max(weights.get(folded, 0.0), KEY_WEIGHT if key_word else 1.0)
    return weights


def _weighted_jaccard(a: dict[str, float], b: dict[str, float]) -> float:
    common = sum(min(w, b[k]) for k, w in a.items() if k in b)
    total = sum(a.values()) + sum(b.values()) - common
    return common / total if total else 0.0


def count_shared_sentences(earlier: Sequence[str], later: Sequence[str]) -> int:
    """How many ``earlier`` sentences reappear in ``later``, verbatim or lightly reworded.

    Reworded means a weighted word Jaccard >= ``SENTENCE_MATCH`` where names and numbers weigh
    more than other words: templated reports (market briefs: same sentence, other company, other
    figures) do not match, rewrites of the same report ("has hit" -> "hitting") do.
    """
    exact = {" ".join(fold_tokens(sentence)) for sentence in later}
    later_words = [_weighted_words(sentence) for sentence in later]
    shared = 0
    for sentence in earlier:
        if " ".join(fold_tokens(sentence)) in exact:
            shared += 1
            continue
        words = _weighted_words(sentence)
        if any(_weighted_jaccard(words, other) >= SENTENCE_MATCH for other in later_words):
            shared += 1
    return shared


def _time_of(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def is_earlier(a: Article, b: Article) -> bool:
    """True when ``a`` came first: published earlier, else (no or equal dates) ingested earlier."""
    ta, tb = _time_of(a.published), _time_of(b.published)
    if ta is not None and tb is not None and ta != tb:
        return ta < tb
    return (a.seq, a.id) < (b.seq, b.id)


def _same_source(a: Article, b: Article) -> bool:
    return bool(a.source and b.source and a.source.strip().casefold() == b.source.strip().casefold())


def compare_articles(first: Article, second: Article) -> Duplicate | None:
    """The duplicate relation between two stored articles (either order), or None."""
    earlier, later = (first, second) if is_earlier(first, second) else (second, first)
    tokens_e, tokens_l = fold_tokens(earlier.text), fold_tokens(later.text)
    if not tokens_e or not tokens_l:
        return None
    if tokens_e == tokens_l:
        return Duplicate(a=earlier.id, b=later.id, relation="exact", similarity=1.0)
    if min(len(tokens_e), len(tokens_l)) < MIN_TOKENS:
        return None
    similarity = jaccard(shingles(tokens_e), shingles(tokens_l))
    sentences_e, sentences_l = _sentence_keys(earlier), _sentence_keys(later)
    shared = count_shared_sentences(list(sentences_e.values()), list(sentences_l.values()))
    added = tuple(text for key, text in sentences_l.items() if key not in sentences_e)
    removed = tuple(text for key, text in sentences_e.items() if key not in sentences_l)
    relation: Relation
    if similarity >= NEAR_JACCARD:
        relation = "version" if _same_source(earlier, later) and (added or removed) else "near_duplicate"
    elif (
        sentences_e
        and shared >= VERSION_MIN_SHARED
        and shared / len(sentences_e) >= VERSION_SHARE
        and (added or removed)
    ):
        relation = "version"
    else:
        return None
    if relation != "version":
        added, removed = (), ()
    return Duplicate(
        a=earlier.id, b=later.id, relation=relation, similarity=round(similarity, 4), added=added, removed=removed
    )


class DedupeIndex:
    """Incremental index of the articles seen so far; persisted by the caller as bytes."""

    __slots__ = ("_exact", "_ids", "_known", "_lsh", "_position", "_rows")

    def __init__(self) -> None:
        self._exact: dict[str, str] = {}  # folded-text digest -> earliest article id
        self._known: set[str] = set()
        self._ids: list[str] = []  # articles with a signature, in insertion order
        self._rows: list[npt.NDArray[np.uint64]] = []  # their MinHash signatures
        self._position: dict[str, int] = {}
        self._lsh: MinHashLSH | None = None

    def __len__(self) -> int:
        return len(self._known)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._known

    # -- persistence ---------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        header = json.dumps(
            {
                "exact": self._exact,
                "known": sorted(self._known),
                "ids": self._ids,
                "num_perm": NUM_PERM,
                "seed": SEED,
                "scheme": SCHEME,
            }
        ).encode("utf-8")
        matrix = np.vstack(self._rows) if self._rows else np.zeros((0, NUM_PERM), dtype=np.uint64)
        matrix = matrix.astype(np.uint32)  # datasketch hash values are < 2**32
        body = struct.pack("<Q", len(header)) + header + matrix.tobytes()
        return _FORMAT + zlib.compress(body, 1)

    @classmethod
    def from_bytes(cls, data: bytes) -> DedupeIndex:
        if not data.startswith(_FORMAT):
            raise ValueError("not a newsweave dedupe index (unknown format)")
        body = zlib.decompress(data[len(_FORMAT) :])
        (size,) = struct.unpack_from("<Q", body)
        header = json.loads(body[8 : 8 + size].decode("utf-8"))
        if (header.get("num_perm"), header.get("seed"), header.get("scheme")) != (NUM_PERM, SEED, SCHEME):
            raise ValueError("dedupe index was built with other MinHash settings; rebuild it")
        index = cls()
        index._exact = {str(k): str(v) for k, v in header["exact"].items()}
        index._known = {str(i) for i in header["known"]}
        index._ids = [str(i) for i in header["ids"]]
        matrix = np.frombuffer(body[8 + size :], dtype=np.uint32).astype(np.uint64)
        index._rows = list(matrix.reshape(len(index._ids), NUM_PERM))
        index._position = {article_id: n for n, article_id in enumerate(index._ids)}
        return index

    # -- adding ----------------------------------------------------------------------------------
    def add(self, article: Article, lookup: Lookup) -> list[Duplicate]:
        """Register ``article``; return its relations to articles added before it."""
        return self.add_many([article], lookup)

    def add_many(self, articles: Sequence[Article], lookup: Lookup) -> list[Duplicate]:
        """Register ``articles`` in order (MinHashes computed in one bulk call); return all relations.

        ``lookup(id)`` returns an article added earlier (from this batch or a previous run).
        """
        batch = {a.id: a for a in articles}

        def find(article_id: str) -> Article:
            return batch[article_id] if article_id in batch else lookup(article_id)

        tokens = [fold_tokens(a.text) for a in articles]
        long_enough = [i for i, t in enumerate(tokens) if len(t) >= MIN_TOKENS]
        signatures = MinHash.bulk([list(shingles(tokens[i])) for i in long_enough], num_perm=NUM_PERM, seed=SEED)
        signature_of = dict(zip(long_enough, signatures, strict=True))
        if signatures and signatures[0].scheme != SCHEME:
            raise RuntimeError(f"datasketch hashes with {signatures[0].scheme!r}, expected {SCHEME!r}")
        found: list[Duplicate] = []
        for i, article in enumerate(articles):
            if article.id in self._known or not tokens[i]:
                continue
            self._known.add(article.id)
            key = hashlib.blake2b(" ".join(tokens[i]).encode("utf-8"), digest_size=16).hexdigest()
            first = self._exact.get(key)
            if first is not None:
                other = find(first)
                a, b = (other, article) if is_earlier(other, article) else (article, other)
                found.append(Duplicate(a=a.id, b=b.id, relation="exact", similarity=1.0))
                if a is article:
                    self._exact[key] = article.id
                continue
            self._exact[key] = article.id
            signature = signature_of.get(i)
            if signature is None:
                continue
            found.extend(self._near(article, signature, find))
            self._insert(article.id, signature)
        return found

    def _near(self, article: Article, signature: MinHash, find: Lookup) -> list[Duplicate]:
        lsh = self._index()
        candidates = [str(c) for c in lsh.query(signature)]
        if not candidates:
            return []
        position, rows = self._position, self._rows
        values = np.asarray(signature.hashvalues, dtype=np.uint64)
        scored = sorted(
            ((float(np.mean(rows[position[c]] == values)), position[c], c) for c in candidates),
            key=lambda item: (-item[0], item[1]),
        )
        relations: list[Duplicate] = []
        best_version: Duplicate | None = None
        for estimate, _, candidate in scored[:MAX_CANDIDATES]:
            if estimate < MIN_ESTIMATE:
                break
            relation = compare_articles(find(candidate), article)
            if relation is None:
                continue
            if relation.relation == "version":
                if best_version is None:  # versions link to the closest earlier text only
                    best_version = relation
                    relations.append(relation)
            else:
                relations.append(relation)
        return relations

    # -- the LSH index ---------------------------------------------------------------------------
    def _index(self) -> MinHashLSH:
        if self._lsh is None:
            self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
            with self._lsh.insertion_session() as session:
                for article_id, row in zip(self._ids, self._rows, strict=True):
                    lean = LeanMinHash(seed=SEED, hashvalues=row, scheme=SCHEME)
                    session.insert(article_id, lean, check_duplication=False)
        return self._lsh

    def _insert(self, article_id: str, signature: MinHash) -> None:
        self._index().insert(article_id, signature, check_duplication=False)
        self._position[article_id] = len(self._ids)
        self._ids.append(article_id)
        self._rows.append(np.asarray(signature.hashvalues, dtype=np.uint64))
