"""What was known when: the instant comparison behind --as-of."""

from newsweave.store.base import known_by


def test_known_by_compares_instants_across_offsets_and_dates():
    assert known_by("2025-03-14T10:00:00+02:00", "2026-01-01", "2025-03-14T08:30:00Z")
    assert not known_by("2025-03-14T10:00:00-02:00", "2026-01-01", "2025-03-14T08:30:00Z")
    assert known_by("2025-03-14T23:00:00Z", "2026-01-01", "2025-03-14")  # a bare date: by the end of the day
    assert not known_by(None, "2025-03-15T00:00:01Z", "2025-03-14")
    assert known_by("not a date", "2025-03-01T00:00:00Z", "2025-03-14")
