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
from newsweave.extract.numbers import Quantity, find_quantities
from newsweave.model import Article, Figure, Qualifier, Sentence
from newsweave.text import segment

__all__ = ["find_figures"]

# --- lexicons -------------------------------------------------------------------------------------

_PERSON_GROUPS: dict[str, str] = {}
for _group, _words in {
    "all": "people persons person individuals others victims adults men man women woman females males bodies lives "
    "passengers family relatives pilgrims tourists migrants refugees worshippers worshipers shoppers "
    "pedestrians bystanders motorists drivers customers inmates prisoners detainees hostages "
    "protesters protestors demonstrators mourners guests partygoers attendees spectators fans more "
    "teachers doctors nurses medics paramedics patients employees workers staff farmers fishermen "
    "shepherds nationals foreigners citizens palestinians israelis syrians iraqis afghans ukrainians "
    "russians lebanese yemenis sudanese somalis nigerians americans",
    "civilians": "civilians civilian non-combatants noncombatants residents villagers inhabitants",
    "children": "children child kids kid minors boys girls babies infants toddlers teenagers teens schoolchildren "
    "juveniles youths youngsters",
    "students": "students pupils",
    "journalists": "journalists reporters",
    "aid workers": "aid-workers",
    "fighters": "fighters militants rebels insurgents jihadists combatants gunmen attackers assailants "
    "militiamen extremists terrorists guerrillas",
    "government forces": "soldiers troops servicemen personnel conscripts recruits",
    "police": "policemen policewomen officers cops deputies troopers agents guards",
    "suspects": "suspects",
}.items():
    for _word in _words.split():
        _PERSON_GROUPS[_word] = _group

_GROUP_MODIFIERS: dict[str, str] = {
    "civilian": "civilians",
    "child": "children",
    "police": "police",
    "security": "government forces",
    "government": "government forces",
    "regime": "government forces",
    "army": "government forces",
    "pro-government": "government forces",
    "rebel": "fighters",
    "opposition": "fighters",
    "militant": "fighters",
    "jihadist": "fighters",
    "student": "students",
    "university": "students",
}

_EVENT_MEASURES: dict[str, str] = {
    "airstrikes": "airstrikes",
    "airstrike": "airstrikes",
    "air strikes": "airstrikes",
    "air strike": "airstrikes",
    "air raids": "airstrikes",
    "air raid": "airstrikes",
    "airraids": "airstrikes",
    "drone strikes": "drone_strikes",
    "drone strike": "drone_strikes",
    "strikes": "strikes",
    "raids": "raids",
    "raid": "raids",
    "attacks": "attacks",
    "attack": "attacks",
    "car bombs": "car_bombs",
    "car bomb": "car_bombs",
    "bombs": "bombs",
    "bomb": "bombs",
    "explosions": "explosions",
    "explosion": "explosions",
    "blasts": "explosions",
    "blast": "explosions",
    "rockets": "rockets",
    "rocket": "rockets",
    "missiles": "missiles",
    "missile": "missiles",
    "drones": "drones",
    "drone": "drones",
    "shells": "shells",
    "mortar shells": "shells",
    "mortars": "shells",
    "shootings": "shootings",
    "shooting": "shootings",
    "clashes": "clashes",
    "protests": "protests",
    "demonstrations": "protests",
    "ambushes": "attacks",
    "bombings": "bombings",
    "bombing": "bombings",
    "suicide bombings": "bombings",
    "barrel bombs": "barrel_bombs",
    "massacres": "massacres",
    "executions": "executions",
    "arrests": "arrested",
    "incidents": "incidents",
}


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PLACE_NOUNS = _word_set(
    "towns town villages village cities city localities locality hamlets settlements areas positions "
    "bases base checkpoints hills districts neighbourhoods neighborhoods quarters suburbs regions "
    "provinces outposts"
)
_PROPERTY_NOUNS: dict[str, str] = {
    noun: ("homes" if noun in ("homes", "houses", "home", "house") else noun.rstrip("s") + "s")
    for noun in _word_set("homes houses buildings schools hospitals mosques churches shops vehicles cars home house")
}
_DAMAGE = re.compile(
    r"^\s*(?:(?:have|has|had|were|was|been|also|reportedly|completely|partially|totally)\s+)*(?P<how>destroyed|damaged)\b",
    re.IGNORECASE,
)
_NEIGHBOURHOOD_NOUNS = _word_set("neighbourhoods neighborhoods districts quarters suburbs")

