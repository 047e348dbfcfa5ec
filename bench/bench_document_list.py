"""The document list and Ctrl+PgDn at 1k / 10k / 100k documents (issue 15
item 2). Fixtures are built once into /tmp (bench_doclist_<n>.db, 3
annotator layers, 2 spans per document per layer) and reused.

Rows, beside floors measured in the same run:
- counting spans for the list: before (every layer, nested dicts) and now
  (the shown layer only), floor: the raw sqlite3 GROUP BY for that layer;
- the list's reload (documents, titles, statuses, counts), floor: a raw
  sqlite3 read of the document rows; the window start to shown, floor: a
  bare QMainWindow with a table and a text view, shown;
- Ctrl+PgDn: before (listing every shown id through QModelIndex.data) and
  now, floor: opening the next document directly.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_document_list.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table  # noqa: E402

LAYERS = ("amal", "badr", "gold")


def fixture(n: int) -> Path:
    from annotator.core.model import NewDocument, NewSpan
    from annotator.core.store import Project

    path = Path(tempfile.gettempdir()) / f"bench_doclist_{n}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with Project.open(partial) as project:
        ids = [a.id for a in project.add_documents(
            NewDocument(f"doc{i:06d}.txt", f"قال الرئيس في المؤتمر رقم {i} إن الاجتماع ناجح")
            for i in range(n))]
        for layer in LAYERS:
            if layer != "gold":
                project.add_annotator(layer)
            project.add_spans([NewSpan(d, layer, 0, 3, "CLAIM") for d in ids]
                              + [NewSpan(d, layer, 4, 10, "ENTITY") for d in ids])
    partial.rename(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.core.store import Project
    from annotator.gui.document_list import DOCUMENT_ID
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    for n in args.sizes:
        path = fixture(n)
        raw = sqlite3.connect(path)
        with Project.open(path) as project, tempfile.TemporaryDirectory() as tmp:
            layer = "amal"

            def counts_before() -> None:
                every = project.span_counts()
                {d: dict(every.get(d, {}).get(layer, {})) for d in every}

            def raw_counts() -> None:
                raw.execute("SELECT document_id, label, count(*) FROM spans WHERE layer = ? "
                            "GROUP BY 1, 2", [layer]).fetchall()

            def raw_documents() -> None:
                raw.execute("SELECT id, name, chars, sha256 FROM documents").fetchall()

            def bare_window() -> None:
                # Raw Qt: a main window with a table and a text view, shown.
                from PySide6.QtWidgets import QMainWindow, QPlainTextEdit, QSplitter, QTableView
                bare = QMainWindow()
                splitter = QSplitter()
                splitter.addWidget(QTableView())
                splitter.addWidget(QPlainTextEdit())
                bare.setCentralWidget(splitter)
                bare.show()
                app.processEvents()
                bare.close()

            settings = QSettings(str(Path(tmp) / "bench.ini"), QSettings.IniFormat)
            started: list[float] = []
            windows = []
            for _ in range(3):
                t = time.perf_counter()
                window = MainWindow(project, annotator=layer, settings=settings)
                window.show()
                app.processEvents()
                started.append(time.perf_counter() - t)
                windows.append(window)
            for extra in windows[1:]:
                extra.close()
            window = windows[0]
            listing = window.document_list
            ids = [d.id for d in listing.model.documents]
            window.open_document(ids[len(ids) // 2])

            def list_before() -> None:
                shown = [listing.proxy.index(row, 0).data(DOCUMENT_ID)
                         for row in range(listing.proxy.rowCount())]
                shown.index(window.document.id)

            def step() -> None:
                window.step_document(1)
                app.processEvents()

            def open_directly() -> None:
                window.open_document(ids[(ids.index(window.document.id) + 1) % len(ids)])
                app.processEvents()

            floor_docs = median_time(raw_documents, args.repeat)
            floor_open = median_time(open_directly, args.repeat)
            rows = [
                ("count spans: before (every layer)", median_time(counts_before, args.repeat),
                 median_time(raw_counts, args.repeat), ""),
                ("count spans: now (shown layer)",
                 median_time(lambda: project.layer_span_counts(layer), args.repeat),
                 median_time(raw_counts, args.repeat), ""),
                ("document list reload", median_time(lambda: listing.reload(project, layer), 3),
                 floor_docs, ""),
                ("window start -> shown (median of 3)", sorted(started)[1],
                 median_time(bare_window, 3),
                 "< 1 s + floor"),
                ("Ctrl+PgDn: listing shown ids as before", median_time(list_before, args.repeat)
                 + floor_open, floor_open, ""),
                ("Ctrl+PgDn now", median_time(step, args.repeat), floor_open, "< 50 ms"),
            ]
            window.close()
        raw.close()
        print_table(f"Document list at {n:,} documents ({len(LAYERS)} layers, "
                    f"{2 * n * len(LAYERS):,} spans)", rows)


if __name__ == "__main__":
    main()
