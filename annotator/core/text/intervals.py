"""A sorted index of [start, end) intervals for visible-range and
point lookups (DESIGN §4: paint only what is visible).

Short intervals are kept sorted by (start, longer first) and found by
bisecting starts within a window of the longest short length; the few long
ones (a claim spanning a paragraph) are scanned directly, so one huge
interval never makes every lookup linear. Single edits insert or remove in
place: rebuilding for 20,000 spans on every keystroke would not keep up.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
LONG = 2048  # code points; longer intervals go to the scanned list


class IntervalIndex(Generic[T]):
    def __init__(self, items: Iterable[tuple[int, int, T]] = ()) -> None:
        short: list[tuple[int, int, T]] = []
        self._long: list[tuple[int, int, T]] = []
        for item in items:
            (self._long if item[1] - item[0] > LONG else short).append(item)
        order = sorted((it[0], -it[1], n) for n, it in enumerate(short))
        self._short = [short[n] for _, _, n in order]
        self._keys = [(s, e) for s, e, _ in order]  # (start, -end)
        # The few long ones stay in any order: overlapping() sorts what it finds.
        self._max_short = max((it[1] - it[0] for it in short), default=0)

    def __len__(self) -> int:
        return len(self._short) + len(self._long)

    def add(self, item: tuple[int, int, T]) -> None:
        if item[1] - item[0] > LONG:
            self._long.append(item)
            return
        key = (item[0], -item[1])
        at = bisect_right(self._keys, key)
        self._keys.insert(at, key)
        self._short.insert(at, item)
        self._max_short = max(self._max_short, item[1] - item[0])

    def remove(self, start: int, end: int, payload: T) -> bool:
        """Remove the interval with this payload (compared with ==)."""
        if end - start > LONG:
            for n, it in enumerate(self._long):
                if it[0] == start and it[1] == end and it[2] == payload:
                    del self._long[n]
                    return True
            return False
        key = (start, -end)
        at = bisect_left(self._keys, key)
        while at < len(self._keys) and self._keys[at] == key:
            if self._short[at][2] == payload:
                del self._keys[at]
                del self._short[at]
                return True
            at += 1
        return False

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """Intervals meeting [start, end), sorted by start (longer first)."""
        lo = bisect_left(self._keys, (start - self._max_short, -(1 << 62)))
        hi = bisect_left(self._keys, (end, -(1 << 62)))
        found = [it for it in self._short[lo:hi] if it[1] > start]
        long = [it for it in self._long if it[0] < end and it[1] > start]
        if long:
            found += long
            found.sort(key=lambda it: (it[0], -it[1]))
        return found

    def at(self, pos: int) -> list[tuple[int, int, T]]:
        """Intervals containing ``pos``, innermost (shortest) first."""
        return sorted(self.overlapping(pos, pos + 1), key=lambda it: it[1] - it[0])


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
