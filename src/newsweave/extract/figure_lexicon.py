"""Word lists and patterns that ``figures`` reads: person groups, measure words, verbs and nouns of
measure, tolls, breakdowns, single victims, background scope. Split out of ``figures``; no logic of its own
beyond building them."""

from __future__ import annotations

import re

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
