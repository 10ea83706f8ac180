"""Claims (and figures) that oppose each other: denials, regained ground against captures, figure conflicts.

Claim kinds come from the extraction stage; the rules here read them liberally (a kind or the claim's
sentence that mentions "captur", "control", "advance" is about ground gained) so that a new kind name
does not silently switch a rule off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsweave.model import Contradiction, Reconciliation
from newsweave.reconcile.figures import _Counters, _describe, _fold, _short_hash, normalise_measure
from newsweave.reconcile.records import StoryClaim, StoryFigure

# Families of what a claim is about. Order matters: "regained control" is a regain, not a gain.
_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "regain",
        re.compile(
            r"\b(?:regain\w*|re-?captur\w*|re-?took|re-?tak\w*|repel\w*|repuls\w*|recover\w*|reclaim\w*|"
            r"restor\w* control|pushed back|push\w* back|drove back|driven back|beat back|counter-?attack\w*)"
        ),
    ),
    (
        "gain",
        re.compile(
            r"\b(?:captur\w*|seiz\w*|control\w*|took|tak(?:e|en|es|ing)\b|advanc\w*|gain\w*|overr\w*|"
            r"swept|sweep\w*|overt\w*|reached|entered|push\w* into|stormed|fell to|falls to)"
        ),
    ),
    ("casualty", re.compile(r"\b(?:kill\w*|dead|death\w*|died|casualt\w*|wound\w*|injur\w*|toll)")),
    ("attack", re.compile(r"\b(?:attack\w*|strike\w*|airstrike\w*|shell\w*|bomb\w*|assault\w*|raid\w*)")),
    ("closure", re.compile(r"\b(?:clos\w*|cut|block\w*|shut\w*)")),
    ("mobilise", re.compile(r"\b(?:reinforc\w*|deploy\w*|mobili\w*|troops arriv\w*|arriv\w*)")),
    ("support", re.compile(r"\b(?:pledg\w*|support\w*|promis\w*|aid)")),
)
# Claim kinds of the extraction stage (newsweave.extract.claims) and the family each speaks about.
_KIND_FAMILY = {
    "capture": "gain",
    "control": "gain",
    "advance": "gain",
    "regain": "regain",
    "recapture": "regain",
    "casualties": "casualty",
    "attack": "attack",
    "closure": "closure",
    "reinforcement": "mobilise",
    "deployment": "mobilise",
    "pledge": "support",
    "support": "support",
    "appeal": "appeal",
}
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ial)\w*|reject\w*|dismiss\w*|refut\w*|false|fake|untrue)\b")
_FIGURE_FAMILY = {"places_captured": "gain", "killed": "casualty", "injured": "casualty"}
_STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "and",
        "or",
        "for",
        "by",
        "with",
        "from",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "as",
        "said",
        "says",
        "say",
        "reported",
        "reports",
        "report",
        "according",
        "claims",
        "claimed",
        "state",
        "media",
        "news",
        "agency",
        "not",
        "no",
        "but",
        "also",
        "after",
        "before",
        "into",
        "over",
        "than",
        "more",
        "less",
        "about",
        "his",
        "her",
        "their",
        "they",
        "them",
        "he",
        "she",
        "we",
        "our",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "there",
        "here",
        "city",
        "town",
    ]
)


@dataclass(frozen=True, slots=True)
class _Side:
    claim_ids: tuple[str, ...]
    figure_ids: tuple[str, ...]
    article_ids: tuple[str, ...]


def _is_denial(sc: StoryClaim) -> bool:
    return sc.claim.stance == "denies" or "deni" in sc.claim.kind.lower()


def _family_of_text(text: str) -> str | None:
    for name, pattern in _FAMILIES:
        if pattern.search(text):
            return name
    return None


def claim_family(sc: StoryClaim) -> str | None:
    """What a claim is about: regain, gain, casualty, attack, closure, mobilise, support, or None."""
    kind = sc.claim.kind.lower().replace("_", " ")
    if kind in _KIND_FAMILY:
        return _KIND_FAMILY[kind]
    if kind and "deni" not in kind:
        family = _family_of_text(kind)
        if family:
            return family
    return _family_of_text(_denied_part(sc.claim.sentence) if _is_denial(sc) else sc.claim.sentence.lower())


def _denied_part(sentence: str) -> str:
    """The words after the denial verb: what is being denied."""
    text = sentence.lower()
    match = _DENIAL.search(text)
    return text[match.end() :] if match else text


def _content_words(text: str) -> set[str]:
    return {w for w in _fold(text).split() if len(w) > 2 and w not in _STOPWORDS and not w.isdigit()}


def _snippet(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _figures_of_family(figures: Sequence[StoryFigure], family: str | None) -> list[StoryFigure]:
    if family is None:
        return []
    return [
        sf
        for sf in figures
        if not sf.figure.background
        and sf.figure.stance == "asserts"
        and _FIGURE_FAMILY.get(normalise_measure(sf.figure.measure)) == family
    ]


def _contradiction(story_id: str, sides: Iterable[_Side], explanation: str) -> Contradiction:
    sides = list(sides)
    claim_ids = tuple(sorted({c for s in sides for c in s.claim_ids}))
    figure_ids = tuple(sorted({f for s in sides for f in s.figure_ids}))
    article_ids = tuple(sorted({a for s in sides for a in s.article_ids}))
    return Contradiction(
        id="c-" + _short_hash(story_id, *claim_ids, "|", *figure_ids),
        story_id=story_id,
        article_ids=article_ids,
        explanation=explanation,
        claim_ids=claim_ids,
        figure_ids=figure_ids,
    )


def _side(claims: Sequence[StoryClaim], figures: Sequence[StoryFigure] = ()) -> _Side:
    return _Side(
        tuple(sc.id for sc in claims),
        tuple(sf.id for sf in figures),
        tuple(sorted({sc.article_id for sc in claims} | {sf.article_id for sf in figures})),
    )


def _who(name: str | None, outlet: str | None, counters: _Counters) -> str:
    if name:
        return counters.display(counters.key(name)) if counters.key(name) else name
    return outlet or "an unattributed source"


def _name_list(names: set[str], limit: int = 4) -> str:
    """Named sources first, at most ``limit`` of them."""
    ordered = sorted(names, key=lambda n: (n == "an unattributed source", n))
    shown = ", ".join(ordered[:limit])
    return shown + (f" and {len(ordered) - limit} more" if len(ordered) > limit else "")


def _denial_contradictions(
    story_id: str, claims: Sequence[StoryClaim], figures: Sequence[StoryFigure], counters: _Counters
) -> list[Contradiction]:
    out = []
    asserting = [sc for sc in claims if not _is_denial(sc) and sc.claim.stance == "asserts"]
    # one denial per sentence: its claims of several kinds deny one thing
    by_sentence: dict[tuple[str, int], list[StoryClaim]] = {}
    for sc in claims:
        if _is_denial(sc):
            by_sentence.setdefault((sc.article_id, sc.claim.sentence_index), []).append(sc)
    for key in sorted(by_sentence):
        group = by_sentence[key]
        families = {f for f in (claim_family(sc) for sc in group) if f is not None}
        denial = group[0]
        mine = counters.key(denial.claim.source)
        other = [sc for sc in asserting if mine is None or counters.key(sc.claim.source) != mine]
        if families:
            opposed = [sc for sc in other if claim_family(sc) in families]
        else:
            words = _content_words(_denied_part(denial.claim.sentence))
            opposed = [sc for sc in other if len(words & _content_words(sc.claim.sentence)) >= 2]
        opposed_figs = [
            sf
            for family in sorted(families)
            for sf in _figures_of_family(figures, family)
            if mine is None or counters.key(sf.figure.source) != mine
        ]
        if not opposed and not opposed_figs:
            continue
        who = _who(denial.claim.source, denial.source_outlet, counters)
        against = _name_list(
            {_who(sc.claim.source, sc.source_outlet, counters) for sc in opposed}
            | {_who(sf.figure.source, sf.source_outlet, counters) for sf in opposed_figs}
        )
        first = min(opposed, key=lambda sc: (sc.published or "", sc.seq, sc.id)) if opposed else None
        quoted = f' ("{_snippet(first.claim.sentence)}", article {first.article_id})' if first else ""
        explanation = (
            f'{who} denies it ("{_snippet(denial.claim.sentence)}", article {denial.article_id}); '
            f"{against} report it{quoted}"
        )
        if opposed_figs:
            explanation += "; figures: " + ", ".join(
                f"{_describe(sf.figure)} {sf.figure.measure.replace('_', ' ')}" for sf in opposed_figs[:5]
            )
        out.append(_contradiction(story_id, [_side(group), _side(opposed, opposed_figs)], explanation))
    return out


def _regain_contradictions(
    story_id: str, claims: Sequence[StoryClaim], figures: Sequence[StoryFigure], counters: _Counters
) -> list[Contradiction]:
    """A side that says it regained ground against another source saying ground was captured."""
    out = []
    asserting = [sc for sc in claims if not _is_denial(sc) and sc.claim.stance == "asserts"]
    gains = [sc for sc in asserting if claim_family(sc) == "gain"]
    # a regain needs someone who says it: unattributed narration ("helped the president regain lost territory")
    # is history or context, not one side's claim
    for regain in (sc for sc in asserting if claim_family(sc) == "regain" and counters.key(sc.claim.source)):
        mine = counters.key(regain.claim.source)
        opposed = [sc for sc in gains if counters.key(sc.claim.source) != mine or mine is None]
        opposed = [sc for sc in opposed if sc.id != regain.id and not _same_voice(sc, regain, counters)]
        opposed_figs = [
            sf for sf in _figures_of_family(figures, "gain") if counters.key(sf.figure.source) != mine or mine is None
        ]
        if not opposed and not opposed_figs:
            continue
        who = _who(regain.claim.source, regain.source_outlet, counters)
        against = _name_list(
            {_who(sc.claim.source, sc.source_outlet, counters) for sc in opposed}
            | {_who(sf.figure.source, sf.source_outlet, counters) for sf in opposed_figs}
        )
        explanation = (
            f'{who} says ground was regained ("{_snippet(regain.claim.sentence)}", article '
            f"{regain.article_id}) while {against} report captures"
        )
        if opposed_figs:
            explanation += (
                " ("
                + ", ".join(f"{_describe(sf.figure)} {sf.figure.measure.replace('_', ' ')}" for sf in opposed_figs[:5])
                + ")"
            )
        out.append(_contradiction(story_id, [_side([regain]), _side(opposed, opposed_figs)], explanation))
    return out


def _same_voice(a: StoryClaim, b: StoryClaim, counters: _Counters) -> bool:
    """Both claims come from the same named source (a source does not contradict itself here)."""
    ka, kb = counters.key(a.claim.source), counters.key(b.claim.source)
    return ka is not None and ka == kb


def _figure_contradictions(
    story_id: str, reconciliations: Sequence[Reconciliation], figures: Sequence[StoryFigure]
) -> list[Contradiction]:
    by_id = {sf.id: sf for sf in figures}
    out = []
    for rec in reconciliations:
        if rec.verdict != "conflict":
            continue
        slot = [by_id[i] for i in rec.figure_ids if i in by_id]
        explanation = f"{rec.label}: {rec.explanation}"
        out.append(_contradiction(story_id, [_side([], slot)], explanation))
    return out


def find_contradictions(
    story_id: str,
    claims: Sequence[StoryClaim],
    figures: Sequence[StoryFigure],
    reconciliations: Sequence[Reconciliation],
) -> list[Contradiction]:
    """Every contradiction of a story, deterministic and independent of input order."""
    claims = sorted(claims, key=lambda sc: sc.id)
    figures = sorted(figures, key=lambda sf: sf.id)
    counters = _Counters([*(sc.claim.source for sc in claims), *(sf.figure.source for sf in figures)])
    found = [
        *_denial_contradictions(story_id, claims, figures, counters),
        *_regain_contradictions(story_id, claims, figures, counters),
        *_figure_contradictions(story_id, reconciliations, figures),
    ]
    unique = {c.id: c for c in found}
    return [unique[k] for k in sorted(unique)]
