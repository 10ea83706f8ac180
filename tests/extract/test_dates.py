"""Date expressions resolved against the publication date (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.extract.dates import DateRef, find_dates, parse_published, sentence_date

FRIDAY = "2025-03-14"  # a Friday


def _first(text: str, published: str | None = FRIDAY, previous: str | None = None) -> DateRef:
    ref = sentence_date(text, published, previous)
    assert ref is not None, text
    return ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Friday, the toll rose.", "2025-03-14"),  # a Friday report's "Friday" is that day
        ("On Thursday, shelling hit the market.", "2025-03-13"),
        ("Fighting broke out on Wednesday.", "2025-03-12"),
        ("The convoy left on Saturday.", "2025-03-08"),  # the most recent Saturday before publication
        ("Police said on Sunday night that two were held.", "2025-03-09"),
        ("Friday's blast wounded five.", "2025-03-14"),
        ("Last Friday a bomb went off.", "2025-03-07"),
        ("Talks will resume on Monday.", "2025-03-17"),
    ],
)
def test_find_dates_resolves_weekdays_like_news(text: str, expected: str) -> None:
    ref = _first(text)
    assert (ref.date, ref.granularity) == (expected, "day")


@pytest.mark.parametrize(
    ("text", "expected", "granularity"),
    [
        ("Yesterday the army withdrew.", "2025-03-13", "day"),
        ("The mayor spoke today.", "2025-03-14", "day"),
        ("Two days ago the road was cut.", "2025-03-12", "day"),
        ("The strike started earlier in the week.", "2025-03-10", "week"),
        ("The strike started earlier this week.", "2025-03-10", "week"),
        ("Last week the town fell.", "2025-03-03", "week"),
        ("Last month the town fell.", "2025-02-01", "month"),
        ("Last year the town fell.", "2024-01-01", "year"),
    ],
)
def test_find_dates_resolves_relative_expressions(text: str, expected: str, granularity: str) -> None:
    ref = _first(text)
    assert (ref.date, ref.granularity) == (expected, granularity)


@pytest.mark.parametrize(
    ("text", "expected", "granularity", "fallback"),
    [
        ("The clashes began on March 12.", "2025-03-12", "day", True),
        ("The clashes began on Mar. 12.", "2025-03-12", "day", True),
        ("The clashes began on 12 March 2025.", "2025-03-12", "day", False),
        ("The clashes began on March 12, 2023.", "2023-03-12", "day", False),
        ("The report is dated 2025-03-12.", "2025-03-12", "day", False),
        ("A dam burst in April.", "2024-04-01", "month", True),
        ("A truce was agreed in December.", "2024-12-01", "month", True),  # the December before publication
        ("Government forces retook the valley in 2013.", "2013-01-01", "year", False),
        ("The war has raged since 2008.", "2008-01-01", "year", False),
    ],
)
def test_find_dates_resolves_absolute_dates(text: str, expected: str, granularity: str, fallback: bool) -> None:
    ref = _first(text)
    assert (ref.date, ref.granularity, ref.fallback) == (expected, granularity, fallback)


def test_find_dates_chains_a_day_earlier_to_the_previous_date() -> None:
    text = "Drone strikes killed 11 villagers on Thursday, while one resident died a day earlier."
    refs = find_dates(text, FRIDAY)
    assert [(r.text, r.date) for r in refs] == [("Thursday", "2025-03-13"), ("a day earlier", "2025-03-12")]


def test_sentence_date_chains_to_the_previous_keyword() -> None:
    ref = _first("A second blast came the next day.", previous="2025-03-05")
    assert ref.date == "2025-03-06"


def test_find_dates_leaves_relative_dates_unresolved_without_publication_date() -> None:
    text = "On Thursday the toll rose; yesterday it fell; earlier this week it began; on 3 March 2021 it ended."
    refs = find_dates(text, None)
    assert [(r.text, r.date) for r in refs] == [("3 March 2021", "2021-03-03")]


def test_find_dates_offsets_point_into_the_text() -> None:
    text = "Shelling resumed on Tuesday and again on March 11."
    for ref in find_dates(text, FRIDAY):
        assert text[ref.start : ref.end] == ref.text


@pytest.mark.parametrize("text", ["You may leave.", "They march on.", "No date here at all.", "Fridays are quiet."])
def test_sentence_date_ignores_words_that_only_look_like_dates(text: str) -> None:
    assert sentence_date(text, FRIDAY) is None


def test_parse_published_accepts_dates_and_datetimes() -> None:
    assert str(parse_published("2025-03-14T08:15:00Z")) == "2025-03-14"
    assert parse_published("14/03/2025") is None
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
