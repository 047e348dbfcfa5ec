"""What opening a project costs now that it is checked first (issue 8):
a read-only look (schema, PRAGMA quick_check) before the read-write open.

Floors measured in the same run: a raw sqlite3 open that reads one row
(what opening cost before the check), and PRAGMA quick_check alone.

    .venv/bin/python bench/bench_open.py            # a ~100 MB project
    .venv/bin/python bench/bench_open.py --quick    # ~10 MB
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table, seed_texts  # noqa: E402

from annotator.core.model import NewDocument, NewSpan  # noqa: E402
from annotator.core.store import Project  # noqa: E402


def build(path: Path, megabytes: int) -> int:
    """A project of about ``megabytes`` MB: seed texts, ten spans each."""
    seeds = seed_texts()
    with Project.open(path) as project:
        project.add_annotator("lina")
        documents = []
        size = 0
        while size < megabytes * 1_000_000 * 0.8:  # text is most of the file; indexes the rest
            text = f"{seeds[len(documents) % len(seeds)]}\n— نسخة {len(documents)}"
            documents.append(NewDocument(f"d{len(documents)}", text))
            size += len(text.encode("utf-8"))
        added = project.add_documents(documents)
        project.add_spans(NewSpan(a.id, "lina", k * 20, k * 20 + 5, "ENTITY")
                          for a in added for k in range(10))
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        path = Path(tmp_name) / "big.db"
        size = build(path, 10 if args.quick else 100)

        def ours(access: str) -> None:
            with Project.open(path, create=False, access=access) as project:
                project.document_count()

        def raw_open() -> None:
            conn = sqlite3.connect(path)
            conn.execute("SELECT count(*) FROM documents").fetchone()
            conn.close()

        def raw_quick_check() -> None:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            conn.execute("PRAGMA quick_check(3)").fetchall()
            conn.close()

        def evict() -> None:
            # Drop this file's pages from the OS cache (only this file's):
            # the first open after a reboot or of a file just copied in.
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)

        def cold(fn: Callable[[], object]) -> Callable[[], object]:
            return lambda: (evict(), fn())

        cold_rows = [
            ("cold cache: open for writing (checked)", median_time(cold(lambda: ours("write"))),
             median_time(cold(raw_open)), "(disk-bound)"),
        ]
        ours("write")  # warm the page cache for every row alike
        floor = median_time(raw_open)
        rows = cold_rows + [
            ("open for writing (checked), count documents", median_time(lambda: ours("write")),
             floor, "< 0.5 s per 100 MB"),
            ("open read-only (checked), count documents", median_time(lambda: ours("read-only")),
             floor, "< 0.5 s per 100 MB"),
            ("PRAGMA quick_check alone", median_time(raw_quick_check), floor, "(reference)"),
        ]
    print_table(f"Opening a {size / 1e6:.0f} MB project (sqlite {sqlite3.sqlite_version})", rows)
    print("\nfloor = raw sqlite3: connect, count documents, close (the unchecked open of before)")


if __name__ == "__main__":
    main()
