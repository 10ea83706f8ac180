"""Online story clustering (invented articles; a small deterministic stand-in for MiniLM)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from hashed_embedding import fake_embed
from newsweave import cluster
from newsweave.cluster import StoryClusterer
from newsweave.cluster_split import best_split
from newsweave.model import Article, Duplicate
from newsweave.text import article_from_text


@pytest.fixture(autouse=True)
def _no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "embed_texts", fake_embed)


def make(
    article_id: str,
    raw: str,
    published: str | None = None,
    title: str | None = None,
    language: str | None = None,
    seq: int = 0,
) -> Article:
    return article_from_text(raw, article_id=article_id, published=published, title=title, language=language, seq=seq)


FLOOD = [
    (
        "f1",
        "Flood waters rose across Marlow Bend on Tuesday, forcing hundreds of families from their homes. "
        "The emergency office in Marlow Bend said 312 people were moved to shelters. Fire chief Dana Okoro "
        "said rescue boats searched the Eastfield district through the night.",
    ),
    (
        "f2",
        "Hundreds of residents of Marlow Bend spent the night in school shelters after the river burst its "
        "banks. Dana Okoro, the fire chief, said boats were still searching Eastfield for stranded families. "
        "The river is expected to crest on Wednesday.",
    ),
    (
        "f3",
        "The river at Marlow Bend crested on Wednesday as rescue boats finished searching the flooded "
        "Eastfield district, fire chief Dana Okoro said. About 312 people remain in shelters and power is "
        "still cut to thousands of homes.",
    ),
]
ELECTION = [
    (
        "e1",
        "Voters in the coastal province of Veridia chose a new governor on Sunday. Former judge Amara Castell "
        "led early counts ahead of the incumbent Paulo Renner, the electoral commission of Veridia said.",
    ),
    (
        "e2",
        "Amara Castell declared victory in the Veridia governor race on Monday after the electoral commission "
        "published final counts. Paulo Renner conceded and congratulated the former judge.",
    ),
    (
        "e3",
        "Turnout in the Veridia governor election reached 61 percent. Observers said Amara Castell won "
        "clearly and that Paulo Renner's campaign accepted the result of the vote counts.",
    ),
]


def assign(
    articles: list[Article], clusterer: StoryClusterer | None = None, duplicates: Sequence[Duplicate] = ()
) -> dict[str, str]:
    return (clusterer or StoryClusterer()).assign(articles, {}, duplicates)


def groups(mapping: dict[str, str]) -> set[frozenset[str]]:
    by_story: dict[str, set[str]] = {}
    for article_id, story_id in mapping.items():
        by_story.setdefault(story_id, set()).add(article_id)
    return {frozenset(ids) for ids in by_story.values()}


def interleaved() -> list[Article]:
    pairs = zip(FLOOD, ELECTION, strict=True)
    return [make(i, t, published="2024-05-0" + str(n + 1)) for n, pair in enumerate(pairs) for i, t in pair]


def test_cluster_groups_reports_of_the_same_event() -> None:
    mapping = assign(interleaved())
    assert groups(mapping) == {frozenset({"f1", "f2", "f3"}), frozenset({"e1", "e2", "e3"})}


def test_cluster_similar_events_a_month_apart_are_two_stories() -> None:
    shooting = (
        "A gunman opened fire outside the Anchor bar in Harlow on Saturday night, wounding three men, "
        "police said. Officers found shell casings near the entrance and are looking for a dark sedan."
    )
    again = (
        "Two men were wounded when a gunman fired at a group leaving a bar in Harlow early on Saturday, "
        "police said. The victims, aged 19 and 24, were taken to hospital; no arrests were made."
    )
    same_week = assign([make("a", shooting, "2024-03-02"), make("b", again, "2024-03-03")])
    month_apart = assign([make("a", shooting, "2024-03-02"), make("b", again, "2024-04-13")])
    assert len(groups(same_week)) == 1
    assert len(groups(month_apart)) == 2


def test_cluster_undated_articles_fall_back_to_content() -> None:
    articles = [make(i, t) for i, t in FLOOD + ELECTION]
    assert len(groups(assign(articles))) == 2


def test_cluster_copy_joins_its_original_story() -> None:
    flood = [make(i, t, "2024-05-01") for i, t in FLOOD]
    unrelated = make(
        "x",
        "A copy of a report that shares no words with the original floods text whatsoever, "
        "cricket league results and fixtures for the coming summer season.",
        "2024-05-01",
    )
    duplicate = Duplicate(a="f1", b="x", relation="near_duplicate", similarity=0.9)
    mapping = assign([*flood, unrelated], duplicates=[duplicate])
    assert mapping["x"] == mapping["f1"]


def test_cluster_short_and_foreign_articles_do_not_glue_stories() -> None:
    short = make("s", "Breaking news.", "2024-05-01")
    empty = make("z", "", "2024-05-01")
    foreign = make(
        "es",
        "Las inundaciones en Marlow Bend obligaron a cientos de familias a dejar sus casas; "
        "Dana Okoro dijo que los botes buscaron en Eastfield. Veridia Amara Castell Paulo Renner.",
        "2024-05-01",
        language="es",
    )
    articles = [short, empty, foreign, *interleaved()]
    mapping = assign(articles)
    assert groups(mapping) >= {frozenset({"f1", "f2", "f3"}), frozenset({"e1", "e2", "e3"})}
    for lone in ("s", "z", "es"):
        assert sum(1 for story in mapping.values() if story == mapping[lone]) == 1


def test_cluster_site_furniture_does_not_make_a_story() -> None:
    furniture = (
        "Thank you for registering with the Gazette. Please confirm your email address to continue. "
        "You can manage your newsletter settings at any time from your profile page."
    )
    articles = [make(f"p{n}", furniture, f"2024-{n + 1:02d}-10") for n in range(8)]
    mapping = assign(articles)
    assert len(set(mapping.values())) >= 4  # recurring furniture is recognised and stops gluing


def test_cluster_is_deterministic_and_keeps_earlier_assignments() -> None:
    articles = interleaved()
    first, second = assign(articles), assign(articles)
    assert first == second
    clusterer = StoryClusterer()
    mapping = clusterer.assign(articles, {})
    assert clusterer.assign(articles, {}) == mapping  # re-running changes nothing


def test_cluster_bytes_round_trip_continues_like_one_run() -> None:
    articles = interleaved()
    whole = StoryClusterer().assign(articles, {})
    clusterer = StoryClusterer()
    clusterer.assign(articles[:3], {})
    restored = StoryClusterer.from_bytes(clusterer.to_bytes())
    restored.assign(articles[3:], {})
    assert {a.id: restored.story_of(a.id) for a in articles} == whole


def test_cluster_stories_have_title_ids_and_date_span() -> None:
    articles = [
        make("f1", FLOOD[0][1], "2024-05-01", title="Floods force hundreds from Marlow Bend"),
        make("f2", FLOOD[1][1], "2024-05-03"),
        make("f3", FLOOD[2][1], "2024-05-02"),
    ]
    clusterer = StoryClusterer()
    clusterer.assign(articles, {})
    (story,) = clusterer.stories()
    assert story.title == "Floods force hundreds from Marlow Bend"
    assert story.article_ids == ("f1", "f2", "f3")
    assert (story.first_published, story.last_published) == ("2024-05-01", "2024-05-03")
    assert story.id == StoryClusterer().assign(articles[:1], {})["f1"]  # id follows from the first article


def synthetic_stories(count: int) -> list[Article]:
    """``count`` invented stories of two articles each, every story with its own words and names."""
    rng = np.random.default_rng(7)
    syllables = ["ka", "lo", "mi", "ter", "van", "su", "ran", "dor", "pel", "qui", "zo", "bex"]
    articles: list[Article] = []
    for story in range(count):
        words = ["".join(rng.choice(syllables, size=3)) for _ in range(14)]
        for copy in range(2):
            picked = [words[int(i)] for i in rng.permutation(14)[:11]]
            text = (
                f"Officials in {picked[0].title()} reported {picked[1]} {picked[2]} {picked[3]} near "
                f"{picked[4].title()} {picked[5].title()}. Witnesses said {' '.join(picked[6:])} overnight."
            )
            articles.append(make(f"s{story}-{copy}", text, f"2024-06-{story % 28 + 1:02d}"))
    order = rng.permutation(len(articles))
    return [articles[int(i)] for i in order]


def test_cluster_nearest_neighbour_index_matches_exact_search(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = synthetic_stories(30)
    exact = StoryClusterer().assign(articles, {})
    monkeypatch.setattr(cluster, "ANN_MIN_STORIES", 5)
    clusterer = StoryClusterer()
    clusterer.assign(articles[:20], {})
    restored = StoryClusterer.from_bytes(clusterer.to_bytes())  # the graph is saved and reloaded too
    restored.assign(articles[20:], {})
    approximate = {a.id: str(restored.story_of(a.id)) for a in articles}
    assert restored._ann is not None
    assert groups(approximate) == groups(exact)
    assert groups(exact) == {frozenset({f"s{n}-0", f"s{n}-1"}) for n in range(30)}


FIRES = [
    (
        "a1",
        "A fire destroyed a warehouse in Corrin Vale on Friday night. Fire chief Tomas Reyl said crews from "
        "Corrin Vale fought the blaze for six hours and no one was hurt. The warehouse belonged to Orla Foods.",
    ),
    (
        "b1",
        "Two workers were hurt when flames tore through a storage depot in Hesketh Mill late on Friday. "
        "Ines Maroto, who leads the Hesketh Mill brigade, said the building owned by Pell Brothers was lost.",
    ),
    (
        "a2",
        "Investigators in Corrin Vale are looking into the cause of the warehouse fire. Tomas Reyl said the "
        "Orla Foods building had no working sprinklers and crews fought the blaze for six hours.",
    ),
    (
        "b2",
        "The two Pell Brothers employees injured in the Hesketh Mill depot blaze are recovering, Ines Maroto "
        "said, adding that the flames started in a loading bay.",
    ),
]


def test_cluster_same_kind_of_event_in_another_town_is_another_story() -> None:
    # Undated and about the same kind of event, but the towns, chiefs and owners differ: two fires.
    mapping = assign([make(i, t) for i, t in FIRES])
    assert groups(mapping) == {frozenset({"a1", "a2"}), frozenset({"b1", "b2"})}


DENIAL = (
    "f4",
    "Interior Minister Idris Vantongeren denied on Thursday that the Kessel levee had failed. "
    "Idris Vantongeren said the Interior Ministry found the Kessel levee intact and that the river alone "
    "flooded Eastfield and Marlow Bend, where families remain in shelters after rescue boats searched "
    "the flooded district. The Interior Ministry pledged funds for the families in the shelters.",
)


def test_cluster_official_denial_of_the_same_days_joins_its_story() -> None:
    # Other officials are quoted, but it is the same days and the same places: the same story.
    articles = [make(i, t, published=f"2024-05-0{n + 1}") for n, (i, t) in enumerate(FLOOD)]
    articles.append(make(DENIAL[0], DENIAL[1], published="2024-05-04"))
    mapping = assign(articles)
    assert len(set(mapping.values())) == 1


QUAKES = [
    (
        "q1",
        "An earthquake of magnitude 6.1 struck Keshm island on Sunday, killing 14 people and injuring 230, "
        "the seismology centre said. Rescue teams searched the ruins of villages near the port of Dargah.",
    ),
    (
        "q2",
        "Rescue teams searched the ruins near the port of Dargah after Sunday's magnitude 6.1 earthquake on "
        "Keshm island killed 14 people. The seismology centre said 230 people were injured.",
    ),
    (
        "q3",
        "Three villagers died when a magnitude 5.6 tremor hit Keshm island in 2005. Officials in Dargah "
        "reported 45 wounded and said tents and water were sent to families whose houses cracked.",
    ),
]


def _score_against_first(first: Article, article: Article) -> float:
    clusterer = StoryClusterer()
    clusterer.assign([first], {})
    embedding = cluster.embed_texts([cluster.lead_text(article)])[0]
    features = clusterer._features(article, (), embedding, True, frozenset())
    return clusterer.score(0, features)


def test_cluster_shared_numbers_mark_the_same_event(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same wording about the same island: the magnitude and the toll say which quake it is.
    first = make(*QUAKES[0])
    other_numbers = QUAKES[1][1].replace("6.1", "5.6").replace("14", "3").replace("230", "45")
    gaps = []
    for weight in (cluster.W_NUMBERS, 0.0):
        monkeypatch.setattr(cluster, "W_NUMBERS", weight)
        same = _score_against_first(first, make(*QUAKES[1]))
        gaps.append(same - _score_against_first(first, make("q2x", other_numbers)))
    assert gaps[0] > 0.1
    assert gaps[0] > 2 * gaps[1]  # the words alone hardly tell


def test_cluster_numbers_leave_out_web_addresses() -> None:
    assert cluster.find_numbers("Toll rises to 1,204\nwww . example . com / quake / 208622 /\nMagnitude 6.1") == [
        "1204",
        "6.1",
    ]


def test_cluster_updated_toll_of_the_same_days_stays_in_its_story() -> None:
    # A toll rising from 14 to 31 the next day changes every number: that is an update, not another quake.
    first = make(*QUAKES[0], published="2024-05-05")
    update = make(
        "q4",
        "Keshm island: 31 now confirmed dead, officials said on Monday. Aid convoys reached Dargah and "
        "hospitals on the mainland took in 112 more of the wounded as aftershocks continued.",
        published="2024-05-06",
    )
    mapping = assign([first, update])
    assert len(set(mapping.values())) == 1


def test_cluster_split_finds_two_clearly_different_groups() -> None:
    # Members 0 and 2 are alike, 1 and 3 are alike, the two pairs hardly at all.
    similarity = [
        [1.0, 0.3, 0.8, 0.2],
        [0.3, 1.0, 0.25, 0.9],
        [0.8, 0.25, 1.0, 0.3],
        [0.2, 0.9, 0.3, 1.0],
    ]
    split = best_split(similarity, below=0.5)
    assert split is not None
    assert (split.first, split.second) == ((0, 2), (1, 3))


def test_cluster_split_leaves_a_coherent_story_whole() -> None:
    alike = [[1.0 if i == j else 0.6 + 0.05 * ((i + j) % 2) for j in range(5)] for i in range(5)]
    assert best_split(alike, below=0.5) is None
    # Two groups, but they are alike enough to be one story (above ``below``).
    close = [[1.0, 0.55, 0.9, 0.55], [0.55, 1.0, 0.55, 0.9], [0.9, 0.55, 1.0, 0.55], [0.55, 0.9, 0.55, 1.0]]
    assert best_split(close, below=0.5) is None


def test_cluster_young_story_holding_two_events_is_split(monkeypatch: pytest.MonkeyPatch) -> None:
    # A bar so low that every article joins the first story: only the split tells the events apart.
    monkeypatch.setattr(cluster, "THRESHOLD", -1.0)
    monkeypatch.setattr(cluster, "SPLIT_MAX", 0)
    assert len(set(assign(interleaved()).values())) == 1
    monkeypatch.setattr(cluster, "SPLIT_MAX", 6)
    mapping = assign(interleaved())
    assert groups(mapping) == {frozenset({"f1", "f2", "f3"}), frozenset({"e1", "e2", "e3"})}


def test_cluster_bytes_round_trip_keeps_what_a_later_split_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "THRESHOLD", -1.0)
    articles = interleaved()
    whole = StoryClusterer().assign(articles, {})
    clusterer = StoryClusterer()
    clusterer.assign(articles[:3], {})  # one story of three: not split yet
    restored = StoryClusterer.from_bytes(clusterer.to_bytes())
    restored.assign(articles[3:], {})
    assert {a.id: restored.story_of(a.id) for a in articles} == whole
    assert len(set(whole.values())) == 2


def test_cluster_article_with_only_a_title_joins_its_story_without_counting() -> None:
    articles = [make(i, t, published=f"2024-05-0{n + 1}") for n, (i, t) in enumerate(FLOOD)]
    titled = make(
        "t1",
        "Sign up for our newsletter today.",
        published="2024-05-02",
        title="Marlow Bend flood: rescue boats search Eastfield as fire chief Dana Okoro moves families to shelters",
    )
    unrelated = make(
        "t2",
        "Sign up for our newsletter today.",
        published="2024-05-02",
        title="Veridia governor race: Amara Castell leads Paulo Renner in early counts",
    )
    clusterer = StoryClusterer()
    mapping = clusterer.assign([*articles[:2], titled, unrelated, articles[2]], {})
    assert mapping["t1"] == mapping["f1"] == mapping["f3"]
    assert mapping["t2"] not in {mapping["f1"]}
    story = clusterer._stories[clusterer._story_of["f1"]]
    assert story.size == 3  # the title-only article does not count in the story's centroid


SHOOTING = (
    "s1",
    "Jarell Whitby, 19, was shot and killed outside a corner store on Larkspur Avenue on Friday night. "
    "Police arrested Corwin Vale, 24, nearby and said the two had argued earlier in the evening.",
)
TRIAL = (
    "s2",
    "A jury at the Harbor County Courthouse found Corwin Vale guilty of murder on Tuesday. Prosecutor "
    "Tobias Reyne told Judge Helena Marsh that Vale followed Jarell Whitby from a party in Dunmore Heights. "
    "Defense lawyer Ines Calloway said her client will appeal to the Westbrook Court of Appeals.",
)


def test_cluster_trial_months_later_naming_victim_and_suspect_joins_its_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = [make(*SHOOTING, published="2024-01-12"), make(*TRIAL, published="2024-06-04")]
    monkeypatch.setattr(cluster, "SPECIFIC_RELIEF", 0.0)
    assert len(set(assign(articles).values())) == 2
    monkeypatch.undo()
    monkeypatch.setattr(cluster, "embed_texts", fake_embed)
    assert len(set(assign(articles).values())) == 1


def test_cluster_other_shooting_in_the_same_street_months_later_is_another_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Same street, same town, same kind of event, but no victim or suspect in common.
    first = make(
        "s1",
        "Jarell Whitby, 19, was shot and killed outside a corner store on Larkspur Avenue in Dunmore on Friday "
        "night. Police arrested Corwin Vale nearby and said the two men had argued earlier in the evening.",
        published="2024-01-12",
    )
    later = make(
        "s3",
        "A teenager died after being shot near a shop on Larkspur Avenue in Dunmore late on Saturday. "
        "Detectives are looking for a gunman who ran off after an argument.",
        published="2024-03-22",
    )
    monkeypatch.setattr(cluster, "SPECIFIC_MIN", 0)  # the names similarity alone would waive the weeks
    assert len(set(assign([first, later]).values())) == 1
    monkeypatch.setattr(cluster, "SPECIFIC_MIN", 2)
    assert len(set(assign([first, later]).values())) == 2


def test_cluster_updated_figures_of_the_same_days_do_not_split_a_story(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two first reports give one toll; two reports the next days, about the ministry's denial, give the
    # updated toll: every figure differs, yet it is one story, not two events.
    monkeypatch.setattr(cluster, "THRESHOLD", -1.0)
    texts = [
        "Flash floods in Marlow Bend killed 4 people and forced 120 families from their homes on Tuesday, "
        "fire chief Dana Okoro said. Rescue boats searched the Eastfield district.",
        "At least 4 people died in Marlow Bend floods on Tuesday. Dana Okoro said 120 families had fled and "
        "boats were searching Eastfield.",
        "The Marlow Bend flood toll rose to 11 on Thursday. The water ministry denied that the Corran dam had "
        "failed and said 310 families were in shelters.",
        "Eleven people have now died in the Marlow Bend floods, the ministry said, denying reports that the "
        "Corran dam broke. 310 families remain in shelters.",
    ]
    articles = [make(f"u{n}", t, published=f"2024-05-0{1 + 2 * (n // 2)}") for n, t in enumerate(texts)]
    assert len(set(assign(articles).values())) == 1


def test_assign_runs_with_one_blas_thread_and_restores_the_setting() -> None:
    from threadpoolctl import threadpool_info

    def blas_threads() -> list[int]:  # numpy's own BLAS, which multiplies the centroids
        return [int(lib["num_threads"]) for lib in threadpool_info() if "numpy" in lib["filepath"]]

    seen: list[list[int]] = []

    def recording_embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        seen.append(blas_threads())
        return fake_embed(texts)

    before = blas_threads()
    StoryClusterer().assign([make(i, raw, "2024-05-07") for i, raw in FLOOD], {}, embed=recording_embed)
    assert before and seen and all(threads == [1] for threads in seen)
    assert blas_threads() == before
