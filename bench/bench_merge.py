"""Merge benchmark (issue 15 row "merge 3 copies of 10k documents"): time and
peak memory of `merge_into` for 3 annotators' copies, beside a raw-sqlite3
floor measured in the same run.

Each copy holds the same N documents (seed articles, each made unique), its
annotator's spans (8 per document: claims, entities, dates), relations
(SPEAKER and TIME in every document, a SAME_AS between neighbouring
documents every tenth one) and statuses. The target starts empty, so the
merge adds N documents and every copy's layer.

The floor does the same writes with plain SQL and no checks: ATTACH each
copy, INSERT ... SELECT the documents the target lacks, the layer, its
spans, relations and statuses, ids mapped by joins on content, one
transaction. Each run is a fresh process; peak RSS is its VmHWM (Linux
keeps ru_maxrss across exec, so a child would report the parent's size),
and Python's own ~10 MB is in both columns.

    .venv/bin/python bench/bench_merge.py            # 1k and 10k documents
    .venv/bin/python bench/bench_merge.py --quick    # 1k only
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fmt, seed_texts  # noqa: E402

from annotator.core.model import NewDocument, NewRelation, NewSpan, Status  # noqa: E402
from annotator.core.store import Project  # noqa: E402

COPIES = 3
LABELS = ("CLAIM", "ENTITY", "DATE", "ENTITY", "CLAIM", "DATE", "ENTITY", "CLAIM")


def texts(n: int) -> list[str]:
    seeds = seed_texts()
    return [f"{seeds[i % len(seeds)]}\n— نسخة {i}" for i in range(n)]


def build_copy(path: Path, annotator: str, documents: list[str], salt: int) -> None:
    with Project.open(path) as project:
        project.add_annotator(annotator)
        ids = [d.id for d in project.add_documents(NewDocument(f"d{i}", t)
                                                   for i, t in enumerate(documents))]
        spans: list[NewSpan] = []
        for doc_id, text in zip(ids, documents):
            words = [m.span() for m in re.finditer(r"\S+", text)]
            # 8 spans on words spread over the text; the salt shifts them per copy.
            step = max(1, len(words) // 9)
            for k, label in enumerate(LABELS):
                start, end = words[(k + 1) * step + salt % 2]
                spans.append(NewSpan(doc_id, annotator, start, end, label))
        project.add_spans(spans)
        relations: list[NewRelation] = []
        by_doc: dict[int, dict[str, list[int]]] = {}
        for span in project.spans(layer=annotator):
            by_doc.setdefault(span.document_id, {}).setdefault(span.label, []).append(span.id)
        for index, doc_id in enumerate(ids):
            labels = by_doc[doc_id]
            relations.append(NewRelation(annotator, "SPEAKER", labels["CLAIM"][0], labels["ENTITY"][0]))
            relations.append(NewRelation(annotator, "TIME", labels["CLAIM"][0], labels["DATE"][0]))
            if index % 10 == 0 and index + 1 < len(ids):
                relations.append(NewRelation(annotator, "SAME_AS", labels["CLAIM"][1],
                                             by_doc[ids[index + 1]]["CLAIM"][1]))
        project.add_relations(relations)
        with project.transaction():
            for doc_id in ids[::2]:
                project.set_status(doc_id, annotator, Status.DONE)


OURS = """
import sys, time
from annotator.core.review.merge import merge_into
from annotator.core.store import Project
target, *copies = sys.argv[1:]
start = time.perf_counter()
with Project.open(target) as project:
    report = merge_into(project, copies)
