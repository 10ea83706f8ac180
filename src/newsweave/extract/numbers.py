"""Numbers as news reports write them, and the quantities they express.

``parse_number`` reads one written number: digits with thousands separators ("1,200", the European
"350.000"), decimals with a scale ("1.5 million"), and number words ("fifty", "two hundred and ten",
"a dozen"). ``find_quantities`` scans free text for amounts with their qualifiers ("at least 20",
"more than a dozen", "around 50"), ranges ("between 20 and 30", "20-30"), and vague amounts
("dozens", "hundreds"), and leaves out numbers that are not amounts: years, ages, distances,
durations, clock times, percentages, money, ordinals, dates, addresses and labels such as "A9".

Pure regular expressions and rules: no model, no state, safe to call from any thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsweave.model import Qualifier

__all__ = ["Quantity", "find_quantities", "parse_number"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount in a text: ``start``/``end`` cover qualifier and number ("at least 20")."""

    start: int
    end: int
    value: float
    low: float | None
    high: float | None
    qualifier: Qualifier
    vague: str | None = None


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "mln": 1_000_000,
    "bln": 1_000_000_000,
    "bn": 1_000_000_000,
}

_U = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEEN = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|zero)"
_TENS = r"(?:twenty|thirty|fou?rty|fifty|sixty|seventy|eighty|ninety)"
_SMALL = rf"(?:{_TENS}(?:[\s-]+{_U})?|{_TEEN}|{_U})"
_HUNDREDS = rf"(?:(?:a|{_SMALL})\s+hundred(?:\s+(?:and\s+)?{_SMALL})?|{_SMALL})"
_WORDS = (
    rf"(?:half\s+a\s+(?:dozen|million|billion)|(?:a\s+)?half[\s-]dozen"
    rf"|(?:a|{_SMALL})\s+dozen"
    rf"|(?:a|{_HUNDREDS})\s+(?:thousand|million|billion)(?:\s+(?:and\s+)?{_HUNDREDS})?"
    rf"|{_HUNDREDS}|dozen)"
)
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?!\d)|\d{1,3}(?:\s\d{3})+(?!\d)(?![.,]\d)"
    r"|\d+(?:[.,]\d+)?)"
)
_SCALE = r"(?:\s*(?:million|billion|trillion|thousand|mln|bln|bn)\b|\s+hundred\b)"
_NUMBER = rf"(?:{_DIGITS}{_SCALE}?|\b{_WORDS}\b(?:\s+(?:million|billion)\b)?)"

