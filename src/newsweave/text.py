"""Text normalisation and segmentation into paragraphs and sentences with character offsets.

The stored text of an article is ``normalise(raw)``: Unicode NFC, unified line breaks and spaces,
boilerplate lines dropped. Every offset elsewhere in newsweave points into that stored text.
"""

from __future__ import annotations

import re
import unicodedata

from newsweave.model import Article, Paragraph, Sentence

# Lines that carry no reporting: sharing prompts, subscription calls, video teasers.
_BOILERPLATE = re.compile(
    r"""^(?:
        (?:bonus|watch|related)\s+(?:video|content|coverage|stories|articles?)\s*:?.*
      | (?:read|see)\s+(?:more|also)\s*:.*
      | (?:share|tweet|email|print)(?:\s+(?:this|on\s+\w+|article|story))*\s*:?
      | (?:subscribe|sign\s+up)\b.{0,80}
      | (?:follow\s+us|advertisement|advertising|skip\s+advertisement|click\s+here)\b.{0,60}
      | (?:copyright|©|\(c\))\s.{0,120}
      | all\s+rights\s+reserved\.?
      | image(?:\s+source)?\s*[:,].{0,100}
      | (?:photo|picture)\s*(?:credit)?\s*:.{0,100}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Calendar words: capitalised in English text, yet never names of places, people or stories.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "maj",
        "cpl",
        "pvt",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        *MONTH_ABBREVIATIONS,
        "mt",
        "ft",
        "approx",
        "est",
        "fig",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
    ]
)
_SENTENCE_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+|$)""")


def normalise(raw: str) -> str:
    """Return the text newsweave stores: NFC, clean spaces and line breaks, no boilerplate lines."""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub(" ", text)
    lines: list[str] = []
    blank = False
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if not line:
            blank = bool(lines)
            continue
        if is_boilerplate(line):
            continue
        if blank and lines:
            lines.append("")
        lines.append(line)
        blank = False
    return "\n".join(lines)


def is_boilerplate(line: str) -> bool:
    """True for a line that carries no reporting (share prompts, video teasers, copyright)."""
    return len(line) <= 160 and _BOILERPLATE.match(line) is not None


def is_heading(line: str) -> bool:
    """A short line without final punctuation, e.g. "Hundreds killed"."""
    words = line.split()
    if not words or len(words) > 12 or len(line) > 90:
        return False
    if line[-1] in ".!?:;,\"'”’)":
        return False
    return line[0].isupper() or line[0].isdigit()


def content_hash_text(text: str) -> str:
    """The form of the text used for exact duplicate detection: case and spacing folded."""
    return " ".join(text.casefold().split())


def split_paragraphs(text: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                start=start + lead,
                end=start + lead + len(stripped),
                heading=is_heading(stripped),
            )
        )
    return paragraphs


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """Decide whether the punctuation in ``match`` closes a sentence."""
    before = text[: match.start()]
    word = re.search(r"([A-Za-z.]+)$", before)
    if match.group().startswith(".") and word:
        token = word.group(1).lower().rstrip(".")
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            return False
    after = text[match.end() :].lstrip()
    if not after:
        return True
    # A new sentence starts with an upper-case letter, a digit, or an opening quote/bracket.
    return after[0].isupper() or after[0].isdigit() or after[0] in "\"'“‘([-–—"


def split_sentences(text: str, paragraphs: list[Paragraph] | None = None) -> list[Sentence]:
    """Sentences with offsets into ``text``; a sentence never crosses a paragraph boundary."""
    sentences: list[Sentence] = []
    for para in paragraphs if paragraphs is not None else split_paragraphs(text):
        chunk = text[para.start : para.end]
        cursor = 0
        for match in _SENTENCE_END.finditer(chunk):
            if not _ends_sentence(chunk, match):
                continue
            _append_sentence(sentences, text, para, para.start + cursor, para.start + match.end())
            cursor = match.end()
        if cursor < len(chunk):
            _append_sentence(sentences, text, para, para.start + cursor, para.end)
    return sentences


def _append_sentence(out: list[Sentence], text: str, para: Paragraph, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(
            Sentence(
                index=len(out), start=start, end=end, paragraph=para.index, text=text[start:end], heading=para.heading
            )
        )


def segment(text: str) -> tuple[list[Paragraph], list[Sentence]]:
    """Paragraphs and sentences of already normalised text."""
    paragraphs = split_paragraphs(text)
    return paragraphs, split_sentences(text, paragraphs)


def looks_like_title(line: str) -> bool:
    """True when the first line of a plain-text file reads as its title."""
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= 150 and not stripped.endswith((".", ",", ";", ":"))


def article_from_text(
    raw: str,
    *,
    article_id: str = "a1",
    published: str | None = None,
    title: str | None = None,
    source: str | None = None,
    language: str | None = None,
    seq: int = 1,
) -> Article:
    """An in-memory Article from raw text (normalised and segmented), for analysing text without a store."""
    text = normalise(raw)
    paragraphs, sentences = segment(text)
    return Article(
        id=article_id,
        content_hash="",
        text=text,
        origin="memory",
        seq=seq,
        ingested_at="",
        title=title,
        source=source,
        published=published,
        language=language,
        paragraphs=tuple(paragraphs),
        sentences=tuple(sentences),
    )
