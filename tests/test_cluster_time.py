"""Time in story clustering: the penalty counts after one news cycle (invented articles and places)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from hashed_embedding import fake_embed
from newsweave import cluster
from newsweave.cluster import StoryClusterer
from newsweave.cluster_state import _Story
from newsweave.model import Article
from newsweave.text import article_from_text


@pytest.fixture(autouse=True)
def _no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "embed_texts", fake_embed)


def make(article_id: str, raw: str, published: str) -> Article:
    return article_from_text(raw, article_id=article_id, published=published)


STORY = (
    "A gunman fired into a crowd leaving a concert hall on Kestrel Road in Dunmore late on Friday, "
    "wounding four people, police said. Detective Mara Villon said officers were looking for a grey van."
)
LATER = (
    "Police in Dunmore said two men were wounded when shots were fired outside a bar on Heron Street "
    "on Wednesday night. Officers were looking for a gunman who fled on foot, a detective said."
)
FOLLOW_UP = (
    "Detective Mara Villon said a man was charged on Tuesday over the shooting outside the concert hall "
    "on Kestrel Road in Dunmore that wounded four people. The grey van was found abandoned."
)


def _story(days: list[int]) -> _Story:
    return _Story(id="s", articles=["a"] * len(days), title="", days=days)


def test_time_penalty_grows_after_one_news_cycle() -> None:
    story = _story([100])
    penalties = [StoryClusterer._time_penalty(story, 100 + gap) for gap in range(0, 40)]
    grace = cluster.TIME_GRACE_DAYS
    assert penalties[: grace + 1] == [0.0] * (grace + 1)
    assert penalties[grace + 1] > 0.0  # no free week: a report days later needs more likeness
    assert all(a <= b for a, b in itertools.pairwise(penalties))
    assert penalties[-1] == cluster.TIME_PENALTY_MAX
    assert StoryClusterer._time_penalty(story, None) == 0.0  # undated: content only
    assert StoryClusterer._time_penalty(_story([100, 110]), 107) == StoryClusterer._time_penalty(story, 103)


def _score(clusterer: StoryClusterer, article: Article, names: Sequence[str] = ()) -> float:
    embedding = fake_embed([cluster.lead_text(article)])[0]
    features = clusterer._features(article, names, embedding, True, frozenset())
    (index,) = range(len(clusterer))
    return clusterer.score(index, features)


def test_a_similar_report_days_later_must_be_more_alike_than_one_of_the_same_day() -> None:
    clusterer = StoryClusterer()
    clusterer.assign([make("a", STORY, "2024-06-07")], {})
    same_day = _score(clusterer, make("b", LATER, "2024-06-07"))
    days_later = _score(clusterer, make("c", LATER, "2024-06-12"))
    assert days_later < same_day - (5 - cluster.TIME_GRACE_DAYS) * cluster.TIME_PENALTY_PER_DAY + 1e-9


def test_shared_specific_names_relieve_the_time_penalty() -> None:
    names = ["Mara Villon", "Kestrel Road"]
    clusterer = StoryClusterer()
    clusterer.assign([make("a", STORY, "2024-06-07")], {"a": names})
    same_day = _score(clusterer, make("b", FOLLOW_UP, "2024-06-07"), names)
    days_later = _score(clusterer, make("c", FOLLOW_UP, "2024-06-11"), names)
    # the suspect's detective and the street tie the charge to its shooting: no time penalty, only
    # (part of) the same-day bonus is lost
    assert days_later >= same_day - cluster.TIME_BONUS - 1e-9
    assert clusterer.assign([make("d", FOLLOW_UP, "2024-06-11")], {"d": names})["d"] == clusterer.story_of("a")
