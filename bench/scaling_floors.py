"""Floors for the issue 15 scaling benchmarks: the least work that reads
the same data and does the same core job, in plain Python and raw sqlite3.
Run in a child process of their own, like the code they are compared with.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from itertools import combinations

BATCH = 500


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Greedy one-to-one matching of overlapping ranges (sorted, disjoint)."""
    i = j = matches = 0
    while i < len(a) and j < len(b):
        (s1, e1), (s2, e2) = a[i], b[j]
        if s1 < e2 and s2 < e1:
            matches += 1
            i += 1
            j += 1
        elif e1 <= e2:
            i += 1
        else:
            j += 1
    return matches


def agreement_floor(db: str) -> dict:
    """Raw sqlite3 read of every span and text, BATCH documents at a time,
    grouped per document, label and layer, then exact and overlap matches
    per pair of layers and label: the matching agreement needs, nothing else
    (no kappa, alpha, per-document figures or JSON)."""
    conn = sqlite3.connect(db)
    ids = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for first in range(0, len(ids), BATCH):
        chunk = json.dumps(ids[first:first + BATCH])
        conn.execute("SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                     [chunk]).fetchall()
        rows = conn.execute('SELECT document_id, layer, label, start, "end" FROM spans'
                            " WHERE document_id IN (SELECT value FROM json_each(?))", [chunk]).fetchall()
        groups: dict[tuple[int, str, str], list[tuple[int, int]]] = defaultdict(list)
        for doc, layer, label, start, end in rows:
            groups[(doc, label, layer)].append((start, end))
        per: dict[tuple[int, str], dict[str, list[tuple[int, int]]]] = defaultdict(dict)
        for (doc, label, layer), ranges in groups.items():
            ranges.sort()
            per[(doc, label)][layer] = ranges
        for (doc, label), layers in per.items():
            for a, b in combinations(sorted(layers), 2):
                ra, rb = layers[a], layers[b]
                total = totals[(a, b, label)]
                total[0] += len(set(ra) & set(rb))
                total[1] += _overlap(ra, rb)
    conn.close()
    return dict(totals)


_TOKEN = re.compile(r"\w+|\S")


def hf_floor(db: str, out: str) -> None:
    """Raw sqlite3 read of the gold spans and the texts, tokens from one
    plain regex, and json.dumps of a row of the hf shape (tags all O) per
    document, written to ``out``."""
    conn = sqlite3.connect(db)
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for doc, start, end, label in conn.execute(
            "SELECT document_id, start, \"end\", label FROM spans WHERE layer = 'gold'"):
        spans[doc].append((start, end, label))
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    with open(out, "w", encoding="utf-8", newline="") as sink:
        for doc, text in conn.execute("SELECT id, text FROM documents ORDER BY id"):
            tokens = [m.span() for m in _TOKEN.finditer(text)]
            zeros = [0] * len(tokens)
            sink.write(dumps({"id": f"{doc}-gold", "document_id": doc, "layer": "gold",
                              "tokens": [text[s:e] for s, e in tokens], "ner_tags": zeros,
                              "claim_tags": zeros}))
            sink.write("\n")
    conn.close()


def export_floor(db: str, out: str) -> None:
    """A streaming export in raw sqlite3: documents in id order a batch at a
    time, each batch's gold spans and relations by one query each, and one
    json.dumps line per document of own JSONL's shape (bench_formats'
    floor line), written as it goes."""
    import functools

    from bench_formats import _floor_line

    conn = sqlite3.connect(db)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    loads = functools.lru_cache(maxsize=4096)(json.loads)
    statuses = dict(conn.execute("SELECT document_id, status FROM statuses WHERE layer = 'gold'"))
    ids = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
    with open(out, "w", encoding="utf-8", newline="") as sink:
        for first in range(0, len(ids), BATCH):
            batch = json.dumps(ids[first:first + BATCH])
            spans: dict[int, list] = defaultdict(list)
            for row in conn.execute('SELECT id, start, "end", label, attributes, note, provenance,'
                                    " document_id FROM spans WHERE layer = 'gold' AND document_id IN"
                                    " (SELECT value FROM json_each(?))", [batch]):
                spans[row[7]].append(row)
            relations: dict[int, list] = defaultdict(list)
            for row in conn.execute(
                    "SELECT r.id, r.type, r.source_id, r.target_id, r.attributes, r.note, r.provenance,"
                    " s.document_id FROM spans s JOIN relations r ON r.source_id = s.id"
                    " WHERE s.document_id IN (SELECT value FROM json_each(?)) AND r.layer = 'gold'"
                    " ORDER BY r.id", [batch]):
                relations[row[7]].append(row)
            for doc in conn.execute(
                    "SELECT id, name, text, sha256, source, external_id, meta FROM documents WHERE id IN"
                    " (SELECT value FROM json_each(?)) ORDER BY id", [batch]):
                found = sorted(spans.get(doc[0], []), key=lambda s: (s[1], -s[2], s[3], s[0]))
                sink.write(dumps(_floor_line("own", doc, statuses.get(doc[0], "todo"), found,
                                             relations.get(doc[0], []), loads)))
                sink.write("\n")
    conn.close()


def import_floor(source: str, db: str) -> None:
    """Raw import of own JSONL, doccano JSONL or Label Studio JSON: each record decoded, its text
    hashed, the document and its spans inserted, all in one transaction;
    no checks, no relations. Memory stays at one line."""
    import hashlib

    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT, text TEXT,"
                 " sha256 TEXT UNIQUE)")
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, document_id INTEGER, start INTEGER,"
                 ' "end" INTEGER, label TEXT, attributes TEXT)')
    conn.execute("BEGIN")
    with open(source, encoding="utf-8") as lines:
        # A Label Studio export is one array: decoded whole (a time floor only).
        records = json.load(lines) if source.endswith(".json") else map(json.loads, lines)
        for record in records:
            if "data" in record:  # Label Studio: the first annotation's regions
                record = {"text": record["data"]["text"], "label": [
                    (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
                    for r in record["annotations"][0]["result"] if r.get("type") == "labels"]}
            text = record["text"]
            document = conn.execute("INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?)",
                                    (record.get("document_id"), record.get("name"), text,
                                     hashlib.sha256(text.encode()).hexdigest())).lastrowid
            if "spans" in record:  # own JSONL
                rows = [(s["id"], document, s["start"], s["end"], s["label"],
                         json.dumps(s["attributes"], ensure_ascii=False)) for s in record["spans"]]
            else:  # doccano's "label" shape
                rows = [(None, document, start, end, label, "{}") for start, end, label in record["label"]]
            conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()


def _gold(conn: sqlite3.Connection) -> dict[int, list[tuple[int, int, str]]]:
    spans: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for doc, start, end, label in conn.execute(
            "SELECT document_id, start, \"end\", label FROM spans WHERE layer = 'gold'"):
        spans[doc].append((start, end, label))
    return spans


def brat_floor(db: str, out: str) -> None:
    """A brat export in raw sqlite3: per document its .txt and an .ann of
    one T line per gold span, two files per document as brat needs."""
    import os

    os.makedirs(out, exist_ok=True)
    conn = sqlite3.connect(db)
    spans = _gold(conn)
    for doc, text in conn.execute("SELECT id, text FROM documents ORDER BY id"):
        with open(os.path.join(out, f"{doc}.txt"), "w", encoding="utf-8", newline="") as sink:
            sink.write(text)
        with open(os.path.join(out, f"{doc}.ann"), "w", encoding="utf-8", newline="") as sink:
            sink.write("".join(f"T{n}\t{label} {start} {end}\t{text[start:end]}\n"
                               for n, (start, end, label) in enumerate(spans.get(doc, []), 1)))
    conn.close()


def conll_floor(db: str, out: str) -> None:
    """A CoNLL export in raw sqlite3: tokens from one plain regex, a token
    and an O tag per line, a blank line after each document."""
    conn = sqlite3.connect(db)
    with open(out, "w", encoding="utf-8", newline="") as sink:
        for (text,) in conn.execute("SELECT text FROM documents ORDER BY id"):
            sink.write("".join(f"{m.group()}\tO\n" for m in _TOKEN.finditer(text)))
            sink.write("\n")
    conn.close()


def spacy_floor(db: str, out: str) -> None:
    """A spaCy export in raw sqlite3 and raw spaCy: regex tokens, one Doc per
    document with its gold spans as ents (those that fit and do not overlap)
    and in one span group, every Doc in one DocBin written at the end (a time
    floor: its memory grows with the project)."""
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("ar").vocab
    conn = sqlite3.connect(db)
    spans = _gold(conn)
    docbin = DocBin(store_user_data=True)
    for doc_id, text in conn.execute("SELECT id, text FROM documents ORDER BY id"):
        found = [m.span() for m in _TOKEN.finditer(text)]
        doc = Doc(vocab, words=[text[s:e] for s, e in found],
                  spaces=[text[e:e + 1] == " " for _, e in found])
        chars = [doc.char_span(s, e, label=label) for s, e, label in sorted(spans.get(doc_id, []))]
        ents, end = [], -1
        for span in chars:
            if span is not None and span.label_ != "CLAIM" and span.start_char >= end:
                ents.append(span)
                end = span.end_char
        doc.ents = ents
        doc.spans["sc"] = [span for span in chars if span is not None]
        doc.user_data["document_id"] = doc_id
        docbin.add(doc)
    docbin.to_disk(out)
    conn.close()


def _import_tables(db: str) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT, text TEXT,"
                 " sha256 TEXT UNIQUE)")
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, document_id INTEGER, start INTEGER,"
                 ' "end" INTEGER, label TEXT)')
    conn.execute("BEGIN")
    return conn


