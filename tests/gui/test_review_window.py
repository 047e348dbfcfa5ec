"""The review screen driven from the keyboard, as a reviewer would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from annotator.core.review.adjudication import EDITED, UNANIMOUS, UnitState
from annotator.core.model import GOLD, NewDocument
from annotator.core.store import Project
from annotator.gui.review import open_review
from annotator.gui.review.review_window import ReviewDialog

TEXT = "قال وزير الخارجية أمس إن المحادثات ستستأنف في القاهرة قريبا"


@pytest.fixture
def doc_id(project: Project) -> int:
    doc = project.add_documents([NewDocument("article", TEXT)])[0].id
    for name in ("lina", "omar", "sara"):
        project.add_annotator(name)
        project.add_span(doc, name, 18, 21, "DATE")           # unanimous
    project.add_span(doc, "lina", 4, 17, "ENTITY")            # 2 against 1
    project.add_span(doc, "omar", 4, 17, "ENTITY")
    project.add_span(doc, "sara", 4, 8, "ENTITY")
    project.add_span(doc, "lina", 46, 53, "ENTITY")           # one annotator only
    return doc


@pytest.fixture
def dialog(qtbot, project: Project, doc_id: int) -> ReviewDialog:
    window = ReviewDialog(project, doc_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.view.setFocus()
    return window


def gold(project: Project, doc: int) -> list[tuple[int, int, str, str | None]]:
    return [(s.start, s.end, s.label, s.provenance) for s in project.spans(doc, GOLD)]


def press(qtbot, dialog: ReviewDialog, key: Qt.Key, modifier=Qt.NoModifier) -> None:
    # Keys go to the text view: shortcuts must work while it has focus.
    qtbot.keyClick(dialog.view, key, modifier)


def test_queue_is_ordered_by_severity_and_coloured_by_state(dialog: ReviewDialog) -> None:
    states = [dialog.review.state(u) for u in dialog.review.units]
    assert states == [UnitState.DISPUTED, UnitState.DISPUTED, UnitState.AGREED]
    assert [u.start for u in dialog.review.units] == [46, 4, 18]
    first = dialog.queue.item(0)
    assert first.background().color().name() == dialog.state_colors[UnitState.DISPUTED]
    assert dialog.queue.currentRow() == 0
    assert "3 unit(s)" in dialog.header.text()


def test_versions_panel_numbers_annotators_as_the_keys(dialog: ReviewDialog) -> None:
    dialog.go_to(1)
    rows = [(dialog.versions.topLevelItem(i).text(0), dialog.versions.topLevelItem(i).text(1))
            for i in range(dialog.versions.topLevelItemCount())]
    assert rows == [("1", "lina"), ("2", "omar"), ("3", "sara"), ("G", "gold")]


def test_keyboard_accept_reject_unanimous_and_navigation(qtbot, dialog, project, doc_id) -> None:
    press(qtbot, dialog, Qt.Key_N)
    assert dialog.current == 1
    press(qtbot, dialog, Qt.Key_3)                   # sara's short ENTITY
    assert gold(project, doc_id) == [(4, 8, "ENTITY", "sara")]
    press(qtbot, dialog, Qt.Key_P)
    press(qtbot, dialog, Qt.Key_P)
    assert dialog.current == 0
    press(qtbot, dialog, Qt.Key_X)                   # only lina saw this one: reject
    assert dialog.review.state(dialog.review.units[0]) is UnitState.REJECTED
    press(qtbot, dialog, Qt.Key_U)
    assert (18, 21, "DATE", UNANIMOUS) in gold(project, doc_id)
    assert UnitState.DISPUTED not in dialog.review.counts()
    assert dialog.changed


def test_unit_colours_follow_decisions(qtbot, dialog: ReviewDialog) -> None:
    dialog.go_to(1)
    press(qtbot, dialog, Qt.Key_1)
    painted = {(h.start, h.color) for h in dialog.view.layer("units").highlights_at(5)}
    assert painted == {(4, dialog.state_colors[UnitState.ACCEPTED])}


def test_undo_and_redo_from_the_keyboard(qtbot, dialog, project, doc_id) -> None:
    dialog.go_to(1)
    press(qtbot, dialog, Qt.Key_2)
    assert gold(project, doc_id) == [(4, 17, "ENTITY", "omar")]
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier)
    assert gold(project, doc_id) == []
    assert dialog.review.state(dialog.review.units[1]) is UnitState.DISPUTED
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert gold(project, doc_id) == [(4, 17, "ENTITY", "omar")]


def test_edit_uses_the_selected_text(qtbot, dialog, project, doc_id) -> None:
    asked = []
    dialog.ask_edit = lambda start, end, label: asked.append((start, end, label)) or (start, end, "CLAIM")
    dialog.go_to(1)
    dialog.view.set_selection(4, 8)
    press(qtbot, dialog, Qt.Key_E)
    assert asked == [(4, 8, "ENTITY")]
    assert gold(project, doc_id) == [(4, 8, "CLAIM", EDITED)]


def test_refused_edit_is_a_message_not_a_crash(qtbot, dialog, project, doc_id) -> None:
    dialog.ask_edit = lambda start, end, label: (4, 999, label)
    dialog.go_to(1)
    press(qtbot, dialog, Qt.Key_E)
    assert "could not edit gold span" in dialog.message.text()
    assert gold(project, doc_id) == []


def test_a_key_beyond_the_annotators_says_so(qtbot, dialog, project, doc_id) -> None:
    press(qtbot, dialog, Qt.Key_7)
    assert "no annotator 7" in dialog.message.text()
    assert gold(project, doc_id) == []


def test_scores_against_gold_appear_after_adjudication(qtbot, dialog: ReviewDialog) -> None:
    assert dialog.scores.rowCount() == 0
    press(qtbot, dialog, Qt.Key_U)
    assert dialog.scores.rowCount() == 3
    assert [dialog.scores.item(r, 0).text() for r in range(3)] == ["lina", "omar", "sara"]


def test_open_review_is_modal_and_reports_a_change(qtbot, project, doc_id) -> None:
    def decide_and_close() -> None:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, ReviewDialog) and w.isVisible())
        window.accept_unanimous()
        window.done(QDialog.Accepted)

    QTimer.singleShot(0, decide_and_close)
    assert open_review(project, doc_id, None) is True
    assert gold(project, doc_id) == [(18, 21, "DATE", UNANIMOUS)]


def test_a_document_nobody_annotated_opens_empty(qtbot, project: Project) -> None:
    doc = project.add_documents([NewDocument("empty", "نص بلا تعليقات")])[0].id
    window = ReviewDialog(project, doc)
    qtbot.addWidget(window)
    window.accept_version(1)
    window.reject_all()
    window.next_unit()
    assert window.review.units == [] and not window.changed


# -- feedback for keys that do nothing, and for undo/redo (issue 10 defect 10) --


def message(dialog: ReviewDialog) -> str:
    return dialog.message.text()


@pytest.mark.parametrize(("key", "expected"), [
    (Qt.Key_U, "Shift+U does nothing: U alone accepts every unanimous unit"),
    (Qt.Key_X, "Shift+X does nothing: X alone rejects all versions"),
])
def test_shifted_decision_keys_say_why_they_do_nothing(qtbot, dialog, project, doc_id, key,
                                                       expected) -> None:
    press(qtbot, dialog, key, Qt.ShiftModifier)
    assert message(dialog) == expected
    assert gold(project, doc_id) == []


def test_an_unbound_key_says_which_keys_work(qtbot, dialog) -> None:
    press(qtbot, dialog, Qt.Key_K)
    assert message(dialog).startswith("K does nothing in review — keys: 1–9 accept")


def test_moving_past_either_end_of_the_queue_says_so(qtbot, dialog) -> None:
    press(qtbot, dialog, Qt.Key_P)
    assert message(dialog) == "This is the first unit (N goes on)" and dialog.current == 0
    dialog.go_to(2)
    press(qtbot, dialog, Qt.Key_N)
    assert message(dialog) == "This is the last unit (P goes back)" and dialog.current == 2


def test_undo_and_redo_say_what_they_did(qtbot, dialog, project, doc_id) -> None:
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier)
    assert message(dialog) == "Nothing to undo"
    dialog.go_to(1)
    press(qtbot, dialog, Qt.Key_3)
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier)
    assert message(dialog) == "Undone: Accept sara's version" and gold(project, doc_id) == []
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert message(dialog) == "Redone: Accept sara's version"
    assert gold(project, doc_id) == [(4, 8, "ENTITY", "sara")]
    press(qtbot, dialog, Qt.Key_Y, Qt.ControlModifier)
    assert message(dialog) == "Nothing to redo"


def test_keys_in_a_document_without_units_say_so(qtbot, project) -> None:
    doc = project.add_documents([NewDocument("empty", "نص بلا وسوم")])[0].id
    empty = ReviewDialog(project, doc)
    qtbot.addWidget(empty)
    with qtbot.waitActive(empty):
        empty.show()
        empty.activateWindow()
    empty.view.setFocus()
    for key in (Qt.Key_1, Qt.Key_X, Qt.Key_E, Qt.Key_N):
        empty.message.clear()
        qtbot.keyClick(empty.view, key)
        assert message(empty) == "No units in this document: nothing to decide (Esc closes)"


def test_ctrl_pgdn_reviews_the_next_annotated_document_and_undo_goes_back(
        qtbot, project: Project, doc_id: int, dialog: ReviewDialog) -> None:
    skipped = project.add_documents([NewDocument("nobody", "نص لم يعلّمه أحد")])[0].id
    second = project.add_documents([NewDocument("second 😀", "😀 وصل الوفد إلى الرياض أمس")])[0].id
    for name, end in (("lina", 13), ("omar", 10)):      # 4 lanes here: lina, omar, gold
        project.add_span(second, name, 7, end, "ENTITY")
    press(qtbot, dialog, Qt.Key_1)                        # lina's version of the first unit
    assert gold(project, doc_id) == [(46, 53, "ENTITY", "lina")]
    press(qtbot, dialog, Qt.Key_PageDown, Qt.ControlModifier)
    assert dialog.review.document.id == second != skipped
    assert dialog.review.annotators == ["lina", "omar"] and dialog.lanes == 3
    assert dialog.windowTitle() == "Review: second 😀"
    assert dialog.view.text == "😀 وصل الوفد إلى الرياض أمس"
    press(qtbot, dialog, Qt.Key_2)                        # omar's [7, 10)
    assert gold(project, second) == [(7, 10, "ENTITY", "omar")]
    assert [r.a for r in dialog.review.scores()] == ["lina", "omar"]
    press(qtbot, dialog, Qt.Key_PageDown, Qt.ControlModifier)
    assert "last annotated document" in dialog.message.text()
    assert dialog.review.document.id == second
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier)    # undoes omar's, here
    assert gold(project, second) == []
    press(qtbot, dialog, Qt.Key_Z, Qt.ControlModifier)    # reaches back into the first document
    assert dialog.review.document.id == doc_id
    assert gold(project, doc_id) == []
    assert dialog.review.state(dialog.review.units[0]) is UnitState.DISPUTED
    assert dialog.changed_documents == {doc_id, second}
    press(qtbot, dialog, Qt.Key_PageUp, Qt.ControlModifier)
    assert "first annotated document" in dialog.message.text()