_KILLED = (
    r"(?:shot\s+(?:and\s+)?killed|shot\s+dead|shot\s+to\s+death|stabbed\s+to\s+death|beaten\s+to\s+death"
    r"|burned\s+to\s+death|fatally\s+(?:shot|stabbed|wounded|injured|struck|hit|hurt)|gunned\s+down"
    r"|killed|dead|died|slain|murdered|executed|massacred|perished|pronounced\s+dead|lost\s+their\s+lives"
    r"|confirmed\s+dead|found\s+dead|beheaded|drowned|dying)"
)
_INJURED = (
    r"(?:shot\s+and\s+(?:wounded|injured)|injured|wounded|hurt|hospitali[sz]ed|treated\s+for\s+(?:\w+\s+)?"
    r"injuries|(?:taken|rushed|transported)\s+to\s+(?:the\s+|a\s+|an\s+|area\s+|local\s+)?"
    r"(?:(?-i:[A-Z])[\w.'’-]*\s+){0,4}?(?:hospitals?|medical\s+cent(?:er|re)s?)|suffered\s+(?:[\w-]+\s+){0,3}?"
    r"injuries|sustained\s+(?:[\w-]+\s+){0,3}?injuries)"
)
_DISPLACED = (
    r"(?:displaced|fled|forced\s+to\s+flee|forced\s+from\s+their\s+homes|evacuated|made\s+homeless"
    r"|uprooted|sheltering|left\s+homeless)"
)
_ARRESTED = r"(?:arrested|detained|taken\s+into\s+custody|rounded\s+up|jailed|apprehended)"
_OTHER = r"(?P<abducted>abducted|kidnapped|taken\s+hostage)|(?P<missing>missing|unaccounted\s+for)"
_PARTICIPLE = (
    rf"(?P<killed>{_KILLED})|(?P<injured>{_INJURED})|(?P<displaced>{_DISPLACED})"
    rf"|(?P<arrested>{_ARRESTED})|{_OTHER}|(?P<shot>shot|(?:hit|struck)\s+by\s+(?:gunfire|(?:stray\s+)?bullets))"
)

