"""Figures in invented reports: measure, group, qualifier, breakdowns, dates, background, and non-figures."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.extract.figures import find_figures
from newsweave.model import Article, Figure
from newsweave.text import article_from_text

FRIDAY = "2025-03-14"  # a Friday


def _article(raw: str, published: str | None = FRIDAY) -> Article:
    return article_from_text(raw, published=published)


def _figures(raw: str, published: str | None = FRIDAY) -> list[Figure]:
    return find_figures(_article(raw, published))


def _tuples(raw: str) -> list[tuple[str, str, float, str]]:
    return [(f.measure, f.group, f.value, f.qualifier) for f in _figures(raw)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("At least 31 civilians have been killed in the valley, medics said.", ("killed", "civilians", 31, "at_least")),
        ("More than 140 passengers were confirmed dead by evening.", ("killed", "all", 140, "more_than")),
        ("Shelling killed 16 civilians in the hill villages.", ("killed", "civilians", 16, "exact")),
        ("The raid left 3 dead near the market.", ("killed", "all", 3, "exact")),
        ("The landslide has led to the deaths of at least 55 people.", ("killed", "all", 55, "at_least")),
        ("The death toll has risen to over 160.", ("killed", "all", 160, "more_than")),
        ("The number of casualties in the riots rose to 82, a monitor said.", ("killed", "all", 82, "exact")),
        ("Around forty fighters died in the ambush.", ("killed", "fighters", 40, "approx")),
        ("Two police officers were fatally shot on the bridge.", ("killed", "police", 2, "exact")),
        ("Twelve soldiers were wounded in the blast.", ("injured", "government forces", 12, "exact")),
        ("The bomb injured 14 people at the bus stop.", ("injured", "all", 14, "exact")),
        ("Dozens of children were hurt when the school was hit.", ("injured", "children", 24, "at_least")),
        (
            "Some 3,000 residents have been displaced by the floods of fighting.",
            ("displaced", "civilians", 3000, "approx"),
        ),
        ("Police arrested 11 protesters outside the ministry.", ("arrested", "all", 11, "exact")),
        ("Fifty villages captured", ("places_captured", "all", 50, "exact")),
        ("The militia has captured over 30 hamlets and villages.", ("places_captured", "all", 30, "more_than")),
        ("They control seven neighbourhoods, a colonel said.", ("neighbourhoods_controlled", "all", 7, "exact")),
        ("Jets carried out 14 airstrikes on the port.", ("airstrikes", "all", 14, "exact")),
        ("The attackers set off three car bombs at the checkpoint.", ("car_bombs", "all", 3, "exact")),
    ],
)
def test_find_figures_reads_one_figure(raw: str, expected: tuple[str, str, float, str]) -> None:
    assert _tuples(raw) == [expected]


def test_find_figures_normalises_death_words_to_killed() -> None:
    raw = (
        "Five people died in the fire. The blast left 8 dead. There were 12 deaths. "
        "Four men were shot dead. Two women were pronounced dead."
    )
    assert [(f.measure, f.value) for f in _figures(raw)] == [
        ("killed", 5),
        ("killed", 8),
        ("killed", 12),
        ("killed", 4),
        ("killed", 2),
    ]


def test_find_figures_splits_a_breakdown_into_total_and_parts() -> None:
    raw = (
        'The toll of the clashes "rose to 120, including 70 fighters from the Northern Front, 20 from allied '
        'militias and 30 members of government forces," the monitor said.'
    )
    figures = _figures(raw)
    assert [(f.value, f.group, f.part_of) for f in figures] == [
        (120, "all", None),
        (70, "fighters", 0),
        (20, "fighters", 0),
        (30, "government forces", 0),
    ]
    assert all(f.measure == "killed" for f in figures)


def test_find_figures_reads_parts_inside_an_apposition() -> None:
    figures = _figures("State media said six civilians, including three schoolchildren, were killed by shelling.")
    assert [(f.measure, f.group, f.value, f.part_of) for f in figures] == [
        ("killed", "civilians", 6, None),
        ("killed", "children", 3, 0),
    ]


def test_find_figures_keeps_the_casualty_word_of_a_part() -> None:
    figures = _figures("On Friday the toll reached over 90, including about 15 civilian casualties.")
    assert [(f.value, f.qualifier, f.group, f.part_of) for f in figures] == [
        (90, "more_than", "all", None),
        (15, "approx", "civilians", 0),
    ]


def test_find_figures_reads_killed_and_injured_in_one_sentence() -> None:
    figures = _figures("The gunman opened fire at the party, killing two people and wounding five others.")
    assert [(f.measure, f.value) for f in figures] == [("killed", 2), ("injured", 5)]


def test_find_figures_derives_injured_from_shot_and_fatally() -> None:
    figures = _figures("Four teenagers were shot, one fatally, outside the diner late Saturday.")
    by_measure = {f.measure: f.value for f in figures}
    assert by_measure["killed"] == 1 and by_measure["injured"] == 3


@pytest.mark.parametrize(
    "raw",
    [
        "A man was shot and killed outside a bar on Elm Street early Sunday.",
        "The victim was taken to hospital, where he was pronounced dead.",
        "A 17-year-old boy was fatally shot in the parking lot.",
        "Deputies found a woman dead inside the home.",
    ],
)
def test_find_figures_counts_a_single_victim_without_numeral(raw: str) -> None:
    assert [(f.measure, f.value) for f in _figures(raw)] == [("killed", 1)]


def test_find_figures_counts_a_single_wounded_victim() -> None:
    figures = _figures("A 30-year-old man was shot in the leg on Main Street. He is expected to survive.")
    assert [(f.measure, f.value) for f in figures][:1] == [("injured", 1)]


def test_find_figures_does_not_count_a_victim_who_died_as_injured() -> None:
    raw = "A man was shot on Friday night. He died later at the hospital, police said."
    assert [(f.measure, f.value) for f in _figures(raw)] == [("killed", 1)]


@pytest.mark.parametrize(
    "raw",
    [
        "No one was hurt in the blast.",
        "The 15-year-old boy and his 40-year-old father were questioned.",
        "The convoy stopped 10 kilometers south of the city.",
        "Fighters cut the A9 motorway and took the B12 junction.",
        "The country has been at war for more than a decade.",
        "During the three-week war, strikes intensified.",
        "Port Velka was the third largest city in 2009.",
        "He was one of the commanders of the brigade.",
        "Inflation rose 12 percent and the ministry spent $40 million.",
        "The siege lasted 96 hours.",
        "The gunman fired five times at 11:30 p.m.",
        "It was the group's 3rd statement this week.",
        "Three journalists met the governor on Thursday.",
    ],
)
def test_find_figures_ignores_numbers_that_are_not_counts(raw: str) -> None:
    assert _figures(raw) == []


def test_find_figures_flags_background_figures() -> None:
    raw = (
        "The civil war began in 2009 after protests were crushed. More than 350.000 people were killed in that war "
        "and millions were displaced.\nThe province is home to over three million people.\n"
        "In 2015, a siege of the city killed 300 civilians.\n"
        "On Thursday, shelling killed 12 civilians."
    )
    figures = _figures(raw)
    assert [(f.measure, f.value, f.background) for f in figures] == [
        ("killed", 350_000, True),
        ("displaced", 2_000_000, True),
        ("population", 3_000_000, True),
        ("killed", 300, True),
        ("killed", 12, False),
    ]


def test_find_figures_dates_each_figure_in_its_clause() -> None:
    raw = (
        "The spokeswoman said drone strikes killed 11 villagers on Thursday, while one resident was killed by "
        "mortar fire a day earlier."
    )
    figures = _figures(raw)
    assert [(f.value, f.date, f.date_granularity, f.date_fallback) for f in figures] == [
        (11, "2025-03-13", "day", False),
        (1, "2025-03-12", "day", False),
    ]


def test_find_figures_falls_back_to_publication_date_for_present_reports_only() -> None:
    raw = "At least 40 people have been killed, the ministry says.\nTwelve soldiers died in the assault."
    present, past = _figures(raw)
    assert (present.date, present.date_fallback, present.date_granularity) == (FRIDAY, True, "day")
    assert (past.date, past.date_fallback) == (None, False)


def test_find_figures_without_publication_date_leaves_dates_empty() -> None:
    figures = _figures("On Thursday, at least 40 people have been killed.", published=None)
    assert [(f.value, f.date, f.date_fallback) for f in figures] == [(40, None, False)]


def test_find_figures_offsets_point_into_article_text() -> None:
    article = _article("Title line\n\nRebels said on Friday that at least 35 soldiers were killed near the dam.")
    (figure,) = find_figures(article)
    assert article.text[figure.start : figure.end] == "at least 35 soldiers"
    assert article.sentences[figure.sentence_index].text == figure.sentence
    assert figure.source is None and figure.stance == "asserts"


def test_find_figures_works_on_an_article_without_segments() -> None:
    article = Article(id="a", content_hash="h", text="Nine people were killed.", origin="t", seq=1, ingested_at="")
    assert [(f.measure, f.value) for f in find_figures(article)] == [("killed", 9)]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_find_figures_never_crashes_and_offsets_are_inside_text(raw: str) -> None:
    article = _article(raw)
    figures = find_figures(article)
    for i, figure in enumerate(figures):
        assert 0 <= figure.start < figure.end <= len(article.text)
        assert figure.part_of is None or 0 <= figure.part_of < i


def test_find_figures_reads_destroyed_and_damaged_property() -> None:
    assert _tuples("Over 100 homes were destroyed and two schools were damaged.") == [
        ("homes_destroyed", "all", 100, "more_than"),
        ("schools_damaged", "all", 2, "exact"),
    ]


def test_find_figures_reads_a_singular_victim_with_a_numeral() -> None:
    assert _tuples("The assault left one soldier dead.") == [("killed", "government forces", 1, "exact")]


def test_find_figures_flags_figures_from_years_ago_as_background() -> None:
    (figure,) = _figures("Five years ago, 300 people died in a similar attack.")
    assert figure.background and figure.measure == "killed"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Gunfire outside the depot wounded three men and two women on Saturday.",
            [("injured", "all", 5, None), ("injured", "all", 3, 0), ("injured", "all", 2, 0)],
        ),
        (
            "Two deputies and four bystanders were hurt when the truck exploded.",
            [("injured", "all", 6, None), ("injured", "police", 2, 0), ("injured", "all", 4, 0)],
        ),
        (
            "The rocket killed two soldiers and three civilians near the ridge.",
            [("killed", "all", 5, None), ("killed", "government forces", 2, 0), ("killed", "civilians", 3, 0)],
        ),
    ],
)
def test_find_figures_adds_up_two_counted_groups(raw: str, expected: list[tuple[str, str, float, int | None]]) -> None:
    assert [(f.measure, f.group, f.value, f.part_of) for f in _figures(raw)] == expected


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("She and two others were wounded outside the cinema.", 3),
        ("A 41-year-old man and four others were injured in the crash.", 5),
        ("Dana Kessler and three others were hurt by the falling scaffold.", 4),
        ("The intruder injured her and two other guests before fleeing.", 3),
        ("The driver hurt his brother and four other passengers when he swerved.", 5),
        ("A 9-year-old and two adults were hurt when the balcony gave way.", 3),
    ],
)
def test_find_figures_counts_the_named_victim_before_and_n_others(raw: str, value: float) -> None:
    assert [(f.measure, f.value) for f in _figures(raw)] == [("injured", value)]


@pytest.mark.parametrize(
    "raw",
    [
        "Two boys, ages 13 and 16, were wounded by stray bullets.",
        "Two teenagers aged 13 and 16 were wounded by stray bullets.",
        "Two children between the ages of 13 and 16 were wounded by stray bullets.",
    ],
)
def test_find_figures_never_reads_an_age_as_a_count(raw: str) -> None:
    assert [(f.measure, f.value) for f in _figures(raw)] == [("injured", 2)]


def test_find_figures_reads_people_sent_or_taken_to_a_named_hospital_as_injured() -> None:
    raw = (
        "The pile-up sent five people to the hospital on Route 9. "
        "Later, three workers were taken to Lakeview Regional Medical Center."
    )
    assert [(f.measure, f.value) for f in _figures(raw)] == [("injured", 5), ("injured", 3)]


def test_find_figures_reads_people_shot_as_injured_only_when_the_article_reports_no_death() -> None:
    no_death = _figures("Four people were shot at a bus stop on Elm Road. Police are looking for a grey car.")
    assert ("injured", 4) in [(f.measure, f.value) for f in no_death]
    with_death = _figures("Four people were shot at a bus stop on Elm Road. A fifth man died at the scene.")
    assert ("injured", 4) not in [(f.measure, f.value) for f in with_death]


def test_find_figures_reads_a_half_dozen() -> None:
    assert [(f.measure, f.value) for f in _figures("A half-dozen people were hurt in the stampede.")] == [
        ("injured", 6)
    ]


@pytest.mark.parametrize(
    "raw",
    [
        "Both brothers were shot and killed outside the bakery on Tuesday.",
        "A woman and her neighbor were found dead in the burned house.",
    ],
)
def test_find_figures_counts_two_victims_named_without_a_numeral(raw: str) -> None:
    assert [(f.measure, f.value) for f in _figures(raw)] == [("killed", 2)]


def test_find_figures_flags_counts_of_separate_incidents_as_background() -> None:
    raw = (
        "A cyclist was killed on Harbour Road on Friday. "
        "At least 9 other people were hurt in separate incidents across the county over the weekend."
    )
    assert [(f.measure, f.value, f.background) for f in _figures(raw)] == [("killed", 1, False), ("injured", 9, True)]


def test_find_figures_reads_people_shot_one_fatally_around_the_noun() -> None:
    figures = _figures("Five teenagers, one fatally, were shot near the skate park on Friday night.")
    assert {(f.measure, f.value) for f in figures} == {("shot", 5), ("injured", 4), ("killed", 1)}
