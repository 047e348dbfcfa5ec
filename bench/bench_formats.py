"""Format benchmarks (issues 4 and 12): export 10,000 documents with 200,000
spans and 100,000 relations to own JSONL, doccano JSONL (the
entities/relations shape) and Label Studio JSON, and import the same files.

Each export sits beside a floor measured in the same run, the two run in
turn so that both meet the same load on a shared machine: raw sqlite3 reads
of the same rows plus json.dumps of the same lines, written the same way
(the floor's file must equal ours byte for byte, so both did the same
work). Each import sits beside json.loads of the same file plus raw sqlite3
executemany of its documents, spans and relations with foreign keys ON; no
validation, no offset mapping. Targets: within 3x of the floor (issue 12);
export < 5 s, import < 10 s (issue 4).

    .venv/bin/python bench/bench_formats.py            # full sizes
    .venv/bin/python bench/bench_formats.py --quick    # 1,000 documents, for a smoke run
"""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import print_table, seed_texts  # noqa: E402

from annotator.core.formats.exports.dispatch import FormatOptions, export_project  # noqa: E402
from annotator.core.formats.imports.dispatch import import_annotations  # noqa: E402
from annotator.core.model import GOLD, NewDocument, NewRelation, NewSpan  # noqa: E402
from annotator.core.store import Project  # noqa: E402
from annotator.core.text.encoding import sha256_text  # noqa: E402
from annotator.core.text.segmentation import words  # noqa: E402

LABELS = ("CLAIM", "ENTITY", "DATE")
FORMATS = {"own": ("own", ".jsonl"), "doccano": ("doccano", ".jsonl"), "labelstudio": ("labelstudio", ".json")}


def build_project(path: Path, n_docs: int, spans_per_doc: int, relations_per_doc: int) -> Project:
    """Seed articles made unique, with spans on words (ENTITY/DATE with
    attributes), and relations from each CLAIM to the ENTITY (SPEAKER) and
    DATE (TIME) after it."""
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
    ids = project.add_spans(spans).inserted
    relations = []
    for d in range(n_docs):
        base = d * spans_per_doc  # spans k, k+1, k+2 are CLAIM, ENTITY, DATE
        made = 0
        for k in range(0, spans_per_doc - 2, 3):
            for offset, kind in ((1, "SPEAKER"), (2, "TIME")):
                if made < relations_per_doc:
                    relations.append(NewRelation(GOLD, kind, ids[base + k], ids[base + k + offset]))
                    made += 1
    project.add_relations(relations)
    return project


# -- floors ---------------------------------------------------------------------

def _raw_rows(db_path: Path):
    """Every row the export needs, by plain sqlite3 queries."""
    conn = sqlite3.connect(db_path)
    docs = conn.execute("SELECT id, name, text, sha256, source, external_id, meta FROM documents"
                        " ORDER BY id").fetchall()
    statuses = dict(conn.execute("SELECT document_id, status FROM statuses WHERE layer = 'gold'"))
    spans = defaultdict(list)
    for row in conn.execute('SELECT id, start, "end", label, attributes, note, provenance, document_id'
                            " FROM spans WHERE layer = 'gold'"):
        spans[row[7]].append(row)
    relations = defaultdict(list)
    for row in conn.execute("SELECT r.id, r.type, r.source_id, r.target_id, r.attributes, r.note,"
                            " r.provenance, s.document_id FROM relations r"
                            " JOIN spans s ON s.id = r.source_id WHERE r.layer = 'gold' ORDER BY r.id"):
        relations[row[7]].append(row)
    conn.close()
    for doc_spans in spans.values():
        doc_spans.sort(key=lambda s: (s[1], -s[2], s[3], s[0]))
    return docs, statuses, spans, relations


def _floor_line(fmt: str, doc, status, spans, relations, loads) -> dict:
    doc_id, name, text, sha, source, external_id, meta = doc
    if fmt == "own":
        return {"document_id": doc_id, "name": name, "sha256": sha, "source": source,
                "external_id": external_id, "meta": loads(meta), "layer": GOLD, "status": status,
                "text": text,
                "spans": [{"id": s[0], "start": s[1], "end": s[2], "label": s[3], "text": text[s[1]:s[2]],
                           "attributes": loads(s[4]), "note": s[5], "provenance": s[6]} for s in spans],
                "relations": [{"id": r[0], "type": r[1], "source": r[2], "target": r[3],
                               "attributes": loads(r[4]), "note": r[5], "provenance": r[6]}
                              for r in relations]}
    if fmt == "doccano":
        return {"id": doc_id, "text": text,
                "entities": [{"id": s[0], "label": s[3], "start_offset": s[1], "end_offset": s[2]}
                             for s in spans],
                "relations": [{"id": r[0], "from_id": r[2], "to_id": r[3], "type": r[1]} for r in relations]}
    return {"id": doc_id, "data": {"text": text, "name": name, "sha256": sha}, "annotations": [{
        "completed_by": GOLD,
        "result": [{"id": f"s{s[0]}", "from_name": "label", "to_name": "text", "type": "labels",
                    "value": {"start": s[1], "end": s[2], "text": text[s[1]:s[2]], "labels": [s[3]]},
                    **({"meta": {"attributes": loads(s[4])}} if s[4] != "{}" else {})} for s in spans]
        + [{"from_id": f"s{r[2]}", "to_id": f"s{r[3]}", "type": "relation", "direction": "right",
            "labels": [r[1]]} for r in relations]}]}


