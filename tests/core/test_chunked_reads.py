"""rows_in: many ids read as a few IN queries, across chunk boundaries."""

import sqlite3

from annotator.core.store.chunked import CHUNK, rows_in


def test_every_value_is_read_once_across_chunks_with_the_trailing_parameters():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, layer TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)",
                     [(i, "a" if i % 3 else "b") for i in range(1, 3 * CHUNK + 2)])
    calls: list[int] = []

    def execute(sql, params):
        params = list(params)
        calls.append(len(params))
        return conn.execute(sql, params)

    wanted = list(range(1, 3 * CHUNK + 2))
    rows = list(rows_in(execute, "SELECT id FROM t WHERE id IN ({marks}) AND layer = ?", wanted, ["a"]))
    assert sorted(r[0] for r in rows) == [i for i in wanted if i % 3]
    assert calls == [CHUNK + 1, CHUNK + 1, CHUNK + 1, 2]


def test_no_values_runs_no_query():
    def execute(sql, params):
        raise AssertionError("queried")

    assert list(rows_in(execute, "SELECT 1 WHERE 1 IN ({marks})", [])) == []
