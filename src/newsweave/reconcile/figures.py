"""Figure slots, verdicts and low / best / high (see the package docstring for the rules)."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsweave.model import Figure, Reconciliation, Verdict
from newsweave.reconcile.records import StoryFigure

# Units whose latest values differ by more than this factor ((max + 1) / (min + 1)) are different slots.
MERGE_RATIO = 3.0
# Relative tolerance of an approximate figure ("around 50" covers 42.5..57.5), at least one unit.
APPROX_TOLERANCE = 0.15

_MEASURE_SYNONYMS = {
    "dead": "killed",
    "death": "killed",
    "deaths": "killed",
    "died": "killed",
    "fatalities": "killed",
    "death_toll": "killed",
    "wounded": "injured",
    "injuries": "injured",
    "hurt": "injured",
}
_PEOPLE_MEASURES = frozenset(
    [
        "killed",
        "injured",
        "displaced",
        "arrested",
        "detained",
        "missing",
        "kidnapped",
        "abducted",
        "evacuated",
        "executed",
    ]
)
_GROUP_SYNONYMS = {
    "": "all",
    "people": "all",
    "persons": "all",
    "person": "all",
    "civilian": "civilians",
    "non-combatants": "civilians",
    "noncombatants": "civilians",
    "non combatants": "civilians",
    "fighter": "fighters",
    "combatants": "fighters",
    "child": "children",
}
# Attributions too generic to identify a counter: treated as unattributed.
_VAGUE_COUNTERS = frozenset(
    {
        "observers",
        "sources",
        "reports",
        "media",
        "witnesses",
        "residents",
        "activists",
        "monitors",
        "local media",
        "news reports",
        "media reports",
        "unnamed sources",
        "reports say",
    }
)
_NAME_STOPWORDS = frozenset(["the", "of", "for", "and", "on", "in", "at", "to", "a", "an"])
_QUALIFIER_TEXT = {
    "exact": "",
    "approx": "around ",
    "at_least": "at least ",
    "more_than": "more than ",
    "at_most": "at most ",
    "less_than": "fewer than ",
}
_SPECIFICITY = {"exact": 3, "approx": 2, "at_least": 1, "more_than": 1, "at_most": 1, "less_than": 1}
_TIE_RANK = {"at_most": 0, "less_than": 0, "approx": 1, "exact": 2, "at_least": 3, "more_than": 3}


@dataclass(frozen=True, slots=True)
class _Assessment:
    verdict: Verdict
    low: float | None
    best: float | None
    high: float | None
    conservative: float | None
    explanation: str
    conflicting: tuple[str, ...]  # figure ids behind a conflict


# --------------------------------------------------------------------------------------------------
# small helpers


def _short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def normalise_measure(measure: str) -> str:
    """Canonical measure name: ``deaths`` -> ``killed``, ``towns captured`` -> ``places_captured``."""
    key = re.sub(r"[\s-]+", "_", measure.strip().lower())
    if "captur" in key or "seiz" in key:
        return "places_captured"
    return _MEASURE_SYNONYMS.get(key, key)


def normalise_group(group: str | None) -> str:
    key = re.sub(r"\s+", " ", (group or "").strip().lower())
    return _GROUP_SYNONYMS.get(key, key)


def _day(value: str | None) -> str:
    return (value or "")[:10]


def _effective_day(sf: StoryFigure) -> str:
    """The day a figure speaks for: its own explicit date, else the publication day."""
    fig = sf.figure
    if fig.date and not fig.date_fallback:
        return _day(fig.date)
    return _day(sf.published) or _day(fig.date)


def _when(sf: StoryFigure) -> tuple[str, str, float, int, int, str]:
    """Sort key in reporting time; on the same day a higher cumulative value is taken as the later one."""
    fig = sf.figure
    return (_effective_day(sf), sf.published or "", fig.value, _TIE_RANK[fig.qualifier], sf.seq, sf.id)


def _interval(fig: Figure) -> tuple[float, float]:
    """The values a figure is compatible with, qualifiers and approximation included."""
    v = fig.value
    lo = fig.low if fig.low is not None else v
    hi = fig.high if fig.high is not None else v
    if fig.qualifier in ("at_least", "more_than"):
        hi = math.inf
    elif fig.qualifier in ("at_most", "less_than"):
        lo = 0.0
    if fig.qualifier == "approx" or fig.vague:
        slack_lo = max(APPROX_TOLERANCE * lo, 1.0)
        slack_hi = max(APPROX_TOLERANCE * hi, 1.0) if math.isfinite(hi) else 0.0
        lo, hi = max(lo - slack_lo, 0.0), hi + slack_hi
    return lo, hi


def _compatible(figs: Iterable[Figure]) -> bool:
    """True when one value satisfies every figure (intervals on a line: pairwise = jointly)."""
    lows, highs = [], []
    for fig in figs:
        lo, hi = _interval(fig)
        lows.append(lo)
        highs.append(hi)
    return not lows or max(lows) <= min(highs) + 1e-9


def _reported_low(fig: Figure) -> float | None:
    if fig.low is not None:
        return fig.low
    return None if fig.qualifier in ("at_most", "less_than") else fig.value


def _reported_high(fig: Figure) -> float:
    return fig.high if fig.high is not None else fig.value


def _conservative(fig: Figure) -> float:
    low = _reported_low(fig)
    return fig.value if low is None else low


def _credible(fig: Figure) -> bool:
    return fig.stance == "asserts" and not fig.hedged


def _describe(fig: Figure) -> str:
    if fig.vague:
        return fig.vague
    value = int(fig.value) if float(fig.value).is_integer() else fig.value
    return f"{_QUALIFIER_TEXT[fig.qualifier]}{value}"


def _log_distance(a: float, b: float) -> float:
    lo, hi = sorted((max(a, 0.0), max(b, 0.0)))
    return math.log((hi + 1.0) / (lo + 1.0))


# --------------------------------------------------------------------------------------------------
# counters: who counts. "KMR", "the Karvel Monitor for Rights" and "Karvel Monitor" are one.


def _initials(folded: str) -> str:
    return "".join(w[0] for w in folded.split() if w not in _NAME_STOPWORDS)


def _same_counter(a: str, b: str) -> bool:
    if a == b:
        return True
    compact_a, compact_b = a.replace(" ", ""), b.replace(" ", "")
    if " " not in a and len(compact_a) >= 2 and compact_a == _initials(b):
        return True
    if " " not in b and len(compact_b) >= 2 and compact_b == _initials(a):
        return True
    short, long_ = sorted((a, b), key=len)
    core = [w for w in short.split() if w not in _NAME_STOPWORDS]
    return bool(core) and f" {short} " in f" {long_} "


class _Counters:
    """Equivalence classes of the counter names seen in one story (order-independent)."""

    def __init__(self, names: Iterable[str | None]) -> None:
        names = list(names)
        folded = sorted({_fold(n) for n in names if n and _fold(n) and _fold(n) not in _VAGUE_COUNTERS})
        parent = {n: n for n in folded}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, a in enumerate(folded):
            for b in folded[i + 1 :]:
                if _same_counter(a, b):
                    ra, rb = find(a), find(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
        self._key = {n: find(n) for n in folded}
        display: dict[str, str] = {}
        for name in sorted({n for n in names if n}, key=lambda s: (-len(s), s)):
            key = self._key.get(_fold(name))
            if key is not None and key not in display:
                display[key] = name
        self._display = display

    def key(self, name: str | None) -> str | None:
        return self._key.get(_fold(name)) if name else None

    def display(self, key: str | None) -> str:
        return self._display.get(key, key) if key else "unattributed"


# --------------------------------------------------------------------------------------------------
# verdicts and values


def _assign_counters(figures: Sequence[StoryFigure], counters: _Counters) -> dict[str, str | None]:
    """Counter of each figure; unattributed figures go to the named counter whose latest value is closest."""
    named: dict[str | None, list[StoryFigure]] = defaultdict(list)
    for sf in figures:
        named[counters.key(sf.figure.source)].append(sf)
    latest = {k: max(v, key=_when).figure.value for k, v in named.items() if k is not None}
    out: dict[str, str | None] = {}
    for sf in figures:
        key = counters.key(sf.figure.source)
        if key is None and latest:
            key = min(sorted(latest), key=lambda k: _log_distance(latest[k], sf.figure.value))
        out[sf.id] = key
    return out


def _standing(series: Sequence[StoryFigure], counters: _Counters) -> StoryFigure:
    """The figure of a series that stands last: the latest one, except that a lower figure replaces a
    higher one only when the same named counter gives both (a revision). An unattributed "1 killed"
    after "3 killed" is usually one victim's story, not a revised toll."""
    ordered = sorted(series, key=_when)
    standing = ordered[0]
    for sf in ordered[1:]:
        key = counters.key(sf.figure.source)
        if sf.figure.value >= standing.figure.value or (
            key is not None and key == counters.key(standing.figure.source)
        ):
            standing = sf
    return standing


