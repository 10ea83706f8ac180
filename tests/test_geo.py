"""Tests for geocoding in context, on articles invented for the tests."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave import geo, geo_detect
from newsweave.gazetteer import Gazetteer, distance_km, get_gazetteer
from newsweave.model import Article, Mention, Place
from newsweave.text import article_from_text


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def _article(raw: str) -> Article:
    return article_from_text(raw, published="2025-03-14")


def _mention(art: Article, surface: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(surface, start + 1)
    return Mention(text=surface, label=label, start=start, end=start + len(surface), sentence=0)


def _by_name(places: list[Place], name: str) -> list[Place]:
    return [p for p in places if p.name == name]


def test_geocode_article_offsets_point_at_the_written_name(gaz: Gazetteer) -> None:
    art = _article("Shelling hit Mosul and Kirkuk on Tuesday.\nResidents fled toward Baghdad, officials said.")
    places = geo.geocode_article(art, [])
    assert {p.name for p in places} >= {"Mosul", "Kirkuk", "Baghdad"}
    for p in places:
        assert art.text[p.start : p.end] == p.name


def test_geocode_article_resolves_alternate_name_to_gazetteer_spelling(gaz: Gazetteer) -> None:
    art = _article("Government troops withdrew from Basra, a city in southern Iraq, on Thursday.")
    basra = _by_name(geo.geocode_article(art, []), "Basra")[0]
    assert basra.resolved_name == "Basrah"
    assert basra.country == "IQ" and basra.precision == "city"
    assert basra.lat is not None and basra.lon is not None
    assert distance_km(basra.lat, basra.lon, 30.51, 47.78) < 25


def test_geocode_article_reads_province_versus_city(gaz: Gazetteer) -> None:
    art = _article("Clashes spread across Kandahar province. In Kandahar, the market was hit by shelling.")
    places = geo.geocode_article(art, [])
    kandahar = _by_name(places, "Kandahar")
    assert {p.feature for p in kandahar} == {"admin1", "city"}
    province = next(p for p in kandahar if p.feature == "admin1")
    assert province.start == art.text.index("Kandahar province")
    assert province.precision == "admin"


def test_geocode_article_recovers_places_ner_mislabels(gaz: Gazetteer) -> None:
    art = _article("Fighters advanced on Mosul while families left Kirkuk for the south of Iraq.")
    mentions = [_mention(art, "Mosul", "LANGUAGE"), _mention(art, "Kirkuk", "ORG"), _mention(art, "Iraq", "GPE")]
    places = geo.geocode_article(art, mentions)
    assert _by_name(places, "Mosul")[0].country == "IQ"
    assert _by_name(places, "Kirkuk")[0].country == "IQ"


def test_geocode_article_follows_us_state_after_comma(gaz: Gazetteer) -> None:
    art = _article("A woman from Alexandria, La., was arrested after a house fire, deputies said.")
    places = geo.geocode_article(art, [])
    alexandria = _by_name(places, "Alexandria")[0]
    assert alexandria.country == "US" and alexandria.admin1 == "Louisiana"
    state = _by_name(places, "La.")[0]
    assert state.resolved_name == "Louisiana" and state.precision == "admin"


def test_geocode_article_flags_demonyms_and_metonyms(gaz: Gazetteer) -> None:
    art = _article(
        "French drones hit the depot. Downing Street denied it, and Tehran quietly approved the raid by the Iraqi army."
    )
    mentions = [_mention(art, "French", "NORP"), _mention(art, "Iraqi", "NORP"), _mention(art, "Tehran", "GPE")]
    places = geo.geocode_article(art, mentions)
    assert _by_name(places, "French")[0].feature == "demonym"
    assert _by_name(places, "French")[0].country == "FR"
    assert _by_name(places, "Iraqi")[0].feature == "demonym"
    assert _by_name(places, "Downing Street")[0].feature == "metonym"
    tehran = _by_name(places, "Tehran")[0]
    assert tehran.feature == "metonym" and tehran.country == "IR"


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
        if name == "Kirkuk":
            raise sqlite3.OperationalError("disk I/O error")
        return real(name)

    class Flaky:
        def __getattr__(self, attr: str) -> object:
            return flaky if attr == "lookup" else getattr(gaz, attr)

    art = _article("Shelling hit Kirkuk and Baghdad on Tuesday, and Basra was quiet.")
    mentions = [_mention(art, "Kirkuk", "GPE"), _mention(art, "Baghdad", "GPE"), _mention(art, "Basra", "GPE")]
    monkeypatch.setattr(geo, "get_gazetteer", lambda: Flaky())
    places = geo.geocode_article(art, mentions)
    assert _by_name(places, "Kirkuk")[0].lat is None
    assert _by_name(places, "Baghdad")[0].country == "IQ"
    assert _by_name(places, "Basra")[0].country == "IQ"


def test_geocode_article_ignores_capitalised_common_words(gaz: Gazetteer) -> None:
    art = _article("Police said the March report was late. Officials in Baghdad disagreed.")
    names = {p.name for p in geo.geocode_article(art, [])}
    assert names == {"Baghdad"}


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Mosul",
                "in",
                "Paris",
                "Texas",
                ",",
                "La.",
                "the",
                "Pentagon",
                "said",
                "Iraqi",
                "and",
                "Kandahar",
                "province",
                "St.",
                "Louis",
                "Police",
                "\n",
                "x",
            ]
        ),
        max_size=25,
    )
)
def test_geocode_article_never_breaks_offsets(words: list[str]) -> None:
    art = _article(" ".join(words))
    for p in geo.geocode_article(art, []):
        assert art.text[p.start : p.end] == p.name
        assert (p.lat is None) == (p.lon is None)
        assert 0.0 <= p.confidence <= 1.0


def test_places_geojson_is_rfc7946_feature_collection() -> None:
    a = Place(
        name="Basra",
        start=0,
        end=5,
        resolved_name="Basrah",
        geonames_id=99532,
        lat=30.51,
        lon=47.78,
        country="IQ",
        feature="city",
        precision="city",
        confidence=0.9,
    )
    b = Place(
        name="Basrah",
        start=9,
        end=15,
        resolved_name="Basrah",
        geonames_id=99532,
        lat=30.51,
        lon=47.78,
        country="IQ",
        feature="city",
        precision="city",
        confidence=0.7,
    )
    unsure = Place(name="Springfield", start=0, end=11, candidates=("Springfield, Illinois, US",))
    doc = geo.places_geojson([(a, ["a1"]), (b, ["a2", "a1"]), (unsure, ["a3"])])
    json.dumps(doc)  # serialisable
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == 1
    feature = doc["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [47.78, 30.51]}  # lon, lat
    assert feature["properties"]["article_ids"] == ["a1", "a2"]
    assert feature["properties"]["names"] == ["Basra", "Basrah"]


def test_geocode_article_keeps_a_list_of_countries_apart(gaz: Gazetteer) -> None:
    art = _article("Cases were also reported in Mexico, China, Japan and Brazil, officials said.")
    places = {p.name: p for p in geo.geocode_article(art, [])}
    assert places["China"].country == "CN" and places["China"].feature == "country"
    assert places["Mexico"].country == "MX" and places["Mexico"].feature == "country"


def test_geocode_article_reads_states_in_a_list_as_states(gaz: Gazetteer) -> None:
    art = _article("The recall covers stores in California, Oregon, Illinois and Louisiana.")
    places = geo.geocode_article(art, [])
    assert {p.name: p.feature for p in places} == {
        "California": "admin1",
        "Oregon": "admin1",
        "Illinois": "admin1",
        "Louisiana": "admin1",
    }


def test_geocode_article_prefers_readings_near_the_other_places(gaz: Gazetteer) -> None:
    # Paris, Tennessee lies in Henry County, Tennessee; nothing else in the text says so
    art = _article("Every household in Paris and Henry County will get a letter from the rescue squad.")
    places = {p.name: p for p in geo.geocode_article(art, [])}
    assert places["Paris"].country == "US" and places["Paris"].admin1 == "Tennessee"
    assert places["Henry County"].admin1 == "Tennessee"


def test_geocode_article_finds_local_news_toponyms(gaz: Gazetteer) -> None:
    art = _article(
        "Flood damage tallied. WINONA -- A Roselle man was hurt when the Walker County bridge "
        "failed, said Rep. Ann Doe, D-Raleigh, who toured the S.C. coast last week."
    )
    names = {p.name: p for p in geo.geocode_article(art, [])}
    assert {"WINONA", "Roselle", "Walker County", "Raleigh", "S.C."} <= set(names)
    assert names["S.C."].resolved_name == "South Carolina"


def test_geocode_article_skips_generic_words_in_institution_names(gaz: Gazetteer) -> None:
    art = _article("The City Council approved the Park Street budget in Columbus on Monday.")
    names = {p.name for p in geo.geocode_article(art, [])}
    assert "City" not in names and "Park" not in names and "Street" not in names
    assert "Columbus" in names


def test_event_places_leave_out_demonyms_metonyms_and_unpinned() -> None:
    city = Place(name="Basra", start=0, end=5, lat=30.51, lon=47.78, feature="city", precision="city")
    country = Place(name="Iraq", start=10, end=14, lat=33.0, lon=43.9, feature="country", precision="country")
    demonym = Place(name="Iraqi", start=20, end=25, lat=33.0, lon=43.9, feature="demonym", precision="country")
    metonym = Place(name="Pentagon", start=30, end=38, lat=38.87, lon=-77.06, feature="metonym", precision="city")
    unsure = Place(name="Springfield", start=40, end=51, candidates=("a", "b"))
    assert geo.event_places([demonym, country, metonym, unsure, city]) == [city, country]
    assert not geo.is_event_place(metonym) and geo.is_event_place(city)


def test_geocode_article_us_government_metonyms_point_at_the_capital_not_the_state(gaz: Gazetteer) -> None:
    art = _article("The Pentagon said two drones were shot down. The White House declined to comment.")
    places = geo.geocode_article(art, [])
    for name in ("Pentagon", "White House"):
        (place,) = _by_name(places, name)
        assert place.feature == "metonym"
        assert place.lat is not None and place.lon is not None
        assert distance_km(place.lat, place.lon, 38.895, -77.036) < 30


def _article_from(raw: str, source: str | None = None) -> Article:
    art = _article(raw)
    return Article(
        id=art.id,
        content_hash=art.content_hash,
        text=art.text,
        origin=art.origin,
        seq=art.seq,
        ingested_at=art.ingested_at,
        published=art.published,
        source=source,
        paragraphs=art.paragraphs,
        sentences=art.sentences,
    )


def test_geocode_article_matches_names_with_lowercase_particles_whole(gaz: Gazetteer) -> None:
    art = _article("Residents of Vau i Dejes said the river rose overnight. Aid left Dar es Salaam on Monday.")
    places = geo.geocode_article(art, [])
    vau = _by_name(places, "Vau i Dejes")
    assert vau and vau[0].country == "AL" and vau[0].feature == "city"  # not Wau, South Sudan; not a speaker
    dar = _by_name(places, "Dar es Salaam")
    assert dar and dar[0].country == "TZ"


def test_geocode_article_reads_a_capitalised_connector_as_part_of_the_name(gaz: Gazetteer) -> None:
    art = _article("Crews began work near the Da Nang airport on Monday.")
    nang = _by_name(geo.geocode_article(art, []), "Da Nang")
    assert nang and nang[0].country == "VN"


def test_geocode_article_leaves_the_outlet_name_out(gaz: Gazetteer) -> None:
    raw = "Floods hit Shkoder on Thursday, hospital officials told Balkan Wire."
    places = geo.geocode_article(_article_from(raw, source="Balkan Wire Syndication"), [])
    assert not _by_name(places, "Balkan")
    assert _by_name(places, "Shkoder")
    # another outlet named after a place keeps its pin but locates no event
    art = _article("The mayor of Springfield spoke to the Moscow Times on Friday about the floods in Mosul.")
    moscow = _by_name(geo.geocode_article(art, []), "Moscow")
    assert moscow and not geo.is_event_place(moscow[0])


def test_geocode_article_ends_a_name_at_an_abbreviation_before_a_new_sentence(gaz: Gazetteer) -> None:
    art = _article("It was the second case of the disease in the U.S. The first one turned up in Ohio.")
    names = {p.name for p in geo.geocode_article(art, [])}
    assert "U.S." in names and not any(n.startswith("U.S. ") for n in names)


def test_geocode_article_matches_a_possessive_inside_a_county_name(gaz: Gazetteer) -> None:
    art = _article("Wild ducks sampled in Queen Anne's County, Maryland, carried the virus.")
    county = _by_name(geo.geocode_article(art, []), "Queen Anne's County")
    assert county and county[0].feature == "admin2" and county[0].country == "US"


def test_geocode_article_reads_an_admin_noun_before_the_name(gaz: Gazetteer) -> None:
    art = _article("A concert took place in the town of Midrand, in the province Gauteng, on Friday.")
    mention = _mention(art, "Gauteng", "PERSON")
    gauteng = _by_name(geo.geocode_article(art, [mention]), "Gauteng")
    assert gauteng and gauteng[0].feature == "admin1" and gauteng[0].country == "ZA"


def test_geocode_article_overrides_a_person_label_stretched_over_a_country(gaz: Gazetteer) -> None:
    art = _article("Officials counted the dead as best they could: Sri Lanka - about 2,000, Ruritania - unknown.")
    mention = _mention(art, "Sri Lanka - about", "PERSON")
    lanka = _by_name(geo.geocode_article(art, [mention]), "Sri Lanka")
    assert lanka and lanka[0].country == "LK"


def test_geocode_article_resolves_a_philippine_province(gaz: Gazetteer) -> None:
    art = _article("Pigs on a farm in Pangasinan, Philippines tested positive for the virus.")
    pangasinan = _by_name(geo.geocode_article(art, []), "Pangasinan")
    assert pangasinan and pangasinan[0].country == "PH" and pangasinan[0].feature == "admin2"


_CAPITALISED = st.sampled_from(["Vau", "Dejes", "Mosul", "The", "U.S.", "Da", "Nang", "Queen", "Anne's", "County"])
_LOWER = st.sampled_from(["i", "of", "the", "and", "es", "do", "said", "in", "near"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_CAPITALISED, _LOWER), min_size=1, max_size=12), st.sampled_from([" ", ". ", ", "]))
def test_capitalised_runs_are_ordered_and_never_start_or_end_on_a_lowercase_connector(
    words: list[str], sep: str
) -> None:
    text = sep.join(words)
    last = -1
    for run in geo_detect._capitalised_runs(text):
        assert run
        for s, e in run:
            assert 0 <= s < e <= len(text) and s >= last
            last = e
        first, final = text[run[0][0] : run[0][1]], text[run[-1][0] : run[-1][1]]
        assert not geo_detect._is_connector(first) and not geo_detect._is_connector(final)


def test_geocode_article_reads_peoples_republic_of_china_as_china(gaz: Gazetteer) -> None:
    art = _article("The Ministry of Health of the People's Republic of China reported 12 new cases on Monday.")
    prc = _by_name(geo.geocode_article(art, []), "People's Republic of China")
    assert prc and prc[0].country == "CN"
    assert not _by_name(geo.geocode_article(art, []), "Republic of China")


def test_geocode_article_locates_a_valley_by_its_namesake_town(gaz: Gazetteer) -> None:
    art = _article("Farm workers in the Salinas Valley were told to stay home on Monday.")
    valley = _by_name(geo.geocode_article(art, []), "Salinas Valley")
    assert valley and valley[0].country == "US"
    assert valley[0].lat is not None and valley[0].lon is not None
    assert distance_km(valley[0].lat, valley[0].lon, 36.68, -121.66) < 50


def test_geocode_article_prefers_places_named_so_over_an_old_alternate_name(gaz: Gazetteer) -> None:
    # "Berea" is also an ancient name of Aleppo in GeoNames; places called Berea come first
    art = _article("Volunteers in Berea cleaned the park on Saturday, the mayor said.")
    berea = _by_name(geo.geocode_article(art, []), "Berea")
    assert berea and berea[0].country != "SY"


def test_geocode_article_reads_the_pacific_as_the_ocean(gaz: Gazetteer) -> None:
    art = _article("Rescue crews searched the Pacific for the missing yacht on Friday.")
    pacific = _by_name(geo.geocode_article(art, []), "Pacific")
    assert pacific and pacific[0].resolved_name == "Pacific Ocean" and pacific[0].country is None
