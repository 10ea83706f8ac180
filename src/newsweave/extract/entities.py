"""Named entities, descriptions and aliases.

``find_mentions`` finds the mentions in one article: spaCy's small English NER, corrected by rules where
it is weak (places it calls NORP/PERSON/ORG, organisations introduced with an acronym, all-caps agency
names, descriptions such as "the watchdog" or "the Vienna-based monitor"), and links mentions that
co-refer inside the article through a shared ``key``. ``entity_table.resolve_entities`` turns them into
store-wide entities.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsweave.extract.entity_words import ACRONYM_STOP, GENERIC_NAME_WORDS, ORG_WORDS, TITLE_WORDS
from newsweave.extract.nlp import place_names, run_ner
from newsweave.extract.placenames import gazetteer_place, person_context, place_context
from newsweave.model import Article, Mention

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_FIXABLE = frozenset({"NORP", "ORG", "PERSON", "PRODUCT", "LANGUAGE", "WORK_OF_ART", "FAC", "EVENT"})
_STOP = frozenset({"of", "for", "the", "and", "in", "on", "de", "du", "la", "le", "al", "el", "des", "del", "to"})
_DEMONYM_END = re.compile(r"(?:an|ian|ean|ese|ish|[^aeiou]i|ch)$")
_COUNTRY_CODES = frozenset({"UK", "US", "USA", "UAE", "DRC", "GB", "EU", "ROK", "DPRK", "KSA"})

# Descriptions that stand for an organisation: "the watchdog", "the Vienna-based rights monitor",
# "Karvelian state news agency", "state media".
_DESCRIPTION = re.compile(
    r"""(?<![\w-])(?P<det>(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir)\s+)?
    (?P<mods>(?:(?:[A-Z][\w.]*-based|[a-z]+-based|[A-Z][a-z]+|state-run|state-owned|state|official|
        independent|conflict|war|rights|human\s+rights|news|monitoring|opposition|government|
        government-run|Britain-based|local)\s+){0,4})
    (?P<head>(?i:observatory|war\s+monitor|monitor(?:ing\s+(?:group|network|organi[sz]ation))?|watchdog|
        news\s+agenc(?:y|ies)|agenc(?:y|ies)|media|broadcaster|television|TV))(?![\w-])""",
    re.VERBOSE,
)
_DESC_CLASS = {
    "observatory": "monitor",
    "monitor": "monitor",
    "war monitor": "monitor",
    "monitoring group": "monitor",
    "monitoring network": "monitor",
    "monitoring organisation": "monitor",
    "monitoring organization": "monitor",
    "watchdog": "monitor",
    "news agency": "agency",
    "news agencies": "agency",
    "agency": "agency",
    "agencies": "agency",
    "media": "media",
    "broadcaster": "media",
    "television": "media",
    "tv": "media",
}
_CLASS_NAME_WORDS = {
    "monitor": frozenset({"observatory", "monitor", "watch", "network"}),
    "agency": frozenset({"agency", "news", "press"}),
    "media": frozenset({"media", "television", "tv", "broadcasting", "broadcaster"}),
}
_ACRONYM_PAREN = re.compile(r"\(\s*((?:[A-Z]\.){2,}|[A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,5})\s*\)")
_ALL_CAPS = re.compile(r"(?<![\w.-])(?:[A-Z]\.){2,}(?![\w])|(?<![\w.-])[A-Z]{3,6}(?![\w-])")
_WORD = re.compile(r"[\w'’.-]+")
_EDGE_PUNCT = "`'\"“”‘’(-–—"
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    label: str
    kind: str  # "name", "acronym", "description"
    cls: str = ""  # description class (monitor, agency, media)


# --------------------------------------------------------------------------- normalising forms


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A surface form folded for comparison: ASCII, lower case, no possessive, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    if re.fullmatch(r"(?:[A-Za-z]\.){2,}", text):
        text = text.replace(".", "")
    text = re.sub(r"['’]s\b", "", text.lower().replace("’", "'"))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def strip_determiner(text: str) -> str:
    return _DETERMINER.sub("", text)


def _is_acronym(text: str) -> bool:
    t = text.replace(".", "")
    return 2 <= len(t) <= 7 and t.isalpha() and sum(c.isupper() for c in t) >= max(2, len(t) - 2)


def _initials(text: str) -> str:
    words = [w for w in re.split(r"[\s-]+", fold(text)) if w and w not in _STOP]
    return "".join(w[0] for w in words).upper()


@functools.lru_cache(maxsize=65536)
def _core(text: str) -> tuple[str, ...]:
    """Content words of a name, without a leading demonym or possessive place ("Karvel's", "Karvelian")."""
    raw = strip_determiner(text).split()
    words = fold(text).split()
    if len(words) >= 2 and raw and (raw[0].endswith(("'s", "’s")) or _DEMONYM_END.search(words[0])):
        words = words[1:]
    return tuple(w for w in words if w not in _STOP)


def _skeleton(text: str) -> str:
    """Consonant skeleton of a name: "Omar Abdel Karim" and "Omar Abdulkarim" share "omrbdlkrm"."""
    folded = fold(text).replace(" ", "")
    if not folded:
        return ""
    out = folded[0] + re.sub(r"[aeiouy]", "", folded[1:])
    return re.sub(r"(.)\1+", r"\1", out)


def _last_word(text: str) -> str:
    """The folded last word of a name ("Lina al-Haddad" -> "haddad"), or "" when nothing is left."""
    words = fold(text).split()
    return words[-1] if words else ""


def _strip_article_prefix(word: str) -> str:
    return re.sub(r"^(?:al|el|ad|as|ash|an|ar)\s+", "", word)


# --------------------------------------------------------------------------- mentions in one article


def find_mentions(article: Article, doc: Any | None = None) -> list[Mention]:
    """Entity mentions of one article, with article-local co-reference keys.

    ``doc`` is the spaCy Doc of ``article.text`` when the caller already ran NER (batched).
    """
    text = article.text
    if not text.strip():
        return []
    if doc is None:
        doc = next(run_ner([text]))
    spans = _spacy_spans(doc, text)
    spans = _merge_modifiers(spans, text)
    pairs: list[tuple[int, int]] = []  # (expansion start, acronym start)
    spans = _add_acronyms(spans, text, pairs)
    spans = _add_titled_people(spans, text)
    spans = _add_org_names(spans, text)
    spans = _add_capitals(spans, text, article)
    spans = _add_descriptions(spans, text)
    spans.sort(key=lambda s: (s.start, s.end))
    starts = [s.start for s in article.sentences]
    mentions = []
    for sp in spans:
        idx = bisect.bisect_right(starts, sp.start) - 1 if starts else 0
        mentions.append(
            Mention(text=text[sp.start : sp.end], label=sp.label, start=sp.start, end=sp.end, sentence=max(idx, 0))
        )
    keys = _link_in_article(spans, text, pairs, mentions)
    return [
        Mention(text=m.text, label=m.label, start=m.start, end=m.end, sentence=m.sentence, key=k)
        for m, k in zip(mentions, keys, strict=True)
    ]


_DESC_HEADS = frozenset(k.split()[-1] for k in _DESC_CLASS)


def is_description(mention: Mention) -> bool:
    """True for a description ("the watchdog", "Karvelian state news agency") rather than a proper name."""
    words = mention.text.split()
    if words and words[0].lower() in ("the", "a", "an", "its", "their"):
        words = words[1:]
    if not words or _is_acronym(mention.text):
        return not words
    head = words[-1]
    return fold(head) in _DESC_HEADS and (head[:1].islower() or len(words) == 1 or any("-based" in w for w in words))


def _spacy_spans(doc: Any, text: str) -> list[_Span]:
    places = place_names()
    surnames = {_last_word(e.text) for e in doc.ents if e.label_ == "PERSON" and len(fold(e.text).split()) > 1}
    full_names = [fold(e.text).split() for e in doc.ents if e.label_ == "PERSON"]
    name_parts = {w for words in full_names if len(words) > 1 for w in (words[0], words[-1])}
    spans: list[_Span] = []
    for ent in doc.ents:
        start, end, label = ent.start_char, ent.end_char, ent.label_
        if label not in NAME_LABELS and label not in _FIXABLE:
            continue
        seg = text[start:end]
        det = _DETERMINER.match(seg)
        if det:
            start += det.end()
        seg = text[start:end]
        poss = re.search(r"['’]s?$", seg)
        if poss and end - start > poss.end() - poss.start():
            end -= poss.end() - poss.start()
        while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT):
            start += 1
        while end > start and (
            text[end - 1].isspace()
            or text[end - 1] in _EDGE_PUNCT + ",;:"
            or (text[end - 1] == "." and text[end - 2 : end - 1].isspace())
        ):
            end -= 1
        seg = text[start:end]
        title = re.match(r"[A-Za-z]+\.?\s+", seg)
        if label == "PERSON" and title and fold(title.group()) in TITLE_WORDS and len(seg.split()) > 1:
            start += title.end()  # "Sheriff McCullick" is McCullick
            seg = text[start:end]
        if not seg or not any(c.isupper() for c in seg) or fold(seg) in TITLE_WORDS:
            continue
        label = _fix_label(seg, label, places, surnames)
        if label is None:
            continue
        if (
            label in ("PERSON", "ORG", "NORP")
            and not (label == "ORG" and text.startswith(("'s", "’s"), end))  # "McDonald's"
            and gazetteer_place(seg, countries=label != "NORP")
            and fold(seg) not in name_parts
            and not person_context(text, start, end, TITLE_WORDS)
            and place_context(text, start, end, people_nouns=label != "NORP")
        ):
            label = "GPE"  # "the Dadaab camps": a place the small model took for a name
        spans.append(_Span(start, end, label, "acronym" if _is_acronym(seg) else "name"))
    return spans


def _fix_label(seg: str, label: str, places: frozenset[str], surnames: set[str]) -> str | None:
    words = seg.split()
    if label in ("GPE", "LOC"):
        if any(w.lower() in ORG_WORDS for w in words):
            return "ORG"
        if _is_acronym(seg) and seg.replace(".", "") not in _COUNTRY_CODES and seg not in places:
            return "ORG"
        return label
    if seg in places and len(words) <= 2:
        if label == "NORP" and _DEMONYM_END.search(fold(seg)):
            return label
        if label == "PERSON" and fold(seg) in surnames:
            return label
        if label in ("NORP", "PERSON", "ORG", "PRODUCT", "LANGUAGE", "WORK_OF_ART", "EVENT"):
            return "GPE"
    if label == "PERSON" and any(w.lower() in ORG_WORDS for w in words):
        return "ORG"
    if label in NAME_LABELS:
        return label
    return None


def _merge_modifiers(spans: list[_Span], text: str) -> list[_Span]:
    """ "Karvel's" + "Frontier Guard", "Karvelian" + "Frontier Guard" become one ORG mention."""
    spans.sort(key=lambda s: s.start)
    out: list[_Span] = []
    for sp in spans:
        if out and sp.label == "ORG" and out[-1].label in ("GPE", "NORP"):
            prev = out[-1]
            gap = text[prev.end : sp.start]
            if (gap in ("'s ", "’s ") and prev.label == "GPE") or (gap == " " and prev.label == "NORP"):
                out[-1] = _Span(prev.start, sp.end, "ORG", "name")
                continue
        out.append(sp)
    return out


def _replace_overlaps(spans: list[_Span], new: _Span) -> list[_Span]:
    return [s for s in spans if s.end <= new.start or s.start >= new.end] + [new]


def _add_acronyms(spans: list[_Span], text: str, pairs: list[tuple[int, int]]) -> list[_Span]:
    acronyms: dict[str, str] = {}
    for m in _ACRONYM_PAREN.finditer(text):
        acr = m.group(1)
        exp = _expansion_before(text, m.start(), acr, spans)
        if exp is None:
            continue
        es, ee = exp
        label = next((s.label for s in spans if s.start == es and s.end == ee and s.label in PLACE_LABELS), "ORG")
        spans = _replace_overlaps(spans, _Span(es, ee, label, "name"))
        spans = _replace_overlaps(spans, _Span(m.start(1), m.end(1), label, "acronym"))
        pairs.append((es, m.start(1)))
        acronyms[acr] = label
    for acr, label in acronyms.items():
        for m in re.finditer(r"(?<![\w.])" + re.escape(acr) + r"(?![\w])", text):
            if any(s.start <= m.start() < s.end and s.kind == "acronym" for s in spans):
                continue
            if any(
                s.start < m.end() and m.start() < s.end and s.kind == "name" and s.end - s.start > len(acr)
                for s in spans
            ):
                continue
            spans = _replace_overlaps(spans, _Span(m.start(), m.end(), label, "acronym"))
    return spans


def _expansion_before(text: str, pos: int, acr: str, spans: list[_Span]) -> tuple[int, int] | None:
    """The capitalised name that ``(ACR)`` at ``pos`` abbreviates, as (start, end)."""
    end = pos
    while end > 0 and text[end - 1] == " ":
        end -= 1
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, max(0, end - 160), end)]
    words = [w for w in words if w[1] <= end]
    chosen: list[tuple[int, int, str]] = []
    for w in reversed(words):
        token = w[2]
        if chosen and text[w[1] : chosen[0][0]].strip():
            break  # punctuation between the words: "Starkville, Miss. (AP)" is no expansion
        if token[:1].isupper() or re.match(r"^(?:al|el|ad)-[A-Z]", token) or (token.lower() in _STOP and chosen):
            chosen.insert(0, w)
        else:
            break
        if len(chosen) >= 9:
            break
    while chosen and (chosen[0][2].lower() in _STOP or chosen[0][2] in ("The", "A", "An")):
        chosen.pop(0)
    if not chosen:
        return None
    letters = sorted(acr.replace(".", "").upper())
    # the shortest suffix of the capitalised run whose initials account for the acronym's letters
    for i in range(len(chosen) - 1, -1, -1):
        cand = text[chosen[i][0] : chosen[-1][1]]
        initials = _initials(cand)
        if sorted(initials) == letters or initials == "".join(letters):
            return chosen[i][0], chosen[-1][1]
    cand = text[chosen[0][0] : chosen[-1][1]]
    if _initials(cand)[:1] == acr[:1].upper() and len(chosen) >= 2:
        return chosen[0][0], chosen[-1][1]
    ent = next((s for s in spans if s.end == end and s.kind == "name"), None)
    if ent and len(text[ent.start : ent.end].split()) >= 2 and _initials(text[ent.start : ent.end])[:1] == acr[:1]:
        return ent.start, ent.end
    return None


_TITLED_PERSON = re.compile(
    r"(?<![\w-])(?:Sgt|Lt|Det|Capt|Cpl|Officer|Deputy|Sheriff|Dr|Mr|Mrs|Ms|Gen|Col|Maj|Gov|Sen|Rep|President|"
    r"Minister|Chief|Mayor|Judge|Sergeant|Lieutenant|Detective|Captain|Corporal|General|Colonel|Governor|"
    r"Senator)\.?\s+((?:[A-Z][a-z]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.|(?:al|el)-[A-Z][a-z]+))+)"
)


_ORG_HEADS = "|".join(sorted({w.capitalize() for w in ORG_WORDS} | {"Watch", "Crescent", "Cross", "Monitor"}))
_ORG_NAME = re.compile(
    rf"(?<![\w-])((?:(?!The\s)[A-Z][\w'’-]*\s+){{1,5}}(?:{_ORG_HEADS})"
    rf"(?:\s+(?:for|of|on)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){{0,3}})?)(?![\w-])"
)


def _add_org_names(spans: list[_Span], text: str) -> list[_Span]:
    """Capitalised names ending in an organisation word ("Danube Conflict Watch") the model missed."""
    for m in _ORG_NAME.finditer(text):
        s, e = m.start(1), m.end(1)
        inside = [x for x in spans if x.start < e and s < x.end]
        if (
            all(s <= x.start and x.end <= e and x.label in ("NORP", "GPE", "ORG", "PERSON") for x in inside)
            and not any(x.start == s and x.end == e for x in inside)
            and not (inside and len(inside) == 1 and inside[0].label == "ORG")
        ):
            spans = [x for x in spans if x not in inside] + [_Span(s, e, "ORG", "name")]
    return spans


def _add_titled_people(spans: list[_Span], text: str) -> list[_Span]:
    """ "Sgt. Ana Ruiz": a title followed by capitalised names is a person the model may have missed."""
    for m in _TITLED_PERSON.finditer(text):
        s, e = m.start(1), m.end(1)
        if not any(x.start < e and s < x.end for x in spans):
            spans.append(_Span(s, e, "PERSON", "name"))
    return spans


def _add_capitals(spans: list[_Span], text: str, article: Article) -> list[_Span]:
    """All-caps words the small model misses ("KNA"), outside headlines written in capitals."""
    for sent in article.sentences:
        words = sent.text.split()
        if not words or sum(w.isupper() for w in words) > len(words) / 3:
            continue
        for m in _ALL_CAPS.finditer(text, sent.start, sent.end):
            s, e = m.start(), m.end()
            token = m.group()
            if token.replace(".", "") in ACRONYM_STOP or any(x.start < e and s < x.end for x in spans):
                continue
            spans.append(_Span(s, e, "ORG", "acronym"))
    return spans


def _add_descriptions(spans: list[_Span], text: str) -> list[_Span]:
    for m in _DESCRIPTION.finditer(text):
        head = " ".join(m.group("head").lower().split())
        mods = m.group("mods").split()
        det = m.group("det")
        if not det and not mods:
            continue
        if head in ("media", "agency", "agencies", "broadcaster", "television", "tv") and not any(
            w.lower() in ("state", "news", "state-run", "state-owned", "official", "government-run") or w[:1].isupper()
            for w in mods
        ):
            continue
        start = m.start("mods") if not det or det.strip().lower() in ("a", "an", "its", "their") else m.start()
        if det and det.strip().lower() == "the" and (mods and mods[0][:1].isupper()):
            start = m.start("mods")
        end = m.end()
        # names win over descriptions inside them ("Karvel Observatory" inside the full name)
        inside = [s for s in spans if s.start < end and start < s.end]
        if any(not (start <= s.start and s.end <= end) for s in inside):
            continue
        if any(
            s.kind != "description"
            and fold(text[s.start : s.end]) not in (head, "")
            and fold(text[s.start : s.end]) not in {"uk", "us", "britain"}
            and s.label not in ("NORP", "GPE")
            for s in inside
        ):
            continue
        spans = [s for s in spans if s not in inside]
        spans.append(_Span(start, end, "ORG", "description", _DESC_CLASS.get(head, "")))
    return spans


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _link_in_article(spans: list[_Span], text: str, pairs: list[tuple[int, int]], mentions: list[Mention]) -> list[str]:
    n = len(spans)
    uf = _Union(n)
    by_start = {s.start: i for i, s in enumerate(spans)}
    surnames = {
        _last_word(text[s.start : s.end])
        for s in spans
        if s.label == "PERSON" and len(fold(text[s.start : s.end]).split()) > 1
    }
    first_by_form: dict[str, int] = {}
    for i, sp in enumerate(spans):
        form = fold(strip_determiner(text[sp.start : sp.end]))
        if not form or (" " not in form and _strip_article_prefix(form) in surnames and sp.kind == "name"):
            continue  # a lone surname links to the nearest full name, not to every other "Thomas"
        key = f"{sp.kind == 'description'}:{form}"
        if key in first_by_form:
            uf.union(first_by_form[key], i)
        else:
            first_by_form[key] = i
    for es, as_ in pairs:
        if es in by_start and as_ in by_start:
            uf.union(by_start[es], by_start[as_])
    # acronyms and expansions by initials; spelling variants; core words (one pair per distinct form)
    distinct: dict[tuple[str, str], int] = {}
    for i, sp in enumerate(spans):
        if sp.kind != "description" and sp.label != "NORP":
            distinct.setdefault((text[sp.start : sp.end], sp.label), i)
    forms = list(distinct.items())
    for a, ((ta, la), i) in enumerate(forms):
        for (tb, lb), j in forms[a + 1 :]:
            if _forms_corefer(ta, la, tb, lb, local=True):
                uf.union(i, j)
    _link_surnames(spans, text, uf)
    _link_descriptions(spans, text, uf)
    return [f"k{uf.find(i)}" for i in range(n)]


def _type_class(label: str) -> str:
    return "place" if label in PLACE_LABELS else label


def _forms_corefer(a: str, la: str, b: str, lb: str, local: bool = False) -> bool:
    """Two proper-name forms that name the same thing wherever they occur."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    acr_a, acr_b = _is_acronym(a), _is_acronym(b)
    if acr_a != acr_b:
        acr, full = (a, b) if acr_a else (b, a)
        return len(full.split()) >= 2 and _initials(full) == acr.replace(".", "").upper()
    if acr_a or _type_class(la) != _type_class(lb):
        return False
    wa, wb = fa.split(), fb.split()
    if (len(wa) >= 2 or len(wb) >= 2) and wa[0][:1] == wb[0][:1]:
        ska, skb = _skeleton(a), _skeleton(b)
        if len(ska) >= 6 and ska == skb:
            return True
    if la == "ORG" or lb == "ORG":
        ca, cb = set(_core(a)), set(_core(b))
        if len(ca) >= 2 and len(cb) >= 2 and (ca == cb or set(wa) == set(wb)):
            return True
        if local and (ca == set(wb) or cb == set(wa)):
            return True  # "Karvel's Dawn Front" and "Dawn Front" in one article
    return False