# Every quantity contains a digit or one of these words: a cheap test before the full expression.
_HINT = re.compile(
    r"\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|ty\b|dozen|hundred"
    r"|thousand|million|billion|scores|several|handful|zero",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(rf"^{_NUMBER}$", re.IGNORECASE)
_WORD_TOKEN = re.compile(r"[a-z]+")

_VAGUE: dict[str, float] = {
    "tens of thousands": 20_000,
    "hundreds of thousands": 200_000,
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2_000,
    "millions": 2_000_000,
    "several": 3,
    "a handful": 3,
}
_VAGUE_RE = (
    r"(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|scores(?=\s+of\b)|hundreds|thousands"
    r"|millions|several|a\s+handful)"
)

_QUALIFIERS: list[tuple[str, Qualifier]] = [
    (r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of", "at_least"),
    (r"up\s+to|at\s+most|as\s+many\s+as|no\s+more\s+than|not\s+more\s+than|a\s+maximum\s+of", "at_most"),
    (
        r"(?:well|just|slightly|a\s+little)\s+(?:over|above)|more\s+than|over|upwards\s+of|in\s+excess\s+of"
        r"|above|greater\s+than",
        "more_than",
    ),
    (r"(?:just|slightly)\s+(?:under|below)|fewer\s+than|less\s+than|under|below", "less_than"),
    (
        r"around|about|some|nearly|roughly|approximately|almost|close\s+to|an\s+estimated|estimated|approx\."
        r"|circa|roughly|an?\s+approximate",
        "approx",
    ),
]
_QUALIFIER_RE = "|".join(f"(?P<q{i}>{pattern})" for i, (pattern, _) in enumerate(_QUALIFIERS))

_QUANTITY_RE = re.compile(
    rf"""(?<![\w$£€¥#/@&])(?<![\w][.,])(?<!\d\s)
    (?:(?P<qual>{_QUALIFIER_RE})\s+)?
    (?:
        between\s+(?P<blow>{_NUMBER})\s+and\s+(?P<bhigh>{_NUMBER})
      | (?<!from\s)(?P<rlow>{_NUMBER})\s*(?:-|–|—|\s+to\s+|\s+or\s+)\s*(?P<rhigh>{_NUMBER})(?![\w.,]?\d)
      | (?P<num>{_NUMBER})
      | (?P<vague>{_VAGUE_RE})
    )
    (?P<post>\s+or\s+(?:more|so)\b|\s*-?\s*plus\b|\+)?
    (?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)

# What follows a number that is not an amount of people or events.
_NOT_AFTER = re.compile(
    r"""^(?:
        \s*(?:%|percent\b|per\s*cent\b|percentage\b|pct\b|per\s+capita\b)
      | [:.]\d                                   # clock times 11:50, decimals handled by the number regex
      | \s*(?:a\.?m\b|p\.?m\b|o'clock|o’clock|hrs\b|GMT\b|UTC\b|[ECMP][SD]T\b|local\s+time\b)
      | [\s-]*(?:year|yr|month|week|day|hour|hr|minute|min|second|sec|decade|centur|night|weekend|term|season
                |time|fold|storey|story|stories|floor|page|round|lap|inning|quarter|gauge|caliber|calibre
                |game|match|point|goal|run|shot\s+(?:to|at)|seed|th\b|st\b|nd\b|rd\b)(?:s|ies)?\b
      | [\s-]*(?:km|kilomet|kms\b|mile|mi\b|meter|metre|m\b|feet\b|foot\b|ft\b|yard|yd|inch|in\.|cm\b|mm\b
                |kg\b|kilo|gram|pound|lb|ton|tonne|ounce|oz\b|acre|hectare|square|sq\b|mph\b|knot|degree|°
                |litre|liter|gallon|barrel|bpd\b|mw\b|kw\b|gw\b|volt|watt|calorie|byte|gb\b|mb\b)
      | \s*(?:dollar|dlr|euro|pound|sterling|cent|yen|yuan|rupee|dinar|shekel|lira|riyal|rial|ruble|rouble
                |franc|peso|won\b|usd\b|eur\b|gbp\b|bucks\b)
      | \s*(?:block\b|[-–]\s*\d)
      | \s*(?:st|nd|rd|th)\b
      | \s+(?:of\s+)?(?-i:"""
    + _MONTHS
    + r""")\b
      | \s*/\s*\d
      | (?-i:(?:\s+[NSEW]\.?|\s+(?:North|South|East|West))?(?:\s+[A-Z][\w'.]*){1,3}\s+
            (?:St|Street|Ave|Avenue|Road|Rd|Blvd|Boulevard|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway
               |Pkwy|Highway|Hwy|Circle|Terrace|Trail|Pike)\b)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_BEFORE_LABEL = re.compile(
    r"""(?:\b(?:route|highway|hwy|interstate|road|no|nos|number|num|flight|apt|apartment|suite|unit|room
        |building|block|district|ward|precinct|channel|news|fox|abc|cbs|nbc|cnn|station|act|article|resolution
        |section|chapter|page|phase|level|grade|category|class|gate|pier|terminal|platform|line|bus|team|camp
        |version|windows|model|vol|figure|table|covid|boeing|airbus|zone|sector|brigade|division|battalion
        |regiment|squadron|fleet|group|lane|exit|mile\s+marker|district|code|cell|box|pib|ext|highway|hwy
        |aged|age|ages|as\s+young\s+as|as\s+old\s+as|year|years|week|day|game|round|stage|episode|season|part
        |vote|score|scored|won|beat|defeated|trailing|pick|jersey|rank|ranked|top|bottom|edition
        |session|summit|g|p|f|su|mig|mk|type|calibre|caliber|at\s+least\s+age|the\s+age\s+of|ward)\.?
      | (?-i:\b(?:January|February|March|April|May|June|July|August|September|October|November|December
        |Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)
      | [$£€¥#]|\bUSD|\bEUR|\bGBP|\bRs\.?|C\$|A\$
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_YEAR_NOUN = re.compile(
    r"^\s+(?:\w+\s+){0,2}?(?:people|persons|civilians|soldiers|troops|fighters|residents|refugees|migrants"
    r"|children|families|homes|houses|prisoners|detainees|workers|students|protesters|casualties|deaths"
    r"|dead|killed|injured|wounded|men|women|members)\b",
    re.IGNORECASE,
)
_AGE_COMMA = re.compile(r"[A-Za-z)]\s*,\s*$")
_AGE_AFTER = re.compile(r"^\s*(?:,|\)|$)")
_ONE_BEFORE = re.compile(
    r"\b(?:the|no|every|any|each|this|that|which|only|someone|anyone|last|another|such|little|big|new|old"
    r"|right|wrong|first|same|a|at|as|in|is|was|one|number|which|none)\s*$",
    re.IGNORECASE,
)
_ONE_AFTER = re.compile(
    r"^(?:\s+(?:of|another|day|time|point|way|thing|side|hand|more|after|by|such|or\s+the\s+other|another"
    r"|who|that|which|is|has|says|said|might|would|could|should|can|will|must)\b|[’']s\b)",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | None:
    """The value of one written number ("1,200", "350.000", "1.5 million", "two hundred"), else None."""
    cleaned = " ".join(text.strip().lower().replace("\u2019", "'").split())
    if not cleaned or len(cleaned) > 120 or not _NUMBER_RE.match(cleaned):
        return None
    scale = 1.0
    scale_match = re.search(r"\s*(million|billion|trillion|thousand|mln|bln|bn|hundred)$", cleaned)
    if scale_match and re.match(r"^[\d.,\s]+$", cleaned[: scale_match.start()]):
        scale = float(_SCALES[scale_match.group(1)])
        cleaned = cleaned[: scale_match.start()]
    if cleaned[0].isdigit():
        digits = _parse_digits(cleaned)
        return None if digits is None else digits * scale
    return _parse_words(cleaned)


def _parse_digits(text: str) -> float | None:
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):  # European thousands: "350.000"
        return float(text.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(?:\s\d{3})+", text):  # thin-space thousands: "12 000"
        return float(text.replace(" ", ""))
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if re.fullmatch(r"\d+,\d{1,2}", text):  # European decimal comma: "1,5"
        return float(text.replace(",", "."))
    if re.fullmatch(r"\d+,\d+", text):
        return float(text.replace(",", ""))
    return None


def _parse_words(text: str) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    half = False
    for token in _WORD_TOKEN.findall(text):
        if token == "and":
            continue
        if token == "half":
            half = True
            continue
        if token == "a":
            current += 1
            seen = True
        elif token in _UNITS:
            current += _UNITS[token]
            seen = True
        elif token == "dozen":
            current = (current or 1) * 12
            seen = True
        elif token == "hundred":
            current = (current or 1) * 100
            seen = True
        elif token in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * _SCALES[token]
            current = 0
            seen = True
        else:
            return None
    if not seen:
        return None
    value = total + current
    return value / 2 if half else value


def find_quantities(text: str) -> list[Quantity]:
    """Every amount in ``text`` with its qualifier, range or vague word, in reading order.

    Ranges keep ``low``/``high`` and take the low bound as ``value`` with qualifier ``at_least``.
    Vague amounts ("dozens") take a conventional low bound as ``value`` and keep the word in ``vague``.
    Years, ages, distances, durations, times, percentages, money, ordinals, dates and labels
    ("A9", "Route 66", "Channel 4") are left out.
    """
    if not _HINT.search(text):
        return []
    found: list[Quantity] = []
    for match in _QUANTITY_RE.finditer(text):
        quantity = _quantity_from(match, text)
        if quantity is not None:
            found.append(quantity)
    return found


def _qualifier_of(match: re.Match[str]) -> Qualifier | None:
    if match.group("qual") is None:
        return None
    for i, (_, qualifier) in enumerate(_QUALIFIERS):
        if match.group(f"q{i}") is not None:
            return qualifier
    return None


def _quantity_from(match: re.Match[str], text: str) -> Quantity | None:
    qualifier = _qualifier_of(match)
    post = (match.group("post") or "").strip().lower()
    start, end = match.start(), match.end()
    number_start = match.start("blow") if match.group("blow") else None
    if match.group("vague"):
        word = " ".join(match.group("vague").lower().split())
        number_start, number_end = match.start("vague"), match.end("vague")
        if _excluded(text, number_start, number_end, None):
            return None
        value = _VAGUE[word]
        return Quantity(start, end, value, value, None, qualifier or "at_least", word)
    if match.group("blow") or match.group("rlow"):
        low_text = match.group("blow") or match.group("rlow")
        high_text = match.group("bhigh") or match.group("rhigh")
        low, high = parse_number(low_text), parse_number(high_text)
        number_start = match.start("blow") if match.group("blow") else match.start("rlow")
        number_end = match.end("bhigh") if match.group("bhigh") else match.end("rhigh")
        whole = parse_number(text[number_start:number_end])
        if whole is not None and not match.group("blow"):  # "twenty-five" is one number, not a range
            if _excluded(text, number_start, number_end, whole):
                return None
            return _single(start, number_end, whole, qualifier)
        if low is None or high is None or not 0 < low < high or high > 50 * low:
            return _split_range(match, text)
        if any(re.fullmatch(r"1[89]\d\d|20\d\d", part.strip()) for part in (low_text, high_text)):
            return None
        if re.fullmatch(r"\d{3}[-–]\d{4}", text[number_start:number_end]):  # a telephone number
            return None
        if not match.group("blow") and re.search(r"\bfrom\s+$", text[max(0, start - 6) : start], re.I):
            return _split_range(match, text)
        if _excluded(text, number_start, number_end, high):
            return None
        return Quantity(start, end, low, low, high, qualifier or "at_least", None)
    number_start, number_end = match.start("num"), match.end("num")
    parsed = parse_number(match.group("num"))
    if parsed is None or _excluded(text, number_start, number_end, parsed):
        return None
    value = parsed
    if post in ("or more",) or post.endswith("plus") or post == "+":
        qualifier = qualifier or ("at_least" if post == "or more" else "more_than")
    elif post == "or so":
        qualifier = qualifier or "approx"
    else:
        end = number_end
    return _single(start, end, value, qualifier)


def _single(start: int, end: int, value: float, qualifier: Qualifier | None) -> Quantity:
    if qualifier is not None:
        low = value if qualifier in ("at_least", "more_than") else None
        high = value if qualifier in ("at_most", "less_than") else None
        return Quantity(start, end, value, low, high, qualifier, None)
    return Quantity(start, end, value, value, value, "exact", None)


def _split_range(match: re.Match[str], text: str) -> Quantity | None:
    """A "range" that is not one ("rose from 20 to 30", "5-4"): keep only its first number."""
    if match.group("blow"):
        return None
    first = match.group("rlow")
    value = parse_number(first)
    number_start, number_end = match.start("rlow"), match.end("rlow")
    following = text[number_end : number_end + 3]
    if value is None or re.match(r"\s*[-–—]", following) or _excluded(text, number_start, number_end, value):
        return None
    qualifier = _qualifier_of(match) or "exact"
    start = match.start()
    low = value if qualifier in ("exact", "at_least", "more_than") else None
    high = value if qualifier in ("exact", "at_most", "less_than") else None
    return Quantity(start, number_end, value, low, high, qualifier, None)


def _excluded(text: str, start: int, end: int, value: float | None) -> bool:
    """True when the number at ``text[start:end]`` is not an amount (year, age, unit, label...)."""
    after = text[end : end + 80]
    before = text[max(0, start - 40) : start]
    if _NOT_AFTER.match(after):
        return True
    if _BEFORE_LABEL.search(before):
        return True
    written = text[start:end]
    if value is not None and re.fullmatch(r"1[89]\d\d|20\d\d", written) and not _YEAR_NOUN.match(after):
        return True
    if re.match(r"[’']s\b", after) and written[0].isdigit():  # "the 1990's", "Mike's 2"
        return True
    if (
        value is not None
        and value <= 120
        and written.isdigit()
        and _AGE_COMMA.search(before)
        and _AGE_AFTER.match(after)
    ):
        return True
    if re.search(r"\(\s*$", before) and re.match(r"\s*\)", after) and written.isdigit():  # "Smith (30)"
        return True
    if written.lower() == "one" and (_ONE_BEFORE.search(before) or _ONE_AFTER.match(after)):
        return True
    # A digit glued to a letter or a decimal point on either side: "A9", "9mm", "3.2.1".
    return bool(re.search(r"[A-Za-z]-?$", before) and written[0].isdigit())