def _current(series: Sequence[StoryFigure], counters: _Counters) -> list[StoryFigure]:
    """A counter's standing figure plus the figures of its latest period compatible with it."""
    ordered = sorted(series, key=_when)
    last = _standing(series, counters)
    day = _effective_day(last)
    return [sf for sf in ordered if _effective_day(sf) == day and _compatible((sf.figure, last.figure))]


def _rose(series: Sequence[StoryFigure]) -> bool:
    """True when a counter's own figure went up in a later report (a toll updated, not repeated)."""
    ordered = sorted(series, key=_when)
    for i, earlier in enumerate(ordered):
        for later in ordered[i + 1 :]:
            if (
                later.figure.value > earlier.figure.value
                and (later.published or "") > (earlier.published or "")
                and later.article_id != earlier.article_id
            ):
                return True
    return False


def _same_time_conflict(series: Sequence[StoryFigure]) -> tuple[str, ...]:
    """Exact, incompatible figures of one counter for the same explicit date, published at the same time."""
    for i, a in enumerate(series):
        for b in series[i + 1 :]:
            fa, fb = a.figure, b.figure
            if (
                a.article_id != b.article_id
                and fa.qualifier == "exact"
                and fb.qualifier == "exact"
                and fa.date
                and not fa.date_fallback
                and not fb.date_fallback
                and fa.date == fb.date
                and (a.published or "") == (b.published or "")
                and not _compatible((fa, fb))
            ):
                return tuple(sorted((a.id, b.id)))
    return ()


