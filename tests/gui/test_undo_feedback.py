"""Undo and redo in the annotation window say what they did, or that there
was nothing to do (issue 10 defect 10)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import NewDocument

TEXT = "قال الرئيس جو بايدن في 27 يوليو 2021 إن القوات الأمريكية ستغادر العراق."


def status(window) -> str:
    return window.statusBar().currentMessage()


def test_undo_and_redo_report_in_the_status_bar(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert status(window) == "Nothing to undo"
    start = TEXT.index("بايدن")
    window.view.set_selection(start, start + len("بايدن"))
    qtbot.keyClick(window.view, "2")
    assert window.undo_action.text() == "&Undo Add ENTITY"
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert status(window) == "Undone: Add ENTITY"
    assert project.spans(window.document.id, "amal") == []
    assert window.redo_action.text() == "&Redo Add ENTITY"
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert status(window) == "Redone: Add ENTITY"
    assert [s.label for s in project.spans(window.document.id, "amal")] == ["ENTITY"]
    qtbot.keyClick(window.view, Qt.Key_Y, Qt.ControlModifier)
    assert status(window) == "Nothing to redo"
