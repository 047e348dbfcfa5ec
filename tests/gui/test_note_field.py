"""The note field saves what the annotator typed, and only that: showing a
span never rewrites its note (QPlainTextEdit.toPlainText() turns NBSP into
a space and U+2028 into a newline, DESIGN §3)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import NewDocument

TEXT = "قال الرئيس إن القوات ستغادر العراق"


@pytest.mark.parametrize("note", ["ملاحظة\u00a0مهمة", "سطر\u2028سطر ثان", "أ\u00a0ب\u2028ج\u2029د"],
                         ids=["nbsp", "line-separator", "mixed"])
def test_selecting_a_span_leaves_its_note_untouched(qtbot, project, make_window, note):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    project.add_annotator("amal")
    span = project.add_span(doc, "amal", 4, 10, "ENTITY")
    project.update_span(span.id, note=note)
    other = project.add_span(doc, "amal", 28, 34, "ENTITY")
    window = make_window(project)
    window.select_span(span.id)
    assert window.attribute_panel.span.id == span.id
    window.select_span(other.id)   # commits the note of the span left
    window.select_span(span.id)
    window.select_span(None)
    window.step_document(1)        # reopening commits too
    window.close()                 # and so does closing
    assert project.span(span.id).note == note
    assert window.undo_stack.count() == 0


def test_a_typed_note_is_still_saved_and_undoable(qtbot, project, make_window):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    project.add_annotator("amal")
    span = project.add_span(doc, "amal", 4, 10, "ENTITY")
    project.update_span(span.id, note="قديم")
    window = make_window(project)
    window.select_span(span.id)
    note = window.attribute_panel.note
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClick(note, Qt.Key_End, Qt.ControlModifier)
    qtbot.keyClicks(note, " ok")  # QTest types ASCII only
    window.select_span(None)
    assert project.span(span.id).note == "قديم ok"
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert project.span(span.id).note == "قديم"
