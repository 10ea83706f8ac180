"""The dossier and the exports of the invented demo corpus: golden files, and every format parses back.

Refresh the golden files only on purpose: `pytest tests/report --update-golden`, then read the diff.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import pytest

from newsweave.export import export_json
from newsweave.pipeline import ingest
from newsweave.report.dossier import build_dossier, render_html, render_markdown
from newsweave.report.exports import ACLED_COLUMNS, FIGURE_COLUMNS, UCDP_COLUMNS, render
from newsweave.settings import Settings
from newsweave.store import Store, open_store

GOLDEN = Path(__file__).parent / "golden"
DEMO = str(resources.files("newsweave") / "demo" / "corpus.jsonl")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = open_store(str(tmp_path_factory.mktemp("dossier") / "demo.db"))
    ingest(s, [DEMO], Settings())
    return s


@pytest.fixture(scope="module")
def dossier(store: Store) -> dict[str, object]:
    biggest = max(store.stories(), key=lambda s: (len(s.article_ids), s.id))
    return build_dossier(store, biggest.id)


def check_golden(name: str, text: str, request: pytest.FixtureRequest) -> None:
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run pytest tests/report --update-golden"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed: refresh with --update-golden if intended"


def test_dossier_markdown_matches_golden(dossier: dict[str, object], request: pytest.FixtureRequest) -> None:
    check_golden("demo-dossier.md", render_markdown(dossier), request)


def test_dossier_html_matches_golden(dossier: dict[str, object], request: pytest.FixtureRequest) -> None:
    check_golden("demo-dossier.html", render_html(dossier), request)


def test_dossier_json_matches_golden(dossier: dict[str, object], request: pytest.FixtureRequest) -> None:
    check_golden("demo-dossier.json", json.dumps(dossier, indent=1, ensure_ascii=False) + "\n", request)


def test_dossier_every_summary_sentence_cites_articles(dossier: dict[str, object]) -> None:
    summary = dossier["summary"]
    assert isinstance(summary, list) and summary
    labels = {a["label"] for a in dossier["sources"]["articles"]}  # type: ignore[index]
    for sentence in summary:
        assert sentence["cites"] and set(sentence["cites"]) <= labels


def test_dossier_flood_story_tracks_versions_and_copies(dossier: dict[str, object]) -> None:
    sources = dossier["sources"]
    relations = {v["relation"] for v in sources["versions"]}  # type: ignore[index]
    assert {"version", "exact"} <= relations or {"version", "near_duplicate"} <= relations
    assert sources["independent_origins"] < len(sources["articles"])  # type: ignore[index]


def test_dossier_html_escapes_untrusted_text(store: Store) -> None:
    from newsweave.model import ArticleInput
    from newsweave.pipeline import store_inputs

    hostile = '<script>alert("x")</script> Officials said <img src=x onerror=alert(1)> 3 people died.'
    store_inputs(store, [ArticleInput(text=hostile, origin="hostile", title="<b onmouseover=alert(1)>Hi</b>")])
    from newsweave.pipeline import analyse

    analyse(store)
    for s in store.stories():
        page = render_html(build_dossier(store, s.id))
        assert "<script>" not in page and "<img" not in page and "<b " not in page


def test_exports_parse_back(store: Store) -> None:
    data = export_json(store)
    figures = list(csv.DictReader(io.StringIO(render(data, "figures-csv"))))
    assert figures and list(figures[0]) == FIGURE_COLUMNS
    assert len(figures) == len(data["figures"])
    acled = list(csv.DictReader(io.StringIO(render(data, "acled"))))
    assert list(acled[0]) == ACLED_COLUMNS if acled else True
    ucdp = list(csv.DictReader(io.StringIO(render(data, "ucdp"))))
    assert ucdp and list(ucdp[0]) == UCDP_COLUMNS
    geo = json.loads(render(data, "geojson"))
    assert geo["type"] == "FeatureCollection" and geo["features"]
    for feature in geo["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90 and feature["type"] == "Feature"
    for line in render(data, "plover").splitlines():
        event = json.loads(line)
        assert event["event_type"] and "location" in event


def test_dossier_as_of_shows_only_what_was_known(store: Store) -> None:
    biggest = max(store.stories(), key=lambda s: (len(s.article_ids), s.id))
    early = build_dossier(store, biggest.id, as_of="2025-03-14T09:00:00+00:00")
    assert [a["published"] for a in early["sources"]["articles"]] == ["2025-03-14T08:10:00Z"]
