"""Who says it, and how: per-sentence source, stance (asserts/denies) and hedges.

A sentence's source is the one it names ("according to X", "X said", "X says that", "reports X",
"with X reporting that", "said X"). A sentence that names none continues the previous sentence's
report only when something supports it: a pronoun that says ("it said", "he added"), a quotation or
connective that continues the paragraph, or the same casualty count carried on ("the toll has risen").
Otherwise it stays unattributed: a source is never guessed from elsewhere in the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsweave.extract.entities import best_names, is_description, strip_determiner
from newsweave.model import Article, Mention, Sentence, Stance

_SAY = (
    r"(?:said|says|say|saying|reported|reports|report|reporting|claimed|claims|claim|claiming|told|tells|"
    r"stated|states|announced|announces|announcing|added|adds|confirmed|confirms|confirming|indicated|"
    r"indicates|noted|notes|estimated|estimates|alleged|alleges|warned|warns|insisted|insists|denied|denies|"
    r"deny|denying|rejected|rejects|dismissed|dismisses|revealed|reveals|wrote|writes|tweeted|"
    r"quoted|cited|documented|recorded|counted|believes|believed|assessed|argued|argues|explained|stressed|"
    r"allege|pointed\s+out|put\s+the\s+(?:death\s+)?toll)"
)
_SAY_RE = re.compile(rf"(?<![\w-]){_SAY}(?![\w-])", re.IGNORECASE)
_INVERTED_SAY = re.compile(
    r"(?<![\w-])(?:said|says|reported|reports|told|added|adds|claimed|claims|stated|wrote|writes)(?![\w-])"
)
_INVERTED_GAP = re.compile(
    r"\s*(?:(?:the|a|an)\s+)?(?:(?:Sgt|Lt|Det|Capt|Cpl|Officer|Deputy|Sheriff|Dr|Mr|Mrs|Ms|Gen|Col|Maj|Gov|Sen|"
    r"Rep|Police\s+Chief|Chief|Mayor|Detective|Sergeant|Lieutenant|Captain|Spokes(?:man|woman|person))\.?\s+)?",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"(?<![\w-])(?:according\s+to|citing|cited\s+by|quoted\s+by|reported\s+by|"
    r"(?:provided|released|compiled|issued|published|given)\s+by|figures?\s+from|"
    r"claimed\s+by|(?<!were\s)(?<!was\s)confirmed\s+by)\s+",
    re.IGNORECASE,
)
_SUBJECT_GAP = re.compile(
    r"""^\)?(?:\s*,[^,]{1,110},)?\s*(?:(?:has|have|had|also|further|later|previously|again|then|would|will|
    earlier|separately|subsequently|on\s+\w+day|late\s+\w+day|\w+ly)\s+)*$""",
    re.IGNORECASE | re.VERBOSE,
)
_GENERIC = re.compile(
    r"""(?<![\w-])(?:(?:the|a|an)\s+)?(?:(?:[A-Z][\w-]*|[a-z]+-(?:controlled|run|backed|owned|affiliated|based|
    linked|held)|local|military|security|medical|government|official|opposition|rebel|health|hospital|defen[cs]e|
    interior|foreign|state|civil|humanitarian|aid|rescue|regime|army|police|provincial|municipal|senior|
    western|diplomatic|intelligence|US|U\.S\.|UN|U\.N\.)\s+){0,3}(?:[\w-]+['’]s\s+)?
    (?i:government|military|army|ministry|officials?|sources|observers|witnesses|residents|activists|police|
    authorities|media|medics|doctors|rescuers|monitors|spokes(?:man|woman|person)|analysts?|paramedics|
    forces|troops|rebels|insurgents|militants|opposition|regime|workers|volunteers|deputies|
    troopers|detectives|investigators|prosecutors|coroner|medical\s+examiner|officers|firefighters|sheriff|
    sheriff['’]s\s+office|family|relatives|neighbou?rs|survivors|staff|hospitals?|organi[sz]ers|
    (?:press\s+)?office|spokes(?:man|woman|person))(?![\w-])""",
    re.VERBOSE,
)
_PRONOUN_SAY = re.compile(
    rf"(?:^|[,;:\"“”]\s*|\s)(?:he|she|it|they|the\s+(?:group|monitor|observatory|agency|ministry|organi[sz]ation))"
    rf"\s+(?:also\s+|further\s+|later\s+)?{_SAY}(?![\w-])",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"(?<![\w-])(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:es|ed|ing)|"
    r"disput(?:es|ed|ing)|rebuff(?:s|ed)?)\s+(?:\w+\s+){0,3}?(?:reports?|claims?|allegations?|accusations?|"
    r"rumou?rs|that|any|involvement|responsibility|the\s+claim|(?:having\s+)?\w+ing(?![\w-]))",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"""(?<![\w-])(?:reportedly|allegedly|purportedly|apparently|unconfirmed|unverified|
    unclear\s+(?:if|whether)|not\s+(?:yet\s+)?clear\s+(?:if|whether)|
    (?:could|can)\s*(?:not|n't)\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)|
    not\s+(?:been\s+)?(?:independently\s+)?(?:verified|confirmed)|
    (?:is|are|was|were)\s+(?:said|believed|thought|reported|alleged)\s+to|
    (?:may|might)\s+have|claim(?:s|ed)?\s+to\s+have|rumou?red)""",
    re.IGNORECASE | re.VERBOSE,
)
_CASUALTY = re.compile(
    r"(?<![\w-])(?:kill\w*|dead|deaths?|died|toll|casualt\w+|fatalit\w+|wounded|injur\w+)", re.IGNORECASE
)
_CONTINUES = re.compile(
    r"^(?:[\"“]|(?:it|he|she|they|most|many|some|of\s+(?:those|them|these|the)|among\s+(?:them|those|the)|"
    r"also|in\s+addition|this|these|those|the\s+(?:toll|figure|number|dead|victims))\b)",
    re.IGNORECASE,
)
_CONTINUES_ANYWHERE = re.compile(r"(?<![\w-])(?:also|had\s+been|reportedly)(?![\w-])", re.IGNORECASE)
_SOURCE_LABELS = frozenset({"ORG", "PERSON", "NORP", "GPE"})
_VOICE = r"(?:chief|director|head|spokes(?:man|woman|person)|founder|chair(?:man|woman)?|president|leader|commander)"
_TITLE_BEFORE = re.compile(rf"\s+(?:[\w-]+\s+)?{_VOICE}\s+", re.IGNORECASE)
_TITLE_AFTER = re.compile(
    rf",\s+(?:(?:the|a|an|its)\s+)?(?:[\w-]+\s+)?{_VOICE}\s+(?:of|at|for)\s+(?:the\s+)?", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a sentence's report comes from, with stance and hedge."""

    sentence_index: int
    source: str | None = None  # best name of the source as written in the article
    source_key: str | None = None  # article-local mention key of the source, when it is an entity
    start: int | None = None  # offsets of the source phrase (the naming sentence's, when carried)
    end: int | None = None
    stance: Stance = "asserts"
    hedged: bool = False
    carried: bool = False  # the source was carried over from an earlier sentence


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    text: str
    key: str | None
    mention: Mention | None


def attribute_sentences(article: Article, mentions: Sequence[Mention]) -> list[Attribution]:
    """One Attribution per sentence of ``article`` (same order and indices as ``article.sentences``)."""
    names = best_names(mentions)
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Attribution] = []
    prev: Attribution | None = None
    prev_sent: Sentence | None = None
    for sent in article.sentences:
        stance: Stance = "denies" if _DENIAL.search(sent.text) else "asserts"
        hedged = _HEDGE.search(sent.text) is not None
        if sent.heading:
            out.append(Attribution(sent.index, stance=stance, hedged=hedged))
            prev, prev_sent = None, None
            continue
        cand = find_source(sent, by_sentence.get(sent.index, []))
        if cand is not None:
            source = names.get(cand.key, cand.text) if cand.key else cand.text
            if cand.mention is not None and not is_description(cand.mention) and cand.key:
                source = names.get(cand.key, cand.mention.text)
            att = Attribution(sent.index, strip_determiner(source), cand.key, cand.start, cand.end, stance, hedged)
        elif prev is not None and prev.source and prev_sent is not None and _continues(sent, prev_sent):
            att = Attribution(
                sent.index, prev.source, prev.source_key, prev.start, prev.end, stance, hedged, carried=True
            )
        else:
            att = Attribution(sent.index, stance=stance, hedged=hedged)
        out.append(att)
        prev, prev_sent = att, sent
    return out


def _continues(sent: Sentence, prev: Sentence) -> bool:
    """Does ``sent`` carry on the report of the sentence before it?"""
    text = sent.text.strip()
    if _PRONOUN_SAY.search(text):
        return True
    casualty = _CASUALTY.search(text) is not None and _CASUALTY.search(prev.text) is not None
    if sent.paragraph == prev.paragraph:
        return casualty or _CONTINUES.search(text) is not None or _CONTINUES_ANYWHERE.search(text) is not None
    return casualty and re.search(r"(?<![\w-])(?:toll|risen|rose|climbed|increased)(?![\w-])", text) is not None


def find_source(sent: Sentence, mentions: Sequence[Mention]) -> _Candidate | None:
    """The source a sentence names, if any ("according to X", "X said", "said X", "X reported that")."""
    cands = _candidates(sent, mentions)
    if not cands:
        return None
    text = sent.text
    for m in _ACCORDING.finditer(text):
        pos = sent.start + m.end()
        hit = next((c for c in cands if pos <= c.start <= pos + 4), None)
        if hit is not None:
            return _organisation_of(hit, cands, sent)
    for m in _SAY_RE.finditer(text):
        vstart, vend = sent.start + m.start(), sent.start + m.end()
        before = [c for c in cands if c.end <= vstart]
        for c in sorted(before, key=lambda c: -c.end):
            gap = sent.text[c.end - sent.start : vstart - sent.start]
            if _SUBJECT_GAP.match(gap) and not re.search(r"\b(?:that|who|which)\b", gap):
                return _organisation_of(_speaker_at_place(c, cands, sent), cands, sent)
        if _INVERTED_SAY.fullmatch(m.group()):
            lead = text[: m.start()].rstrip()
            if lead.endswith((",", '"', "”", "’", "'")) or lead.endswith(("that", "as")):
                after = next(
                    (
                        c
                        for c in cands
                        if c.start >= vend and _INVERTED_GAP.fullmatch(text[vend - sent.start : c.start - sent.start])
                    ),
                    None,
                )
                if after is not None:
                    return _organisation_of(after, cands, sent)
    return None


_AT_PLACE = re.compile(r"\s+(?:in|at|from|of)\s+(?:the\s+)?", re.IGNORECASE)


def _speaker_at_place(c: _Candidate, cands: list[_Candidate], sent: Sentence) -> _Candidate:
    """ "hospital officials in Shkoder told ...": the speakers are the officials, not the town."""
    if c.mention is None or c.mention.label not in ("GPE", "LOC", "FAC"):
        return c
    before = [o for o in cands if o.end <= c.start and o.mention is None]
    if before and _AT_PLACE.fullmatch(sent.text[before[-1].end - sent.start : c.start - sent.start]):
        speaker = before[-1]
        return _Candidate(speaker.start, c.end, sent.text[speaker.start - sent.start : c.end - sent.start], None, None)
    return c


def _organisation_of(c: _Candidate, cands: list[_Candidate], sent: Sentence) -> _Candidate:
    """A person who speaks for an organisation stands for it: "KMR chief Anna Voss" and
    "Anna Voss, head of the monitor" are the monitor's reports."""
    if c.mention is None or c.mention.label != "PERSON":
        return c
    text, base = sent.text, sent.start
    before = [o for o in cands if o.end <= c.start and o.mention is not None and o.mention.label == "ORG"]
    if before and _TITLE_BEFORE.fullmatch(text[before[-1].end - base : c.start - base]):
        return before[-1]
    after = [o for o in cands if o.start >= c.end]
    if (
        after
        and (after[0].mention is None or after[0].mention.label == "ORG")
        and _TITLE_AFTER.fullmatch(text[c.end - base : after[0].start - base])
    ):
        return after[0]
    return c


def _candidates(sent: Sentence, mentions: Sequence[Mention]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for g in _GENERIC.finditer(sent.text):
        s, e = sent.start + g.start(), sent.start + g.end()
        inner = [m for m in mentions if s <= m.start and m.end <= e and m.label in ("ORG", "PERSON")]
        if inner and not is_description(inner[-1]):
            continue  # "the Pentagon", "KMR": the name itself is the candidate
        out.append(_Candidate(s, e, g.group(), None, None))
    for m in mentions:
        if m.label not in _SOURCE_LABELS:
            continue
        if any(c.start <= m.start and m.end <= c.end for c in out):
            continue
        out = [c for c in out if not (m.start <= c.start and c.end <= m.end)]
        out.append(_Candidate(m.start, m.end, m.text, m.key, m))
    return sorted(out, key=lambda c: (c.start, -c.end))
