"""Resolution in context (geo-6): lists of places, provinces against namesake towns, and no place
counting as evidence for itself. Articles are invented for the tests; the places are real."""

from __future__ import annotations

import pytest

from newsweave import geo
from newsweave.gazetteer import Gazetteer, get_gazetteer
from newsweave.geo_detect import Span
from newsweave.model import Place
from newsweave.text import article_from_text


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def _places(raw: str) -> list[Place]:
    return geo.geocode_article(article_from_text(raw, published="2025-03-14"), [])


def _one(places: list[Place], name: str) -> Place:
    found = [p for p in places if p.name == name]
    assert found, f"{name} not found in {[p.name for p in places]}"
    return found[0]


def test_state_in_a_list_of_states_is_not_a_town_in_the_next_state(gaz: Gazetteer) -> None:
    places = _places("Cases were reported in Oregon, Texas, Virginia, Washington, West Virginia and Wyoming.")
    washington = _one(places, "Washington")
    assert washington.feature == "admin1" and washington.admin1 == "Washington"


def test_province_reads_as_province_when_the_text_names_other_provinces(gaz: Gazetteer) -> None:
    places = _places("Illnesses in Canada occurred in British Columbia, Alberta, Ontario and Quebec this winter.")
    quebec = _one(places, "Quebec")
    assert quebec.feature == "admin1" and quebec.country == "CA"


def test_province_name_is_not_a_namesake_village_elsewhere_in_the_country(gaz: Gazetteer) -> None:
    places = _places(
        "Inspectors in the Philippines said ducks at hatcheries in Tarlac and Cabanatuan were culled. A hatchery "
        "in Digos, Davao del Sur, was also inspected. Hatcheries in Aurora and across Luzon were closed to "
        "visitors."
    )
    assert _one(places, "Aurora").feature == "admin2" and _one(places, "Aurora").admin1 == "Central Luzon"
    luzon = _one(places, "Luzon")
    assert luzon.feature == "region" and luzon.lat is not None and luzon.lat > 12


def test_city_region_is_the_city_not_a_county_known_by_that_name(gaz: Gazetteer) -> None:
    places = _places("There have been nine cases of the virus in the Houston region this summer, officials said.")
    houston = _one(places, "Houston")
    assert houston.feature == "city" and houston.admin1 == "Texas"


def test_list_mates_are_the_neighbours_in_a_list() -> None:
    text = "Ontario, Manitoba and New Brunswick reported cases; Paris did not."
    spans = [Span(text.index(n), text.index(n) + len(n), n) for n in ("Ontario", "Manitoba", "New Brunswick", "Paris")]
    mates = geo._list_mates(spans, text)
    keys = {sp.text: geo._group_key(sp) for sp in spans}
    assert mates[keys["Manitoba"]] == {keys["Ontario"], keys["New Brunswick"]}
    assert keys["Paris"] not in mates


def test_a_place_is_no_anchor_for_itself(gaz: Gazetteer) -> None:
    hits = gaz.lookup("Medina")
    rec, quality = next((r, q) for r, q in hits if r.kind == "city")
    spans = [Span(0, 6, "Medina")]
    alone = geo._score(rec, quality, spans, geo._Context(), hits)
    itself = geo._score(rec, quality, spans, geo._Context(anchors=[(rec.gid, rec.lat, rec.lon)]), hits)
    other = geo._score(rec, quality, spans, geo._Context(anchors=[(-1, rec.lat, rec.lon)]), hits)
    assert itself == alone < other


def test_reading_shared_by_two_names_gives_no_support_between_them(gaz: Gazetteer) -> None:
    # two names that can both be read as the same town must not prop that reading up for each other
    spans = [Span(0, 6, "Medina"), Span(11, 16, "Mecca")]
    groups = {geo._group_key(sp): [sp] for sp in spans}
    hits = {key: gaz.lookup(group[0].text) for key, group in groups.items()}
    shared = {r.gid for r, _ in hits[geo._group_key(spans[0])]} & {r.gid for r, _ in hits[geo._group_key(spans[1])]}
    support = geo._support(hits, groups)
    for key in groups:
        assert not shared & set(support.get(key, {}))


def test_a_repeated_name_is_no_evidence_for_itself(gaz: Gazetteer) -> None:
    # "Dublin City Council" (a name Ireland's capital city bears) must not vote Ireland for "in Dublin"
    places = _places(
        "Dublin City Council voted on Monday to rename a street near Veterans Park. Dublin City Manager Jane Roe "
        "said the change will cost $3,000. Crews from Cuyahoga Falls will paint the new signs in Dublin next "
        "week, and a parade in Dublin will follow."
    )
    dublin = _one(places, "Dublin")
    assert dublin.country == "US" and dublin.admin1 == "Ohio"


def test_qualified_name_read_only_abroad_gets_no_pin(gaz: Gazetteer) -> None:
    # the gazetteer knows "Midlands" only in Zimbabwe and Mauritius; the text is about England
    places = _places(
        "Flooding closed roads across the West Midlands on Monday. Trains between London and Birmingham were "
        "cancelled, and schools in Coventry and Wolverhampton shut early, England's Environment Agency said."
    )
    midlands = _one(places, "West Midlands")
    assert midlands.lat is None and midlands.country is None
    assert _one(places, "Coventry").country == "GB"