elapsed = time.perf_counter() - start
assert report.relations_added > 0, report
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(elapsed, peak.split()[1])
"""

FLOOR = """
import sqlite3, sys, time
target, *copies = sys.argv[1:]
start = time.perf_counter()
conn = sqlite3.connect(target, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("PRAGMA foreign_keys = ON")
conn.execute("BEGIN IMMEDIATE")
for path in copies:
    conn.execute("ATTACH DATABASE ? AS c", [path])
    conn.execute("INSERT INTO documents (name, text, sha256, chars, source, external_id, meta,"
                 " created_at) SELECT name, text, sha256, chars, source, external_id, meta,"
                 " created_at FROM c.documents WHERE sha256 NOT IN (SELECT sha256 FROM documents)")
    conn.execute("CREATE TEMP TABLE docmap AS SELECT cd.id AS old, td.id AS new FROM c.documents cd"
                 " JOIN documents td ON td.sha256 = cd.sha256")
    conn.execute("INSERT OR IGNORE INTO layers SELECT * FROM c.layers WHERE kind = 'annotator'")
    conn.execute("INSERT INTO spans (document_id, layer, start, \\"end\\", label, attributes, note,"
                 " provenance, created_at, updated_at) SELECT m.new, s.layer, s.start, s.\\"end\\","
                 " s.label, s.attributes, s.note, s.provenance, s.created_at, s.updated_at"
                 " FROM c.spans s JOIN docmap m ON m.old = s.document_id WHERE s.layer <> 'gold'")
    conn.execute("CREATE TEMP TABLE spanmap AS SELECT cs.id AS old, ts.id AS new FROM c.spans cs"
                 " JOIN docmap m ON m.old = cs.document_id JOIN spans ts ON ts.document_id = m.new"
                 " AND ts.layer = cs.layer AND ts.start = cs.start AND ts.\\"end\\" = cs.\\"end\\""
                 " AND ts.label = cs.label")
    conn.execute("INSERT INTO relations (layer, type, source_id, target_id, attributes, note,"
                 " provenance, created_at, updated_at) SELECT r.layer, r.type, a.new, b.new,"
                 " r.attributes, r.note, r.provenance, r.created_at, r.updated_at FROM c.relations r"
                 " JOIN spanmap a ON a.old = r.source_id JOIN spanmap b ON b.old = r.target_id"
                 " WHERE r.layer <> 'gold'")
    conn.execute("INSERT INTO statuses SELECT m.new, s.layer, s.status, s.updated_at"
                 " FROM c.statuses s JOIN docmap m ON m.old = s.document_id")
    conn.execute("DROP TABLE docmap")
    conn.execute("DROP TABLE spanmap")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE c")
    conn.execute("BEGIN IMMEDIATE")
conn.execute("COMMIT")
conn.close()
elapsed = time.perf_counter() - start
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(elapsed, peak.split()[1])
"""


def run(script: str, target: Path, copies: list[Path]) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", script, str(target), *map(str, copies)],
                         capture_output=True, text=True, check=True)
    seconds, kilobytes = out.stdout.split()
    return float(seconds), int(kilobytes) / 1024


def measure(tmp: Path, n: int, repeat: int) -> list[tuple[str, float, float, float, float]]:
    copies = [tmp / f"copy{i}-{n}.db" for i in range(COPIES)]
    # Built in a child so this process stays small while it starts the runs.
    subprocess.run([sys.executable, __file__, "--build", str(n), *map(str, copies)], check=True)
    empty = tmp / f"empty-{n}.db"
    with Project.open(empty):
        pass
    results: dict[str, list[tuple[float, float]]] = {"ours": [], "floor": []}
    for attempt in range(repeat):
        for name, script in (("ours", OURS), ("floor", FLOOR)):
            target = tmp / f"{name}-{n}-{attempt}.db"
            shutil.copy(empty, target)
            results[name].append(run(script, target, copies))
            if name == "ours" and attempt == 0:
                check_same(target, tmp / f"floor-check-{n}.db", empty, copies)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
    ours_t = statistics.median(t for t, _ in results["ours"])
    floor_t = statistics.median(t for t, _ in results["floor"])
    ours_m = statistics.median(m for _, m in results["ours"])
    floor_m = statistics.median(m for _, m in results["floor"])
    return [(f"merge {COPIES} copies of {n:,} documents", ours_t, floor_t, ours_m, floor_m)]


def check_same(ours: Path, floor: Path, empty: Path, copies: list[Path]) -> None:
    """The floor must do the same work: same span and relation counts."""
    shutil.copy(empty, floor)
    run(FLOOR, floor, copies)
    counts = []
    for path in (ours, floor):
        with Project.open(path, access="read-only") as project:
            counts.append((project.document_count(), len(project.span_rows("annotator0")),
                           sum(len(project.relation_rows(a)) for a in project.annotators())))
    assert counts[0] == counts[1], counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        n, *paths = args.build
        documents = texts(int(n))
        for i, path in enumerate(paths):
            build_copy(Path(path), f"annotator{i}", documents, i)
        return
    sizes = [1000] if args.quick else [1000, 10000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows += measure(Path(tmp), n, args.repeat)
    print(f"\nmerge: {COPIES} copies, 8 spans and 2.1 relations per document; medians of "
          f"{args.repeat} fresh processes each")
    print(f"| {'measure':<40} | {'ours':>9} | {'floor':>9} | {'ratio':>5} | {'ours RSS':>9} | "
          f"{'floor RSS':>9} | target")
    print("|" + "-" * 42 + "|" + "-" * 11 + "|" + "-" * 11 + "|" + "-" * 7 + "|" + "-" * 11
          + "|" + "-" * 11 + "|" + "-" * 28)
    for what, ours_t, floor_t, ours_m, floor_m in rows:
        print(f"| {what:<40} | {fmt(ours_t):>9} | {fmt(floor_t):>9} | {ours_t / floor_t:>4.1f}x | "
              f"{ours_m:>6.0f} MB | {floor_m:>6.0f} MB | 3x time, RSS bounded by a batch")
    print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main()
