"""Store-wide entities: ``resolve_entities`` groups every article's mentions into entities.

It works on distinct surface forms (fast enough to re-run after every ingest) and links forms that name
the same thing: acronym and expansion, spelling variants ("Abdel Karim"/"Abdulkarim"), word-order
variants, a core name inside a longer one, surnames ("Haddad"), and descriptions linked in their article
(``entities.find_mentions`` gives mentions that co-refer inside one article a shared ``key``).

Between calls it keeps what depends only on one article's mentions (the same list object passed again), on
one surface form, or on one entity's node counts, so that re-running it after a small write (the pipeline
passes its in-process copy of the store's mentions) does again only what changed, plus one pass over the
store's distinct forms; the table is the same as a first call's.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any

from newsweave.extract.entities import (
    _core,
    _core_subset,
    _initials,
    _is_acronym,
    _last_word,
    _name_rank,
    _skeleton,
    _strip_article_prefix,
    _type_class,
    _Union,
    fold,
    is_description,
    strip_determiner,
)
from newsweave.model import Entity, Mention


@dataclass(frozen=True, slots=True)
class EntityTable:
    """Store-wide entities and the entity of every mention ((article id, mention index) -> entity id)."""

    entities: tuple[Entity, ...]
    of_mention: Mapping[tuple[str, int], str]
    by_form: Mapping[str, str] = field(default_factory=dict)  # folded surface form -> canonical name

    def canonical(self, name: str) -> str:
        """The canonical name of the entity ``name`` refers to; unknown names come back unchanged."""
        folded = fold(name)
        hit = self.by_form.get(folded) or self.by_form.get(fold(strip_determiner(name)))
        return hit if hit is not None else name


_LABEL_PRIORITY = ("ORG", "PERSON", "GPE", "LOC", "FAC", "NORP", "EVENT")


# One article's part in the first pass of ``resolve_entities``, in the order that pass takes it: per group of
# co-referring mentions, its named mentions and then the others, each as (mention index, node key, text, label).
_Slot = tuple[int, str, str, str]
_Groups = tuple[tuple[tuple[_Slot, ...], tuple[_Slot, ...]], ...]

# The parts of the articles of the last call, by article id, with the mention list they were read from. A
# caller that passes the same (unchanged) list objects again, as the pipeline's in-process copy of the store's
# mentions does, has only its new articles read; any other list is read afresh.
_GROUPS: dict[str, tuple[Sequence[Mention], _Groups]] = {}


def resolve_entities(mentions: Mapping[str, Sequence[Mention]]) -> EntityTable:
    """Group the mentions of every article (article id -> its mentions) into store-wide entities."""
    global _GROUPS
    node_ids: dict[str, int] = {}
    node_forms: list[dict[str, int]] = []  # counts (plain dicts: as Counters, but cheaper to make)
    node_labels: list[dict[str, int]] = []
    strong: list[bool] = []
    placed = _Placed()  # the node of every mention
    local_groups: list[list[int]] = []
    extra: dict[int, dict[str, int]] = defaultdict(dict)  # forms of weak mentions attached to a group's first node

    def node(key: str, is_strong: bool) -> int:
        n = node_ids.get(key)
        if n is None:
            n = node_ids[key] = len(node_forms)
            node_forms.append({})
            node_labels.append({})
            strong.append(is_strong)
        return n

    direct_article, direct_index, direct_node = placed.direct.lists()

    def place(article_id: str, i: int, n: int, text: str, label: str) -> int:
        """Count mention ``i`` of the article (its form and label) on node ``n``, which becomes its node."""
        counts = node_forms[n]
        counts[text] = counts.get(text, 0) + 1
        counts = node_labels[n]
        counts[label] = counts.get(label, 0) + 1
        direct_article(article_id)
        direct_index(i)
        direct_node(n)
        return n

    attached_article, attached_index, attached_node = placed.attached.lists()
    known = _GROUPS
    used: dict[str, tuple[Sequence[Mention], _Groups]] = {}
    for article_id in sorted(mentions):
        ms = mentions[article_id]
        hit = known.get(article_id)
        if hit is None or hit[0] is not ms:
            hit = (ms, _article_groups(ms))
        used[article_id] = hit
        for named, others in hit[1]:
            nodes: list[int] = []
            for i, key, text, label in named:
                nodes.append(place(article_id, i, node(key, True), text, label))
            for i, key, text, label in others:
                if nodes:
                    attached_article(article_id)
                    attached_index(i)
                    attached_node(nodes[0])
                    counts = extra[nodes[0]]
                    counts[text] = counts.get(text, 0) + 1
                else:
                    nodes.append(place(article_id, i, node(key, False), text, label))
            if len(nodes) > 1:
                local_groups.append(nodes)
    _GROUPS = used
    uf = _Union(len(node_forms))
    for group in local_groups:
        for n in group[1:]:
            uf.union(group[0], n)
    _link_forms_globally(node_ids, node_forms, node_labels, strong, uf)
    return _build_table(list(node_ids), node_forms, node_labels, strong, uf, placed, extra)


def _article_groups(ms: Sequence[Mention]) -> _Groups:
    """One article's mentions as ``resolve_entities`` takes them: groups of co-referring mentions (in the order
    of their first mention), each split into named mentions (strong nodes) and the others, with their node keys."""
    groups: dict[str, list[int]] = defaultdict(list)
    for idx, m in enumerate(ms):
        groups[m.key or f"_{idx}"].append(idx)
    out = []
    for _key, idxs in sorted(groups.items(), key=lambda kv: kv[1][0]):
        named = [i for i in idxs if not _is_weak(ms[i], ms, idxs)]
        others = [i for i in idxs if i not in named]
        out.append(
            (
                tuple((i, "n:" + fold(ms[i].text), ms[i].text, ms[i].label) for i in named),
                tuple(
                    (
                        i,
                        ("d:" if is_description(ms[i]) else "w:") + fold(strip_determiner(ms[i].text)),
                        ms[i].text,
                        ms[i].label,
                    )
                    for i in others
                ),
            )
        )
    return tuple(out)


def _is_weak(m: Mention, ms: Sequence[Mention], group: list[int]) -> bool:
    """Descriptions and lone surnames only name an entity through their article's context."""
    if is_description(m):
        return True
    if m.label == "PERSON" and len(fold(m.text).split()) == 1:
        return any(ms[j].label == "PERSON" and len(fold(ms[j].text).split()) > 1 for j in group)
    return False