def _assess(figures: Sequence[StoryFigure], counters: _Counters | None = None) -> _Assessment:
    figs = sorted(figures, key=lambda sf: sf.id)
    if not figs:
        return _Assessment("single", None, None, None, None, "no figures", ())
    counters = counters or _Counters(sf.figure.source for sf in figs)
    owner = _assign_counters(figs, counters)
    series: dict[str | None, list[StoryFigure]] = defaultdict(list)
    for sf in figs:
        series[owner[sf.id]].append(sf)
    current = {k: _current(v, counters) for k, v in series.items()}
    current_figs = [sf for k in sorted(current, key=lambda k: k or "") for sf in current[k]]

    # best: the latest asserted figure of the most credible, most recent, most specific counter
    voiced = {k: [sf for sf in v if sf.figure.stance == "asserts"] or v for k, v in series.items()}

    def rank(key: str | None) -> tuple[bool, bool, str, int, int, tuple[str, str, float, int, int, str]]:
        last = _standing(voiced[key], counters)
        return (
            key is not None,
            any(_credible(sf.figure) for sf in voiced[key]),
            _effective_day(last),
            _SPECIFICITY[last.figure.qualifier] - (1 if last.figure.vague else 0),
            len({sf.article_id for sf in voiced[key]}),
            _when(last),
        )

    chosen = max(sorted(voiced, key=lambda k: k or ""), key=rank)
    best_sf = _standing(voiced[chosen], counters)
    best = best_sf.figure.value
    # low / high / conservative: each counter's latest asserted figure (earlier ones are superseded),
    # or every asserted figure when they are all compatible (nothing is superseded then)
    latest = [_standing(voiced[k], counters) for k in sorted(voiced, key=lambda k: k or "")]
    asserted_all = [sf for k in sorted(voiced, key=lambda k: k or "") for sf in voiced[k]]
    if _compatible(sf.figure for sf in asserted_all):
        latest = asserted_all
    lows = [x for x in (_reported_low(sf.figure) for sf in latest) if x is not None]
    low = min([*lows, best])
    high = max([_reported_high(sf.figure) for sf in latest] + [best])
    credible = [sf for sf in latest if _credible(sf.figure)] or latest
    conservative = min(_conservative(sf.figure) for sf in credible)
    conservative = min(max(conservative, low), high)
    who = counters.display(chosen)
    when = _effective_day(best_sf) or "undated"
    reason = f"best = {_describe(best_sf.figure)}, the latest figure of {who} ({when})"

    if len(figs) == 1:
        return _Assessment("single", low, best, high, conservative, f"one report: {reason}", ())

    asserted = [sf for sf in figs if sf.figure.stance == "asserts"]
    denied = [sf for sf in figs if sf.figure.stance == "denies"]
    for d in denied:
        opposed = [a for a in asserted if _compatible((a.figure, d.figure))]
        if opposed:
            ids = tuple(sorted({d.id, *(a.id for a in opposed)}))
            text = (
                f"{counters.display(counters.key(d.figure.source))} denies {_describe(d.figure)}, which "
                f"{', '.join(sorted({counters.display(owner[a.id]) for a in opposed}))} report; {reason}"
            )
            return _Assessment("conflict", low, best, high, conservative, text, ids)
    for key in sorted(series, key=lambda k: k or ""):
        if key is None:
            continue
        clash = _same_time_conflict(series[key])
        if clash:
            text = f"{counters.display(key)} gives incompatible figures for the same date; {reason}"
            return _Assessment("conflict", low, best, high, conservative, text, clash)

    risers = [k for k in sorted(series, key=lambda k: k or "") if k is not None and _rose(series[k])]
    if risers and _compatible(sf.figure for sf in figs):
        # Compatible bounds ("at least 12", then "at least 19") still tell a toll that grew.
        who_rose = chosen if chosen in risers else risers[0]
        path = " -> ".join(_describe(sf.figure) for sf in sorted(series[who_rose], key=_when))
        text = f"raised over time by {counters.display(who_rose)} ({path}); {reason}"
        return _Assessment("evolving", low, best, high, conservative, text, ())
    if _compatible(sf.figure for sf in figs):
        text = f"{len(figs)} compatible figures from {_names(series, counters)}; {reason}"
        return _Assessment("agree", low, best, high, conservative, text, ())
    if not _compatible(sf.figure for sf in current_figs):
        parts = "; ".join(
            f"{counters.display(k)}: {', '.join(_describe(sf.figure) for sf in current[k])}"
            for k in sorted(current, key=lambda k: k or "")
        )
        text = f"different counters give different figures ({parts}); {reason}"
        return _Assessment("spread", low, best, high, conservative, text, ())
    path = " -> ".join(_describe(sf.figure) for sf in sorted(series[chosen], key=_when))
    text = f"updated over time by {who} ({path}); {reason}"
    return _Assessment("evolving", low, best, high, conservative, text, ())


