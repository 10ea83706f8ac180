"""The inline SVG geometry (map, timeline) and the highlight segmentation, without a server."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from newsweave.web import highlight_segments, land_rows, map_chart, timeline_chart


def test_map_projects_points_inside_the_frame_with_land_around_a_city() -> None:
    chart = map_chart(
        [{"name": "Paris", "lat": 48.85, "lon": 2.35, "mentions": 3}, {"name": "Lyon", "lat": 45.76, "lon": 4.83}]
    )
    assert chart is not None
    for dot in chart["dots"]:
        assert 0 <= dot["x"] <= chart["width"] and 0 <= dot["y"] <= chart["height"]
    paris, lyon = chart["dots"]
    assert paris["r"] > lyon["r"]  # more mentions, bigger dot
    assert paris["y"] < lyon["y"] and paris["x"] < lyon["x"]  # north is up, east is right
    assert len(chart["land"]) > 10 and chart["lines"]


def test_map_of_open_ocean_has_little_land() -> None:
    chart = map_chart([{"name": "mid-Pacific", "lat": -30.0, "lon": -140.0}])
    assert chart is not None and len(chart["land"]) <= 3


def test_map_without_coordinates_is_none() -> None:
    assert map_chart([{"name": "Nowhere", "lat": None, "lon": None}]) is None


def test_world_spanning_map_stays_small() -> None:
    chart = map_chart([{"name": "a", "lat": 60, "lon": -150}, {"name": "b", "lat": -40, "lon": 170}])
    assert chart is not None and len(chart["land"]) < 3000


def test_land_mask_covers_continents_not_oceans() -> None:
    rows = land_rows()

    def is_land(lat: float, lon: float) -> bool:
        r, c = int((lat + 90) // 0.5), int((lon + 180) // 0.5)
        return any(first <= c < first + n for first, n in rows.get(r, []))

    assert is_land(48.85, 2.35) and is_land(36.2, 37.15) and is_land(-23.5, -46.6)
    assert not is_land(0.0, -30.0) and not is_land(-40.0, 90.0)
    # Empty land is land too (not only where towns are): Sahara, Rub' al Khali, Gobi, central Australia.
    assert is_land(23.0, 18.0) and is_land(20.0, 50.0) and is_land(43.0, 105.0) and is_land(-25.0, 130.0)
    # Narrow seas stay sea.
    assert not is_land(35.0, 18.0) and not is_land(20.0, 38.5) and not is_land(27.0, 51.5)


def test_timeline_places_days_as_dots_and_months_as_bars() -> None:
    chart = timeline_chart(
        [
            {"date": "2025-05-01", "granularity": "day", "kind": "event", "label": "a"},
            {"date": "2025-05-10", "granularity": "day", "kind": "claim", "label": "b"},
            {"date": "2025-05", "granularity": "month", "kind": "figure", "label": "c"},
            {"date": None, "kind": "event", "label": "undated"},
        ]
    )
    assert chart is not None
    marks = chart["marks"]
    assert len(marks) == 3
    by_label = {m["title"].split(": ")[-1]: m for m in marks}
    assert by_label["a"]["x"] < by_label["b"]["x"]
    assert by_label["c"]["w"] > 0 and by_label["a"]["w"] == 0
    assert all(chart["left"] <= m["x"] <= chart["right"] for m in marks)


def test_timeline_without_dates_is_none() -> None:
    assert timeline_chart([{"date": None, "kind": "event"}, {"date": "someday", "kind": "claim"}]) is None


@st.composite
def views(draw: Any) -> dict[str, Any]:
    text = draw(st.text(min_size=1, max_size=80))
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=6))
    figures = [
        {
            "id": f"f{i}",
            "start": min(a, b),
            "end": max(a, b),
            "measure": "killed",
            "group": "all",
            "qualifier": "exact",
            "value": 1,
            "source": None,
        }
        for i, (a, b) in enumerate(spans)
    ]
    return {"text": text, "figures": figures, "claims": [], "places": []}


@given(views())
def test_highlight_segments_cover_the_text_exactly_once(view: dict[str, Any]) -> None:
    segments = highlight_segments(view)
    assert "".join(s["text"] for s in segments) == view["text"]
    for s in segments:
        start, end = s["start"], s["start"] + len(s["text"])
        covering = {
            f["id"] for f in view["figures"] if f["start"] <= start and end <= f["end"] and f["start"] < f["end"]
        }
        assert set(s["ids"]) == covering


def test_map_leaves_a_far_mis_resolved_place_off_the_frame() -> None:
    chart = map_chart(
        [
            {"name": "Hama", "lat": 35.13, "lon": 36.75, "mentions": 9},
            {"name": "Homs", "lat": 34.73, "lon": 36.71, "mentions": 4},
            {"name": "Vaupes", "resolved_name": "Vaupés", "lat": 1.25, "lon": -70.75, "mentions": 1},
        ]
    )
    assert chart is not None
    assert [d["label"] for d in chart["dots"]] == ["Hama", "Homs"]
    assert chart["off_map"] == ["Vaupés"]


def test_generate_land_fills_enclosed_holes_but_keeps_straits(tmp_path: Any) -> None:
    from newsweave.web import generate_land

    rows = ["lat,lon,name,admin1,admin2,cc"]
    block = [(lat, lon) for lat in (10, 11, 12) for lon in (0, 1, 2) if (lat, lon) != (11, 1)]  # a ring
    strait = [(20, 0), (20, 1), (20, 3)]  # one row of land with a one-cell gap at lon 2
    rows += [f"{lat}.1,{lon}.1,T,A,,XX" for lat, lon in block + strait]
    path = tmp_path / "cities.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    land = generate_land(path, resolution=1.0)
    assert land["rows"][101] == [[180, 3]]  # the ring's hole at (11, 1) is filled
    assert land["rows"][110] == [[180, 2], [183, 1]]  # the strait stays open


def test_generate_land_fills_country_outlines_but_not_their_holes(tmp_path: Any) -> None:
    from newsweave.web import generate_land

    path = tmp_path / "cities.csv"
    path.write_text("lat,lon,name,admin1,admin2,cc\n40.5,40.5,T,A,,XX\n", encoding="utf-8")
    outer = [(0.0, 0.0), (10.0, 0.0), (10.0, 4.0), (0.0, 4.0)]
    lake = [(3.0, 1.0), (7.0, 1.0), (7.0, 3.0), (3.0, 3.0)]
    land = generate_land(path, resolution=1.0, countries=[[outer, lake]])
    assert land["rows"][90] == [[180, 10]]  # lat 0-1: the whole outline, lon 0-10
    assert land["rows"][91] == [[180, 3], [187, 3]]  # lat 1-2: the lake (lon 3-7) stays open
    assert land["rows"][130] == [[220, 1]]  # the town far away counts too
    assert "countryinfo" in land["source"]
