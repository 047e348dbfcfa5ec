"""The reviewer's rejections of disagreement units (schema 2: gold_rejections)
and of relation items (m007: relation_rejections).

A rejection records that no annotator's version of the unit at
[start, end) goes into gold; a relation rejection, that no annotator's
relations on a pair of ends do. Mixed into ``Project``; each write is
committed, or becomes a savepoint inside ``Project.transaction()``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from annotator.core.store.clock import now_iso


class GoldRejections:
    """Rejected unit extents per document (see the module docstring)."""

    _execute: Callable[..., sqlite3.Cursor]  # Project's
    _writing: Callable[[], AbstractContextManager[None]]

    def rejections(self, document_id: int) -> set[tuple[int, int]]:
        """(start, end) of every rejected unit of the document."""
        return {(row[0], row[1]) for row in self._execute(
            'SELECT start, "end" FROM gold_rejections WHERE document_id = ?', [document_id])}

    def add_rejection(self, document_id: int, start: int, end: int) -> None:
        """Record a rejection; one already recorded keeps its timestamp."""
        created_at = now_iso()
        # Not sqlite-utils' atomic(): its deferred BEGIN fails at once beside another
        # writer, and it wrote into a read-only project's in-memory upgrade.
        with self._writing():
            self._execute(
                'INSERT OR IGNORE INTO gold_rejections (document_id, start, "end", created_at)'
                " VALUES (?, ?, ?, ?)", [document_id, start, end, created_at])

    def remove_rejection(self, document_id: int, start: int, end: int) -> None:
        with self._writing():
            self._execute(
                'DELETE FROM gold_rejections WHERE document_id = ? AND start = ? AND "end" = ?',
                [document_id, start, end])


# A relation end by content: (document id, start, end, label); a pair of
# them, smaller first, is a relation item of the review.
RelationEnd = tuple[int, int, int, str]
RelationEnds = tuple[RelationEnd, RelationEnd]
_ENDS = "a_document_id, a_start, a_end, a_label, b_document_id, b_start, b_end, b_label"


class RelationRejections:
    """Rejected relation items (see the module docstring)."""

    _execute: Callable[..., sqlite3.Cursor]  # Project's
    _writing: Callable[[], AbstractContextManager[None]]

    def relation_rejections(self, document_id: int) -> set[RelationEnds]:
        """Every rejected pair of ends with an end in the document."""
        rows = self._execute(
            f"SELECT {_ENDS} FROM relation_rejections WHERE a_document_id = ?"
            f" UNION SELECT {_ENDS} FROM relation_rejections WHERE b_document_id = ?",
            [document_id, document_id])
        return {(tuple(row[:4]), tuple(row[4:])) for row in rows}  # type: ignore[misc]

    def add_relation_rejection(self, ends: RelationEnds) -> None:
        """Record a rejection; one already recorded keeps its timestamp."""
        first, second = _ordered(ends)
        with self._writing():
            self._execute(
                f"INSERT OR IGNORE INTO relation_rejections ({_ENDS}, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [*first, *second, now_iso()])

    def remove_relation_rejection(self, ends: RelationEnds) -> None:
        first, second = _ordered(ends)
        with self._writing():
            self._execute(
                "DELETE FROM relation_rejections WHERE a_document_id = ? AND a_start = ?"
                " AND a_end = ? AND a_label = ? AND b_document_id = ? AND b_start = ?"
                " AND b_end = ? AND b_label = ?", [*first, *second])


def _ordered(ends: RelationEnds) -> RelationEnds:
    first, second = sorted(ends)
    return first, second
