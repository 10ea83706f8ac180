"""Geometry for the gazetteer build: reference points of areas from their towns or outlines.

Admin areas carry no coordinates in our packages: an admin1 area's point comes from the share of its
country's outline nearest its towns (:func:`admin_centres`), a smaller area's from the towns inside it
(:func:`area_centre`, :func:`cell_centre`); a country's from ``countryinfo``'s published point checked
against its outline (:func:`country_point`). See :mod:`newsweave.gazetteer` for the rules in short.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

__all__ = ["admin_centres", "area_centre", "cell_centre", "country_point", "distance_km"]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(min(1.0, a)))


def cell_centre(points: list[tuple[float, float]], size: float = 0.5) -> tuple[float, float]:
    """Mean of the cells the points occupy (an area centroid), trimmed of the 3 % outermost cells."""
    cells = sorted({(math.floor(a / size), math.floor(b / size)) for a, b in points})
    centres = [((i + 0.5) * size, (j + 0.5) * size) for i, j in cells]
    if len(centres) >= 10:
        lats = sorted(c[0] for c in centres)
        lons = sorted(c[1] for c in centres)
        k = int(len(centres) * 0.03)
        lat_lo, lat_hi, lon_lo, lon_hi = lats[k], lats[-k - 1], lons[k], lons[-k - 1]
        kept = [c for c in centres if lat_lo <= c[0] <= lat_hi and lon_lo <= c[1] <= lon_hi]
        centres = kept or centres
    if len(centres) == 1 and len(points) <= 3:
        return statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points)
    return statistics.fmean(c[0] for c in centres), statistics.fmean(c[1] for c in centres)


def _convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull of (lat, lon) points as a lon/lat ring (monotone chain), counter-clockwise."""
    pts = sorted({(p[1], p[0]) for p in points})
    if len(pts) < 3:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _main_cluster(points: list[tuple[float, float]], link_km: float = 500.0) -> list[tuple[float, float]]:
    """The points of the largest group of 1-degree cells chained by gaps under ``link_km``.

    Drops towns filed under the wrong area (a cluster far away) while keeping a sparse but connected
    hinterland (northern Ontario's towns along the highways).
    """
    cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for p in points:
        cells[(math.floor(p[0]), math.floor(p[1]))].append(p)
    keys = list(cells)
    parent = {k: k for k in keys}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    rows = math.ceil(link_km / 111.0) + 1
    for i, j in keys:
        cols = min(180, math.ceil(rows / max(0.05, math.cos(math.radians(min(89.0, abs(i) + 1))))))
        for di in range(-rows, rows + 1):
            for dj in range(-cols, cols + 1):
                other = (i + di, j + dj)
                if other not in cells or find(other) == find((i, j)):
                    continue
                if distance_km(i + 0.5, j + 0.5, other[0] + 0.5, other[1] + 0.5) <= link_km:
                    parent[find(other)] = find((i, j))
    groups: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for k, pts in cells.items():
        groups[find(k)].extend(pts)
    return max(groups.values(), key=len)


