"""extract_article: the whole per-article extraction on invented reports."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import newsweave.extract as extract
from newsweave.extract import credit_figures, extract_article, extract_articles
from newsweave.extract.attribution import Attribution
from newsweave.model import Article, Extraction, Figure
from newsweave.text import article_from_text

REPORT = """Militias of the Free Valley Front (FVF) have seized the town of Qasr Amin, reports the Vienna-based \
monitor Danube Observatory for Civilian Protection (DOCP) on Tuesday.
The observatory said at least 14 civilians were killed in the fighting. It said 30 more were wounded.
On Sunday, FVF fighters attacked army positions near Kherson, the DOCP said.
The defence ministry denied reports that the town had fallen.
Ten soldiers were reportedly captured."""


def make_article(
    raw: str, article_id: str = "a1", published: str | None = "2024-03-12", language: str | None = None
) -> Article:
    return article_from_text(raw, article_id=article_id, published=published, language=language)


def test_extract_article_credits_figures_to_the_full_name_of_the_source() -> None:
    result = extract_article(make_article(REPORT))
    killed = next(f for f in result.figures if f.measure == "killed" and f.value == 14)
    assert killed.source == "Danube Observatory for Civilian Protection"
    assert killed.stance == "asserts" and not killed.hedged
    wounded = next(f for f in result.figures if f.value == 30)
    assert wounded.source == "Danube Observatory for Civilian Protection"


def test_extract_article_finds_mentions_claims_and_dated_events() -> None:
    result = extract_article(make_article(REPORT))
    assert {"Free Valley Front", "FVF", "The observatory"} <= {m.text for m in result.mentions}
    assert any(c.kind == "capture" and c.source == "Danube Observatory for Civilian Protection" for c in result.claims)
    assert any(c.kind == "denial" and c.stance == "denies" for c in result.claims)
    # published Tuesday 12 March 2024: "On Sunday" is the 10th
    clash = next(e for e in result.events if e.sentence.startswith("On Sunday"))
    assert (clash.type, clash.acled_subtype, clash.date) == ("ASSAULT", "Armed clash", "2024-03-10")
    assert result.places == ()


def test_extract_article_hedged_sentence_flags_its_claims() -> None:
    result = extract_article(make_article(REPORT))
    captured = [c for c in result.claims if c.sentence.startswith("Ten soldiers")]
    assert captured and all(c.hedged for c in captured)


def test_extract_article_skips_non_english_articles() -> None:
    art = make_article("Les rebelles ont pris la ville, selon l'observatoire.", language="fr")
    assert extract_article(art) == Extraction()


def test_extract_article_empty_text_gives_empty_extraction() -> None:
    assert extract_article(make_article("")) == Extraction()


def test_extract_articles_batch_matches_one_by_one() -> None:
    arts = [
        make_article(REPORT, "a1"),
        make_article("Police arrested 12 protesters on Monday.", "a2"),
        make_article("Der Konvoi kam an.", "a3", language="de"),
    ]
    assert extract_articles(arts) == [extract_article(a) for a in arts]


def test_credit_figures_keeps_sentence_stance_and_hedge() -> None:
    fig = Figure(sentence_index=2, sentence="s", start=0, end=1, measure="killed", value=3, qualifier="exact")
    att = Attribution(2, source="Red Crescent", stance="denies", hedged=True)
    [credited] = credit_figures([fig], [Attribution(0), att])
    assert (credited.source, credited.stance, credited.hedged) == ("Red Crescent", "denies", True)


def test_extract_public_api_is_exported() -> None:
    assert set(extract.__all__) >= {"extract_article", "extract_articles"}


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "2024-02-29", "not a date"]))
def test_extract_article_never_crashes_and_offsets_hold(raw: str, published: str | None) -> None:
    art = make_article(raw, published=published)
    result = extract_article(art)
    for m in result.mentions:
        assert art.text[m.start : m.end] == m.text
    for e in result.events:
        assert all(0 <= i < len(result.figures) for i in e.figure_indices)
