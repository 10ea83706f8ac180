"""Toponym detection: the spans of an article that name places (stage 1 of :mod:`newsweave.geo`).

NER place / NORP mentions, demonyms, metonym buildings ("the Pentagon"), US state abbreviations after a
comma ("Alexandria, La."), and capitalised spans the gazetteer knows, kept only with evidence: a locative
preposition, a ", State" after it, a place label from NER, the head of an institution's name, a strong
name such as a country or a formal "State of Ohio", a local title after it ("Mabini Mayor"), or the same
name accepted elsewhere in the text. The bare last name of a person the text names in full ("David
Hopkins ... Hopkins said") is no place, whatever NER says. Each span also carries the words
around it that steer its resolution ("Kandahar province", "Basra city", "X countryside").
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsweave import geo_words as W
from newsweave.gazetteer import ALIAS, DEMONYM, Gazetteer, GeoRecord, name_key
from newsweave.model import Article, Mention

__all__ = ["Span", "find_spans", "safe_lookup"]

log = logging.getLogger(__name__)

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"})


_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or|/|&)\s*$")
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|(?:St|Ste|Mt|Ft|Pt)\.|[^\W\d_][\w'’]*")
_WORD = re.compile(r"[\w'’.]+")


@dataclass(slots=True)
class Span:
    """A toponym span in the text, with what the words around it say (cues) and how to look it up."""

    start: int
    end: int
    text: str
    label: str | None = None  # NER label covering the span, if any
    kind: str = "place"  # place, demonym, metonym
    lookup: str = ""  # the name to look up (a metonym building's city)
    within: tuple[str, str] | None = None  # (country, admin1 code) from ", State" after it
    within_country: str | None = None
    cues: set[str] = field(default_factory=set)


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
# a legislator's party and state ("Jo Doe, R-Tenn,", "D-S.C."): the abbreviation is a state, period or not
_PARTY_STATE = re.compile(
    r"(?:^|(?<=[\s(,]))[DRI]-((?:[A-Z]\.\s?){1,2}[A-Z]?\.?|[A-Z][a-z]{1,4}\.?)(?=[,;)]|\s(?![A-Z])|\.?$)"
)
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
        for rec, quality in safe_lookup(gaz, candidate):
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


def safe_lookup(gaz: Gazetteer, name: str) -> tuple[tuple[GeoRecord, int], ...]:
    """A look-up that cannot sink the article: a failing name is logged and left unresolved."""
    try:
        return gaz.lookup(name)
    except (sqlite3.Error, ValueError) as exc:
        log.warning("gazetteer look-up failed for %r: %s", name, exc)
        return ()


_POSSESSIVE_NAME = re.compile(
    r"\b([A-Z][a-z]*\.?)(?:\s[A-Z][a-z]+)?['’]s\s[A-Z][a-z]+(?:\s(?:County|Parish|Island|Square|Park))?\b"
    r"(?P<of>\sof(?:\sthe)?\s[A-Z][a-z]+\b)?"
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


_NATURAL_TAIL = frozenset({"valley", "river", "bay", "delta", "island", "canal", "harbor", "harbour", "peninsula"})


def find_spans(article: Article, mentions: Sequence[Mention], gaz: Gazetteer) -> list[Span]:
    text = article.text
    ordered = _mentions_by_offset(mentions)
    surnames = _surnames(ordered, text)
    spans: list[Span] = []
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
                spans.append(Span(m.start(), m.end(), m.group(), kind="metonym", lookup=city))
                taken.append((m.start(), m.end()))

    # "Alexandria, La.": the abbreviated state is a toponym of its own
    for m in re.finditer(r"[A-Za-z.](?=,\s*[A-Z])", text):
        after = _state_after(text, m.end(), gaz)
        if after is not None and after.lookup != text[after.start : after.end] and free(after.start, after.end):
            spans.append(Span(after.start, after.end, text[after.start : after.end], lookup=after.lookup))
            taken.append((after.start, after.end))
    for m in _PARTY_STATE.finditer(text):
        s, e = m.start(1), m.end(1)
        code = W.US_STATE_ABBR.get(name_key(m.group(1)).replace(" ", ""))
        rec = gaz.admin1("US", code) if code else None
        if rec is not None and free(s, e):
            spans.append(Span(s, e, text[s:e], lookup=rec.name))
            taken.append((s, e))
    for m in _STATE_ABBR_ALONE.finditer(text):
        full = _state_abbr_name(m.group(), gaz, strict=True)
        if full and free(m.start(), m.end()) and not _sentence_start(text, m.start()):
            spans.append(Span(m.start(), m.end(), m.group(), lookup=full))
            taken.append((m.start(), m.end()))
    for m in _DC.finditer(text):
        if free(m.start(), m.end()):
            spans.append(Span(m.start(), m.end(), m.group(), lookup="Washington DC"))
            taken.append((m.start(), m.end()))

    # "Queen Anne's County", "St. Peter's Square", "People's Republic of China": a possessive inside a
    # name the gazetteer knows whole
    for m in _POSSESSIVE_NAME.finditer(text):
        s = m.start()
        if _sentence_start(text, s) and m.group(1).lower() in W.RUN_STARTERS_NOT:
            continue
        for e in dict.fromkeys((m.end(), m.start("of") if m.group("of") else m.end())):
            if not free(s, e):
                continue
            hits = tuple(h for h in safe_lookup(gaz, text[s:e]) if h[1] <= ALIAS)
            span = Span(s, e, text[s:e])
            if hits and _assess(span, hits, [(s, e)], 0, 1, text, ordered, gaz, surnames):
                spans.append(span)
                taken.append((s, e))
                break

    accepted_keys: set[str] = set()
    pending: list[tuple[Span, bool]] = []  # (span, strong evidence)
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
                if i + n < len(run) and all(w in W.QUALIFIERS for w in key.split()):
                    continue  # "North East Scotland": the qualifiers belong to the name after them
                hits = safe_lookup(gaz, surface)
                if not hits:
                    continue
                span = Span(s, e, surface)
                strong = _assess(span, hits, run, i, n, text, ordered, gaz, surnames)
                if strong is None:
                    continue
                if i + n < len(run) and text[run[i + n][0] : run[i + n][1]].lower() in _NATURAL_TAIL:
                    # "Salinas Valley", "Catawba River": the feature is the toponym, its namesake locates it
                    e = run[i + n][1]
                    span = Span(s, e, text[s:e], label=span.label, kind=span.kind, lookup=surface)
                    n += 1
                span = _qualified(span, run, i, text, surface)
                pending.append((span, strong))
                found = True
                i += n
                break
            if not found:
                i += 1
    # one sense per discourse: a name accepted on evidence somewhere is accepted everywhere
    for span, strong in pending:
        if strong:
            accepted_keys.add(name_key(span.lookup or span.text))
    # a name listed with accepted places ("Mosul, Kirkuk and Erbil") is a place too
    ok = [strong or name_key(span.lookup or span.text) in accepted_keys for span, strong in pending]
    # NER places count as list neighbours too ("the villages of Lowtown and Hillcot", Lowtown unknown)
    ner_places = [(m.start, m.end) for m in ordered if m.label in ("GPE", "LOC")]
    for k, (span, _) in enumerate(pending):
        if not ok[k] and any(
            _LIST_GAP.match(text[b : span.start]) or _LIST_GAP.match(text[span.end : a])
            for a, b in ner_places
            if b <= span.start or a >= span.end
        ):
            ok[k] = True
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
                if any(q == DEMONYM for _, q in safe_lookup(gaz, surface)):
                    spans.append(Span(s, e, surface, label=mention.label, kind="demonym"))
                    taken.append((s, e))
                continue
            if mention.label == "FAC" and not safe_lookup(gaz, surface):
                continue
            if name_key(surface) in W.GENERIC_WORDS:
                continue
            span = Span(s, e, surface)
            if _surname_only(span, safe_lookup(gaz, surface), text, surnames, gaz):
                continue
            spans.append(Span(s, e, surface, label=mention.label, lookup=_state_abbr_name(surface, gaz, False) or ""))
            taken.append((s, e))

    for span in spans:
        _add_cues(span, text, gaz)
    spans.sort(key=lambda sp: sp.start)
    return spans


def _qualified(span: Span, run: list[tuple[int, int]], i: int, text: str, surface: str) -> Span:
    """ "North Houston", "Greater Lyon", "North East Scotland": a part of a known place, located by it.

    Up to two qualifier words glued before a gazetteer name widen the span (the toponym as written);
    the look-up stays the known name.
    """
    k = i
    while k > 0 and i - k < 2 and text[run[k - 1][0] : run[k - 1][1]].lower() in W.QUALIFIERS:
        k -= 1
    if k == i or text[run[k][1] : run[k][1] + 1] not in (" ", "-"):
        return span
    return Span(
        run[k][0], span.end, text[run[k][0] : span.end], label=span.label, kind=span.kind, lookup=span.lookup or surface
    )


def _assess(
    span: Span,
    hits: Sequence[tuple[GeoRecord, int]],
    run: list[tuple[int, int]],
    i: int,
    n: int,
    text: str,
    mentions: list[Mention],
    gaz: Gazetteer,
    surnames: frozenset[str] = frozenset(),
) -> bool | None:
    """Evidence that a gazetteer match is a toponym: True strong, False weak (needs company), None no."""
    mention = _covering(mentions, span.start, span.end)
    label = mention.label if mention else None
    span.label = label
    if label in _NOT_PLACE_LABELS:
        return None
    if mention is not None and _part_of_longer_name(span, mention, text, gaz):
        return None
    if all(q == DEMONYM for _, q in hits):
        span.kind = "demonym"
        return True
    if label in ("GPE", "LOC") and not _surname_only(span, hits, text, surnames, gaz):
        return True
    if label == "FAC" and mention is not None:
        head = mention.start + (4 if text[mention.start : mention.start + 4].lower() == "the " else 0)
        if span.start == head:
            return True
    strong_name = _strong_name(span.text, hits)
    if _surname_only(span, hits, text, surnames, gaz):
        return None

    def connector(k: int) -> bool:
        return _is_connector(text[run[k][0] : run[k][1]])

    # not glued to other capitalised words ("Mosul and Kirkuk" yes, "Paris Hilton" no); qualifiers before
    # it belong to the name ("Metro Vancouver", "Greater Lyon")
    lead = i
    while lead > 0 and i - lead < 2 and text[run[lead - 1][0] : run[lead - 1][1]].lower() in W.QUALIFIERS:
        lead -= 1
    whole_run = (lead == 0 or connector(lead - 1)) and (i + n == len(run) or connector(i + n))
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
    if label == "PERSON" and not (prev in W.LOCATIVE and whole_run) and not misfit and not _titled(run, i, n, text):
        return False
    if strong_name:
        return True
    if prev in W.LOCATIVE and i == 0 and whole_run:
        return True
    head = i == 0 and n < len(run)
    if head:
        follower = text[run[n][0] : run[n][1]].lower()
        if follower in W.INSTITUTIONS or follower.rstrip("'’s") in W.INSTITUTIONS or _titled(run, i, n, text):
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


def _titled(run: list[tuple[int, int]], i: int, n: int, text: str) -> bool:
    """ "Mabini Vice-Mayor Ester Tabigue", "Springfield Mayor Jo Doe": a name heading a local office's
    title is the place that office governs, even where NER reads the whole run as a person."""
    if i != 0:
        return False
    words = [text[a:b].lower() for a, b in run[n : n + 2]]
    while words and words[0] in W.TITLE_PREFIXES:
        words = words[1:]
    return bool(words) and words[0] in W.LOCAL_TITLES


def _strong_name(surface: str, hits: Sequence[tuple[GeoRecord, int]]) -> bool:
    """A country, state, continent or region by its own name, or by its formal "State of Ohio" form."""
    if any(q <= ALIAS and r.kind in ("country", "admin1", "continent", "region") for r, q in hits):
        return True
    words = name_key(surface).split()
    return (
        len(words) >= 3
        and words[1] == "of"
        and words[0] in W.FORMAL_AREA_WORDS
        and any(r.kind in ("country", "admin1") and name_key(r.name) == " ".join(words[2:]) for r, _ in hits)
    )


# words that put what follows in a place ("in Hopkins"), where "of", "to" or "from" may well name a person
_IN_PLACE = frozenset({"in", "at", "near", "outside", "inside", "into", "across", "throughout", "around", "toward"})
_SAID = r"(?:said|says|told|added|explained|noted|stated|wrote|recalled|asked)"


def _surnames(mentions: Sequence[Mention], text: str) -> frozenset[str]:
    """Last names of the people the text names in full and then calls by last name ("David Hopkins ...
    Hopkins said", or a bare name NER tags a person more often than a place): NER tags a full name well
    but sometimes takes the bare last name for a place."""
    bare: dict[str, int] = defaultdict(int)  # bare last name: + tagged a person, - tagged a place
    for m in mentions:
        if " " not in m.text.strip() and m.label in ("PERSON", "GPE", "LOC"):
            bare[name_key(m.text)] += 1 if m.label == "PERSON" else -1
    out: set[str] = set()
    for m in mentions:
        words = re.split(r"[\s\-‐–]+", m.text.strip())
        last = words[-1][: _strip_possessive(words[-1], 0, len(words[-1]))] if words else ""
        if m.label != "PERSON" or len(words) < 2 or not last[:1].isupper() or not last.isalpha():
            continue
        quoted = rf"\b{re.escape(last)}\s+{_SAID}\b|\b{_SAID}\s+{re.escape(last)}\b"
        if bare[name_key(last)] >= 2 or re.search(quoted, text):
            out.add(name_key(last))
    return frozenset(out)


def _surname_only(
    span: Span, hits: Sequence[tuple[GeoRecord, int]], text: str, surnames: frozenset[str], gaz: Gazetteer
) -> bool:
    """ "Hopkins said" after "David Hopkins": a one-word name the text gives a person as surname is that
    person, unless it is a country or state, follows a locative word ("in Hopkins") or a ", State"."""
    if not surnames or " " in span.text.strip() or name_key(span.text) not in surnames:
        return False
    if _strong_name(span.text, hits):
        return False
    if _previous_word(text, span.start) in _IN_PLACE:
        return False
    after = _state_after(text, span.end, gaz)
    return after is None or after.admin1 is None


# Words that begin many place names: alone they name some small place ("Fort", "Abu", "Lake"), but
# followed by a name ("Fort Hood", "Abu Shok", "Lake Lanier") they are only its first word.
_NAME_PREFIXES = frozenset(
    [
        "fort",
        "port",
        "mount",
        "mt",
        "lake",
        "cape",
        "point",
        "saint",
        "st",
        "san",
        "santa",
        "sao",
        "abu",
        "al",
        "el",
        "ain",
        "bir",
        "tel",
        "deir",
        "beit",
        "kafr",
        "ban",
        "bandar",
        "wadi",
        "jebel",
        "jabal",
        "ras",
        "new",
        "upper",
        "lower",
        "north",
        "south",
        "east",
        "west",
        "camp",
    ]
)


def _part_of_longer_name(span: Span, mention: Mention, text: str, gaz: Gazetteer) -> bool:
    """ "Fort" in "Fort Hood", "Abu" in "Abu Shok": a name's first word matched alone, inside a longer
    NER place the gazetteer does not know. It would pin the wrong place: the NER name is kept instead."""
    if mention.label not in ("GPE", "LOC", "FAC") or mention.end <= span.end:
        return False
    head = mention.start + (4 if text[mention.start : mention.start + 4].lower() == "the " else 0)
    if span.start != head or name_key(span.text).rstrip(".") not in _NAME_PREFIXES:
        return False
    if not re.match(r"[\s-]+[A-Z]", text[span.end : mention.end]):
        return False
    return not safe_lookup(gaz, text[head : mention.end])


def _word_before(text: str, pos: int) -> str:
    """The word right before ``pos`` when a single space separates them ("province Gauteng"), else ""."""
    m = re.search(r"([a-z]+) $", text[max(0, pos - 30) : pos])
    return m.group(1) if m else ""


def _add_cues(span: Span, text: str, gaz: Gazetteer) -> None:
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
    if re.search(r"\b(?:province|governorate|state|region|district) of\s*$", before):
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