def _names(series: dict[str | None, list[StoryFigure]], counters: _Counters) -> str:
    return ", ".join(sorted(counters.display(k) for k in series))


def reconcile_values(figures: Sequence[StoryFigure]) -> tuple[Verdict, float | None, float | None, float | None]:
    """Verdict, low, best and high of figures taken as one slot (see the module docstring)."""
    result = _assess(figures)
    return result.verdict, result.low, result.best, result.high


# --------------------------------------------------------------------------------------------------
# slots


def _article_order(figures: Sequence[StoryFigure]) -> dict[tuple[str, int], StoryFigure]:
    """(article id, index in the article's extraction) -> figure, for resolving ``part_of``."""
    by_article: dict[str, list[StoryFigure]] = defaultdict(list)
    for sf in figures:
        by_article[sf.article_id].append(sf)
    out: dict[tuple[str, int], StoryFigure] = {}
    for article_id, figs in by_article.items():
        if all(sf.index is not None for sf in figs):
            for sf in figs:
                out[(article_id, sf.index or 0)] = sf
        else:
            ordered = sorted(figs, key=lambda sf: (sf.figure.start, sf.figure.end, sf.id))
            for i, sf in enumerate(ordered):
                out[(article_id, i)] = sf
    return out


def _part_tag(sf: StoryFigure, order: dict[tuple[str, int], StoryFigure]) -> str:
    """'' for a figure in its own right; a tag for a breakdown part that shares its total's group."""
    part_of = sf.figure.part_of
    if part_of is None:
        return ""
    total = order.get((sf.article_id, part_of))
    group = normalise_group(sf.figure.group)
    if total is None and group != "all":
        return ""
    if total is not None and normalise_group(total.figure.group) != group:
        return ""
    return f"part of {sf.article_id}#{part_of}"


