"""The annotator's day: select, tag, reopen, relabel, delete, undo, redo,
mark done; the saved state always equals what the window shows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import NewDocument, Status
from annotator.core.store import Project

TEXT = "قال الرئيس جو بايدن في 27 يوليو 2021 إن القوات الأمريكية ستغادر العراق."


def shown(window):
    return [(s.id, s.start, s.end, s.label) for s in window.span_list.span_model.spans]


def saved(project, window):
    return [(s.id, s.start, s.end, s.label)
            for s in project.spans(window.document.id, window.annotator)]


def highlighted(window):
    return sorted((h.start, h.end) for h in window.view.layer("spans").highlights_at(0)) or None


def select_and_tag(qtbot, window, word: str, key: str):
    start = window.document.text.index(word)
    window.view.set_selection(start, start + len(word))
    qtbot.keyClick(window.view, key)
    return start, start + len(word)


def test_full_workflow(qtbot, tmp_path, make_window):
    path = tmp_path / "work.db"
    project = Project.open(path)
    project.add_documents([NewDocument("one", TEXT), NewDocument("two", "نص ثان"),
                           NewDocument("three", "نص ثالث")])
    window = make_window(project)
    assert window.document.name == "one"

    claim = select_and_tag(qtbot, window, TEXT[4:-1], "1")
    entity = select_and_tag(qtbot, window, "جو بايدن", "2")
    assert [(s, e, label) for _, s, e, label in saved(project, window)] == [
        (*claim, "CLAIM"), (*entity, "ENTITY")]
    assert shown(window) == saved(project, window)
    assert project.status(window.document.id, "amal") is Status.IN_PROGRESS

    # Close the window and the project; reopen both on the same file.
    window.close()
    project.close()
    project = Project.open(path)
    window = make_window(project)
    assert window.document.name == "one"  # last document remembered
    assert [(s, e, label) for _, s, e, label in shown(window)] == [
        (*claim, "CLAIM"), (*entity, "ENTITY")]
    entity_id = shown(window)[1][0]

    # Relabel: select the span, press another label's key.
    window.select_span(entity_id)
    qtbot.keyClick(window.view, "3")
    assert saved(project, window)[1] == (entity_id, *entity, "DATE")
    assert shown(window) == saved(project, window)

    # Delete, undo (same id back), redo.
    qtbot.keyClick(window.view, Qt.Key_Delete)
    assert [row[0] for row in saved(project, window)] == [shown(window)[0][0]]
    assert shown(window) == saved(project, window)
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert saved(project, window)[1] == (entity_id, *entity, "DATE")
    assert shown(window) == saved(project, window)
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)  # undo the relabel
    assert saved(project, window)[1] == (entity_id, *entity, "ENTITY")
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert len(saved(project, window)) == 1
    assert shown(window) == saved(project, window)
    assert len(window.view.layer("spans")) == 1

    # Mark done: saved, and the next to-do document opens.
    first = window.document.id
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)
    assert project.status(first, "amal") is Status.DONE
    assert window.document.name == "two"
    row = window.document_list.model.row_of(first)
    assert window.document_list.model.index(row, 1).data() == "done ✓"
    window.undo_stack.undo()
    assert project.status(first, "amal") is Status.IN_PROGRESS
    project.close()


def test_same_label_overlap_is_refused_in_the_status_bar(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    select_and_tag(qtbot, window, "جو بايدن", "2")
    select_and_tag(qtbot, window, "بايدن في", "2")
    assert "overlaps" in window.statusBar().currentMessage()
    assert len(saved(project, window)) == 1
    assert window.undo_stack.count() == 1
    # A different label may overlap: nested spans are the point.
    select_and_tag(qtbot, window, "بايدن", "1")
    assert len(saved(project, window)) == 2


def test_attributes_note_and_unsure_are_saved_and_undoable(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    select_and_tag(qtbot, window, "جو بايدن", "2")
    select_and_tag(qtbot, window, "27 يوليو 2021", "3")
    entity, date = project.spans(window.document.id, "amal")
    window.select_span(entity.id)
    box = window.attribute_panel.attribute_widgets["type"]
    box.setCurrentIndex(box.findData("PER"))
    box.activated.emit(box.currentIndex())
    assert project.span(entity.id).attributes == {"type": "PER"}

    window.select_span(date.id)
    edit = window.attribute_panel.attribute_widgets["value"]
    edit.setText("2021-13")
    edit.editingFinished.emit()
    assert "not a real date" in window.statusBar().currentMessage()
    assert project.span(date.id).attributes == {}
    edit = window.attribute_panel.attribute_widgets["value"]
    assert edit.text() == ""  # the panel shows what is saved
    edit.setText("2021-07")
    edit.editingFinished.emit()
    assert project.span(date.id).attributes == {"value": "2021-07"}

    window.attribute_panel.note.setPlainText("حسب البيان")
    window.attribute_panel.commit_note()
    qtbot.keyClick(window.view, Qt.Key_U, Qt.ControlModifier)
    assert project.span(date.id).note == "حسب البيان"
    assert project.span(date.id).attributes == {"value": "2021-07", "unsure": True}
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert project.span(date.id).note == ""
    assert project.span(date.id).attributes == {"value": "2021-07"}


def test_boundaries_move_by_word_and_letter_from_the_keyboard(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    select_and_tag(qtbot, window, "بايدن", "2")
    span_id = saved(project, window)[0][0]
    jo = TEXT.index("جو")
    biden_end = TEXT.index("بايدن") + 5
    qtbot.keyClick(window.view, Qt.Key_Right, Qt.AltModifier)  # start edge one word right
    assert project.span(span_id).start == jo
    qtbot.keyClick(window.view, Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)  # end grows
    assert project.span(span_id).end == TEXT.index("في") + 2
    qtbot.keyClick(window.view, Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)
    assert project.span(span_id).end == biden_end
    qtbot.keyClick(window.view, Qt.Key_Right,
                   Qt.ControlModifier | Qt.AltModifier | Qt.ShiftModifier)  # one letter
    assert project.span(span_id).end == biden_end - 1
    assert shown(window) == saved(project, window)


def test_navigation_between_spans_and_documents(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT), NewDocument("two", "نص ثان")])
    window = make_window(project)
    a = select_and_tag(qtbot, window, "جو بايدن", "2")
    b = select_and_tag(qtbot, window, "العراق", "2")
    window.select_span(None)
    window.view.set_selection(0)
    qtbot.keyClick(window.view, Qt.Key_Down, Qt.AltModifier)
    assert window.attribute_panel.span.start == a[0]
    qtbot.keyClick(window.view, Qt.Key_Down, Qt.AltModifier)
    assert window.attribute_panel.span.start == b[0]
    qtbot.keyClick(window.view, Qt.Key_Up, Qt.AltModifier)
    assert window.attribute_panel.span.start == a[0]
    qtbot.keyClick(window.view, Qt.Key_PageDown, Qt.ControlModifier)
    assert window.document.name == "two"
    qtbot.keyClick(window.view, Qt.Key_PageUp, Qt.ControlModifier)
    assert window.document.name == "one"


def test_find_ignores_harakat_and_variants_and_steps_through_hits(qtbot, project, make_window):
    text = "قال الرَّئيس ثم الرئيـس ثم الرئيس، والمدرسة مدرسه"
    project.add_documents([NewDocument("one", text)])
    window = make_window(project)
    qtbot.keyClick(window.view, Qt.Key_F, Qt.ControlModifier)
    assert window.find_bar.isVisible()
    window.find_bar.field.insert("الرئيس")  # QTest cannot type non-Latin keys
    assert len(window.view.layer("find")) == 3
    first = (text.index("الرَّئيس"), text.index("الرَّئيس") + len("الرَّئيس"))
    second = (text.index("الرئيـس"), text.index("الرئيـس") + len("الرئيـس"))
    assert window.view.selection() == first
    # What the find layer paints for a range: the hits meeting it, no others.
    drawn = window.view.layer("find").overlapping(second[0] - 1, second[0] + 1)
    assert [(h.start, h.end) for h in drawn] == [second]
    assert [(h.start, h.end) for h in window.view.layer("find").highlights_at(first[1] - 1)] == [first]
    qtbot.keyClick(window.find_bar.field, Qt.Key_Return)
    assert window.view.selection() == second
    assert window.find_bar.count.text() == "2 of 3"
    qtbot.keyClick(window.find_bar.field, Qt.Key_F3, Qt.ShiftModifier)
    assert window.view.selection() == first
    window.find_bar.field.setText("مدرسة")
    assert len(window.view.layer("find")) == 2
    qtbot.keyClick(window.find_bar.field, Qt.Key_Escape)
    assert not window.find_bar.isVisible()
    assert len(window.view.layer("find")) == 0


def test_each_annotator_sees_only_their_layer(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    select_and_tag(qtbot, window, "جو بايدن", "2")
    window.switch_annotator("basel")
    assert window.annotator == "basel"
    assert shown(window) == []
    assert window.undo_stack.count() == 0
    select_and_tag(qtbot, window, "العراق", "2")
    assert [s.layer for s in project.spans(window.document.id)] == ["amal", "basel"]
    window.switch_annotator("amal")
    assert [row[3] for row in shown(window)] == ["ENTITY"]
    assert window.span_list.span_model.spans[0].start == TEXT.index("جو")


def test_identity_is_asked_and_remembered(qtbot, project, monkeypatch, qsettings):
    from PySide6.QtWidgets import QInputDialog

    from annotator.gui.identity import ask_annotator
    from annotator.gui.settings import WindowSettings

    answers = iter([("a/b", True), ("amal", True)])
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: next(answers))
    assert ask_annotator(project) == "amal"
    assert project.annotators() == []  # the layer comes with the first edit
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
    assert ask_annotator(project) is None
    from annotator.gui.main_window import MainWindow

    window = MainWindow(project, annotator="amal", settings=qsettings)
    qtbot.addWidget(window)
    assert WindowSettings(qsettings).annotator == "amal"


def test_integration_dialogs_reload_or_report(qtbot, project, make_window, monkeypatch):
    from annotator.core.errors import ValidationError
    from annotator.gui import review, transfer

    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    calls = []

    def fake_import(proj, parent):
        proj.add_documents([NewDocument("new", "وثيقة جديدة")])
        calls.append("import")
        return True

    def refused_merge(proj, parent):
        raise ValidationError("copy.db: not an annotator project")

    monkeypatch.setattr(transfer, "open_import_dialog", fake_import)
    window.import_documents()
    assert calls == ["import"]
    assert window.document_list.model.rowCount() == 2

    monkeypatch.setattr(review, "merge_copies", refused_merge)
    window.merge_copies()
    assert "copy.db: not an annotator project" in window.statusBar().currentMessage()


def test_choosing_an_attribute_by_key_leaves_the_box_alive_until_its_key_press_ends(
        qtbot, project, make_window):
    # The box's activated signal saves the edit, and the saved span is shown
    # again while Qt is still inside the box's keyPressEvent: deleting the
    # box there crashed the app (SIGSEGV in QComboBox::keyPressEvent).
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    select_and_tag(qtbot, window, "جو بايدن", "2")
    (entity,) = project.spans(window.document.id, "amal")
    window.select_span(entity.id)
    box = window.attribute_panel.attribute_widgets["type"]
    box.setFocus()
    qtbot.keyClick(box, "p")  # keyboard search: PER, activated
    assert project.span(entity.id).attributes == {"type": "PER"}
    assert shiboken6.isValid(box)  # still alive: deleted later, not inside its own event
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert not shiboken6.isValid(box)
    assert window.attribute_panel.attribute_widgets["type"].currentData() == "PER"
