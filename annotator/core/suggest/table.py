"""One document's suggestions, compact: a packed integer per suggestion
instead of a ``Suggestion`` object (issue 15: a 20 MB document has 1.85
million, mostly one tagged name found again; as objects they held 2 GB and
freeing them on Ctrl+PgDn took 0.7 s of the keypress).

Each row is one 64-bit key, ``start | length | label | rule`` from the high
bits down, so the key array sorts as (start, end, label) and bisects by
start; beside it a shown flag (a bytearray) and, for entities, the code of
the lexicon name that matched. Attributes and notes (a date's value, a
Hijri remark) are kept only for the rows that have them. A ``Suggestion``
is built when someone asks for one row (the caret's, the ones accepted).
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, compress
from operator import le
from typing import Any

from annotator.core.suggest.engine import Found, Suggestion

_RULE_BITS, _LABEL_BITS, _LENGTH_BITS = 8, 4, 20
_LABEL_SHIFT = _RULE_BITS
_LENGTH_SHIFT = _LABEL_SHIFT + _LABEL_BITS
_START_SHIFT = _LENGTH_SHIFT + _LENGTH_BITS  # 32: starts below 2**31 fit a signed 64-bit key
# A row's code: > 0 the lexicon name an entity matched, < 0 -(1 + the
# index of its attributes and note in the extras), 0 neither.
_NONE = 0


class BuildCancelled(Exception):
    """SuggestionTable.build was told to stop."""


class SpanCover:
    """Whether a layer's spans of a label meet a range, from a snapshot of
    its SpanTable's columns (position order: starts sorted; label codes
    into ``names``). A prefix maximum of the ends answers exactly even
    where spans of a label overlap."""

    def __init__(self, starts: Iterable[int], ends: Iterable[int], codes: Iterable[int],
                 names: list[str]) -> None:
        codes = array("H", codes)
        self._columns = {}
        for code in set(codes):
            # Each label's columns picked out in C: a loop over 400,000
            # spans held the interpreter lock for 150 ms.
            mine = bytearray(map(code.__eq__, codes))
            self._columns[names[code]] = (array("q", compress(starts, mine)),
                                          array("q", accumulate(compress(ends, mine), max)))

    def covers(self, start: int, end: int, label: str) -> bool:
        column = self._columns.get(label)
        if column is None:
            return False
        starts, reach = column
        j = bisect_left(starts, end)  # spans starting before this range ends
        return j > 0 and reach[j - 1] > start


class SuggestionTable:
    def __init__(self, document_id: int, text: str) -> None:
        self.document_id = document_id
        self.text = text
        self.keys = array("q")
        self.shown = bytearray()
        self.codes = array("i")
        self.shown_count = 0
        self.labels: list[str] = []
        self.rules: list[str] = []
        self.names: list[str | None] = [None]
        self._codes: dict[tuple[int, str | None], int] = {}
        self._max_length = 0
        # Attributes and notes of the rows that have them (a date's value), as
        # JSON in one string: 54,000 dicts and strings took 30 ms to free.
        self._extras = ""
        self._extra_ends = array("q")
        self._name_attributes: dict[int, dict[str, Any]] = {}  # name code -> attributes

    # -- building ----------------------------------------------------------------

    @classmethod
    def build(cls, document_id: int, text: str, runs: Iterable[Iterable[Found]],
              shown: Callable[[int, int, str], bool],
              cancelled: Callable[[], bool] | None = None) -> "SuggestionTable":
        """A table from runs of suggestions, each run in text order (one
        rule's finditer) and free of repeated (start, end, label);
        ``shown(start, end, label)`` says whether a row is shown. Raises
        BuildCancelled within 256 rows of ``cancelled()`` turning true (the window
        left the document: a 20 MB build takes seconds of the interpreter
        lock the next document's keypresses need)."""
        table = cls(document_id, text)
        merged: tuple[array, array, bytearray] | None = None
        for run in runs:
            keys, names, flags = array("q"), array("i"), bytearray()
            parts: list[str] = []
            for found in run:
                keys.append(table._pack(found.start, found.end, found.label, found.rule))
                names.append(table._keep_extras(found, parts))
                flags.append(shown(found.start, found.end, found.label))
                if cancelled is not None and not len(keys) & 255 and cancelled():
                    raise BuildCancelled
            table._extras += "".join(parts)
            if not all(map(le, keys, keys[1:])):
                order = sorted(range(len(keys)), key=keys.__getitem__)
                keys = array("q", [keys[i] for i in order])
                names = array("i", [names[i] for i in order])
                flags = bytearray(flags[i] for i in order)
            merged = (keys, names, flags) if merged is None else _merge(merged, (keys, names, flags))
        if merged is not None:
            table.keys, table.codes, table.shown = merged
        table.shown_count = table.shown.count(1)
        return table

    def _code(self, kind: int, name: str | None) -> int:
        """Small integer for a label (kind 0), rule (1) or entity name (2)."""
        code = self._codes.get((kind, name))
        if code is None:
            column = (self.labels, self.rules, self.names)[kind]
            code = self._codes[(kind, name)] = len(column)
            column.append(name)
            if kind == 0 and code >= 1 << _LABEL_BITS or kind == 1 and code >= 1 << _RULE_BITS:
                raise ValueError(f"too many suggestion {'labels' if kind == 0 else 'rules'}")
        return code

    def _pack(self, start: int, end: int, label: str, rule: str | None) -> int:
        length = end - start
        if not 0 <= length < 1 << _LENGTH_BITS:
            raise ValueError(f"a suggestion of {length} characters")
        self._max_length = max(self._max_length, length)
        rule_code = 0 if rule is None else self._code(1, rule)
        return (start << _START_SHIFT | length << _LENGTH_SHIFT
                | self._code(0, label) << _LABEL_SHIFT | rule_code)

    # -- rows ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.keys)

    def start_of(self, row: int) -> int:
        return self.keys[row] >> _START_SHIFT

    def end_of(self, row: int) -> int:
        key = self.keys[row]
        return (key >> _START_SHIFT) + (key >> _LENGTH_SHIFT & ((1 << _LENGTH_BITS) - 1))

    def label_of(self, row: int) -> str:
        return self.labels[self.keys[row] >> _LABEL_SHIFT & ((1 << _LABEL_BITS) - 1)]

    def rule_of(self, row: int) -> str:
        return self.rules[self.keys[row] & ((1 << _RULE_BITS) - 1)]

    def place(self, row: int) -> tuple[int, int, str]:
        return self.start_of(row), self.end_of(row), self.label_of(row)

    def suggestion(self, row: int) -> Suggestion:
        start, end, label = self.place(row)
        code = self.codes[row]
        attributes: dict[str, Any] = {}
        note = ""
        if code > 0:
            attributes = self._name_attributes.get(code, {})
        elif code < 0:
            n = -code - 1
            begin = self._extra_ends[n - 1] if n else 0
            attributes, note = json.loads(self._extras[begin:self._extra_ends[n]])
        return Suggestion(self.document_id, start, end, label, self.rule_of(row),
                          self.text[start:end], attributes, note)

    def row_of(self, start: int, end: int, label: str) -> int | None:
        code = self._codes.get((0, label))
        if code is None or not 0 <= end - start < 1 << _LENGTH_BITS:
            return None
        key = start << _START_SHIFT | (end - start) << _LENGTH_SHIFT | code << _LABEL_SHIFT
        row = bisect_left(self.keys, key)
        if row < len(self.keys) and self.keys[row] >> _RULE_BITS == key >> _RULE_BITS:
            return row
        return None

    def overlapping(self, start: int, end: int) -> list[int]:
        """Rows meeting [start, end), in (start, end, label) order."""
        lo = bisect_left(self.keys, max(0, start - self._max_length) << _START_SHIFT)
        hi = bisect_left(self.keys, end << _START_SHIFT)
        return [r for r in range(lo, hi) if self.end_of(r) > start]

    def shown_rows(self, label: str | None = None) -> Iterator[int]:
        """Shown rows in order (of one label when given)."""
        rows = compress(range(len(self.keys)), self.shown)
        if label is None:
            return rows
        return (r for r in rows if self.label_of(r) == label)

    def rows_named(self, name: str) -> list[int]:
        """Rows an entity name of the lexicon matched."""
        code = self._codes.get((2, name))
        if code is None:
            return []
        return list(compress(range(len(self.keys)), map(code.__eq__, self.codes)))

    def next_shown(self, caret: int) -> int | None:
        """First shown row starting after ``caret``, wrapping to the first."""
        row = self.shown.find(1, bisect_left(self.keys, (caret + 1) << _START_SHIFT))
        if row < 0:
            row = self.shown.find(1)
        return row if row >= 0 else None

    def previous_shown(self, caret: int) -> int | None:
        """Last shown row (in order) ending before ``caret``, wrapping to the last."""
        hi = bisect_left(self.keys, caret << _START_SHIFT)
        while (row := self.shown.rfind(1, 0, hi)) >= 0:
            if self.end_of(row) < caret:
                return row
            hi = row
        row = self.shown.rfind(1)
        return row if row >= 0 else None

    # -- edits ---------------------------------------------------------------------

    def set_shown(self, row: int, shown: bool) -> bool:
        """Show or hide a row; True when that changed it."""
        if bool(self.shown[row]) == shown:
            return False
        self.shown[row] = shown
        self.shown_count += 1 if shown else -1
        return True

    def insert(self, found: Found, shown: bool) -> int:
        key = self._pack(found.start, found.end, found.label, found.rule)
        row = bisect_left(self.keys, key)
        self.keys.insert(row, key)
        parts: list[str] = []
        self.codes.insert(row, self._keep_extras(found, parts))
        self._extras += "".join(parts)
        self.shown.insert(row, shown)
        self.shown_count += shown
        return row

    def _keep_extras(self, found: Found, parts: list[str]) -> int:
        """Keep what a row's key cannot hold; returns its name code. An
        entity's attributes (its type) follow from its name, so they are
        kept once per name, not once per row."""
        if found.name is not None:
            code = self._code(2, found.name)
            if found.attributes:
                self._name_attributes[code] = found.attributes
            return code
        if found.attributes or found.note:
            part = json.dumps([found.attributes, found.note], ensure_ascii=False)
            parts.append(part)
            previous = self._extra_ends[-1] if self._extra_ends else 0
            self._extra_ends.append(previous + len(part))
            return -len(self._extra_ends)
        return _NONE

    def remove_rows(self, rows: list[int]) -> None:
        """Take many rows out at once (a name's every occurrence): one pass
        over the columns, not one memmove of them per row."""
        if len(rows) < 16:
            for row in sorted(rows, reverse=True):
                self.remove(row)
            return
        keep = bytearray(b"\x01") * len(self.keys)
        for row in rows:
            keep[row] = 0
        self.keys = array("q", compress(self.keys, keep))
        self.codes = array("i", compress(self.codes, keep))
        self.shown = bytearray(compress(self.shown, keep))
        self.shown_count = self.shown.count(1)

    def remove(self, row: int) -> None:
        self.shown_count -= self.shown[row]
        del self.keys[row]
        del self.codes[row]
        del self.shown[row]


def _merge(a: tuple[array, array, bytearray], b: tuple[array, array, bytearray]
           ) -> tuple[array, array, bytearray]:
    """Two sorted runs as one: the shorter one's rows are placed by bisecting
    the longer one, whose stretches between them are copied whole."""
    if len(a[0]) < len(b[0]):
        a, b = b, a
    long_keys = a[0]
    out = (array("q"), array("i"), bytearray())
    at = 0
    for n, key in enumerate(b[0]):
        cut = bisect_left(long_keys, key, at)
        for column, long, short in zip(out, a, b):
            column.extend(long[at:cut])
            column.append(short[n])
        at = cut
    for column, long in zip(out, a):
        column.extend(long[at:])
    return out
