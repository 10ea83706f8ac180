"""Claims: sentences stating that something happened, with who says so, stance, date and actors.

A claim is one (sentence, kind) pair: capture, regain, attack, casualties, closure, reinforcement,
pledge, appeal or denial. Sentences about another time (a war's start years ago, an old siege) and
headings are not claims about the reported events.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from newsweave.extract.attribution import Attribution
from newsweave.extract.dates import DateRef, find_dates, parse_published
from newsweave.extract.entities import best_names, is_description
from newsweave.model import Article, Claim, Granularity, Mention, Sentence

_W = r"(?![\w-])"
KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "regain",
            rf"(?<![\w-])(?:regain(?:ed|s|ing)?|retook|retak(?:e|es|en|ing)|recaptur(?:e|ed|es|ing)|"
            rf"reclaim(?:ed|s)?|won\s+back|back\s+under\s+(?:government|army|regime)\s+control){_W}",
        ),
        (
            "capture",
            r"(?<![\w-])(?:captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)|(?:took|taken|take|taking)\s+"
            r"(?:full\s+|total\s+)?(?:control|over)|overr(?:an|un)|storm(?:ed|s)|fell\s+to|"
            r"control(?:s|led)?\s+(?:\w+\s+){0,3}(?:neighbou?rhoods?|towns?|villages?|cities|areas?|"
            r"parts?|territory|districts?)|(?:advanced|pushed|swept|moved)\s+into|entered|"
            r"reached\s+the\s+(?:heart|centre|center|outskirts|gates))" + _W,
        ),
        (
            "closure",
            rf"(?<![\w-])(?:clos(?:e|ed|es|ing)|shut(?:\s+down)?|cut(?:\s+off)?|block(?:ed|s|ing)?|"
            rf"seal(?:ed|s)?|suspend(?:ed|s)?)\s+(?:[\w'’-]+\s+){{0,6}}(?:roads?|highways?|airports?|"
            rf"borders?|crossings?|routes?|supply\s+lines?|flights?|access|ports?){_W}",
        ),
        (
            "reinforcement",
            rf"(?<![\w-])(?:reinforcements?|(?:re)?deploy(?:ed|s|ing|ment)?|dispatch(?:ed|es)?|"
            rf"mobili[sz](?:e|ed|es|ing|ation)|sen[dt]\s+(?:\w+\s+)?(?:troops|forces|units|"
            rf"soldiers)){_W}",
        ),
        (
            "pledge",
            rf"(?<![\w-])(?:pledg(?:e|ed|es|ing)|promis(?:e|ed|es|ing)|vow(?:ed|s)?|(?:continued|full|"
            rf"military|financial|humanitarian)\s+(?:support|aid|assistance)|offer(?:ed|s)\s+"
            rf"(?:\w+\s+){{0,2}}(?:support|aid|help)){_W}",
        ),
        (
            "appeal",
            rf"(?<![\w-])(?:urg(?:e|ed|es|ing)|call(?:s|ed)?\s+(?:on|for)|demand(?:s|ed)?|"
            rf"appeal(?:s|ed)?\s+(?:to|for)){_W}",
        ),
        (
            "attack",
            rf"(?<![\w-])(?:attack(?:ed|ing|s\s+on)|air\s*strikes?|airstrikes?|air\s+raids?|"
            rf"drone\s+strikes?|shell(?:ed|ing)|bomb(?:ed|ing|ings|ardment)|car\s+bombs?|struck|"
            rf"(?:carried\s+out|launched|conducted|mounted)\s+(?:\w+\s+){{0,3}}(?:strikes|attacks?|raids?|"
            rf"offensive|assault)|fir(?:ed|ing)\s+(?:at|on)|clash(?:ed|es)|ambush(?:ed)?|raid(?:ed)?|"
            rf"offensive\s+(?:began|started|was\s+launched)|began\s+(?:an?\s+|the\s+)?(?:offensive|assault)|"
            rf"targeted|hit\s+(?:a|an|the)){_W}",
        ),
        ("casualties", rf"(?<![\w-])(?:killed|dead|died|deaths|death\s+toll|wounded|injured|casualties){_W}"),
    )
)
_BACKGROUND_PHRASE = re.compile(
    r"(?<![\w-])(?:(?:civil\s+)?war\s+(?:began|broke\s+out|started)|in\s+recent\s+years|years\s+ago|"
    r"(?:for|over)\s+(?:more\s+than\s+)?(?:a|two|three|several)\s+(?:decades?|years)|since\s+the\s+(?:start|"
    r"outbreak|beginning)\s+of\s+the\s+(?:civil\s+)?war|has\s+been\s+(?:home|affected))",
    re.IGNORECASE,
)
_NOW = re.compile(
    r"(?<![\w-])(?:today|yesterday|tonight|this\s+(?:week|morning|evening|month)|(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day|last\s+(?:week|night))(?![\w-])",
    re.IGNORECASE,
)
_DATEISH = re.compile(
    r"(?:day|night|week|month|year|morning|evening|afternoon|earlier|later|ago|since|\d|jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w-])(1[89]\d\d|20\d\d)(?![\w-])")
# a demonym before the actor noun: "Kenyan", "Ukrainian", "Turkish", "Iraqi", "Chinese", "French"
_DEMONYM = r"[A-Z][a-z]+(?:an|ish|i|ese|ch)"
_ACTOR_WORDS = re.compile(
    r"(?<![\w-])(?:(?:pro-government|government|regime|rebel|opposition|security|army|military|"
    rf"{_DEMONYM}|US|Islamist|jihadist|allied)\s+)?(?:rebels|rebel\s+forces|forces|troops|"
    r"army|jihadists|militants|insurgents|fighters|police|soldiers|protesters|demonstrators|gunmen|factions|"
    r"militias?|warplanes|government|regime|opposition)(?![\w-])"
)
_LOCATIVE = re.compile(
    r"(?:^|\s)(?:in|into|near|around|at|from|across|outside|inside|of|on|to|toward|towards|"
    r"between|and|via|through|within)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_MODAL = re.compile(
    r"(?<![\w-])(?:will|would|expected\s+to|plans?\s+to|planning\s+to|threaten(?:s|ed)?\s+to|"
    r"aims?\s+to)(?![\w-])",
    re.IGNORECASE,
)


def is_background(sentence: str, published: str | None) -> bool:
    """A sentence about another time: an earlier year without a recent-time word, or a war's history."""
    if _BACKGROUND_PHRASE.search(sentence) and not _NOW.search(sentence):
        return True
    base = parse_published(published)
    years = [int(y) for y in _YEAR.findall(sentence)]
    if not years or _NOW.search(sentence):
        return False
    return base is None or all(y < base.year for y in years)


