"""English word lists the geocoder reads toponyms with: cues, stop words, US state abbreviations."""

from __future__ import annotations

# US states: AP style and postal abbreviations, as used after a comma ("Alexandria, La.").
US_STATE_ABBR: dict[str, str] = {
    "ala": "AL", "al": "AL", "alaska": "AK", "ak": "AK", "ariz": "AZ", "az": "AZ", "ark": "AR", "ar": "AR",
    "calif": "CA", "cal": "CA", "ca": "CA", "colo": "CO", "co": "CO", "conn": "CT", "ct": "CT", "del": "DE",
    "de": "DE", "dc": "DC", "fla": "FL", "fl": "FL", "ga": "GA", "hawaii": "HI", "hi": "HI", "idaho": "ID",
    "id": "ID", "ill": "IL", "il": "IL", "ind": "IN", "in": "IN", "iowa": "IA", "ia": "IA", "kan": "KS",
    "kans": "KS", "ks": "KS", "ky": "KY", "la": "LA", "maine": "ME", "me": "ME", "md": "MD", "mass": "MA",
    "ma": "MA", "mich": "MI", "mi": "MI", "minn": "MN", "mn": "MN", "miss": "MS", "ms": "MS", "mo": "MO",
    "mont": "MT", "mt": "MT", "neb": "NE", "nebr": "NE", "ne": "NE", "nev": "NV", "nv": "NV", "nh": "NH",
    "nj": "NJ", "nm": "NM", "ny": "NY", "nc": "NC", "nd": "ND", "ohio": "OH", "oh": "OH", "okla": "OK",
    "ok": "OK", "ore": "OR", "oreg": "OR", "or": "OR", "pa": "PA", "penn": "PA", "ri": "RI", "sc": "SC",
    "sd": "SD", "tenn": "TN", "tn": "TN", "tex": "TX", "tx": "TX", "utah": "UT", "ut": "UT", "vt": "VT",
    "va": "VA", "wash": "WA", "wa": "WA", "wva": "WV", "wv": "WV", "wis": "WI", "wisc": "WI", "wi": "WI",
    "wyo": "WY", "wy": "WY",
}

