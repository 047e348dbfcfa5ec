"""Another process writes to the project while the window is open (issue 8
item 5): the window notices through PRAGMA data_version and refreshes in
place, keeping the annotator's document, selection and undo history."""

from __future__ import annotations

from annotator.core.model import NewDocument
from annotator.core.store import Project

TEXT = "قال الرئيس جو بايدن في 27 يوليو 2021 إن القوات الأمريكية ستغادر العراق."


def tag(qtbot, window, word: str, key: str) -> int:
    start = window.document.text.index(word)
    window.view.set_selection(start, start + len(word))
    qtbot.keyClick(window.view, key)
    return start


def fast(window) -> None:
    window.external_changes.watcher.timer.setInterval(20)


def test_own_edits_do_not_look_external(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    tag(qtbot, window, "بايدن", "2")
    assert window.external_changes.watcher.poll() is False


def test_import_by_another_process_shows_up_and_keeps_the_place(qtbot, project, make_window):
    project.add_documents([NewDocument(f"doc{i}", f"{TEXT} {i}") for i in range(5)])
    window = make_window(project)
    fast(window)
    window.open_document(project.documents()[2].id)
    start = tag(qtbot, window, "بايدن", "2")
    window.select_span(next(iter(window.spans)))
    window.view.set_selection(4, 10)
    opened, selected, undo = window.document.id, window.selected_span_id, window.undo_stack.count()
    with Project.open(project.path) as other:
        other.add_documents([NewDocument(f"new{i}", f"نص {i} 🙂") for i in range(300)])
    qtbot.waitUntil(lambda: window.document_list.model.rowCount() == 305, timeout=5000)
    assert window.document.id == opened
    assert window.document_list.table.currentIndex().data(0x0100) == opened
    assert window.selected_span_id == selected
    assert window.view.selection() == (4, 10)
    assert window.undo_stack.count() == undo and window.undo_stack.canUndo()
    assert "300 document(s) added by another program" in window.statusBar().currentMessage()
    window.undo_stack.undo()  # the history still works on what is stored
    assert project.spans(opened, "amal") == []
    assert start >= 0


def test_spans_changed_elsewhere_are_reloaded_and_undo_cleared(qtbot, project, make_window):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    window = make_window(project)
    fast(window)
    tag(qtbot, window, "بايدن", "2")
    assert window.undo_stack.count() == 1
    start = TEXT.index("العراق")
    with Project.open(project.path) as other:
        other.add_span(doc, "amal", start, start + len("العراق"), "ENTITY")
    qtbot.waitUntil(lambda: len(window.span_list.span_model.spans) == 2, timeout=5000)
    assert window.undo_stack.count() == 0
    assert "undo history cleared" in window.statusBar().currentMessage()
    assert [(h.start, h.end) for h in window.view.layer("spans").highlights_at(start)] == [
        (start, start + len("العراق"))]
    assert "ENTITY 2" in window.counts_label.text()


def test_other_layers_edits_keep_the_undo_history(qtbot, project, make_window):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    window = make_window(project)
    fast(window)
    tag(qtbot, window, "بايدن", "2")
    with Project.open(project.path) as other:
        other.add_annotator("badr")
        other.add_span(doc, "badr", 0, 3, "CLAIM")
    qtbot.waitUntil(lambda: "another program" in window.statusBar().currentMessage(), timeout=5000)
    assert window.undo_stack.count() == 1
    assert [s.label for s in window.span_list.span_model.spans] == ["ENTITY"]


def test_the_list_keeps_its_scroll_position_and_filter(qtbot, project, make_window):
    project.add_documents([NewDocument(f"doc{i:03}", f"{TEXT} {i}") for i in range(200)])
    window = make_window(project)
    fast(window)
    window.open_document(project.documents()[120].id)
    window.document_list.filter.setCurrentIndex(1)         # only to do
    bar = window.document_list.table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    assert scrolled > 0
    with Project.open(project.path) as other:
        other.add_documents([NewDocument(f"zz{i}", f"نص جديد {i}") for i in range(50)])
    qtbot.waitUntil(lambda: window.document_list.model.rowCount() == 250, timeout=5000)
    assert bar.value() == scrolled
    assert window.document.id == project.documents()[120].id
    assert window.document_list.filter.currentIndex() == 1
    assert window.document_list.proxy.rowCount() == 250


def test_a_note_being_typed_survives_an_external_reload(qtbot, project, make_window):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    window = make_window(project)
    fast(window)
    tag(qtbot, window, "بايدن", "2")
    window.select_span(next(iter(window.spans)))
    window.attribute_panel.note.setFocus()
    window.attribute_panel.note.insertPlainText("تحقق")  # typed (keyClicks takes ASCII only)
    start = TEXT.index("العراق")
    with Project.open(project.path) as other:
        other.add_span(doc, "amal", start, start + len("العراق"), "ENTITY")
    qtbot.waitUntil(lambda: len(window.span_list.span_model.spans) == 2, timeout=5000)
    notes = {s.start: s.note for s in project.spans(doc, "amal")}
    assert notes[TEXT.index("بايدن")] == "تحقق"
