"""Fetch a URL (a page, a feed, JSON or text) with timeouts, a size limit and an SSRF guard.

The guard refuses any host that resolves to a loopback, private, link-local, multicast, reserved,
unspecified, shared or cloud-metadata address. Every address the host resolves to is checked, on the
first request and on every redirect hop (redirects are followed here, one hop at a time). When
newsweave makes the HTTP client itself, the connection is also opened to the checked address only, so
a DNS answer that changes between the check and the connection cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx

from newsweave.ingest.decode import UndecodableError, decode_bytes
from newsweave.ingest.feed import read_feed
from newsweave.ingest.html import extract_page
from newsweave.ingest.jsonl import read_json_document
from newsweave.ingest.metadata import Options, build_plain_article, reject
from newsweave.model import ArticleInput, Rejected

MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
USER_AGENT = "newsweave/0.1 (news report reader)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,"
    "application/json;q=0.8,text/plain;q=0.7,*/*;q=0.1"
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance-metadata endpoints, some of which sit in otherwise public ranges.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "168.63.129.16", "192.0.0.192", "fd00:ec2::254")
)

_FEED_TYPES = frozenset(
    (
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
    )
)
_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
_JSON_TYPES = frozenset(
    (
        "application/json",
        "application/x-ndjson",
        "application/jsonl",
        "application/ndjson",
        "application/x-jsonlines",
    )
)


class UnsafeURLError(ValueError):
    """The URL points at an address newsweave refuses to contact."""


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # the final URL after redirects
    content_type: str
    charset: str | None
    data: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a conditional GET answered 304


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said about a URL's version, for the next conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` must not be contacted, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    )
    for name, hit in checks:
        if hit:
            return f"a {name} address"
    if not address.is_global:
        return "not a public address"
    return None


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for info in infos:
        literal = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone index
        address = ipaddress.ip_address(literal)
        if address not in addresses:
            addresses.append(address)
    return addresses


def check_host(host: str, port: int) -> list[IPAddress]:
    """Resolve ``host`` and raise ``UnsafeURLError`` if any of its addresses is not public."""
    try:
        addresses = resolve_host(host, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpx.ConnectError(f"cannot resolve host {host!r}: {exc}") from exc
    if not addresses:
        raise httpx.ConnectError(f"host {host!r} has no addresses")
    for address in addresses:
        reason = refusal(address)
        if reason:
            raise UnsafeURLError(f"refused: {host} resolves to {address}, {reason}")
    return addresses


def check_url(url: httpx.URL, allow_private: bool) -> None:
    """Raise ``UnsafeURLError`` for a URL newsweave must not fetch."""
    if url.scheme not in ("http", "https"):
        raise UnsafeURLError(f"unsupported URL scheme {url.scheme!r} (only http and https)")
    host = url.raw_host.decode("ascii", "replace")
    if not host:
        raise UnsafeURLError("URL has no host")
    if not allow_private:
        check_host(host, url.port or (443 if url.scheme == "https" else 80))


class _GuardedBackend:
    """An httpcore network backend that connects only to the public addresses it has just checked."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> Any:
        import httpcore

        try:
            addresses = check_host(host, port)
        except UnsafeURLError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        except httpx.ConnectError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def make_client(allow_private: bool) -> httpx.Client:
    """The client newsweave uses when the caller gives none: timeouts, no proxies from the environment."""
    transport = httpx.HTTPTransport(retries=0)
    pool = getattr(transport, "_pool", None)
    if not allow_private and pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = _GuardedBackend(pool._network_backend)
    return httpx.Client(
        transport=transport, timeout=TIMEOUT, trust_env=False, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT}
    )


