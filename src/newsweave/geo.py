"""Geocoding in context: find the toponyms of an article and resolve them against the offline gazetteer.

Stages of :func:`geocode_article`:

1. **Detect** toponym spans (:mod:`newsweave.geo_detect`): NER place mentions (GPE, LOC, FAC), demonyms
   (NORP mentions and known demonym words), metonym buildings ("the Pentagon"), capitalised spans the
   gazetteer knows ("Salinas Valley" by its namesake town, "North Houston" by Houston), kept only with
   evidence (a locative preposition, a ", State" after it, a place label from NER, the head of an
   institution's name, a strong name such as a country, the same name accepted elsewhere, or a list
   with accepted places).
2. **Resolve** each distinct name in context: population prior, kind of place, name quality (an old
   alternate name yields to places called so: "Berea" before Aleppo), the
   article's dominant countries and the story's ``context_countries``, admin areas named in the text
   ("Alexandria, La.") and named close to the name ("roads in Vermont ... bridges in Washington County"),
   though a hamlet in a named state yields to a major namesake city ("firefighters in Phoenix"), proximity
   to the other places (a place is never evidence for itself, nor is the same name under another cue
   or a longer name it begins: "Dublin City Council" casts no vote for "in Dublin"), lists of one kind
   of place ("Alberta, Manitoba and New Brunswick"), a country's capital before its namesakes, and the
   words around it ("Kandahar province", "Basra city", "X countryside"). Two passes: the first picks
   the countries that dominate, the second resolves with them.
3. **Emit** one :class:`~newsweave.model.Place` per span. A place the resolver is unsure about keeps
   its candidates and no pin, and so does one whose best reading contradicts the text (a qualified
   name read only abroad, "West Midlands" in a report about England; a town the text puts in a state
   of a country none of its readings lies in, "Stroud, Ontario"). Demonyms and metonyms are emitted
   with ``feature`` "demonym" or "metonym": they locate a country or a government, not where an event
   happened.

One failed span never drops the others.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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
from newsweave.geo_detect import Span, find_spans, safe_lookup
from newsweave.geo_words import QUALIFIERS as QUALIFIER_WORDS
from newsweave.model import Article, Mention, Place, Precision

__all__ = ["GEO_VERSION", "event_places", "geocode_article", "is_event_place", "places_geojson"]

log = logging.getLogger(__name__)

GEO_VERSION = "geo-9"

# Below this confidence a place keeps its candidates and gets no pin.
PIN_MIN_CONFIDENCE = 0.15
NEARBY_CHARS = 120  # a state named this close to a town or county ...
NEARBY_STATE_BONUS = 3.0  # ... favours the namesake in that state
DOMINANT_SHARE = 0.5  # a country with this share of a text's place votes dominates it

_KIND_PRECISION: dict[str, Precision] = {
    "city": "city",
    "admin2": "admin",
    "admin1": "admin",
    "country": "country",
    "continent": "region",
    "region": "region",
}


@dataclass(slots=True)
class _Choice:
    record: GeoRecord | None
    confidence: float
    candidates: tuple[str, ...]


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
        elif rec.subtype == "capital":
            base += 1.0  # "Washington", "Moscow": capitals are named far beyond their size
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
    anchors: list[tuple[int, float, float]] = field(default_factory=list)  # (gid, lat, lon) of other names
    support: dict[int, float] = field(default_factory=dict)  # gid -> co-location with other names' candidates
    listed: set[tuple[str, str]] = field(default_factory=set)  # (kind, country) of list neighbours' readings
    nearby_admin1s: set[tuple[str, str]] = field(default_factory=set)  # states named close to this name


# kinds whose name, when a place bears it, means the area first ("Bulacan" the province, "Luzon" the island)
_AREA_KINDS = frozenset({"country", "admin1", "admin2", "region", "continent"})


def _listed(
    same_name: Sequence[tuple[GeoRecord, int]], within: Sequence[tuple[str, str]], within_cc: Sequence[str]
) -> bool:
    """Whether the ", State" after a name is the next item of a list, not where the place lies.

    "Mexico, China, Japan" is a list, not China in Japan: a name that is itself a country or state
    ignores the ", State" after it ("Virginia, Washington, West Virginia") ... but "Washington, D.C."
    is the city.
    """
    if not (within or within_cc) or not any(o.kind in ("country", "admin1") and q <= ALIAS for o, q in same_name):
        return False
    # the most precise "where" decides: the state when one is named, else the country
    return not any(
        o.kind == "city"
        and q <= ALIAS
        and o.population >= 50_000
        and (((o.country, o.admin1_code) in within) if within else (o.country in within_cc))
        for o, q in same_name
    )


def _score(
    rec: GeoRecord, quality: int, spans: list[Span], ctx: _Context, same_name: Sequence[tuple[GeoRecord, int]]
) -> float:
    score = _prior(rec, quality)
    cues: set[str] = set().union(*(sp.cues for sp in spans))
    kind_demonym = all(sp.kind == "demonym" for sp in spans)
    if kind_demonym:
        return score + (5.0 if rec.kind == "country" and quality == DEMONYM else -5.0)
    if quality == DEMONYM:
        return score - 8.0
    if quality == ALTERNATE and any(q in (PRIMARY, ALIAS) for _, q in same_name):
        score -= 1.0  # "Berea" is a town of that name before it is an old name of Aleppo
    cc = rec.country
    if cc:
        score += 4.0 * ctx.countries.get(cc, 0.0)
        if cc in ctx.story:
            score += 2.0
    # "Oregon, Illinois and Ohio": states, not the town of Oregon, Illinois; "Bulacan": the province,
    # not a village of that name elsewhere in the country (though "Melbourne" is the city of its district)
    area_name = any(
        o.kind in _AREA_KINDS
        and q <= ALIAS
        and (o.kind != "admin2" or (rec.kind == "city" and o.country == cc and o.admin1_code != rec.admin1_code))
        for o, q in same_name
    )
    # a hamlet whose namesake is a major city ("firefighters in Phoenix" in a text naming Oregon)
    famous = max((o.population for o, q in same_name if o.kind == "city" and q <= ALIAS), default=0)
    hamlet = famous >= 300_000 and famous >= 30 * max(rec.population, 1)
    if area_name and rec.kind in ("city", "admin2"):
        pass
    elif rec.kind in ("city", "admin2") and (cc, rec.admin1_code) in ctx.admin1s:
        # lying in a state the text names is strong evidence, weaker when it names many, and weaker
        # for a hamlet
        score += (1.5 if hamlet else 3.0) * min(1.0, 4.0 / len(ctx.admin1s))
    elif rec.kind in ("city", "admin2"):
        score += 2.5 * ctx.admin1_votes.get((cc, rec.admin1_code), 0.0)
    if rec.kind in ("city", "admin2") and (cc, rec.admin1_code) in ctx.nearby_admin1s and not area_name:
        # "roads in Vermont ... bridges in Washington County": a state named beside it (a hamlet gets none)
        score += 0.0 if hamlet else NEARBY_STATE_BONUS
    within = [sp.within for sp in spans if sp.within]
    within_cc = [sp.within_country for sp in spans if sp.within_country]
    if _listed(same_name, within, within_cc):
        within, within_cc = [], []
    if within:
        score += 8.0 if (cc, rec.admin1_code) in within and rec.kind != "admin1" else -2.0
    elif within_cc:
        score += 6.0 if cc in within_cc and rec.kind != "country" else -2.0
    score += ctx.support.get(rec.gid, 0.0)
    if ctx.anchors and rec.kind in ("city", "admin2", "admin1"):
        # a place is no evidence for itself ("Mecca" read as a town also called "Medina")
        near = min((distance_km(rec.lat, rec.lon, a, b) for g, a, b in ctx.anchors if g != rec.gid), default=1e9)
        score += 2.0 if near < 150 else 1.0 if near < 400 else 0.0
    if "admin" in cues:
        # "the Houston region" is the city's area, not Houston County (an area only known by another name)
        score += (4.0 if quality <= ALIAS else 1.5) if rec.kind in ("admin1", "admin2") else -1.5
    if "admin2" in cues:
        score += 3.0 if rec.kind == "admin2" else 0.0
    if "city" in cues or "around" in cues:
        score += 3.0 if rec.kind == "city" else -1.5
    # "British Columbia, Alberta, Ontario and New Brunswick": a list of one kind of place
    if (rec.kind, cc if rec.kind == "admin1" else "") in ctx.listed:
        score += 2.0
    # "Kandahar" is the city unless the text says province or names other provinces of the country
    # ("Ontario, Quebec and Manitoba"): prefer a sizeable namesake city inside
    siblings = any(c == cc and a1 != rec.admin1_code for c, a1 in ctx.admin1s)
    if (
        rec.kind == "admin1"
        and not siblings
        and any(
            o.kind == "city"
            and o.country == cc
            and o.admin1_code == rec.admin1_code
            and o.population >= 20_000
            and q <= quality
            for o, q in same_name
        )
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


def _choose(hits: Sequence[tuple[GeoRecord, int]], spans: list[Span], ctx: _Context) -> _Choice:
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
    if _out_of_place(best, hits, spans, ctx):
        return _Choice(None, min(confidence, PIN_MIN_CONFIDENCE), candidates or tuple(_label(r) for _, r in scored[:5]))
    return _Choice(best, confidence, candidates)


def _out_of_place(rec: GeoRecord, hits: Sequence[tuple[GeoRecord, int]], spans: list[Span], ctx: _Context) -> bool:
    """Whether the best reading contradicts the text: the name is a place the gazetteer does not know.

    Two cases: a qualified name read abroad ("West Midlands" in a report about England read as
    Zimbabwe's Midlands), and a town the text puts in a state of a country none of its readings lies
    in ("Stroud, Ontario" in a report about Canada, when the gazetteer knows Stroud only in England,
    Oklahoma and Australia). The place keeps its candidates and gets no pin: a pin an ocean away is
    worse than none. The state's country must dominate the text, for a ", Name" after a town is
    sometimes another reading ("Rockville, Maryland" is no county of Liberia).
    """
    if any(sp.kind != "place" for sp in spans):
        return False
    if all(_qualified_name(sp) for sp in spans) and _foreign(rec, ctx):
        return True
    if rec.kind not in ("city", "admin2"):
        return False
    within = [sp.within for sp in spans if sp.within]
    if not within or _listed(hits, within, [sp.within_country or "" for sp in spans]):
        return False
    countries = {cc for cc, _ in within}
    if len(countries) != 1:
        return False
    cc = countries.pop()
    if cc not in ctx.story and ctx.countries.get(cc, 0.0) < DOMINANT_SHARE:
        return False
    return not any(r.country == cc for r, _ in hits)


def _qualified_name(span: Span) -> bool:
    """ "West Midlands", "Central Plateau": a name known only without its leading compass word."""
    words = span.text.split()
    return bool(span.lookup) and len(words) > 1 and words[0].lower() in QUALIFIER_WORDS


def _foreign(rec: GeoRecord, ctx: _Context) -> bool:
    """Whether a reading lies in a country no other name of the text lies in, while one country dominates."""
    if not ctx.countries or rec.country in ctx.story or ctx.countries.get(rec.country, 0.0) > 0.0:
        return False
    return max(ctx.countries.values()) >= DOMINANT_SHARE


def _lookup_name(span: Span) -> str:
    return span.lookup or span.text


def _group_key(span: Span) -> str:
    """Spans resolved together: same name, same kind, same cue ("Kandahar province" apart from "Kandahar")."""
    cue = "admin" if "admin" in span.cues or "admin2" in span.cues else "city" if "city" in span.cues else ""
    within = f"{span.within or ''}{span.within_country or ''}"
    return f"{name_key(_lookup_name(span))}#{span.kind}#{cue}#{within}"


def _same_name(a: str, b: str) -> bool:
    """Whether two group keys name one place: the same name under other cues, or one name the first
    words of the other ("Dublin" and "Dublin City")."""
    wa, wb = a.split("#", 1)[0].split(), b.split("#", 1)[0].split()
    if len(wa) > len(wb):
        wa, wb = wb, wa
    return bool(wa) and wb[: len(wa)] == wa


def _votes(
    choices: dict[str, _Choice],
    groups: dict[str, list[Span]],
    exclude: str,
    local_us: float,
    unanimous: dict[str, str] | None = None,
    own: frozenset[int] = frozenset(),
) -> dict[str, float]:
    """Each country's share of the article's place votes, leaving out the name being resolved.

    A name left unresolved still votes when all its readings lie in one country ("Henry County").
    Another name resolved to one of this name's own readings is left out too ("Dublin City Council",
    "the Dublin area", "in Dublin"): a place is no evidence for itself, or the first reading of a
    repeated name would outvote the rest of the text.
    """
    votes: defaultdict[str, float] = defaultdict(float)
    for key, choice in choices.items():
        rec = choice.record
        if _same_name(key, exclude) or (rec is not None and rec.gid in own):
            continue
        if rec is None and unanimous and key in unanimous:
            votes[unanimous[key]] += 1.0
        if rec is None or not rec.country:
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
    hits: dict[str, tuple[tuple[GeoRecord, int], ...]], groups: dict[str, list[Span]]
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
    gids = {key: {r.gid for r, _ in found} for key, found in hits.items()}
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
            if _same_name(other, key):
                continue
            shared = gids[other]  # a reading both names share is no evidence from one for the other
            near: dict[int, float] = {}
            for rec in recs:
                cell = (math.floor(rec.lat), math.floor(rec.lon))
                best = 0.0
                for di in (-1, 0, 1):
                    for dj in (-2, -1, 0, 1, 2):
                        for o in grid.get((cell[0] + di, cell[1] + dj), ()):
                            if o.gid != rec.gid and name_key(o.name) not in names:
                                best = max(best, _closeness(distance_km(rec.lat, rec.lon, o.lat, o.lon)))
                if best and rec.gid not in shared:
                    near[rec.gid] = best
            # evidence that singles out one reading counts fully; evidence shared by many readings is weak
            mass = sum(near.values())
            for gid, best in near.items():
                totals[gid] += best * best / mass
        out[key] = {gid: min(3.0, 2.5 * t) for gid, t in totals.items()}
    return out


_LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s*")


def _list_mates(spans: list[Span], text: str) -> dict[str, set[str]]:
    """The names each name stands next to in a list ("Alberta, Manitoba and Ontario")."""
    mates: dict[str, set[str]] = defaultdict(set)
    ordered = sorted((sp for sp in spans if sp.kind == "place"), key=lambda sp: sp.start)
    for a, b in itertools.pairwise(ordered):
        if _LIST_GAP.fullmatch(text[a.end : b.start]):
            ka, kb = _group_key(a), _group_key(b)
            if ka != kb:
                mates[ka].add(kb)
                mates[kb].add(ka)
    return mates


def _resolve(
    spans: list[Span], context_countries: Sequence[str], gaz: Gazetteer, local_us: float = 0.0, text: str = ""
) -> dict[str, _Choice]:
    groups: dict[str, list[Span]] = defaultdict(list)
    for sp in spans:
        groups[_group_key(sp)].append(sp)
    mates = _list_mates(spans, text) if text else {}
    hits = {key: safe_lookup(gaz, _lookup_name(group[0])) for key, group in groups.items()}
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
        for key, group in groups.items():
            for sp in group:
                if sp.within and not _listed(hits[key], [sp.within], [sp.within_country or ""]):
                    ctx.admin1s.add(sp.within)
        anchors = [
            (key, c.record)
            for key, c in choices.items()
            if c.record is not None and c.record.kind in ("city", "admin2") and c.confidence >= 0.3
        ]
        states = [
            (sp.start, (c.record.country, c.record.admin1_code))
            for k, c in choices.items()
            if c.record is not None and c.record.kind == "admin1" and c.confidence >= 0.5
            for sp in groups[k]
        ]
        new: dict[str, _Choice] = {}
        for key in groups:
            ctx.nearby_admin1s = _nearby_states(groups[key], states)
            ctx.anchors = [(r.gid, r.lat, r.lon) for k, r in anchors if not _same_name(k, key)]
            ctx.support = support.get(key, {})
            ctx.countries = _votes(choices, groups, key, local_us, unanimous, frozenset(r.gid for r, _ in hits[key]))
            ctx.listed = {
                (r.kind, r.country if r.kind == "admin1" else "")
                for r in (choices[m].record for m in mates.get(key, ()))
                if r is not None and r.kind in ("admin1", "country")
            }
            new[key] = _choose(hits[key], groups[key], ctx)
        choices = new
    return choices


def _nearby_states(spans: list[Span], states: list[tuple[int, tuple[str, str]]]) -> set[tuple[str, str]]:
    """The states named within ``NEARBY_CHARS`` of a mention ("roads in Vermont ... bridges in Washington County")."""
    return {a1 for pos, a1 in states for sp in spans if pos != sp.start and abs(pos - sp.start) <= NEARBY_CHARS}


def _place(span: Span, choice: _Choice) -> Place:
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
    spans = find_spans(article, mentions, gaz)
    choices = _resolve(spans, context_countries, gaz, _local_us_weight(article.text), article.text)
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
