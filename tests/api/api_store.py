"""An invented, fully analysed store for the API and browser tests (analysis rows written by hand).

Two stories: a storm in the invented town of Varenna (three reports, one of them a later version of
another, a figure conflict and a denial) and a bridge collapse in Oskel whose report has a hostile title
and text (script tags, onerror attributes, a javascript: URL) to check that nothing is rendered as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsweave.model import (
    ArticleInput,
    Claim,
    Contradiction,
    Duplicate,
    Entity,
    Event,
    Extraction,
    Figure,
    Mention,
    Place,
    Reconciliation,
    Story,
)
from newsweave.pipeline import store_inputs
from newsweave.store import Store, open_store

TOKEN = "test-token-123"
XSS_TITLE = "<script>window.__pwned=1</script>Bridge collapse in Oskel"
XSS_TEXT = (
    "A road bridge collapsed in Oskel on Sunday, killing 4 people, the regional police said.\n"
    'Witnesses posted <img src=x onerror="window.__pwned=2"> photos of the wreck.\n'
    "Engineers had warned about cracks in 2023."
)

ARTICLES = [
    ArticleInput(
        external_id="storm-1",
        title="Storm kills at least 12 in Varenna",
        source="Harbor Times",
        published="2025-05-02T08:00:00+00:00",
        url="https://harbor-times.example/varenna-storm",
        origin="fixture:1",
        text=(
            "A violent storm hit Varenna on Thursday, killing at least 12 people, the Civil Defence Office said.\n"
            "Around 40 people were injured in the coastal district of Lume.\n"
            "Rescue teams were still searching collapsed houses on Friday."
        ),
    ),
    ArticleInput(
        external_id="storm-2",
        title="Storm toll in Varenna rises to 19",
        source="Harbor Times",
        published="2025-05-02T18:00:00+00:00",
        url="https://harbor-times.example/varenna-storm",
        origin="fixture:2",
        text=(
            "A violent storm hit Varenna on Thursday, killing at least 19 people, the Civil Defence Office said.\n"
            "Around 40 people were injured in the coastal district of Lume.\n"
            "Rescue teams were still searching collapsed houses on Friday."
        ),
    ),
    ArticleInput(
        external_id="storm-3",
        title="Mayor disputes Varenna storm toll",
        source="Northern Courier",
        published="2025-05-03T09:30:00+00:00",
        url="javascript:alert(1)",
        origin="fixture:3",
        text=(
            "The mayor of Varenna said 30 people had died in the storm, far more than official counts.\n"
            "The Civil Defence Office denied that any house in Lume had collapsed."
        ),
    ),
    ArticleInput(
        external_id="bridge-1",
        title=XSS_TITLE,
        source="Valley <b>Post</b>",
        published="2025-06-10T12:00:00+00:00",
        url="https://valley-post.example/oskel-bridge",
        origin="fixture:4",
        text=XSS_TEXT,
    ),
]


@dataclass(frozen=True)
class Built:
    store: Store
    ids: dict[str, str]  # external id -> article id
    storm: str
    bridge: str


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _sentence(text: str, needle: str) -> tuple[int, str]:
    for i, line in enumerate(text.split("\n")):
        if needle in line:
            return i, line
    raise ValueError(needle)


def _figure(text: str, needle: str, value: float, qualifier: str, source: str | None, date: str) -> Figure:
    start, end = _span(text, needle)
    idx, sentence = _sentence(text, needle)
    return Figure(
        sentence_index=idx,
        sentence=sentence,
        start=start,
        end=end,
        measure="killed",
        value=value,
        qualifier=qualifier,  # type: ignore[arg-type]
        group="all",
        source=source,
        date=date,
        date_granularity="day",
    )


def _mention(text: str, needle: str, label: str) -> Mention:
    start, end = _span(text, needle)
    return Mention(text=needle, label=label, start=start, end=end, sentence=_sentence(text, needle)[0])


def _place(text: str, needle: str, resolved: str, lat: float, lon: float) -> Place:
    start, end = _span(text, needle)
    return Place(
        name=needle,
        start=start,
        end=end,
        resolved_name=resolved,
        lat=lat,
        lon=lon,
        country="XX",
        precision="city",
        confidence=0.9,
    )


def build_store(path: str) -> Built:
    """Create the store at ``path`` (a file) with the invented articles and their analysis."""
    store = open_store(path)
    report = store_inputs(store, ARTICLES)
    assert len(report.added) == len(ARTICLES), report
    arts = {a.external_id: a for a in store.get_articles()}
    ids = {k: a.id for k, a in arts.items() if k}
    t1, t2, t3, t4 = (arts[k].text for k in ("storm-1", "storm-2", "storm-3", "bridge-1"))
    with store.transaction():
        store.save_extraction(
            ids["storm-1"],
            Extraction(
                mentions=(_mention(t1, "Civil Defence Office", "ORG"), _mention(t1, "Varenna", "GPE")),
                figures=(_figure(t1, "at least 12 people", 12, "at_least", "Civil Defence Office", "2025-05-01"),),
                events=(Event(0, t1.split("\n")[0], "ASSAULT", "Other", "2025-05-01", "day", (), "Varenna"),),
            ),
        )
        store.save_extraction(
            ids["storm-2"],
            Extraction(
                mentions=(_mention(t2, "Civil Defence Office", "ORG"),),
                figures=(_figure(t2, "at least 19 people", 19, "at_least", "Civil Defence Office", "2025-05-02"),),
            ),
        )
        c_start, c_end = _span(t3, "The Civil Defence Office denied that any house in Lume had collapsed.")
        store.save_extraction(
            ids["storm-3"],
            Extraction(
                mentions=(_mention(t3, "Civil Defence Office", "ORG"),),
                figures=(_figure(t3, "30 people", 30, "exact", "mayor of Varenna", "2025-05-03"),),
                claims=(
                    Claim(
                        1,
                        t3.split("\n")[1],
                        c_start,
                        c_end,
                        "collapse",
                        "Civil Defence Office",
                        "denies",
                        date="2025-05-03",
                        date_granularity="day",
                    ),
                ),
            ),
        )
        store.save_extraction(
            ids["bridge-1"],
            Extraction(figures=(_figure(t4, "killing 4 people", 4, "exact", "regional police", "2025-06-08"),)),
        )
        store.save_places(
            ids["storm-1"], [_place(t1, "Varenna", "Varenna", 44.8, 20.4), _place(t1, "Lume", "Lumë", 44.6, 20.9)]
        )
        store.save_places(ids["storm-2"], [_place(t2, "Varenna", "Varenna", 44.8, 20.4)])
        store.save_places(ids["storm-3"], [_place(t3, "Varenna", "Varenna", 44.8, 20.4)])
        store.save_places(ids["bridge-1"], [_place(t4, "Oskel", "Oskel", 47.1, 15.3)])
        store.replace_entities([Entity("e1", "Civil Defence Office", "ORG", ("Civil Defence Office",), 3)])
        store.add_duplicates(
            [
                Duplicate(
                    ids["storm-1"],
                    ids["storm-2"],
                    "version",
                    0.91,
                    added=(t2.split("\n")[0],),
                    removed=(t1.split("\n")[0],),
                )
            ]
        )
        storm = Story(
            "storm0001",
            "Storm kills at least 12 in Varenna",
            (ids["storm-1"], ids["storm-2"], ids["storm-3"]),
            "2025-05-02T08:00:00+00:00",
            "2025-05-03T09:30:00+00:00",
        )
        bridge = Story(
            "bridge0001", XSS_TITLE, (ids["bridge-1"],), "2025-06-10T12:00:00+00:00", "2025-06-10T12:00:00+00:00"
        )
        store.replace_stories([storm, bridge])
        f1, f2, f3 = ids["storm-1"] + "-f0", ids["storm-2"] + "-f0", ids["storm-3"] + "-f0"
        store.replace_story_analysis(
            storm.id,
            "sig",
            [
                Reconciliation(
                    "r1",
                    storm.id,
                    "people killed",
                    (f1, f2, f3),
                    "conflict",
                    12,
                    19,
                    30,
                    19,
                    "the mayor's count is far above the official one",
                    "killed",
                    "all",
                )
            ],
            [
                Contradiction(
                    "x1",
                    storm.id,
                    (ids["storm-2"], ids["storm-3"]),
                    "the mayor says 30 died; the Civil Defence Office says 19",
                    figure_ids=(f2, f3),
                )
            ],
            {
                "timeline": [
                    {
                        "id": "t1",
                        "date": "2025-05-01",
                        "granularity": "day",
                        "kind": "event",
                        "label": "Storm hits Varenna",
                        "article_ids": [ids["storm-1"]],
                    },
                    {
                        "id": "t2",
                        "date": "2025-05-02",
                        "granularity": "day",
                        "kind": "figure",
                        "label": "toll rises to 19",
                        "article_ids": [ids["storm-2"]],
                    },
                    {
                        "id": "t3",
                        "date": "2025-05",
                        "granularity": "month",
                        "kind": "claim",
                        "label": "collapse denied",
                        "article_ids": [ids["storm-3"]],
                    },
                ]
            },
        )
        store.replace_story_analysis(
            bridge.id,
            "sig",
            [
                Reconciliation(
                    "r2",
                    bridge.id,
                    "people killed",
                    (ids["bridge-1"] + "-f0",),
                    "single",
                    4,
                    4,
                    4,
                    4,
                    "",
                    "killed",
                    "all",
                )
            ],
            [],
            {
                "timeline": [
                    {
                        "id": "b1",
                        "date": "2025-06-08",
                        "granularity": "day",
                        "kind": "event",
                        "label": XSS_TITLE,
                        "article_ids": [ids["bridge-1"]],
                    }
                ]
            },
        )
    return Built(store=store, ids=ids, storm=storm.id, bridge=bridge.id)


def auth(token: str = TOKEN) -> dict[str, str]:
    """Headers that authorise a write."""
    return {"Authorization": f"Bearer {token}"}
