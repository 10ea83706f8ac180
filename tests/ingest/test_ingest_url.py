"""URLs: pages, feeds, JSON and text over a real local server; errors; and the SSRF guard."""

from __future__ import annotations

import ipaddress
import json
import socket
from pathlib import Path

import httpx
import pytest
from ingest_http import LocalServer

from newsweave.ingest import read_inputs
from newsweave.ingest import url as url_module
from newsweave.model import ArticleInput, Rejected

PARAGRAPH = (
    "Aid convoys reached the flooded town of Merrin on Wednesday, delivering food and clean water to "
    "about 4,000 residents, the relief agency said. "
)
PAGE = (
    "<!doctype html><html><head><title>Aid reaches Merrin | Relief Wire</title>"
    "<meta property='og:title' content='Aid reaches Merrin'>"
    "<meta property='article:published_time' content='2022-08-17T09:00:00Z'></head>"
    f"<body><nav>Home</nav><article><p>{PARAGRAPH * 3}</p></article></body></html>"
)
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Relief Wire</title>'
    "<item><title>Aid reaches Merrin</title><link>https://relief.example/merrin</link>"
    f"<description>{PARAGRAPH}</description></item></channel></rss>"
)


def read_all(*inputs: str, **kwargs: object) -> list[ArticleInput | Rejected]:
    return list(read_inputs(list(inputs), **kwargs))  # type: ignore[arg-type]


def only(records: list[ArticleInput | Rejected]) -> ArticleInput | Rejected:
    assert len(records) == 1, records
    return records[0]


def local(*inputs: str, **kwargs: object) -> ArticleInput | Rejected:
    return only(read_all(*inputs, allow_private_urls=True, **kwargs))


def test_url_html_page_is_extracted(server: LocalServer) -> None:
    link = server.serve("/merrin", PAGE)
    article = local(link)
    assert isinstance(article, ArticleInput), article
    assert article.origin == article.url == link
    assert article.title == "Aid reaches Merrin"
    assert article.source == "127.0.0.1"  # no site name in the page: the URL's host
    assert article.published == "2022-08-17"
    assert "delivering food and clean water" in article.text
    assert "Home" not in article.text.split("\n")


def test_url_source_argument_beats_host_but_not_site_name(server: LocalServer) -> None:
    link = server.serve("/merrin", PAGE)
    article = local(link, source="Relief Wire")
    assert isinstance(article, ArticleInput) and article.source == "Relief Wire"
    named = server.serve("/named", PAGE.replace("<title>", "<meta property='og:site_name' content='RW'><title>"))
    article = local(named, source="Relief Wire")
    assert isinstance(article, ArticleInput) and article.source == "RW"


@pytest.mark.parametrize("content_type", ["application/rss+xml", "text/xml", "text/html", None])
def test_url_feed_is_sniffed_and_read(server: LocalServer, content_type: str | None) -> None:
    link = server.serve("/feed", FEED, content_type=content_type)
    article = local(link)
    assert isinstance(article, ArticleInput), article
    assert (article.origin, article.source, article.title) == (
        "https://relief.example/merrin",
        "Relief Wire",
        "Aid reaches Merrin",
    )


def test_url_json_and_text_documents(server: LocalServer) -> None:
    data = server.serve("/api", json.dumps([{"id": "r1", "text": PARAGRAPH}]), content_type="application/json")
    text = server.serve("/plain", "Aid reaches Merrin\n\n" + PARAGRAPH, content_type="text/plain; charset=utf-8")
    records = read_all(data, text, allow_private_urls=True)
    assert [type(r).__name__ for r in records] == ["ArticleInput", "ArticleInput"]
    first, second = records
    assert isinstance(first, ArticleInput) and first.external_id == "r1" and first.origin == f"{data}[0]"
    assert isinstance(second, ArticleInput) and second.title == "Aid reaches Merrin"
    assert second.url == text


def test_url_http_error_is_rejected(server: LocalServer) -> None:
    record = local(server.url("/missing"))
    assert isinstance(record, Rejected)
    assert record.item == server.url("/missing")
    assert record.reason == "HTTP error 404 Not Found"


def test_url_server_error_is_rejected(server: LocalServer) -> None:
    link = server.serve("/boom", "oops", status=500, content_type="text/plain")
    record = local(link)
    assert isinstance(record, Rejected) and record.reason.startswith("HTTP error 500")


def test_url_unreachable_is_rejected() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    record = local(f"http://127.0.0.1:{port}/")
    assert isinstance(record, Rejected) and record.reason.startswith("unreachable")