_AUX = (
    r"(?:(?:have|has|had|were|was|are|is|been|being|be|also|all|reportedly|allegedly|now|since|so\s+far|already"
    r"|confirmed|reported|believed|feared|said\s+to|thought\s+to|known\s+to|later|both|subsequently|each"
    r"|mostly|either|either\s+\w+|critically|seriously|severely|slightly|badly|been|found)\s+)*"
)
_RIGHT_PASSIVE = re.compile(
    r"^(?:\s*,\s*(?:including|among\s+them|among\s+whom|many\s+of\s+them|most\s+of\s+them|mostly)[^,;.]{0,80},"
    r"|\s*,\s*(?:one|two|three|\d+)\s+(?:of\s+them\s+)?fatally\s*,)?"
    rf"\s*(?:(?:who|that)\s+)?{_AUX}\b(?:{_PARTICIPLE})\b",
    re.IGNORECASE,
)
_RIGHT_NOUN = re.compile(
    r"^\s*(?:(?P<killed>deaths|fatalities|dead|killed|killings|casualties|martyrs|lives\s+lost|bodies)"
    r"|(?P<injured>injuries|injured|wounded|hurt)|(?P<displaced>displaced|refugees\s+fled)"
    r"|(?P<arrested>arrests|arrested|detained|detentions)|(?P<shot>shot))\b",
    re.IGNORECASE,
)
_LEFT_VERB = re.compile(
    r"(?:(?P<killed>\b(?:killing|killed|kills|kill|claimed\s+the\s+lives\s+of|claiming\s+the\s+lives\s+of"
    r"|took\s+the\s+lives\s+of|taking\s+the\s+lives\s+of|deaths\s+of|death\s+of|killings\s+of|bodies\s+of"
    r"|fatal\s+(?:shootings?|stabbings?)\s+of|shooting\s+deaths\s+of|murders\s+of"
    r"|massacred|executed|executing|shot\s+dead|shooting\s+dead|slaughtered))"
    r"|(?P<injured>\b(?:wounding|wounded|wounds|injuring|injured|injures|hurting|hurt|injuries\s+to))"
    r"|(?P<displaced>\b(?:displacing|displaced|displaces|uprooted|uprooting|forced\s+out|evacuated|evacuating))"
    r"|(?P<arrested>\b(?:arresting|arrested|arrests|detaining|detained|detains|apprehended|rounded\s+up))"
    r"|(?P<abducted>\b(?:abducting|abducted|kidnapping|kidnapped))"
    r"|(?P<captured>\b(?:captured|capturing|captures|capture|seized|seizing|seize|took|taken|taking|take"
    r"|overran|overrun|overrunning|retook|retaken|retaking|recaptured|regained|seized\s+control\s+of"
    r"|took\s+control\s+of|taken\s+control\s+of|taking\s+control\s+of|gained\s+control\s+of|entered|stormed))"
    r"|(?P<controlled>\b(?:control|controls|controlling|controlled|hold|holds|holding|held))"
    r"|(?P<shot>\b(?:shot|shooting|shoots|opened\s+fire\s+on))"
    r")\s+(?:(?:a\s+total\s+of|another|an\s+additional|additional|the|all|off|at\s+least|control\s+of|of)\s+)*$",
    re.IGNORECASE,
)
_TOLL = re.compile(
    r"(?:(?P<killed>death\s+toll|toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|casualties|fatalities|victims"
    r"|people\s+killed|those\s+killed|killed|martyrs)|fatalities|deaths|dead|casualties|killed)"
    r"|(?P<injured>number\s+of\s+(?:the\s+)?(?:injured|wounded|injuries|people\s+injured|those\s+injured)"
    r"|injured\s+toll|injuries|wounded|injured)"
    r"|(?P<displaced>number\s+of\s+(?:the\s+)?(?:displaced|people\s+displaced|refugees)))"
    r"\b[^.;:!?0-9]{0,70}?\b(?:rose|risen|rises|rising|climbed|climbs|increased|increases|jumped|reached|reaches"
    r"|stood|stands|stand|is|was|are|were|at|to|of|hit|hits|topped|tops|passed|surpassed|exceeded|now|totalled"
    r"|totaled|numbered|put|puts|putting)\b[\s\"'“”‘’]*(?:(?:at|to|of|now|about|already|above)\s+)*$",
    re.IGNORECASE,
)
_BREAKDOWN = re.compile(
    r"^[^.;]{0,60}?,?\s*(?:including|among\s+them|among\s+whom|of\s+whom|of\s+which|of\s+them|mostly)\b",
    re.IGNORECASE,
)
# A number after "ages", "aged" or "between the ages of" is an age, never a count ("2 boys, ages 14 and 15").
_AGE_AFTER = re.compile(
    r"^\s*,?\s*(?:between\s+the\s+ages\s+of|ages?|aged)\s+(?:between\s+|of\s+)?\d+(?:\s*(?:,|and|to|through|or|-|–)\s*\d+)*"
    r"(?:\s*,)?",
    re.IGNORECASE,
)
_AGE_BEFORE = re.compile(
    r"\b(?:ages?|aged)\s+(?:of\s+|between\s+)?(?:\d+\s*(?:,|and|to|through|or|-|–)\s*)*$", re.IGNORECASE
)
# One named or described victim before "and N others": "she and three others", "a 20-year-old man and two others".
_ONE_AND = re.compile(
    r"(?:\b(?i:he|she|him|her)|\b(?i:a|an|one|his|her|their)\s+(?:[\w'’-]+\s+){0,3}?(?P<noun>[\w-]+)"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+)\s+and\s+$"
)
_SENT_TO_HOSPITAL = re.compile(r"\b(?:sent|sending|sends|send)\s+$", re.IGNORECASE)
_TO_HOSPITAL = re.compile(
    r"^\s*(?:\w+\s+){0,2}?to\s+(?:the\s+|a\s+|an\s+|area\s+|local\s+)?(?:[\w.'’-]+\s+){0,4}?"
    r"(?:hospitals?|medical\s+cent(?:er|re)s?)\b",
    re.IGNORECASE,
)
_ONE_PERSON = _word_set(
    """man woman boy girl child teen teenager person victim baby toddler infant wife husband son daughter mother
    father brother sister girlfriend boyfriend friend partner fiancee fiance grandson granddaughter grandmother
    grandfather nephew niece cousin uncle aunt neighbor neighbour"""
)
_FATALLY = re.compile(r"^\s*(?:of\s+them\s+|of\s+whom\s+)?(?:fatally|died|were\s+killed|was\s+killed)\b", re.I)