def floor_export(db_path: Path, out: Path, fmt: str) -> None:
    """Raw sqlite3 reads of the same rows and json.dumps of the same lines."""
    docs, statuses, spans, relations = _raw_rows(db_path)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    # Decoded once per distinct attributes text, as the export does too.
    loads = functools.lru_cache(maxsize=4096)(json.loads)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        lines = (dumps(_floor_line(fmt, doc, statuses.get(doc[0], "todo"), spans.get(doc[0], []),
                                   relations.get(doc[0], []), loads)) for doc in docs)
        if fmt == "labelstudio":
            handle.write("[\n" + ",\n".join(lines) + "\n]\n")
        else:
            for line in lines:
                handle.write(line)
                handle.write("\n")


def floor_import(db_path: Path, source: Path, fmt: str) -> None:
    """json.loads of every record, hash, and raw sqlite3 executemany of the
    documents, spans and relations (foreign keys ON)."""
    with Project.open(db_path):
        pass  # the same schema (creating it takes milliseconds)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    text = source.read_text(encoding="utf-8")
    records = json.loads(text) if fmt == "labelstudio" else [json.loads(line) for line in text.splitlines()]
    docs, spans, relations = [], [], []
    next_span = 1
    for doc_id, record in enumerate(records, start=1):
        body = record["data"]["text"] if fmt == "labelstudio" else record["text"]
        docs.append((doc_id, str(doc_id), body, sha256_text(body), len(body)))
        ids = {}
        if fmt == "own":
            items = [(x["id"], x["start"], x["end"], x["label"], json.dumps(x["attributes"]))
                     for x in record["spans"]]
            links = [(r["type"], r["source"], r["target"]) for r in record["relations"]]
        elif fmt == "doccano":
            items = [(x["id"], x["start_offset"], x["end_offset"], x["label"], "{}") for x in record["entities"]]
            links = [(r["type"], r["from_id"], r["to_id"]) for r in record["relations"]]
        else:
            results = record["annotations"][0]["result"]
            items = [(x["id"], x["value"]["start"], x["value"]["end"], x["value"]["labels"][0],
                      json.dumps(x.get("meta", {}).get("attributes", {}))) for x in results if "value" in x]
            links = [(r["labels"][0], r["from_id"], r["to_id"]) for r in results if r["type"] == "relation"]
        for key, start, end, label, attributes in items:
            ids[key] = next_span
            spans.append((next_span, doc_id, start, end, label, attributes))
            next_span += 1
        relations.extend((kind, ids[a], ids[b]) for kind, a, b in links)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO documents (id, name, text, sha256, chars, created_at)"
                     " VALUES (?, ?, ?, ?, ?, 'x')", docs)
    conn.executemany('INSERT INTO spans (id, document_id, layer, start, "end", label, attributes,'
                     " created_at, updated_at) VALUES (?, ?, 'gold', ?, ?, ?, ?, 'x', 'x')", spans)
    conn.executemany("INSERT INTO relations (layer, type, source_id, target_id, created_at, updated_at)"
                     " VALUES ('gold', ?, ?, ?, 'x', 'x')", relations)
    conn.execute("COMMIT")
    conn.close()


def paired_medians(ours, floor, repeat: int) -> tuple[float, float]:
    """Medians of ``ours`` and ``floor`` run in turn, so that both meet the
    same load from other processes on a shared machine."""
    import statistics
    import time

    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((ours, times[0]), (floor, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n_docs, per_doc, relations_per_doc = (1_000, 20, 10) if args.quick else (10_000, 20, 10)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        project = build_project(tmp / "source.db", n_docs, per_doc, relations_per_doc)
        total = len(project.spans(layer=GOLD))
        links = len(project.relations(layer=GOLD))
        rows = []
        options = FormatOptions(doccano_shape="entities")
        for name, (fmt, suffix) in FORMATS.items():
            out = tmp / f"{name}{suffix}"
            floor_out = tmp / f"floor-{name}{suffix}"
            ours, floor = paired_medians(lambda: export_project(project, fmt, out, format_options=options),
                                         lambda: floor_export(tmp / "source.db", floor_out, fmt), args.repeat)
            assert floor_out.read_bytes() == out.read_bytes(), f"{name}: the floor wrote other bytes"
            rows.append((f"export {name}", ours, floor, "<= 3x floor, < 5 s"))
        runs = [0]
        for name, (fmt, suffix) in FORMATS.items():
            def import_once(fmt=fmt, name=name, suffix=suffix) -> None:
                runs[0] += 1
                with Project.open(tmp / f"import-{runs[0]}.db") as target:
                    report = import_annotations(target, fmt, [tmp / f"{name}{suffix}"])
                    assert report.spans_added == total and report.relations_added == links, report.summary()

            def floor_once(fmt=fmt, name=name, suffix=suffix) -> None:
                runs[0] += 1
                floor_import(tmp / f"floor-import-{runs[0]}.db", tmp / f"{name}{suffix}", fmt)
            ours, floor = paired_medians(import_once, floor_once, args.repeat)
            rows.append((f"import {name} (same file)", ours, floor, "<= 3x floor, < 10 s"))
        project.close()
    print_table(f"Formats: {n_docs:,} documents, {total:,} spans, {links:,} relations, "
                f"median of {args.repeat}", rows)


if __name__ == "__main__":
    main()