def sentence_dates(article: Article) -> list[list[DateRef]]:
    """The date expressions of each sentence, resolved against the publication date; a chained
    expression ("a day earlier") refers back to the last day named in this or an earlier sentence."""
    out: list[list[DateRef]] = []
    previous: str | None = None
    for sent in article.sentences:
        refs = find_dates(sent.text, article.published, previous=previous) if _DATEISH.search(sent.text) else []
        day_refs = [r for r in refs if r.granularity == "day"]
        if day_refs:
            previous = day_refs[-1].date
        out.append(refs)
    return out


def find_claims(
    article: Article,
    mentions: Sequence[Mention],
    attributions: Sequence[Attribution],
    dates: Sequence[Sequence[DateRef]] | None = None,
) -> list[Claim]:
    """Claims of one article; ``attributions`` come from ``attribute_sentences`` (one per sentence) and
    ``dates`` from ``sentence_dates`` (computed when not given)."""
    names = best_names(mentions)
    by_sentence = _mentions_by_sentence(mentions)
    atts = {a.sentence_index: a for a in attributions}
    all_refs = dates if dates is not None else sentence_dates(article)
    claims: list[Claim] = []
    for sent in article.sentences:
        refs = all_refs[sent.index] if sent.index < len(all_refs) else []
        if sent.heading or is_background(sent.text, article.published):
            continue
        att = atts.get(sent.index, Attribution(sent.index))
        kinds = sentence_kinds(sent.text, att)
        if not kinds:
            continue
        date, granularity = claim_date(refs, article.published)
        actors = find_actors(sent, by_sentence.get(sent.index, []), names, att)
        for kind in kinds:
            claims.append(
                Claim(
                    sentence_index=sent.index,
                    sentence=sent.text,
                    start=sent.start,
                    end=sent.end,
                    kind=kind,
                    source=att.source,
                    stance=att.stance,
                    hedged=att.hedged,
                    date=date,
                    date_granularity=granularity,
                    actors=actors,
                )
            )
    return claims


