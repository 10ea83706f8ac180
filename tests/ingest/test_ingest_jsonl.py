"""JSON Lines and JSON documents: fields, aliases, bad lines, streaming, and property tests."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsweave.ingest import read_inputs
from newsweave.model import ArticleInput, Rejected

TEXT = "Heavy shelling hit the outskirts of Dalvik overnight, wounding at least 9 people, medics said on Monday."


def read_all(*inputs: str | Path, **kwargs: object) -> list[ArticleInput | Rejected]:
    return list(read_inputs([str(item) for item in inputs], **kwargs))  # type: ignore[arg-type]


def write_lines(path: Path, *lines: object) -> Path:
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines), encoding="utf-8"
    )
    return path


def test_jsonl_fixture_reads_every_line_once(fixtures: Path) -> None:
    path = fixtures / "reports.jsonl"
    records = read_all(path)
    by_origin = {(r.origin if isinstance(r, ArticleInput) else r.item): r for r in records}
    assert sorted(by_origin) == sorted(f"{path}:{n}" for n in (1, 2, 3, 4, 5, 7))
    first = by_origin[f"{path}:1"]
    assert isinstance(first, ArticleInput)
    assert (first.external_id, first.title, first.source, first.url, first.published) == (
        "a1",
        "Marrow Valley floods",
        "Valley Courier",
        "https://courier.example/flood",
        "2021-04-06",
    )
    second = by_origin[f"{path}:2"]
    assert isinstance(second, ArticleInput)
    assert second.external_id == "2"  # numbers become strings
    assert second.published == "2021-04-07T09:30:00Z"
    assert second.text.startswith("Officials in Lintford")  # "content" is an alias of "text"
    german = by_origin[f"{path}:5"]
    assert isinstance(german, ArticleInput) and german.language == "de"  # "body" alias, language flagged
    html = by_origin[f"{path}:7"]
    assert isinstance(html, ArticleInput)
    assert "lifted the overnight curfew" in html.text and "<p>" not in html.text
    assert html.title == "Curfew lifted"


def test_jsonl_invalid_line_is_rejected_with_line_number(fixtures: Path) -> None:
    path = fixtures / "reports.jsonl"
    rejected = [r for r in read_all(path) if isinstance(r, Rejected)]
    assert [(r.item, r.reason.split(":")[0]) for r in rejected] == [
        (f"{path}:3", "invalid JSON"),
        (f"{path}:4", "no text"),
    ]


def test_jsonl_rejects_wrong_types_and_empty_text(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "bad.jsonl",
        {"text": 42},
        {"text": "   "},
        [1, 2],
        "null",
        {"html": "<html><body><script>x()</script></body></html>"},
        {"text": TEXT},
    )
    records = read_all(path)
    reasons = [r.reason if isinstance(r, Rejected) else "ok" for r in records]
    assert reasons == [
        "field 'text' is a number, not a string",
        "empty text",
        "not a JSON object (got an array)",
        "not a JSON object (got null)",
        "no article text found in the HTML",
        "ok",
    ]


def test_jsonl_prefers_non_empty_text_alias(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "alias.jsonl",
        {
            "text": "",
            "body": TEXT,
            "headline": "Shelling in Dalvik",
            "outlet": "Dalvik Post",
            "date": "2024-03-04T06:00:00+02:00",
        },
    )
    [article] = read_all(path)
    assert isinstance(article, ArticleInput)
    assert (article.text, article.title, article.source) == (TEXT, "Shelling in Dalvik", "Dalvik Post")
    assert article.published == "2024-03-04T06:00:00+02:00"


def test_jsonl_source_falls_back_to_url_host(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "host.jsonl", {"text": TEXT, "url": "https://www.dalvik-post.example/a/1"})
    [article] = read_all(path)
    assert isinstance(article, ArticleInput) and article.source == "dalvik-post.example"


def test_jsonl_unparseable_published_falls_back_to_default(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "date.jsonl", {"text": TEXT, "published": "sometime last spring"})
    [article] = read_all(path, published="2024-05-01")
    assert isinstance(article, ArticleInput) and article.published == "2024-05-01"


def test_jsonl_gzip_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for index in range(3):
            handle.write(json.dumps({"id": str(index), "text": TEXT}) + "\n")
    records = read_all(path)
    assert [r.origin for r in records if isinstance(r, ArticleInput)] == [f"{path}:{n}" for n in (1, 2, 3)]


def test_jsonl_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    payload = gzip.compress("".join(json.dumps({"id": str(i), "text": TEXT}) + "\n" for i in range(200)).encode())
    path.write_bytes(payload[: len(payload) // 2])
    records = read_all(path)
    assert isinstance(records[0], ArticleInput)
    assert isinstance(records[-1], Rejected)
    assert "could not be read to the end" in records[-1].reason


def test_jsonl_long_line_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "long.jsonl", {"text": TEXT * 100}, {"text": TEXT})
    records = read_all(path, max_bytes=2000)
    assert isinstance(records[0], Rejected) and records[0].item == f"{path}:1"
    assert "longer than the limit" in records[0].reason
    assert isinstance(records[1], ArticleInput) and records[1].origin == f"{path}:2"


def test_jsonl_file_larger_than_max_bytes_is_still_streamed(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "many.jsonl", *({"id": str(i), "text": TEXT} for i in range(50)))
    records = read_all(path, max_bytes=1000)
    assert len(records) == 50 and all(isinstance(r, ArticleInput) for r in records)


def test_jsonl_huge_file_is_not_loaded_into_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    line = json.dumps({"text": TEXT + " " + "Further details were not immediately available. " * 400}) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(200):
            handle.write(line)
    size = path.stat().st_size
    assert size > 3_500_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_inputs([str(path)], max_bytes=size // 4))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200
    assert peak < size // 4


def test_jsonl_binary_file_is_rejected_once(tmp_path: Path) -> None:
    path = tmp_path / "blob.jsonl"
    path.write_bytes(b"\x00\x01\x02{\n" * 1000)
    [rejection] = read_all(path)
    assert isinstance(rejection, Rejected) and "binary" in rejection.reason


def test_jsonl_stray_nul_byte_only_rejects_its_line(tmp_path: Path) -> None:
    path = tmp_path / "stray.jsonl"
    good = json.dumps({"text": TEXT}).encode()
    path.write_bytes(good + b"\n" + b'{"text": "a\x00b"}\n' + good + b"\n")
    records = read_all(path)
    assert [type(r).__name__ for r in records] == ["ArticleInput", "Rejected", "ArticleInput"]
    assert "NUL" in records[1].reason  # type: ignore[union-attr]


def test_jsonl_utf16_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes((json.dumps({"text": TEXT}, ensure_ascii=False) + "\n").encode("utf-16"))
    [article] = read_all(path)
    assert isinstance(article, ArticleInput) and article.text == TEXT


def test_jsonl_non_utf8_line_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.jsonl"
    text = "Les pompiers de Genève ont évacué 40 résidents après l'incendie, a déclaré la préfecture."
    path.write_bytes(json.dumps({"text": text}, ensure_ascii=False).encode("cp1252") + b"\n")
    [article] = read_all(path)
    assert isinstance(article, ArticleInput) and "évacué 40 résidents" in article.text


def test_json_array_items_are_numbered(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": "p", "text": TEXT}, {"title": "no text"}, "oops"]), encoding="utf-8")
    records = read_all(path)
    assert isinstance(records[0], ArticleInput) and records[0].origin == f"{path}[0]"
    assert [(r.item, r.reason) for r in records[1:] if isinstance(r, Rejected)] == [
        (f"{path}[1]", "no text: the object has no 'text' (or 'content', 'body', 'html') field"),
        (f"{path}[2]", "not a JSON object (got a string)"),
    ]


def test_json_object_with_articles_list_and_single_object(tmp_path: Path) -> None:
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"articles": [{"text": TEXT}, {"text": TEXT + " Update."}]}), encoding="utf-8")
    single = tmp_path / "single.json"
    single.write_text(json.dumps({"text": TEXT, "id": "only"}), encoding="utf-8")
    records = read_all(wrapped, single)
    assert [r.origin for r in records if isinstance(r, ArticleInput)] == [f"{wrapped}[0]", f"{wrapped}[1]", str(single)]


def test_json_file_holding_json_lines_is_read_as_lines(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "lines.json", {"text": TEXT}, "{broken", {"text": TEXT})
    records = read_all(path)
    assert [type(r).__name__ for r in records] == ["ArticleInput", "Rejected", "ArticleInput"]
    assert records[1].item == f"{path}:2"  # type: ignore[union-attr]


def test_json_invalid_document_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"text": "unterminated', encoding="utf-8")
    [rejection] = read_all(path)
    assert isinstance(rejection, Rejected) and rejection.reason.startswith("invalid JSON")


def test_json_empty_array_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text("[]", encoding="utf-8")
    [rejection] = read_all(path)
    assert isinstance(rejection, Rejected) and "empty" in rejection.reason


# --- properties -------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
records = st.fixed_dictionaries(
    {"text": st.text(max_size=200)},
    optional={
        "id": st.text(max_size=10) | st.integers(),
        "title": st.text(max_size=30),
        "published": st.text(max_size=30),
        "source": st.text(max_size=20),
        "url": st.text(max_size=30),
    },
)
lines = st.one_of(
    records.map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=80).map(lambda text: text.replace("\n", " ")),
).filter(lambda line: "\x00" not in line)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_jsonl_never_raises_on_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    for record in read_inputs([str(path)]):
        assert isinstance(record, ArticleInput | Rejected)
        if isinstance(record, Rejected):
            assert record.item.startswith(str(path)) and record.reason


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.lists(lines, max_size=12))
def test_jsonl_every_line_is_an_article_or_a_rejection(tmp_path: Path, content: list[str]) -> None:
    path = tmp_path / "prop.jsonl"
    path.write_bytes("".join(line + "\n" for line in content).encode("utf-8", "surrogatepass"))
    expected = [f"{path}:{n}" for n, line in enumerate(content, start=1) if line.strip(" \t\r\x0b\x0c")]
    got = [r.origin if isinstance(r, ArticleInput) else r.item for r in read_inputs([str(path)])]
    assert got == expected
