"""Claims benchmarks (issue 13): a similarity query over 200,000 claims in
10,000 documents (target < 200 ms), building the index for them (< 10 s),
and opening the claims view on them (< 1 s); each at 20,000 and 200,000
claims.

Floors, measured in the same run: a raw FTS5 trigram-tokenizer MATCH of
the same n-grams (OR-ed, ranked by bm25, top 10) for the query; an FTS5
trigram index built from the same texts for the build; one FTS5 row
deleted and inserted for an index update; a raw sqlite3 SELECT of the same
span columns for the claim read; a raw Qt table model over the same rows
for the view; the store's add_span alone for the view following an edit.

    .venv/bin/python bench/bench_claims.py            # 20,000 and 200,000 claims
    .venv/bin/python bench/bench_claims.py --quick    # 20,000 claims
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import median_time, print_table, seed_texts  # noqa: E402

from annotator.core.claims.clusters import Claim, load_claims  # noqa: E402
from annotator.core.claims.normalise import words  # noqa: E402
from annotator.core.claims.similarity import ClaimIndex, grams  # noqa: E402
from annotator.core.model import NewDocument, NewSpan  # noqa: E402
from annotator.core.store import Project  # noqa: E402


def synthetic(claims: int, documents: int, seed: int = 7) -> list[list[str]]:
    """Per document, its claims: runs of 6-16 seed words with numbers mixed in."""
    vocabulary = [w for text in seed_texts() for w in re.findall(r"\S+", text)]
    rng = random.Random(seed)
    out: list[list[str]] = [[] for _ in range(documents)]
    for i in range(claims):
        start = rng.randrange(len(vocabulary) - 20)
        run = vocabulary[start:start + rng.randint(6, 16)]
        if rng.random() < 0.3:
            run.insert(rng.randrange(len(run)), str(rng.choice([2500, 5000, 3500, 1000, 2021])))
        out[i % documents].append(" ".join(run))
    return out


def build_project(path: Path, per_document: list[list[str]]) -> Project:
    project = Project.open(path)
    project.add_annotator("bench")
    docs = project.add_documents([NewDocument(f"d{i}", "\n".join(claims))
                                  for i, claims in enumerate(per_document)])
    spans = []
    for doc, claims in zip(docs, per_document):
        offset = 0
        for claim in claims:
            spans.append(NewSpan(doc.id, "bench", offset, offset + len(claim), "CLAIM"))
            offset += len(claim) + 1
    project.add_spans(spans)
    return project


def fts_floor(claims: list[Claim], query: Claim) -> tuple[float, float, float]:
    """Build time of an FTS5 trigram index of the normalised words, the
    median time of a MATCH of the query's n-grams (top 10 by bm25), and of
    one row deleted and inserted again."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE g USING fts5(body, tokenize='trigram')")
    rows = [(c.span_id, " ".join(words(c.text))) for c in claims]
    start = time.perf_counter()
    conn.executemany("INSERT INTO g(rowid, body) VALUES (?, ?)", rows)
    build = time.perf_counter() - start
    trigrams = sorted({g for g in grams(words(query.text)) if "#" not in g})
    match = " OR ".join(f'"{g}"' for g in trigrams)
    sql = "SELECT rowid FROM g WHERE g MATCH ? ORDER BY bm25(g) LIMIT 10"

    def update() -> None:
        conn.execute("DELETE FROM g WHERE rowid = ?", [rows[0][0]])
        conn.execute("INSERT INTO g(rowid, body) VALUES (?, ?)", rows[0])

    return (build, median_time(lambda: conn.execute(sql, [match]).fetchall()),
            median_time(update))


def read_floors(path: Path) -> tuple[float, float]:
    """Raw sqlite3 reads: the claims' span columns; and those plus every
    document's text."""
    conn = sqlite3.connect(path)
    spans = ('SELECT id, document_id, start, "end" FROM spans WHERE layer = ? AND'
             " label = 'CLAIM'")

    def with_texts() -> None:
        conn.execute(spans, ["bench"]).fetchall()
        conn.execute("SELECT id, text FROM documents").fetchall()

    try:
        return (median_time(lambda: conn.execute(spans, ["bench"]).fetchall(), repeat=3),
                median_time(with_texts, repeat=3))
    finally:
        conn.close()


