"""Figures: counts of people and events in a report, with measure, group, qualifier, date and scope.

A figure is a quantity (``numbers.find_quantities``) that a casualty, displacement, arrest or event
word ties to what it counts, in one of these shapes:

- the number before its noun phrase and a participle: "at least 31 civilians have been killed",
  "six villagers, including three pupils, were killed", "140 passengers were confirmed dead";
- a verb before the number: "killing 16 civilians", "wounded three others", "captured over 30 towns";
- a noun of measure right after it: "145 deaths", "3 dead, 5 injured", "14 airstrikes";
- a toll: "the death toll has risen to over 160", "the number of casualties rose to 82";
- a breakdown after a total: "120, including 70 fighters, 20 from allied militias and 30 members of
  government forces" gives a total and parts (``part_of`` = index of the total);
- single victims without a numeral: "a man was shot and killed", "was pronounced dead" (killed 1).

Each figure gets the date its sentence refers to (``dates``), falling back to the publication date only
for present or recent reports, and ``background`` when it is about another time or scope (a war's
whole toll, "in 2013", "for more than a decade"). ``source`` is left None and ``stance`` "asserts":
attribution fills them. Pure rules and regular expressions: no model is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from newsweave.extract.dates import DateRef, find_dates, parse_published
from newsweave.extract.figure_lexicon import (
    _AGE_AFTER,
    _AGE_BEFORE,
    _BACKGROUND,
    _BREAKDOWN,
    _CLAUSE_BREAK,
    _DAMAGE,
    _DEATH_WORD,
    _EVENT_MEASURES,
    _GROUP_MODIFIERS,
    _HISTORY,
    _LEFT_VERB,
    _NEGATION,
    _NEIGHBOURHOOD_NOUNS,
    _ONE_AND,
    _ONE_PERSON,
    _PAIR_KILLED,
    _PAST_PERFECT_OR_PRESENT,
    _PERSON_GROUPS,
    _PLACE_NOUNS,
    _POPULATION,
    _PROPERTY_NOUNS,
    _RECENT,
    _RIGHT_NOUN,
    _RIGHT_PASSIVE,
    _SENT_TO_HOSPITAL,
    _SINGLE_INJURED,
    _SINGLE_KILLED,
    _SUBJECT_PLURAL,
    _TO_HOSPITAL,
    _TOLL,
    _VICTIM_HINT,
    _WORD,
    _word_set,
)
from newsweave.extract.numbers import Quantity, find_quantities
from newsweave.model import Article, Figure, Qualifier, Sentence
from newsweave.text import segment

__all__ = ["find_figures"]


@dataclass(slots=True)
class _Draft:
    """A figure being built, before its date and final index are known."""

    start: int  # offsets into the sentence text
    end: int
    measure: str
    group: str
    quantity: Quantity
    parent: _Draft | None = None
    single: bool = False  # a victim without a numeral ("a man was killed")


def find_figures(article: Article) -> list[Figure]:
    """Every figure in ``article`` in reading order; offsets point into ``article.text``."""
    sentences = article.sentences or tuple(segment(article.text)[1])
    published = parse_published(article.published)
    figures: list[Figure] = []
    drafts_of: list[tuple[_Draft, Figure]] = []
    previous_day: str | None = None
    history_paragraph: int | None = None
    deaths_reported = _DEATH_WORD.search(article.text) is not None
    for sentence in sentences:
        refs = find_dates(sentence.text, article.published, previous=previous_day)
        drafts = _sentence_drafts(sentence.text, deaths_reported)
        carried = (
            history_paragraph == sentence.paragraph and not refs and not _PAST_PERFECT_OR_PRESENT.search(sentence.text)
        )
        for draft in drafts:
            figure = _figure(sentence, draft, refs, published, article.published, carried)
            drafts_of.append((draft, figure))
        history_paragraph = sentence.paragraph if _is_history(sentence.text, refs, published) else None
        days = [ref.date for ref in refs if ref.granularity == "day"]
        if days:
            previous_day = days[-1]
    if any(f.measure == "killed" and not f.background for _, f in drafts_of):
        # In an article that reports a death, "he was shot" is most often the victim who died.
        drafts_of = [(d, f) for d, f in drafts_of if not (d.single and d.measure == "injured")]
    index_of = {id(draft): i for i, (draft, _) in enumerate(drafts_of)}
    for draft, figure in drafts_of:
        if draft.parent is not None and id(draft.parent) in index_of:
            figure = replace(figure, part_of=index_of[id(draft.parent)])
        figures.append(figure)
    return figures


def _is_history(text: str, refs: list[DateRef], published: date | None) -> bool:
    """A sentence about the past of a conflict, whose context the next sentence may continue."""
    old = any(_is_old(ref, published) for ref in refs)
    return bool(_HISTORY.search(text)) and (old or not refs)


def _is_old(ref: DateRef, published: date | None) -> bool:
    when = date.fromisoformat(ref.date)
    if published is None:
        return ref.granularity == "year"
    if ref.granularity == "year":
        return when.year < published.year
    return when < published - timedelta(days=62)


# --- one sentence ---------------------------------------------------------------------------------


def _sentence_drafts(text: str, deaths_reported: bool = True) -> list[_Draft]:
    quantities = find_quantities(text)
    drafts: list[_Draft] = []
    by_quantity: dict[int, _Draft] = {}
    for i, quantity in enumerate(quantities):
        draft = _classify(text, quantity, quantities[i + 1] if i + 1 < len(quantities) else None)
        if draft is not None:
            drafts.append(draft)
            by_quantity[i] = draft
    _attach_parts(text, quantities, by_quantity, drafts)
    _add_coordinated(text, quantities, by_quantity, drafts)
    _derive_injured(text, drafts, deaths_reported)
    drafts.extend(_single_victims(text, drafts))
    drafts.sort(key=lambda d: (d.start, -d.end))
    return drafts


def _noun_phrase(after: str) -> tuple[int, str | None, str | None, list[str]]:
    """The counted noun after a number: (end offset in ``after``, kind, head, modifiers).

    ``kind`` is "person", "event", "place" or None; at most three modifier words come before the head.
    """
    pos = 0
    modifiers: list[str] = []
    of_skip = re.match(r"\s*(?:of\s+(?:the\s+|them\s+|those\s+|these\s+)?)", after)
    if of_skip and re.match(r"\s*of\s+them\b", after):
        return of_skip.end(), "person", "them", []
    if of_skip:
        pos = of_skip.end()
    for _ in range(5):
        match = re.match(r"[\s\"'“”‘’]*([A-Za-z][\w'’.-]*)", after[pos:])
        if not match:
            break
        word = match.group(1).rstrip(".")
        lower = word.lower().replace("’", "'")
        end = pos + match.end() - (len(match.group(1)) - len(word))
        two = lower + " " + (re.match(r"\s*([A-Za-z-]+)", after[end:]) or _EMPTY).group(1).lower()
        if two in _EVENT_MEASURES:
            end2 = end + re.match(r"\s*[A-Za-z-]+", after[end:]).end()  # type: ignore[union-attr]
            return end2, "event", two, modifiers
        if lower in _EVENT_MEASURES:
            return end, "event", lower, modifiers
        if lower in _PERSON_GROUPS:
            return end, "person", lower, modifiers
        if lower + "s" in _PERSON_GROUPS and lower not in _STOP and lower != "other":  # "one soldier"
            return end, "person", lower + "s", modifiers
        if lower in _PROPERTY_NOUNS:
            return end, "property", lower, modifiers
        if lower in _PLACE_NOUNS:
            return end, "place", lower, modifiers
        if lower == "members" or lower == "member":
            return end, "person", "members", modifiers
        if lower.endswith(("ians", "ans", "ese", "is")) and word[0].isupper() and len(lower) > 4:
            return end, "person", "people", modifiers  # nationalities: "12 Yemenis", "3 Italians"
        if lower in _STOP or len(modifiers) >= 3:
            break
        modifiers.append(lower)
        pos = end
    return 0, None, None, []


class _Empty:
    @staticmethod
    def group(_: int) -> str:
        return ""


_EMPTY = _Empty()
_STOP = _word_set(
    """were was have has had are is be been being and or but with who which that from in on at by for to of
    as than after before during when while since into over under dead killed injured wounded died hurt
    displaced arrested detained shot missing fled said says reported told according more less also all
    them those these it its their his her this there here"""
)


def _group_of(head: str | None, modifiers: list[str], after: str) -> str:
    for modifier in modifiers:
        for piece in modifier.split("-"):
            if piece in _GROUP_MODIFIERS and head not in ("children", "child", "students"):
                return _GROUP_MODIFIERS[piece]
    if head == "members":
        rest = after[:60].lower()
        if re.match(
            r"\s*of\s+(?:the\s+)?(?:\w+\s+)?(?:regime|government|security|armed|army"
            r"|police|military|state)",
            rest,
        ):
            return "police" if "police" in rest[:30] else "government forces"
        if re.match(r"\s*of\s+(?:the\s+)?(?:same\s+)?(?:family|household)", rest):
            return "all"
        return "fighters"
    if head == "officers" and modifiers and modifiers[-1] in ("army", "military"):
        return "government forces"
    if head is None:
        if re.match(
            r"\s*from\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:factions?|groups?|militias?|brigades?|units?"
            r"|forces|[A-Z]{2,})",
            after,
        ):
            return "fighters"
        return "all"
    return _PERSON_GROUPS.get(head, "all")


def _classify(text: str, quantity: Quantity, following: Quantity | None) -> _Draft | None:
    if quantity.value != int(quantity.value) and quantity.value < 1000:
        return None
    after = text[quantity.end : following.start if following else len(text)]
    before = text[: quantity.start]
    if _AGE_BEFORE.search(before[-60:]):
        return None
    np_end, kind, head, modifiers = _noun_phrase(after)
    rest = after[np_end:]
    measure: str | None = None
    if kind == "event" and head is not None:
        measure = _EVENT_MEASURES[head]
        return _Draft(quantity.start, quantity.end + np_end, measure, "all", quantity)
    if kind == "place":
        measure = _place_measure(head, before, rest)
        if measure is None:
            return None
        return _Draft(quantity.start, quantity.end + np_end, measure, "all", quantity)
    if kind == "property":
        damage = _DAMAGE.match(rest)
        if damage is None or head is None:
            return None
        noun = _PROPERTY_NOUNS[head]
        return _Draft(quantity.start, quantity.end + np_end, f"{noun}_{damage.group('how').lower()}", "all", quantity)
    group = _group_of(head, modifiers, after[np_end:] if head == "members" else after)
    if kind == "person" and head in _PERSON_GROUPS and _PERSON_GROUPS[head] == "students":
        group = "students"
    full_rest = text[quantity.end + np_end :]
    ages = _AGE_AFTER.match(full_rest)
    if ages and kind == "person":
        full_rest = full_rest[ages.end() :]  # "two boys, ages 14 and 15, were wounded"
    tail = before[-60:]
    one = _ONE_AND.search(tail) if kind == "person" and head != "them" else None
    if one is not None and one.group("noun") is not None and not _is_one_person(one.group("noun")):
        one = None
    measure = _right_measure(full_rest, kind is not None)
    if measure is None:
        measure = _left_measure(before, kind is not None)
    if measure is None and one is not None:  # "killed his wife and three other relatives"
        measure = _left_measure(before[: len(before) - len(tail) + one.start()], True)
    if measure is None and kind == "person" and _SENT_TO_HOSPITAL.search(before[-20:]) and _TO_HOSPITAL.match(rest):
        measure = "injured"  # "the shooting sent four people to the hospital"
    if measure is None and _POPULATION.search(before) and kind == "person":
        measure = "population"
    if measure is None:
        return None
    if measure in ("captured", "controlled"):
        if kind != "person":
            return None
        measure = "captured"
    end = quantity.end + np_end
    if one is not None:  # "She and three others were shot": four victims.
        quantity = replace(
            quantity,
            value=quantity.value + 1,
            low=None if quantity.low is None else quantity.low + 1,
            high=None if quantity.high is None else quantity.high + 1,
        )
    return _Draft(quantity.start, end, measure, group, quantity)


def _is_one_person(noun: str) -> bool:
    noun = noun.lower()
    return noun in _ONE_PERSON or noun.endswith(("-year-old", "-month-old"))


def _right_measure(rest: str, has_noun: bool) -> str | None:
    noun = _RIGHT_NOUN.match(rest)
    if noun and noun.lastgroup:
        if noun.lastgroup == "killed" and noun.group().strip().lower() == "casualties" and not has_noun:
            return "killed"
        return noun.lastgroup
    passive = _RIGHT_PASSIVE.match(rest)
    if passive and passive.lastgroup:
        return passive.lastgroup
    return None


def _left_measure(before: str, has_noun: bool) -> str | None:
    tail = before[-90:]
    verb = _LEFT_VERB.search(tail)
    if verb and verb.lastgroup:
        group = verb.lastgroup
        if group == "controlled":
            return None
        if group == "shot" and not has_noun:
            return None
        return group
    toll = _TOLL.search(tail)
    if toll and toll.lastgroup:
        return toll.lastgroup
    return None


def _place_measure(head: str | None, before: str, rest: str) -> str | None:
    verb = _LEFT_VERB.search(before[-90:])
    kind = verb.lastgroup if verb else None
    if kind is None and re.match(
        r"^\s*(?:have\s+been\s+|were\s+|had\s+been\s+)?(?:captured|seized|taken|overrun"
        r"|retaken|fell)\b",
        rest,
        re.IGNORECASE,
    ):
        kind = "captured"
    prefix = "neighbourhoods" if head in _NEIGHBOURHOOD_NOUNS else "places"
    if kind == "captured":
        return f"{prefix}_captured"
    if kind == "controlled":
        return f"{prefix}_controlled"
    return None


def _attach_parts(text: str, quantities: list[Quantity], by_quantity: dict[int, _Draft], drafts: list[_Draft]) -> None:
    """Quantities listed after a total ("120, including 70 fighters ...") become its parts."""
    for i, _ in enumerate(quantities):
        total = by_quantity.get(i)
        if (
            total is None
            or total.measure in _EVENT_MEASURES.values()
            or total.measure.endswith(("_captured", "_controlled"))
        ):
            continue
        if not _BREAKDOWN.match(text[total.end :]):
            continue
        for j in range(i + 1, len(quantities)):
            part_q = quantities[j]
            gap = text[quantities[j - 1].end : part_q.start]
            if j > i + 1 and (re.search(r"[;.!?]|\bwhile\b|\bbut\b|\bwhereas\b", gap) or _gap_has_verb(gap)):
                break
            existing = by_quantity.get(j)
            if existing is not None and existing.parent is None and existing.measure != total.measure:
                break
            following = quantities[j + 1] if j + 1 < len(quantities) else None
            after = text[part_q.end : following.start if following else len(text)]
            np_end, kind, head, modifiers = _noun_phrase(after)
            if kind in ("event", "place"):
                break
            group = _group_of(head, modifiers, after[np_end:] if head == "members" else after)
            if head is None and group == "all" and total.group != "all":
                group = total.group
            part = _Draft(part_q.start, part_q.end + np_end, total.measure, group, part_q, parent=total)
            if existing is not None:
                drafts.remove(existing)
            drafts.append(part)
            by_quantity[j] = part


def _add_coordinated(
    text: str, quantities: list[Quantity], by_quantity: dict[int, _Draft], drafts: list[_Draft]
) -> None:
    """ "Three men and two women were wounded", "injuring four men and two women": a total of six, with
    the two groups as its parts. One of the two counts carries the measure, the other none."""
    for i in range(len(quantities) - 1):
        first, second = by_quantity.get(i), by_quantity.get(i + 1)
        known = first or second
        if known is None or (first is not None and second is not None) or known.parent is not None:
            continue
        if known.measure in _EVENT_MEASURES.values():
            continue
        first_q, second_q = quantities[i], quantities[i + 1]
        gap = text[first_q.end : second_q.start]
        np_end, kind, head, modifiers = _noun_phrase(gap)
        if kind != "person" or head in ("others", "more") or not re.fullmatch(r"\s*and\s*", gap[np_end:]):
            continue
        after = text[second_q.end : quantities[i + 2].start if i + 2 < len(quantities) else len(text)]
        end2, kind2, head2, modifiers2 = _noun_phrase(after)
        if kind2 != "person":
            continue
        low = None if first_q.low is None or second_q.low is None else first_q.low + second_q.low
        high = None if first_q.high is None or second_q.high is None else first_q.high + second_q.high
        qualifier = second_q.qualifier if first_q.qualifier == "exact" else first_q.qualifier
        total_q = Quantity(first_q.start, second_q.end, first_q.value + second_q.value, low, high, qualifier)
        total = _Draft(first_q.start, second_q.end + end2, known.measure, "all", total_q)
        if first is None:
            first = _Draft(first_q.start, first_q.end + np_end, known.measure, _group_of(head, modifiers, gap), first_q)
            drafts.append(first)
            by_quantity[i] = first
        if second is None:
            group2 = _group_of(head2, modifiers2, after[end2:])
            second = _Draft(second_q.start, second_q.end + end2, known.measure, group2, second_q)
            drafts.append(second)
            by_quantity[i + 1] = second
        first.parent = second.parent = total
        drafts.append(total)


def _gap_has_verb(gap: str) -> bool:
    return bool(re.search(r"\b(?:were|was|have|has|had|said|says|killed|wounded|injured|died)\b", gap, re.I))


def _derive_injured(text: str, drafts: list[_Draft], deaths_reported: bool = True) -> None:
    """ "Four people were shot, one fatally": three injured and one killed.

    Without a death word in the sentence or the whole article, "four people were shot" are four injured."""
    for draft in list(drafts):
        if draft.measure != "shot":
            continue
        killed = [d for d in drafts if d.measure == "killed" and d.start > draft.start]
        tail = text[draft.end :]
        fatal = re.search(
            r",\s*(?P<n>one|two|three|four|five|\d+)\s+(?:of\s+them\s+|of\s+whom\s+)?fatally\b", tail, re.IGNORECASE
        )
        count = 0.0
        if fatal:
            values = find_quantities(fatal.group("n"))
            count = values[0].value if values else 0.0
            start = draft.end + fatal.start("n")
            q = Quantity(start, start + len(fatal.group("n")), count, count, count, "exact")
            drafts.append(_Draft(q.start, q.end, "killed", draft.group, q, parent=draft))
        elif killed:
            count = killed[0].quantity.value
        if draft.quantity.qualifier == "exact" and count and draft.quantity.value > count:
            injured = draft.quantity.value - count
            q = replace(draft.quantity, value=injured, low=injured, high=injured)
            drafts.append(_Draft(draft.start, draft.end, "injured", draft.group, q, parent=draft))
        elif (
            not count
            and draft.quantity.qualifier == "exact"
            and not killed
            and (
                re.search(r"\b(?:injur|wound|hospital|surviv|non-life|stable|critical\s+condition)", text, re.I)
                or not deaths_reported
            )
        ):
            drafts.append(_Draft(draft.start, draft.end, "injured", draft.group, draft.quantity, parent=draft))


def _single_victims(text: str, drafts: list[_Draft]) -> list[_Draft]:
    """ "A man was shot and killed", "was pronounced dead": one victim without a numeral."""
    found: list[_Draft] = []
    if not _VICTIM_HINT.search(text):
        return found
    pair = _PAIR_KILLED.search(text)
    if pair is not None and not any(d.measure == "killed" for d in drafts):
        start, end = pair.start("verb"), pair.end("verb")
        subject = text[pair.start() : start]
        found.append(_Draft(start, end, "killed", _single_group(subject), Quantity(start, end, 2.0, 2.0, 2.0, "exact")))
    for pattern, measure in ((_SINGLE_KILLED, "killed"), (_SINGLE_INJURED, "injured")):
        if any(d.measure == measure for d in (*drafts, *found)):
            continue
        for match in pattern.finditer(text):
            verb = next(
                name for name in ("verb", "verb2", "verb3", "verb4", "verb5", "verb6") if match.group(name) is not None
            )
            subject = text[max(0, match.start() - 80) : match.start()]
            distinct = False
            subject = re.split(r"[.;:!?]|,\s+(?:and|but|while)\b|\bwhile\b|\band\b(?=\s+\w+\s+was)", subject)[-1]
            if _NEGATION.search(subject) or _SUBJECT_PLURAL.search(subject):
                continue
            # "wounding another" is a second victim; "expected to survive" is not the one who died.
            distinct = verb in ("verb3", "verb4")
            if (
                measure == "injured"
                and not distinct
                and (_DEATH_WORD.search(text) or any(f.measure == "killed" for f in found))
            ):
                continue
            start, end = match.start(verb), match.end(verb)
            qualifier: Qualifier = "at_least" if verb == "verb6" else "exact"
            q = Quantity(start, end, 1.0, 1.0, None if qualifier == "at_least" else 1.0, qualifier)
            found.append(_Draft(start, end, measure, _single_group(subject), q, single=not distinct))
            break
    return found


def _single_group(subject: str) -> str:
    for word in reversed(_WORD.findall(subject.lower())):
        if word in _PERSON_GROUPS:
            return _PERSON_GROUPS[word]
        singular = word + "s"
        if singular in _PERSON_GROUPS:
            return _PERSON_GROUPS[singular]
        if word in ("child", "boy", "girl", "baby", "infant", "toddler", "teen", "teenager"):
            return "children"
        if word in ("officer", "policeman", "deputy", "trooper", "cop"):
            return "police"
        if word in ("soldier", "serviceman"):
            return "government forces"
        if word in ("fighter", "militant", "rebel", "general", "commander"):
            return "fighters"
    return "all"


# --- dates and scope ------------------------------------------------------------------------------


def _figure(
    sentence: Sentence,
    draft: _Draft,
    refs: list[DateRef],
    published: date | None,
    published_text: str | None,
    carried: bool,
) -> Figure:
    q = draft.quantity
    clause_start, clause_end = _clause(sentence.text, draft.start, draft.end)
    clause = sentence.text[clause_start:clause_end]
    ref = _nearest_ref(refs, draft, clause_start, clause_end)
    background = (
        draft.measure == "population"
        or carried
        or bool(_BACKGROUND.search(clause))
        or (ref is not None and _is_old(ref, published))
    )
    when: str | None = None
    granularity = None
    fallback = False
    if ref is not None:
        when, granularity = ref.date, ref.granularity
    elif published is not None and not background and (sentence.heading or _RECENT.search(sentence.text)):
        when, granularity, fallback = published.isoformat(), "day", True
    del published_text
    return Figure(
        sentence_index=sentence.index,
        sentence=sentence.text,
        start=sentence.start + draft.start,
        end=sentence.start + draft.end,
        measure=draft.measure,
        value=q.value,
        qualifier=q.qualifier,
        group=draft.group,
        low=q.low,
        high=q.high,
        vague=q.vague,
        date=when,
        date_granularity=granularity,
        date_fallback=fallback,
        background=background,
    )


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``: cut at semicolons and "while"/"but"/"whereas"."""
    clause_start, clause_end = 0, len(text)
    for match in _CLAUSE_BREAK.finditer(text):
        if match.end() <= start:
            clause_start = match.end()
        elif match.start() >= end:
            clause_end = match.start()
            break
    return clause_start, clause_end


def _nearest_ref(refs: list[DateRef], draft: _Draft, clause_start: int, clause_end: int) -> DateRef | None:
    inside = [ref for ref in refs if ref.start >= clause_start and ref.end <= clause_end]
    if not inside:
        others = [ref for ref in refs if ref.end <= clause_start]  # a date opening the sentence covers it
        return others[0] if others and others[0].start < 40 else None
    return min(inside, key=lambda ref: min(abs(ref.start - draft.end), abs(draft.start - ref.end)))
