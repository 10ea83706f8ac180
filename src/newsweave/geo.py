"""Geocoding in context: find the toponyms of an article and resolve them against the offline gazetteer.

Stages of :func:`geocode_article`:

1. **Detect** toponym spans: NER place mentions (GPE, LOC, FAC), demonyms (NORP mentions and known
   demonym words), metonym buildings ("the Pentagon"), and capitalised spans the gazetteer knows, kept
   only with evidence (a locative preposition, a ", State" after it, a place label from NER, the head of
   an institution's name, a strong name such as a country, or the same name accepted elsewhere).
2. **Resolve** each distinct name in context: population prior, kind of place, name quality, the
   article's dominant countries and the story's ``context_countries``, admin areas named in the text
   ("Alexandria, La."), proximity to the other places, and the words around it ("Kandahar province",
   "Basra city", "X countryside"). Two passes: the first picks the countries that dominate, the second
   resolves with them.
3. **Emit** one :class:`~newsweave.model.Place` per span. A place the resolver is unsure about keeps
   its candidates and no pin. Demonyms and metonyms are emitted with ``feature`` "demonym" or
   "metonym": they locate a country or a government, not where an event happened.

One failed span never drops the others.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsweave import geo_words as W
from newsweave.gazetteer import (
    ALIAS,
    ALTERNATE,
    CODE,
    DEMONYM,
    PRIMARY,
    Gazetteer,
    GeoRecord,
    distance_km,
    get_gazetteer,
    name_key,
)
from newsweave.model import Article, Mention, Place, Precision

__all__ = ["GEO_VERSION", "event_places", "geocode_article", "is_event_place", "places_geojson"]

log = logging.getLogger(__name__)

GEO_VERSION = "geo-4"

# Below this confidence a place keeps its candidates and gets no pin.
PIN_MIN_CONFIDENCE = 0.15

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"})


_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or|/|&)\s*$")
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|(?:St|Ste|Mt|Ft|Pt)\.|[^\W\d_][\w'’]*")
_WORD = re.compile(r"[\w'’.]+")

_KIND_PRECISION: dict[str, Precision] = {
    "city": "city",
    "admin2": "admin",
    "admin1": "admin",
    "country": "country",
    "continent": "region",
    "region": "region",
}


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    text: str
    label: str | None = None  # NER label covering the span, if any
    kind: str = "place"  # place, demonym, metonym
    lookup: str = ""  # the name to look up (a metonym building's city)
    within: tuple[str, str] | None = None  # (country, admin1 code) from ", State" after it
    within_country: str | None = None
    cues: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Choice:
    record: GeoRecord | None
    confidence: float
    candidates: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------
# detection


def _strip_possessive(text: str, start: int, end: int) -> int:
    if text[start:end].endswith(("'s", "’s")):
        return end - 2
    if text[start:end].endswith(("'", "’")):
        return end - 1
    return end


def _is_connector(token: str) -> bool:
    """A lowercase word that may sit inside a place name ("Republic of Congo", "Vau i Dejes")."""
    return token.islower() and (token in W.CONNECTORS or token in W.NAME_PARTICLES)


def _capitalised_runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of capitalised words (with connectors such as "of", hyphens, "al-") as token offsets.

    A run stops before a capitalised function word that follows an abbreviation ("in the U.S. The
    first case"): the period there ends a sentence.
    """
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pending: list[tuple[int, int]] = []  # connectors waiting for a capitalised word
    last_end = -1
    for m in _TOKEN.finditer(text):
        s, e = m.start(), _strip_possessive(text, m.start(), m.end())
        word = text[s:e]
        gap = text[last_end:s] if last_end >= 0 else " "
        adjacent = last_end >= 0 and gap in (" ", "-", "–") and text[last_end - 1 : last_end] not in ("'", "’")
        capital = word[0].isupper()
        prefix = word.lower() in W.ARTICLE_PREFIXES and text[e : e + 1] == "-"
        if adjacent and text[last_end - 1 : last_end] == "." and word.lower() in W.RUN_STARTERS_NOT:
            adjacent = False
        if (capital or prefix) and current and adjacent:
            current.extend(pending)
            current.append((s, e))
        elif (capital or prefix) and word.lower() in W.RUN_STARTERS_NOT:
            if current:  # "A Roselle man", "In Baghdad": a capitalised function word starts no name
                runs.append(current)
            current = []
        elif capital or prefix:
            if current:
                runs.append(current)
            current = [(s, e)]
        elif current and adjacent and _is_connector(word) and not pending:
            pending = [(s, e)]
            last_end = e
            continue
        elif current and adjacent and word.lower() == "the" and len(pending) == 1:  # "Republic of the Congo"
            pending.append((s, e))
            last_end = e
            continue
        else:
            if current:
                runs.append(current)
            current = []
        pending = []
        last_end = e if m.end() == e else -1
    if current:
        runs.append(current)
    return runs


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?\n:"


