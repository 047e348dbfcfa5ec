"""The document list and Ctrl+PgDn at 1k / 10k / 100k documents (issue 15
item 2). Fixtures are built once into /tmp (bench_doclist_<n>.db, 3
annotator layers, 2 spans per document per layer) and reused.

Rows, beside floors measured in the same run:
- counting spans for the list: before (every layer, nested dicts) and now
  (the shown layer only), floor: the raw sqlite3 GROUP BY for that layer;
- the list's reload (now: the row count; pages of 200 rows are read as
  they are shown), floor: a raw sqlite3 read of the document rows;
- the window start to shown (target: 1 s + floor), floor: the same window
  (same Qt setup, fonts, menus) on an empty project, and a bare QMainWindow
  with a table and a text view; RSS growth of the start beside it;
- the list's last row read (one page, by row number), floor: raw sqlite3
  reading that page with LIMIT/OFFSET;
- Ctrl+PgDn and Ctrl+Enter (done, next to do), floor: opening the next
  document directly;
- the keypresses inside a document (span hotkey, relabel, next span), to
  show they do not grow with the project, floor: a raw sqlite3 insert with
  the store's durability and one row appended to a Qt item model.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_document_list.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table, raw_gesture  # noqa: E402

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


def in_document_keys(app, window, ids: list[int], repeat: int) -> tuple[float, float, float]:
    """Medians (s) of the span hotkey on a free word, relabelling a span and
    Alt+Down, each in a document near the middle of the list (opened
    untimed), so that the project's size is all that changes between sizes."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.activateWindow()
    deadline = time.perf_counter() + 5
    while not window.isActiveWindow() and time.perf_counter() < deadline:
        app.processEvents()  # label hotkeys are window shortcuts
    tagged, relabelled, stepped = [], [], []
    middle = len(ids) // 2
    for k in range(repeat):
        window.open_document(ids[middle + 1 + k])
        app.processEvents()
        before = len(window.spans)
        window.view.set_selection(14, 21)  # "المؤتمر": no span there
        window.view.setFocus()
        t = time.perf_counter()
        QTest.keyClick(window.view, Qt.Key_3)
        app.processEvents()
        tagged.append(time.perf_counter() - t)
        assert len(window.spans) == before + 1, window.statusBar().currentMessage()
        entity = window.spans.ids_with_label("ENTITY")[0]
        window.select_span(entity)
        window.view.setFocus()
        app.processEvents()
        t = time.perf_counter()
        QTest.keyClick(window.view, Qt.Key_3)
        app.processEvents()
        relabelled.append(time.perf_counter() - t)
        assert window.spans[entity].label == "DATE", window.statusBar().currentMessage()
        t = time.perf_counter()
        QTest.keyClick(window.view, Qt.Key_Down, Qt.AltModifier)
        app.processEvents()
        stepped.append(time.perf_counter() - t)
        assert window.selected_span_id != entity
    return tuple(statistics.median(samples) for samples in (tagged, relabelled, stepped))


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
        tmp_dir = tempfile.TemporaryDirectory()
        # A copy: Ctrl+Enter below marks documents done.
        path = Path(tmp_dir.name) / "list.db"
        shutil.copyfile(fixture(n), path)
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

            def rss_mb() -> float:
                with open("/proc/self/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            return int(line.split()[1]) / 1024
                return float("nan")

            def raw_last_page() -> None:
                raw.execute("SELECT id, name, chars, substr(text, 1, 400), meta FROM documents"
                            " ORDER BY id LIMIT 200 OFFSET ?", [n - 200]).fetchall()

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
            empty = Project.open(Path(tmp) / "empty.db")

            def start(on: Project) -> tuple[float, float, MainWindow]:
                before = rss_mb()
                t = time.perf_counter()
                window = MainWindow(on, annotator=layer, settings=settings)
                window.show()
                app.processEvents()
                return time.perf_counter() - t, rss_mb() - before, window

            started, floor_start, grown = [], [], []
            for _ in range(3):
                seconds, growth, window = start(project)
                started.append(seconds)
                grown.append(growth)
                window.close()
                seconds, _, bare = start(empty)
                floor_start.append(seconds)
                bare.close()
            _, _, window = start(project)
            listing = window.document_list
            ids = project.listed_ids(layer)
            window.open_document(ids[len(ids) // 2])

            def last_row() -> None:
                listing.model.reload(project, layer)  # nothing read yet
                listing.model.index(n - 1, 0).data(DOCUMENT_ID)

            def step() -> None:
                window.step_document(1)
                app.processEvents()

            def open_directly() -> None:
                window.open_document(ids[(ids.index(window.document.id) + 1) % len(ids)])
                app.processEvents()

            def done_next() -> None:
                window.mark_done()
                app.processEvents()

            tagged, relabelled, stepped = in_document_keys(app, window, ids, args.repeat)
            floor_key = median_time(raw_gesture(Path(tmp) / "floor.db"), args.repeat)
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
                 sorted(floor_start)[1], "< 1 s + floor"),
                ("bare QMainWindow, table + text view, shown", median_time(bare_window, 3),
                 sorted(floor_start)[1], "(reference)"),
                ("read the list's last row (one page)", median_time(last_row, args.repeat),
                 median_time(raw_last_page, args.repeat), ""),
                ("Ctrl+PgDn", median_time(step, args.repeat), floor_open, "< 50 ms"),
                ("Ctrl+Enter: mark done, open the next to do", median_time(done_next, args.repeat),
                 floor_open, "< 50 ms"),
                ("span hotkey -> committed row", tagged, floor_key, "< 50 ms"),
                ("relabel -> committed row", relabelled, floor_key, "< 50 ms"),
                ("next span (Alt+Down)", stepped, floor_key, "< 50 ms"),
            ]
            window.close()
            empty.close()
        raw.close()
        tmp_dir.cleanup()
        print_table(f"Document list at {n:,} documents ({len(LAYERS)} layers, "
                    f"{2 * n * len(LAYERS):,} spans)", rows)
        print(f"RSS growth of the window start: {sorted(grown)[1]:.0f} MB (median of 3); "
              "floor of the start: the same window on an empty project")


if __name__ == "__main__":
    main()
