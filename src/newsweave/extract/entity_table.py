"""Store-wide entities: ``resolve_entities`` groups every article's mentions into entities.

It works on distinct surface forms (fast enough to re-run after every ingest) and links forms that name
the same thing: acronym and expansion, spelling variants ("Abdel Karim"/"Abdulkarim"), word-order
variants, a core name inside a longer one, surnames ("Haddad"), and descriptions linked in their article
(``entities.find_mentions`` gives mentions that co-refer inside one article a shared ``key``).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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


def resolve_entities(mentions: Mapping[str, Sequence[Mention]]) -> EntityTable:
    """Group the mentions of every article (article id -> its mentions) into store-wide entities."""
    node_ids: dict[str, int] = {}
    node_forms: list[Counter[str]] = []
    node_labels: list[Counter[str]] = []
    strong: list[bool] = []
    mention_node: dict[tuple[str, int], int] = {}
    local_groups: list[list[int]] = []
    attach: list[tuple[tuple[str, int], str, int]] = []  # weak mentions attached to a group's first node

    def node(key: str, is_strong: bool) -> int:
        if key not in node_ids:
            node_ids[key] = len(node_forms)
            node_forms.append(Counter())
            node_labels.append(Counter())
            strong.append(is_strong)
        return node_ids[key]

    for article_id in sorted(mentions):
        groups: dict[str, list[int]] = defaultdict(list)
        ms = mentions[article_id]
        for idx, m in enumerate(ms):
            groups[m.key or f"_{idx}"].append(idx)
        for _key, idxs in sorted(groups.items(), key=lambda kv: kv[1][0]):
            named = [i for i in idxs if not _is_weak(ms[i], ms, idxs)]
            nodes: list[int] = []
            for i in named:
                n = node("n:" + fold(ms[i].text), True)
                node_forms[n][ms[i].text] += 1
                node_labels[n][ms[i].label] += 1
                mention_node[(article_id, i)] = n
                nodes.append(n)
            for i in idxs:
                if i in named:
                    continue
                if nodes:
                    attach.append(((article_id, i), ms[i].text, nodes[0]))
                else:
                    n = node(("d:" if is_description(ms[i]) else "w:") + fold(strip_determiner(ms[i].text)), False)
                    node_forms[n][ms[i].text] += 1
                    node_labels[n][ms[i].label] += 1
                    mention_node[(article_id, i)] = n
                    nodes.append(n)
            if len(nodes) > 1:
                local_groups.append(nodes)
    uf = _Union(len(node_forms))
    for group in local_groups:
        for n in group[1:]:
            uf.union(group[0], n)
    _link_forms_globally(node_ids, node_forms, node_labels, strong, uf)
    extra: dict[int, Counter[str]] = defaultdict(Counter)
    for key, form, n in attach:
        mention_node[key] = n
        extra[n][form] += 1
    return _build_table(node_forms, node_labels, strong, uf, mention_node, extra)


def _is_weak(m: Mention, ms: Sequence[Mention], group: list[int]) -> bool:
    """Descriptions and lone surnames only name an entity through their article's context."""
    if is_description(m):
        return True
    if m.label == "PERSON" and len(fold(m.text).split()) == 1:
        return any(ms[j].label == "PERSON" and len(fold(ms[j].text).split()) > 1 for j in group)
    return False