_PERSON_SINGULAR = (
    r"(?:man|woman|boy|girl|child|teen|teenager|person|baby|infant|toddler|resident|civilian"
    r"|officer|soldier|student|driver|passenger|victim|pedestrian|motorist|mother|father|son"
    r"|daughter|husband|wife|employee|worker|clerk|guard|journalist|photographer|deputy|trooper"
    r"|inmate|suspect|gunman|shooter|juvenile|male|female|general|commander|fighter|youth"
    r"|bystander|customer|cousin|brother|sister|friend|neighbor|neighbour|\d{1,2}-year-old)"
)
_SINGLE_KILLED = re.compile(
    r"\b(?:was|has\s+been|had\s+been|is|got)\s+(?:(?:reportedly|allegedly|later|then|also|subsequently|eventually"
    r"|fatally|critically|found|discovered)\s+)*(?P<verb>shot\s+(?:and\s+)?killed|shot\s+dead|shot\s+to\s+death"
    r"|killed|pronounced\s+dead|declared\s+dead|dead|stabbed\s+to\s+death|beaten\s+to\s+death|fatally\s+(?:shot"
    r"|stabbed|wounded|injured|struck)|gunned\s+down|murdered|slain)\b"
    r"|(?P<verb2>\bfatally\s+(?:shot|shooting|stabbed|stabbing|wounded|wounding|struck))\b"
    rf"|(?:\b(?:he|she|the\s+victim|(?:a|an|the)\s+(?:[\w'-]+\s+){{0,3}}?{_PERSON_SINGULAR})\s+(?:later\s+|eventually"
    r"\s+|subsequently\s+|then\s+|has\s+|had\s+|also\s+)*(?P<verb3>died|succumbed)\b)"
    r"|\b(?:left|leaving|found|discovered|finding)\s+(?:a|an|one)\s+(?:[\w'-]+\s+){0,4}?(?P<verb4>dead)\b"
    r"|\b(?P<verb5>(?:killing|killed)\s+one\s+of\s+(?:them|the\s+\w+))"
    r"|\b(?P<verb6>(?:fatal|deadly)\s+(?:shooting|stabbing)|shooting\s+death)\b",
    re.IGNORECASE,
)
# Two victims named without a numeral: "both men were killed", "a man and his son were found dead".
_PAIR_KILLED = re.compile(
    r"\b(?:both\s+(?:of\s+the\s+)?(?:[\w'-]+\s+){0,2}?(?:men|women|victims|boys|girls|brothers|sisters|teens"
    rf"|teenagers|officers|deputies|soldiers|people)|(?:a|an|the)\s+(?:[\w'-]+\s+){{0,3}}?{_PERSON_SINGULAR}\s+and\s+"
    rf"(?:his|her|their|a|an|the)\s+(?:[\w'-]+\s+){{0,3}}?{_PERSON_SINGULAR})(?:\s+[\w'-]+){{0,5}}?\s+"
    r"(?:were|have\s+been|had\s+been)\s+(?:(?:both|found|fatally|later|reportedly)\s+)*(?P<verb>shot\s+(?:and\s+)?"
    r"killed|shot\s+dead|shot\s+to\s+death|killed|dead|pronounced\s+dead|murdered|slain|stabbed\s+to\s+death)\b",
    re.IGNORECASE,
)
_SINGLE_INJURED = re.compile(
    r"\b(?:was|has\s+been|had\s+been|is|got)\s+(?:(?:reportedly|allegedly|also|critically|seriously|severely"
    r"|slightly|badly|non-fatally|then|later|accidentally|apparently|listed)\s+)*(?P<verb>wounded|injured|hurt"
    r"|shot\s+and\s+wounded|shot\s+and\s+injured|shot(?!\s+(?:and\s+killed|dead|to\s+death|and\s+died))|grazed"
    r"|struck\s+by\s+(?:a\s+)?(?:stray\s+)?(?:bullet|gunfire|a\s+round)|in\s+(?:critical|stable|serious|fair|good|grave"
    r"|non-critical|guarded)\s+condition)\b"
    r"|\b(?P<verb2>suffered\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?(?:gunshot\s+wounds?|wounds?|injury|injuries))\b"
    r"|\b(?P<verb3>(?:non-life-threatening|non-life\s+threatening)\s+(?:injuries|wounds?)"
    r"|expected\s+to\s+(?:survive|recover)|(?:is|are)\s+(?:now\s+)?(?:fighting\s+for\s+(?:his|her)\s+life"
    r"|recovering))"
    r"|\b(?P<verb4>(?:wounding|injuring)\s+(?:the\s+other|another)|another\s+(?:[\w-]+\s+){0,2}?(?:was|were|is)"
    r"\s+(?:also\s+)?(?:shot|wounded|injured|hurt)|(?:a\s+)?second\s+(?:[\w-]+\s+){0,2}?(?:was|is)\s+(?:also\s+)?"
    r"(?:shot|wounded|injured|hurt))\b"
    r"|\b(?:left|leaving)\s+(?:a|an|one)\s+(?:[\w'-]+\s+){0,4}?(?P<verb5>wounded|injured)\b",
    re.IGNORECASE,
)
_VICTIM_HINT = re.compile(
    r"kill|dead|die|shot|shoot|fatal|wound|injur|hurt|condition|surviv|succumb|slain|murder"
    r"|gunned|stabb|beaten|graz|struck|suffer|death",
    re.IGNORECASE,
)
_DEATH_WORD = re.compile(r"\b(?:died|dead|killed|fatal|fatally|death|murder|homicide|slain)\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:no\s+one|nobody|none|anyone|anybody|no\s+\w+|not|never|n't|whether|if)\b[^.;]*$",
    re.IGNORECASE,
)
_SUBJECT_PLURAL = re.compile(r"\b(?:they|we|both|two|three|four|five|several|people|men|women)\s*$", re.I)

