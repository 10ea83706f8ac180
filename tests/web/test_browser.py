"""The web UI in headless Chromium over the demo corpus: story list, dossier, article, ingest, and XSS."""

from __future__ import annotations

from typing import Any

import pytest
from api_store import TOKEN
from browser_support import Console, Site, screenshot

pytestmark = pytest.mark.browser
Page = tuple[Any, Console]


def _largest_story(pg: Any, base: str) -> str:
    stories = pg.request.get(base + "/api/stories").json()["items"]
    return str(max(stories, key=lambda s: (s["article_count"], s["id"]))["id"])


def test_story_list_lists_stories_and_searches(site: Site, page: Page) -> None:
    pg, console = page
    pg.goto(site.base + "/")
    rows = pg.locator("#stories tbody tr")
    assert rows.count() >= 2
    assert "floods" in pg.locator("#stories").inner_text().lower()
    screenshot(pg, "story-list")
    pg.fill("input[name=q]", "floods")
    pg.click("form.filters button")
    pg.wait_for_url("**/?q=floods*")
    assert 1 <= pg.locator("#stories tbody tr").count() < rows.count() + 1
    assert pg.locator("#hits li").count() >= 1
    assert console.errors == []


def test_dossier_renders_figures_timeline_and_map(site: Site, page: Page) -> None:
    pg, console = page
    story = _largest_story(pg, site.base)
    pg.goto(site.base + "/")
    pg.click(f'#stories a[href="/stories/{story}"]')
    pg.wait_for_url(f"**/stories/{story}")
    rows = pg.locator("#figures-table tbody tr")
    assert rows.count() >= 1
    badges = pg.locator("#figures-table .badge").all_inner_texts()
    assert badges and set(badges) <= {"agree", "evolving", "spread", "conflict", "single"}
    timeline = pg.locator("#timeline-chart")
    box = timeline.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 50
    assert pg.locator("#timeline-chart .mark").count() >= 1
    map_box = pg.locator("#map-chart").bounding_box()
    assert map_box is not None and map_box["width"] > 200 and map_box["height"] > 100
    dot = pg.locator("#map-chart .place-dot").first.bounding_box()
    assert dot is not None and map_box["x"] <= dot["x"] <= map_box["x"] + map_box["width"]
    assert pg.locator("#map-chart .land rect").count() > 0
    assert pg.locator("#sources tbody tr").count() >= 2
    screenshot(pg, "dossier")
    assert console.errors == []


def test_article_page_highlights_figures(site: Site, page: Page) -> None:
    pg, console = page
    story = _largest_story(pg, site.base)
    pg.goto(f"{site.base}/stories/{story}")
    pg.locator("#sources tbody a").first.click()
    pg.wait_for_url("**/articles/*")
    assert pg.locator("#article-text mark.hl-figure").count() >= 1
    assert pg.locator("#article-figures tbody tr").count() >= 1
    screenshot(pg, "article")
    assert console.errors == []


def test_hostile_title_and_text_show_as_text(site: Site, page: Page) -> None:
    pg, console = page
    pg.goto(f"{site.base}/articles/{site.xss_id}")
    assert pg.locator("#article-title").inner_text().startswith("<script>window.__pwned=1</script>")
    assert 'onerror="window.__pwned=2"' in pg.locator("#article-text").inner_text()
    assert pg.locator("#article-text img").count() == 0
    pg.goto(site.base + "/")
    assert "<script>window.__pwned=1</script>" in pg.locator("#stories").inner_text()
    for link in pg.locator("#stories a").all():
        if "Oskel" in link.inner_text():
            link.click()
            pg.wait_for_url("**/stories/*")
            assert pg.locator("#headline").inner_text().startswith("<script>")
            break
    assert pg.evaluate("window.__pwned === undefined")
    screenshot(pg, "xss")
    assert console.errors == []


def test_ingest_form_submits_a_pasted_text(site: Site, page: Page) -> None:
    pg, console = page
    pg.goto(site.base + "/ingest")
    pg.fill("input[name=token]", TOKEN)
    pg.fill("input[name=title]", "Ferry aground off Tarsen")
    pg.fill("textarea[name=text]", "A ferry ran aground off Tarsen on Monday; all 85 passengers were rescued.")
    with pg.expect_navigation(timeout=180_000):
        pg.click("#ingest-form button[type=submit]")
    assert "Added 1" in pg.locator("#ingest-result").inner_text()
    screenshot(pg, "ingest")
    pg.click("#ingest-result a")
    pg.wait_for_url("**/articles/*")
    assert pg.locator("#article-title").inner_text() == "Ferry aground off Tarsen"
    assert console.errors == []