def _link_forms_globally(
    node_ids: Mapping[str, int],
    node_forms: list[Counter[str]],
    node_labels: list[Counter[str]],
    strong: list[bool],
    uf: _Union,
) -> None:
    named = [
        (n, next(iter(node_forms[n].most_common(1)))[0], node_labels[n].most_common(1)[0][0])
        for n in sorted(node_ids.values())
        if strong[n] and node_forms[n]
    ]
    by_initials: dict[str, list[int]] = defaultdict(list)
    by_skeleton: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_core: dict[tuple[str, ...], list[int]] = defaultdict(list)
    by_token: dict[str, list[int]] = defaultdict(list)
    by_surname: dict[str, list[int]] = defaultdict(list)
    forms = {n: (form, label) for n, form, label in named}
    for n, form, label in named:
        words = fold(form).split()
        if _is_acronym(form):
            continue
        if len(words) >= 2:
            by_initials[_initials(form)].append(n)
            sk = _skeleton(form)
            if len(sk) >= 6:
                by_skeleton[(_type_class(label), sk)].append(n)
            if label == "PERSON":
                by_surname[_last_word(form)].append(n)
        if label == "ORG":
            core = tuple(sorted(set(_core(form))))
            if len(core) >= 2:
                by_core[core].append(n)
                for w in core:
                    by_token[w].append(n)
    for group in list(by_skeleton.values()) + list(by_core.values()):
        for n in group[1:]:
            uf.union(group[0], n)
    for n, form, label in named:
        if _is_acronym(form):
            cands = {uf.find(c) for c in by_initials.get(form.replace(".", "").upper(), [])}
            if len(cands) == 1:
                uf.union(n, cands.pop())
        elif label == "ORG":
            if len(set(_core(form))) < 2:
                continue
            pools = [set(by_token.get(w, ())) for w in set(_core(form))]
            common = set.intersection(*pools) - {n} if pools else set()
            sup = {uf.find(c) for c in sorted(common) if _core_subset(form, forms[c][0])}
            if len(sup) == 1:
                uf.union(n, sup.pop())
        elif label == "PERSON" and len(fold(form).split()) == 1:
            cands = {uf.find(c) for c in by_surname.get(_strip_article_prefix(fold(form)), [])}
            if len(cands) == 1:
                uf.union(n, cands.pop())


def _build_table(
    node_forms: list[Counter[str]],
    node_labels: list[Counter[str]],
    strong: list[bool],
    uf: _Union,
    mention_node: Mapping[tuple[str, int], int],
    extra: Mapping[int, Counter[str]],
) -> EntityTable:
    members: dict[int, list[int]] = defaultdict(list)
    for n in range(len(node_forms)):
        members[uf.find(n)].append(n)
    entities: list[Entity] = []
    ent_of_root: dict[int, str] = {}
    by_form: dict[str, str] = {}
    form_weight: dict[str, int] = {}
    used_ids: set[str] = set()
    for root in sorted(members):
        nodes = members[root]
        forms: Counter[str] = Counter()
        labels: Counter[str] = Counter()
        strong_forms: Counter[str] = Counter()
        for n in nodes:
            forms.update(node_forms[n])
            if strong[n]:
                forms.update(extra.get(n, Counter()))
                strong_forms.update(node_forms[n])
                labels.update(node_labels[n])
        if not labels:
            for n in nodes:
                labels.update(node_labels[n])
        pool = strong_forms or forms
        name = max(pool, key=lambda f: _name_rank(f, pool[f]))
        name = strip_determiner(name)
        top = max(labels.values()) if labels else 0
        etype = next((lab for lab in _LABEL_PRIORITY if labels.get(lab) == top), "ORG") if labels else "ORG"
        digest = hashlib.sha1(f"{etype}:{fold(name)}".encode()).hexdigest()[:12]
        eid = f"ent_{digest}"
        while eid in used_ids:
            digest = hashlib.sha1(digest.encode()).hexdigest()[:12]
            eid = f"ent_{digest}"
        used_ids.add(eid)
        aliases = sorted(
            set(forms) | {strip_determiner(f) for f in forms} | {"the " + f[4:] for f in forms if f.startswith("The ")}
        )
        count = sum(forms.values())
        entities.append(Entity(id=eid, name=name, type=etype, aliases=tuple(aliases), mention_count=count))
        ent_of_root[root] = eid
        for f in aliases:
            k = fold(f)
            if k and forms.get(f, 0) > form_weight.get(k, -1):
                form_weight[k] = forms.get(f, 0)
                by_form[k] = name
    of_mention = {key: ent_of_root[uf.find(n)] for key, n in mention_node.items()}
    return EntityTable(entities=tuple(entities), of_mention=of_mention, by_form=by_form)
