"""Exact duplicates, near-duplicates and versions (invented articles)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.dedupe import DedupeIndex, compare_articles, exact_key
from newsweave.model import Article
from newsweave.text import article_from_text

FLOOD = """Flood waters rose across the river town of Marlow Bend on Tuesday, forcing hundreds from their homes.
The regional emergency office said 312 people had been moved to shelters in two school gymnasiums.
Rescue teams in boats searched the low-lying Eastfield district through the night, according to fire chief Dana Okoro.
Power was cut to about 4,000 households after a substation was submerged near the old mill.
Forecasters expect the river to crest on Wednesday afternoon, one metre above the record set in 1998.
The mayor, Ilse Brandt, asked residents not to drive through flooded streets and to check on elderly neighbours.
Volunteers filled sandbags outside the town hall while farmers moved cattle to higher pastures."""

ELECTION = """Voters in the coastal province of Veridia chose a new governor on Sunday in a tight three-way race.
Turnout reached 61 percent, the electoral commission said, higher than in the previous vote four years ago.
Former judge Amara Castell led early counts with 38 percent, ahead of the incumbent Paulo Renner.
Observers from a regional monitoring group reported long queues but no serious irregularities.
Results from remote island districts are expected by Tuesday because ballots travel by ferry."""


def make(
    article_id: str,
    raw: str,
    seq: int,
    published: str | None = None,
    source: str | None = None,
    language: str | None = None,
) -> Article:
    return article_from_text(raw, article_id=article_id, published=published, source=source, language=language, seq=seq)


def run(articles: list[Article]) -> list[tuple[str, str, str]]:
    by_id = {a.id: a for a in articles}
    index = DedupeIndex()
    return [(d.a, d.b, d.relation) for d in index.add_many(articles, by_id.__getitem__)]


def test_dedupe_exact_ignores_case_spacing_and_punctuation() -> None:
    copy = FLOOD.upper().replace(", ", " ").replace(" on ", "  on ").replace(".\n", "!\n\n")
    assert run([make("a", FLOOD, 1), make("b", copy, 2)]) == [("a", "b", "exact")]


def test_dedupe_exact_keeps_numbers_whole() -> None:
    assert exact_key("The toll rose to 1.5 million.") != exact_key("The toll rose to 15 million.")
    assert exact_key("It cost 1,200 dollars") != exact_key("It cost 1 200 dollars")


def test_dedupe_near_duplicate_from_another_outlet() -> None:
    copy = FLOOD.replace(
        "Volunteers filled sandbags outside the town hall",
        "Volunteers from nearby villages filled sandbags outside the town hall",
    )
    got = run([make("a", FLOOD, 1, source="Valley Post"), make("b", copy, 2, source="Wire Service")])
    assert got == [("a", "b", "near_duplicate")]


def test_dedupe_same_source_change_is_a_version_with_the_changed_sentences() -> None:
    updated = FLOOD.replace("312 people", "540 people")
    articles = [make("a", FLOOD, 1, source="Valley Post"), make("b", updated, 2, source="Valley Post")]
    by_id = {a.id: a for a in articles}
    (pair,) = DedupeIndex().add_many(articles, by_id.__getitem__)
    assert (pair.a, pair.b, pair.relation) == ("a", "b", "version")
    assert any("540 people" in s for s in pair.added)
    assert any("312 people" in s for s in pair.removed)
    assert not any("Marlow Bend" in s for s in pair.added)


def test_dedupe_rewritten_update_is_a_version() -> None:
    rewrite = (
        "Flood waters rose across the river town of Marlow Bend on Tuesday and Wednesday.\n"
        "The regional emergency office said 655 people had been moved to shelters in three school gymnasiums.\n"
        "Rescue teams in boats searched the low-lying Eastfield district through the night, "
        "according to chief Dana Okoro.\n"
        "Power was cut to about 4,000 households after a substation was submerged near the old mill.\n"
        "Forecasters expect the river to crest on Wednesday evening, one metre above the record set in 1998.\n"
        "A second levee north of the town failed at dawn, flooding the rail depot.\n"
        "The army sent two helicopters to lift stranded residents from rooftops."
    )
    assert run([make("a", FLOOD, 1), make("b", rewrite, 2)]) == [("a", "b", "version")]


def test_dedupe_unrelated_and_templated_articles_are_not_duplicates() -> None:
    brief = "Northfield Mills said quarterly sales rose {0} percent to {1} million dollars, and it expects {2} stores."
    articles = [
        make("a", FLOOD, 1),
        make("b", ELECTION, 2),
        make("c", brief.format(4, 120, 31), 3, source="Wire"),
        make("d", brief.format(9, 77, 12), 4, source="Wire"),
    ]
    assert run(articles) == []


def test_dedupe_earlier_publication_date_makes_the_original() -> None:
    updated = FLOOD.replace("312 people", "540 people")
    later_ingested_but_earlier = make("old", FLOOD, 2, published="2024-03-01", source="Valley Post")
    first_ingested = make("new", updated, 1, published="2024-03-02", source="Valley Post")
    assert run([first_ingested, later_ingested_but_earlier]) == [("old", "new", "version")]


def test_dedupe_index_survives_bytes_round_trip() -> None:
    first = make("a", FLOOD, 1)
    index = DedupeIndex()
    assert index.add(first, lambda _: first) == []
    restored = DedupeIndex.from_bytes(index.to_bytes())
    copy = make("b", FLOOD.replace("Volunteers", "Many volunteers"), 2)
    got = restored.add(copy, lambda article_id: {"a": first}[article_id])
    assert [(d.a, d.b, d.relation) for d in got] == [("a", "b", "near_duplicate")]
    assert restored.add(copy, lambda _: first) == []  # adding twice changes nothing


def test_dedupe_batch_and_one_by_one_agree() -> None:
    articles = [
        make("a", FLOOD, 1),
        make("b", ELECTION, 2),
        make("c", FLOOD.lower(), 3),
        make("d", FLOOD.replace("312", "313"), 4),
    ]
    by_id = {a.id: a for a in articles}
    single = DedupeIndex()
    one_by_one = [d for a in articles for d in single.add(a, by_id.__getitem__)]
    assert one_by_one == DedupeIndex().add_many(articles, by_id.__getitem__)


def test_dedupe_short_texts_only_match_exactly() -> None:
    articles = [
        make("a", "Markets closed higher on Friday.", 1),
        make("b", "Markets closed lower on Friday.", 2),
        make("c", "markets closed HIGHER on friday", 3),
    ]
    assert run(articles) == [("a", "c", "exact")]


def test_dedupe_non_english_text_does_not_crash() -> None:
    spanish = "Las inundaciones obligaron a cientos de familias a abandonar sus casas en el pueblo. " * 4
    assert run([make("a", spanish, 1, language="es"), make("b", spanish.upper(), 2, language="es")]) == [
        ("a", "b", "exact")
    ]


_words = st.lists(
    st.sampled_from(["flood", "rose", "town", "river", "12", "people", "rescue", "4,000"]), min_size=1, max_size=30
)


@settings(max_examples=60, deadline=None)
@given(_words, st.sampled_from([" ", "  ", "\n", " , "]))
def test_dedupe_exact_key_ignores_case_and_separators(words: list[str], separator: str) -> None:
    text = " ".join(words)
    assert exact_key(text) == exact_key(separator.join(w.upper() for w in words))


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=6), st.booleans())
def test_dedupe_compare_is_symmetric(cut: int, same_source: bool) -> None:
    lines = FLOOD.split("\n")
    other = "\n".join([*lines[:cut], "A levee failed at dawn near the rail depot, flooding the yard.", *lines[cut:]])
    a = make("a", FLOOD, 1, source="Post")
    b = make("b", other, 2, source="Post" if same_source else "Wire")
    assert compare_articles(a, b) == compare_articles(b, a)
