"""Date expressions resolved against the publication date (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.extract.dates import DateRef, find_dates, parse_published, sentence_date

FRIDAY = "2024-11-29"  # a Friday


def _first(text: str, published: str | None = FRIDAY, previous: str | None = None) -> DateRef:
    ref = sentence_date(text, published, previous)
    assert ref is not None, text
    return ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Friday, the toll rose.", "2024-11-29"),  # a Friday report's "Friday" is that day
        ("On Thursday, shelling hit the market.", "2024-11-28"),
        ("Fighting broke out on Wednesday.", "2024-11-27"),
        ("The convoy left on Saturday.", "2024-11-23"),  # the most recent Saturday before publication
        ("Police said on Sunday night that two were held.", "2024-11-24"),
        ("Friday's blast wounded five.", "2024-11-29"),
        ("Last Friday a bomb went off.", "2024-11-22"),
        ("Talks will resume on Monday.", "2024-12-02"),
    ],
)
def test_find_dates_resolves_weekdays_like_news(text: str, expected: str) -> None:
    ref = _first(text)
    assert (ref.date, ref.granularity) == (expected, "day")


@pytest.mark.parametrize(
    ("text", "expected", "granularity"),
    [
        ("Yesterday the army withdrew.", "2024-11-28", "day"),
        ("The mayor spoke today.", "2024-11-29", "day"),
        ("Two days ago the road was cut.", "2024-11-27", "day"),
        ("The offensive began earlier in the week.", "2024-11-25", "week"),
        ("The offensive began earlier this week.", "2024-11-25", "week"),
        ("Last week the town fell.", "2024-11-18", "week"),
        ("Last month the town fell.", "2024-10-01", "month"),
        ("Last year the town fell.", "2023-01-01", "year"),
    ],
)
def test_find_dates_resolves_relative_expressions(text: str, expected: str, granularity: str) -> None:
    ref = _first(text)
    assert (ref.date, ref.granularity) == (expected, granularity)


@pytest.mark.parametrize(
    ("text", "expected", "granularity", "fallback"),
    [
        ("The clashes began on November 27.", "2024-11-27", "day", True),
        ("The clashes began on Nov. 27.", "2024-11-27", "day", True),
        ("The clashes began on 27 November 2024.", "2024-11-27", "day", False),
        ("The clashes began on November 27, 2023.", "2023-11-27", "day", False),
        ("The report is dated 2024-11-27.", "2024-11-27", "day", False),
        ("An embassy was hit in April.", "2024-04-01", "month", True),
        ("A truce was agreed in December.", "2023-12-01", "month", True),  # the December before publication
        ("Government forces retook the city in 2016.", "2016-01-01", "year", False),
        ("The war has raged since 2011.", "2011-01-01", "year", False),
    ],
)
def test_find_dates_resolves_absolute_dates(text: str, expected: str, granularity: str, fallback: bool) -> None:
    ref = _first(text)
    assert (ref.date, ref.granularity, ref.fallback) == (expected, granularity, fallback)


def test_find_dates_chains_a_day_earlier_to_the_previous_date() -> None:
    text = "Airstrikes killed 19 civilians on Thursday, while one civilian was killed a day earlier."
    refs = find_dates(text, FRIDAY)
    assert [(r.text, r.date) for r in refs] == [("Thursday", "2024-11-28"), ("a day earlier", "2024-11-27")]


def test_sentence_date_chains_to_the_previous_keyword() -> None:
    ref = _first("A second blast came the next day.", previous="2024-11-20")
    assert ref.date == "2024-11-21"


def test_find_dates_leaves_relative_dates_unresolved_without_publication_date() -> None:
    text = "On Thursday the toll rose; yesterday it fell; earlier this week it began; on 3 March 2021 it ended."
    refs = find_dates(text, None)
    assert [(r.text, r.date) for r in refs] == [("3 March 2021", "2021-03-03")]


def test_find_dates_offsets_point_into_the_text() -> None:
    text = "Shelling resumed on Tuesday and again on November 26."
    for ref in find_dates(text, FRIDAY):
        assert text[ref.start : ref.end] == ref.text


@pytest.mark.parametrize("text", ["You may leave.", "They march on.", "No date here at all.", "Fridays are quiet."])
def test_sentence_date_ignores_words_that_only_look_like_dates(text: str) -> None:
    assert sentence_date(text, FRIDAY) is None


def test_parse_published_accepts_dates_and_datetimes() -> None:
    assert str(parse_published("2024-11-29T08:15:00Z")) == "2024-11-29"
    assert parse_published("29/11/2024") is None
    assert parse_published(None) is None


@given(st.text(max_size=200), st.sampled_from([None, FRIDAY, "2000-02-29", "not a date"]))
def test_find_dates_never_crashes(text: str, published: str | None) -> None:
    for ref in find_dates(text, published):
        assert text[ref.start : ref.end] == ref.text
        assert parse_published(ref.date) is not None


@given(st.dates(), st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]))
def test_find_dates_weekday_is_within_the_week_before_publication(day: object, weekday: str) -> None:
    published = str(day)
    ref = _first(f"It happened on {weekday}.", published)
    resolved = parse_published(ref.date)
    base = parse_published(published)
    assert resolved is not None and base is not None
    assert 0 <= (base - resolved).days <= 6
    assert resolved.strftime("%A") == weekday
