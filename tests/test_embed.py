"""The bundled MiniLM model: shapes, normalisation, and input it must survive."""

from __future__ import annotations

import numpy as np

from newsweave.embed import DIMENSIONS, embed_texts


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
