"""Numbers and quantities as news reports write them (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.extract.numbers import Quantity, find_quantities, parse_number

_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spell(n: int) -> str:
    """English words for 1..999999 (the invented writer's style varies: hyphens, "and")."""
    if n >= 1000:
        head, rest = divmod(n, 1000)
        return f"{_spell(head)} thousand" + (f" {_spell(rest)}" if rest else "")
    if n >= 100:
        head, rest = divmod(n, 100)
        return f"{_UNITS[head]} hundred" + (f" and {_spell(rest)}" if rest else "")
    if n >= 20:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + (f"-{_UNITS[unit]}" if unit else "")
    return _TEENS[n - 10] if n >= 10 else _UNITS[n]


def _only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("350.000", 350_000),
        ("1,200", 1_200),
        ("12,500,000", 12_500_000),
        ("1.5 million", 1_500_000),
        ("4 million", 4_000_000),
        ("fifty", 50),
        ("two hundred", 200),
        ("a dozen", 12),
        ("two dozen", 24),
        ("twenty-five", 25),
        ("one hundred and twenty", 120),
        ("half a million", 500_000),
        ("four million", 4_000_000),
        ("a thousand", 1_000),
        ("3.5", 3.5),
        ("Fifty", 50),
        ("0", 0),
    ],
)
def test_parse_number_reads_written_numbers(written: str, value: float) -> None:
    assert parse_number(written) == value


@pytest.mark.parametrize("written", ["", "people", "fifty people", "A9", "1,2,3", "twenty twenty twenty x"])
def test_parse_number_rejects_what_is_not_one_number(written: str) -> None:
    assert parse_number(written) is None


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("at least 12 people died", 12, "at_least"),
        ("no fewer than 12 people died", 12, "at_least"),
        ("more than 40 people died", 40, "more_than"),
        ("over 40 people died", 40, "more_than"),
        ("around 40 people died", 40, "approx"),
        ("about 40 people died", 40, "approx"),
        ("some 40 people died", 40, "approx"),
        ("nearly 40 people died", 40, "approx"),
        ("roughly 40 people died", 40, "approx"),
        ("approximately 40 people died", 40, "approx"),
        ("up to 40 people died", 40, "at_most"),
        ("at most 40 people died", 40, "at_most"),
        ("fewer than 40 people died", 40, "less_than"),
        ("less than 40 people died", 40, "less_than"),
        ("under 40 people died", 40, "less_than"),
        ("40 people died", 40, "exact"),
        ("more than a dozen people died", 12, "more_than"),
        ("300 or more people died", 300, "at_least"),
        ("300-plus people died", 300, "more_than"),
    ],
)
def test_find_quantities_reads_qualifiers(text: str, value: float, qualifier: str) -> None:
    quantity = _only(text)
    assert (quantity.value, quantity.qualifier) == (value, qualifier)
    assert text[quantity.start : quantity.end].split()[-1] not in ("people", "died")


def test_find_quantities_keeps_qualifier_in_span() -> None:
    text = "Medics said at least 17 people were hurt."
    quantity = _only(text)
    assert text[quantity.start : quantity.end] == "at least 17"
    assert quantity.low == 17 and quantity.high is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("between 20 and 30 people", 20, 30),
        ("20-30 people", 20, 30),
        ("20 to 30 people", 20, 30),
        ("two or three people", 2, 3),
        ("between five and ten homes", 5, 10),
    ],
)
def test_find_quantities_reads_ranges(text: str, low: float, high: float) -> None:
    quantity = _only(text)
    assert (quantity.low, quantity.high, quantity.value) == (low, high, low)


def test_find_quantities_does_not_read_a_change_as_a_range() -> None:
    values = [q.value for q in find_quantities("the toll rose from 20 to 35 overnight")]
    assert values == [20, 35]


