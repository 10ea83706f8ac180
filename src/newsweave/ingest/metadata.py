"""Article metadata shared by every reader: publication dates, language, outlet, and the final record.

``build_article`` is the one place where a reader's raw findings become an ``ArticleInput`` or a
``Rejected``: it applies the caller's defaults, normalises the date, checks that some text survives
cleaning, and detects the language.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from newsweave.model import ArticleInput, Rejected
from newsweave.text import looks_like_title, normalise

STAGE = "ingest"

# Below this many letters a language guess is noise.
_MIN_LETTERS_FOR_LANGUAGE = 24
_MIN_LANGUAGE_CONFIDENCE = 0.5
# Language detection looks at the start of the text only: enough to tell, and fast on long articles.
_LANGUAGE_SAMPLE = 1000

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d.%m.%Y",
)
_DATETIME_SPACE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Options:
    """How to read: the caller's metadata fallbacks, the size limit, and the network policy.

    ``source`` and ``published`` fill in for inputs that carry no metadata of their own.
    """

    source: str | None = None
    published: str | None = None
    max_bytes: int = 50_000_000
    allow_private_urls: bool = False
    http: Any = None  # an httpx.Client supplied by the caller, or None for one made per URL


def reject(item: str, reason: str) -> Rejected:
    return Rejected(item=item, stage=STAGE, reason=reason)


def format_datetime(value: datetime) -> str:
    """ISO 8601 to the second ("2025-03-14T10:00:00Z"); a naive midnight is a date ("2025-03-14")."""
    if value.tzinfo is None and value.time() == time(0, 0):
        return value.date().isoformat()
    if value.tzinfo is not None and value.utcoffset() == timedelta(0):
        value = value.replace(tzinfo=UTC)
    text = value.isoformat(timespec="seconds")
    return text.replace("+00:00", "Z") if value.tzinfo is not None else text


def normalise_published(value: object) -> str | None:
    """Return ``value`` as an ISO 8601 date or datetime, or None when it is not a recognisable date.

    Accepts ISO strings ("2025-03-14", "2025-03-14T10:00:00Z", "2025-03-14 10:00"), RFC 2822 dates from
    feeds and mail ("Fri, 14 Mar 2025 10:00:00 GMT"), common written dates ("14 March 2025",
    "Mar 14, 2025"), Unix timestamps (numbers), and ``date``/``datetime`` objects.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > 80:
        return None
    return _parse_iso(text) or _parse_rfc2822(text) or _parse_written(text)


def _from_timestamp(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        return format_datetime(datetime.fromtimestamp(seconds, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _parse_iso(text: str) -> str | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    match = _DATETIME_SPACE.match(text)
    if match:
        zone = match.group(3) or ""
        zone = "+00:00" if zone.upper() in ("Z", "UTC", "GMT") else zone
        text = f"{match.group(1)}T{match.group(2)}{zone}"
    if "T" not in text:
        return None
    try:
        return format_datetime(datetime.fromisoformat(text))
    except ValueError:
        return None


def _parse_rfc2822(text: str) -> str | None:
    if not re.search(r"\d{1,2}:\d{2}", text):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return format_datetime(parsed)


def _parse_written(text: str) -> str | None:
    cleaned = re.sub(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", "", text, flags=re.IGNORECASE)
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", cleaned)
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return parsed.date().isoformat()
    return None


@cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _has_letters(text: str, count: int) -> bool:
    for ch in text:
        if ch.isalpha():
            count -= 1
            if count <= 0:
                return True
    return False


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language ("en", "de", ...), or None when it is too short to tell."""
    sample = text[:_LANGUAGE_SAMPLE]
    if not _has_letters(sample, _MIN_LETTERS_FOR_LANGUAGE):
        return None
    language, confidence = _language_identifier().classify(sample)
    if float(confidence) < _MIN_LANGUAGE_CONFIDENCE:
        return None
    return str(language)


def host_source(url: str | None) -> str | None:
    """The outlet implied by a URL: its host name without "www."."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def clean_field(value: object) -> str | None:
    """A metadata value as a single-line string, or None when it is missing or empty."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        for key in ("name", "title", "value"):
            if isinstance(value.get(key), str):
                return clean_field(value[key])
        return None
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def build_article(
    text: str,
    origin: str,
    defaults: Options,
    *,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    published: object = None,
    external_id: str | None = None,
) -> ArticleInput | Rejected:
    """Make the record for one article, or a rejection when no text survives cleaning.

    ``source`` and ``published`` are the input's own metadata; the caller's defaults fill what is
    missing, and the URL's host is the last resort for the outlet.
    """
    cleaned = normalise(text)
    if not cleaned.strip():
        return reject(origin, "empty text after cleaning" if text.strip() else "empty text")
    url = clean_field(url)  # the input's own metadata may be of any JSON type
    return ArticleInput(
        text=text,
        origin=origin,
        title=clean_field(title),
        source=clean_field(source) or defaults.source or host_source(url),
        url=url,
        published=normalise_published(published) or normalise_published(defaults.published),
        external_id=clean_field(external_id),
        language=detect_language(cleaned),
    )


def build_plain_article(
    text: str, origin: str, options: Options, *, url: str | None = None, markdown: bool = False
) -> ArticleInput | Rejected:
    """A plain-text article: its first line is the title when it looks like one, the rest is the text."""
    body = text.lstrip("\ufeff")
    stripped = body.lstrip()
    first, _, rest = stripped.partition("\n")
    candidate = first.strip()
    if markdown:
        candidate = re.sub(r"^#{1,6}\s+", "", candidate).strip()
    if rest.strip() and looks_like_title(candidate):
        return build_article(rest.strip("\n"), origin, options, title=candidate, url=url)
    return build_article(body, origin, options, url=url)
