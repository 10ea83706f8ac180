"""The store methods that let a warm process write only what changed, on every back end: changing the entity
table and the stories in place leaves what replacing them whole leaves; state keys can be deleted; every saved
extraction sets a new extraction token, in its transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsweave.model import ArticleInput, Entity, Extraction, Mention, Story
from newsweave.pipeline import store_inputs
from newsweave.store import Store, open_store
from newsweave.store.base import EXTRACTION_TOKEN

TEXTS = [
    "Floods hit Alderford on Monday. Officials said three people died.",
    "A fire destroyed a warehouse in Brackwater. Two people were injured.",
    "Police in Castlemere arrested a man. He was charged on Tuesday.",
]


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each back end."""
    location = str(tmp_path / "a.db") if request.param == "sqlite" else request.getfixturevalue("postgres_location")
    opened = open_store(str(location))
    yield opened
    opened.close()


def _ids(store: Store) -> list[str]:
    report = store_inputs(store, [ArticleInput(text=t, origin=f"t{i}") for i, t in enumerate(TEXTS)])
    return sorted(report.added + report.duplicates)


def test_update_entities_leaves_what_replace_entities_leaves(store: Store) -> None:
    before = [
        Entity("e1", "Alderford", "GPE", ("Alderford",), 2),
        Entity("e2", "Herald", "ORG", ("Herald", "the Herald"), 1),
        Entity("e3", "Lina al-Haddad", "PERSON", ("Lina al-Haddad", "Haddad"), 3),
    ]
    after = [
        Entity("e1", "Alderford", "GPE", ("Alderford",), 3),  # count changed
        Entity("e3", "Lina al-Haddad", "PERSON", ("Lina al-Haddad", "Haddad"), 3),  # unchanged
        Entity("e4", "Brackwater", "GPE", ("Brackwater",), 1),  # new; e2 gone
    ]
    with store.transaction():
        store.replace_entities(before)
    with store.transaction():
        store.update_entities([after[0], after[2]], ["e2"])
    changed = store.entities()
    with store.transaction():
        store.replace_entities(after)
    assert changed == store.entities() == sorted(after, key=lambda e: (e.name, e.id))


def test_update_stories_leaves_what_replace_stories_leaves(store: Store) -> None:
    a, b, c = _ids(store)
    before = [Story("s1", "Floods", (a,), "2025-03-01", "2025-03-01"), Story("s2", "Fire", (b,))]
    after = [Story("s1", "Floods", (a, c), "2025-03-01", "2025-03-02"), Story("s3", "Fire", (b,))]
    with store.transaction():
        store.replace_stories(before)
    with store.transaction():
        store.update_stories(after, ["s2"])
    changed = (store.stories(), store.get_story("s1"), store.counts()["stories"])
    with store.transaction():
        store.replace_stories(after)
    assert changed == (store.stories(), store.get_story("s1"), store.counts()["stories"])
    assert store.stories() == after


def test_delete_state_and_the_extraction_token(store: Store) -> None:
    (aid, *_) = _ids(store)
    with store.transaction():
        store.set_state("cluster:x", b"1")
    with store.transaction():
        store.delete_state("cluster:x")
        store.delete_state("never-set")
    assert store.get_state("cluster:x") is None

    assert store.get_state(EXTRACTION_TOKEN) is None
    with store.transaction():
        store.save_extraction(aid, Extraction(mentions=(Mention("Alderford", "GPE", 11, 20, 0),)))
    first = store.get_state(EXTRACTION_TOKEN)
    assert first is not None
    with pytest.raises(ValueError, match="boom"), store.transaction():
        store.save_extraction(aid, Extraction())
        raise ValueError("boom")
    assert store.get_state(EXTRACTION_TOKEN) == first  # rolled back with the extraction
    with store.transaction():
        store.save_extraction(aid, Extraction())
    assert store.get_state(EXTRACTION_TOKEN) not in (None, first)