def fetch(
    url: str, client: httpx.Client, *, max_bytes: int, allow_private: bool, validators: Validators | None = None
) -> Fetched:
    """GET ``url``, following redirects one checked hop at a time; the body is capped at ``max_bytes``.

    With ``validators`` the request is conditional: an unchanged resource comes back ``not_modified``.

    Raises ``UnsafeURLError`` (refused address or scheme), ``httpx.HTTPError`` (network failures),
    ``httpx.HTTPStatusError`` (error status) or ``ValueError`` (too large, too many redirects).
    """
    current = httpx.URL(url)
    for _hop in range(MAX_REDIRECTS + 1):
        check_url(current, allow_private)
        headers = validators.headers() if validators else None
        with client.stream("GET", current, follow_redirects=False, headers=headers) as response:
            if response.status_code == 304:
                return Fetched(
                    url=str(current),
                    content_type="",
                    charset=None,
                    data=b"",
                    not_modified=True,
                    etag=validators.etag if validators else None,
                    last_modified=validators.last_modified if validators else None,
                )
            if response.is_redirect:
                location = response.headers.get("location")
                if not location:
                    raise ValueError(f"HTTP {response.status_code} redirect without a Location header")
                current = current.join(location)
                continue
            response.raise_for_status()
            data = _read_capped(response, max_bytes)
            content_type = response.headers.get("content-type", "")
            return Fetched(
                url=str(current),
                content_type=content_type.split(";", 1)[0].strip().lower(),
                charset=response.charset_encoding,
                data=data,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )
    raise ValueError(f"more than {MAX_REDIRECTS} redirects")


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ValueError(f"response is {int(declared)} bytes, over the limit of {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise ValueError(f"response is over the limit of {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def sniff_kind(content_type: str, data: bytes) -> str | None:
    """ "html", "feed", "json" or "text" from the Content-Type and the first bytes; None if none fits."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<rss", b"<feed", b"<rdf:rdf")) or (
        head.startswith(b"<?xml") and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    ):
        return "feed"
    if content_type in _HTML_TYPES or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if content_type in _FEED_TYPES or content_type.endswith("+xml"):
        return "feed"
    if content_type in _JSON_TYPES or content_type.endswith("+json"):
        return "json"
    if content_type.startswith("text/") or (not content_type and b"\x00" not in head):
        return "text"
    return None


def read_url(url: str, options: Options) -> Iterator[ArticleInput | Rejected]:
    """The articles behind one URL: a page, every entry of a feed, a JSON document, or a text file."""
    client = options.http if options.http is not None else make_client(options.allow_private_urls)
    try:
        yield from _read_with(client, url, options)
    finally:
        if options.http is None:
            client.close()


def read_url_if_changed(
    url: str, options: Options, validators: Validators | None
) -> tuple[list[ArticleInput | Rejected], Validators | None]:
    """Conditional GET for watching: ``([], validators)`` when unchanged, else the items and new validators.

    The validators come back None when the fetch failed (the items then hold the rejection).
    """
    client = options.http if options.http is not None else make_client(options.allow_private_urls)
    try:
        outcome: list[Fetched] = []
        items = list(_read_with(client, url, options, validators=validators, fetched_out=outcome))
    finally:
        if options.http is None:
            client.close()
    if not outcome:
        return items, None
    fetched = outcome[0]
    return items, Validators(fetched.etag, fetched.last_modified)


def _read_with(
    client: httpx.Client,
    url: str,
    options: Options,
    *,
    validators: Validators | None = None,
    fetched_out: list[Fetched] | None = None,
) -> Iterator[ArticleInput | Rejected]:
    try:
        fetched = fetch(
            url, client, max_bytes=options.max_bytes, allow_private=options.allow_private_urls, validators=validators
        )
    except UnsafeURLError as exc:
        yield reject(url, str(exc))
        return
    except httpx.HTTPStatusError as exc:
        response = exc.response
        yield reject(url, f"HTTP error {response.status_code} {response.reason_phrase}".rstrip())
        return
    except httpx.TimeoutException as exc:
        yield reject(url, f"unreachable: timed out ({type(exc).__name__})")
        return
    except httpx.HTTPError as exc:
        yield reject(url, f"unreachable: {exc or type(exc).__name__}")
        return
    except ValueError as exc:  # too large, too many redirects, malformed URL
        yield reject(url, str(exc))
        return
    if fetched_out is not None:
        fetched_out.append(fetched)
    if fetched.not_modified:
        return
    yield from _read_fetched(fetched, url, options, client)


def _read_fetched(
    fetched: Fetched, origin: str, options: Options, client: httpx.Client
) -> Iterator[ArticleInput | Rejected]:
    kind = sniff_kind(fetched.content_type, fetched.data)
    if kind is None:
        yield reject(origin, f"unsupported content type {fetched.content_type or 'unknown'!r}")
        return
    if not fetched.data.strip():
        yield reject(origin, "empty response")
        return
    if kind == "html":
        data: str | bytes = fetched.data
        if fetched.charset:
            try:
                data = decode_bytes(fetched.data, declared=fetched.charset)
            except UndecodableError as exc:
                yield reject(origin, str(exc))
                return
        yield extract_page(data, origin, options, url=fetched.url)
        return
    if kind == "feed":
        entry_options = replace(options, http=client)
        yield from read_feed(fetched.data, origin, entry_options, read_url)
        return
    try:
        text = decode_bytes(fetched.data, declared=fetched.charset)
    except UndecodableError as exc:
        yield reject(origin, str(exc))
        return
    if kind == "json":
        yield from read_json_document(text, origin, options)
    else:
        yield build_plain_article(text, origin, options, url=fetched.url)
