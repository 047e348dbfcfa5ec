"""One layer's spans in one open document, compact: parallel arrays instead
of a ``Span`` object per row (issue 15: a 20 MB document holds 400,000
spans; a frozen Span, a highlight, an interval-index entry and a list row
for each took seconds and 670 MB to open).

Two orders are kept, both as arrays of machine integers: by position
(start, longer first, label, id: the span list's and the painter's order)
and by id (to find one span in O(log n)). A ``Span`` is built only for a
span someone asks for (the selected one, the rows painted), from the arrays
and the few spans that carry attributes or a note. Timestamps and
provenance are not kept: edits read the stored row again by id.

Reads as a ``Mapping[int, Span]`` (span id -> span), so ``table[id]``,
``id in table`` and ``table.get(id)`` work as on the dict it replaces.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from itertools import compress, islice
from operator import eq, lt, sub
from typing import Any

from annotator.core.model import Span

LONG = 2048  # code points; longer spans are kept apart and scanned (text.intervals)
_CACHE = 4096  # Span objects kept built (a few screens of the span list)
_ABSENT = object()
_CHUNK = 20_000  # rows read from the store at a time


class SpanTable(Mapping[int, Span]):
    def __init__(self, document_id: int, layer: str) -> None:
        self.document_id = document_id
        self.layer = layer
        self.names: list[str] = []  # label code -> name
        self._codes: dict[str, int] = {}
        # By position.
        self.ids, self.starts, self.ends = array("q"), array("q"), array("q")
        self.labels = array("H")
        # By id.
        self._by_id, self._id_start, self._id_end = array("q"), array("q"), array("q")
        self._id_label = array("H")
        # Spans longer than LONG (by id), and the longest of the others.
        self._long: dict[int, None] = {}
        self._max_short = 0
        # id -> (attributes JSON, note) for the spans that have either.
        self._extras: dict[int, tuple[str, str]] = {}
        self._built: dict[int, Span] = {}

    # -- building ------------------------------------------------------------------

    @classmethod
    def from_rows(cls, document_id: int, layer: str, rows: Iterable[tuple[int, int, int, str]],
                  extras: Iterable[tuple[int, str, str]] = ()) -> "SpanTable":
        """Rows (id, start, end, label) sorted by start, and within one
        start by (-end, label, id) or by (end, label) (the store's index
        order, which needs no sort in SQLite: a 400,000-row ORDER BY "end"
        DESC took 0.3 s there); extras (id, attributes JSON, note) for spans
        that have either."""
        table = cls(document_id, layer)
        ids, starts, ends, labels = table.ids, table.starts, table.ends, table.labels
        code = table._code
        codes: dict[str, int] = {}
        rows = iter(rows)
        # A chunk at a time, column by column through list comprehensions:
        # a loop appending to four arrays per row took twice as long at
        # 400,000 rows, and all rows at once held 80 MB of tuples.
        while chunk := list(islice(rows, _CHUNK)):
            for label in {r[3] for r in chunk} - codes.keys():
                codes[label] = code(label)
            ids.extend([r[0] for r in chunk])
            starts.extend([r[1] for r in chunk])
            ends.extend([r[2] for r in chunk])
            labels.extend([codes[r[3]] for r in chunk])
        table._order_equal_starts()
        lengths = list(map(sub, ends, starts))
        table._long = dict.fromkeys(compress(ids, map(LONG.__lt__, lengths)))
        longest = max(lengths, default=0)
        table._max_short = longest if longest <= LONG else \
            max((n for n in lengths if n <= LONG), default=0)
        if all(map(lt, ids, islice(ids, 1, None))):
            # Spans stored in text order (an import): the id order is the
            # position order, copied in C.
            table._by_id, table._id_start = array("q", ids), array("q", starts)
            table._id_end, table._id_label = array("q", ends), array("H", labels)
        else:
            order = sorted(range(len(ids)), key=ids.__getitem__)
            table._by_id = array("q", [ids[r] for r in order])
            table._id_start = array("q", [starts[r] for r in order])
            table._id_end = array("q", [ends[r] for r in order])
            table._id_label = array("H", [labels[r] for r in order])
        shared: dict[str, str] = {}  # one string for the many equal attribute sets
        for span_id, attributes, note in extras:
            table._extras[span_id] = (shared.setdefault(attributes, attributes), note)
        return table

    @classmethod
    def from_spans(cls, document_id: int, layer: str, spans: Iterable[Span]) -> "SpanTable":
        ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.id))
        return cls.from_rows(document_id, layer, ((s.id, s.start, s.end, s.label) for s in ordered),
                             ((s.id, json.dumps(s.attributes, ensure_ascii=False), s.note)
                              for s in ordered if s.attributes or s.note))

    def _order_equal_starts(self) -> None:
        """Put spans sharing a start in position order (longer first)."""
        starts = self.starts
        if len(starts) < 2:
            return
        # Rows equal in start to the row before: few, found in C.
        repeats = list(compress(range(1, len(starts)), map(eq, islice(starts, 1, None), starts)))
        at = 0
        while at < len(repeats):
            first = repeats[at] - 1
            last = repeats[at]
            while at + 1 < len(repeats) and repeats[at + 1] == last + 1:
                at += 1
                last = repeats[at]
            at += 1
            rows = sorted(range(first, last + 1), key=lambda r: (-self.ends[r],
                          self.names[self.labels[r]], self.ids[r]))
            for column in (self.ids, self.ends, self.labels):
                column[first:last + 1] = array(column.typecode, [column[r] for r in rows])

    def _code(self, label: str) -> int:
        code = self._codes.get(label)
        if code is None:
            code = self._codes[label] = len(self.names)
            self.names.append(label)
        return code

    # -- Mapping[int, Span] ----------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[int]:
        """Span ids in position order."""
        return iter(self.ids)

    def _id_index(self, span_id: object) -> int | None:
        if not isinstance(span_id, int):
            return None
        i = bisect_left(self._by_id, span_id)
        return i if i < len(self._by_id) and self._by_id[i] == span_id else None

    def __contains__(self, span_id: object) -> bool:
        return self._id_index(span_id) is not None

    def __getitem__(self, span_id: int) -> Span:
        built = self._built.get(span_id, _ABSENT)
        if built is not _ABSENT:
            return built  # type: ignore[return-value]
        i = self._id_index(span_id)
        if i is None:
            raise KeyError(span_id)
        attributes_json, note = self._extras.get(span_id, ("{}", ""))
        attributes: dict[str, Any] = {} if attributes_json == "{}" else json.loads(attributes_json)
        span = Span(span_id, self.document_id, self.layer, self._id_start[i], self._id_end[i],
                    self.names[self._id_label[i]], attributes, note)
        if len(self._built) >= _CACHE:
            self._built.clear()
        self._built[span_id] = span
        return span

    def bounds(self, span_id: int) -> tuple[int, int] | None:
        """(start, end) of a span without building it (relation arcs: 20,000
        ends per document)."""
        i = self._id_index(span_id)
        return None if i is None else (self._id_start[i], self._id_end[i])

    # -- rows by position ------------------------------------------------------------

    def _key(self, row: int) -> tuple[int, int, str, int]:
        return (self.starts[row], -self.ends[row], self.names[self.labels[row]], self.ids[row])

    def span_at(self, row: int) -> Span:
        return self[self.ids[row]]

    def row_of(self, span_id: int) -> int | None:
        """The span's row in position order, or None."""
        i = self._id_index(span_id)
        if i is None:
            return None
        key = (self._id_start[i], -self._id_end[i], self.names[self._id_label[i]], span_id)
        row = bisect_left(range(len(self.ids)), key, key=self._key)
        return row if row < len(self.ids) and self.ids[row] == span_id else None

    def row_for_key(self, key: tuple[int, int, str, int]) -> int:
        """Where a span with this (start, -end, label, id) goes in position order."""
        return bisect_left(range(len(self.ids)), key, key=self._key)

    def neighbour(self, current: tuple[int, int] | None, step: int) -> int | None:
        """Row of the next (step=1) or previous (step=-1) span after the
        (start, -end) position ``current``, wrapping; as intervals.neighbour."""
        n = len(self.ids)
        if n == 0:
            return None
        if current is None:
            return 0 if step > 0 else n - 1
        rows = range(n)
        position = lambda r: (self.starts[r], -self.ends[r])  # noqa: E731
        if step > 0:
            i = bisect_right(rows, current, key=position)
            return i if i < n else 0
        i = bisect_left(rows, current, key=position) - 1
        return i if i >= 0 else n - 1

    # -- edits ---------------------------------------------------------------------

    def insert(self, span: Span) -> int:
        """Add a span (an edit was saved); returns its row."""
        code = self._code(span.label)
        row = self.row_for_key((span.start, -span.end, span.label, span.id))
        self.ids.insert(row, span.id)
        self.starts.insert(row, span.start)
        self.ends.insert(row, span.end)
        self.labels.insert(row, code)
        i = bisect_left(self._by_id, span.id)
        self._by_id.insert(i, span.id)
        self._id_start.insert(i, span.start)
        self._id_end.insert(i, span.end)
        self._id_label.insert(i, code)
        if span.end - span.start > LONG:
            self._long[span.id] = None
        else:
            self._max_short = max(self._max_short, span.end - span.start)
        if span.attributes or span.note:
            self._extras[span.id] = (json.dumps(span.attributes, ensure_ascii=False), span.note)
        self._built[span.id] = span
        return row

    def remove(self, span_id: int) -> int | None:
        """Take a span out; returns the row it had, None when absent."""
        row = self.row_of(span_id)
        if row is None:
            return None
        for column in (self.ids, self.starts, self.ends, self.labels):
            del column[row]
        i = self._id_index(span_id)
        assert i is not None
        for column in (self._by_id, self._id_start, self._id_end, self._id_label):
            del column[i]
        self._long.pop(span_id, None)
        self._extras.pop(span_id, None)
        self._built.pop(span_id, None)
        return row

    # -- queries -------------------------------------------------------------------

    def overlapping(self, start: int, end: int) -> list[int]:
        """Rows of the spans meeting [start, end), in position order."""
        rows = range(len(self.ids))
        starts, ends = self.starts, self.ends
        lo = bisect_left(starts, start - self._max_short)
        hi = bisect_left(starts, end)
        found = [r for r in rows[lo:hi] if ends[r] > start]
        if self._long:
            more = [r for r in map(self.row_of, self._long) if r is not None and r < lo
                    and starts[r] < end and ends[r] > start]
            if more:
                found = sorted(found + more)
        return found

    def at(self, position: int) -> list[int]:
        """Rows of the spans holding ``position``, innermost (shortest) first."""
        return sorted(self.overlapping(position, position + 1),
                      key=lambda r: self.ends[r] - self.starts[r])

    def label_of(self, row: int) -> str:
        return self.names[self.labels[row]]

    def label_counts(self) -> Counter[str]:
        # array.count runs in C; a Counter over the array makes an int per span.
        return Counter({name: n for code, name in enumerate(self.names)
                        if (n := self.labels.count(code))})

    def count(self, label: str) -> int:
        code = self._codes.get(label)
        return 0 if code is None else self.labels.count(code)

    def ids_with_label(self, label: str) -> list[int]:
        code = self._codes.get(label)
        if code is None:
            return []
        return list(compress(self.ids, map(code.__eq__, self.labels)))

    def same(self, other: "SpanTable") -> bool:
        """The same spans at the same places with the same labels, attributes and notes."""
        return (self.ids == other.ids and self.starts == other.starts and self.ends == other.ends
                and [self.names[c] for c in self.labels] == [other.names[c] for c in other.labels]
                and self._extras == other._extras)