@dataclass(slots=True)
class _Unit:
    figures: list[StoryFigure]
    counter: str | None
    place: str | None
    siblings: frozenset[str]  # "article#part_of" breakdowns this unit holds parts of

    def scale(self) -> float:
        """Position on the log scale used to compare orders of magnitude (latest value)."""
        return math.log(max(max(self.figures, key=_when).figure.value, 0.0) + 1.0)

    def first_id(self) -> str:
        return min(sf.id for sf in self.figures)


@dataclass(slots=True)
class _Cluster:
    units: list[_Unit]
    low: float
    high: float
    places: frozenset[str]
    siblings: frozenset[str]
    first_id: str

    @staticmethod
    def of(unit: _Unit) -> _Cluster:
        scale = unit.scale()
        places = frozenset({unit.place} if unit.place else ())
        return _Cluster([unit], scale, scale, places, unit.siblings, unit.first_id())

    def joinable(self, other: _Cluster) -> bool:
        return (
            len(self.places | other.places) <= 1
            and not (self.siblings & other.siblings)
            and max(self.high, other.high) - min(self.low, other.low) <= math.log(MERGE_RATIO) + 1e-12
        )

    def join(self, other: _Cluster) -> _Cluster:
        return _Cluster(
            self.units + other.units,
            min(self.low, other.low),
            max(self.high, other.high),
            self.places | other.places,
            self.siblings | other.siblings,
            min(self.first_id, other.first_id),
        )


