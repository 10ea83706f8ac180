"""Attribution: who each sentence's report comes from, stance and hedges (invented articles)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.extract.attribution import Attribution, attribute_sentences
from newsweave.extract.entities import find_mentions
from newsweave.model import Article
from newsweave.text import article_from_text


def make_article(raw: str, published: str | None = "2024-03-12") -> Article:
    return article_from_text(raw, published=published)


def attribute(raw: str) -> list[Attribution]:
    art = make_article(raw)
    return attribute_sentences(art, find_mentions(art))


def test_attribute_sentences_according_to_names_the_source() -> None:
    atts = attribute("According to the Danube Conflict Watch, 12 people were killed in the raid.")
    assert atts[0].source == "Danube Conflict Watch"
    assert not atts[0].carried


def test_attribute_sentences_figures_provided_by_a_source() -> None:
    atts = attribute(
        "The toll, provided by the Red Crescent, rose to 40.\n"
        "Citing the Danube Conflict Watch, the radio said 12 people died."
    )
    assert atts[0].source == "Red Crescent"
    assert atts[1].source == "Danube Conflict Watch"


def test_attribute_sentences_subject_said_and_says_that() -> None:
    atts = attribute("The Red Crescent said nine people were wounded.\nViktor Almanov says that the town is calm.")
    assert atts[0].source == "Red Crescent"
    assert atts[1].source == "Viktor Almanov"


def test_attribute_sentences_inverted_reports_uses_full_name_of_description() -> None:
    atts = attribute(
        "Rebels took six villages, reports the Vienna-based monitor Balkan Observatory for "
        "Civil Rights (BOCR) on Monday."
    )
    assert atts[0].source == "Balkan Observatory for Civil Rights"


def test_attribute_sentences_description_resolves_to_the_named_organisation() -> None:
    atts = attribute(
        "The Balkan Observatory for Civil Rights (BOCR) reported heavy fighting.\n"
        "The toll rose to 40, the observatory said."
    )
    assert atts[1].source == "Balkan Observatory for Civil Rights"
    assert not atts[1].carried


def test_attribute_sentences_spokesperson_stands_for_the_organisation() -> None:
    atts = attribute(
        "The Balkan Observatory for Civil Rights counted the dead.\n"
        "Lena Markovic, director of the observatory, said 14 civilians were killed."
    )
    assert atts[1].source == "Balkan Observatory for Civil Rights"


def test_attribute_sentences_carries_source_to_continuing_casualty_sentence() -> None:
    atts = attribute(
        "The Red Crescent said at least 30 people were killed. Most of the dead were "
        "civilians, and 12 others were wounded."
    )
    assert atts[1].source == "Red Crescent"
    assert atts[1].carried


def test_attribute_sentences_carries_source_through_pronoun_that_speaks() -> None:
    atts = attribute("The Danube Conflict Watch reported clashes near the dam.\nIt said 5 fighters died.")
    assert atts[1].source == "Danube Conflict Watch"
    assert atts[1].carried


def test_attribute_sentences_does_not_guess_a_source_for_unrelated_sentences() -> None:
    atts = attribute(
        "The Red Crescent said 30 people were killed.\n"
        "The city was founded in the 12th century and has a famous citadel."
    )
    assert atts[1].source is None


def test_attribute_sentences_heading_breaks_the_carry_over() -> None:
    atts = attribute("The Red Crescent said 30 people were killed.\nAftermath\nThe death toll rose to 41.")
    assert atts[2].source is None


def test_attribute_sentences_unattributed_sentence_has_no_source() -> None:
    atts = attribute("Heavy rain flooded the valley on Monday.")
    assert atts[0] == Attribution(0)


def test_attribute_sentences_denial_sets_stance() -> None:
    atts = attribute(
        "The defence ministry denied reports that the airport had fallen.\n"
        "Officials rejected claims that 20 soldiers were captured."
    )
    assert [a.stance for a in atts] == ["denies", "denies"]
    assert atts[0].source == "defence ministry"


def test_attribute_sentences_denial_of_an_action_sets_stance() -> None:
    atts = attribute("The army denied targeting the hospital.\nThe army rejected the proposal.")
    assert [a.stance for a in atts] == ["denies", "asserts"]


def test_attribute_sentences_plain_report_asserts() -> None:
    atts = attribute("The defence ministry said the airport had fallen.")
    assert atts[0].stance == "asserts"


def test_attribute_sentences_hedges_are_flagged() -> None:
    atts = attribute(
        "Ten soldiers were reportedly captured.\nIt is unclear if the dam was hit.\n"
        "The claim could not be independently verified.\nThe bridge was destroyed."
    )
    assert [a.hedged for a in atts] == [True, True, True, False]


def test_attribute_sentences_generic_sources_are_kept_as_written() -> None:
    atts = attribute(
        "Militia-controlled sources report that six villagers were killed.\n"
        "According to local residents, the market burned."
    )
    assert atts[0].source == "Militia-controlled sources"
    assert atts[1].source == "local residents"


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_attribute_sentences_never_crashes_and_gives_one_per_sentence(raw: str) -> None:
    art = make_article(raw)
    atts = attribute_sentences(art, find_mentions(art))
    assert [a.sentence_index for a in atts] == [s.index for s in art.sentences]


def test_attribute_sentences_possessive_office_is_one_source() -> None:
    atts = attribute(
        "The woman died at 6:10 p.m., the medical examiner's office said.\nA second man was hurt, said Sgt. Ana Ruiz."
    )
    assert atts[0].source == "medical examiner's office"
    assert atts[1].source == "Ana Ruiz"


def test_attribute_sentences_officials_in_a_town_are_the_speakers_not_the_town() -> None:
    atts = attribute(
        "Two bridges collapsed on Monday, hospital officials in Brackwater told the Valley Post.\n"
        "Police in Dover said three people were hurt."
    )
    assert atts[0].source == "hospital officials in Brackwater"
    assert atts[1].source == "Police in Dover"