def _link_forms_globally(
    node_ids: Mapping[str, int],
    node_forms: list[dict[str, int]],
    node_labels: list[dict[str, int]],
    strong: list[bool],
    uf: _Union,
) -> None:
    # the most common form and label of each named node (the first one seen among equals, as Counter.most_common)
    # (as three lists, not a list of triples: fewer objects for the garbage collector to follow)
    nodes = [n for n in sorted(node_ids.values()) if strong[n] and node_forms[n]]
    named_forms = [max(node_forms[n].items(), key=itemgetter(1))[0] for n in nodes]
    named_labels = [max(node_labels[n].items(), key=itemgetter(1))[0] for n in nodes]
    # Indexes of named nodes by initials, surname and core word; a key of one node holds the node itself, a list
    # only from the second (most keys have one node: fewer objects for the garbage collector to follow).
    by_initials: dict[str, int | list[int]] = {}
    by_token: dict[str, int | set[int]] = {}
    by_surname: dict[str, int | list[int]] = {}
    first_of: dict[Any, int] = {}  # the first node of each spelling skeleton (per type) and each set of core words
    form_of = dict(zip(nodes, named_forms, strict=True))
    infos = {form: _form_info(form) for form in named_forms}
    for n, form, label in zip(nodes, named_forms, named_labels, strict=True):
        info = infos[form]
        if info.acronym:
            continue
        if info.words >= 2:
            _put(by_initials, info.initials, n)
            if len(info.skeleton) >= 6:  # nodes of one skeleton are one entity (so are those of one core, below)
                first = first_of.setdefault(_type_class(label) + "\x1f" + info.skeleton, n)
                if first != n:
                    uf.union(first, n)
            if label == "PERSON":
                _put(by_surname, info.last_word, n)
        if label == "ORG" and len(info.core) >= 2:
            first = first_of.setdefault(info.core, n)
            if first != n:
                uf.union(first, n)
            for w in info.core:
                have = by_token.get(w)
                if have is None:
                    by_token[w] = n
                elif isinstance(have, int):
                    by_token[w] = {have, n}
                else:
                    have.add(n)
    for n, form, label in zip(nodes, named_forms, named_labels, strict=True):
        info = infos[form]
        if info.acronym:
            cands = {uf.find(c) for c in _all(by_initials, info.acronym_key)}
            if len(cands) == 1:
                uf.union(n, cands.pop())
        elif label == "ORG":
            if len(info.core) < 2:
                continue
            pools = [_all(by_token, w) for w in info.core]
            pools.sort(key=len)  # the nodes with every core word, starting from the rarest word's few
            common = set(pools[0]).intersection(*pools[1:]) - {n}
            sup = {uf.find(c) for c in sorted(common) if _core_subset(form, form_of[c])}
            if len(sup) == 1:
                uf.union(n, sup.pop())
        elif label == "PERSON" and info.words == 1:
            cands = {uf.find(c) for c in _all(by_surname, info.surname_key)}
            if len(cands) == 1:
                uf.union(n, cands.pop())


