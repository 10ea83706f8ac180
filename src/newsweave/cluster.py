"""Online story clustering: each new article joins the best existing story or starts a new one.

The store is never re-clustered: ``StoryClusterer.assign`` takes the articles in the order given and,
for each one:

1. **copies**: an article that is a duplicate or version of an article already placed joins that
   article's story (unless they were published more than ``COPY_WINDOW_DAYS`` apart).
2. **features**: a MiniLM embedding of title + lead; a TF-IDF vector of the content words of the
   whole text (document frequencies kept as articles arrive); a vector of names (the canonical entity
   names given by the caller plus capitalised word runs found in the text), weighted by rarity; a
   vector of the numbers written in the text (not in web addresses), weighted by rarity too.
3. **candidates**: the stories whose centroid embeddings are nearest (exact numpy below
   ``ANN_MIN_STORIES`` stories, an hnswlib graph above) plus the latest stories that share the
   article's rarest names (among those some earlier article gave too).
4. **score** per candidate, as average-link similarities to its articles (the dot product with the
   story's summed unit vectors, divided by its size)::

       score = W_EMBED * embedding + W_TERMS * terms + W_NAMES * names + W_NUMBERS * numbers
               - time penalty - name conflict - name miss + time bonus

   Numbers (a toll of 14 and 230 injured, a magnitude of 6.1, a score of 24-13, a victim of 15, a
   year) are what best tells two reports of similar events apart when their wording and places are
   the same: two quakes on one island, two fired coaches of one team. When either side gives no
   numbers, the other similarities are scaled up to stand in for them (an official's statement
   without figures is not penalised).
   The time penalty grows with the days from the article to the story's nearest article beyond
   ``TIME_GRACE_DAYS`` (one news cycle): two similar shootings a month apart are two stories, and a
   report days later must be more alike than one of the same or the next day (else a story drifts
   along a chain of similar events in one city, each within days of the last). When the two share
   ``SPECIFIC_MIN`` full names that hardly any other article gives (victim, suspect, street), the
   penalty shrinks (``NAME_RELIEF`` times the names similarity, ``SPECIFIC_RELIEF`` per such name), so
   the trial months later stays with its shooting; a town, a police force or one common name do not
   bring a report weeks later into another incident's story. Undated articles or stories are
   compared on content only.
   The name miss grows with the share of each side's key names the other lacks (the same kind of
   fire in another town); it is waived for an article of the same days sharing ``MISS_RELIEF_NAMES``
   names (a ministry's denial quotes other officials but names the same places). The time bonus
   favours the story with an article of the same day, shrinking to nothing at ``WINDOW_DAYS``.
5. the article joins the best candidate scoring at least ``THRESHOLD``, else it starts a story.
6. **split**: a story of ``SPLIT_MIN`` to ``SPLIT_MAX`` articles within ``WINDOW_DAYS`` is checked after
   each join: when its members form two groups much less alike than each group is inside
   (``newsweave.cluster_split``), the group without its first article becomes a story of its own.
   The first report of a second, similar event joining the one-article story of the first (an
   average over one article is noisy) is undone once both events have a few reports. The members of
   young stories are kept for this (at most ``KEEP_MEMBERS``); settled stories are never split.

Articles that cannot be compared reliably (not analysable, e.g. not English, or with fewer than
``MIN_WORDS`` content words once site furniture is left out) never join other stories nor attract
others, except that one whose text is all site furniture but whose title says enough
(``TITLE_MIN_WORDS``) may join a story its title matches closely (``TITLE_THRESHOLD``) without counting
in it. A non-English copy of an article joins that article's story; a short or furniture-only copy
stays alone (what it shares with its original is furniture, not the story).

Site furniture ("Get email notifications on ...", "Your notification has been saved") is found
without a list: sentence shapes (names and numbers removed) that open or close ``BOILERPLATE_MIN``
other articles are counted in a fixed-size sketch and left out of the lead and the term vector.

All state is plain numbers, strings and float32 arrays; ``to_bytes`` writes it without pickle.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import importlib
import json
import math
import os
import struct
import tempfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from newsweave.cluster_split import best_split
from newsweave.cluster_state import SparseVector, _Features, _features_from_json, _features_json, _Member, _Story
from newsweave.cluster_text import (
    _URLISH,
    LEAD_WORDS,
    SKETCH_DEPTH,
    SKETCH_WIDTH,
    TEXT_WORDS,
    SentenceCounter,
    content_words,
    edge_shapes,
    embed_lead,
    find_names,
    find_numbers,
    lead_text,
    sentence_shape,
    stop_words,
)
from newsweave.embed import DIMENSIONS, embed_texts
from newsweave.model import Article, Duplicate, Story

__all__ = [
    "LEAD_WORDS",
    "TEXT_WORDS",
    "SentenceCounter",
    "StoryClusterer",
    "content_words",
    "edge_shapes",
    "embed_lead",
    "find_names",
    "find_numbers",
    "lead_text",
    "sentence_shape",
    "stop_words",
]

W_EMBED = 0.30
W_TERMS = 0.50
W_NAMES = 0.20
W_NUMBERS = 0.4  # numbers in the text (ages, tolls, magnitudes, years): an event's signature
THRESHOLD = 0.32
NAME_RELIEF = 2.0  # the time penalty shrinks by this times the names similarity ...
SPECIFIC_RELIEF = 0.1  # ... and by this for each shared full name (a person, a street) ...
SPECIFIC_DF = 4  # ... that at most this many articles give ...
SPECIFIC_MIN = 2  # ... when the article and the story share at least this many such names
NAME_CONFLICT = 0.10  # subtracted when neither side's most salient names occur in the other
NAME_MISS = 0.10  # subtracted in proportion to the key names each side lacks of the other's
MISS_RELIEF_NAMES = 3
TIME_BONUS = 0.03  # added for an article published the same day as a story's article, less with each day
SALIENT_NAMES = 3
WINDOW_DAYS = 7  # the same days: the time bonus lasts this long, and young stories this close may be split
COPY_WINDOW_DAYS = 28  # a copy published further than this from its original is compared like any article
TIME_GRACE_DAYS = 1  # one news cycle: an article this close to a story's nearest article pays no time penalty
TIME_PENALTY_PER_DAY = 0.02  # per day beyond that ...
TIME_PENALTY_MAX = 0.5  # ... up to this much
MIN_WORDS = 8
TITLE_MIN_WORDS = 4  # an article whose text is all site furniture is placed by a title this long ...
TITLE_THRESHOLD = 0.45  # ... when it is this close to a story
STORY_TERMS = 200  # terms kept per story centroid
CANDIDATES = 100
NAME_CANDIDATES = 20  # latest stories per rare name
NAME_QUERY = 5  # rarest names of an article used to find candidates
BOILERPLATE_MIN = 3  # a sentence shape seen in this many other weeks is site furniture
SPLIT_MIN = 4  # a story is checked for a split from this many articles ...
SPLIT_MAX = 6  # ... up to this many
SPLIT_BELOW = 0.5  # ... and split when its two groups are less alike than this (and than they are inside)
KEEP_MEMBERS = 5000  # members of young stories kept for that check, the oldest forgotten first ...
MEMBER_TERMS = 100  # ... with this many of their heaviest terms
ANN_MIN_STORIES = 20_000  # below this, exact numpy search over all centroids
ANN_M = 16
ANN_EF_CONSTRUCTION = 100
ANN_EF = 64
_FORMAT = b"NWSTORY2"


def _day_of(value: str | None) -> int | None:
    if not value:
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().toordinal()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10]).toordinal()
    except ValueError:
        return None


def _dot(a: SparseVector, b: SparseVector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b)


def _unit(weights: SparseVector) -> SparseVector:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm > 0 else {}


def _add_into(total: SparseVector, vector: SparseVector, keep: int) -> None:
    for k, w in vector.items():
        total[k] = total.get(k, 0.0) + w
    if len(total) > keep * 2:
        for k, _ in sorted(total.items(), key=lambda item: (item[1], item[0]))[: len(total) - keep]:
            del total[k]


def _weighted(embed: float, terms: float, names: float, numbers: float, compare_numbers: bool) -> float:
    """The four similarities as one. Without figures to compare (or when they differ within days: an
    updated toll), the other signals are scaled up to speak for the numbers."""
    similarity = W_EMBED * embed + W_TERMS * terms + W_NAMES * names
    if compare_numbers:
        return similarity + W_NUMBERS * numbers
    return similarity * (1.0 + W_NUMBERS / (W_EMBED + W_TERMS + W_NAMES))


def _pair_similarity(a: _Features, b: _Features) -> float:
    """How alike two articles are, weighted as ``StoryClusterer.score`` weighs an article and a story."""
    numbers = _dot(a.numbers, b.numbers)
    updating = not numbers and a.day is not None and b.day is not None and abs(a.day - b.day) < WINDOW_DAYS
    return _weighted(
        float(a.embedding @ b.embedding),
        _dot(a.terms, b.terms),
        _dot(a.names, b.names),
        numbers,
        bool(a.numbers and b.numbers) and not updating,
    )


@functools.cache
def _blas_threads() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread() -> Any:
    """One BLAS thread while assigning: each article multiplies one vector by the story centroids, and a
    multi-threaded BLAS spends more on waking its threads than on that product (19k Reuters articles:
    112 s against 236 s with OpenBLAS's 2 threads). MiniLM (torch's own thread pool) is not affected."""
    return _blas_threads().limit(limits=1, user_api="blas")


class StoryClusterer:
    """Incremental story assignment; persisted by the caller with ``to_bytes``/``from_bytes``."""

    def __init__(self) -> None:
        self._stories: list[_Story] = []
        self._story_of: dict[str, int] = {}  # article id -> index in _stories
        self._day_of_article: dict[str, int] = {}
        self._df: dict[str, int] = {}  # document frequency of terms and names ("~" + name)
        self._docs = 0
        self._sums = np.zeros((0, DIMENSIONS), dtype=np.float32)  # summed embeddings per story
        self._norms = np.zeros(0, dtype=np.float32)  # their lengths
        self._name_index: dict[str, list[int]] = {}  # name -> stories (latest last)
        self._ann: Any = None  # hnswlib index over story centroids, once there are many stories
        self._furniture = SentenceCounter()
        self._salient_of: dict[int, list[str]] = {}  # story index -> its salient names (a cache)
        self._members: OrderedDict[str, _Member] = OrderedDict()  # members of young stories, for a split
        self._segments: dict[tuple[str, Any], tuple[Any, str, bytes]] = {}  # encoded segments (``to_segments``)

    def __len__(self) -> int:
        return len(self._stories)

    # -- public API ------------------------------------------------------------------------------
    def assign(
        self,
        articles: Sequence[Article],
        entities: Mapping[str, Sequence[str]],
        duplicates: Sequence[Duplicate] = (),
        embed: Callable[[Sequence[str]], npt.NDArray[np.float32]] = embed_texts,
    ) -> dict[str, str]:
        """Place each article (in order) into a story; return article id -> story id.

        ``entities`` maps article id -> canonical entity names (may be empty); ``duplicates`` are
        relations found by dedupe, so that copies and versions join the story of their original.
        ``embed`` turns leads into unit vectors (the pipeline passes one that reads vectors computed
        earlier, see ``embed_lead``). Articles placed before keep their story, unless a young story
        turns out to hold two events and is split (step 6 of the module notes).
        """
        with _one_blas_thread():
            return self._assign(articles, entities, duplicates, embed)

    def _assign(
        self,
        articles: Sequence[Article],
        entities: Mapping[str, Sequence[str]],
        duplicates: Sequence[Duplicate],
        embed: Callable[[Sequence[str]], npt.NDArray[np.float32]],
    ) -> dict[str, str]:
        todo = [a for a in articles if a.id not in self._story_of]
        seen: set[str] = set()
        todo = [a for a in todo if not (a.id in seen or seen.add(a.id))]  # type: ignore[func-returns-value]
        copies: dict[str, list[str]] = {}
        for d in duplicates:
            copies.setdefault(d.b, []).append(d.a)
            copies.setdefault(d.a, []).append(d.b)
        relation = {(d.a, d.b): d.relation for d in duplicates} | {(d.b, d.a): d.relation for d in duplicates}
        shapes = [edge_shapes(a) for a in todo]
        for article, article_shapes in zip(todo, shapes, strict=True):
            day = _day_of(article.published)
            self._furniture.add(set(article_shapes.values()), f"w{day // 7}" if day is not None else article.id)
        skips = [
            frozenset(i for i, shape in article_shapes.items() if self._furniture.count(shape) > BOILERPLATE_MIN)
            for article_shapes in shapes
        ]
        comparable = [self._comparable(a, skip) for a, skip in zip(todo, skips, strict=True)]
        titled = [not ok and a.analysable and _titled(a) for a, ok in zip(todo, comparable, strict=True)]
        leads = [
            lead_text(a, skip=skip) if ok else (_title_of(a) if title_only else "")
            for a, ok, skip, title_only in zip(todo, comparable, skips, titled, strict=True)
        ]
        embeddings = embed(leads) if any(leads) else np.zeros((len(todo), DIMENSIONS), np.float32)
        for n, article in enumerate(todo):
            features = self._features(article, entities.get(article.id, ()), embeddings[n], comparable[n], skips[n])
            original = next(
                (o for o in copies.get(article.id, ()) if o in self._story_of and self._near_in_time(o, features.day)),
                None,
            )
            if original is not None and (features.comparable or not article.analysable):
                # A copy joins its original's story, unless it is too short or all site furniture:
                # then what it shares with the original says nothing about the story.
                index = self._story_of[original]
                counts = relation.get((article.id, original)) == "version" and features.comparable
                self._join(index, article.id, article.published, _title_of(article), features if counts else None)
                continue
            if titled[n]:
                features = self._title_features(article, embeddings[n])
                best = self._best_story(features, TITLE_THRESHOLD)
            else:
                best = self._best_story(features) if features.comparable else None
            if best is None:
                self._start(article, features)
            else:
                self._join(best, article.id, article.published, _title_of(article), features)
                self._check_split(best)
        return {a.id: self._stories[self._story_of[a.id]].id for a in articles if a.id in self._story_of}

    def stories(self) -> list[Story]:
        """Every story, in the order they started."""
        return [
            Story(id=s.id, title=s.title, article_ids=tuple(s.articles), first_published=s.first, last_published=s.last)
            for s in self._stories
        ]

    def story_of(self, article_id: str) -> str | None:
        index = self._story_of.get(article_id)
        return None if index is None else self._stories[index].id

    def _near_in_time(self, article_id: str, day: int | None) -> bool:
        """True unless both are dated and further apart than ``COPY_WINDOW_DAYS`` (furniture, reruns)."""
        other = self._day_of_article.get(article_id)
        return day is None or other is None or abs(day - other) <= COPY_WINDOW_DAYS

    # -- features --------------------------------------------------------------------------------
    @staticmethod
    def _comparable(article: Article, skip: frozenset[int]) -> bool:
        return article.analysable and len(content_words(_kept_text(article, skip), MIN_WORDS)) >= MIN_WORDS

    def _features(
        self,
        article: Article,
        entity_names: Sequence[str],
        embedding: npt.NDArray[np.float32],
        comparable: bool,
        skip: frozenset[int],
    ) -> _Features:
        day = _day_of(article.published)
        if not comparable:
            return _Features(embedding=np.zeros(DIMENSIONS, np.float32), terms={}, names={}, day=day, comparable=False)
        kept = " ".join(filter(None, [article.title, _kept_text(article, skip)]))
        words = content_words(kept)
        names = [" ".join(n.casefold().split()) for n in entity_names if n.strip()] + find_names(article)
        counts: dict[str, int] = {}
        for w in words:
            counts[w] = counts.get(w, 0) + 1
        name_counts: dict[str, int] = {}
        for name in names:
            name_counts[name] = name_counts.get(name, 0) + 1
        number_counts: dict[str, int] = {}
        for number in find_numbers(kept):
            number_counts[number] = number_counts.get(number, 0) + 1
        self._docs += 1
        for key in list(counts) + ["~" + n for n in name_counts] + ["#" + n for n in number_counts]:
            self._df[key] = self._df.get(key, 0) + 1
        terms = _unit({w: (1 + math.log(c)) * self._idf(w) for w, c in counts.items()})
        name_vector = _unit({n: (1 + math.log(c)) * self._idf("~" + n) for n, c in name_counts.items()})
        numbers = _unit({n: (1 + math.log(c)) * self._idf("#" + n) for n, c in number_counts.items()})
        return _Features(embedding=embedding, terms=terms, names=name_vector, day=day, comparable=True, numbers=numbers)

    def _title_features(self, article: Article, embedding: npt.NDArray[np.float32]) -> _Features:
        """Features of the title alone, for an article whose text is all site furniture.

        Not comparable: the article may join a story it clearly belongs to, but never counts in its
        centroid nor attracts other articles.
        """
        title = article.title or ""
        counts: dict[str, int] = {}
        for w in content_words(title):
            counts[w] = counts.get(w, 0) + 1
        number_counts: dict[str, int] = {}
        for number in find_numbers(title):
            number_counts[number] = number_counts.get(number, 0) + 1
        terms = _unit({w: (1 + math.log(c)) * self._idf(w) for w, c in counts.items()})
        numbers = _unit({n: (1 + math.log(c)) * self._idf("#" + n) for n, c in number_counts.items()})
        day = _day_of(article.published)
        return _Features(embedding=embedding, terms=terms, names={}, day=day, comparable=False, numbers=numbers)

    def _idf(self, key: str) -> float:
        return math.log((self._docs + 1) / (self._df.get(key, 0) + 1)) + 1.0

    # -- choosing a story ------------------------------------------------------------------------
    def _candidates(self, features: _Features) -> list[int]:
        found: set[int] = set()
        count = len(self._stories)
        if count == 0:
            return []
        if self._ann is None and count >= ANN_MIN_STORIES:
            self._build_ann()
        if self._ann is not None:
            k = min(CANDIDATES, self._ann.get_current_count())
            labels, _ = self._ann.knn_query(features.embedding.reshape(1, -1), k=k)
            found.update(int(i) for i in labels[0])
        else:
            scores = (self._sums[:count] @ features.embedding) / np.maximum(self._norms[:count], 1e-9)
            k = min(CANDIDATES, count)
            top = np.argpartition(-scores, k - 1)[:k] if count > k else np.arange(count)
            found.update(int(i) for i in top)
        # The rarest names some other article gave too (a name only this article gives finds nothing).
        shared = [n for n in features.names if self._df.get("~" + n, 0) > 1]
        rare = sorted(shared, key=lambda n: (self._df.get("~" + n, 0), n))[:NAME_QUERY]
        for name in rare:
            found.update(self._name_index.get(name, [])[-NAME_CANDIDATES:])
        return sorted(i for i in found if not self._stories[i].weak)

    def _best_story(self, features: _Features, threshold: float | None = None) -> int | None:
        bar = THRESHOLD if threshold is None else threshold
        best, best_score = None, bar
        for index in self._candidates(features):
            score = self.score(index, features)
            if score >= best_score + 1e-9 or (best is None and score >= bar):
                best, best_score = index, score
        return best

    def score(self, index: int, features: _Features) -> float:
        """Average-link similarity of an article to story ``index``, less the time penalty."""
        story = self._stories[index]
        size = max(story.size, 1)
        embed = float(self._sums[index] @ features.embedding) / size
        terms = _dot(features.terms, story.terms) / size
        names = _dot(features.names, story.names) / size
        numbers = _dot(features.numbers, story.numbers) / size
        # Several shared names (victims, suspects, a street) keep a late follow-up (trial, funeral) in
        # its story; one shared name (the town) does not: similar events in one town are many stories.
        late = self._time_penalty(story, features.day)
        if late and sum(1 for n in features.names if n in story.names) >= 2:
            specific = sum(
                1 for n in features.names if " " in n and n in story.names and self._df.get("~" + n, 0) <= SPECIFIC_DF
            )
            if specific >= SPECIFIC_MIN:
                late *= max(0.0, 1.0 - NAME_RELIEF * names - SPECIFIC_RELIEF * specific)
        penalty = late + self._name_conflict(index, features) + self._name_miss(index, features)
        bonus = self._time_bonus(story, features.day)
        gap = self._gap(story, features.day)
        updating = not numbers and gap is not None and gap < WINDOW_DAYS  # same days, other figures
        compare = bool(features.numbers and story.numbers) and not updating
        return _weighted(embed, terms, names, numbers, compare) - penalty + bonus

    def _story_salient(self, index: int) -> list[str]:
        """The story's ``SALIENT_NAMES`` heaviest names (cached until it changes)."""
        found = self._salient_of.get(index)
        if found is None:
            found = self._salient_of[index] = _salient(self._stories[index].names)
        return found

    def _name_conflict(self, index: int, features: _Features) -> float:
        """``NAME_CONFLICT`` when none of the article's key names is in the story and vice versa."""
        story = self._stories[index]
        if not features.names or not story.names:
            return 0.0
        mine, theirs = _salient(features.names), self._story_salient(index)
        if any(n in story.names for n in mine) or any(n in features.names for n in theirs):
            return 0.0
        return NAME_CONFLICT

    def _name_miss(self, index: int, features: _Features) -> float:
        """Grows with the share of each side's key names that the other lacks (two fires, two towns).

        Waived for an article of the same days that shares ``MISS_RELIEF_NAMES`` names with the story:
        a ministry's denial quotes other officials than the first reports but names the same places.
        """
        story = self._stories[index]
        if not NAME_MISS or not features.names or not story.names:
            return 0.0
        if (
            features.day is not None
            and story.days
            and (self._gap(story, features.day) or 0) <= WINDOW_DAYS  # the same days
            and sum(1 for n in features.names if n in story.names) >= MISS_RELIEF_NAMES
        ):
            return 0.0
        mine, theirs = _salient(features.names), self._story_salient(index)
        lack_mine = sum(1 for n in mine if n not in story.names) / len(mine)
        lack_theirs = sum(1 for n in theirs if n not in features.names) / len(theirs)
        return NAME_MISS * lack_mine * lack_theirs

    @staticmethod
    def _gap(story: _Story, day: int | None) -> int | None:
        """Days from ``day`` to the story's nearest article (None when either is undated)."""
        if day is None or not story.days:
            return None
        at = bisect.bisect_left(story.days, day)
        return min(abs(story.days[i] - day) for i in (at - 1, at) if 0 <= i < len(story.days))

    @staticmethod
    def _time_bonus(story: _Story, day: int | None) -> float:
        """``TIME_BONUS`` for the same day as the story's nearest article, shrinking to nothing at the window."""
        gap = StoryClusterer._gap(story, day)
        if gap is None:
            return 0.0
        return TIME_BONUS * max(0.0, 1.0 - gap / WINDOW_DAYS)

    @staticmethod
    def _time_penalty(story: _Story, day: int | None) -> float:
        """Grows with the days to the nearest article of the story beyond ``TIME_GRACE_DAYS``.

        Reports of one event mostly come out the same or the next day; a similar report days later is
        as often another event (another shooting in the same city), and a story drifting along a chain
        of such reports, each within days of the last, gathers several events. A free window of
        ``WINDOW_DAYS`` let such chains grow (on a labelled corpus of shootings, wrongly joined reports
        were typically several days from the story's nearest article, rightly joined ones the same or
        the next day).
        """
        gap = StoryClusterer._gap(story, day)
        if gap is None:
            return 0.0
        return min(TIME_PENALTY_MAX, TIME_PENALTY_PER_DAY * max(0, gap - TIME_GRACE_DAYS))

    # -- updating --------------------------------------------------------------------------------
    def _start(self, article: Article, features: _Features) -> None:
        index = self._new_story(article.id, weak=not features.comparable)
        self._join(index, article.id, article.published, _title_of(article), features)

    def _new_story(self, seed: str, weak: bool) -> int:
        digest = hashlib.blake2b(seed.encode("utf-8"), digest_size=8).hexdigest()
        story = _Story(id=f"s{digest}", articles=[], title="", weak=weak)
        self._stories.append(story)
        if len(self._stories) > len(self._sums):  # grow the centroid matrix by doubling
            grown = np.zeros((max(64, 2 * len(self._sums)), DIMENSIONS), np.float32)
            grown[: len(self._sums)] = self._sums
            self._sums = grown
            norms = np.zeros(len(grown), np.float32)
            norms[: len(self._norms)] = self._norms
            self._norms = norms
        return len(self._stories) - 1

    def _join(self, index: int, article_id: str, published: str | None, title: str, features: _Features | None) -> None:
        story = self._stories[index]
        story.articles.append(article_id)
        self._story_of[article_id] = index
        if not story.title:
            story.title = title
        day = _day_of(published)
        if day is not None:
            self._day_of_article[article_id] = day
        if day is not None and published:
            if story.first_day is None or day < story.first_day:
                story.first_day, story.first = day, published
            if story.last_day is None or day > story.last_day:
                story.last_day, story.last = day, published
            bisect.insort(story.days, day)
        counts = features is not None and features.comparable
        if story.size + counts <= SPLIT_MAX and not story.weak:
            self._remember(article_id, _Member(published=published, title=title, features=_trimmed(features)))
        elif story.size <= SPLIT_MAX < story.size + counts:
            self._forget(story)  # a grown story is settled: no more splits
        if features is None or not features.comparable:
            return
        story.size += 1
        self._sums[index] += features.embedding
        self._norms[index] = np.linalg.norm(self._sums[index])
        _add_into(story.terms, features.terms, STORY_TERMS)
        _add_into(story.names, features.names, STORY_TERMS)
        self._salient_of.pop(index, None)
        _add_into(story.numbers, features.numbers, STORY_TERMS)
        for name in features.names:
            stories = self._name_index.setdefault(name, [])
            if not stories or stories[-1] != index:
                stories.append(index)
        if self._ann is not None:
            self._ann_put(index)

    # -- splitting a young story -----------------------------------------------------------------
    def _remember(self, article_id: str, member: _Member) -> None:
        """Keep a young story's member, to check it for a split; the oldest are forgotten first."""
        self._members[article_id] = member
        while len(self._members) > KEEP_MEMBERS:
            self._members.popitem(last=False)

    def _forget(self, story: _Story) -> None:
        for article_id in story.articles:
            self._members.pop(article_id, None)

    def _check_split(self, index: int) -> None:
        """Split a young story whose members form two clearly different groups of the same days.

        Weeks between the groups may mean a follow-up (trial, funeral), which the time penalty already
        weighed when the article joined: only stories within ``WINDOW_DAYS`` are split.
        """
        story = self._stories[index]
        if story.weak or not SPLIT_MIN <= story.size <= SPLIT_MAX:
            return
        if (
            story.first_day is not None
            and story.last_day is not None
            and story.last_day - story.first_day > WINDOW_DAYS
        ):
            return
        members = [self._members.get(a) for a in story.articles]
        if any(m is None for m in members):
            return  # forgotten (the store grew past KEEP_MEMBERS since): leave it be
        counted = [
            (a, m.features) for a, m in zip(story.articles, members, strict=True) if m and m.features is not None
        ]
        counted = [(a, f) for a, f in counted if f.comparable]
        if len(counted) != story.size:
            return
        similarity = [[_pair_similarity(f, g) for _, g in counted] for _, f in counted]
        split = best_split(similarity, SPLIT_BELOW)
        if split is None:
            return
        moving = {counted[i][0] for i in split.second}
        self._rebuild(index, moving)

    def _rebuild(self, index: int, moving: set[str]) -> None:
        """Move the ``moving`` articles of story ``index`` (and their copies) to a new story."""
        story = self._stories[index]
        members = {a: self._members[a] for a in story.articles}
        group_of: dict[str, bool] = {}
        moves = False
        for a in story.articles:  # an article that does not count (a copy) goes with the counted one before it
            features = members[a].features
            if features is not None and features.comparable:
                moves = a in moving
            group_of[a] = moves
        keep = [a for a in story.articles if not group_of[a]]
        move = [a for a in story.articles if group_of[a]]
        fresh = _Story(id=story.id, articles=[], title=story.title, weak=False)
        self._stories[index] = fresh
        self._sums[index] = 0.0
        self._norms[index] = 0.0
        self._salient_of.pop(index, None)
        for a in story.articles:
            self._members.pop(a, None)
        for a in keep:
            m = members[a]
            self._join(index, a, m.published, m.title, m.features)
        other = self._new_story(move[0], weak=False)
        for a in move:
            m = members[a]
            self._join(other, a, m.published, m.title, m.features)

    # -- nearest-neighbour index -------------------------------------------------------------------
    def _build_ann(self) -> None:
        hnswlib = importlib.import_module("hnswlib")  # untyped C extension
        ann = hnswlib.Index(space="ip", dim=DIMENSIONS)
        ann.init_index(
            max_elements=max(1024, 2 * len(self._stories)),
            ef_construction=ANN_EF_CONSTRUCTION,
            M=ANN_M,
            random_seed=100,
        )
        ann.set_num_threads(1)  # one thread keeps the graph, and so the results, deterministic
        self._ann = ann
        rows = [i for i, s in enumerate(self._stories) if not s.weak]
        if rows:
            ann.add_items(self._centroids(rows), np.asarray(rows, dtype=np.int64))
        ann.set_ef(ANN_EF)

    def _centroids(self, rows: Sequence[int]) -> npt.NDArray[np.float32]:
        sums = self._sums[list(rows)]
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
        return unit

    def _ann_put(self, index: int) -> None:
        if self._ann.get_current_count() + 1 > self._ann.get_max_elements():
            self._ann.resize_index(2 * self._ann.get_max_elements())
        self._ann.add_items(self._centroids([index]), np.asarray([index], dtype=np.int64))

    # -- persistence -----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        header = json.dumps(
            {
                "stories": [s.to_json() for s in self._stories],
                "df": self._df,
                "docs": self._docs,
                "story_of": self._story_of,
                "day_of_article": self._day_of_article,
                "name_index": self._name_index,
                "members": [[a, m.published, m.title, _features_json(m.features)] for a, m in self._members.items()],
                "settings": _settings(),
            }
        ).encode("utf-8")
        ann = b""
        if self._ann is not None:
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "ann.bin")
                self._ann.save_index(path)
                with open(path, "rb") as f:
                    ann = f.read()
        sums = self._sums[: len(self._stories)].astype(np.float32).tobytes()
        sketch = self._furniture.table.tobytes() + self._furniture.seen.tobytes()
        vectors = [m.features.embedding for m in self._members.values() if m.features is not None]
        kept = np.asarray(vectors, dtype=np.float32).tobytes() if vectors else b""
        sizes = struct.pack("<QQQQQ", len(header), len(sums), len(ann), len(sketch), len(kept))
        body = sizes + header + sums + ann + sketch + kept
        return _FORMAT + zlib.compress(body, 1)

    @classmethod
    def from_bytes(cls, data: bytes) -> StoryClusterer:
        if not data.startswith(_FORMAT):
            raise ValueError("not a newsweave story index (unknown format)")
        body = zlib.decompress(data[len(_FORMAT) :])
        size_header, size_sums, size_ann, size_sketch, size_kept = struct.unpack_from("<QQQQQ", body)
        start = struct.calcsize("<QQQQQ")
        header = json.loads(body[start : start + size_header].decode("utf-8"))
        clusterer = cls()
        clusterer._stories = [_Story.from_json(s) for s in header["stories"]]
        clusterer._df = {str(k): int(v) for k, v in header["df"].items()}
        clusterer._docs = int(header["docs"])
        clusterer._story_of = {str(k): int(v) for k, v in header["story_of"].items()}
        clusterer._day_of_article = {str(k): int(v) for k, v in header["day_of_article"].items()}
        clusterer._name_index = {str(k): [int(i) for i in v] for k, v in header["name_index"].items()}
        offset = start + size_header
        sums = np.frombuffer(body[offset : offset + size_sums], dtype=np.float32).copy()
        clusterer._sums = sums.reshape(len(clusterer._stories), DIMENSIONS)
        clusterer._norms = np.linalg.norm(clusterer._sums, axis=1).astype(np.float32)
        sketch_at = offset + size_sums + size_ann
        table = np.frombuffer(body[sketch_at : sketch_at + size_sketch], dtype=np.uint8).copy()
        clusterer._furniture = SentenceCounter(
            table[: SKETCH_DEPTH * SKETCH_WIDTH].reshape(SKETCH_DEPTH, SKETCH_WIDTH),
            table[SKETCH_DEPTH * SKETCH_WIDTH :],
        )
        kept_at = sketch_at + size_sketch
        vectors = np.frombuffer(body[kept_at : kept_at + size_kept], dtype=np.float32).reshape(-1, DIMENSIONS)
        row = 0
        for article_id, published, title, saved in header["members"]:
            features = None
            if saved is not None:
                features = _features_from_json(saved, vectors[row].copy())
                row += 1
            clusterer._members[str(article_id)] = _Member(published=published, title=str(title), features=features)
        if size_ann:
            hnswlib = importlib.import_module("hnswlib")
            ann = hnswlib.Index(space="ip", dim=DIMENSIONS)
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "ann.bin")
                with open(path, "wb") as f:
                    f.write(body[offset + size_sums : offset + size_sums + size_ann])
                ann.load_index(path, max_elements=max(1024, 2 * len(clusterer._stories)))
            ann.set_num_threads(1)
            ann.set_ef(ANN_EF)
            clusterer._ann = ann
        return clusterer

    # -- persistence in segments -----------------------------------------------------------------
    def to_segments(self) -> tuple[bytes, dict[str, bytes]]:
        """The state as ``to_bytes`` holds it, cut into content-addressed segments: (manifest, key -> segment).

        A long-running process stores only the segments the last stored manifest lacks: stories in blocks of
        ``_STORY_BLOCK`` (a write changes one or two), young stories' members in chunks cut where an article
        id's hash says (so adding the newest and forgetting the oldest changes the chunks at the ends), the
        furniture sketch in fixed blocks, and the rest (document frequencies, the article and name indexes)
        whole. A segment is encoded again only when what it holds changed: a story block when one of its
        stories is another object or has another number of articles (a story changes only as an article
        joins it, or is rebuilt as a new object by a split), a member chunk when one of its members is
        another object (members are never changed in place). ``from_segments`` reads it back.
        """
        cache = self._segments
        used: dict[tuple[str, Any], tuple[Any, str, bytes]] = {}
        self._segments = used  # what this state needs: older segments are let go
        order: dict[str, list[str]] = {"stories": [], "members": [], "sketch": []}
        out: dict[str, bytes] = {}

        def put(kind: str, key: str, data: bytes) -> None:
            order[kind].append(key)
            out[key] = data

        for k in range(0, len(self._stories), _STORY_BLOCK):
            block = self._stories[k : k + _STORY_BLOCK]
            marks = [(s, len(s.articles)) for s in block]
            hit = cache.get(("stories", k))
            if (
                hit is None
                or len(hit[0]) != len(marks)
                or any(a is not b or n != m for (a, n), (b, m) in zip(hit[0], marks, strict=True))
            ):
                header = json.dumps([s.to_json() for s in block]).encode("utf-8")
                sums = self._sums[k : k + len(block)].astype(np.float32).tobytes()
                hit = (marks, *_segment(struct.pack("<Q", len(header)) + header + sums))
            used[("stories", k)] = hit
            put("stories", hit[1], hit[2])
        for chunk in _member_chunks(list(self._members.items())):
            members = tuple(m for _, m in chunk)
            hit = cache.get(("members", chunk[0][0]))
            if (
                hit is None
                or len(hit[0]) != len(chunk)
                or any(a != b or m is not n for (a, m), (b, n) in zip(hit[0], chunk, strict=True))
            ):
                rows = json.dumps([[a, m.published, m.title, _features_json(m.features)] for a, m in chunk])
                vectors = [m.features.embedding for m in members if m.features is not None]
                kept = np.asarray(vectors, dtype=np.float32).tobytes() if vectors else b""
                raw = rows.encode("utf-8")
                hit = (chunk, *_segment(struct.pack("<Q", len(raw)) + raw + kept))
            used[("members", chunk[0][0])] = hit
            put("members", hit[1], hit[2])
        sketch = self._furniture.table.tobytes() + self._furniture.seen.tobytes()
        for k in range(0, len(sketch), _SKETCH_BLOCK):
            raw = sketch[k : k + _SKETCH_BLOCK]
            hit = cache.get(("sketch", k))
            if hit is None or hit[0] != raw:
                hit = (raw, *_segment(raw))
            used[("sketch", k)] = hit
            put("sketch", hit[1], hit[2])
        # each mapping as its keys and its values: encoding a dict would make a (key, value) pair of each entry
        # first, some 100,000 short-lived objects for the garbage collector to look at
        rest = json.dumps(
            {
                "docs": self._docs,
                **{
                    name: [list(mapping), list(mapping.values())]
                    for name, mapping in (
                        ("df", self._df),
                        ("story_of", self._story_of),
                        ("day_of_article", self._day_of_article),
                        ("name_index", self._name_index),
                    )
                },
            }
        ).encode("utf-8")
        rest_key, out_rest = _segment(rest)
        out[rest_key] = out_rest
        ann_key = None
        if self._ann is not None:
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "ann.bin")
                self._ann.save_index(path)
                with open(path, "rb") as f:
                    ann_key, data = _segment(f.read())
            out[ann_key] = data
        manifest = {**order, "rest": rest_key, "ann": ann_key, "settings": _settings()}
        return _SEGMENTED + json.dumps(manifest).encode("utf-8"), out

    @staticmethod
    def segment_keys(manifest: bytes) -> list[str]:
        """The keys of the segments a manifest (``to_segments``) names."""
        data = json.loads(manifest[len(_SEGMENTED) :].decode("utf-8"))
        keys = [*data["stories"], *data["members"], *data["sketch"], data["rest"]]
        return keys + ([data["ann"]] if data["ann"] else [])

    @staticmethod
    def is_manifest(state: bytes) -> bool:
        return state.startswith(_SEGMENTED)

    @classmethod
    def from_segments(cls, manifest: bytes, segments: Mapping[str, bytes]) -> StoryClusterer:
        """The clusterer ``to_segments`` gave ``manifest`` and ``segments`` of (the same state ``from_bytes``
        gives for what ``to_bytes`` wrote of it)."""
        if not cls.is_manifest(manifest):
            raise ValueError("not a newsweave story index manifest (unknown format)")
        data = json.loads(manifest[len(_SEGMENTED) :].decode("utf-8"))
        clusterer = cls()
        cache = clusterer._segments
        sums: list[bytes] = []
        for n, key in enumerate(data["stories"]):
            raw = zlib.decompress(segments[key])
            (size,) = struct.unpack_from("<Q", raw)
            block = [_Story.from_json(s) for s in json.loads(raw[8 : 8 + size].decode("utf-8"))]
            sums.append(raw[8 + size :])
            cache[("stories", n * _STORY_BLOCK)] = ([(s, len(s.articles)) for s in block], key, segments[key])
            clusterer._stories.extend(block)
        for key in data["members"]:
            raw = zlib.decompress(segments[key])
            (size,) = struct.unpack_from("<Q", raw)
            rows = json.loads(raw[8 : 8 + size].decode("utf-8"))
            vectors = np.frombuffer(raw[8 + size :], dtype=np.float32).reshape(-1, DIMENSIONS)
            row = 0
            chunk = []
            for article_id, published, title, saved in rows:
                features = None
                if saved is not None:
                    features = _features_from_json(saved, vectors[row].copy())
                    row += 1
                member = _Member(published=published, title=str(title), features=features)
                clusterer._members[str(article_id)] = member
                chunk.append((str(article_id), member))
            cache[("members", str(rows[0][0]))] = (chunk, key, segments[key])
        sketch = b""
        for n, key in enumerate(data["sketch"]):
            raw = zlib.decompress(segments[key])
            cache[("sketch", n * _SKETCH_BLOCK)] = (raw, key, segments[key])
            sketch += raw
        rest = json.loads(zlib.decompress(segments[data["rest"]]).decode("utf-8"))
        clusterer._df = {str(k): int(v) for k, v in zip(*rest["df"], strict=True)}
        clusterer._docs = int(rest["docs"])
        clusterer._story_of = {str(k): int(v) for k, v in zip(*rest["story_of"], strict=True)}
        clusterer._day_of_article = {str(k): int(v) for k, v in zip(*rest["day_of_article"], strict=True)}
        clusterer._name_index = {str(k): [int(i) for i in v] for k, v in zip(*rest["name_index"], strict=True)}
        all_sums = np.frombuffer(b"".join(sums), dtype=np.float32).copy()
        clusterer._sums = all_sums.reshape(len(clusterer._stories), DIMENSIONS)
        clusterer._norms = np.linalg.norm(clusterer._sums, axis=1).astype(np.float32)
        table = np.frombuffer(sketch, dtype=np.uint8).copy()
        clusterer._furniture = SentenceCounter(
            table[: SKETCH_DEPTH * SKETCH_WIDTH].reshape(SKETCH_DEPTH, SKETCH_WIDTH),
            table[SKETCH_DEPTH * SKETCH_WIDTH :],
        )
        if data["ann"]:
            hnswlib = importlib.import_module("hnswlib")
            ann = hnswlib.Index(space="ip", dim=DIMENSIONS)
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "ann.bin")
                with open(path, "wb") as f:
                    f.write(zlib.decompress(segments[data["ann"]]))
                ann.load_index(path, max_elements=max(1024, 2 * len(clusterer._stories)))
            ann.set_num_threads(1)
            ann.set_ef(ANN_EF)
            clusterer._ann = ann
        return clusterer


