"""Server-rendered pages: content, escaping of untrusted text, offline assets, and the ingest form."""

from __future__ import annotations

import re

import httpx
import pytest
from api_store import TOKEN, Built

pytestmark = pytest.mark.anyio
HTML = {"Accept": "text/html"}


async def test_story_list_shows_stories_and_filters(client: httpx.AsyncClient) -> None:
    page = await client.get("/", headers=HTML)
    assert page.status_code == 200
    assert "Storm kills at least 12 in Varenna" in page.text
    assert 'href="/stories/storm0001"' in page.text
    filtered = await client.get("/", params={"place": "oskel"}, headers=HTML)
    assert "Varenna" not in filtered.text.split('id="stories"')[1]
    searched = await client.get("/", params={"q": "mayor"}, headers=HTML)
    assert "Mayor disputes Varenna storm toll" in searched.text  # the matching article is listed too


async def test_pages_escape_script_tags_and_event_handlers(client: httpx.AsyncClient, built: Built) -> None:
    for path in ("/", "/stories/bridge0001", f"/articles/{built.ids['bridge-1']}"):
        text = (await client.get(path, headers=HTML)).text
        assert "<script>" not in text and "<script" not in text.replace('<script src="/static', "")
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
        assert "<b>Post</b>" not in text
    article = (await client.get(f"/articles/{built.ids['bridge-1']}", headers=HTML)).text
    assert "<img" not in article
    assert "&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in article


async def test_javascript_urls_are_never_links(client: httpx.AsyncClient, built: Built) -> None:
    for path in ("/stories/storm0001", f"/articles/{built.ids['storm-3']}"):
        text = (await client.get(path, headers=HTML)).text
        assert "javascript:" not in text
    assert 'href="https://harbor-times.example/varenna-storm"' in (await client.get("/stories/storm0001")).text


async def test_pages_send_a_strict_content_security_policy(client: httpx.AsyncClient) -> None:
    csp = (await client.get("/", headers=HTML)).headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp


async def test_dossier_page_has_figures_badges_contradiction_timeline_and_map(client: httpx.AsyncClient) -> None:
    text = (await client.get("/stories/storm0001", headers=HTML)).text
    table = text.split('id="figures-table"')[1].split("</table>")[0]
    assert 'class="badge verdict-conflict"' in table
    assert ">30<" in table and ">12<" in table and "mayor of Varenna" in table
    contradiction = text.split('id="contradictions"')[1].split("</section>")[0]
    assert contradiction.count('class="side"') == 2
    timeline = text.split('id="timeline-chart"')[1].split("</svg>")[0]
    assert timeline.count("<circle") == 2 and timeline.count("<rect") == 1  # two days, one month
    map_svg = text.split('id="map-chart"')[1].split("</svg>")[0]
    assert map_svg.count('class="place-dot"') == 2 and 'class="event-mark"' in map_svg
    assert "<rect x=" in map_svg  # land cells drawn from the shipped mask
    versions = text.split('id="sources"')[1]
    assert "is a version of" in versions and 'class="added"' in versions


async def test_article_page_highlights_figures_claims_places_and_sources(
    client: httpx.AsyncClient, built: Built
) -> None:
    text = (await client.get(f"/articles/{built.ids['storm-3']}", headers=HTML)).text
    body = text.split('id="article-text">')[1].split("</div>")[0]
    assert re.search(r'<mark class="hl-figure "[^>]*>30 people</mark>', body)
    assert re.search(r'class="[^"]*hl-claim[^"]*"', body)
    assert re.search(r'<mark class="hl-place "[^>]*>Varenna</mark>', body)
    assert re.search(r'<mark class="hl-claim hl-source "[^>]*>Civil Defence Office</mark>', body)


async def test_pages_load_nothing_from_other_hosts(client: httpx.AsyncClient, built: Built) -> None:
    for path in ("/", "/stories/storm0001", f"/articles/{built.ids['storm-1']}", "/ingest", "/docs"):
        text = (await client.get(path, headers=HTML)).text
        assert not re.search(r'(src|href)="(https?:)?//(?!harbor-times\.example|valley-post\.example)', text), path
    css = await client.get("/static/style.css")
    assert css.status_code == 200 and "url(" not in css.text


async def test_docs_page_lists_every_api_endpoint(client: httpx.AsyncClient) -> None:
    text = (await client.get("/docs", headers=HTML)).text
    schema = (await client.get("/openapi.json")).json()
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in text


async def test_ingest_form_with_token_adds_a_pasted_text(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    form = {"token": TOKEN, "title": "<i>Pasted</i> report", "text": "Floodwater reached the old town of Tarsen."}
    page = await client.post("/ingest", data=form, headers=HTML)
    assert page.status_code == 200, page.text
    added = re.findall(r'href="/articles/([0-9a-f]{16})"', page.text)
    assert len(added) == 1
    article = (await client.get(f"/articles/{added[0]}", headers=HTML)).text
    assert "&lt;i&gt;Pasted&lt;/i&gt; report" in article


async def test_ingest_form_with_wrong_token_is_refused(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    page = await client.post("/ingest", data={"token": "bad", "text": "Anything."}, headers=HTML)
    assert page.status_code == 401 and "missing or wrong token" in page.text
    assert not no_analysis


async def test_ingest_form_upload_and_url_paths(client: httpx.AsyncClient, no_analysis: list[int]) -> None:
    files = {"file": ("flood.txt", b"Flood update\n\nThe river fell overnight in Tarsen.", "text/plain")}
    page = await client.post("/ingest", data={"token": TOKEN}, files=files, headers=HTML)
    assert page.status_code == 200 and "Added 1" in page.text
    refused = await client.post("/ingest", data={"token": TOKEN, "url": "http://127.0.0.1:9/x"}, headers=HTML)
    assert refused.status_code == 422 and "loopback" in refused.text


async def test_dossier_page_as_of_hides_later_reports(client: httpx.AsyncClient) -> None:
    latest = (await client.get("/stories/storm0001", headers=HTML)).text
    early = (await client.get("/stories/storm0001", params={"as_of": "2025-05-02T12:00"}, headers=HTML)).text
    assert "Northern Courier" in latest and "Northern Courier" not in early
    bad = await client.get("/stories/storm0001", params={"as_of": "whenever"}, headers=HTML)
    assert bad.status_code == 400
