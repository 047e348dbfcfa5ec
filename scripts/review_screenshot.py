"""Save a picture of the review window on a three-annotator seed project.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/review_screenshot.py docs/review.png

Three annotators each annotate a copy of the seed articles (the same
word-aligned spans, with misses and boundary slips drawn from fixed seeds,
as tests/e2e/test_cli_review.py does), the copies are merged, the unanimous
units of the first article are accepted into gold and one dispute is
decided, and the review window of that article is grabbed. Each annotator
also links claims to their nearest ENTITY (SPEAKER) and DATE (TIME), some
left out by seed, and the first claims of two articles as SAME_AS or
CONTRADICTS, so the relation list has every kind of item.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from annotator.core.review.adjudication import Review, UnitState
from annotator.core.formats.imports.plain_text import import_seeds
from annotator.core.review.merge import merge_into
from annotator.core.store import Project
from annotator.gui.fonts import register_arabic_font

ANNOTATORS = ("lina", "omar", "sara")


def shared_truth(text: str, seed: int) -> list[tuple[int, int, str]]:
    rng = random.Random(seed)
    words = [m.span() for m in re.finditer(r"\S+", text)]
    spans, i = [], 0
    while i < len(words):
        if rng.random() < 0.15:
            width = rng.randint(1, 3)
            last = words[min(i + width, len(words)) - 1]
            spans.append((words[i][0], last[1], rng.choice(["ENTITY", "DATE", "CLAIM"])))
            i += width
        i += 1
    return spans


def make_copy(folder: Path, name: str, index: int) -> Path:
    db = folder / f"{name}.db"
    rng = random.Random(index)
    with Project.open(db) as project:
        import_seeds(project)
        project.add_annotator(name)
        for doc in project.documents()[:3]:
            for start, end, label in shared_truth(project.document(doc.id).text, doc.id):
                roll = rng.random()
                if roll < 0.15:
                    continue
                if roll < 0.25 and end - start > 2:
                    end -= 1
                project.add_span(doc.id, name, start, end, label)
            project.set_status(doc.id, name, "done")
    return db


def add_relations(project: Project, first: int, second: int) -> None:
    for index, name in enumerate(ANNOTATORS):
        rng = random.Random(100 + index)
        spans = project.spans(first, name)
        for claim in (s for s in spans if s.label == "CLAIM"):
            for label, kind in (("ENTITY", "SPEAKER"), ("DATE", "TIME")):
                ends = [s for s in spans if s.label == label]
                if ends and rng.random() < 0.75:
                    near = min(ends, key=lambda s: abs(s.start - claim.start))
                    project.add_relation(name, kind, claim.id, near.id)
        far = [s for s in project.spans(second, name) if s.label == "CLAIM"]
        here = [s for s in spans if s.label == "CLAIM"]
        if far and here:
            kind = "CONTRADICTS" if name == "omar" else "SAME_AS"
            project.add_relation(name, kind, here[0].id, far[0].id)


def build(folder: Path) -> tuple[Project, int]:
    copies = [make_copy(folder, name, i) for i, name in enumerate(ANNOTATORS)]
    project = Project.open(folder / "review.db")
    merge_into(project, copies)
    document_id = project.documents()[0].id
    add_relations(project, document_id, project.documents()[1].id)
    review = Review.open(project, document_id)
    review.accept_unanimous()
    disputed = [u for u in review.units if review.state(u) is UnitState.DISPUTED]
    if disputed:
        review.accept(disputed[-1], disputed[-1].versions[0].annotator)
    return project, document_id


def main(out: str) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    register_arabic_font()
    from annotator.gui.review.review_window import ReviewDialog

    with tempfile.TemporaryDirectory() as folder:
        project, document_id = build(Path(folder))
        dialog = ReviewDialog(project, document_id)
        dialog.resize(1280, 800)
        dialog.show()
        for _ in range(20):
            app.processEvents()
        dialog.next_unit()
        items = dialog.review.relations.items  # type: ignore[union-attr]
        # A relation inside this article: both of its ends framed in the text.
        dialog.relation_go_to(next((i for i, item in enumerate(items)
                                    if not item.cross_document), 0))
        app.processEvents()
        dialog.grab().save(out)
        dialog.close()
        project.close()
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "review.png"))