def area_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """An area's centre from the towns inside it: the centroid of the convex hull of its main cluster.

    Towns crowd where people live (southern Ontario, the Queensland coast), so their mean drifts
    there; the hull of the main cluster stands for the area's outline and its centroid for the
    area's reference point, which is where gazetteers put admin areas (near the geographic centre).
    Falls back to :func:`cell_centre` for areas with too few towns to draw a hull.
    """
    if len(points) < 10:
        return cell_centre(points)
    main = _main_cluster(points)
    ring = _convex_hull(main)
    if len(ring) < 3:
        return cell_centre(points)
    c = _ring_area_centroid([[x, y] for x, y in ring])
    if c is None or c[0] < 0.01:  # towns in a line or a single spot: no area to speak of
        return cell_centre(main)
    return c[1], c[2]


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float] | None:
    """Signed-area centroid of a lon/lat ring: (|area|, lat, lon)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if area == 0:
        return None
    return abs(area / 2), cy / (3 * area), cx / (3 * area)


def _sampled(ring: list[list[float]], most: int = 120) -> list[list[float]]:
    return ring[:: max(1, len(ring) // most)]


def _contiguous_landmass(
    parts: list[tuple[float, float, float, list[list[float]]]], gap_km: float = 300.0
) -> tuple[float, float, float]:
    """The largest polygon plus every polygon within ``gap_km`` of it (chains of near islands).

    Returns (share of the whole area, lat, lon): detached territories (Alaska, Hawaii) stay out while
    adjacent archipelagos (Canada's Arctic) count.
    """
    ordered = sorted(parts, key=lambda p: -p[0])
    cluster, rest = [ordered[0]], ordered[1:]
    grown = True
    while grown and rest:
        grown = False
        for part in list(rest):
            near = any(
                distance_km(a[1], a[0], b[1], b[0]) < gap_km
                for member in cluster
                for a in _sampled(member[3], 60)
                for b in _sampled(part[3], 30)
            )
            if near:
                cluster.append(part)
                rest.remove(part)
                grown = True

    def weight(p: tuple[float, float, float, list[list[float]]]) -> float:
        return p[0]  # planar lon/lat area, as the outlines are drawn

    total = sum(weight(p) for p in parts) or 1.0
    mass = sum(weight(p) for p in cluster) or 1.0
    lat = sum(weight(p) * p[1] for p in cluster) / mass
    lon = sum(weight(p) * p[2] for p in cluster) / mass
    return mass / total, lat, lon


def country_point(info: dict[str, Any]) -> tuple[float, float] | None:
    """A country's reference point: ``countryinfo``'s point, checked against its outline.

    The outline's contiguous landmass (main polygon and the islands near it) gives an area centroid.
    When that landmass holds 70-90 % of the area, large detached parts exist (Alaska) and the published
    point is pulled off: the centroid wins. Otherwise the published point and the centroid of the
    mainland (the largest polygon) are averaged when they are close (< 300 km), else the published point
    stays (long thin countries, whose centroid is a poor summary).
    """
    latlng = info.get("latlng")
    point = (float(latlng[0]), float(latlng[1])) if isinstance(latlng, list) and len(latlng) == 2 else None
    geo = info.get("geoJSON")
    if not isinstance(geo, dict):
        return point
    parts: list[tuple[float, float, float, list[list[float]]]] = []
    for polygon in _polygons(geo):
        if not polygon:
            continue
        ring = [list(x) for x in polygon[0]]
        c = _ring_area_centroid(ring)
        if c:
            parts.append((c[0], c[1], c[2], ring))
    if not parts:
        return point
    share, lat, lon = _contiguous_landmass(parts)
    if point is None or 0.7 <= share < 0.9:
        return lat, lon
    # blend with the mainland (largest polygon) alone: near islands (Tasmania) shift an area's
    # centroid off where atlases put the country
    _, lat, lon, _ = max(parts, key=lambda p: p[0])
    if distance_km(point[0], point[1], lat, lon) < 300:
        return (point[0] + lat) / 2, (point[1] + lon) / 2
    return point


def _polygons(geo: dict[str, Any]) -> list[Any]:
    """The polygons (lists of rings) of a GeoJSON feature collection's Polygon and MultiPolygon features."""
    polygons: list[Any] = []
    for feature in geo.get("features") or ():
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") or []
        polygons.extend([coords] if geometry.get("type") == "Polygon" else coords)
    return polygons


def _outline_rings(geo: dict[str, Any]) -> list[list[list[float]]]:
    """Every ring (outer and holes) of a GeoJSON feature collection's (multi)polygons, as lon/lat lists."""
    return [[list(map(float, p[:2])) for p in ring] for polygon in _polygons(geo) for ring in polygon if len(ring) >= 3]


def _raster(rings: list[list[list[float]]], cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Centres (lat, lon arrays) of the grid cells inside the rings (even-odd rule), about ``cells`` of them.

    A scanline fill: each row's edge crossings, sorted, bound the runs of cells inside.
    """
    pts = np.array([p for ring in rings for p in ring])
    lon0, lat0 = pts.min(axis=0)
    lon1, lat1 = pts.max(axis=0)
    size = float(np.clip(math.sqrt(max((lon1 - lon0) * (lat1 - lat0), 1e-6) / cells), 0.01, 0.5))
    starts = np.concatenate([np.array(ring) for ring in rings])
    ends = np.concatenate([np.roll(np.array(ring), -1, axis=0) for ring in rings])
    x1, y1, x2, y2 = starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1]
    lats: list[np.ndarray] = []
    lons: list[np.ndarray] = []
    xs_grid = lon0 + (np.arange(math.ceil((lon1 - lon0) / size) + 1) + 0.5) * size
    y = lat0 + 0.5 * size
    while y < lat1:
        crossing = (y1 <= y) != (y2 <= y)
        if crossing.any():
            t = (y - y1[crossing]) / (y2[crossing] - y1[crossing])
            xs = np.sort(x1[crossing] + t * (x2[crossing] - x1[crossing]))
            # a cell centre is inside when an odd number of crossings lie left of it
            inside = np.searchsorted(xs, xs_grid) % 2 == 1
            if inside.any():
                lons.append(xs_grid[inside])
                lats.append(np.full(int(inside.sum()), y))
        y += size
    if not lats:
        return np.empty(0), np.empty(0)
    return np.concatenate(lats), np.concatenate(lons)


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def admin_centres(
    outline: dict[str, Any],
    towns: dict[str, list[tuple[float, float]]],
    *,
    cells: int = 20000,
    min_cells: int = 25,
    max_km: float = 500.0,
) -> dict[str, tuple[float, float]]:
    """Reference points of a country's admin areas from its outline and the towns filed under each area.

    The packages carry no outlines of admin areas, so the country's outline is split among them: each
    grid cell inside it goes to the area of its nearest town (a Voronoi tessellation of the towns,
    clipped by the coast and the borders), and an area's point is the centroid of its cells. Unlike the
    towns' own hull, this reaches the empty parts of large areas (northern Ontario, Cape York, the Alaskan
    interior), where gazetteers put these areas' points; a town filed under the wrong area only claims the
    cells around it. Areas with fewer than ``min_cells`` cells (small, or on islands the outline lacks) are
    left out: their towns' centre is the better estimate.
    """
    rings = _outline_rings(outline)
    # towns filed under the wrong area, far from the rest of it, would claim the empty land around them
    labelled = [(code, p) for code, pts in towns.items() for p in (_main_cluster(pts) if len(pts) >= 10 else pts)]
    if not rings or not labelled:
        return {}
    lat, lon = _raster(rings, cells)
    if lat.size == 0:
        return {}
    codes = [code for code, _ in labelled]
    town_xyz = _unit(np.array([p[0] for _, p in labelled]), np.array([p[1] for _, p in labelled]))
    cell_xyz = _unit(lat, lon)
    chord, nearest = cKDTree(town_xyz).query(cell_xyz)
    weight = np.cos(np.radians(lat))  # a cell's area shrinks towards the poles
    owner = np.array(codes, dtype=object)[nearest]
    # land far from every town of the country (Svalbard in Norway's outline) belongs to none of its areas
    owner[2 * np.arcsin(np.minimum(chord / 2, 1.0)) * 6371.0 > max_km] = None
    out: dict[str, tuple[float, float]] = {}
    for code in set(codes):
        mine = owner == code
        if int(mine.sum()) < min_cells:
            continue
        v = (cell_xyz[mine] * weight[mine, None]).sum(axis=0)
        out[code] = (
            math.degrees(math.atan2(v[2], math.hypot(v[0], v[1]))),
            math.degrees(math.atan2(v[1], v[0])),
        )
    return out
