"""Events typed with PLOVER and ACLED sub-event types, with actors, place, date and figures.

Each clause of a sentence that reports a happening becomes at most one event: the first rule of
``EVENT_RULES`` that matches (most specific first: a suicide bombing before a generic attack, a car
bomb before an armed clash). The date comes from the clause's own date expression ("on Wednesday" in
a Friday report is Wednesday), chained where the sentence says "a day earlier", else the sentence's
first date, else the publication date. Sentences about another time (background) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsweave.extract.attribution import Attribution
from newsweave.extract.claims import (
    claim_date,
    clause_spans,
    find_actors,
    has_modal,
    is_background,
    is_place_mention,
    sentence_dates,
)
from newsweave.extract.dates import DateRef
from newsweave.extract.entities import PLACE_LABELS, best_names
from newsweave.model import Article, Event, Figure, Mention, Sentence

PLOVER_TYPES = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }
)


@dataclass(frozen=True, slots=True)
class EventRule:
    plover: str
    acled: str | None
    pattern: re.Pattern[str]
    requires: re.Pattern[str] | None = None  # a second pattern that must also match the clause


def _rule(plover: str, acled: str | None, pattern: str, requires: str | None = None) -> EventRule:
    return EventRule(
        plover,
        acled,
        re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.IGNORECASE),
        re.compile(requires, re.IGNORECASE) if requires else None,
    )


_PROTESTERS = (
    r"(?:protest\w*|demonstrat(?:ors?|ions?)|rall(?:y|ies)|marchers|marching|march(?:es)?\s+(?:against|for|through)"
    r"|sit-ins?|strikers)"
)
# what police break up: protesters, and the crowds and vigils they form
_GATHERINGS = rf"(?:{_PROTESTERS}|crowds?|vigils?|gatherings?)"
# Force used on a protest: lethal ("opened fire on protesters") or not ("tear gas to disperse demonstrators").
_FORCE = (
    r"(?:opened\s+fire|(?:fired|shot|shooting)(?!\s+(?:tear|rubber|water|pepper|warning|blanks|into\s+the\s+air))|"
    r"killed|killing|live\s+(?:ammunition|fire|rounds))"
)
_INTERVENE = (
    r"(?:dispers(?:e|ed|es|ing)|broke\s+up|break(?:ing)?\s+up|tear\s*gas|water\s*cannons?|rubber\s+bullets|"
    r"batons?|pepper\s+spray|arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|rounded\s+up|beat(?:en|ing)?|clubbed|"
    r"charged\s+(?:at|into)|cracked\s+down\s+on|crackdown\s+on)"
)
_GOVERNMENT = (
    r"(?<![\w-])(?:government|regime|army|military|troops|soldiers|state\s+forces|security\s+forces|"
    r"loyalist)"
)
EVENT_RULES: tuple[EventRule, ...] = (
    _rule("ASSAULT", "Suicide bomb", r"suicide\s+(?:bomb\w*|attack\w*|car\s+bomb\w*|vests?|blast)"),
    _rule(
        "ASSAULT",
        "Chemical weapon",
        r"chemical\s+(?:weapons?|attacks?|agents?|munitions?|strikes?)|sarin|chlorine(?:\s+gas)?|mustard\s+gas|"
        r"nerve\s+(?:agents?|gas)|(?:toxic|poison(?:ous)?)\s+gas",
    ),
    # Weapons caught before use: a bomb defused, a cache seized, a missile intercepted.
    _rule(
        "COERCE",
        "Disrupted weapons use",
        r"defus(?:e|ed|es|ing)|(?:dismantl|neutrali[sz])(?:e|ed|es|ing)\s+(?:[\w-]+\s+){0,3}(?:bombs?|IEDs?|explosives?|"
        r"devices?|mines?)|(?:seiz|confiscat|recover)(?:e|ed|es|ing)\s+(?:[\w,-]+\s+){0,5}(?:weapons|arms|ammunition|"
        r"explosives|rifles|guns|grenades|munitions|detonators)|(?:weapons?|arms|ammunition)\s+(?:caches?|depots?|"
        r"stockpiles?)\s+(?:was\s+|were\s+)?(?:found|discovered|uncovered|seized)|(?:found|discovered|uncovered)\s+"
        r"(?:[\w-]+\s+){0,4}(?:weapons?\s+caches?|arms\s+caches?|explosives|IEDs?|bombs?|explosive\s+devices?|"
        r"landmines?)|intercept(?:ed|s|ing)?\s+"
        r"(?:[\w-]+\s+){0,3}(?:missiles?|rockets?|drones?|projectiles?)|shot\s+down\s+(?:[\w-]+\s+){0,3}(?:drones?|"
        r"missiles?|rockets?)|bomb\s+disposal|foil(?:ed|s)?\s+(?:[\w-]+\s+){0,3}(?:attacks?|bombings?|plots?)",
    ),
    _rule("ASSAULT", "Grenade", r"(?:hand\s+)?grenades?"),
    _rule(
        "ASSAULT",
        "Remote explosive/landmine/IED",
        r"(?:car|truck|roadside|vehicle|parcel)[-\s]bombs?|IEDs?|improvised\s+explosive\s+devices?|landmines?|"
        r"explosive\s+devices?|booby[-\s]trap\w*|bomb\s+(?:exploded|went\s+off|blast)|mines?\s+exploded|"
        r"roadside\s+(?:devices?|explosives?)|(?:devices?|explosives?)\s+(?:went\s+off|exploded|detonated)",
    ),
    _rule(
        "ASSAULT",
        "Air/drone strike",
        r"air\s*strikes?|air\s+raids?|drone\s+(?:strikes?|attacks?)|warplanes?|(?:military\s+)?aircraft|"
        r"fighter\s+jets?|helicopter\s+gunships?|aerial\s+bombardment|bombed\s+from\s+the\s+air|"
        r"attacked\s+from\s+the\s+air|air\s+forces?\s+(?:attacked|struck|bombed)|(?:jets?|planes?|bombers?)\s+"
        r"(?:[\w-]+\s+){0,2}(?:bombed|struck|hit|pounded|attacked|targeted|strafed)|bombing\s+raids?|"
        r"aerial\s+(?:attacks?|bombing|strikes?)|drones?\s+(?:[\w-]+\s+){0,2}(?:struck|hit|attacked|targeted|bombed)",
    ),
    _rule(
        "ASSAULT",
        "Shelling/artillery/missile attack",
        r"shell(?:ing|ed|s)|artillery|mortars?|rockets?|missiles?|barrel\s+bombs?",
    ),
    _rule(
        "ASSAULT",
        "Excessive force against protesters",
        rf"{_FORCE}\s+(?:[\w,-]+\s+){{0,5}}?{_PROTESTERS}|{_PROTESTERS}\s+(?:[\w,-]+\s+){{0,4}}?(?:were\s+|was\s+)?"
        r"(?:shot|killed|shot\s+dead|gunned\s+down)",
    ),
    _rule(
        "PROTEST",
        "Protest with intervention",
        rf"{_INTERVENE}\s+(?:[\w,-]+\s+){{0,6}}?{_GATHERINGS}|{_PROTESTERS}\s+(?:[\w,-]+\s+){{0,4}}?(?:were\s+|was\s+)?"
        rf"{_INTERVENE}|{_INTERVENE}\s+(?:[\w,-]+\s+){{0,3}}?as\s+(?:[\w,-]+\s+){{0,3}}?(?:broke|break)\s+up",
    ),
    _rule(
        "ASSAULT",
        "Sexual violence",
        r"rap(?:e|ed|es|ing|ists?)|gang[-\s]rap\w*|sexual(?:ly)?\s+(?:assault\w*|abus\w*|violence|exploit\w*|"
        r"attack\w*)|molest\w*",
    ),
    _rule(
        "ASSAULT",
        "Government regains territory",
        r"regain(?:ed|s|ing)?|retook|retak(?:e|es|en|ing)|recaptur(?:e|ed|es|ing)|reclaim(?:ed|s)?|won\s+back",
        _GOVERNMENT,
    ),
    _rule(
        "CONCEDE",
        "Non-violent transfer of territory",
        r"(?:withdr(?:ew|awn|aw|aws|awing)|pull(?:ed|s|ing)?\s+out|retreat(?:ed|s|ing)?)\s+(?:[\w-]+\s+){0,4}?from|"
        r"hand(?:ed|s|ing)?\s+over\s+(?:[\w-]+\s+){0,3}?(?:control|territory|towns?|city|villages?|areas?|bases?|"
        r"positions?|checkpoints?)|without\s+(?:a\s+)?(?:fight|resistance|fighting|a\s+shot\s+(?:being\s+)?fired)",
        r"towns?|city|cities|villages?|areas?|territor(?:y|ies)|bases?|positions?|regions?|provinces?|districts?|"
        r"checkpoints?|borders?|neighbou?rhoods?|airports?|hills?",
    ),
    _rule(
        "ASSAULT",
        "Non-state actor overtakes territory",
        r"captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)|(?:took|taken|take|taking)\s+(?:full\s+|total\s+)?"
        r"(?:control|over)|overr(?:an|un)|storm(?:ed|s)|fell\s+to|(?:advanced|pushed|swept|moved)\s+into|"
        r"control(?:s|led)?\s+(?:\w+\s+){0,3}(?:neighbou?rhoods?|towns?|villages?|cities|areas?|districts?)|"
        r"reached\s+the\s+(?:heart|centre|center|outskirts|gates)",
    ),
    _rule(
        "MOBILIZE",
        "Headquarters or base established",
        r"(?:establish(?:ed|es|ing)?|set(?:ting)?\s+up|buil[dt]|building|open(?:ed|s|ing)?|construct(?:ed|s|ing)?)\s+"
        r"(?:[\w-]+\s+){0,3}(?:bases?|headquarters|HQ|outposts?|(?:military|army)\s+(?:camps?|posts?)|garrisons?)",
    ),
    _rule(
        "ASSAULT",
        "Abduction/forced disappearance",
        r"abduct(?:ed|s|ing|ion)|kidnapp?(?:ed|s|ing)?|forcibly\s+disappeared|taken\s+hostage",
    ),
    _rule("COERCE", "Arrests", r"arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|rounded\s+up"),
    _rule(
        "PROTEST",
        "Violent demonstration",
        r"riot(?:s|ed|ers|ing)?(?!\s+(?:police|gear|squads?|control|officers|shields|units?))|"
        r"(?:threw|hurled|throwing|hurling|pelted)\s+(?:[\w-]+\s+){0,2}(?:stones|rocks|petrol\s+bombs|molotov\s+"
        r"cocktails|bottles|firebombs)|burn(?:ed|t|ing)\s+(?:[\w-]+\s+)?tyres|(?:protesters|demonstrators)\s+"
        r"(?:\w+\s+){0,3}(?:clashed|threw|torched|"
        r"stormed|burned|attacked)|violent\s+(?:protests?|demonstrations?)",
    ),
    _rule(
        "ASSAULT",
        "Mob violence",
        r"mobs?|lynch(?:ed|es|ing|ings)?|vigilantes?|(?:angry|irate|enraged)\s+(?:crowds?|villagers|residents|youths|"
        r"mobs?)|communal\s+(?:clashes|violence|riots?)|(?:villagers|residents|crowds?|youths)\s+(?:[\w-]+\s+){0,3}"
        r"(?:beat|attacked|stoned|torched|lynched|set\s+fire)",
    ),
    _rule(
        "PROTEST",
        "Peaceful protest",
        r"(?:went|go|going|are|were)\s+on\s+strike|(?:general|hunger)\s+strikes?|picket(?:ed|s|ing)?|walk-?outs?|"
        r"protest(?:s|ed|ers|ing)?|demonstrat(?:ion|ions|ors|ed)|rall(?:y|ies|ied)|march(?:ed|es)\s+"
        r"(?:through|in|on|to)|sit-ins?",
    ),
    _rule(
        "COERCE",
        "Looting/property destruction",
        r"loot(?:ed|ing|s)?|ransack(?:ed)?|torch(?:ed|ing)|set\s+(?:\w+\s+){0,3}(?:on\s+)?fire|"
        r"(?:burn(?:ed|t)|demolish(?:ed)?|destroy(?:ed|ing))\s+(?:\w+\s+){0,2}(?:homes|houses|shops|"
        r"buildings|property|properties|crops)",
    ),
    _rule(
        "COERCE",
        None,
        r"(?:clos(?:e|ed|es|ing)|shut(?:\s+down)?|cut(?:\s+off)?|block(?:ed|s|ing)?|seal(?:ed|s)?)\s+"
        r"(?:[\w'’-]+\s+){0,6}(?:roads?|highways?|airports?|borders?|crossings?|routes?|supply\s+lines?)|curfew",
    ),
    _rule(
        "AID",
        None,
        r"(?:military|humanitarian|financial|additional)\s+(?:aid|assistance)|"
        r"(?:sent|delivered|supplied|providing|provided)\s+(?:\w+\s+){0,2}(?:weapons|arms|aid|"
        r"manpower)",
    ),
    _rule(
        "MOBILIZE",
        "Change to group/activity",
        r"(?:chang|renam)(?:ed|es|ing)?\s+(?:its|their)\s+name|merg(?:ed|es|ing|er)\s+(?:with|into)|split\s+from|"
        r"(?:disband|dissolv)(?:ed|es|ing)|(?:announced|formed|created|founded|launched)\s+(?:the\s+|a\s+)?"
        r"(?:formation\s+of\s+(?:a\s+)?)?new\s+(?:[\w-]+\s+)?(?:group|coalition|alliance|brigade|faction|militia|"
        r"unit|front)|pledg(?:ed|es|ing)\s+allegiance|(?:appointed|named)\s+(?:[\w-]+\s+){0,3}(?:as\s+)?"
        r"(?:its\s+|their\s+|the\s+)?(?:new\s+)?(?:leader|commander|chief|emir)|"
        r"military\s+(?:exercises?|drills?|manoeuvres|maneuvers)|recruitment\s+(?:drive|campaign)",
    ),
    _rule(
        "MOBILIZE",
        "Change to group/activity",
        r"reinforcements?|(?:re)?deploy(?:ed|s|ing|ment)?|dispatch(?:ed|es)?|mobili[sz](?:e|ed|es|ing|ation)|"
        r"sen[dt]\s+(?:\w+\s+)?(?:troops|forces|units|soldiers)",
    ),
    _rule(
        "SUPPORT",
        None,
        r"pledg(?:e|ed|es|ing)|promis(?:e|ed|es|ing)|vow(?:ed|s)?\s+(?:to\s+)?support|"
        r"(?:continued|full)\s+support|backed|endorsed",
    ),
    _rule(
        "REQUEST",
        None,
        r"urg(?:e|ed|es|ing)|call(?:s|ed)?\s+(?:on|for)|demand(?:s|ed)?|appeal(?:s|ed)?\s+"
        r"(?:to|for)",
    ),
    _rule(
        "AGREE",
        "Agreement",
        r"ceasefire\s+(?:[\w-]+\s+){0,5}(?:took|takes|came|went)\s+(?:into\s+)?effect|"
        r"(?:signed|reached|agreed)\s+(?:\w+\s+){0,2}(?:deal|agreement|ceasefire|truce)|"
        r"agreed\s+to",
    ),
    _rule("ACCUSE", None, r"condemn(?:ed|s|ing)?|accus(?:e|ed|es|ing)|blam(?:e|ed|es|ing)"),
    _rule(
        "ASSAULT",
        "Armed clash",
        r"clash(?:es|ed)?|fighting|fought|battles?|firefights?|gun\s*battles?|shoot-?outs?|skirmish(?:es)?|"
        r"exchang(?:ed|ing)\s+(?:gun)?fire|ambush(?:ed|es|ing)?|engaged\s+(?:in\s+)?(?:combat|fighting)|"
        r"(?:offensive|operation|assault|campaign)\s+(?:\w+\s+){0,2}(?:began|started|was\s+launched)|"
        r"offensive|assault|attack(?:ed|s)?\s+(?:[\w-]+\s+){0,3}(?:positions|areas|forces|troops|bases|"
        r"checkpoints?)|launched\s+(?:\w+\s+){0,3}(?:attack|assault)",
    ),
    _rule(
        "ASSAULT",
        "Attack",
        r"attack(?:ed|s|ing)?|gunm[ae]n|shot(?:\s+dead)?|shootings?|gunned\s+down|opened\s+fire|gunfire|"
        r"massacre[ds]?|stabb(?:ed|ing)|killed|executed|hack(?:ed|ing)\s+to\s+death|machetes?|beaten\s+to\s+death|"
        r"beheaded|murdered|assassinat(?:ed|ion|ing)",
    ),
)
_REJECT = EventRule("REJECT", None, re.compile(r"."))
# Deaths from a natural or accidental cause: "killed" alone does not make them an attack.
_HAZARD = re.compile(
    r"(?<![\w-])(?:floods?|flooding|flash\s+floods?|floodwaters?|burst\s+(?:its|their)\s+banks|earthquakes?|quakes?|"
    r"tremors?|tsunamis?|storms?|hurricanes?|cyclones?|typhoons?|tornado(?:e?s)?|landslides?|mudslides?|"
    r"avalanches?|wildfires?|bushfires?|blazes?|fires?|heat\s*waves?|droughts?|lightning|eruptions?|"
    r"crash(?:ed|es)?|collisions?|collided|derail(?:ed|ment)|accidents?|capsized|sank|collapsed?|"
    r"outbreaks?|epidemics?|cholera|explosion\s+at\s+(?:a|the)\s+(?:factory|plant|mine))(?![\w-])",
    re.IGNORECASE,
)
_GENERIC_KILLING = re.compile(r"(?<![\w-])(?:killed|died|dead)(?![\w-])", re.IGNORECASE)


def find_events(
    article: Article,
    mentions: Sequence[Mention],
    figures: Sequence[Figure],
    attributions: Sequence[Attribution],
    dates: Sequence[Sequence[DateRef]] | None = None,
) -> list[Event]:
    """Events of one article; ``figures`` are the article's figures (their indices link to events),
    ``dates`` the sentences' date expressions from ``claims.sentence_dates`` (computed when not given)."""
    names = best_names(mentions)
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    atts = {a.sentence_index: a for a in attributions}
    all_refs = dates if dates is not None else sentence_dates(article)
    events: list[Event] = []
    for sent in article.sentences:
        refs = all_refs[sent.index] if sent.index < len(all_refs) else []
        if sent.heading or is_background(sent.text, article.published):
            continue
        att = atts.get(sent.index, Attribution(sent.index))
        events.extend(_sentence_events(article, sent, refs, by_sentence.get(sent.index, []), names, att, figures))
    return events


