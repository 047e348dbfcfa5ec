"""Keeping the ids a file gave its rows (own JSONL, issue 4), so that
export -> import into an empty project -> export is byte-identical."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.store.project import Project

_TABLES = ("documents", "spans", "relations")


class IdsTaken(Exception):
    """An id given to ``add_documents``, ``add_spans`` or ``add_relations``
    is held by another row, or the batch repeats a row: the caller rolls
    back (a streamed import then reads its files whole)."""


@contextmanager
def ids_given(given: bool, table: str) -> Iterator[None]:
    """Turn a taken id into IdsTaken when the caller chose the ids."""
    try:
        yield
    except sqlite3.IntegrityError:
        if given:
            raise IdsTaken(table) from None
        raise


def batch_ids(given: Sequence[int] | None, next_id: Callable[[], int], rows: int, asked: int,
              table: str) -> list[int]:
    """The ids for ``rows`` new rows of a batch of ``asked``: the caller's
    ``given`` ones, which must cover the batch with no row dropped as a
    duplicate (else IdsTaken), or the next ones from ``next_id()``."""
    if given is None:
        first = next_id()
        return list(range(first, first + rows))
    if rows != asked or len(given) != asked:
        raise IdsTaken(table)
    return list(given)


class IdAdoption:
    """``adopt_ids`` and ``first_unused_id``; mixed into ``Project``."""

    def adopt_ids(self: "Project", table: str, mapping: dict[int, int]) -> bool:
        """Give rows just inserted (current id -> wanted id) the ids they had
        in the file they came from. Done only when every wanted id is free;
        returns whether it was. Call inside ``transaction()`` and for
        documents before any span or status refers to them.
        """
        if table not in _TABLES:
            raise ValueError(f"cannot adopt ids in {table}")
        moves = {old: new for old, new in mapping.items() if old != new}
        if not moves:
            return True
        wanted = set(moves.values())
        if len(wanted) != len(moves):
            return False
        if table != "documents" and min(wanted) < min(mapping):
            # The rows just inserted start past every span or relation id
            # ever used (AUTOINCREMENT); a lower id may be a deleted row's,
            # which undo can bring back: never given to another.
            return False
        others = {r[0] for r in self._execute(f"SELECT id FROM {table}")} - set(moves)
        if wanted & others:
            return False
        self._move_ids(table, moves)
        return True

    def first_unused_id(self: "Project", table: str) -> int:
        """One past every id the table holds, and for spans and relations
        every id it ever gave (AUTOINCREMENT's rule): an import may give
        its own ids from here on, never a deleted row's (undo restores it)."""
        if table == "spans":
            return self._next_span_id()
        if table == "relations":
            return self.next_relation_id()
        if table != "documents":
            raise ValueError(f"no ids in {table}")
        return self._execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]

    def _move_ids(self: "Project", table: str, moves: dict[int, int]) -> None:
        with self._writing():
            # Through negative ids, so that swapping two rows never collides.
            self.db.conn.executemany(f"UPDATE {table} SET id = ? WHERE id = ?",
                                     [(-new, old) for old, new in moves.items()])
            self._execute(f"UPDATE {table} SET id = -id WHERE id < 0")
            if table != "documents":
                # An UPDATE does not move AUTOINCREMENT's high mark: without
                # this, an adopted id deleted later would be given again.
                self._execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?",
                              [max(moves.values()), table])
        self._lengths = None
