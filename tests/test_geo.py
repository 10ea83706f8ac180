"""Tests for geocoding in context, on articles invented for the tests."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave import geo
from newsweave.gazetteer import Gazetteer, distance_km, get_gazetteer
from newsweave.model import Article, Mention, Place
from newsweave.text import normalise, segment


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def _article(raw: str) -> Article:
    text = normalise(raw)
    paras, sents = segment(text)
    return Article(id="a1", content_hash="h", text=text, origin="test", seq=1, ingested_at="",
                   published="2024-11-29", paragraphs=tuple(paras), sentences=tuple(sents))


def _mention(art: Article, surface: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(surface, start + 1)
    return Mention(text=surface, label=label, start=start, end=start + len(surface), sentence=0)


def _by_name(places: list[Place], name: str) -> list[Place]:
    return [p for p in places if p.name == name]


def test_geocode_article_offsets_point_at_the_written_name(gaz: Gazetteer) -> None:
    art = _article("Shelling hit Homs and Hama on Tuesday.\nResidents fled toward Damascus, officials said.")
    places = geo.geocode_article(art, [])
    assert {p.name for p in places} >= {"Homs", "Hama", "Damascus"}
    for p in places:
        assert art.text[p.start:p.end] == p.name


def test_geocode_article_resolves_alternate_name_to_gazetteer_spelling(gaz: Gazetteer) -> None:
    art = _article("Government troops withdrew from Hama, a city in central Syria, on Thursday.")
    hama = _by_name(geo.geocode_article(art, []), "Hama")[0]
    assert hama.resolved_name == "Ḩamāh"
    assert hama.country == "SY" and hama.precision == "city"
    assert hama.lat is not None and hama.lon is not None
    assert distance_km(hama.lat, hama.lon, 35.13, 36.76) < 25


def test_geocode_article_reads_province_versus_city(gaz: Gazetteer) -> None:
    art = _article("Clashes spread across Idlib province. In Idlib, the market was hit by shelling.")
    places = geo.geocode_article(art, [])
    idlib = _by_name(places, "Idlib")
    assert {p.feature for p in idlib} == {"admin1", "city"}
    province = next(p for p in idlib if p.feature == "admin1")
    assert province.start == art.text.index("Idlib province")
    assert province.precision == "admin"


def test_geocode_article_recovers_places_ner_mislabels(gaz: Gazetteer) -> None:
    art = _article("Fighters advanced on Aleppo while families left Hama for the coast of Syria.")
    mentions = [_mention(art, "Aleppo", "LANGUAGE"), _mention(art, "Hama", "ORG"), _mention(art, "Syria", "GPE")]
    places = geo.geocode_article(art, mentions)
    assert _by_name(places, "Aleppo")[0].country == "SY"
    assert _by_name(places, "Hama")[0].country == "SY"


def test_geocode_article_follows_us_state_after_comma(gaz: Gazetteer) -> None:
    art = _article("A woman from Alexandria, La., was arrested after a house fire, deputies said.")
    places = geo.geocode_article(art, [])
    alexandria = _by_name(places, "Alexandria")[0]
    assert alexandria.country == "US" and alexandria.admin1 == "Louisiana"
    state = _by_name(places, "La.")[0]
    assert state.resolved_name == "Louisiana" and state.precision == "admin"


def test_geocode_article_flags_demonyms_and_metonyms(gaz: Gazetteer) -> None:
    art = _article("Russian airstrikes hit the town. The Kremlin denied it, and Ankara tacitly approved "
                   "the offensive by the Syrian army.")
    mentions = [_mention(art, "Russian", "NORP"), _mention(art, "Syrian", "NORP"), _mention(art, "Ankara", "GPE")]
    places = geo.geocode_article(art, mentions)
    assert _by_name(places, "Russian")[0].feature == "demonym"
    assert _by_name(places, "Russian")[0].country == "RU"
    assert _by_name(places, "Syrian")[0].feature == "demonym"
    assert _by_name(places, "Kremlin")[0].feature == "metonym"
    ankara = _by_name(places, "Ankara")[0]
    assert ankara.feature == "metonym" and ankara.country == "TR"


def test_geocode_article_uses_story_countries_to_break_ties(gaz: Gazetteer) -> None:
    art = _article("Protesters gathered in Tripoli on Sunday.")
    default = _by_name(geo.geocode_article(art, []), "Tripoli")[0]
    in_story = _by_name(geo.geocode_article(art, [], context_countries=("LB",)), "Tripoli")[0]
    assert default.country == "LY"
    assert in_story.country == "LB"


def test_geocode_article_uses_other_places_in_the_text(gaz: Gazetteer) -> None:
    art = _article("The storm flooded roads in Paris, Texas, and later reached Dallas and Sherman.")
    paris = _by_name(geo.geocode_article(art, []), "Paris")[0]
    assert paris.country == "US" and paris.admin1 == "Texas"


def test_geocode_article_keeps_candidates_when_unsure(gaz: Gazetteer) -> None:
    art = _article("The council met in Springfield.")
    springfield = _by_name(geo.geocode_article(art, []), "Springfield")[0]
    assert springfield.confidence < 0.75
    assert len(springfield.candidates) >= 2


def test_geocode_article_one_failed_lookup_keeps_the_others(gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    real = gaz.lookup

    def flaky(name: str) -> tuple[object, ...]:
        if name == "Homs":
            raise sqlite3.OperationalError("disk I/O error")
        return real(name)

    class Flaky:
        def __getattr__(self, attr: str) -> object:
            return flaky if attr == "lookup" else getattr(gaz, attr)

    art = _article("Shelling hit Homs and Damascus on Tuesday, and Aleppo was quiet.")
    mentions = [_mention(art, "Homs", "GPE"), _mention(art, "Damascus", "GPE"), _mention(art, "Aleppo", "GPE")]
    monkeypatch.setattr(geo, "get_gazetteer", lambda: Flaky())
    places = geo.geocode_article(art, mentions)
    assert _by_name(places, "Homs")[0].lat is None
    assert _by_name(places, "Damascus")[0].country == "SY"
    assert _by_name(places, "Aleppo")[0].country == "SY"


def test_geocode_article_ignores_capitalised_common_words(gaz: Gazetteer) -> None:
    art = _article("Police said the March report was late. Officials in Damascus disagreed.")
    names = {p.name for p in geo.geocode_article(art, [])}
    assert names == {"Damascus"}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["Aleppo", "in", "Paris", "Texas", ",", "La.", "the", "Kremlin", "said",
                                 "Syrian", "and", "Idlib", "province", "St.", "Louis", "Police", "\n", "x"]),
                max_size=25))
def test_geocode_article_never_breaks_offsets(words: list[str]) -> None:
    art = _article(" ".join(words))
    for p in geo.geocode_article(art, []):
        assert art.text[p.start:p.end] == p.name
        assert (p.lat is None) == (p.lon is None)
        assert 0.0 <= p.confidence <= 1.0


def test_places_geojson_is_rfc7946_feature_collection() -> None:
    a = Place(name="Hama", start=0, end=4, resolved_name="Ḩamāh", geonames_id=170017, lat=35.13, lon=36.76,
              country="SY", feature="city", precision="city", confidence=0.9)
    b = Place(name="Hamah", start=9, end=14, resolved_name="Ḩamāh", geonames_id=170017, lat=35.13, lon=36.76,
              country="SY", feature="city", precision="city", confidence=0.7)
    unsure = Place(name="Springfield", start=0, end=11, candidates=("Springfield, Illinois, US",))
    doc = geo.places_geojson([(a, ["a1"]), (b, ["a2", "a1"]), (unsure, ["a3"])])
    json.dumps(doc)  # serialisable
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == 1
    feature = doc["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [36.76, 35.13]}  # lon, lat
    assert feature["properties"]["article_ids"] == ["a1", "a2"]
    assert feature["properties"]["names"] == ["Hama", "Hamah"]


def test_geocode_article_keeps_a_list_of_countries_apart(gaz: Gazetteer) -> None:
    art = _article("Cases were also reported in Mexico, China, Japan and Brazil, officials said.")
    places = {p.name: p for p in geo.geocode_article(art, [])}
    assert places["China"].country == "CN" and places["China"].feature == "country"
    assert places["Mexico"].country == "MX" and places["Mexico"].feature == "country"


def test_geocode_article_reads_states_in_a_list_as_states(gaz: Gazetteer) -> None:
    art = _article("The recall covers stores in California, Oregon, Illinois and Louisiana.")
    places = geo.geocode_article(art, [])
    assert {p.name: p.feature for p in places} == {
        "California": "admin1", "Oregon": "admin1", "Illinois": "admin1", "Louisiana": "admin1"}


def test_geocode_article_prefers_readings_near_the_other_places(gaz: Gazetteer) -> None:
    # Paris, Tennessee lies in Henry County, Tennessee; nothing else in the text says so
    art = _article("Every household in Paris and Henry County will get a letter from the rescue squad.")
    places = {p.name: p for p in geo.geocode_article(art, [])}
    assert places["Paris"].country == "US" and places["Paris"].admin1 == "Tennessee"
    assert places["Henry County"].admin1 == "Tennessee"


def test_geocode_article_finds_local_news_toponyms(gaz: Gazetteer) -> None:
    art = _article("Flood damage tallied. WINONA -- A Roselle man was hurt when the Walker County bridge "
                   "failed, said Rep. Ann Doe, D-Raleigh, who toured the S.C. coast last week.")
    names = {p.name: p for p in geo.geocode_article(art, [])}
    assert {"WINONA", "Roselle", "Walker County", "Raleigh", "S.C."} <= set(names)
    assert names["S.C."].resolved_name == "South Carolina"


def test_geocode_article_skips_generic_words_in_institution_names(gaz: Gazetteer) -> None:
    art = _article("The City Council approved the Park Street budget in Columbus on Monday.")
    names = {p.name for p in geo.geocode_article(art, [])}
    assert "City" not in names and "Park" not in names and "Street" not in names
    assert "Columbus" in names


def test_event_places_leave_out_demonyms_metonyms_and_unpinned() -> None:
    city = Place(name="Hama", start=0, end=4, lat=35.13, lon=36.76, feature="city", precision="city")
    country = Place(name="Syria", start=10, end=15, lat=35.0, lon=38.0, feature="country", precision="country")
    demonym = Place(name="Syrian", start=20, end=26, lat=35.0, lon=38.0, feature="demonym", precision="country")
    metonym = Place(name="Kremlin", start=30, end=37, lat=55.75, lon=37.6, feature="metonym", precision="city")
    unsure = Place(name="Springfield", start=40, end=51, candidates=("a", "b"))
    assert geo.event_places([demonym, country, metonym, unsure, city]) == [city, country]
    assert not geo.is_event_place(metonym) and geo.is_event_place(city)
