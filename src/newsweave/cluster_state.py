"""Plain-data pieces of the story clusterer's state (stories, article features) and their JSON form.

Split out of ``newsweave.cluster``; no behaviour of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

SparseVector = dict[str, float]


@dataclass(slots=True)
class _Story:
    """A story in the making: members, date span and summed unit vectors (average link)."""

    id: str
    articles: list[str]
    title: str
    size: int = 0  # members that count in the centroid (copies do not)
    first: str | None = None
    last: str | None = None
    first_day: int | None = None
    last_day: int | None = None
    weak: bool = False  # seeded by an article that cannot be compared: never a candidate
    days: list[int] = field(default_factory=list)  # publication days of its articles, sorted
    terms: SparseVector = field(default_factory=dict)
    names: SparseVector = field(default_factory=dict)
    numbers: SparseVector = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "articles": self.articles,
            "title": self.title,
            "size": self.size,
            "first": self.first,
            "last": self.last,
            "first_day": self.first_day,
            "last_day": self.last_day,
            "weak": self.weak,
            "days": self.days,
            "terms": self.terms,
            "names": self.names,
            "numbers": self.numbers,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> _Story:
        return cls(
            id=str(data["id"]),
            articles=[str(a) for a in data["articles"]],
            title=str(data["title"]),
            size=int(data["size"]),
            first=data["first"],
            last=data["last"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            weak=bool(data["weak"]),
            days=[int(d) for d in data["days"]],
            terms={str(k): float(v) for k, v in data["terms"].items()},
            names={str(k): float(v) for k, v in data["names"].items()},
            numbers={str(k): float(v) for k, v in data.get("numbers", {}).items()},
        )


@dataclass(frozen=True, slots=True)
class _Features:
    embedding: npt.NDArray[np.float32]
    terms: SparseVector
    names: SparseVector
    day: int | None
    comparable: bool
    numbers: SparseVector = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Member:
    """What re-placing an article of a young story needs: its date, title and features (None: a copy)."""

    published: str | None
    title: str
    features: _Features | None


def _features_json(features: _Features | None) -> dict[str, Any] | None:
    if features is None:
        return None
    return {
        "terms": features.terms,
        "names": features.names,
        "numbers": features.numbers,
        "day": features.day,
        "comparable": features.comparable,
    }


def _features_from_json(data: Mapping[str, Any], embedding: npt.NDArray[np.float32]) -> _Features:
    return _Features(
        embedding=embedding,
        terms={str(k): float(v) for k, v in data["terms"].items()},
        names={str(k): float(v) for k, v in data["names"].items()},
        numbers={str(k): float(v) for k, v in data["numbers"].items()},
        day=None if data["day"] is None else int(data["day"]),
        comparable=bool(data["comparable"]),
    )
