"""A sorted index of [start, end) intervals for visible-range and
point lookups (DESIGN §4: paint only what is visible).

Intervals are kept sorted by start. Short ones are found by bisecting
starts within a window of the longest short length; the few long ones (a
claim spanning a paragraph) are scanned directly, so one huge interval never
makes every lookup linear.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
LONG = 2048  # code points; longer intervals go to the scanned list


class IntervalIndex(Generic[T]):
    def __init__(self, items: Iterable[tuple[int, int, T]] = ()) -> None:
        self._short: list[tuple[int, int, T]] = []
        self._long: list[tuple[int, int, T]] = []
        for item in items:
            (self._long if item[1] - item[0] > LONG else self._short).append(item)
        self._short.sort(key=lambda it: (it[0], -it[1]))
        self._long.sort(key=lambda it: (it[0], -it[1]))
        self._starts = [it[0] for it in self._short]
        self._max_short = max((it[1] - it[0] for it in self._short), default=0)

    def __len__(self) -> int:
        return len(self._short) + len(self._long)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """Intervals meeting [start, end), sorted by start (longer first)."""
        lo = bisect_left(self._starts, start - self._max_short)
        hi = bisect_left(self._starts, end)
        found = [it for it in self._short[lo:hi] if it[1] > start]
        found += [it for it in self._long if it[0] < end and it[1] > start]
        if self._long:
            found.sort(key=lambda it: (it[0], -it[1]))
        return found

    def at(self, pos: int) -> list[tuple[int, int, T]]:
        """Intervals containing ``pos``, innermost (shortest) first."""
        return sorted(self.overlapping(pos, pos + 1), key=lambda it: it[1] - it[0])

    def all(self) -> list[tuple[int, int, T]]:
        items = self._short + self._long
        items.sort(key=lambda it: (it[0], -it[1]))
        return items


def neighbour(positions: Sequence[tuple[int, int]], current: tuple[int, int] | None,
              step: int) -> int | None:
    """Index in ``positions`` (sorted (start, end) pairs) of the next (step=1)
    or previous (step=-1) item after ``current``; wraps around."""
    if not positions:
        return None
    if current is None:
        return 0 if step > 0 else len(positions) - 1
    if step > 0:
        i = bisect_right(positions, current)
        return i if i < len(positions) else 0
    i = bisect_left(positions, current) - 1
    return i if i >= 0 else len(positions) - 1
