"""IntervalIndex and neighbour against brute force (core/intervals.py).

Lengths straddle LONG, the threshold between bisected and scanned intervals,
and the index is changed in place as well as built at once."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from annotator.core.text.intervals import LONG, IntervalIndex, neighbour

Item = tuple[int, int, int]


def _order(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda it: (it[0], -it[1]))  # stable: ties keep insertion order


def _overlapping(items: list[Item], start: int, end: int) -> list[Item]:
    return _order([it for it in items if it[0] < end and it[1] > start])


lengths = st.one_of(st.integers(1, 40), st.sampled_from([LONG - 1, LONG, LONG + 1]),
                    st.integers(LONG + 2, 3 * LONG))
intervals = st.lists(st.tuples(st.integers(0, 3 * LONG), lengths), max_size=25)
queries = st.lists(st.tuples(st.integers(0, 6 * LONG), st.integers(1, 3 * LONG)), min_size=1, max_size=8)


def _items(raw: list[tuple[int, int]], first: int = 0) -> list[Item]:
    return [(start, start + length, first + n) for n, (start, length) in enumerate(raw)]


def _check(index: IntervalIndex, items: list[Item], probes: list[tuple[int, int]]) -> None:
    assert len(index) == len(items)
    for start, width in probes:
        assert index.overlapping(start, start + width) == _overlapping(items, start, start + width)
        expected_at = sorted(_overlapping(items, start, start + 1), key=lambda it: it[1] - it[0])
        assert index.at(start) == expected_at


@example([(0, LONG + 1), (5, 10), (5, 10), (3, LONG)], [(LONG, 1), (4, 2), (0, 1), (LONG + 1, 5)])
@example([(10, 5), (10, 5), (10, 30)], [(10, 1), (14, 1), (15, 1), (9, 1)])  # equal and touching
@given(intervals, queries)
def test_built_at_once_finds_what_brute_force_finds(raw, probes) -> None:
    items = _items(raw)
    _check(IntervalIndex(items), items, probes)


@example([(100, 5)], [(0, 50), (0, LONG + 40)], [(90, 30)])  # a longer short one widens the window
@given(intervals, intervals, queries)
def test_added_one_by_one_finds_the_same(first, later, probes) -> None:
    items = _items(first)
    index = IntervalIndex(items)
    for item in _items(later, first=len(items)):
        index.add(item)
        items.append(item)
    _check(index, items, probes)


@given(intervals, st.data())
def test_removing_takes_out_exactly_that_interval(raw, data) -> None:
    items = _items(raw)
    index = IntervalIndex(items)
    for item in data.draw(st.permutations(items)):
        assert index.remove(*item)
        assert not index.remove(*item)  # gone: a second remove finds nothing
        items.remove(item)
        _check(index, items, [(0, 4 * LONG)])
    assert len(index) == 0


def test_remove_needs_the_same_payload_and_range() -> None:
    index = IntervalIndex([(0, 10, 1), (0, LONG + 10, 2)])
    assert not index.remove(0, 10, 2) and not index.remove(0, 11, 1)
    assert not index.remove(0, LONG + 10, 1) and not index.remove(0, LONG + 11, 2)
    assert index.remove(0, LONG + 10, 2) and index.remove(0, 10, 1)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 5)), unique=True, max_size=10),
       st.one_of(st.none(), st.tuples(st.integers(0, 55), st.integers(1, 60))), st.sampled_from([1, -1]))
def test_neighbour_is_the_next_or_previous_position_wrapping_round(raw, current, step) -> None:
    positions = sorted((s, s + n) for s, n in raw)
    found = neighbour(positions, current, step)
    if not positions:
        assert found is None
    elif current is None:
        assert found == (0 if step > 0 else len(positions) - 1)
    elif step > 0:
        later = [i for i, p in enumerate(positions) if p > current]
        assert found == (later[0] if later else 0)
    else:
        earlier = [i for i, p in enumerate(positions) if p < current]
        assert found == (earlier[-1] if earlier else len(positions) - 1)