LOCATIVE = frozenset(
    [
        "in", "at", "near", "from", "outside", "inside", "to", "into", "across", "throughout", "around",
        "toward", "towards", "between", "via", "through", "within", "of", "off", "along", "beyond", "nearby",
        "over", "above", "below", "across", "visit", "visited", "visiting", "reach", "reached", "entered", "left",
    ]
)
ADMIN_CUES = frozenset(
    [
        "province", "governorate", "state", "region", "oblast", "prefecture", "district", "county",
        "parish", "department", "canton", "territory", "emirate", "krai", "municipality"
    ]
)
# Words that follow a place used as a modifier: "a Winona man", "Roselle police", "the Saratoga native".
FOLLOWER_NOUNS = frozenset(
    [
        "man", "woman", "men", "women", "boy", "girl", "teen", "teenager", "native", "natives", "resident",
        "residents", "police", "officers", "officials", "firefighters", "dispatchers", "deputies", "couple",
        "family", "families", "students", "voters", "homeowners", "businesses", "neighborhood", "neighborhoods",
        "homes", "home", "area", "areas", "suburb", "native's", "man's", "woman's", "motorist", "driver",
        "youth", "teens", "mayor", "councilman", "councilwoman", "commissioners", "lawmakers", "authorities",
    ]
)
# Last words of institutions named after their place: "Springfield Science Museum", "Kanawha Circuit Court".
INSTITUTION_TAILS = frozenset(
    [
        "court", "festival", "center", "centre", "museum", "authority", "office", "library", "district",
        "department", "hospital", "university", "college", "school", "council", "commission", "police",
        "board", "airport", "zoo", "jail", "prison", "bureau", "society", "church", "cathedral", "mosque",
        "stadium", "arena", "chamber", "agency", "clinic", "courthouse", "academy", "observatory", "schools",
    ]
)
# Names ending in a place-type word are toponyms by themselves ("Walker County", "Boulder City").
TYPED_TAILS = frozenset({"county", "parish", "township", "borough", "city", "governorate", "province", "oblast"})
# Common nouns that are also (minor) gazetteer names: never a toponym on their own.
GENERIC_WORDS = frozenset(
    [
        "city", "park", "street", "road", "ridge", "bridge", "glacier", "subway", "district", "county", "river",
        "lake", "valley", "hill", "hills", "mount", "beach", "island", "harbor", "harbour", "port", "bay",
        "creek", "falls", "springs", "station", "center", "centre", "square", "village", "town", "township",
        "parish", "borough", "state", "capitol", "downtown", "uptown", "midtown", "main", "union", "mission",
        "temple", "church", "market", "college", "university", "school", "airport", "court", "hall", "plaza",
        "mall", "avenue", "highway", "interstate", "route", "north", "south", "east", "west", "republic",
        "kingdom", "federation", "emirates", "island", "islands", "coast", "border", "capital", "metro",
        "area", "region", "province", "territory", "home", "office", "media", "news", "post", "mail", "star",
        "sun", "times", "herald", "tribune", "globe", "record", "independent", "guardian", "world", "national",
    ]
)
CITY_CUES = frozenset({"city", "town", "village", "municipality"})
AROUND_CUES = frozenset({"countryside", "outskirts", "suburbs", "environs", "surroundings", "area"})
INSTITUTIONS = frozenset(
    [
        "police", "county", "city", "sheriff", "sheriff's", "fire", "school", "schools", "high",
        "elementary", "middle", "university", "college", "hospital", "department", "council", "court",
        "courthouse", "airport", "park", "parks", "township", "public", "regional", "metropolitan",
        "herald", "times", "news", "post", "journal", "tribune", "gazette", "chamber", "board",
        "commission", "district", "library", "church", "museum", "zoo", "jail", "prison", "community",
        "memorial", "general", "medical", "center", "centre", "state", "national", "international",
        "municipal", "electric", "water", "transit", "housing", "utilities", "recreation", "area", "animal",
        "health"
    ]
)
SPEECH_VERBS = frozenset(
    [
        "said", "says", "say", "announced", "approved", "denied", "warned", "accused", "condemned",
        "insisted", "urged", "rejected", "wants", "claimed", "demanded", "threatened", "agreed", "refused",
        "responded", "believes", "backed", "supports", "opposed", "opposes", "tacitly", "has", "had",
        "have", "is", "was", "will", "would", "vowed", "pledged"
    ]
)
METONYM_PLACES: dict[str, str] = {
    "kremlin": "Moscow", "white house": "Washington", "pentagon": "Washington", "capitol hill": "Washington",
    "downing street": "London", "whitehall": "London", "elysee": "Paris", "elysee palace": "Paris",
    "zhongnanhai": "Beijing", "quai dorsay": "Paris", "foggy bottom": "Washington",
}
STOP_NAMES = frozenset(
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "god", "lord", "jesus", "christ", "christmas", "easter", "congress", "senate", "house",
        "parliament", "police", "court", "church", "university", "mr", "mrs", "ms", "dr", "sir", "madam",
        "president", "governor", "mayor", "officer", "chief", "general", "minister", "king", "queen",
        "prince", "reuters", "associated", "press", "ap", "afp", "bbc", "cnn", "monday", "internet", "web",
        "email", "today", "tomorrow", "yesterday", "north", "south", "east", "west", "northern", "southern",
        "eastern", "western", "central", "i", "we", "you", "he", "she", "they", "it", "this", "that",
        "these", "those", "there", "here", "an", "a", "and", "or", "but", "if", "when", "while", "after",
        "before", "during", "as", "says", "said"
    ]
)
RUN_STARTERS_NOT = frozenset(
    ["a", "an", "the", "in", "at", "on", "by", "for", "from", "to", "of", "and", "but", "as", "if", "when",
     "after", "before", "while", "with", "near", "outside", "inside", "into", "during", "since", "until"]
)
CONNECTORS = frozenset({"of", "de", "del", "la", "le", "du", "da", "upon", "and", "des", "di", "y", "sur"})
ARTICLE_PREFIXES = frozenset({"al", "el", "ad", "as", "ar", "ash", "an", "at", "az", "ed", "es", "ez"})
