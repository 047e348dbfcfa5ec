"""Reads for exports that stream: a batch of documents with their text,
and one layer's relations from a batch, so that an export holds one batch
of texts, spans and relations at a time, never the whole project.

Mixed into ``Project``; answers in plain tuples like ``Project.span_rows``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable

from annotator.core.model import Document


class ExportReads:
    """Batch reads for exports (see the module docstring)."""

    _execute: Callable[..., sqlite3.Cursor]  # Project's

    def documents_with_text(self, document_ids: Iterable[int]) -> list[Document]:
        """These documents with their text, by id."""
        rows = self._execute(
            "SELECT id, name, text, sha256, source, external_id, meta FROM documents"
            " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            [json.dumps(sorted(set(document_ids)))])
        return [Document(*row[:6], meta={} if row[6] == "{}" else json.loads(row[6])) for row in rows]

    def documents_with_spans(self, layer: str, labels: Iterable[str] | None = None) -> set[int]:
        """Documents where the layer has a span (of one of ``labels``)."""
        sql = "SELECT DISTINCT document_id FROM spans WHERE layer = ?"
        params: list[object] = [layer]
        if labels is not None:
            sql += " AND label IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(sorted(labels)))
        return {row[0] for row in self._execute(sql, params)}

    def relation_rows_from(self, layer: str, document_ids: Iterable[int]) -> list[tuple]:
        """``Project.relation_rows`` for the relations whose source is in
        these documents, with the target span's label last."""
        return self._execute(
            "SELECT r.id, r.type, r.source_id, r.target_id, r.attributes, r.note, r.provenance,"
            " s.document_id, t.document_id, CASE WHEN s.document_id = t.document_id THEN NULL"
            " ELSE (SELECT sha256 FROM documents WHERE id = t.document_id) END, t.label"
            # CROSS JOIN keeps SQLite from the layer's index on relations,
            # which would visit every relation of the layer for each batch.
            " FROM spans s CROSS JOIN relations r ON r.source_id = s.id JOIN spans t ON t.id = r.target_id"
            " WHERE s.document_id IN (SELECT value FROM json_each(?)) AND s.layer = ? AND r.layer = ?"
            " ORDER BY r.id", [json.dumps(sorted(set(document_ids))), layer, layer],
        ).fetchall()
