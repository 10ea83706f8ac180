"""Text features for story clustering: content words, names, numbers, the lead, site furniture.

Split out of ``newsweave.cluster`` (which re-exports these names); pure functions of an article's text
plus ``SentenceCounter``, the fixed-size sketch that finds site furniture.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import numpy.typing as npt

from newsweave.model import Article
from newsweave.text import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

LEAD_WORDS = 80  # words of title + lead that go into the embedding
TEXT_WORDS = 600  # words of the text that go into the term vector
EDGE_SENTENCES = 15  # opening sentences checked for site furniture (plus the last four)
SKETCH_DEPTH = 3
SKETCH_WIDTH = 1 << 20

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*|\d{2,}")
_NAME = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w’'.-]*)*")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_URLISH = re.compile(r"https?\s*:|www\s*\.|\.\s*(?:com|org|net|co\s*\.\s*uk)\b", re.IGNORECASE)

_CALENDAR = frozenset(
    {
        *WEEKDAYS,
        *MONTHS,
        *MONTH_ABBREVIATIONS,
        "gmt",
        "bst",
        "est",
        "edt",
        "pst",
        "pdt",
        "cet",
        "utc",
        "am",
        "pm",
        "breaking",
        "update",
        "updated",
    }
)


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "told", "according", "reported", "reuters", "reuter"}


_STOP: frozenset[str] | None = None


def stop_words() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    return _STOP


def content_words(text: str, limit: int = TEXT_WORDS) -> list[str]:
    """Folded content words of ``text`` (no stop words, numbers of two digits or more)."""
    stop = stop_words()
    words = [w for w in (m.group().casefold().replace("’", "'") for m in _WORD.finditer(text)) if w not in stop]
    return [w for w in words if len(w) > 2 or w.isdigit()][:limit]


def find_names(article: Article) -> list[str]:
    """Runs of capitalised words ("Betty Ford Center"), folded, plus their last word ("center").

    A single capitalised word opening a sentence is skipped (it is usually just the first word);
    leading articles ("A", "The") and calendar words are dropped.
    """
    names: list[str] = []
    stop = stop_words()
    for sentence in article.sentences[:60]:
        if sentence.heading and sentence.index > 0:
            continue
        for match in _NAME.finditer(sentence.text):
            words = [w for w in match.group().strip(" .'’-").casefold().split()]
            while words and (words[0] in stop or words[0] in _CALENDAR):
                words.pop(0)
            while words and (words[-1] in stop or words[-1] in _CALENDAR):
                words.pop()
            if not words or (match.start() == 0 and len(words) == 1):
                continue
            name = " ".join(words)
            if len(name) > 2 and not name.isupper():
                names.append(name)
                if len(words) > 1 and len(words[-1]) > 2:
                    names.append(words[-1])
    return names


def find_numbers(text: str) -> list[str]:
    """Numbers written in ``text`` ("312", "6.1", "2008"; thousands separators dropped), not in web addresses."""
    lines = (line for line in text.splitlines() if not _URLISH.search(line))
    return [m.group().replace(",", "") for line in lines for m in _NUMBER.finditer(line)]


def lead_text(article: Article, words: int = LEAD_WORDS, skip: frozenset[int] = frozenset()) -> str:
    """Title and opening sentences, skipping URL lines, datelines and the sentences in ``skip``."""
    parts: list[str] = []
    count = 0
    if article.title:
        parts.append(article.title.strip())
        count += len(article.title.split())
    for sentence in article.sentences:
        if count >= words:
            break
        if sentence.index in skip:
            continue
        text = sentence.text.strip()
        if not text or _URLISH.search(text) or (article.title and text == article.title.strip()):
            continue
        if sum(c.isalpha() for c in text) < 0.5 * len(text):
            continue
        parts.append(text)
        count += len(text.split())
    return " ".join(" ".join(parts).split()[:words])


def embed_lead(article: Article) -> str:
    """The text whose vector clustering will most likely ask for: the lead of an analysable article.

    Computed ahead of clustering (in parallel, per article); clustering leaves out sentences it later
    finds to be site furniture, and embeds such a changed lead itself.
    """
    return lead_text(article) if article.analysable else ""


def sentence_shape(text: str) -> str | None:
    """A sentence with names and numbers removed ("Get alerts from <name>"), or None when too short."""
    words = [m.group() for m in _WORD.finditer(text)]
    kept = [w.casefold() for n, w in enumerate(words) if not w[0].isdigit() and (n == 0 or not w[0].isupper())]
    return " ".join(kept) if len(kept) >= 4 else None


class SentenceCounter:
    """Approximate count of the weeks in which each sentence shape opened or closed an article.

    Site furniture ("Get email notifications on ...", "Your notification has been saved") recurs
    week after week; a syndicated report repeats its sentences within days. Counting distinct weeks
    (an undated article counts as a week of its own) tells the two apart. Fixed size whatever the
    store holds: a Bloom filter remembers which (shape, week) pairs were seen and a count-min sketch
    (``SKETCH_DEPTH`` rows of ``SKETCH_WIDTH`` saturating byte counters) counts weeks per shape;
    both only ever over-count.
    """

    __slots__ = ("seen", "table")

    def __init__(self, table: npt.NDArray[np.uint8] | None = None, seen: npt.NDArray[np.uint8] | None = None) -> None:
        self.table = table if table is not None else np.zeros((SKETCH_DEPTH, SKETCH_WIDTH), dtype=np.uint8)
        self.seen = seen if seen is not None else np.zeros(SKETCH_WIDTH, dtype=np.uint8)  # 8 bits a byte

    @staticmethod
    def _cells(key: str) -> list[int]:
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4 * SKETCH_DEPTH).digest()
        return [int.from_bytes(digest[4 * r : 4 * r + 4], "little") for r in range(SKETCH_DEPTH)]

    def add(self, shapes: set[str], period: str) -> None:
        for shape in shapes:
            bits = [cell % (8 * SKETCH_WIDTH) for cell in self._cells(f"{shape}|{period}")]
            if all(self.seen[b >> 3] & (1 << (b & 7)) for b in bits):
                continue  # this shape was already counted for this week
            for b in bits:
                self.seen[b >> 3] |= np.uint8(1 << (b & 7))
            for row, cell in enumerate(self._cells(shape)):
                if self.table[row, cell % SKETCH_WIDTH] < 255:
                    self.table[row, cell % SKETCH_WIDTH] += 1

    def count(self, shape: str) -> int:
        return min(int(self.table[row, cell % SKETCH_WIDTH]) for row, cell in enumerate(self._cells(shape)))


def edge_shapes(article: Article) -> dict[int, str]:
    """Sentence index -> shape, for the opening and closing sentences where site furniture lives."""
    sentences = article.sentences
    edge = list(sentences[:EDGE_SENTENCES]) + list(sentences[max(EDGE_SENTENCES, len(sentences) - 4) :])
    shapes = {s.index: sentence_shape(s.text) for s in edge}
    return {i: shape for i, shape in shapes.items() if shape is not None}
