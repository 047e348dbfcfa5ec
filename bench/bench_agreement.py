"""Agreement and review benchmarks (issue 5).

- Agreement for 1,000 documents x 3 annotators x ~60 spans each (target < 3 s).
  Floor: raw sqlite3 reading the same span rows and texts, no figures.
- Opening a review of a seed article with 3 layers (target < 0.5 s), until
  the window is shown and painted. Floor: a bare QPlainTextEdit showing the
  same text.

    .venv/bin/python bench/bench_agreement.py            # full sizes
    .venv/bin/python bench/bench_agreement.py --quick    # smaller, for a smoke run
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_time, print_table, seed_texts  # noqa: E402

from annotator.core.review.agreement import agreement, compute_agreement, load_documents  # noqa: E402
from annotator.core.model import NewDocument, NewSpan, Status  # noqa: E402
from annotator.core.store import Project  # noqa: E402

ANNOTATORS = ("lina", "omar", "sara")
LABELS = ("CLAIM", "ENTITY", "DATE")


def truth(text: str, rng: random.Random, wanted: int) -> list[tuple[int, int, str]]:
    """About ``wanted`` word-aligned spans; one label never overlaps itself."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    chance = min(0.9, wanted / max(1, len(words)) * 1.6)
    spans, i = [], 0
    while i < len(words) and len(spans) < wanted:
        if rng.random() < chance:
            width = rng.randint(1, 3)
            last = words[min(i + width, len(words)) - 1]
            spans.append((words[i][0], last[1], rng.choice(LABELS)))
            i += width
        i += 1
    return spans


def annotator_version(spans, rng: random.Random):
    out = []
    for start, end, label in spans:
        roll = rng.random()
        if roll < 0.08:
            continue                                    # missed
        if roll < 0.16 and end - start > 3:
            end -= 2                                    # boundary slip
        elif roll < 0.19:
            label = rng.choice([x for x in LABELS if x != label])
        out.append((start, end, label))
    return out


def build(path: Path, documents: int, spans_per_document: int) -> None:
    seeds = seed_texts()
    rng = random.Random(5)
    with Project.open(path) as project:
        texts = [f"{seeds[i % len(seeds)]}\n{i}" for i in range(documents)]  # distinct SHA-256
        ids = [d.id for d in project.add_documents(NewDocument(f"doc{i}", t) for i, t in enumerate(texts))]
        batch = []
        for name in ANNOTATORS:
            project.add_annotator(name)
        for doc_id, text in zip(ids, texts):
            base = truth(text, rng, spans_per_document)
            for name in ANNOTATORS:
                for start, end, label in annotator_version(base, rng):
                    batch.append(NewSpan(doc_id, name, start, end, label))
        project.add_spans(batch)
        with project.transaction():
            for doc_id in ids:
                for name in ANNOTATORS:
                    project.set_status(doc_id, name, Status.DONE)


def raw_read(path: Path) -> int:
    conn = sqlite3.connect(path)
    rows = conn.execute('SELECT document_id, layer, label, start, "end" FROM spans').fetchall()
    texts = conn.execute("SELECT id, text FROM documents").fetchall()
    conn.close()
    return len(rows) + len(texts)


def bench_agreement(folder: Path, documents: int, spans: int, repeat: int) -> list:
    path = folder / "agreement.db"
    build(path, documents, spans)
    with Project.open(path) as project:
        total = len(project.spans())
        per_doc = total / documents / len(ANNOTATORS)
        labels = [t.name for t in project.tags()]
        loaded = load_documents(project, list(ANNOTATORS))
        rows = [
            (f"agreement(), {documents} docs x 3 x {per_doc:.0f} spans", median_time(lambda: agreement(project), repeat),
             median_time(lambda: raw_read(path), repeat), "< 3 s"),
            ("  of which: loading spans and texts", median_time(
                lambda: load_documents(project, list(ANNOTATORS)), repeat),
             median_time(lambda: raw_read(path), repeat), ""),
            ("  of which: computing every figure", median_time(
                lambda: compute_agreement(loaded, ANNOTATORS, labels), repeat),
             median_time(lambda: raw_read(path), repeat), ""),
        ]
    return rows


def bench_review(folder: Path, repeat: int) -> list:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from annotator.core.review.adjudication import Review
    from annotator.gui.fonts import arabic_font, register_arabic_font
    from annotator.gui.review.review_window import ReviewDialog

    app = QApplication.instance() or QApplication([])
    register_arabic_font()
    path = folder / "review.db"
    build(path, 5, 60)
    with Project.open(path) as project:
        # The longest seed article, three annotator layers.
        doc = max(project.documents()[:5], key=lambda d: d.chars)
        text = project.document(doc.id).text

        def open_review() -> None:
            dialog = ReviewDialog(project, doc.id)
            dialog.show()
            dialog.repaint()
            app.processEvents()
            dialog.close()
            dialog.deleteLater()
            app.processEvents()

        def floor() -> None:
            view = QPlainTextEdit()
            view.setFont(arabic_font())
            view.setPlainText(text)
            view.resize(1280, 800)
            view.show()
            view.repaint()
            app.processEvents()
            view.close()
            view.deleteLater()
            app.processEvents()

        open_review()  # warm up fonts and caches, as a second review would be
        units = len(Review.open(project, doc.id).units)
        return [
            (f"open review, seed article ({doc.chars} chars, {units} units)",
             median_time(open_review, repeat), median_time(floor, repeat), "< 0.5 s"),
            ("  of which: Review.open (core)", median_time(lambda: Review.open(project, doc.id), repeat),
             median_time(floor, repeat), ""),
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 documents, 3 repeats")
    args = parser.parse_args()
    documents, repeat = (100, 3) if args.quick else (1000, 5)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print_table("Agreement (floor: raw sqlite3 read of the same spans and texts)",
                    bench_agreement(folder, documents, 65, repeat))
        print_table("Review (floor: bare QPlainTextEdit showing the same text)",
                    bench_review(folder, repeat))


if __name__ == "__main__":
    main()
