"""Extraction: entities, figures, attribution, claims, dates and events of one article.

``extract_article`` runs the per-article stages in order:

1. NER (spaCy tok2vec + ner only) and rule-based mentions -> ``entities.find_mentions``
2. per-sentence source, stance and hedge -> ``attribution.attribute_sentences``
3. figures -> ``figures.find_figures``, then credited to their sentence's source
4. claims -> ``claims.find_claims``
5. events (PLOVER + ACLED) -> ``events.find_events``

Places stay empty here: geocoding fills them from the GPE/LOC/FAC mentions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from newsweave.model import Article, Extraction, Figure

__all__ = ["METHOD_VERSION", "extract_article", "extract_articles"]

METHOD_VERSION = "extract-5"


def extract_article(article: Article, doc: Any | None = None) -> Extraction:
    """Everything the extraction stage finds in one article (empty for a non-English article).

    ``doc`` is the spaCy Doc of ``article.text`` when the caller ran NER in a batch.
    """
    if not article.analysable or not article.text.strip():
        return Extraction()
    from newsweave.extract.attribution import attribute_sentences
    from newsweave.extract.claims import find_claims, sentence_dates
    from newsweave.extract.entities import find_mentions
    from newsweave.extract.events import find_events
    from newsweave.extract.figures import find_figures

    mentions = find_mentions(article, doc)
    attributions = attribute_sentences(article, mentions)
    figures = credit_figures(find_figures(article), attributions)
    dates = sentence_dates(article)
    claims = find_claims(article, mentions, attributions, dates)
    events = find_events(article, mentions, figures, attributions, dates)
    return Extraction(mentions=tuple(mentions), figures=tuple(figures), claims=tuple(claims), events=tuple(events))


def extract_articles(articles: Iterable[Article], batch_size: int = 32) -> list[Extraction]:
    """``extract_article`` over many articles, running NER in batches (faster than one at a time)."""
    from newsweave.extract.nlp import run_ner

    items = list(articles)
    todo = [a for a in items if a.analysable and a.text.strip()]
    docs = dict(zip((a.id for a in todo), run_ner((a.text for a in todo), batch_size=batch_size), strict=True))
    return [extract_article(a, docs.get(a.id)) if a.id in docs else Extraction() for a in items]


def credit_figures(figures: Sequence[Figure], attributions: Sequence[Any]) -> list[Figure]:
    """Give each figure its sentence's source, stance and hedge (keeping a source the figure already has)."""
    by_index = {a.sentence_index: a for a in attributions}
    out: list[Figure] = []
    for fig in figures:
        att = by_index.get(fig.sentence_index)
        if att is None:
            out.append(fig)
            continue
        out.append(
            dataclasses.replace(
                fig,
                source=fig.source or att.source,
                stance=att.stance if fig.stance == "asserts" else fig.stance,
                hedged=fig.hedged or att.hedged,
            )
        )
    return out
