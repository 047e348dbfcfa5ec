"""Relation items in the review screen, driven from the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import GOLD, NewDocument
from annotator.core.review.adjudication import Review
from annotator.core.review.relation_review import RelationState
from annotator.core.store import Project
from annotator.gui.review.review_window import ReviewDialog

TEXT = "قال وزير الخارجية أمس إن المحادثات ستستأنف في القاهرة قريبا"
OTHER = "ستستأنف المحادثات في القاهرة"


@pytest.fixture
def docs(project: Project) -> tuple[int, int]:
    doc, other = (d.id for d in project.add_documents([NewDocument("article", TEXT),
                                                        NewDocument("other", OTHER)]))
    for name in ("lina", "omar"):
        project.add_annotator(name)
        claim = project.add_span(doc, name, 25, 59, "CLAIM").id
        project.add_span(doc, name, 18, 21, "DATE")
        far = project.add_span(other, name, 0, 28, "CLAIM").id
        project.add_relation(name, "SAME_AS" if name == "lina" else "CONTRADICTS", claim, far)
    lina = {s.label: s.id for s in project.spans(doc, "lina")}
    project.add_relation("lina", "TIME", lina["CLAIM"], lina["DATE"])
    return doc, other


@pytest.fixture
def dialog(qtbot, project: Project, docs) -> ReviewDialog:
    window = ReviewDialog(project, docs[0])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.view.setFocus()
    return window


def press(qtbot, dialog: ReviewDialog, key: Qt.Key, modifier=Qt.NoModifier) -> None:
    qtbot.keyClick(dialog.view, key, modifier)


def gold_relations(project: Project) -> list[tuple[str, str | None]]:
    return [(r.type, r.provenance) for r in project.relations(layer=GOLD)]


def test_relation_items_are_listed_with_their_versions(dialog: ReviewDialog) -> None:
    assert dialog.relation_queue.count() == 2
    link = dialog.relation_queue.item_text(0)
    assert "across documents" in link and "1 lina: SAME_AS →" in link
    assert "2 omar: CONTRADICTS →" in link and "[document 2]" in link
    assert "2 omar: —" in dialog.relation_queue.item_text(1)
    assert "(2 waiting, 2 in all)" in dialog.relation_title.text()


def test_r_and_shift_r_move_and_say_where(qtbot, dialog: ReviewDialog) -> None:
    press(qtbot, dialog, Qt.Key_R, Qt.ShiftModifier)
    assert dialog.message.text() == "This is the first relation (R goes on)"
    press(qtbot, dialog, Qt.Key_R)
    assert dialog.relation_current == 1 and dialog.message.text() == "relation 2 of 2: missing relation, in dispute"
    assert dialog.relation_queue.currentRow() == 1
    press(qtbot, dialog, Qt.Key_R)
    assert dialog.message.text() == "This is the last relation (Shift+R goes back)"
    press(qtbot, dialog, Qt.Key_R, Qt.ShiftModifier)
    assert dialog.relation_current == 0


def test_ctrl_digit_accepts_a_relation_once_its_spans_are_gold(qtbot, dialog, project) -> None:
    press(qtbot, dialog, Qt.Key_2, Qt.ControlModifier)
    assert dialog.message.text().startswith("could not accept omar's relation: the CLAIM at 25–59 "
                                            "is not in gold")
    assert gold_relations(project) == []
    press(qtbot, dialog, Qt.Key_U)  # this article's claim; the other article's one next
    Review.open(project, docs_other(project)).accept_unanimous()
    press(qtbot, dialog, Qt.Key_2, Qt.ControlModifier)
    assert dialog.message.text() == "Accept omar's relation"
    assert gold_relations(project) == [("CONTRADICTS", "omar")]
    assert dialog.review.relations.state(dialog.review.relations.items[0]) is RelationState.ACCEPTED
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier)
    assert dialog.message.text() == "Undone: Accept omar's relation" and gold_relations(project) == []


def docs_other(project: Project) -> int:
    return next(d.id for d in project.documents() if d.name == "other")


def test_ctrl_x_rejects_the_relation_and_undo_takes_it_back(qtbot, dialog, project) -> None:
    press(qtbot, dialog, Qt.Key_U)
    press(qtbot, dialog, Qt.Key_R)
    press(qtbot, dialog, Qt.Key_1, Qt.ControlModifier)
    assert gold_relations(project) == [("TIME", "lina")]
    press(qtbot, dialog, Qt.Key_X, Qt.ControlModifier)
    assert dialog.message.text() == "Reject the relation" and gold_relations(project) == []
    assert "rejected" in dialog.relation_queue.item_text(1)
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier)
    assert gold_relations(project) == [("TIME", "lina")]
    assert "accepted into gold" in dialog.relation_queue.item_text(1)


def test_relation_keys_without_relations_say_so(qtbot, project) -> None:
    doc = project.add_documents([NewDocument("plain", "نص بلا علاقات")])[0].id
    window = ReviewDialog(project, doc)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.view.setFocus()
    for key, modifier in ((Qt.Key_R, Qt.NoModifier), (Qt.Key_1, Qt.ControlModifier),
                          (Qt.Key_X, Qt.ControlModifier)):
        window.message.clear()
        qtbot.keyClick(window.view, key, modifier)
        assert window.message.text() == "No relations in this document: nothing to decide"


def framed(dialog: ReviewDialog) -> list[tuple[int, int]]:
    layer = dialog.view.layer("relation")
    return sorted({(h.start, h.end) for pos in range(len(TEXT)) for h in layer.highlights_at(pos)})


def test_the_current_relation_items_ends_are_framed_in_the_text(qtbot, dialog, docs) -> None:
    assert framed(dialog) == [(25, 59)]  # the link's other claim is in the other article
    press(qtbot, dialog, Qt.Key_R)
    assert framed(dialog) == [(18, 21), (25, 59)]


def test_an_unbound_key_names_the_relation_keys_too(qtbot, dialog) -> None:
    press(qtbot, dialog, Qt.Key_K)
    assert "R/Shift+R, Ctrl+1–9, Ctrl+X relations" in dialog.message.text()


def open_review(qtbot, project: Project, doc: int) -> ReviewDialog:
    window = ReviewDialog(project, doc)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.view.setFocus()
    return window


def test_a_rejected_relation_is_still_rejected_in_a_review_opened_again(qtbot, dialog, project,
                                                                        docs) -> None:
    press(qtbot, dialog, Qt.Key_X, Qt.ControlModifier)  # the cross-document link, item 1
    assert "rejected" in dialog.relation_queue.item_text(0)
    assert "(1 waiting, 2 in all)" in dialog.relation_title.text()
    dialog.close()
    again = open_review(qtbot, project, docs[0])
    assert "rejected" in again.relation_queue.item_text(0)
    assert "(1 waiting, 2 in all)" in again.relation_title.text()
    # The link's other article shows the decision too.
    other = open_review(qtbot, project, docs[1])
    assert "rejected" in other.relation_queue.item_text(0)
    # Undo in the first review takes the rejection out of the file.
    dialog.undo_stack.undo()
    assert "rejected" not in dialog.relation_queue.item_text(0)
    third = open_review(qtbot, project, docs[0])
    assert "(2 waiting, 2 in all)" in third.relation_title.text()
    assert "rejected" not in third.relation_queue.item_text(0)
