"""The reviewer's rejections of disagreement units (schema 2: gold_rejections).

A rejection records that no annotator's version of the unit at
[start, end) goes into gold. Mixed into ``Project``; each write is committed,
or becomes a savepoint inside ``Project.transaction()``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from annotator.core.store.clock import now_iso


class GoldRejections:
    """Rejected unit extents per document (see the module docstring)."""

    db: Database  # Project's
    _execute: Callable[..., sqlite3.Cursor]

    def rejections(self, document_id: int) -> set[tuple[int, int]]:
        """(start, end) of every rejected unit of the document."""
        return {(row[0], row[1]) for row in self._execute(
            'SELECT start, "end" FROM gold_rejections WHERE document_id = ?', [document_id])}

    def add_rejection(self, document_id: int, start: int, end: int) -> None:
        """Record a rejection; one already recorded keeps its timestamp."""

        created_at = now_iso()
        with self.db.atomic():
            self._execute(
                'INSERT OR IGNORE INTO gold_rejections (document_id, start, "end", created_at)'
                " VALUES (?, ?, ?, ?)", [document_id, start, end, created_at])

    def remove_rejection(self, document_id: int, start: int, end: int) -> None:
        with self.db.atomic():
            self._execute(
                'DELETE FROM gold_rejections WHERE document_id = ? AND start = ? AND "end" = ?',
                [document_id, start, end])