def test_url_unresolvable_host_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(host: str, port: int, *args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    record = only(read_all("https://no-such-host.invalid/story"))
    assert isinstance(record, Rejected) and record.reason.startswith("unreachable")
    assert "cannot resolve" in record.reason


def test_url_timeout_is_rejected(server: LocalServer) -> None:
    link = server.serve("/slow", PAGE, delay=1.0)
    with httpx.Client(timeout=0.2) as client:
        record = local(link, http=client)
    assert isinstance(record, Rejected) and "timed out" in record.reason


@pytest.mark.parametrize("chunked", [False, True])
def test_url_response_over_size_limit_is_rejected(server: LocalServer, chunked: bool) -> None:
    link = server.serve("/big", PAGE * 20, chunked=chunked)
    record = local(link, max_bytes=5000)
    assert isinstance(record, Rejected) and "over the limit of 5000 bytes" in record.reason


def test_url_unsupported_content_type_is_rejected(server: LocalServer) -> None:
    link = server.serve("/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
    record = local(link)
    assert isinstance(record, Rejected) and "unsupported content type 'image/png'" in record.reason


def test_url_redirects_are_followed_and_final_url_kept(server: LocalServer) -> None:
    final = server.serve("/final", PAGE)
    start = server.serve("/start", "", status=302, headers={"Location": "/final"})
    article = local(start)
    assert isinstance(article, ArticleInput)
    assert (article.origin, article.url) == (start, final)


def test_url_redirect_loop_is_rejected(server: LocalServer) -> None:
    server.serve("/loop", "", status=302, headers={"Location": "/loop"})
    record = local(server.url("/loop"))
    assert isinstance(record, Rejected) and "redirects" in record.reason


@pytest.mark.parametrize("link", ["file:///etc/passwd", "ftp://files.example/report.txt", "gopher://x.example/"])
def test_url_other_schemes_are_rejected(link: str) -> None:
    record = only(read_all(link))
    assert isinstance(record, Rejected) and "unsupported URL scheme" in record.reason


# --- SSRF guard ---------------------------------------------------------------------------------------


def test_url_loopback_is_refused_by_default(server: LocalServer) -> None:
    link = server.serve("/merrin", PAGE)
    record = only(read_all(link))
    assert isinstance(record, Rejected)
    assert record.item == link
    assert "refused" in record.reason and "loopback" in record.reason
    assert server.hits == []


def test_url_localhost_name_is_refused_by_default(server: LocalServer) -> None:
    link = server.serve("/merrin", PAGE).replace("127.0.0.1", "localhost")
    record = only(read_all(link))
    assert isinstance(record, Rejected) and "loopback" in record.reason
    assert server.hits == []


def test_url_cloud_metadata_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("the guard must refuse before any connection is made")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    record = only(read_all("http://169.254.169.254/latest/meta-data/iam/"))
    assert isinstance(record, Rejected)
    assert "169.254.169.254" in record.reason and "metadata" in record.reason


PUBLIC = ipaddress.ip_address("93.184.215.14")


def fake_dns(table: dict[str, list[str]]) -> object:
    def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            return [ipaddress.ip_address(address) for address in table[host]]

    return resolve


def test_url_redirect_to_loopback_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    requested: list[str] = []

    def respond(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/admin"})

    monkeypatch.setattr(url_module, "resolve_host", fake_dns({"news.example": [str(PUBLIC)]}))
    with httpx.Client(transport=httpx.MockTransport(respond)) as client:
        record = only(read_all("http://news.example/story", http=client))
    assert isinstance(record, Rejected)
    assert "refused" in record.reason and "127.0.0.1" in record.reason
    assert requested == ["http://news.example/story"]  # the second hop was never requested


def test_url_host_with_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        raise AssertionError("must not be requested")

    monkeypatch.setattr(url_module, "resolve_host", fake_dns({"mixed.example": [str(PUBLIC), "10.1.2.3"]}))
    with httpx.Client(transport=httpx.MockTransport(respond)) as client:
        record = only(read_all("https://mixed.example/", http=client))
    assert isinstance(record, Rejected) and "10.1.2.3" in record.reason and "private" in record.reason


def test_url_dns_rebinding_between_check_and_connect_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([[PUBLIC], [ipaddress.ip_address("127.0.0.1")]])

    def rebinding(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        return list(next(answers))

    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("no connection may be opened")

    monkeypatch.setattr(url_module, "resolve_host", rebinding)
    monkeypatch.setattr(socket, "create_connection", no_connection)
    record = only(read_all("http://rebind.example/"))
    assert isinstance(record, Rejected) and "127.0.0.1" in record.reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.8", "private"),
        ("192.168.1.1", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.100.100.200", "metadata"),
        ("100.64.0.1", "public"),
        ("fd00:ec2::254", "metadata"),
        ("fc00::1", "private"),
    ],
)
def test_refusal_names_every_non_public_kind(address: str, reason: str) -> None:
    refused = url_module.refusal(ipaddress.ip_address(address))
    assert refused is not None and reason in refused


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "8.8.8.8"])
def test_refusal_allows_public_addresses(address: str) -> None:
    assert url_module.refusal(ipaddress.ip_address(address)) is None


def test_url_feed_from_fixture_served_locally(server: LocalServer, fixtures: Path) -> None:
    link = server.serve("/gazette.rss", (fixtures / "feed.rss").read_bytes(), content_type="application/rss+xml")
    records = read_all(link, allow_private_urls=True)
    assert [r.origin for r in records if isinstance(r, ArticleInput)] == [
        "https://gazette.example/power-restored",
        "https://gazette.example/school",
    ]


def test_url_decimal_ip_for_loopback_is_refused() -> None:
    record = only(read_all("http://2130706433/"))  # 127.0.0.1 written as one number
    assert isinstance(record, Rejected) and "loopback" in record.reason


def test_url_guarded_connection_reaches_the_checked_address(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = server.serve("/merrin", PAGE)
    checked: list[str] = []

    def allow_all(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
        checked.append(str(address))

    monkeypatch.setattr(url_module, "refusal", allow_all)
    article = only(read_all(link))  # allow_private_urls=False: the guarded transport connects
    assert isinstance(article, ArticleInput)
    assert checked.count("127.0.0.1") == 2  # once before the request, once when the connection opens