def _put(index: dict[str, int | list[int]], key: str, n: int) -> None:
    have = index.get(key)
    if have is None:
        index[key] = n
    elif isinstance(have, int):
        index[key] = [have, n]
    else:
        have.append(n)


def _all(index: Mapping[str, int | list[int] | set[int]], key: str) -> Collection[int]:
    have = index.get(key)
    return () if have is None else (have,) if isinstance(have, int) else have


@dataclass(frozen=True, slots=True)
class _FormInfo:
    """What ``_link_forms_globally`` looks at in a surface form (all of it depends on the form alone)."""

    acronym: bool
    words: int  # folded words
    initials: str
    skeleton: str
    last_word: str
    core: tuple[str, ...]  # distinct core words, sorted
    acronym_key: str  # an acronym as the initials it stands for
    surname_key: str  # a one-word name as a surname, without an Arabic article


_FORM_INFOS: dict[str, _FormInfo] = {}
_FORM_INFOS_MAX = 500_000


def _form_info(form: str) -> _FormInfo:
    info = _FORM_INFOS.get(form)
    if info is None:
        if len(_FORM_INFOS) >= _FORM_INFOS_MAX:
            _FORM_INFOS.clear()
        folded = fold(form)
        info = _FormInfo(
            acronym=_is_acronym(form),
            words=len(folded.split()),
            initials=_initials(form),
            skeleton=_skeleton(form),
            last_word=_last_word(form),
            core=tuple(sorted(set(_core(form)))),
            acronym_key=form.replace(".", "").upper(),
            surname_key=_strip_article_prefix(folded),
        )
        _FORM_INFOS[form] = info
    return info


def _build_table(
    keys: list[str],  # node keys, by node
    node_forms: list[dict[str, int]],
    node_labels: list[dict[str, int]],
    strong: list[bool],
    uf: _Union,
    placed: _Placed,
    extra: Mapping[int, dict[str, int]],
) -> EntityTable:
    # the nodes of each entity, by its root (the lowest node: ``_Union`` keeps the lower root); lists only for
    # entities of more than one node
    roots = [uf.find(n) for n in range(len(node_forms))]
    more: dict[int, list[int]] = defaultdict(list)
    for n, root in enumerate(roots):
        if root != n:
            more[root].append(n)
    entities: list[Entity] = []
    ent_of_root: dict[int, str] = {}
    by_form: dict[str, str] = {}
    form_weight: dict[str, int] = {}
    used_ids: set[str] = set()
    global _MADE
    made: dict[Any, tuple[list[Any], _Made]] = {}
    for root in (n for n, r in enumerate(roots) if r == n):
        nodes = [root, *more[root]] if root in more else (root,)
        parts = [(node_forms[n], node_labels[n], extra.get(n) if strong[n] else None) for n in nodes]
        memo = keys[nodes[0]] if len(nodes) == 1 else tuple(keys[n] for n in nodes)
        kept = _MADE.get(memo)
        if kept is not None and kept[0] == parts:  # the same nodes with the same counts as last time
            made[memo] = kept
            hit = kept[1]
        else:
            if len(nodes) == 1:  # most entities: one node, read as it is
                n = nodes[0]
                attached = parts[0][2]
                forms = _added(node_forms[n], attached) if attached else node_forms[n]
                hit = _make(forms, node_labels[n], node_forms[n] if strong[n] else {})
            else:
                forms_: Counter[str] = Counter()
                labels: Counter[str] = Counter()
                strong_forms: Counter[str] = Counter()
                for n in nodes:
                    forms_.update(node_forms[n])
                    if strong[n]:
                        attached = extra.get(n)
                        if attached:
                            forms_.update(attached)
                        strong_forms.update(node_forms[n])
                        labels.update(node_labels[n])
                if not labels:
                    for n in nodes:
                        labels.update(node_labels[n])
                hit = _make(forms_, labels, strong_forms)
            made[memo] = (parts, hit)
        eid = hit.eid
        digest = eid[4:]
        while eid in used_ids:
            digest = hashlib.sha1(digest.encode()).hexdigest()[:12]
            eid = f"ent_{digest}"
        used_ids.add(eid)
        entity = hit.entity if hit.entity.id == eid else replace(hit.entity, id=eid)
        entities.append(entity)
        ent_of_root[root] = eid
        for k, weight in hit.weights:
            if weight > form_weight.get(k, -1):
                form_weight[k] = weight
                by_form[k] = entity.name
    _MADE = made
    placed.resolve(lambda n: ent_of_root[uf.find(n)])
    return EntityTable(entities=tuple(entities), of_mention=placed, by_form=by_form)


