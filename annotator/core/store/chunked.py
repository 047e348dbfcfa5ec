"""Reads of many ids at once, as a few ``IN (?, ...)`` queries.

A page of the list, a merge batch or an import's relations name hundreds or
thousands of ids; one query per id costs a round trip each, and one query for
all of them can pass SQLite's limit on host parameters per statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

CHUNK = 500  # well under SQLite's default limit of host parameters (999 before 3.32)


def rows_in(execute: Callable[[str, Iterable[Any]], sqlite3.Cursor], sql: str,
            values: Sequence[Any], after: Sequence[Any] = ()) -> Iterator[tuple]:
    """The rows of ``sql`` for every value, read CHUNK values per query.

    ``sql`` holds ``{marks}`` where the ``?, ?, ...`` list goes; ``after``
    are the parameters that follow it, the same for every chunk.
    """
    for at in range(0, len(values), CHUNK):
        chunk = values[at:at + CHUNK]
        yield from execute(sql.format(marks=", ".join("?" * len(chunk))), [*chunk, *after])