@pytest.mark.parametrize(
    ("text", "word", "value"),
    [
        ("dozens of people", "dozens", 24),
        ("hundreds of families", "hundreds", 200),
        ("Hundreds killed", "hundreds", 200),
        ("tens of thousands fled", "tens of thousands", 20_000),
        ("scores of people", "scores", 40),
        ("thousands of homes", "thousands", 2_000),
        ("millions were displaced", "millions", 2_000_000),
    ],
)
def test_find_quantities_keeps_vague_words(text: str, word: str, value: float) -> None:
    quantity = _only(text)
    assert (quantity.vague, quantity.value, quantity.low, quantity.qualifier) == (word, value, value, "at_least")


@pytest.mark.parametrize(
    "text",
    [
        "The siege ended in 2014 after months of bombing.",
        "A 15-year-old boy was among them.",
        "Tom Baker, 34, was arrested.",
        "The victim (19) was taken away.",
        "The town lies 10 kilometers south of the border.",
        "The village is 12 miles away.",
        "The six-week war ended last week.",
        "He was held for three days.",
        "The talks lasted 48 hours.",
        "The shooting happened at 11:50 a.m.",
        "It happened at 7 p.m. near the mall.",
        "Turnout rose 12% this year.",
        "Turnout was 45 percent.",
        "The ministry pledged $5 million in aid.",
        "Damage was put at 300 dollars.",
        "It was the 3rd attack this month.",
        "Fighters cut the A9 motorway.",
        "Traffic on Route 66 stopped.",
        "Police closed Interstate 95.",
        "He lives in the 1200 block of Elm Street.",
        "He was shot at 6740 N. Clark St. late at night.",
        "It happened on March 12 in the city.",
        "It happened on 12 March in the city.",
        "The crowd gathered on Jan. 14 downtown.",
        "He was shot five times.",
        "She was one of the organisers.",
        "No one was hurt.",
        "as young as nine were among the victims",
        "He carried an AK-47 rifle.",
        "The 1990s were violent.",
        "The team won 5-4.",
        "Call 555-1234 for help.",
    ],
)
def test_find_quantities_ignores_numbers_that_are_not_amounts(text: str) -> None:
    assert find_quantities(text) == []


def test_find_quantities_reads_a_year_sized_count_of_people() -> None:
    assert [q.value for q in find_quantities("About 2000 people fled.")] == [2000]


def test_find_quantities_reads_european_thousands_and_breakdowns() -> None:
    text = "More than 350.000 people died; 146, including 88 fighters and 41 soldiers."
    assert [q.value for q in find_quantities(text)] == [350_000, 146, 88, 41]


@given(st.integers(min_value=1, max_value=999_999))
def test_parse_number_round_trips_digits_with_separators(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    if n >= 1000:
        assert parse_number(f"{n:,}".replace(",", ".")) == n


@given(st.integers(min_value=1, max_value=999_999))
def test_parse_number_round_trips_words(n: int) -> None:
    assert parse_number(_spell(n)) == n


@given(
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from(
        [
            ("at least", "at_least"),
            ("more than", "more_than"),
            ("around", "approx"),
            ("up to", "at_most"),
            ("fewer than", "less_than"),
            ("", "exact"),
        ]
    ),
)
def test_find_quantities_round_trips_qualified_counts(n: int, qualifier: tuple[str, str]) -> None:
    words, expected = qualifier
    for written in (f"{n:,}", _spell(n)):
        text = f"Officials said {words} {written} people were hurt.".replace("  ", " ")
        quantity = _only(text)
        assert (quantity.value, quantity.qualifier) == (n, expected)


@given(st.text(max_size=300))
def test_find_quantities_never_crashes_and_spans_are_inside_the_text(text: str) -> None:
    for quantity in find_quantities(text):
        assert 0 <= quantity.start < quantity.end <= len(text)
        assert quantity.value >= 0


@given(st.text(alphabet=st.sampled_from(list("0123456789,.- aoetnhirlsdfmuy%$")), max_size=80))
def test_parse_number_never_crashes_on_number_like_text(text: str) -> None:
    value = parse_number(text)
    assert value is None or value >= 0
