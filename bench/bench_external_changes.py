"""Noticing another process's changes (issue 8 item 5).

- One poll of PRAGMA data_version when nothing changed (runs every second
  while the window is open). Floor: ``SELECT 1`` on a raw sqlite3 connection.
- The refresh after another connection imported 10,000 documents into a
  project the window has open: document list, counts, open document's spans.
  Floor: raw sqlite3 reading the rows the list shows (id, name, length,
  status, span counts).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_external_changes.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_external_changes.py --quick
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table, seed_texts  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    documents = 1_000 if args.quick else 10_000
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from annotator.gui.main_window import MainWindow

    texts = seed_texts()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.db"
        project = Project.open(path)
        project.add_documents([NewDocument(f"seed{i}", t) for i, t in enumerate(texts)])
        window = MainWindow(project, annotator="amal",
                            settings=QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat))
        window.resize(1280, 820)
        window.show()
        app.processEvents()
        watcher = window.external_changes.watcher
        watcher.timer.stop()  # polled by hand below
        poll = median_time(watcher.poll, repeat=200)
        raw = sqlite3.connect(path)
        floor_poll = median_time(lambda: raw.execute("SELECT 1").fetchone(), repeat=200)

        rounds: list[float] = []

        def import_then_refresh() -> None:
            with Project.open(path) as other:
                n = len(rounds)
                other.add_documents([NewDocument(f"new{n}-{i}", f"{texts[i % len(texts)]} {n}-{i}")
                                     for i in range(documents)])
            import time

            start = time.perf_counter()
            assert watcher.poll()
            app.processEvents()
            rounds.append(time.perf_counter() - start)

        for _ in range(3):
            import_then_refresh()
        refresh = sorted(rounds)[1]
        shown = window.document_list.model.rowCount()

        def raw_list() -> None:
            raw.execute("SELECT id, name, length(text) FROM documents ORDER BY id").fetchall()
            raw.execute("SELECT document_id, status FROM statuses WHERE layer = 'amal'").fetchall()
            raw.execute("SELECT document_id, layer, label, count(*) FROM spans GROUP BY 1, 2, 3").fetchall()

        floor_refresh = median_time(raw_list, repeat=3)
        raw.close()
        window.close()
        project.close()
    # Floor: the list's rows read once the last import is in (the largest list).
    print_table(f"External changes ({shown:,} documents listed after the last import)", [
        ("poll PRAGMA data_version, nothing changed", poll, floor_poll, "≪ 1 ms (every 1 s)"),
        (f"refresh after +{documents:,} (median of 3 imports)", refresh, floor_refresh, "≤ 2x floor"),
    ])


if __name__ == "__main__":
    main()