def sentence_kinds(text: str, att: Attribution) -> list[str]:
    """The kinds of happening a sentence states, most specific first ("denial" for a denial)."""
    kinds = ["denial"] if att.stance == "denies" else []
    for kind, pattern in KIND_PATTERNS:
        if pattern.search(text) and not (kind == "capture" and "regain" in kinds):
            kinds.append(kind)
    if (
        len(kinds) > 1
        and "casualties" in kinds
        and not re.search(
            r"\d|\b(?:one|two|three|four|five|six|seven|"
            r"eight|nine|ten|dozens|hundreds)\b",
            text,
        )
    ):
        kinds.remove("casualties")
    return kinds


def claim_date(refs: Sequence[DateRef], published: str | None) -> tuple[str | None, Granularity | None]:
    """The first date the sentence names, else the publication date (a report is about its own day)."""
    if refs:
        return refs[0].date, refs[0].granularity
    if published and parse_published(published) is not None:
        return published[:10], "day"
    return None, None


def _mentions_by_sentence(mentions: Sequence[Mention]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = {}
    for m in mentions:
        out.setdefault(m.sentence, []).append(m)
    return out


def is_place_mention(sent_text: str, offset: int, m: Mention) -> bool:
    """A place mention used as a location ("in Kirkuk"), not as an actor ("France says")."""
    if m.label in ("LOC", "FAC"):
        return True
    return m.label == "GPE" and _LOCATIVE.search(sent_text[: m.start - offset]) is not None


def find_actors(
    sent: Sentence, mentions: Sequence[Mention], names: dict[str, str], att: Attribution
) -> tuple[str, ...]:
    """Who acts in the sentence: named groups, people and states, then generic actors ("rebels")."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in mentions:
        if att.start is not None and att.end is not None and att.start <= m.start < att.end:
            continue
        if m.label not in ("ORG", "PERSON", "NORP", "GPE") or is_place_mention(sent.text, sent.start, m):
            continue
        if m.label == "NORP" and _ACTOR_WORDS.match(sent.text, m.start - sent.start) is None:
            continue
        name = names.get(m.key, m.text) if m.key and not is_description(m) else m.text
        found.append((m.start, name))
        taken.append((m.start, m.end))
    for g in _ACTOR_WORDS.finditer(sent.text):
        s, e = sent.start + g.start(), sent.start + g.end()
        if att.start is not None and att.end is not None and s < att.end and att.start < e:
            continue
        if any(a < e and s < b for a, b in taken if not (s <= a and b <= e)):
            continue
        found = [(p, n) for p, n in found if not (s <= p < e)]
        found.append((s, g.group()))
    seen: list[str] = []
    for _, name in sorted(found):
        if name not in seen:
            seen.append(name)
    return tuple(seen)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Split a sentence into clauses that can report separate happenings ("..., while ...")."""
    cuts = [0]
    for m in re.finditer(r";\s+|,\s+while\s+|\s+while\s+|,\s+whereas\s+|,\s+and\s+(?:then\s+)?(?=[a-z]+ed\b)", text):
        cuts.append(m.start())
    cuts.append(len(text))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def has_modal(text: str) -> bool:
    return _MODAL.search(text) is not None
