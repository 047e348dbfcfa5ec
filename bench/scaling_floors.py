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