def view_floor(rows: list[Claim]) -> float:
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QTableView

    class Raw(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):
            return len(rows)

        def columnCount(self, parent=QModelIndex()):
            return 6

        def data(self, index, role=Qt.DisplayRole):
            return rows[index.row()].text if role == Qt.DisplayRole else None

    def show() -> None:
        view = QTableView()
        view.setModel(Raw())
        view.resize(1100, 700)
        view.show()
        view.grab()
        view.deleteLater()

    return median_time(show, repeat=3)


def measure(n_claims: int, n_docs: int, folder: Path) -> list[tuple[str, float, float, str]]:
    path = folder / f"p{n_claims}.db"
    project = build_project(path, synthetic(n_claims, n_docs))
    # A document without claims, where the edit-following measure adds one.
    [free] = project.add_documents([NewDocument("free", "قال الرئيس إن القوات ستغادر العراق")])
    spans = median_time(lambda: project.claim_spans("bench"), repeat=3)
    load = median_time(lambda: load_claims(project, "bench"), repeat=3)
    floor_spans, floor_read = read_floors(path)
    claims = load_claims(project, "bench")
    start = time.perf_counter()
    index = ClaimIndex(claims)
    build = time.perf_counter() - start
    rng = random.Random(3)
    queries = [rng.choice(claims).span_id for _ in range(9)]
    times = []
    for span_id in queries:
        t0 = time.perf_counter()
        index.similar(span_id, top=10)
        times.append(time.perf_counter() - t0)
    query = statistics.median(times)
    fts_build, fts_query, fts_update = fts_floor(claims, index.claim(queries[0]))

    def update() -> None:
        index.remove(claims[0].span_id)
        index.add(claims[0])

    update_time = median_time(update)

    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from annotator.core.workflow import SpanChange
    from annotator.gui.claims_view import ClaimsView

    app = QApplication.instance() or QApplication([])
    stack = QUndoStack()

    def open_view() -> ClaimsView:
        view = ClaimsView(project, "bench", stack, print)
        view.resize(1100, 700)
        view.show()
        view.grab()
        app.processEvents()
        return view

    views = []
    opening = median_time(lambda: views.append(open_view()), repeat=3)
    floor_view = view_floor(claims)
    view = views.pop()
    for other in views:
        other.deleteLater()
    view.select_claim(claims[len(claims) // 2].span_id)  # builds its index

    def save() -> None:
        project.delete_span(project.add_span(free.id, "bench", 4, 10, "CLAIM").id)

    floor_follow = median_time(save)

    def follow() -> None:
        span = project.add_span(free.id, "bench", 4, 10, "CLAIM")
        view.changes_applied([SpanChange(None, span)])
        view.changes_applied([SpanChange(project.delete_span(span.id), None)])

    following = median_time(follow)
    view.deleteLater()
    app.processEvents()
    project.close()
    return [
        ("similarity query, top 10 (median of 9)", query, fts_query, "< 200 ms"),
        ("index build (in memory)", build, fts_build, "< 10 s"),
        ("index update: one claim removed and added", update_time, fts_update, "-"),
        ("read the claim spans (what the view opens on)", spans, floor_spans, "-"),
        ("read the claims with texts, titles (CLI, index)", load, floor_read, "-"),
        ("open the claims view (read + cluster + paint)", opening, floor_view, "< 1 s"),
        ("view follows a claim added + deleted", following, floor_follow, "-"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 claims only")
    args = parser.parse_args()
    sizes = [(20_000, 1_000)] + ([] if args.quick else [(200_000, 10_000)])
    with tempfile.TemporaryDirectory() as folder:
        for n_claims, n_docs in sizes:
            rows = measure(n_claims, n_docs, Path(folder))
            print_table(f"Claims ({n_claims:,} claims / {n_docs:,} docs)", rows)
    print("\nThe floors ran in the same process, just before or after ours; on a shared "
          "machine both are inflated alike.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