def _previous_word(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z']+)\W*$", text[max(0, pos - 40) : pos])
    return m.group(1).lower() if m else ""


def _next_words(text: str, pos: int, n: int = 2) -> list[str]:
    return [w.lower().strip(".") for w in _WORD.findall(text[pos : pos + 60])[:n]]


def _mentions_by_offset(mentions: Sequence[Mention]) -> list[Mention]:
    return sorted(mentions, key=lambda m: (m.start, -m.end))


def _covering(mentions: list[Mention], start: int, end: int) -> Mention | None:
    for m in mentions:
        if m.start <= start and end <= m.end:
            return m
        if m.start > start:
            break
    return None


_AFTER_COMMA = re.compile(r",\s*((?:[A-Z][a-z]{0,4}\.){1,2}|[A-Z]{2}\b|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)")
_DC = re.compile(r"\bD\.\s?C\.")
_DATELINE = re.compile(r"(?:,\s*[A-Z][A-Za-z.]{1,12}(?:\s[A-Z][A-Za-z.]{1,12})?)?\s*(?:--|—|–|-|\()")
# A US state abbreviation written on its own ("S.C.", "Mass.", "W. Va."): never "Miss.", "Me.", "In."
_STATE_ABBR_ALONE = re.compile(r"\b(?:[A-Z]\.\s?[A-Z]\.|[A-Z][a-z]{1,4}\.(?:\s?[A-Z][a-z]{0,2}\.)?)")
_AMBIGUOUS_ABBR = frozenset(
    {
        "miss",
        "me",
        "in",
        "or",
        "ok",
        "hi",
        "id",
        "ind",
        "ma",
        "co",
        "de",
        "al",
        "ne",
        "oh",
        "mass",
        "cal",
        "penn",
        "ia",
        "ks",
        "mi",
        "mt",
    }
)


@dataclass(frozen=True, slots=True)
class _After:
    """A state or country named right after ", " (AP convention: "Alexandria, La.")."""

    start: int
    end: int
    admin1: tuple[str, str] | None
    country: str | None
    lookup: str  # the full name to resolve the abbreviation with


def _state_after(text: str, end: int, gaz: Gazetteer) -> _After | None:
    m = _AFTER_COMMA.match(text, end)
    if not m:
        return None
    raw = m.group(1)
    s, e = m.start(1), m.end(1)
    compact = name_key(raw).replace(" ", "")
    if compact == "dc":
        return _After(s, e, ("US", "DC"), "US", "Washington DC")
    abbr = W.US_STATE_ABBR.get(compact)
    if abbr and (raw.endswith(".") or raw.isupper()) and len(compact) <= 5:
        try:
            rec = gaz.admin1("US", abbr)
        except sqlite3.Error as exc:
            log.warning("gazetteer look-up failed for %r: %s", raw, exc)
            rec = None
        return _After(s, e, ("US", abbr), "US", rec.name if rec else raw)
    for candidate in (raw, raw.split()[0]):
        for rec, quality in _safe_lookup(gaz, candidate):
            if quality > ALIAS:
                continue
            e2 = s + len(candidate)
            if rec.kind == "admin1":
                return _After(s, e2, (rec.country, rec.admin1_code), rec.country, candidate)
            if rec.kind == "country":
                return _After(s, e2, None, rec.country, candidate)
        if " " not in raw:
            break
    return None


def _state_abbr_name(surface: str, gaz: Gazetteer, strict: bool) -> str | None:
    """The full name of a US state written as an AP abbreviation ("S.C.", "W. Va."), else None."""
    if "." not in surface:
        return None
    compact = name_key(surface).replace(" ", "")
    code = W.US_STATE_ABBR.get(compact)
    if code is None or len(compact) > 5 or (strict and compact in _AMBIGUOUS_ABBR):
        return None
    try:
        rec = gaz.admin1("US", code)
    except sqlite3.Error as exc:
        log.warning("gazetteer look-up failed for %r: %s", surface, exc)
        return None
    return rec.name if rec else None


def _safe_lookup(gaz: Gazetteer, name: str) -> tuple[tuple[GeoRecord, int], ...]:
    """A look-up that cannot sink the article: a failing name is logged and left unresolved."""
    try:
        return gaz.lookup(name)
    except (sqlite3.Error, ValueError) as exc:
        log.warning("gazetteer look-up failed for %r: %s", name, exc)
        return ()


_POSSESSIVE_NAME = re.compile(
    r"\b([A-Z][a-z]*\.?)(?:\s[A-Z][a-z]+)?['’]s\s[A-Z][a-z]+(?:\s(?:County|Parish|Island|Square|Park))?\b"
)


def _outlet_ranges(text: str, source: str | None) -> list[tuple[int, int]]:
    """Where the article names its own outlet ("Balkan Wire" in a Balkan Wire report)."""
    words = (source or "").split()
    if not words or len(" ".join(words)) < 3 or not any(c.isupper() for c in "".join(words)):
        return []
    out: list[tuple[int, int]] = []
    # the whole name, or its leading words ("Balkan Wire" for "Balkan Wire Syndication")
    for n in range(len(words), min(2, len(words)) - 1, -1):
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in words[:n]) + r"\b"
        out += [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    return out


def _find_spans(article: Article, mentions: Sequence[Mention], gaz: Gazetteer) -> list[_Span]:
    text = article.text
    ordered = _mentions_by_offset(mentions)
    spans: list[_Span] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    # the outlet's own name ("told Balkan Wire") is no place of the story
    taken.extend(_outlet_ranges(text, article.source))

    # metonym buildings
    for key, city in W.METONYM_PLACES.items():
        pattern = r"\b" + r"[\s'’]*".join(re.escape(w) for w in key.split()) + r"\b"
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if text[m.start()].isupper() and free(m.start(), m.end()):
                spans.append(_Span(m.start(), m.end(), m.group(), kind="metonym", lookup=city))
                taken.append((m.start(), m.end()))

    # "Alexandria, La.": the abbreviated state is a toponym of its own
    for m in re.finditer(r"[A-Za-z.](?=,\s*[A-Z])", text):
        after = _state_after(text, m.end(), gaz)
        if after is not None and after.lookup != text[after.start : after.end] and free(after.start, after.end):
            spans.append(_Span(after.start, after.end, text[after.start : after.end], lookup=after.lookup))
            taken.append((after.start, after.end))
    for m in _STATE_ABBR_ALONE.finditer(text):
        full = _state_abbr_name(m.group(), gaz, strict=True)
        if full and free(m.start(), m.end()) and not _sentence_start(text, m.start()):
            spans.append(_Span(m.start(), m.end(), m.group(), lookup=full))
            taken.append((m.start(), m.end()))
    for m in _DC.finditer(text):
        if free(m.start(), m.end()):
            spans.append(_Span(m.start(), m.end(), m.group(), lookup="Washington DC"))
            taken.append((m.start(), m.end()))

    # "Queen Anne's County", "St. Peter's Square": a possessive inside a name the gazetteer knows whole
    for m in _POSSESSIVE_NAME.finditer(text):
        s, e = m.start(), m.end()
        if not free(s, e) or (_sentence_start(text, s) and m.group(1).lower() in W.RUN_STARTERS_NOT):
            continue
        hits = tuple(h for h in _safe_lookup(gaz, m.group()) if h[1] <= ALIAS)
        if hits:
            span = _Span(s, e, m.group())
            if _assess(span, hits, [(s, e)], 0, 1, text, ordered, gaz):
                spans.append(span)
                taken.append((s, e))

    accepted_keys: set[str] = set()
    pending: list[tuple[_Span, bool]] = []  # (span, strong evidence)
    for run in _capitalised_runs(text):
        i = 0
        while i < len(run):
            found = False
            for n in range(min(6, len(run) - i), 0, -1):
                s, e = run[i][0], run[i + n - 1][1]
                first, last = text[s : run[i][1]], text[run[i + n - 1][0] : e]
                if _is_connector(first) or _is_connector(last) or (n == 1 and first.lower() in W.ARTICLE_PREFIXES):
                    continue
                first = first.lower()
                if first == "the" and n > 1:
                    s = run[i + 1][0]
                surface = text[s:e]
                key = name_key(surface)
                if not key or key in W.STOP_NAMES or key in W.GENERIC_WORDS or not free(s, e):
                    continue
                hits = _safe_lookup(gaz, surface)
                if not hits:
                    continue
                span = _Span(s, e, surface)
                strong = _assess(span, hits, run, i, n, text, ordered, gaz)
                if strong is None:
                    continue
                pending.append((span, strong))
                found = True
                i += n
                break
            if not found:
                i += 1
    # one sense per discourse: a name accepted on evidence somewhere is accepted everywhere
    for span, strong in pending:
        if strong:
            accepted_keys.add(name_key(span.text))
    # a name listed with accepted places ("Mosul, Kirkuk and Erbil") is a place too
    ok = [strong or name_key(span.text) in accepted_keys for span, strong in pending]
    for _ in range(3):
        for k in range(len(pending)):
            if ok[k]:
                continue
            for j in (k - 1, k + 1):
                if 0 <= j < len(pending) and ok[j]:
                    a, b = sorted((pending[k][0], pending[j][0]), key=lambda sp: sp.start)
                    if _LIST_GAP.match(text[a.end : b.start]):
                        ok[k] = True
    for (span, _), keep in zip(pending, ok, strict=True):
        if keep:
            spans.append(span)
            taken.append((span.start, span.end))

    # NER place / NORP mentions the gazetteer scan did not cover
    for mention in ordered:
        if mention.label in _PLACE_LABELS or mention.label == "NORP":
            s, e = mention.start, mention.end
            surface = text[s:e]
            if surface.lower().startswith("the "):
                s += 4
                surface = surface[4:]
            e = _strip_possessive(text, s, e)
            surface = text[s:e]
            if not surface.strip() or not free(s, e):
                continue
            if mention.label == "NORP":
                if any(q == DEMONYM for _, q in _safe_lookup(gaz, surface)):
                    spans.append(_Span(s, e, surface, label=mention.label, kind="demonym"))
                    taken.append((s, e))
                continue
            if mention.label == "FAC" and not _safe_lookup(gaz, surface):
                continue
            if name_key(surface) in W.GENERIC_WORDS:
                continue
            spans.append(_Span(s, e, surface, label=mention.label, lookup=_state_abbr_name(surface, gaz, False) or ""))
            taken.append((s, e))

    for span in spans:
        _add_cues(span, text, gaz)
    spans.sort(key=lambda sp: sp.start)
    return spans


def _assess(
    span: _Span,
    hits: Sequence[tuple[GeoRecord, int]],
    run: list[tuple[int, int]],
    i: int,
    n: int,
    text: str,
    mentions: list[Mention],
    gaz: Gazetteer,
) -> bool | None:
    """Evidence that a gazetteer match is a toponym: True strong, False weak (needs company), None no."""
    mention = _covering(mentions, span.start, span.end)
    label = mention.label if mention else None
    span.label = label
    if label in _NOT_PLACE_LABELS:
        return None
    if all(q == DEMONYM for _, q in hits):
        span.kind = "demonym"
        return True
    if label in ("GPE", "LOC"):
        return True
    if label == "FAC" and mention is not None:
        head = mention.start + (4 if text[mention.start : mention.start + 4].lower() == "the " else 0)
        if span.start == head:
            return True
    strong_name = any(q <= ALIAS and r.kind in ("country", "admin1", "continent", "region") for r, q in hits)

    def connector(k: int) -> bool:
        return _is_connector(text[run[k][0] : run[k][1]])

    # not glued to other capitalised words ("Mosul and Kirkuk" yes, "Paris Hilton" no)
    whole_run = (i == 0 or connector(i - 1)) and (i + n == len(run) or connector(i + n))
    prev = _previous_word(text, span.start)
    nxt = _next_words(text, span.end, 1)
    after = _state_after(text, span.end, gaz)
    if (after is not None and after.admin1 is not None) or (
        re.match(r",\s*[A-Z]", text[span.end : span.end + 3]) and strong_name
    ):
        return True
    if _word_before(text, span.start) in W.ADMIN_CUES and any(r.kind in ("admin1", "admin2") for r, _ in hits):
        return True  # "the province Gauteng"
    inner = span.text.split()[1:-1]
    if any(w in W.NAME_PARTICLES for w in inner) and any(q <= ALIAS for _, q in hits):
        return True  # "Vau i Dejes", "Dar es Salaam": a particle name the gazetteer knows whole
    # NER sometimes stretches a person over a country and the words after it ("Sri Lanka - approximately")
    misfit = (
        mention is not None
        and strong_name
        and mention.start == span.start
        and mention.end > span.end
        and not re.search(r"[A-Z]", text[span.end : mention.end])
    )
    if label == "PERSON" and not (prev in W.LOCATIVE and whole_run) and not misfit:
        return False
    if strong_name:
        return True
    if prev in W.LOCATIVE and i == 0 and whole_run:
        return True
    head = i == 0 and n < len(run)
    if head:
        follower = text[run[n][0] : run[n][1]].lower()
        if follower in W.INSTITUTIONS or follower.rstrip("'’s") in W.INSTITUTIONS:
            return True
    if nxt and (nxt[0] in W.ADMIN_CUES or nxt[0] in W.CITY_CUES or nxt[0] in W.AROUND_CUES):
        return True
    if nxt and nxt[0] in W.FOLLOWER_NOUNS and whole_run and text[span.end : span.end + 1] == " ":
        return True
    if _DATELINE.match(text, span.end) and text[span.start : span.end].isupper() and _sentence_start(text, span.start):
        return True
    if re.search(r"(?:^|[\s(])[DRI]-$", text[max(0, span.start - 3) : span.start]):  # "Rep. Smith, D-Raleigh"
        return True
    if text[span.start : span.end].rsplit(None, 1)[-1].lower() in W.TYPED_TAILS and " " in span.text:
        return True
    if (
        head
        and label not in ("PERSON",)
        and any(text[a:b].lower() in W.INSTITUTION_TAILS for a, b in run[i + n :])
        and max((r.population for r, q in hits if q <= ALIAS), default=0) >= 1000
    ):
        return True
    big = max((r.population for r, _ in hits if r.kind == "city"), default=0)
    if label in ("ORG", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT") and whole_run and big >= 100_000:
        return True
    named_big = max((r.population * (1 if q <= ALIAS else 0.3) for r, q in hits if r.kind == "city"), default=0)
    return whole_run and named_big >= 100_000 and label is None and not _sentence_start(text, span.start)


def _word_before(text: str, pos: int) -> str:
    """The word right before ``pos`` when a single space separates them ("province Gauteng"), else ""."""
    m = re.search(r"([a-z]+) $", text[max(0, pos - 30) : pos])
    return m.group(1) if m else ""


def _add_cues(span: _Span, text: str, gaz: Gazetteer) -> None:
    nxt = _next_words(text, span.end, 2)
    prev = _previous_word(text, span.start)
    if _word_before(text, span.start) in W.ADMIN_CUES and _word_before(text, span.start) not in ("county", "parish"):
        span.cues.add("admin")
    follower = re.match(r"\s([A-Z][a-z]+)\b", text[span.end : span.end + 20])
    if follower and follower.group(1).lower() in W.OUTLET_WORDS:
        span.cues.add("outlet")  # "Moscow Times": a newspaper named after the place
    before = text[max(0, span.start - 12) : span.start].lower()
    if nxt:
        if nxt[0] in W.ADMIN_CUES:
            span.cues.add("admin")
        elif nxt[0] in W.CITY_CUES or (nxt[0] == "city" and len(nxt) > 1):
            span.cues.add("city")
        elif nxt[0] in W.AROUND_CUES:
            span.cues.add("around")
    if re.search(r"\b(?:city|town|village) of\s*$", before):
        span.cues.add("city")
    if re.search(r"\b(?:province|governorate|state|region) of\s*$", before):
        span.cues.add("admin")
    if prev in ("county", "parish"):
        span.cues.add("admin2")
    # "Tehran approved", "Tehran quietly approved": a place that speaks or acts is a government
    verb = nxt[1] if len(nxt) > 1 and nxt[0].endswith("ly") else nxt[0] if nxt else ""
    if (
        span.kind == "place"
        and prev not in W.LOCATIVE
        and prev != "of"  # "Residents of Vau i Dejes said": the residents speak
        and verb in W.SPEECH_VERBS
        and verb not in ("is", "was", "has", "have", "had", "will", "would")
    ):
        span.cues.add("speaker")
    after = _state_after(text, span.end, gaz)
    if after is not None:
        span.within, span.within_country = after.admin1, after.country


# ---------------------------------------------------------------------------------------------------
# resolution


def _prior(rec: GeoRecord, quality: int) -> float:
    if rec.kind == "continent":
        base = 9.5
    elif rec.kind == "region":
        base = 8.0
    elif rec.kind == "admin2":
        base = 4.2
    else:
        base = math.log10(rec.population + 10)
        if rec.kind == "country":
            base += 1.2
    if quality in (PRIMARY, ALIAS, CODE):
        base += 1.0
    elif quality == ALTERNATE:
        base -= 0.3
    return base


@dataclass(slots=True)
class _Context:
    countries: dict[str, float] = field(default_factory=dict)  # share of the article's place votes
    story: frozenset[str] = frozenset()
    admin1s: set[tuple[str, str]] = field(default_factory=set)
    admin1_votes: dict[tuple[str, str], float] = field(default_factory=dict)
    local_us: float = 0.0  # weight of US local-news vocabulary ("sheriff", "township", "$")
    anchors: list[tuple[float, float]] = field(default_factory=list)
    support: dict[int, float] = field(default_factory=dict)  # gid -> co-location with other names' candidates


def _score(
    rec: GeoRecord, quality: int, spans: list[_Span], ctx: _Context, same_name: Sequence[tuple[GeoRecord, int]]
) -> float:
    score = _prior(rec, quality)
    cues: set[str] = set().union(*(sp.cues for sp in spans))
    kind_demonym = all(sp.kind == "demonym" for sp in spans)
    if kind_demonym:
        return score + (5.0 if rec.kind == "country" and quality == DEMONYM else -5.0)
    if quality == DEMONYM:
        return score - 8.0
    cc = rec.country
    if cc:
        score += 4.0 * ctx.countries.get(cc, 0.0)
        if cc in ctx.story:
            score += 2.0
    area_name = any(o.kind in ("country", "admin1") and q <= ALIAS for o, q in same_name)
    if area_name and rec.kind in ("city", "admin2"):
        pass  # "Oregon, Illinois and Ohio": states, not the town of Oregon, Illinois
    elif rec.kind in ("city", "admin2") and (cc, rec.admin1_code) in ctx.admin1s:
        score += 3.0
    elif rec.kind in ("city", "admin2"):
        score += 2.5 * ctx.admin1_votes.get((cc, rec.admin1_code), 0.0)
    within = [sp.within for sp in spans if sp.within]
    within_cc = [sp.within_country for sp in spans if sp.within_country]
    # "Mexico, China, Japan" is a list, not China in Japan: a name that is itself a country or state
    # ignores the ", State" after it
    if (
        (within or within_cc)
        and any(o.kind in ("country", "admin1") and q <= ALIAS for o, q in same_name)
        and not any(
            o.kind == "city"
            and q <= ALIAS
            and o.population >= 50_000
            and ((o.country, o.admin1_code) in within or o.country in within_cc)
            for o, q in same_name
        )
    ):
        within, within_cc = [], []  # ... but "Washington, D.C." is the city
    if within:
        score += 8.0 if (cc, rec.admin1_code) in within and rec.kind != "admin1" else -2.0
    elif within_cc:
        score += 6.0 if cc in within_cc and rec.kind != "country" else -2.0
    score += ctx.support.get(rec.gid, 0.0)
    if ctx.anchors and rec.kind in ("city", "admin2", "admin1"):
        near = min(distance_km(rec.lat, rec.lon, a, b) for a, b in ctx.anchors)
        score += 2.0 if near < 150 else 1.0 if near < 400 else 0.0
    if "admin" in cues:
        score += 4.0 if rec.kind in ("admin1", "admin2") else -1.5
    if "admin2" in cues:
        score += 3.0 if rec.kind == "admin2" else 0.0
    if "city" in cues or "around" in cues:
        score += 3.0 if rec.kind == "city" else -1.5
    # "Kandahar" is the city unless the text says province: prefer a sizeable namesake city inside
    if rec.kind == "admin1" and any(
        o.kind == "city"
        and o.country == cc
        and o.admin1_code == rec.admin1_code
        and o.population >= 20_000
        and q <= quality
        for o, q in same_name
    ):
        score -= 1.5
    return score


def _label(rec: GeoRecord) -> str:
    parts = [rec.name]
    if rec.admin1_name and rec.admin1_name != rec.name:
        parts.append(rec.admin1_name)
    if rec.country:
        parts.append(rec.country)
    gid = f" (geonames {rec.gid})" if rec.gid > 0 else ""
    return ", ".join(parts) + gid


def _choose(hits: Sequence[tuple[GeoRecord, int]], spans: list[_Span], ctx: _Context) -> _Choice:
    if not hits:
        return _Choice(None, 0.0, ())
    scored = sorted(((_score(r, q, spans, ctx, hits), r) for r, q in hits), key=lambda t: -t[0])
    top = scored[0][0]
    weights = [math.exp(s - top) for s, _ in scored]
    confidence = 1.0 / sum(weights)
    best = scored[0][1]
    candidates: tuple[str, ...] = ()
    if confidence < 0.75:
        candidates = tuple(_label(r) for _, r in scored[:5])
    if confidence < PIN_MIN_CONFIDENCE and len(scored) > 1:
        return _Choice(None, confidence, candidates)
    return _Choice(best, confidence, candidates)


def _lookup_name(span: _Span) -> str:
    return span.lookup or span.text


def _group_key(span: _Span) -> str:
    """Spans resolved together: same name, same kind, same cue ("Kandahar province" apart from "Kandahar")."""
    cue = "admin" if "admin" in span.cues or "admin2" in span.cues else "city" if "city" in span.cues else ""
    within = f"{span.within or ''}{span.within_country or ''}"
    return f"{name_key(_lookup_name(span))}#{span.kind}#{cue}#{within}"


def _votes(
    choices: dict[str, _Choice],
    groups: dict[str, list[_Span]],
    exclude: str,
    local_us: float,
    unanimous: dict[str, str] | None = None,
) -> dict[str, float]:
    """Each country's share of the article's place votes, leaving out the name being resolved.

    A name left unresolved still votes when all its readings lie in one country ("Henry County").
    """
    votes: defaultdict[str, float] = defaultdict(float)
    for key, choice in choices.items():
        rec = choice.record
        if key != exclude and rec is None and unanimous and key in unanimous:
            votes[unanimous[key]] += 1.0
        if key == exclude or rec is None or not rec.country:
            continue
        weight = {"country": 2.0, "admin1": 1.5, "admin2": 1.5}.get(rec.kind, 1.0) * choice.confidence
        votes[rec.country] += weight * min(3, len(groups[key]))
    if local_us:
        votes["US"] += local_us
    total = sum(votes.values())
    return {cc: v / total for cc, v in votes.items()} if total else {}


def _admin1_votes(choices: dict[str, _Choice]) -> dict[tuple[str, str], float]:
    votes: defaultdict[tuple[str, str], float] = defaultdict(float)
    for choice in choices.values():
        rec = choice.record
        if rec is not None and rec.kind in ("city", "admin2", "admin1") and rec.admin1_code:
            votes[(rec.country, rec.admin1_code)] += choice.confidence
    total = sum(votes.values())
    return {k: v / total for k, v in votes.items()} if total > 0 else {}


_US_LOCAL = re.compile(
    r"\$\d|\bsheriff|\btownship\b|\bcounty (?:commission|board|jail|court)|\bcity council\b|"
    r"\bstate (?:rep|sen)\.|\bstate (?:police|patrol|troopers?)\b|\bhigh school\b|\bcity manager\b",
    re.IGNORECASE,
)


def _local_us_weight(text: str) -> float:
    """Pseudo-votes for the US from local-news vocabulary, for articles that name no state or country."""
    hits = len(_US_LOCAL.findall(text))
    return 0.0 if hits < 2 else min(2.0, 0.5 * hits)


_LOCAL_KINDS = frozenset({"city", "admin2"})


def _closeness(km: float) -> float:
    return 1.0 if km < 30 else 0.6 if km < 80 else 0.25 if km < 200 else 0.0


def _support(
    hits: dict[str, tuple[tuple[GeoRecord, int], ...]], groups: dict[str, list[_Span]]
) -> dict[str, dict[int, float]]:
    """Spatial minimality: a candidate near some candidate of another name in the text is more likely.

    "Paris" with "Henry County" favours Paris, Tennessee; "Huntsville" with "Walker County" favours
    Texas. Each other name contributes by how close its nearest candidate lies, discounted by how many
    candidates it has (a name with one reading is strong evidence, "Washington" with dozens is weak).
    """
    local: dict[str, list[GeoRecord]] = {}
    for key, group in groups.items():
        if group[0].kind != "place":
            continue
        if any(r.kind in ("country", "admin1", "continent", "region") and q <= ALIAS for r, q in hits[key]):
            continue  # "California": the state, not the towns named after it (which cluster in Missouri)
        recs = [r for r, q in hits[key] if r.kind in _LOCAL_KINDS and q != DEMONYM]
        if recs:
            local[key] = recs
    grids: dict[str, dict[tuple[int, int], list[GeoRecord]]] = {}
    for key, recs in local.items():
        grid: dict[tuple[int, int], list[GeoRecord]] = defaultdict(list)
        for r in recs:
            grid[(math.floor(r.lat), math.floor(r.lon))].append(r)
        grids[key] = grid
    out: dict[str, dict[int, float]] = {}
    for key, recs in local.items():
        names = {name_key(r.name) for r in recs}
        totals: dict[int, float] = defaultdict(float)
        for other, grid in grids.items():
            if other == key:
                continue
            near: dict[int, float] = {}
            for rec in recs:
                cell = (math.floor(rec.lat), math.floor(rec.lon))
                best = 0.0
                for di in (-1, 0, 1):
                    for dj in (-2, -1, 0, 1, 2):
                        for o in grid.get((cell[0] + di, cell[1] + dj), ()):
                            if o.gid != rec.gid and name_key(o.name) not in names:
                                best = max(best, _closeness(distance_km(rec.lat, rec.lon, o.lat, o.lon)))
                if best:
                    near[rec.gid] = best
            # evidence that singles out one reading counts fully; evidence shared by many readings is weak
            mass = sum(near.values())
            for gid, best in near.items():
                totals[gid] += best * best / mass
        out[key] = {gid: min(3.0, 2.5 * t) for gid, t in totals.items()}
    return out


def _resolve(
    spans: list[_Span], context_countries: Sequence[str], gaz: Gazetteer, local_us: float = 0.0
) -> dict[str, _Choice]:
    groups: dict[str, list[_Span]] = defaultdict(list)
    for sp in spans:
        groups[_group_key(sp)].append(sp)
    hits = {key: _safe_lookup(gaz, _lookup_name(group[0])) for key, group in groups.items()}
    ctx = _Context(story=frozenset(c.upper() for c in context_countries))
    if ctx.story:
        ctx.countries = {c: 0.5 / len(ctx.story) for c in ctx.story}
    support = _support(hits, groups)
    unanimous: dict[str, str] = {}
    for key, found in hits.items():
        countries = {r.country for r, q in found if q != DEMONYM}
        if len(countries) == 1 and len(found) > 1 and groups[key][0].kind == "place":
            unanimous[key] = countries.pop()
    choices = {}
    for key in groups:
        ctx.support = support.get(key, {})
        choices[key] = _choose(hits[key], groups[key], ctx)
    for _ in range(2):
        ctx.admin1_votes = _admin1_votes(choices)
        ctx.admin1s = {
            (c.record.country, c.record.admin1_code)
            for c in choices.values()
            if c.record is not None and c.record.kind == "admin1" and c.confidence >= 0.5
        }
        for sp in spans:
            if sp.within:
                ctx.admin1s.add(sp.within)
        anchors = [
            (key, c.record)
            for key, c in choices.items()
            if c.record is not None and c.record.kind in ("city", "admin2") and c.confidence >= 0.3
        ]
        new: dict[str, _Choice] = {}
        for key in groups:
            ctx.anchors = [(r.lat, r.lon) for k, r in anchors if k != key]
            ctx.support = support.get(key, {})
            ctx.countries = _votes(choices, groups, key, local_us, unanimous)
            new[key] = _choose(hits[key], groups[key], ctx)
        choices = new
    return choices


def _place(span: _Span, choice: _Choice) -> Place:
    rec = choice.record
    feature = span.kind if span.kind != "place" else (rec.kind if rec else None)
    if span.kind == "place" and rec is not None and "speaker" in span.cues and rec.kind in ("country", "city"):
        feature = "metonym"
    if span.kind == "place" and "outlet" in span.cues:
        feature = "metonym"
    if rec is None:
        return Place(
            name=span.text,
            start=span.start,
            end=span.end,
            feature=feature,
            confidence=round(choice.confidence, 3),
            candidates=choice.candidates,
        )
    precision = _KIND_PRECISION.get(rec.kind)
    if span.kind == "demonym":
        precision = "country"
    return Place(
        name=span.text,
        start=span.start,
        end=span.end,
        resolved_name=rec.name,
        geonames_id=rec.geonames_id,
        lat=round(rec.lat, 5),
        lon=round(rec.lon, 5),
        country=rec.country or None,
        admin1=rec.admin1_name or None,
        feature=feature,
        precision=precision,
        confidence=round(choice.confidence, 3),
        candidates=choice.candidates,
    )


def geocode_article(
    article: Article, mentions: Sequence[Mention], context_countries: Sequence[str] = ()
) -> list[Place]:
    """Find and resolve the toponyms of one article; see the module docstring for the stages."""
    gaz = get_gazetteer()
    return _geocode(article, mentions, context_countries, gaz)


def _geocode(
    article: Article, mentions: Sequence[Mention], context_countries: Sequence[str], gaz: Gazetteer
) -> list[Place]:
    if not article.text:
        return []
    spans = _find_spans(article, mentions, gaz)
    choices = _resolve(spans, context_countries, gaz, _local_us_weight(article.text))
    places: list[Place] = []
    for sp in spans:
        key = _group_key(sp)
        try:
            places.append(_place(sp, choices.get(key, _Choice(None, 0.0, ()))))
        except (ValueError, TypeError) as exc:  # one bad place never drops the others
            log.warning("could not build place for %r: %s", sp.text, exc)
            places.append(Place(name=sp.text, start=sp.start, end=sp.end))
    return places


def is_event_place(place: Place) -> bool:
    """Whether a place can locate an event: pinned, and not a demonym ("Iraqi army") or a metonym
    ("the Pentagon said", "Tehran approved"), which name a country or a government, not where it happened."""
    return place.lat is not None and place.lon is not None and place.feature not in ("demonym", "metonym")


def event_places(places: Sequence[Place]) -> list[Place]:
    """The places of an article that may serve as event locations, most precise first, in text order."""
    rank = {"point": 0, "city": 1, "admin": 2, "region": 3, "country": 4}
    usable = [p for p in places if is_event_place(p)]
    return sorted(usable, key=lambda p: (rank.get(p.precision or "", 5), p.start))


# ---------------------------------------------------------------------------------------------------
# export


def places_geojson(places: Sequence[tuple[Place, Sequence[str]]]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of the located places (``[lon, lat]``), each with its article ids.

    Places without coordinates have no geometry to draw and are left out; places sharing a resolution
    (same GeoNames id or same coordinates) become one feature with every name and article id.
    """
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for place, article_ids in places:
        if place.lat is None or place.lon is None:
            continue
        if not (-90.0 <= place.lat <= 90.0 and -180.0 <= place.lon <= 180.0):
            continue
        key = (place.geonames_id,) if place.geonames_id else (round(place.lat, 5), round(place.lon, 5))
        feat = merged.get(key)
        if feat is None:
            feat = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]},
                "properties": {
                    "name": place.name,
                    "names": [],
                    "resolved_name": place.resolved_name,
                    "geonames_id": place.geonames_id,
                    "country": place.country,
                    "admin1": place.admin1,
                    "feature": place.feature,
                    "precision": place.precision,
                    "confidence": place.confidence,
                    "article_ids": [],
                },
            }
            merged[key] = feat
        props = feat["properties"]
        if place.name not in props["names"]:
            props["names"].append(place.name)
        for aid in article_ids:
            if aid not in props["article_ids"]:
                props["article_ids"].append(aid)
        props["confidence"] = max(props["confidence"], place.confidence)
    return {"type": "FeatureCollection", "features": list(merged.values())}