class _Column:
    """(article id, mention index, node) rows as three flat lists (three objects, however many rows)."""

    __slots__ = ("articles", "indexes", "nodes")

    def __init__(self) -> None:
        self.articles: list[str] = []
        self.indexes: list[int] = []
        self.nodes: list[int] = []

    def lists(self) -> tuple[Callable[[str], None], Callable[[int], None], Callable[[int], None]]:
        """The ``append`` of each list, to add rows with."""
        return self.articles.append, self.indexes.append, self.nodes.append


class _Placed(Mapping[tuple[str, int], str]):
    """(article id, mention index) -> entity id, made into a dict only when read (the pipeline never does):
    the mentions placed directly in a node, in the order read, then those attached to their group's node."""

    def __init__(self) -> None:
        self.direct = _Column()
        self.attached = _Column()
        self._entity_of: Callable[[int], str] | None = None
        self._made: dict[tuple[str, int], str] | None = None

    def resolve(self, entity_of: Callable[[int], str]) -> None:
        self._entity_of = entity_of

    def _dict(self) -> dict[tuple[str, int], str]:
        if self._made is None:
            assert self._entity_of is not None
            of = self._entity_of
            made: dict[tuple[str, int], str] = {}
            for rows in (self.direct, self.attached):
                for a, i, n in zip(rows.articles, rows.indexes, rows.nodes, strict=True):
                    made[(a, i)] = of(n)
            self._made = made
        return self._made

    def __getitem__(self, key: tuple[str, int]) -> str:
        return self._dict()[key]

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


@dataclass(frozen=True, slots=True)
class _Made:
    """An entity as its forms, labels and strong forms make it, before its id is made unique."""

    entity: Entity
    eid: str  # the id it gets unless an earlier entity has it
    weights: tuple[tuple[str, int], ...]  # (folded alias, count of the alias as a form) for ``by_form``


# The entities the last call made, by their nodes' keys, with what they were made of (each node's counts, in
# node order): nodes whose counts did not change (most of them, from one write to the next) give the same
# entity, not made again. (Kept as the count dicts themselves, which the garbage collector does not track.)
_MADE: dict[Any, tuple[list[Any], _Made]] = {}


def _make(forms: Mapping[str, int], labels: Mapping[str, int], strong_forms: Mapping[str, int]) -> _Made:
    pool = strong_forms or forms
    name = max(pool, key=lambda f: _rank(f, pool[f]))
    name = _strip(name)
    top = max(labels.values()) if labels else 0
    etype = next((lab for lab in _LABEL_PRIORITY if labels.get(lab) == top), "ORG") if labels else "ORG"
    eid = "ent_" + hashlib.sha1(f"{etype}:{fold(name)}".encode()).hexdigest()[:12]
    aliases = sorted(set(forms) | {_strip(f) for f in forms} | {"the " + f[4:] for f in forms if f.startswith("The ")})
    count = sum(forms.values())
    weights = tuple((k, forms.get(f, 0)) for f in aliases if (k := fold(f)))
    entity = Entity(id=eid, name=name, type=etype, aliases=tuple(aliases), mention_count=count)
    return _Made(entity=entity, eid=eid, weights=weights)


def _added(counts: Mapping[str, int], more: Mapping[str, int]) -> dict[str, int]:
    out = dict(counts)
    for key, value in more.items():
        out[key] = out.get(key, 0) + value
    return out


_RANKS: dict[str, tuple[bool, bool, int]] = {}
_STRIPPED: dict[str, str] = {}


def _rank(form: str, count: int) -> tuple[bool, bool, int, int, int, str]:
    """``_name_rank``, with what depends on the form alone kept between calls."""
    base = _RANKS.get(form)
    if base is None:
        if len(_RANKS) >= _FORM_INFOS_MAX:
            _RANKS.clear()
        rank = _name_rank(form, count)
        _RANKS[form] = rank[:3]
        return rank
    return (*base, count, len(form), form)


def _strip(form: str) -> str:
    """``strip_determiner``, kept between calls."""
    out = _STRIPPED.get(form)
    if out is None:
        if len(_STRIPPED) >= _FORM_INFOS_MAX:
            _STRIPPED.clear()
        out = _STRIPPED[form] = strip_determiner(form)
    return out