def _insert(conn: sqlite3.Connection, name: str, text: str, spans: list[tuple[int, int, str]]) -> None:
    import hashlib

    document = conn.execute("INSERT OR IGNORE INTO documents VALUES (NULL, ?, ?, ?)",
                            (name, text, hashlib.sha256(text.encode()).hexdigest())).lastrowid
    conn.executemany("INSERT INTO spans VALUES (NULL, ?, ?, ?, ?)",
                     [(document, start, end, label) for start, end, label in spans])


def conll_import_floor(source: str, db: str) -> None:
    """Raw CoNLL import: read the lines, split token and tag, build each
    document's text (tokens joined by spaces) and its BIO spans, raw inserts
    in one transaction; no checks, one tag column. Memory: one document."""
    conn = _import_tables(db)
    tokens: list[str] = []
    spans: list[tuple[int, int, str]] = []
    at, opened, number = 0, None, 0

    def flush() -> None:
        nonlocal tokens, spans, at, opened, number
        if opened is not None:
            spans.append((opened[0], at - 1, opened[1]))
        if tokens:
            number += 1
            _insert(conn, f"doc{number}", " ".join(tokens), spans)
        tokens, spans, at, opened = [], [], 0, None

    with open(source, encoding="utf-8") as lines:
        for line in lines:
            if line == "\n":
                flush()
                continue
            token, tag = line.rstrip("\n").split("\t")[:2]
            if opened is not None and (tag == "O" or tag[0] == "B" or tag[2:] != opened[1]):
                spans.append((opened[0], at - 1, opened[1]))
                opened = None
            if tag != "O" and opened is None:
                opened = (at, tag[2:])
            tokens.append(token)
            at += len(token) + 1
    flush()
    conn.commit()
    conn.close()


def brat_import_floor(source: str, db: str) -> None:
    """Raw brat import: per .txt/.ann pair read both files, parse the T
    lines (label, start, end), raw inserts in one transaction; no checks,
    no offset mapping, attributes or relations."""
    import os

    conn = _import_tables(db)
    for name in sorted(os.listdir(source)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(source, name), encoding="utf-8", newline="") as txt:
            text = txt.read()
        spans = []
        with open(os.path.join(source, name[:-4] + ".ann"), encoding="utf-8", newline="") as ann:
            for line in ann:
                if line.startswith("T"):
                    label, start, end = line.split("\t")[1].split(" ")[:3]
                    spans.append((int(start), int(end.split(";")[-1]), label))
        _insert(conn, name[:-4], text, spans)
    conn.commit()
    conn.close()
