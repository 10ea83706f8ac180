"""RSS/Atom feed files: entries from content or summary, link-only entries fetched, malformed feeds."""

from __future__ import annotations

from pathlib import Path

from ingest_http import LocalServer

from newsweave.ingest import read_inputs
from newsweave.model import ArticleInput, Rejected


def read_all(*inputs: str | Path, **kwargs: object) -> list[ArticleInput | Rejected]:
    return list(read_inputs([str(item) for item in inputs], **kwargs))  # type: ignore[arg-type]


def rss(*items: str, title: str = "Lowmoor Times") -> str:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://lowmoor.example/</link>{''.join(items)}</channel></rss>"
    )


PAGE = (
    "<html><head><title>Dam inspection ordered | Lowmoor Times</title>"
    "<meta property='og:site_name' content='Lowmoor Times Online'></head><body><article><p>"
    + "Engineers ordered an urgent inspection of the Lowmoor dam after cracks were found in its spillway, "
    "the water board said on Monday. " * 3 + "</p></article></body></html>"
)


def test_feed_rss_entries_use_summary_and_feed_metadata(fixtures: Path) -> None:
    records = read_all(fixtures / "feed.rss")
    assert len(records) == 2 and all(isinstance(r, ArticleInput) for r in records)
    first, second = records
    assert isinstance(first, ArticleInput) and isinstance(second, ArticleInput)
    assert first.title == "Power restored in Eastbrook after storm"
    assert first.source == "Eastbrook Gazette"
    assert first.url == first.origin == "https://gazette.example/power-restored"
    assert first.published == "2021-03-11T18:05:00Z"
    assert "9,000 homes" in first.text
    assert "INJECTED" not in first.text and "alert(" not in first.text and "<p>" not in first.text
    assert second.published == "2021-03-12T07:00:00Z"


def test_feed_atom_entry_html_content_becomes_text(fixtures: Path) -> None:
    [entry] = read_all(fixtures / "feed.atom")
    assert isinstance(entry, ArticleInput)
    assert entry.text == (
        "The Graysound ferry service was suspended on Friday because of high winds, the operator "
        "said.\nSailings are expected to resume on Saturday."
    )
    assert (entry.source, entry.published) == ("Coastal Monitor", "2021-05-02T09:45:00Z")


def test_feed_malformed_is_rejected(fixtures: Path) -> None:
    [rejection] = read_all(fixtures / "broken.rss")
    assert isinstance(rejection, Rejected)
    assert rejection.item == str(fixtures / "broken.rss")
    assert rejection.reason.startswith("malformed feed")


def test_feed_xml_that_is_not_a_feed_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text('<?xml version="1.0"?><settings><colour>blue</colour></settings>', encoding="utf-8")
    [rejection] = read_all(path)
    assert isinstance(rejection, Rejected) and "feed" in rejection.reason


def test_feed_entry_without_content_or_link_is_rejected_and_others_kept(tmp_path: Path) -> None:
    path = tmp_path / "partial.rss"
    path.write_text(
        rss(
            "<item><title>Empty</title></item>",
            "<item><title>Road reopened</title><description>The coast road at Lowmoor reopened on "
            "Friday after the landslip was cleared, the council said.</description></item>",
        ),
        encoding="utf-8",
    )
    records = read_all(path)
    assert isinstance(records[0], Rejected) and records[0].item == f"{path}[0]"
    assert "no content" in records[0].reason
    assert isinstance(records[1], ArticleInput) and records[1].origin == f"{path}[1]"


def test_feed_link_only_entry_is_fetched(tmp_path: Path, server: LocalServer) -> None:
    link = server.serve("/dam", PAGE)
    path = tmp_path / "links.rss"
    path.write_text(
        rss(
            f"<item><title>Dam inspection ordered</title><link>{link}</link>"
            "<pubDate>Mon, 04 Jan 2021 08:00:00 GMT</pubDate></item>"
        ),
        encoding="utf-8",
    )
    [article] = read_all(path, allow_private_urls=True)
    assert isinstance(article, ArticleInput), article
    assert article.origin == article.url == link
    assert "urgent inspection of the Lowmoor dam" in article.text
    assert article.source == "Lowmoor Times Online"  # the page's own site name
    assert article.published == "2021-01-04T08:00:00Z"  # the entry's date, the page has none
    assert server.hits == ["/dam"]


def test_feed_link_only_entry_to_loopback_is_refused_by_default(tmp_path: Path, server: LocalServer) -> None:
    link = server.serve("/dam", PAGE)
    path = tmp_path / "links.rss"
    path.write_text(rss(f"<item><title>Dam</title><link>{link}</link></item>"), encoding="utf-8")
    [rejection] = read_all(path)
    assert isinstance(rejection, Rejected) and rejection.item == link
    assert "loopback" in rejection.reason
    assert server.hits == []


def test_feed_binary_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.rss"
    path.write_bytes(b"\x00\x01\x02\x03" * 10)
    [rejection] = read_all(path)
    assert isinstance(rejection, Rejected) and "binary" in rejection.reason


def test_feed_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE-CONTENT", encoding="utf-8")
    path = tmp_path / "xxe.rss"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>'
        + rss(
            "<item><title>Road</title><description>The coast road at Lowmoor reopened on Friday, "
            "the council said. &leak;</description></item>"
        ).split("?>", 1)[1],
        encoding="utf-8",
    )
    records = read_all(path)
    assert records
    for record in records:
        text = record.text if isinstance(record, ArticleInput) else record.reason
        assert "SECRET-FILE-CONTENT" not in text
