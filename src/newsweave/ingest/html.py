"""HTML pages and fragments to article text: trafilatura for pages, a strict tag stripper for fragments.

Scripts, styles, iframes, embedded objects and event-handler attributes never reach the text: the
page extractor drops them, and the fragment stripper ignores everything inside those elements and
reads no attributes at all.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from newsweave.ingest.decode import UndecodableError, decode_bytes, looks_binary
from newsweave.ingest.metadata import Options, build_article, reject
from newsweave.model import ArticleInput, Rejected

# Elements whose content is never text a reader sees.
_HIDDEN = frozenset(
    (
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "noscript",
        "template",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "head",
        "title",
        "select",
        "option",
        "button",
        "textarea",
        "applet",
    )
)
# Removed from a page before extraction ("head" and "title" stay: they hold the metadata).
# JSON-LD scripts stay: they carry dates and names for the metadata, never text.
_STRIP_XPATH = "|".join(
    "//script[not(@type='application/ld+json')]" if tag == "script" else f"//{tag}"
    for tag in sorted(_HIDDEN - {"head", "title"})
)
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
)
_BLOCK = frozenset(
    (
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "dl",
        "hr",
        "main",
        "nav",
        "address",
        "details",
        "summary",
        "caption",
    )
)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            if tag not in _VOID:
                self.hidden_depth += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and tag not in _VOID:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


_UNCLOSED_COMMENT = re.compile(r"<!--(?:(?!-->).)*\Z", re.DOTALL)


def fragment_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (a feed entry's content), one line per block element."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    collector = _TextCollector()
    # A comment left open runs to the end of the page (as in browsers): it is never text.
    collector.feed(_UNCLOSED_COMMENT.sub("", fragment))
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def extract_page(
    html: str | bytes,
    origin: str,
    defaults: Options,
    *,
    url: str | None = None,
    source: str | None = None,
    published: object = None,
    title: str | None = None,
    external_id: str | None = None,
) -> ArticleInput | Rejected:
    """The main text, title, outlet and date of an HTML page (``source``/``published`` win if given)."""
    import trafilatura

    if isinstance(html, bytes) and looks_binary(html):
        return reject(origin, "binary file (contains NUL bytes), not HTML")
    # htmldate (run by trafilatura) guesses from the page's text only when no default date is given.
    date_params = {"original_date": True, "extensive_search": defaults.published is None}
    try:
        tree = _clean_tree(html)
        document: Any = (
            None
            if tree is None
            else trafilatura.bare_extraction(
                tree,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                favor_recall=True,
                date_extraction_params=date_params,
            )
        )
    except Exception as exc:  # trafilatura and lxml raise many types on hostile markup: report, go on
        return reject(origin, f"HTML could not be parsed: {type(exc).__name__}: {exc}")
    text = str(getattr(document, "text", None) or "") if document is not None else ""
    if not text.strip():
        text = _visible_text(html)
    if not text.strip():
        return reject(origin, "no article text found in the HTML")
    page_title = title or (getattr(document, "title", None) if document is not None else None)
    site = getattr(document, "sitename", None) if document is not None else None
    if isinstance(site, str) and url and _is_host_name(site, url):
        site = None  # trafilatura falls back to the host name: the outlet then comes from the defaults
    if published is None:
        published = getattr(document, "date", None) if document is not None else None
    if published is None and document is None:
        published = find_page_date(html, url=url, extensive=defaults.published is None)
    return build_article(
        text,
        origin,
        defaults,
        title=page_title,
        source=source or site,
        url=url,
        published=published,
        external_id=external_id,
    )


def _is_host_name(site: str, url: str) -> bool:
    netloc = urlsplit(url).netloc.lower().rsplit("@", 1)[-1]
    names = {netloc, netloc.split(":", 1)[0]}
    names |= {name.removeprefix("www.") for name in names}
    return site.strip().lower() in names


def _clean_tree(html: str | bytes) -> Any:
    """The parsed page without the elements whose content is never article text (see ``_HIDDEN``).

    trafilatura drops scripts and styles itself, but keeps the fallback text inside iframes, objects
    and noscript blocks; removing them first keeps that text out.
    """
    import trafilatura

    tree: Any = trafilatura.load_html(html)
    if tree is None:
        return None
    for element in tree.xpath(_STRIP_XPATH):
        element.drop_tree()
    return tree


def _visible_text(html: str | bytes) -> str:
    """Fallback when trafilatura finds no main content (very short pages): all visible text."""
    if isinstance(html, bytes):
        try:
            html = decode_bytes(html)
        except UndecodableError:
            return ""
    return fragment_to_text(html)


def find_page_date(html: str | bytes, *, url: str | None = None, extensive: bool = True) -> str | None:
    """The publication date htmldate finds in the page's metadata (or, if ``extensive``, its text)."""
    import htmldate

    try:
        found = htmldate.find_date(html, url=url, original_date=True, extensive_search=extensive)
    except Exception:  # htmldate on hostile markup: a missing date is not a reason to drop the article
        return None
    return str(found) if found else None
