"""Format benchmarks (issue 4): export 10,000 documents with 200,000 spans to
own JSONL and doccano JSONL, and import the same files.

Each export sits beside a floor measured in the same run: json-serialising
the very same rows (already in memory) to a file. Each import sits beside
json.loads of the same file plus raw sqlite3 executemany of its rows.
Targets: export < 5 s and within 3x of the floor; import < 10 s.

    .venv/bin/python bench/bench_formats.py            # full sizes
    .venv/bin/python bench/bench_formats.py --quick    # 1,000 documents, for a smoke run
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table, seed_texts  # noqa: E402

from annotator.core.formats import own_jsonl  # noqa: E402
from annotator.core.formats.exports.dispatch import export_project  # noqa: E402
from annotator.core.formats.imports.dispatch import import_annotations  # noqa: E402
from annotator.core.formats.exports.contents import ExportOptions, select_records  # noqa: E402
from annotator.core.model import GOLD, NewDocument, NewSpan  # noqa: E402
from annotator.core.text.segmentation import words  # noqa: E402
from annotator.core.store import Project  # noqa: E402

LABELS = ("CLAIM", "ENTITY", "DATE")


def build_project(path: Path, n_docs: int, spans_per_doc: int) -> Project:
    """Seed articles made unique, with spans on words (ENTITY/DATE with attributes)."""
    seeds = seed_texts()
    project = Project.open(path)
    added = project.add_documents(
        NewDocument(f"doc{i}", f"{seeds[i % len(seeds)][:1500]}\n— نسخة {i}") for i in range(n_docs))
    word_cache = {}
    spans = []
    for i, doc in enumerate(added):
        key = i % len(seeds)
        if key not in word_cache:
            word_cache[key] = list(words(seeds[key][:1500]))
        ws = word_cache[key]
        step = max(1, len(ws) // spans_per_doc)
        for k in range(spans_per_doc):
            start, end = ws[(k * step) % len(ws)]
            label = LABELS[k % 3]
            attributes = {"type": "LOC"} if label == "ENTITY" else {"value": "2021-05-05"} if label == "DATE" else {}
            spans.append(NewSpan(doc.id, GOLD, start, end, label, attributes))
    project.add_spans(spans)
    return project


def floor_write(path: Path, rows: list[dict]) -> None:
    """The floor: only json.dumps of the same rows, written the same way."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    with open(path, "w", encoding="utf-8", newline="") as out:
        for row in rows:
            out.write(dumps(row))
            out.write("\n")


def floor_import(db_path: Path, source: Path, fmt: str) -> None:
    """The import floor: json.loads of every line, hash, and raw sqlite3
    executemany of the documents and spans; no validation, no offsets mapping."""
    import sqlite3

    from annotator.core.text.encoding import sha256_text

    with Project.open(db_path):
        pass  # the same schema (creating it takes milliseconds)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    docs, spans = [], []
    for doc_id, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        record = json.loads(line)
        text = record["text"]
        docs.append((doc_id, str(doc_id), text, sha256_text(text), len(text)))
        if fmt == "own":
            spans.extend((doc_id, x["start"], x["end"], x["label"], json.dumps(x["attributes"]))
                         for x in record["spans"])
        else:
            spans.extend((doc_id, a, b, label, "{}") for a, b, label in record["label"])
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO documents (id, name, text, sha256, chars, created_at)"
                     " VALUES (?, ?, ?, ?, ?, 'x')", docs)
    conn.executemany('INSERT INTO spans (document_id, layer, start, "end", label, attributes,'
                     " created_at, updated_at) VALUES (?, 'gold', ?, ?, ?, ?, 'x', 'x')", spans)
    conn.execute("COMMIT")
    conn.close()


def doccano_rows(records) -> list[dict]:
    return [{"id": r.document.id, "text": r.document.text,
             "label": [[s.start, s.end, s.label] for s in r.spans]} for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n_docs, per_doc = (1_000, 20) if args.quick else (10_000, 20)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        project = build_project(tmp / "source.db", n_docs, per_doc)
        total = len(project.spans(layer=GOLD))
        records = select_records(project, ExportOptions())
        own_rows = [own_jsonl.record_line(r) for r in records]
        rows_d = doccano_rows(records)
        rows = []
        for fmt, rows_in_memory in (("own", own_rows), ("doccano", rows_d)):
            out = tmp / f"{fmt}.jsonl"
            ours = median_time(lambda: export_project(project, fmt, out), args.repeat)
            floor = median_time(lambda: floor_write(tmp / f"floor-{fmt}.jsonl", rows_in_memory), args.repeat)
            if fmt == "doccano":
                assert (tmp / "floor-doccano.jsonl").read_bytes() == out.read_bytes()
            rows.append((f"export {fmt} JSONL ({n_docs:,} docs, {total:,} spans)", ours, floor,
                         "< 5 s, <= 3x floor"))
        runs = [0]
        for fmt in ("own", "doccano"):
            def import_once(fmt=fmt) -> None:
                runs[0] += 1
                with Project.open(tmp / f"import-{runs[0]}.db") as target:
                    report = import_annotations(target, fmt, [tmp / f"{fmt}.jsonl"])
                    assert report.spans_added == total, report.summary()
            ours = median_time(import_once, args.repeat)

            def floor_once(fmt=fmt) -> None:
                runs[0] += 1
                floor_import(tmp / f"floor-import-{runs[0]}.db", tmp / f"{fmt}.jsonl", fmt)
            floor = median_time(floor_once, args.repeat)
            rows.append((f"import {fmt} JSONL (same file)", ours, floor, "< 10 s"))
        project.close()
    print_table(f"Formats: {n_docs:,} documents, {total:,} spans, median of {args.repeat}", rows)


if __name__ == "__main__":
    main()
