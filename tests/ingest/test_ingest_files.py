"""Plain text, Markdown, folders, decoding and the bad-file cases."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsweave.ingest import read_inputs
from newsweave.model import ArticleInput, Rejected

REPORT = (
    "Officials in the town of Carrow said on Thursday that 23 people had been injured when a gas "
    "cylinder exploded at a crowded market. Firefighters brought the blaze under control within an hour."
)


def read_all(*inputs: str | Path, **kwargs: object) -> list[ArticleInput | Rejected]:
    return list(read_inputs([str(item) for item in inputs], **kwargs))  # type: ignore[arg-type]


def only_article(records: list[ArticleInput | Rejected]) -> ArticleInput:
    assert len(records) == 1, records
    record = records[0]
    assert isinstance(record, ArticleInput), record
    return record


def only_rejection(records: list[ArticleInput | Rejected]) -> Rejected:
    assert len(records) == 1, records
    record = records[0]
    assert isinstance(record, Rejected), record
    assert record.stage == "ingest"
    return record


def test_read_inputs_plain_text_takes_first_line_as_title(fixtures: Path) -> None:
    path = fixtures / "harbour-fire.txt"
    article = only_article(read_all(path))
    assert article.title == "Fire at Port Veldra grain terminal"
    assert article.text.startswith("A fire broke out at the grain terminal")
    assert "Fire at Port Veldra" not in article.text
    assert article.origin == str(path)
    assert article.language == "en"


def test_read_inputs_plain_text_keeps_sentence_first_line_in_text(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT.replace(". ", ".\n"), encoding="utf-8")
    article = only_article(read_all(path))
    assert article.title is None
    assert article.text.startswith("Officials in the town of Carrow")


def test_read_inputs_single_line_text_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("Clashes reported near the northern border crossing overnight", encoding="utf-8")
    article = only_article(read_all(path))
    assert article.title is None
    assert article.text == "Clashes reported near the northern border crossing overnight"


def test_read_inputs_markdown_title_loses_heading_marks(fixtures: Path) -> None:
    article = only_article(read_all(fixtures / "bridge-collapse.md"))
    assert article.title == "Bridge collapses in Oster Vale"
    assert "#" not in article.text


def test_read_inputs_folder_is_read_recursively_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(REPORT + " First.", encoding="utf-8")
    nested = tmp_path / "later" / "deeper"
    nested.mkdir(parents=True)
    (nested / "c.txt").write_text(REPORT + " Nested.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(REPORT, encoding="utf-8")
    records = read_all(tmp_path)
    assert [Path(r.origin).name for r in records if isinstance(r, ArticleInput)] == ["a.txt", "b.txt", "c.txt"]
    assert not [r for r in records if isinstance(r, Rejected)]


def test_read_inputs_folder_reports_unsupported_files_and_reads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "README").write_text("no extension", encoding="utf-8")
    records = read_all(tmp_path)
    articles = [r for r in records if isinstance(r, ArticleInput)]
    rejected = {Path(r.item).name: r.reason for r in records if isinstance(r, Rejected)}
    assert len(articles) == 1
    assert set(rejected) == {"scan.pdf", "README"}
    assert "unsupported file type '.pdf'" in rejected["scan.pdf"]
    assert rejected["scan.pdf"].startswith("skipped")


def test_read_inputs_folder_mixes_every_kind(fixtures: Path) -> None:
    records = read_all(fixtures)
    origins = {r.origin for r in records if isinstance(r, ArticleInput)}
    assert any(origin.endswith("harbour-fire.txt") for origin in origins)
    assert any(origin.endswith("page.html") for origin in origins)
    assert any(origin.endswith("reports.jsonl:1") for origin in origins)
    assert "https://gazette.example/school" in origins
    assert any(isinstance(r, Rejected) and r.item.endswith("broken.rss") for r in records)


def test_read_inputs_missing_path_is_rejected(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    rejection = only_rejection(read_all(missing))
    assert rejection.item == str(missing)
    assert "no such file" in rejection.reason


def test_read_inputs_missing_path_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    records = read_all(tmp_path / "missing.txt", good)
    assert isinstance(records[0], Rejected)
    assert isinstance(records[1], ArticleInput)


def test_read_inputs_binary_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")
    rejection = only_rejection(read_all(path))
    assert "binary" in rejection.reason


def test_read_inputs_control_characters_are_rejected_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 9)) * 40)
    assert "binary" in only_rejection(read_all(path)).reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_read_inputs_decodes_unicode_with_byte_order_marks(tmp_path: Path, encoding: str) -> None:
    text = "Évacuation à Saint-Brévin\n\n" + REPORT
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    article = only_article(read_all(path))
    assert article.title == "Évacuation à Saint-Brévin"
    assert article.text == REPORT


def test_read_inputs_detects_legacy_single_byte_encoding(tmp_path: Path) -> None:
    text = (
        "Les secours de la région de Genève ont évacué 300 habitants après l'éboulement, a déclaré "
        "la préfecture. Les dégâts sont considérables, selon les pompiers de la commune."
    )
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("cp1252"))
    article = only_article(read_all(path))
    assert "évacué 300 habitants" in article.text
    assert article.language == "fr"


def test_read_inputs_file_over_size_limit_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(REPORT * 20, encoding="utf-8")
    rejection = only_rejection(read_all(path, max_bytes=1000))
    assert "over the limit of 1000 bytes" in rejection.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty text"),
        ("   \n\n\t  \n", "empty text"),
        ("Share this article\nSubscribe to our newsletter for daily updates\n", "empty text after cleaning"),
    ],
)
def test_read_inputs_empty_article_is_rejected(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(content, encoding="utf-8")
    assert only_rejection(read_all(path)).reason == reason


def test_read_inputs_defaults_fill_files_without_metadata(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    article = only_article(read_all(path, source="Carrow Herald", published="14 March 2025"))
    assert article.source == "Carrow Herald"
    assert article.published == "2025-03-14"


def test_read_inputs_defaults_do_not_override_own_metadata(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(
        json.dumps({"text": REPORT, "source": "Own Outlet", "published": "2024-01-02"}) + "\n", encoding="utf-8"
    )
    article = only_article(read_all(path, source="Default Outlet", published="2025-03-14"))
    assert article.source == "Own Outlet"
    assert article.published == "2024-01-02"


def test_read_inputs_rejects_unusable_published_argument_before_reading() -> None:
    with pytest.raises(ValueError, match="not a date"):
        read_inputs(["whatever.txt"], published="next tuesday-ish")


def test_read_inputs_sniffs_explicit_file_without_known_extension(tmp_path: Path) -> None:
    path = tmp_path / "export"
    path.write_text(json.dumps([{"id": "x1", "text": REPORT}]), encoding="utf-8")
    article = only_article(read_all(path))
    assert article.external_id == "x1"
    assert article.origin == f"{path}[0]"


def test_read_inputs_empty_input_name_is_rejected() -> None:
    assert "empty input name" in only_rejection(read_all("")).reason


def test_read_inputs_is_lazy_generator(tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"{index}.txt").write_text(REPORT, encoding="utf-8")
    iterator = read_inputs([str(tmp_path)])
    first = next(iterator)
    assert isinstance(first, ArticleInput)
    (tmp_path / "2.txt").unlink()  # read after the first item was handed out: the reader has not read it yet
    rest = list(iterator)
    assert [type(r).__name__ for r in rest] == ["ArticleInput", "Rejected"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable folders anyway")
def test_read_inputs_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(REPORT, encoding="utf-8")
    locked.chmod(0)
    try:
        records = read_all(tmp_path)
    finally:
        locked.chmod(0o755)
    assert isinstance(records[0], ArticleInput)
    assert any(isinstance(r, Rejected) and "cannot read folder" in r.reason for r in records)


def test_read_inputs_folder_errors_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_walk(top: object, onerror: Callable[[OSError], None], **kwargs: object) -> Iterator[object]:
        onerror(PermissionError(13, "Permission denied", str(top)))
        return iter(())

    monkeypatch.setattr(os, "walk", failing_walk)
    rejection = only_rejection(read_all(tmp_path))
    assert rejection.item == str(tmp_path)
    assert rejection.reason == "cannot read folder: Permission denied"
