"""Bulk reads for agreement and review, so that no module outside the store
runs SQL on the project file.

Mixed into ``Project``: the methods use its connection and answer in plain
tuples and sets, because agreement reads every span of a big project and a
Span object per row would cost more than the figures themselves.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable


class ReviewReads:
    """Reads for agreement and adjudication (see the module docstring)."""

    _execute: Callable[..., sqlite3.Cursor]  # Project's

    def annotated_documents(self, layer: str) -> set[int]:
        """Documents the layer annotated: marked done, or holding at least one span."""
        return {row[0] for row in self._execute(
            "SELECT document_id FROM statuses WHERE layer = ? AND status = 'done'"
            " UNION SELECT document_id FROM spans WHERE layer = ?", [layer, layer])}

    def document_layers(self, document_id: int) -> set[str]:
        """Layers (gold too) that annotated this one document: marked it done
        or hold a span in it. Both reads walk an index by document, so the
        cost does not grow with the project."""
        return {row[0] for row in self._execute(
            "SELECT layer FROM statuses WHERE document_id = ? AND status = 'done'"
            " UNION SELECT DISTINCT layer FROM spans WHERE document_id = ?",
            [document_id, document_id])}

    def document_span_ranges(self, document_id: int) -> list[tuple[str, str, int, int]]:
        """(layer, label, start, end) of every span of one document."""
        return self._execute(
            'SELECT layer, label, start, "end" FROM spans WHERE document_id = ?',
            [document_id]).fetchall()

    def annotated_neighbour(self, document_id: int, forward: bool = True) -> int | None:
        """The nearest document after (or before) this id that an annotator
        (not gold) annotated, or None. Each side is one ordered index walk
        that stops at the first hit: no scan of the whole project."""
        compare, order = (">", "ASC") if forward else ("<", "DESC")
        annotators = "SELECT name FROM layers WHERE kind = 'annotator'"
        found = [row[0] for row in (
            self._execute(f"SELECT document_id FROM spans WHERE document_id {compare} ?"
                          f" AND layer IN ({annotators}) ORDER BY document_id {order} LIMIT 1",
                          [document_id]).fetchone(),
            self._execute(f"SELECT document_id FROM statuses WHERE document_id {compare} ?"
                          f" AND status = 'done' AND layer IN ({annotators})"
                          f" ORDER BY document_id {order} LIMIT 1", [document_id]).fetchone(),
        ) if row is not None]
        if not found:
            return None
        return min(found) if forward else max(found)

    def spans_for_layers(self, layers: Iterable[str], document_ids: Iterable[int] | None = None
                         ) -> list[tuple[int, str, str, int, int]]:
        """(document id, layer, label, start, end) of the spans of these layers,
        only in ``document_ids`` if given, in no particular order."""
        # The lists go in as one JSON parameter each: SQLite filters in C,
        # with no limit on their length and no per-document query.
        sql = ('SELECT document_id, layer, label, start, "end" FROM spans'
               " WHERE layer IN (SELECT value FROM json_each(?))")
        params = [json.dumps(sorted(set(layers)))]
        if document_ids is not None:
            sql += " AND document_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(set(document_ids))))
        return self._execute(sql, params).fetchall()

    def texts(self, document_ids: Iterable[int]) -> dict[int, str]:
        """document id -> canonical text, for these documents (unknown ids are left out)."""
        return dict(self._execute(
            "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(set(document_ids)))]).fetchall())

    def annotated_by_layer(self, layers: Iterable[str]) -> dict[str, set[int]]:
        """layer -> documents it annotated (``annotated_documents`` for each
        layer), in one query: one pass over the span index instead of one per
        layer, which is what a streamed agreement asks for first."""
        names = sorted(set(layers))
        found: dict[str, set[int]] = {name: set() for name in names}
        for layer, document_id in self._execute(
            "SELECT layer, document_id FROM statuses"
            " WHERE status = 'done' AND layer IN (SELECT value FROM json_each(?1))"
            " UNION SELECT layer, document_id FROM spans"
            " WHERE layer IN (SELECT value FROM json_each(?1))", [json.dumps(names)]):
            found[layer].add(document_id)
        return found

    def agreement_batch(self, layers: Iterable[str], document_ids: Iterable[int]
                        ) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str, int, int]]]:
        """One batch of documents for a streamed agreement: their (id, name,
        text) in id order, and the (document id, layer, label, start, end) of
        every span of these layers in them, in no particular order.

        A caller walks a project a batch at a time, so what it holds is
        bounded by the batch, never by the project."""
        ids = json.dumps(sorted(set(document_ids)))
        documents = self._execute(
            "SELECT id, name, text FROM documents WHERE id IN (SELECT value FROM json_each(?))"
            " ORDER BY id", [ids]).fetchall()
        spans = self._execute(
            'SELECT document_id, layer, label, start, "end" FROM spans'
            " WHERE document_id IN (SELECT value FROM json_each(?))"
            " AND layer IN (SELECT value FROM json_each(?))",
            [ids, json.dumps(sorted(set(layers)))]).fetchall()
        return documents, spans

    def relation_ends_touching(self, layers: Iterable[str], document_ids: Iterable[int]
                               ) -> list[tuple]:
        """``relation_ends`` rows of these layers whose source or target span
        lies in one of these documents (a streamed relation agreement keeps
        the ones that belong to the batch)."""
        return self._execute(
            "WITH batch(id) AS (SELECT value FROM json_each(?1))"
            " SELECT r.layer, r.type, s.document_id, s.start, s.\"end\", s.label,"
            " t.document_id, t.start, t.\"end\", t.label FROM relations r"
            " JOIN spans s ON s.id = r.source_id JOIN spans t ON t.id = r.target_id"
            " WHERE r.layer IN (SELECT value FROM json_each(?2))"
            " AND (s.document_id IN batch OR t.document_id IN batch)",
            [json.dumps(sorted(set(document_ids))), json.dumps(sorted(set(layers)))]).fetchall()
