"""Claims: sentences stating that something happened, with source, stance, date and actors."""

from __future__ import annotations

from newsweave.extract.attribution import attribute_sentences
from newsweave.extract.claims import find_claims, is_background
from newsweave.extract.entities import find_mentions
from newsweave.model import Article, Claim
from newsweave.text import article_from_text


def make_article(raw: str, published: str | None = "2024-03-15") -> Article:
    return article_from_text(raw, published=published)


def claims_of(raw: str, published: str | None = "2024-03-15") -> list[Claim]:
    art = make_article(raw, published)
    mentions = find_mentions(art)
    return find_claims(art, mentions, attribute_sentences(art, mentions))


def kinds(claims: list[Claim]) -> set[str]:
    return {c.kind for c in claims}


def test_find_claims_kinds_of_happenings() -> None:
    found = claims_of(
        "Rebel fighters captured the village of Tel Amar.\n"
        "Warplanes carried out airstrikes on the old city.\n"
        "The army closed the main highway to the coast.\n"
        "Extra army units were deployed to the provincial capital.\n"
        "The interior minister pledged financial support for the farmers.\n"
        "Government troops regained control of two hilltops."
    )
    by_sentence = {c.sentence_index: c.kind for c in found}
    assert by_sentence[0] == "capture"
    assert by_sentence[1] == "attack"
    assert by_sentence[2] == "closure"
    assert by_sentence[3] == "reinforcement"
    assert by_sentence[4] == "pledge"
    assert by_sentence[5] == "regain"


def test_find_claims_denial_keeps_stance_and_source() -> None:
    found = claims_of("State television denied reports that rebels had entered the city.")
    denial = next(c for c in found if c.kind == "denial")
    assert denial.stance == "denies"
    assert denial.source == "State television"


def test_find_claims_source_and_actors() -> None:
    found = claims_of("The Danube Conflict Watch said the Free Valley Front seized two villages on Wednesday.")
    claim = next(c for c in found if c.kind == "capture")
    assert claim.source == "Danube Conflict Watch"
    assert "Free Valley Front" in claim.actors
    assert "Danube Conflict Watch" not in claim.actors


def test_find_claims_weekday_resolves_before_publication() -> None:
    # published on a Friday: "on Wednesday" is two days earlier
    found = claims_of("Militants stormed the police station on Wednesday.")
    assert found[0].date == "2024-03-13"
    assert found[0].date_granularity == "day"


def test_find_claims_without_date_expression_use_publication_day() -> None:
    found = claims_of("Militants stormed the police station.")
    assert found[0].date == "2024-03-15"


def test_find_claims_without_publication_date_leave_date_unresolved() -> None:
    found = claims_of("Militants stormed the police station on Wednesday.", published=None)
    assert found and found[0].date is None


def test_find_claims_skip_background_and_headings() -> None:
    found = claims_of(
        "Heavy fighting erupted\nIn 2013, government forces recaptured the city.\n"
        "The civil war began in 2008 and has killed many people."
    )
    assert found == []


def test_find_claims_ignore_sentences_without_happenings() -> None:
    assert claims_of("The city is known for its soap and its citadel.") == []


def test_is_background_distinguishes_history_from_news() -> None:
    assert is_background("In 2013, the army won back the valley.", "2025-03-14")
    assert not is_background("On Friday, the army won back the valley.", "2025-03-14")
    assert not is_background("In 2025, the assault started on Tuesday.", "2025-03-14")