_CLAUSE_BREAK = re.compile(
    r";|\s+while\s+|\s+whereas\s+|\s+but\s+|,\s+and\s+(?=[a-z]+\s+(?:were|was|have|has))", re.IGNORECASE
)
_BACKGROUND = re.compile(
    r"\b(?:since\s+(?:the\s+(?:start|beginning|outbreak)\s+of\s+)?(?:the\s+)?(?:(?:civil\s+)?war|conflict"
    r"|uprising|revolution|(?:19|20)\d\d)|(?:whole|entire)\s+(?:civil\s+)?war|throughout\s+the\s+(?:war|conflict)"
    r"|over\s+the\s+(?:course\s+of\s+the\s+)?(?:past|last)\s+(?:\w+\s+)?(?:years|decades?)"
    r"|for\s+(?:more\s+than\s+|over\s+|nearly\s+|almost\s+)?(?:a|two|three|\d+)\s+(?:decades?|years)"
    r"|in\s+the\s+past\s+decade|(?:a|[\w-]+)\s+(?:years|decades)\s+ago|previous\s+siege"
    r"|earlier\s+siege|last\s+year|this\s+year|so\s+far\s+this|to\s+date|since\s+January|a\s+year\s+earlier"
    r"|civil\s+war\s+(?:has|had)\s+killed|war\s+that\s+has\s+killed|in\s+the\s+war"
    r"|in\s+(?:\w+\s+)?(?:other\s+|several\s+|unrelated\s+)?separate\s+(?:shootings|incidents|attacks|stabbings))\b",
    re.IGNORECASE,
)
_HISTORY = re.compile(
    r"\b(?:civil\s+war|(?:war|conflict|uprising)\s+(?:began|started|broke\s+out|erupted)|(?:began|started)\s+in"
    r"\s+(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_RECENT = re.compile(
    r"\b(?:has|have|'ve|is|are|says|say|reports|report|remains|stands|now|so\s+far|latest|continues|rises"
    r"|climbs|tells|according\s+to)\b",
    re.IGNORECASE,
)
_PAST_PERFECT_OR_PRESENT = re.compile(r"\b(?:has|have|is|are|now)\b", re.IGNORECASE)
_POPULATION = re.compile(
    r"(?:\b(?:home\s+to|population\s+of|populated\s+by|inhabited\s+by|houses)\s+(?:\w+\s+){0,2}$)", re.I
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


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
                or not (deaths_reported or _DEATH_WORD.search(text))
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
