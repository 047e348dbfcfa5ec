"""Bulk reads for agreement and review, so that no module outside the store
runs SQL on the project file.

Mixed into ``Project``: the methods use its connection and answer in plain
tuples and sets, because agreement reads every span of a big project and a
Span object per row would cost more than the figures themselves.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

# SQLite's default limit on bound parameters is 999 (3.40 allows 32,766);
# chunks of 500 stay well inside either.
_CHUNK = 500
# Below this many documents, a query per document beats reading the table.
_FEW = 20


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


class ReviewReads:
    """Reads for agreement and adjudication (see the module docstring)."""

    _execute: Callable[..., sqlite3.Cursor]  # Project's

    def annotated_documents(self, layer: str) -> set[int]:
        """Documents the layer annotated: marked done, or holding at least one span."""
        return {row[0] for row in self._execute(
            "SELECT document_id FROM statuses WHERE layer = ? AND status = 'done'"
            " UNION SELECT document_id FROM spans WHERE layer = ?", [layer, layer])}

    def spans_for_layers(self, layers: Iterable[str], document_ids: Iterable[int] | None = None
                         ) -> list[tuple[int, str, str, int, int]]:
        """(document id, layer, label, start, end) of the spans of these layers,
        only in ``document_ids`` if given, in no particular order."""
        wanted_layers = set(layers)
        if document_ids is not None:
            ids = sorted(set(document_ids))
            if len(ids) < _FEW:
                # A review of one document must not read every span of the project.
                rows: list[tuple[int, str, str, int, int]] = []
                for chunk in _chunks(ids):
                    marks = ", ".join("?" * len(chunk))
                    rows += self._execute(
                        f'SELECT document_id, layer, label, start, "end" FROM spans'
                        f" WHERE document_id IN ({marks})", chunk).fetchall()
                return [row for row in rows if row[1] in wanted_layers]
            wanted_ids: set[int] | None = set(ids)
        else:
            wanted_ids = None
        # One pass over the table, filtered here: cheaper than an IN list of
        # hundreds of documents, and agreement usually wants every layer.
        rows = self._execute('SELECT document_id, layer, label, start, "end" FROM spans').fetchall()
        return [row for row in rows if row[1] in wanted_layers
                and (wanted_ids is None or row[0] in wanted_ids)]

    def texts(self, document_ids: Iterable[int]) -> dict[int, str]:
        """document id -> canonical text, for these documents (unknown ids are left out)."""
        ids = sorted(set(document_ids))
        out: dict[int, str] = {}
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            out.update(self._execute(
                f"SELECT id, text FROM documents WHERE id IN ({marks})", chunk).fetchall())
        return out
