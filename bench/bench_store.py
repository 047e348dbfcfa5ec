"""Foundation benchmarks: import, one-edit-at-a-time span writes, read-back.

Each figure sits beside a floor measured in the same run: raw sqlite3 doing
the same rows with the same pragmas (WAL, synchronous=FULL).

    .venv/bin/python bench/bench_store.py            # full sizes (~4 min)
    .venv/bin/python bench/bench_store.py --quick    # smaller, for a smoke run
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table, seed_texts  # noqa: E402

from annotator.core.text.encoding import sha256_text  # noqa: E402
from annotator.core.formats.imports.plain_text import read_documents  # noqa: E402
from annotator.core.model import NewDocument, NewSpan  # noqa: E402
from annotator.core.store import Project  # noqa: E402


def raw_connection(path: Path) -> sqlite3.Connection:
    """The floor: plain sqlite3, our schema, our pragmas, no validation."""
    with Project.open(path):
        pass  # create the same schema
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def make_documents(n: int) -> list[str]:
    seeds = seed_texts()
    return [f"{seeds[i % len(seeds)]}\n— نسخة {i}" for i in range(n)]


def bench_import(tmp: Path, n: int) -> list[tuple[str, float, float, str]]:
    texts = make_documents(n)
    jsonl = tmp / "docs.jsonl"
    jsonl.write_text("".join(json.dumps({"text": t, "id": i}, ensure_ascii=False) + "\n"
                             for i, t in enumerate(texts)), encoding="utf-8")
    folder = tmp / "txt"
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")

    def ours(source: Path, run: list[int]) -> None:
        run[0] += 1
        with Project.open(tmp / f"ours-{source.name}-{run[0]}.db") as project:
            documents, _ = read_documents([source])
            project.add_documents(documents)

    def raw_insert(rows: list[tuple], run: list[int]) -> None:
        conn = raw_connection(tmp / f"raw-{run[0]}.db")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO documents (name, text, sha256, chars, source, meta, created_at)"
                         " VALUES (?, ?, ?, ?, ?, '{}', 'now')", rows)
        conn.execute("COMMIT")
        conn.close()

    def floor_jsonl(run: list[int]) -> None:
        # The same job with no checks: read, json.loads, hash, insert.
        run[0] += 1
        rows = []
        for i, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines()):
            text = json.loads(line)["text"]
            rows.append((str(i), text, sha256_text(text), len(text), "x"))
        raw_insert(rows, run)

    def floor_folder(run: list[int]) -> None:
        run[0] += 1
        rows = []
        for path in sorted(folder.iterdir()):
            text = path.read_bytes().decode("utf-8")
            rows.append((path.stem, text, sha256_text(text), len(text), str(path)))
        raw_insert(rows, run)

    counter = [0]
    floor_jsonl_time = median_time(lambda: floor_jsonl(counter), repeat=3)
    floor_folder_time = median_time(lambda: floor_folder(counter), repeat=3)
    jsonl_time = median_time(lambda: ours(jsonl, counter), repeat=3)
    folder_time = median_time(lambda: ours(folder, counter), repeat=3)
    return [
        (f"import {n:,} docs from JSONL", jsonl_time, floor_jsonl_time, "< 10 s, < 3x floor"),
        (f"import {n:,} docs from a folder of .txt", folder_time, floor_folder_time, "< 10 s, < 3x floor"),
    ]


def bench_span_writes(tmp: Path, n: int) -> tuple[list[tuple[str, float, float, str]], dict]:
    texts = make_documents(1000)
    path = tmp / "spans.db"
    with Project.open(path) as project:
        doc_ids = [d.id for d in project.add_documents(NewDocument(f"d{i}", t) for i, t in enumerate(texts))]
        project.add_annotator("alice")
    labels = ["CLAIM", "ENTITY", "DATE"]
    plan = [(doc_ids[i % len(doc_ids)], (i // len(doc_ids)) * 3, labels[i % 3]) for i in range(n)]

    ours_times = []
    with Project.open(path) as project:
        for doc, start, label in plan:
            t0 = time.perf_counter()
            project.add_span(doc, "alice", start, start + 2, label)
            ours_times.append(time.perf_counter() - t0)

    raw_path = tmp / "spans-raw.db"
    conn = raw_connection(raw_path)
    conn.executemany("INSERT INTO documents (id, name, text, sha256, chars, created_at) VALUES (?, ?, ?, ?, ?, 'x')",
                     [(d, f"d{d}", t, sha256_text(t), len(t)) for d, t in zip(doc_ids, texts)])
    conn.execute("INSERT INTO layers (name, kind, created_at) VALUES ('alice', 'annotator', 'x')")
    raw_times = []
    for doc, start, label in plan:
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute('INSERT INTO spans (document_id, layer, start, "end", label, created_at, updated_at)'
                     " VALUES (?, 'alice', ?, ?, ?, 'x', 'x')", (doc, start, start + 2, label))
        conn.execute("COMMIT")
        raw_times.append(time.perf_counter() - t0)
    conn.close()
    med, raw_med = statistics.median(ours_times), statistics.median(raw_times)
    p95 = statistics.quantiles(ours_times, n=20)[-1]
    raw_p95 = statistics.quantiles(raw_times, n=20)[-1]
    rows = [
        (f"one span write, own transaction (n={n:,})", med, raw_med, "median < 2 ms"),
        ("  p95 of the same writes", p95, raw_p95, ""),
        (f"  all {n:,} writes, total", sum(ours_times), sum(raw_times), ""),
    ]
    return rows, {"median": med}


def bench_read_back(tmp: Path) -> list[tuple[str, float, float, str]]:
    seeds = "\n".join(seed_texts())
    text = (seeds * (1_000_000 // len(seeds) + 1))[:1_000_000]
    path = tmp / "big.db"
    with Project.open(path) as project:
        doc = project.add_documents([NewDocument("big", text)])[0].id
        project.add_annotator("alice")
        spans = []
        for i in range(20_000):
            start = i * 50
            spans.append(NewSpan(doc, "alice", start, start + 30, "CLAIM"))
            spans.append(NewSpan(doc, "alice", start + 5, start + 12, "ENTITY", {"type": "PER"}))
        project.add_spans(spans)
    with Project.open(path) as project:
        ours = median_time(lambda: project.spans(doc, "alice"), repeat=7)
        loaded = len(project.spans(doc, "alice"))
        doc_time = median_time(lambda: project.document(doc), repeat=7)
    conn = sqlite3.connect(path)

    def floor() -> None:
        conn.execute('SELECT id, document_id, layer, start, "end", label, attributes, note, provenance,'
                     ' created_at, updated_at FROM spans WHERE document_id = ? AND layer = ?'
                     ' ORDER BY start', (doc, "alice")).fetchall()

    raw = median_time(floor, repeat=7)
    raw_doc = median_time(lambda: conn.execute("SELECT text FROM documents WHERE id = ?", (doc,)).fetchone(), 7)
    conn.close()
    return [
        (f"read all {loaded:,} spans of a 1 MB document", ours, raw, "(no target; floor beside)"),
        ("read the 1 MB document text", doc_time, raw_doc, ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_docs, n_spans = (1_000, 5_000) if args.quick else (10_000, 100_000)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        rows = bench_import(tmp, n_docs)
        span_rows, _ = bench_span_writes(tmp, n_spans)
        rows += span_rows
        rows += bench_read_back(tmp)
    print_table(f"Store benchmark (python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version})", rows)
    print("\nfloor = the same job in plain Python + raw sqlite3 (no decoding checks, no"
          " validation) on the same schema, WAL, synchronous=FULL; all figures are medians")


if __name__ == "__main__":
    main()
