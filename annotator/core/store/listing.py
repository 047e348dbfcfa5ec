"""The document list's reads, part of the Project facade: the documents one
layer's list shows (all, or those of one status), by row number, a page at
a time.

The window's list at 100,000 documents must not read every row to start
(issue 15): it asks how many rows there are, then for the few pages on
screen. Rows are in id order, as ``documents()`` lists them; a document
without a status row in the layer is "todo".
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.core.model import Status
from annotator.core.store.chunked import rows_in

if TYPE_CHECKING:
    from annotator.core.store.project import Project

HEAD_CHARS = 400  # enough of a text for its title (orientation.document_title)
_STATUS = ("coalesce((SELECT s.status FROM statuses s WHERE s.document_id = d.id"
           " AND s.layer = ?), 'todo')")


@dataclass(frozen=True)
class ListedDocument:
    """One row of the document list: no text beyond its head."""

    id: int
    name: str
    chars: int
    head: str  # the first HEAD_CHARS characters
    meta: dict[str, Any]
    status: Status


def _filtered(layer: str, status: Status | None) -> tuple[str, list[Any]]:
    """FROM/WHERE of the documents a list of this layer and status shows."""
    if status is None:
        return "FROM documents d WHERE 1", []
    if status is Status.TODO:
        return ("FROM documents d WHERE NOT EXISTS (SELECT 1 FROM statuses s WHERE"
                " s.document_id = d.id AND s.layer = ? AND s.status <> 'todo')", [layer])
    return ("FROM documents d WHERE EXISTS (SELECT 1 FROM statuses s WHERE"
            " s.document_id = d.id AND s.layer = ? AND s.status = ?)", [layer, status.value])


class ListingReads:
    """Reads for the document list; mixed into ``Project``."""

    def listed_count(self: "Project", layer: str, status: Status | None = None) -> int:
        """How many documents the list shows."""
        where, params = _filtered(layer, status)
        return self._execute(f"SELECT count(*) {where}", params).fetchone()[0]

    def listed_page(self: "Project", layer: str, status: Status | None, offset: int,
                    limit: int) -> list[ListedDocument]:
        """Rows ``offset`` to ``offset + limit`` of the list, in id order."""
        where, params = _filtered(layer, status)
        rows = self._execute(
            f"SELECT d.id, d.name, d.chars, substr(d.text, 1, {HEAD_CHARS}), d.meta, {_STATUS}"
            f" {where} ORDER BY d.id LIMIT ? OFFSET ?", [layer, *params, limit, offset])
        return [ListedDocument(r[0], r[1], r[2], r[3], {} if r[4] == "{}" else json.loads(r[4]),
                               Status(r[5])) for r in rows]

    def listed_row(self: "Project", document_id: int, layer: str,
                   status: Status | None = None) -> int | None:
        """The document's row number in the list, None when it is not shown."""
        where, params = _filtered(layer, status)
        if not self._execute(f"SELECT 1 {where} AND d.id = ?", [*params, document_id]).fetchone():
            return None
        return self._execute(f"SELECT count(*) {where} AND d.id < ?",
                             [*params, document_id]).fetchone()[0]

    def listed_ids(self: "Project", layer: str, status: Status | None = None) -> list[int]:
        """Every shown document id, in list order (tests and small lists)."""
        where, params = _filtered(layer, status)
        return [r[0] for r in self._execute(f"SELECT d.id {where} ORDER BY d.id", params)]

    def listed_done(self: "Project", layer: str, status: Status | None = None) -> int:
        """How many of the shown documents are done (the "12 of 40 done" label)."""
        if status is not None:
            return self.listed_count(layer, status) if status is Status.DONE else 0
        return self.listed_count(layer, Status.DONE)

    def next_listed_to_do(self: "Project", layer: str, after: int) -> int | None:
        """The first to-do document after ``after`` in list order, wrapping
        round (never ``after`` itself); None when none is left."""
        where, params = _filtered(layer, Status.TODO)
        for condition, value in (("d.id > ?", after), ("d.id < ?", after)):
            row = self._execute(f"SELECT d.id {where} AND {condition} ORDER BY d.id LIMIT 1",
                                [*params, value]).fetchone()
            if row:
                return row[0]
        return None

    def has_document(self: "Project", document_id: int) -> bool:
        return self._execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone() is not None

    def document_head(self: "Project", document_id: int) -> tuple[str, str, dict[str, Any]] | None:
        """(name, first HEAD_CHARS characters, meta) of one document."""
        row = self._execute(f"SELECT name, substr(text, 1, {HEAD_CHARS}), meta FROM documents"
                            " WHERE id = ?", [document_id]).fetchone()
        if row is None:
            return None
        return row[0], row[1], {} if row[2] == "{}" else json.loads(row[2])

    def span_counts_of(self: "Project", layer: str, document_ids: list[int]
                       ) -> dict[int, dict[str, int]]:
        """document id -> label -> spans in one layer, for these documents
        (a page of the list); documents without spans are left out."""
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for doc, label, n in rows_in(
            self._execute, "SELECT document_id, label, count(*) FROM spans"
            " WHERE document_id IN ({marks}) AND layer = ? GROUP BY 1, 2", document_ids, [layer]
        ):
            counts[doc][label] = n
        return dict(counts)
