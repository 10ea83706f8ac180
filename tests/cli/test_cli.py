"""The command line end to end, on the invented demo corpus and on hand-made bad inputs."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.export import EXPORT_KEYS

DEMO = str(resources.files("newsweave") / "demo" / "corpus.jsonl")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    code, _, err = run("--db", db, "ingest", DEMO)
    assert code == 0, err
    return db


def test_cli_export_has_every_contract_key_and_caller_ids(demo_db: str) -> None:
    code, out, _ = run("--db", demo_db, "export", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(EXPORT_KEYS) <= set(data)
    ext = sorted(a["external_id"] for a in data["articles"])
    assert ext == [f"demo-0{i}" for i in range(1, 9)]
    for a in data["articles"]:
        assert {"id", "external_id", "source", "title", "published"} <= set(a)
        assert isinstance(a["id"], str)


def test_cli_ingest_twice_stores_nothing_new(demo_db: str) -> None:
    before = json.loads(run("--db", demo_db, "export")[1])
    code, out, _ = run("--db", demo_db, "--json", "ingest", DEMO)
    assert code == 0
    summary = json.loads(out)
    assert summary["added"] == 0 and summary["already_stored"] == 8
    after = json.loads(run("--db", demo_db, "export")[1])

    def strip(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in r.items() if k != "ingested_at"} for r in rows]

    for key in ("articles", "duplicates", "stories", "figures", "claims", "reconciliations", "contradictions"):
        assert strip(after[key]) == strip(before[key]), key


def test_cli_bad_lines_are_reported_skipped_and_exit_nonzero(tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    src.write_text(
        '{"id": "1", "text": "Police said two people were injured in the blast on Monday."}\n'
        "{not json\n"
        '{"id": "3", "title": "no text here"}\n'
        '{"id": "4", "text": "Firefighters rescued five residents from a burning building."}\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "s.db")
    code, _, err = run("--db", db, "ingest", str(src))
    assert code == 1
    assert "mixed.jsonl:2" in err and "mixed.jsonl:3" in err
    data = json.loads(run("--db", db, "export")[1])
    assert sorted(a["external_id"] for a in data["articles"]) == ["1", "4"]
    assert {r["item"] for r in data["rejected"]} >= {f"{src}:2", f"{src}:3"}


def test_cli_search_finds_words_with_snippet(demo_db: str) -> None:
    code, out, _ = run("--db", demo_db, "--json", "search", "dock workers")
    assert code == 0
    hits = json.loads(out)
    assert hits and all("strike" in (h["title"] or "").lower() for h in hits)


def test_cli_stats_counts(demo_db: str) -> None:
    counts = json.loads(run("--db", demo_db, "--json", "stats")[1])
    assert counts["articles"] == 8 and counts["stories"] >= 2


def test_cli_unknown_setting_is_a_clean_error(tmp_path: Path) -> None:
    code, _, err = run("--db", str(tmp_path / "x.db"), "stats", env={"NEWSWEAVE_DATABSE": "x"})
    assert code == 2 and "NEWSWEAVE_DATABSE" in err and "Traceback" not in err


def test_cli_missing_story_is_a_clean_error(demo_db: str) -> None:
    code, _, err = run("--db", demo_db, "dossier", "no-such-story")
    assert code == 3 and "no story" in err


def test_cli_bad_published_option_is_rejected(tmp_path: Path) -> None:
    code, _, err = run("--db", str(tmp_path / "x.db"), "ingest", "--published", "yesterday", DEMO)
    assert code == 2 and "ISO 8601" in err


def test_cli_every_command_and_setting_is_documented_in_readme() -> None:
    from newsweave.settings import SETTINGS_HELP

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"`{name}" in readme, f"command {name!r} is not in README's command table"
    code, out, _ = run("--json", "settings")
    assert code == 0 and set(json.loads(out)) == set(SETTINGS_HELP)
