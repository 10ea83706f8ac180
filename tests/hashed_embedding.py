"""A deterministic stand-in for MiniLM in clustering unit tests: hashed bag of words, L2-normalised."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from newsweave.embed import DIMENSIONS


def fake_embed(texts: Sequence[str], batch_size: int = 64) -> npt.NDArray[np.float32]:
    """Similar wording gives similar vectors, like MiniLM."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z]{4,}", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            out[row, int.from_bytes(digest, "little") % DIMENSIONS] += 1.0
        norm = np.linalg.norm(out[row])
        if norm:
            out[row] /= norm
    return out
