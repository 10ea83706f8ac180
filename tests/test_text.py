from hypothesis import given
from hypothesis import strategies as st

from newsweave.text import is_heading, looks_like_title, normalise, segment, split_sentences


def test_normalise_drops_boilerplate_lines_and_keeps_reporting():
    raw = (
        "Floods hit the valley.\r\nBonus video:\nShare this article\nRescuers said 12 died."
        "\n\n\nSubscribe to our newsletter"
    )
    text = normalise(raw)
    assert "Bonus video" not in text and "Share this" not in text and "Subscribe" not in text
    assert "Floods hit the valley." in text and "Rescuers said 12 died." in text


def test_normalise_folds_unicode_spaces_and_zero_width():
    assert normalise("A\u00a0b\u200bc  \t d") == "A bc d"


def test_segment_offsets_point_into_text():
    text = normalise("Title line here\nFirst sentence. Second one, said Dr. Smith, ends here! Third?\nLast para")
    paragraphs, sentences = segment(text)
    assert [p.heading for p in paragraphs] == [True, False, True]
    assert [s.text for s in sentences] == [
        "Title line here",
        "First sentence.",
        "Second one, said Dr. Smith, ends here!",
        "Third?",
        "Last para",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_split_sentences_keeps_decimals_and_abbreviations_together():
    sents = split_sentences("The U.S. sent 1.5 million doses. Officials in St. Louis agreed.")
    assert [s.text for s in sents] == ["The U.S. sent 1.5 million doses.", "Officials in St. Louis agreed."]


def test_split_sentences_handles_closing_quotes():
    sents = split_sentences('"We will stay," he said. "They left." Then silence.')
    assert len(sents) == 3


def test_is_heading_short_line_without_final_punctuation():
    assert is_heading("Hundreds killed")
    assert not is_heading("Hundreds were killed on Friday, officials said.")
    assert not is_heading("lowercase start")


def test_looks_like_title():
    assert looks_like_title("Rebels enter the city")
    assert not looks_like_title("The rebels entered the city on Friday.")


@given(st.text())
def test_segment_never_crashes_and_offsets_are_exact(raw):
    text = normalise(raw)
    _, sentences = segment(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text


@given(st.text())
def test_normalise_is_idempotent(raw):
    once = normalise(raw)
    assert normalise(once) == once


def test_article_from_text_is_segmented_with_exact_offsets():
    from newsweave.text import article_from_text

    art = article_from_text("Storm hits coast\nFour people were hurt. Roads closed.", published="2025-03-14")
    assert art.published == "2025-03-14" and art.analysable
    assert [s.text for s in art.sentences] == ["Storm hits coast", "Four people were hurt.", "Roads closed."]
    assert all(art.text[s.start : s.end] == s.text for s in art.sentences)
