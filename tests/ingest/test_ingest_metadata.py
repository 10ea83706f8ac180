"""Publication dates to ISO 8601, and language detection."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.ingest import detect_language, normalise_published


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2025-03-14", "2025-03-14"),
        ("2025-03-14T10:00:00Z", "2025-03-14T10:00:00Z"),
        ("2025-03-14T10:00:00+00:00", "2025-03-14T10:00:00Z"),
        ("2025-03-14T12:30:15+02:00", "2025-03-14T12:30:15+02:00"),
        ("2025-03-14 10:00", "2025-03-14T10:00:00"),
        ("2025-03-14 10:00 UTC", "2025-03-14T10:00:00Z"),
        ("2025-03-14T00:00:00", "2025-03-14"),
        ("Fri, 14 Mar 2025 10:00:00 GMT", "2025-03-14T10:00:00Z"),
        ("Fri, 14 Mar 2025 10:00:00 -0500", "2025-03-14T10:00:00-05:00"),
        ("14 March 2025", "2025-03-14"),
        ("March 14, 2025", "2025-03-14"),
        ("Friday, March 14th, 2025", "2025-03-14"),
        ("14 Mar 2025", "2025-03-14"),
        ("2025/03/14", "2025-03-14"),
        ("14.03.2025", "2025-03-14"),
        ("  2025-03-14 ", "2025-03-14"),
        (1741946400, "2025-03-14T10:00:00Z"),
        (1741946400000, "2025-03-14T10:00:00Z"),
        (date(2025, 3, 14), "2025-03-14"),
        (datetime(2025, 3, 14, 10, 0, tzinfo=UTC), "2025-03-14T10:00:00Z"),
    ],
)
def test_normalise_published_accepts_common_forms(raw: object, iso: str) -> None:
    assert normalise_published(raw) == iso


@pytest.mark.parametrize("raw", [None, "", "yesterday", "2024-13-45", "Q3 2024", "not a date", True, [2024], "99999"])
def test_normalise_published_returns_none_for_non_dates(raw: object) -> None:
    assert normalise_published(raw) is None


@given(st.text(max_size=60) | st.integers() | st.floats(allow_nan=True, allow_infinity=True))
def test_normalise_published_never_raises_and_returns_parseable_iso(raw: object) -> None:
    result = normalise_published(raw)
    if result is not None:
        if "T" in result:
            datetime.fromisoformat(result)
        else:
            date.fromisoformat(result)


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_normalise_published_round_trips_datetimes(moment: datetime, offset_minutes: int) -> None:
    aware = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset_minutes)))
    result = normalise_published(aware.isoformat())
    assert result is not None
    assert datetime.fromisoformat(result) == aware


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Rescue workers searched through the night for survivors after the building collapsed, officials said.", "en"),
        ("Die Rettungskräfte suchten die ganze Nacht nach Überlebenden, nachdem das Gebäude eingestürzt war.", "de"),
        ("Les secouristes ont cherché toute la nuit des survivants après l'effondrement de l'immeuble.", "fr"),
        ("Los rescatistas buscaron sobrevivientes durante toda la noche tras el derrumbe del edificio.", "es"),
        ("عمل رجال الإنقاذ طوال الليل بحثا عن ناجين بعد انهيار المبنى، بحسب ما قال مسؤولون.", "ar"),
    ],
)
def test_detect_language_names_the_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "OK", "12 345 678", "Breaking:", "—— ** ——"])
def test_detect_language_is_none_when_too_short_to_tell(text: str) -> None:
    assert detect_language(text) is None
