"""Is a one-word name the small NER model called a person or an organisation really a place?

spaCy's small model tags many single-word toponyms PERSON, ORG or NORP ("the Dadaab camps",
"the Ashford laboratory", "a town called Lasby", "regions like Java"). The gazetteer knows them. A
one-word name is read as a place when the gazetteer knows it under its main name or an everyday alias
as a country, region, first-level area or a town of some size, the words around it read as a place
(:func:`place_context`; many surnames are also towns: "Jones", "Harris"), and nothing says person:

- not a word the text also writes in lower case ("Mercury poisoning" beside "mercury levels"), nor a
  generic or institution word ("Western", "Congress");
- no title or kinship word before it ("Mr", "President", "her son Jack");
- not the first or last word of a person named in full elsewhere in the article ("Jackson" after
  "Lisa Jackson"; the caller checks this);
- not the subject of a speech verb ("Marshall said").
"""

from __future__ import annotations

import logging
import re
import sqlite3

from newsweave import geo_words as W
from newsweave.gazetteer import ALIAS, DEMONYM, PRIMARY, get_gazetteer, name_key

__all__ = ["gazetteer_place", "person_context", "place_context"]

log = logging.getLogger(__name__)

# A town this size or larger, known by its main name, is a place unless the text says otherwise.
MIN_TOWN_POPULATION = 1000

_AREA_KINDS = frozenset({"country", "admin1", "region", "continent"})

_KIN = frozenset(
    {
        "son",
        "daughter",
        "husband",
        "wife",
        "brother",
        "sister",
        "mother",
        "father",
        "baby",
        "child",
        "nephew",
        "niece",
        "uncle",
        "aunt",
        "grandson",
        "granddaughter",
        "friend",
        "partner",
        "widow",
    }
)

_SPEECH = frozenset(
    {"said", "says", "told", "added", "explained", "noted", "wrote", "asked", "replied", "stated", "argued"}
)


_BEFORE = (W.LOCATIVE - {"of", "over", "above", "below", "left"}) | {"called", "named", "like"}
_PLACE_NOUNS = (
    W.ADMIN_CUES
    | W.CITY_CUES
    | W.AROUND_CUES
    | {"camp", "camps", "laboratory", "lab", "farm", "farms", "station", "airport", "port", "valley", "island"}
    | {"area", "areas", "suburb", "neighborhood", "neighbourhood", "region", "town"}
)
_OF_NOUNS = W.ADMIN_CUES | W.CITY_CUES | {"villages", "towns", "cities", "island", "islands", "area", "suburb"}


def gazetteer_place(name: str, countries: bool = True) -> bool:
    """True when the gazetteer knows ``name`` (one word) as a sizeable place under a main name or alias.

    ``countries=False`` leaves countries out (a NORP "Saudi" is the adjective, not a place).
    """
    if " " in name.strip() or len(name) < 3 or not name[:1].isupper() or name.isupper():
        return False
    key = name_key(name)
    if key in W.GENERIC_WORDS or key in W.STOP_NAMES or key in W.INSTITUTIONS:
        return False
    try:
        hits = get_gazetteer().lookup(name)
    except (sqlite3.Error, OSError, ValueError) as exc:
        log.warning("gazetteer look-up failed for %r: %s", name, exc)
        return False
    if any(q == DEMONYM for _, q in hits):
        return False
    return any(
        q in (PRIMARY, ALIAS)
        and (r.kind in _AREA_KINDS or (r.kind == "city" and r.population >= MIN_TOWN_POPULATION))
        and (countries or r.kind != "country")
        for r, q in hits
    )


def place_context(text: str, start: int, end: int, people_nouns: bool) -> bool:
    """Whether the words around ``text[start:end]`` read it as a place.

    A locative word before it ("in", "near", "a town called"), "<place noun> of" before it ("the
    villages of"), or a place noun after it ("Dadaab camps", "the Ashford laboratory"); with
    ``people_nouns`` also a people noun after it ("a Winona man"), which after a NORP is a demonym.
    """
    after = re.match(r"\s+([a-z]+)", text[end : end + 20])
    nxt = after.group(1) if after else ""
    if nxt in _PLACE_NOUNS or (people_nouns and nxt in W.FOLLOWER_NOUNS):
        return True
    if nxt and not people_nouns:
        return False  # "in Arab culture": a NORP before a common noun is an adjective
    before = re.findall(r"[A-Za-z]+", text[max(0, start - 30) : start])
    prev = before[-1].lower() if before else ""
    return prev in _BEFORE or (prev == "of" and len(before) > 1 and before[-2].lower() in _OF_NOUNS)


def person_context(text: str, start: int, end: int, titles: frozenset[str]) -> bool:
    """Whether the text reads ``text[start:end]`` as a person or a common word, not a place.

    A title or kinship word before it ("Mr", "her son"), a speech verb after it, or the same word
    written in lower case elsewhere in the text.
    """
    word = text[start:end]
    if re.search(r"\b" + re.escape(word.lower()) + r"\b", text):
        return True
    before = re.search(r"([A-Za-z]+)\.?,?\s+$", text[max(0, start - 20) : start])
    if before and (before.group(1).lower() in titles or before.group(1).lower() in _KIN):
        return True
    after = re.match(r"\s*,?\s*([a-z]+)", text[end : end + 20])
    return bool(after and after.group(1) in _SPEECH)
