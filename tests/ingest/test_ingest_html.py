"""HTML files: main text, title, site name and date; hostile markup never reaches the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsweave.ingest import read_inputs
from newsweave.ingest.html import fragment_to_text
from newsweave.model import ArticleInput, Rejected


def read_one(path: Path, **kwargs: object) -> ArticleInput | Rejected:
    records = list(read_inputs([str(path)], **kwargs))  # type: ignore[arg-type]
    assert len(records) == 1, records
    return records[0]


def test_html_file_gives_main_text_title_site_and_date(fixtures: Path) -> None:
    article = read_one(fixtures / "page.html")
    assert isinstance(article, ArticleInput)
    assert article.title == "Landslide blocks Halden pass road"
    assert article.source == "The Northern Ledger"
    assert article.published == "2021-02-14"
    assert "cutting off three mountain villages" in article.text
    assert "Privacy policy" not in article.text  # page furniture is not article text
    assert article.language == "en"


def test_html_page_date_wins_over_default_and_default_fills_undated_page(fixtures: Path, tmp_path: Path) -> None:
    dated = read_one(fixtures / "page.html", published="2020-01-01", source="Fallback")
    assert isinstance(dated, ArticleInput)
    assert (dated.published, dated.source) == ("2021-02-14", "The Northern Ledger")
    undated = tmp_path / "undated.html"
    undated.write_text(
        "<html><body><article><p>" + "Rescue teams reached the village of Osterby late on "
        "Tuesday after the road was cleared, officials said. " * 3 + "</p></article></body></html>",
        encoding="utf-8",
    )
    article = read_one(undated, published="2020-01-01", source="Fallback")
    assert isinstance(article, ArticleInput)
    assert (article.published, article.source) == ("2020-01-01", "Fallback")


MARKERS = ("INJECTED", "alert(", "document.cookie", "javascript:", "onclick", "onerror", "<script", "<iframe")


def test_html_hostile_markup_never_reaches_text(fixtures: Path) -> None:
    article = read_one(fixtures / "hostile.html")
    assert isinstance(article, ArticleInput)
    assert "breached the harbour wall in Kettering Bay" in article.text
    assert "neighbouring port of Ashby" in article.text
    for marker in MARKERS:
        assert marker not in article.text
        assert marker not in (article.title or "")


def test_html_hostile_markup_in_jsonl_html_field_never_reaches_text(fixtures: Path, tmp_path: Path) -> None:
    html = (fixtures / "hostile.html").read_text(encoding="utf-8")
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps({"id": "h", "html": html}) + "\n", encoding="utf-8")
    article = read_one(path)
    assert isinstance(article, ArticleInput)
    assert "Kettering Bay" in article.text
    assert not [marker for marker in MARKERS if marker in article.text]


def test_html_short_page_falls_back_to_visible_text_without_scripts(tmp_path: Path) -> None:
    path = tmp_path / "short.htm"
    path.write_text(
        "<html><head><script>alert('INJECTED')</script></head><body><p>Two ferries collided "
        "off Tarn Head.</p><iframe>INJECTED</iframe></body></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert isinstance(article, ArticleInput)
    assert "Two ferries collided off Tarn Head." in article.text
    assert "INJECTED" not in article.text


@pytest.mark.parametrize(
    "markup", ["<html><body></body></html>", "<html><body><script>x()</script></body></html>", "   "]
)
def test_html_without_text_is_rejected(tmp_path: Path, markup: str) -> None:
    path = tmp_path / "blank.html"
    path.write_text(markup, encoding="utf-8")
    record = read_one(path)
    assert isinstance(record, Rejected)
    assert "no article text" in record.reason or "empty" in record.reason


def test_html_binary_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "image.html"
    path.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    record = read_one(path)
    assert isinstance(record, Rejected) and "binary" in record.reason


def test_html_file_over_size_limit_is_rejected(fixtures: Path) -> None:
    record = read_one(fixtures / "page.html", max_bytes=100)
    assert isinstance(record, Rejected) and "over the limit" in record.reason


def test_html_legacy_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "latin.html"
    body = (
        '<html><head><meta charset="iso-8859-1"><title>Crue à Genève</title></head><body><article><p>'
        + "Les pompiers de Genève ont évacué 80 résidents après la crue du Rhône, selon la préfecture. " * 3
        + "</p></article></body></html>"
    )
    path.write_bytes(body.encode("iso-8859-1"))
    article = read_one(path)
    assert isinstance(article, ArticleInput)
    assert "évacué 80 résidents" in article.text
    assert article.language == "fr"


def test_fragment_to_text_drops_hidden_elements_and_breaks_blocks() -> None:
    fragment = (
        "<p>First <b>bold</b> line.</p><script>bad()</script><style>p{}</style>"
        '<div onclick="x()">Second line</div><iframe>frame text</iframe><br>Third &amp; last'
    )
    assert fragment_to_text(fragment) == "First bold line.\nSecond line\nThird & last"


def test_fragment_to_text_survives_broken_markup() -> None:
    assert fragment_to_text("<p>Open <b>unclosed <script>never closed") == "Open unclosed"


def test_html_page_wrapped_in_a_form_keeps_its_text(tmp_path: Path) -> None:
    path = tmp_path / "webforms.html"
    path.write_text(
        "<html><body><form action='/post'><article><p>" + "Crews restored the water supply to "
        "the eastern districts of Marlow on Sunday, the utility said. "
        * 3
        + "</p></article><button>INJECTED-BUTTON</button></form></body></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert isinstance(article, ArticleInput)
    assert "restored the water supply" in article.text
    assert "INJECTED" not in article.text


def test_html_json_ld_metadata_is_used_but_never_text(tmp_path: Path) -> None:
    path = tmp_path / "jsonld.html"
    path.write_text(
        '<html><head><script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"NewsArticle", "headline": "Quake shakes Ardent Bay", "datePublished": "2023-06-05T04:10:00Z", '
        '"publisher": {"@type": "Organization", "name": "Bay Observer"}}</script></head><body><article><p>'
        + "A magnitude 5.1 earthquake shook Ardent Bay before dawn on Monday, damaging older buildings, "
        "the seismology office said. " * 3 + "</p></article></body></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert isinstance(article, ArticleInput)
    assert article.published == "2023-06-05"
    assert "@context" not in article.text and "NewsArticle" not in article.text