def _core_subset(small: str, large: str) -> bool:
    cs, cl = set(_core(small)), set(_core(large))
    return len(cs) >= 2 and cs < cl and bool(cs - ORG_WORDS - GENERIC_NAME_WORDS - _place_words())


@functools.cache
def _place_words() -> frozenset[str]:
    """Folded one-word place names: "Wisconsin State" is no core of "Wisconsin State Crime Lab"."""
    return frozenset(fold(n) for n in place_names() if " " not in n)


def _link_surnames(spans: list[_Span], text: str, uf: _Union) -> None:
    """ "Haddad" and "al-Haddad" co-refer with the nearest full name ending in that surname."""
    full: list[tuple[int, str]] = []
    for i, sp in enumerate(spans):
        if sp.label == "PERSON" and len(fold(text[sp.start : sp.end]).split()) > 1:
            full.append((i, _last_word(text[sp.start : sp.end])))
    for i, sp in enumerate(spans):
        if sp.label not in ("PERSON", "ORG") or sp.kind != "name":
            continue
        form = _strip_article_prefix(fold(text[sp.start : sp.end]))
        if " " in form or not form:
            continue
        cands = [j for j, last in full if last == form]
        if not cands:
            continue
        before = [j for j in cands if j < i]
        uf.union(i, before[-1] if before else cands[0])
        if sp.label == "ORG":
            sp.label = "PERSON"