_SEGMENTED = b"NWSTORY3"  # a manifest of segments (``to_segments``)
_STORY_BLOCK = 128
_SKETCH_BLOCK = 1 << 18
_MEMBER_CUT = 64  # a member chunk ends after an article whose id hashes to 0 modulo this (about this many a chunk)


def _segment(raw: bytes) -> tuple[str, bytes]:
    """A segment's key (its content's digest) and its stored bytes."""
    data = zlib.compress(raw, 1)
    return "cluster:" + hashlib.blake2b(data, digest_size=16).hexdigest(), data


def _member_chunks(members: list[tuple[str, _Member]]) -> list[list[tuple[str, _Member]]]:
    chunks: list[list[tuple[str, _Member]]] = [[]]
    for item in members:
        chunks[-1].append(item)
        if zlib.crc32(item[0].encode("utf-8")) % _MEMBER_CUT == 0:
            chunks.append([])
    return [c for c in chunks if c]


def _trimmed(features: _Features | None) -> _Features | None:
    """``features`` with its terms cut to the ``MEMBER_TERMS`` heaviest (a young story's member is kept)."""
    if features is None or len(features.terms) <= MEMBER_TERMS:
        return features
    terms = dict(sorted(features.terms.items(), key=lambda item: (-item[1], item[0]))[:MEMBER_TERMS])
    return replace(features, terms=terms)