def classify(text: str, denies: bool = False) -> EventRule | None:
    """The event rule for a clause: the first (most specific) rule that matches, REJECT for a denial."""
    if denies:
        return _REJECT
    for rule in EVENT_RULES:
        matches = [m.group() for m in rule.pattern.finditer(text)]
        if not matches or (rule.requires is not None and not rule.requires.search(text)):
            continue
        if all(_GENERIC_KILLING.fullmatch(m) for m in matches) and _HAZARD.search(text):
            return None  # "killed when the river burst its banks": a disaster, not violence
        return rule
    return None


def _sentence_events(
    article: Article,
    sent: Sentence,
    refs: Sequence[DateRef],
    mentions: Sequence[Mention],
    names: dict[str, str],
    att: Attribution,
    figures: Sequence[Figure],
) -> list[Event]:
    out: list[Event] = []
    spans = clause_spans(sent.text)
    for i, (a, b) in enumerate(spans):
        clause = sent.text[a:b]
        if has_modal(clause):
            continue
        rule = classify(clause, denies=att.stance == "denies" and i == 0)
        if rule is None:
            continue
        own = [r for r in refs if a <= r.start < b]
        date, granularity = claim_date(own or refs, article.published)
        cstart, cend = sent.start + a, sent.start + b
        clause_mentions = [m for m in mentions if cstart <= m.start < cend]
        place = next(
            (m.text for m in clause_mentions if m.label in PLACE_LABELS and is_place_mention(sent.text, sent.start, m)),
            None,
        )
        if place is None:
            place = next(
                (m.text for m in mentions if m.label in PLACE_LABELS and is_place_mention(sent.text, sent.start, m)),
                None,
            )
        actors = find_actors(sent, clause_mentions, names, att)
        figs = tuple(
            k
            for k, f in enumerate(figures)
            if f.sentence_index == sent.index and (len(spans) == 1 or cstart <= f.start < cend)
        )
        event = Event(
            sentence_index=sent.index,
            sentence=sent.text,
            type=rule.plover,
            acled_subtype=rule.acled,
            date=date,
            date_granularity=granularity,
            actors=actors,
            place=place,
            figure_indices=figs,
        )
        if not any(
            e.type == event.type and e.acled_subtype == event.acled_subtype and e.date == event.date for e in out
        ):
            out.append(event)
    return out
