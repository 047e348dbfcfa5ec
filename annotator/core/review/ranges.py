"""Range arithmetic behind the agreement figures.

Spans of one label in one layer never overlap (the store refuses it), so
each annotator's spans of a label are a sorted list of disjoint half-open
ranges. Every function here relies on that and runs in linear time (after
sorting), which is what keeps agreement over thousands of documents fast:
nothing walks the text character by character except one C-level regex scan
per document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

Range = tuple[int, int]
_WHITESPACE = re.compile(r"\s")  # for str patterns: exactly the characters str.isspace() accepts


class CharCounter:
    """Counts the non-whitespace characters (the agreement units) of a range.

    Texts use only a handful of distinct whitespace characters (space, line
    break, NBSP), so a count is the range's length minus a few C-level
    ``str.count`` calls over the range: no per-character work in Python and
    no per-document table, which matters when a thousand documents are read.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self._spaces = tuple(set(_WHITESPACE.findall(text)))
        self.total = self.length - sum(text.count(space) for space in self._spaces)

    def count(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        units = end - start
        text = self.text
        for space in self._spaces:
            units -= text.count(space, start, end)
        return units

    def sum(self, ranges: Iterable[Range]) -> int:
        count = self.count
        return sum(count(s, e) for s, e in ranges)


def exact_matches(a: Sequence[Range], b: Sequence[Range]) -> int:
    """Ranges present in both lists with identical start and end."""
    return len(set(a) & set(b))


def overlap_matches(a: Sequence[Range], b: Sequence[Range]) -> int:
    """Size of a maximum one-to-one matching of ranges that share a character.

    With disjoint ranges on each side, pairing the two leftmost unmatched
    ranges whenever they overlap is optimal: if a[i] and b[j] overlap, no
    maximum matching can pair both of them with later ranges (a[i]'s later
    partner would have to start before a[i] ends, hence before b[j] ends),
    so exchanging partners never loses a pair.
    """
    len_a, len_b = len(a), len(b)
    if not len_a or not len_b:
        return 0
    i = j = matches = 0
    a_start, a_end = a[0]
    b_start, b_end = b[0]
    # Each range is unpacked once, when the walk reaches it: agreement runs
    # this for every pair, label and document.
    while True:
        if a_start < b_end and b_start < a_end:
            matches += 1
            i += 1
            j += 1
            if i == len_a or j == len_b:
                return matches
            a_start, a_end = a[i]
            b_start, b_end = b[j]
        elif a_end <= b_end:
            i += 1
            if i == len_a:
                return matches
            a_start, a_end = a[i]
        else:
            j += 1
            if j == len_b:
                return matches
            b_start, b_end = b[j]


def shared_units(a: Sequence[Range], b: Sequence[Range], chars: CharCounter) -> int:
    """Units covered by both lists, counted without building their intersection."""
    count = chars.count
    total = i = j = 0
    len_a, len_b = len(a), len(b)
    while i < len_a and j < len_b:
        a_start, a_end = a[i]
        b_start, b_end = b[j]
        start = a_start if a_start > b_start else b_start
        if a_end <= b_end:
            if start < a_end:
                total += count(start, a_end)
            i += 1
        else:
            if start < b_end:
                total += count(start, b_end)
            j += 1
    return total


def coverage_histogram(layers: Sequence[Sequence[Range]], chars: CharCounter) -> Counter[int]:
    """How many units are covered by exactly k of the given layers, for each k.

    One sweep over the range boundaries; k == 0 holds the uncovered units.
    """
    events: Counter[int] = Counter()
    for ranges in layers:
        for start, end in ranges:
            events[start] += 1
            events[end] -= 1
    histogram: Counter[int] = Counter()
    depth = 0
    previous = 0
    covered = 0
    for position in sorted(events):
        if depth > 0 and position > previous:
            units = chars.count(previous, position)
            histogram[depth] += units
            covered += units
        depth += events[position]
        previous = position
    histogram[0] += chars.total - covered
    return histogram


def coverage_by_layers(layers: Sequence[Sequence[Range]], chars: CharCounter
                       ) -> tuple[Counter[int], dict[int, int]]:
    """``coverage_histogram`` of the layers and, from the same sweep, the
    units covered by exactly each set of layers (bit i set: inside a range of
    ``layers[i]``; uncovered units left out).

    Every pairwise kappa count of a document follows from the second (units
    of a = sum over sets holding a, units of both = sum over sets holding
    both), so one sweep per label replaces a walk per pair. The histogram is
    built in the same order as ``coverage_histogram`` builds its own.
    """
    toggles: dict[int, int] = {}
    for bit, ranges in enumerate(layers):
        flag = 1 << bit
        for start, end in ranges:
            # Touching ranges of one layer toggle twice at the shared edge:
            # the layer stays inside, as the depth count of the histogram says.
            toggles[start] = toggles.get(start, 0) ^ flag
            toggles[end] = toggles.get(end, 0) ^ flag
    histogram: Counter[int] = Counter()
    by_set: dict[int, int] = {}
    count = chars.count
    inside = previous = covered = 0
    for position in sorted(toggles):
        if inside and position > previous:
            units = count(previous, position)
            histogram[inside.bit_count()] += units
            by_set[inside] = by_set.get(inside, 0) + units
            covered += units
        inside ^= toggles[position]
        previous = position
    histogram[0] += chars.total - covered
    return histogram, by_set