def _kept_text(article: Article, skip: frozenset[int]) -> str:
    if not skip or not article.sentences:
        return article.text
    return "\n".join(s.text for s in article.sentences if s.index not in skip)


def _titled(article: Article) -> bool:
    """True when the title alone says enough to place the article (``TITLE_MIN_WORDS`` content words)."""
    return len(content_words(article.title or "", TITLE_MIN_WORDS)) >= TITLE_MIN_WORDS


def _salient(names: SparseVector) -> list[str]:
    return [n for n, _ in sorted(names.items(), key=lambda item: (-item[1], item[0]))[:SALIENT_NAMES]]


def _settings() -> dict[str, float]:
    return {
        "w_embed": W_EMBED,
        "w_terms": W_TERMS,
        "w_names": W_NAMES,
        "w_numbers": W_NUMBERS,
        "threshold": THRESHOLD,
        "window_days": WINDOW_DAYS,
        "name_miss": NAME_MISS,
        "time_bonus": TIME_BONUS,
    }


def _title_of(article: Article) -> str:
    """A readable title: the article's own, else its first sentence, shortened at a word."""
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    for sentence in article.sentences:
        text = " ".join(sentence.text.split())
        if text and not _URLISH.search(text):
            return text if len(text) <= 100 else text[:100].rsplit(" ", 1)[0] + "…"
    return article.id
