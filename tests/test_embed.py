"""The bundled MiniLM model: shapes, normalisation, and input it must survive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from newsweave.embed import (
    DIMENSIONS,
    embed_cached,
    embed_texts,
    embedding_key,
    new_vectors,
    vector_from_bytes,
    vector_to_bytes,
)


class DictCache:
    """An in-memory embedding cache (the store's two methods), counting what is read."""

    def __init__(self) -> None:
        self.rows: dict[str, bytes] = {}

    def embeddings(self, keys: Sequence[str]) -> dict[str, bytes]:
        return {k: self.rows[k] for k in keys if k in self.rows}

    def save_embeddings(self, vectors: Mapping[str, bytes]) -> None:
        self.rows.update(vectors)


def test_embed_texts_gives_unit_rows_and_ranks_paraphrases_first() -> None:
    vectors = embed_texts(
        [
            "Rebel fighters entered the city of Marlow on Friday.",
            "On Friday, armed rebels pushed into Marlow.",
            "The central bank left interest rates unchanged.",
        ]
    )
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2


def test_embed_texts_blank_and_foreign_input() -> None:
    vectors = embed_texts(["", "   ", "Поток беженцев вырос в пятницу.", "洪水で数百人が避難した。", "x" * 50_000])
    assert vectors.shape == (5, DIMENSIONS)
    assert not vectors[0].any() and not vectors[1].any()  # blank text is similar to nothing
    np.testing.assert_allclose(np.linalg.norm(vectors[2:], axis=1), 1.0, atol=1e-4)


def test_embed_texts_empty_list() -> None:
    assert embed_texts([]).shape == (0, DIMENSIONS)


def test_cached_vectors_are_read_not_recomputed() -> None:
    cache = DictCache()
    texts = ["Floodwater reached the old bridge on Monday.", "", "Dockers walked out at the port."]
    fresh = new_vectors(texts, cache)
    assert len(fresh) == 2  # the blank text has no vector
    cache.save_embeddings(fresh)
    assert new_vectors(texts, cache) == {}  # nothing left to compute
    # A planted vector proves the cached row is what comes back.
    planted = np.zeros(DIMENSIONS, np.float32)
    planted[7] = 1.0
    cache.rows[embedding_key(texts[0])] = vector_to_bytes(planted)
    out = embed_cached(texts, cache)
    np.testing.assert_array_equal(out[0], planted)
    assert not out[1].any()
    np.testing.assert_allclose(out[2], embed_texts([texts[2]])[0], atol=1e-5)


def test_damaged_cache_row_is_recomputed_not_trusted() -> None:
    cache = DictCache()
    text = "The ferry service resumed after the storm."
    cache.rows[embedding_key(text)] = b"\x00" * 10
    out = embed_cached([text], cache)
    np.testing.assert_allclose(np.linalg.norm(out[0]), 1.0, atol=1e-4)
    assert list(new_vectors([text], cache)) == [embedding_key(text)]


def test_embedding_key_ignores_spacing_only() -> None:
    assert embedding_key("Storm  hits\nthe coast") == embedding_key("Storm hits the coast")
    assert embedding_key("Storm hits the coast") != embedding_key("Storm hit the coast")
    vector = embed_texts(["Storm hits the coast"])[0]
    np.testing.assert_array_equal(vector_from_bytes(vector_to_bytes(vector)), vector)
