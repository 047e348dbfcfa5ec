"""Review keypresses at 1k / 20k documents x 3 / 5 annotators (issue 15).

Each keypress is timed as the review window runs it (offscreen Qt, the
dialog's own slots): open a review, accept one annotator's version of the
current unit, reject it, the next unit, the next document. Floors are
measured in the same run: a raw sqlite3 read of that document's spans (what
a decision must at least look at) and, for opening, a dialog showing the
same text in the same text view with no review logic.

The projects are built once and kept under /tmp (never in the repository):
delete /tmp/annotator-bench-review/ to build them again.

    .venv/bin/python bench/bench_review.py            # 1k and 20k documents
    .venv/bin/python bench/bench_review.py --quick    # 200 and 1k documents
    .venv/bin/python bench/bench_review.py --dashboard  # also the agreement dashboard at 20k x 5
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_agreement import LABELS, annotator_version, truth  # noqa: E402
from common import fmt, median_time, seed_texts  # noqa: E402

from annotator.core.model import NewDocument, NewSpan, Status  # noqa: E402
from annotator.core.store import Project  # noqa: E402

CACHE = Path("/tmp/annotator-bench-review")
NAMES = ("lina", "omar", "sara", "yusuf", "huda")
SPANS_PER_DOCUMENT = 20  # per annotator: a news article's entities, dates and claims
BATCH = 2_000  # documents per add_spans call while building


def project_path(documents: int, annotators: int) -> Path:
    return CACHE / f"review_{documents}x{annotators}.db"


def build(path: Path, documents: int, annotators: int) -> None:
    """Documents from the seed articles, each annotator a noisy copy of one
    truth per document, every document marked done by everyone."""
    seeds = seed_texts()
    rng = random.Random(15)
    names = NAMES[:annotators]
    partial = path.with_suffix(".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    with Project.open(partial) as project:
        for name in names:
            project.add_annotator(name)
        for first in range(0, documents, BATCH):
            count = min(BATCH, documents - first)
            texts = [f"{seeds[i % len(seeds)]}\n{i}" for i in range(first, first + count)]
            added = project.add_documents(NewDocument(f"doc{first + i}", t) for i, t in enumerate(texts))
            batch = []
            for doc, text in zip(added, texts):
                base = truth(text, rng, SPANS_PER_DOCUMENT)
                for name in names:
                    batch += [NewSpan(doc.id, name, s, e, label)
                              for s, e, label in annotator_version(base, rng)]
            project.add_spans(batch)
            with project.transaction():
                for doc in added:
                    for name in names:
                        project.set_status(doc.id, name, Status.DONE)
    partial.rename(path)


def ensure(documents: int, annotators: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = project_path(documents, annotators)
    if not path.exists():
        print(f"building {path} ...", file=sys.stderr, flush=True)
        build(path, documents, annotators)
    return path


def raw_document_spans(path: Path, document_id: int) -> int:
    conn = sqlite3.connect(path)
    rows = conn.execute('SELECT id, layer, start, "end", label FROM spans WHERE document_id = ?',
                        [document_id]).fetchall()
    conn.close()
    return len(rows)


def bench_size(app, documents: int, annotators: int, repeat: int) -> list[tuple[str, float, float, str]]:
    from PySide6.QtWidgets import QDialog, QVBoxLayout

    from annotator.gui.review.review_window import ReviewDialog
    from annotator.gui.text_view import ArabicTextView

    path = ensure(documents, annotators)
    size = f"{documents:,} x {annotators}"
    with Project.open(path) as project:
        # A document from the middle of the project: nothing is first or last.
        document_id = documents // 2
        text = project.document(document_id).text
        conn = sqlite3.connect(path)

        def floor_spans() -> None:
            conn.execute('SELECT id, layer, start, "end", label FROM spans WHERE document_id = ?',
                         [document_id]).fetchall()

        def open_review() -> ReviewDialog:
            dialog = ReviewDialog(project, document_id)
            dialog.show()
            dialog.repaint()
            app.processEvents()
            return dialog

        def close(dialog: QDialog) -> None:
            dialog.close()
            dialog.deleteLater()
            app.processEvents()

        def floor_open() -> None:
            dialog = QDialog()
            layout = QVBoxLayout(dialog)
            view = ArabicTextView()
            view.set_text(text)
            layout.addWidget(view)
            dialog.resize(1280, 800)
            dialog.show()
            dialog.repaint()
            app.processEvents()
            close(dialog)

        close(open_review())  # warm up fonts and caches, as a second review would be
        open_median = median_time(lambda: close(open_review()), repeat)
        open_floor = median_time(floor_open, repeat)
        spans_floor = median_time(floor_spans, max(repeat, 20))

        dialog = open_review()

        def decided(decide) -> float:
            """Median of one decision on the current unit, each undone untimed."""
            samples = []
            for _ in range(repeat):
                dialog.go_to(0)
                samples.append(median_time(decide, 1))
                dialog.undo()
                app.processEvents()
            return sorted(samples)[len(samples) // 2]

        def accept() -> None:
            dialog.accept_version(1)
            app.processEvents()

        def reject() -> None:
            dialog.reject_all()
            app.processEvents()

        def next_unit() -> None:
            if dialog.current is not None and dialog.current + 1 >= len(dialog.review.units):
                dialog.go_to(0)
            dialog.next_unit()
            app.processEvents()

        def next_document() -> None:
            dialog.next_document()
            app.processEvents()

        rows = [
            (f"open review ({size})", open_median, open_floor, "< 0.5 s"),
            (f"accept, key 1 ({size})", decided(accept), spans_floor, "< 50 ms"),
            (f"reject, key X ({size})", decided(reject), spans_floor, "< 50 ms"),
            (f"next unit, key N ({size})", median_time(next_unit, max(repeat, 20)), spans_floor, "< 50 ms"),
            (f"next document, Ctrl+PgDn ({size})", median_time(next_document, repeat),
             spans_floor, "< 50 ms"),
        ]
        close(dialog)
        conn.close()
    return rows


def bench_dashboard(app, documents: int, annotators: int) -> list[tuple[str, float, float, str]]:
    """The agreement dashboard computes in the background: how long the GUI
    thread is held when it opens, the longest the event loop then waits
    between two 10 ms timer ticks while the figures are computed (the
    window's worst stall), and when they are on screen. Floors: the longest
    tick gap with nothing computing, and the same dialog showing no figures."""
    import time

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QDialog

    from annotator.gui.review.dashboard import AgreementDashboard

    path = ensure(documents, annotators)
    size = f"{documents:,} x {annotators}"

    def longest_gap(until) -> float:
        clock, gaps, last = QElapsedTimer(), [], [0]
        clock.start()

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(10)
        loop = QEventLoop()
        check = QTimer()
        check.timeout.connect(lambda: until() and loop.quit())
        check.start(10)
        loop.exec()
        timer.stop()
        check.stop()
        return max(gaps) / 1000 if gaps else 0.0

    with Project.open(path) as project:
        started = time.perf_counter()
        dashboard = AgreementDashboard(project)
        dashboard.show()
        app.processEvents()
        shown = time.perf_counter() - started
        stall = longest_gap(lambda: dashboard.report is not None)
        ready = time.perf_counter() - started
        dashboard.done(0)
        app.processEvents()
        started = time.perf_counter()
        bare = QDialog()
        bare.resize(1100, 760)
        bare.show()
        app.processEvents()
        bare_shown = time.perf_counter() - started
        bare.close()
        idle_until = time.perf_counter() + 3
        idle = longest_gap(lambda: time.perf_counter() > idle_until)
    return [
        (f"dashboard shown, GUI thread free ({size})", shown, bare_shown, "no freeze"),
        (f"dashboard: longest GUI stall while computing ({size})", stall, idle, "< 100 ms"),
        (f"dashboard: figures on screen ({size})", ready, float("nan"), "progress shown"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 and 1,000 documents, 3 repeats")
    parser.add_argument("--build-only", action="store_true", help="build the cached projects and stop")
    parser.add_argument("--dashboard", action="store_true",
                        help="also open the agreement dashboard at the largest size (about a minute)")
    args = parser.parse_args()
    sizes = (200, 1000) if args.quick else (1000, 20_000)
    repeat = 3 if args.quick else 7
    if args.build_only:
        for documents in sizes:
            for annotators in (3, 5):
                ensure(documents, annotators)
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from annotator.gui.fonts import register_arabic_font

    app = QApplication.instance() or QApplication([])
    register_arabic_font()
    rows = []
    for annotators in (3, 5):
        for documents in sizes:
            rows += bench_size(app, documents, annotators, repeat)
    if args.dashboard:
        rows += bench_dashboard(app, sizes[-1], 5)
    print(f"\nReview keypresses, medians of {repeat} (floors: a raw sqlite3 read of that document's "
          "spans; for opening, the same text in the same view with no review logic)")
    print(f"| {'measure':<40} | {'ours':>10} | {'floor':>10} | {'ratio':>7} | target")
    print("|" + "-" * 42 + "|" + "-" * 12 + "|" + "-" * 12 + "|" + "-" * 9 + "|" + "-" * 10)
    for what, ours, floor, target in rows:
        ratio = f"{ours / floor:>6.1f}x" if floor == floor else "     - "  # nan: no floor
        print(f"| {what:<40} | {fmt(ours):>10} | {fmt(floor) if floor == floor else '-':>10} | {ratio} | {target}")


if __name__ == "__main__":
    main()