def _partition_units(figures: Sequence[StoryFigure], counters: _Counters) -> list[_Unit]:
    """Series of named counters (per place) and single unattributed figures."""
    series: dict[tuple[str, str | None], list[StoryFigure]] = defaultdict(list)
    units: list[_Unit] = []
    for sf in sorted(figures, key=lambda x: x.id):
        key = counters.key(sf.figure.source)
        place = _fold(sf.figure.place) if sf.figure.place else None
        if key is None:
            units.append(_Unit([sf], None, place, _siblings([sf])))
        else:
            series[(key, place)].append(sf)
    # a counter's unplaced figures join its only placed series
    for (key, place), figs in sorted(series.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if place is None:
            placed = [p for (k, p) in series if k == key and p is not None]
            if len(placed) == 1:
                series[(key, placed[0])].extend(figs)
                figs.clear()
    for (key, place), figs in sorted(series.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        # parts of one breakdown never share a unit: split them off
        seen: set[str] = set()
        rest: list[StoryFigure] = []
        for sf in sorted(figs, key=_when):
            tag = _sibling(sf)
            if tag and tag in seen:
                units.append(_Unit([sf], key, place, frozenset({tag})))
            else:
                if tag:
                    seen.add(tag)
                rest.append(sf)
        if rest:
            units.append(_Unit(rest, key, place, _siblings(rest)))
    return units


def _sibling(sf: StoryFigure) -> str:
    return f"{sf.article_id}#{sf.figure.part_of}" if sf.figure.part_of is not None else ""


def _siblings(figs: Iterable[StoryFigure]) -> frozenset[str]:
    return frozenset(t for t in (_sibling(sf) for sf in figs) if t)


def _cluster(units: list[_Unit]) -> list[list[_Unit]]:
    """Complete linkage on the log scale: on a line the closest clusters are neighbours, so only
    neighbouring clusters (in scale order) are merged, tightest merged range first. O(n^2), deterministic."""
    clusters = [_Cluster.of(u) for u in sorted(units, key=lambda u: (u.scale(), u.first_id()))]
    while True:
        best: tuple[float, str, int] | None = None
        for i in range(len(clusters) - 1):
            a, b = clusters[i], clusters[i + 1]
            if not a.joinable(b):
                continue
            key = (max(a.high, b.high) - min(a.low, b.low), min(a.first_id, b.first_id), i)
            if best is None or key < best:
                best = key
        if best is None:
            return [c.units for c in clusters]
        i = best[2]
        clusters[i : i + 2] = [clusters[i].join(clusters[i + 1])]


def slot_figures(figures: Sequence[StoryFigure]) -> list[list[StoryFigure]]:
    """Group a story's non-background figures into slots; every such figure lands in exactly one slot."""
    live = [sf for sf in figures if not sf.figure.background]
    counters = _Counters(sf.figure.source for sf in live)
    order = _article_order(figures)
    partitions: dict[tuple[str, str, str], list[StoryFigure]] = defaultdict(list)
    for sf in live:
        key = (normalise_measure(sf.figure.measure), normalise_group(sf.figure.group), _part_tag(sf, order))
        partitions[key].append(sf)
    slots: list[list[StoryFigure]] = []
    for key in sorted(partitions):
        for cluster in _cluster(_partition_units(partitions[key], counters)):
            slots.append(sorted((sf for u in cluster for sf in u.figures), key=lambda sf: sf.id))
    return sorted(slots, key=lambda s: s[0].id)


def _label(measure: str, group: str, part: bool) -> str:
    words = measure.replace("_", " ")
    if group != "all":
        return f"{group} {words} (part of a breakdown)" if part else f"{group} {words}"
    text = f"{words} (all)" if measure in _PEOPLE_MEASURES else words
    return f"{text} (part of a breakdown)" if part else text


def reconcile_figures(story_id: str, figures: Sequence[StoryFigure]) -> list[Reconciliation]:
    """One Reconciliation per slot, sorted by id-stable slot order, with unique readable labels."""
    live = [sf for sf in figures if not sf.figure.background]
    counters = _Counters(sf.figure.source for sf in live)
    order = _article_order(figures)
    drafts: list[tuple[str, list[StoryFigure], _Assessment, str, str]] = []
    for slot in slot_figures(figures):
        first = slot[0]
        measure = normalise_measure(first.figure.measure)
        group = normalise_group(first.figure.group)
        label = _label(measure, group, bool(_part_tag(first, order)))
        drafts.append((label, slot, _assess(slot, counters), measure, group))
    labels = _disambiguate(drafts, counters)
    out = []
    for (_, slot, result, measure, group), label in zip(drafts, labels, strict=True):
        ids = tuple(sf.id for sf in slot)
        out.append(
            Reconciliation(
                id="r-" + _short_hash(story_id, *ids),
                story_id=story_id,
                label=label,
                figure_ids=ids,
                verdict=result.verdict,
                low=result.low,
                best=result.best,
                high=result.high,
                conservative=result.conservative,
                explanation=result.explanation,
                measure=measure,
                group=group,
            )
        )
    return out


def _disambiguate(
    drafts: Sequence[tuple[str, list[StoryFigure], _Assessment, str, str]], counters: _Counters
) -> list[str]:
    """Make slot labels unique: add the place, then the counters, then a number."""
    count: dict[str, int] = defaultdict(int)
    for d in drafts:
        count[d[0]] += 1
    labels = []
    for label, slot, _, _, _ in drafts:
        if count[label] > 1:
            places = sorted({sf.figure.place for sf in slot if sf.figure.place})
            names = sorted({counters.display(counters.key(sf.figure.source)) for sf in slot})
            label = f"{label} in {', '.join(places)}" if places else f"{label}, per {', '.join(names)}"
        labels.append(label)
    seen: dict[str, int] = defaultdict(int)
    final_count: dict[str, int] = defaultdict(int)
    for label in labels:
        final_count[label] += 1
    out = []
    for label in labels:
        if final_count[label] > 1:
            seen[label] += 1
            label = f"{label} ({seen[label]})"
        out.append(label)
    return out