def _link_descriptions(spans: list[_Span], text: str, uf: _Union) -> None:
    """Link each description to the organisation it stands for in this article."""
    linked_class: dict[str, int] = {}
    orgs = [i for i, s in enumerate(spans) if s.kind != "description" and s.label in ("ORG", "NORP", "PERSON")]
    for i, sp in enumerate(spans):
        if sp.kind != "description":
            continue
        target = _appositive(spans, text, i)
        head = _last_word(text[sp.start : sp.end])
        if target is None:
            words = _CLASS_NAME_WORDS.get(sp.cls, frozenset()) | {head}
            compat = [
                j
                for j in orgs
                if spans[j].label == "ORG" and words & set(fold(text[spans[j].start : spans[j].end]).split())
            ]
            if sp.cls in linked_class:
                compat.append(linked_class[sp.cls])
            before = [j for j in compat if spans[j].start < sp.start]
            after = [j for j in compat if spans[j].start > sp.end and spans[j].start - sp.end < 400]
            if before:
                target = max(before, key=lambda j: spans[j].start)
            elif after:
                target = min(after, key=lambda j: spans[j].start)
        if target is not None:
            uf.union(i, target)
            if sp.cls:
                linked_class[sp.cls] = target


def _appositive(spans: list[_Span], text: str, i: int) -> int | None:
    sp = spans[i]
    if i + 1 < len(spans):
        nxt = spans[i + 1]
        if (
            nxt.kind != "description"
            and nxt.label in ("ORG", "PERSON")
            and re.fullmatch(r"\s*,?\s*", text[sp.end : nxt.start])
        ):
            return i + 1
    if i > 0:
        prev = spans[i - 1]
        if prev.kind != "description" and prev.label == "ORG" and re.fullmatch(r",\s*", text[prev.end : sp.start]):
            return i - 1
    return None


def _name_rank(form: str, count: int) -> tuple[bool, bool, int, int, int, str]:
    """How complete a name is: not an acronym, no possessive prefix ("California's"), most words, most used."""
    possessive = re.search(r"['’]s\s", form) is not None
    return (not _is_acronym(form), not possessive, len(fold(form).split()), count, len(form), form)


def best_names(mentions: Sequence[Mention]) -> dict[str, str]:
    """Article-local key -> the most complete proper name written for it (descriptions only if nothing else)."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.key:
            groups[m.key].append(m)
    out: dict[str, str] = {}
    for key, ms in groups.items():
        named = [m for m in ms if not is_description(m)]
        pool = Counter(m.text for m in (named or ms))
        out[key] = max(pool, key=lambda f: _name_rank(f, pool[f]))
        if not named:
            out[key] = strip_determiner(out[key])
    return out
