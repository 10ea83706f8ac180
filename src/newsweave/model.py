"""Typed records that flow between the stages and the store.

Every record is a frozen, slotted dataclass. Character offsets (``start``/``end``) always point into
the stored, normalised text of the article (``Article.text``), so every figure, claim, place and event
can be traced back to the words it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Qualifier = Literal["exact", "approx", "at_least", "more_than", "at_most", "less_than"]
Stance = Literal["asserts", "denies"]
Relation = Literal["exact", "near_duplicate", "version"]
Verdict = Literal["agree", "evolving", "spread", "conflict", "single"]
Granularity = Literal["day", "week", "month", "year"]
Precision = Literal["point", "city", "admin", "country", "region"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of text separated by line breaks; ``heading`` for a short title-like line."""

    index: int
    start: int
    end: int
    heading: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    text: str
    heading: bool = False


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article as a reader produced it, before normalisation and storage."""

    text: str
    origin: str  # where it came from: "file.jsonl:12", a path, a URL
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    external_id: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    content_hash: str
    text: str
    origin: str
    seq: int  # ingest order, 1-based
    ingested_at: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    external_id: str | None = None
    language: str | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    sentences: tuple[Sentence, ...] = ()

    @property
    def analysable(self) -> bool:
        """Only English text goes through the language-specific stages (for now)."""
        return self.language in (None, "en")


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that was not stored, with where it came from and why."""

    item: str
    stage: str
    reason: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A surface form of a named entity in one article."""

    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, ...
    start: int
    end: int
    sentence: int
    key: str | None = None  # article-local entity key (mentions with the same key co-refer)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number about people or events, as one source reported it."""

    sentence_index: int
    sentence: str
    start: int
    end: int
    measure: str  # killed, injured, displaced, arrested, places_captured, airstrikes, ...
    value: float
    qualifier: Qualifier
    group: str = "all"  # civilians, fighters, children, government forces, all
    low: float | None = None
    high: float | None = None
    vague: str | None = None  # "dozens", "hundreds": the word behind a conventional value
    source: str | None = None  # canonical name of who the figure is attributed to
    stance: Stance = "asserts"
    hedged: bool = False
    date: str | None = None  # ISO date the figure refers to
    date_granularity: Granularity | None = None
    date_fallback: bool = False  # date fell back to the publication date
    background: bool = False  # about another time or scope (a war's total toll)
    part_of: int | None = None  # index (in the article's figures) of the total this is a part of
    place: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence stating that something happened, with who says so and how."""

    sentence_index: int
    sentence: str
    start: int
    end: int
    kind: str  # capture, attack, closure, reinforcement, pledge, denial, ...
    source: str | None = None
    stance: Stance = "asserts"
    hedged: bool = False
    date: str | None = None
    date_granularity: Granularity | None = None
    actors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    """A typed event (PLOVER + ACLED sub-event type) reported in one article."""

    sentence_index: int
    sentence: str
    type: str  # PLOVER: ASSAULT, COERCE, MOBILIZE, ...
    acled_subtype: str | None = None
    date: str | None = None
    date_granularity: Granularity | None = None
    actors: tuple[str, ...] = ()
    place: str | None = None  # the place mention as written
    figure_indices: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    """A toponym in one article, resolved against the gazetteer (or left with candidates)."""

    name: str  # as written
    start: int
    end: int
    resolved_name: str | None = None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    feature: str | None = None  # country, admin1, city, ...
    precision: Precision | None = None
    confidence: float = 0.0
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the per-article stages found in one article."""

    mentions: tuple[Mention, ...] = ()
    figures: tuple[Figure, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    places: tuple[Place, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """A store-wide entity: canonical name, type, and every surface form seen."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mention_count: int = 0


@dataclass(frozen=True, slots=True)
class Duplicate:
    a: str  # the earlier article
    b: str  # the later article
    relation: Relation
    similarity: float
    added: tuple[str, ...] = ()  # sentences in b and not in a (versions)
    removed: tuple[str, ...] = ()  # sentences in a and not in b (versions)


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    article_ids: tuple[str, ...]
    first_published: str | None = None
    last_published: str | None = None


@dataclass(frozen=True, slots=True)
class Reconciliation:
    id: str
    story_id: str
    label: str
    figure_ids: tuple[str, ...]
    verdict: Verdict
    low: float | None
    best: float | None
    high: float | None
    conservative: float | None = None
    explanation: str = ""
    measure: str = ""
    group: str = "all"


@dataclass(frozen=True, slots=True)
class Contradiction:
    id: str
    story_id: str
    article_ids: tuple[str, ...]
    explanation: str
    claim_ids: tuple[str, ...] = ()
    figure_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest did: counts, plus every rejected input with where and why."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # ids of inputs already in the store
    rejected: list[Rejected] = field(default_factory=list)
