"""Issue 10's defects in the annotator's window, each as the gesture that
showed it: no silent relabel, the note field's keys, the keyboard focus
after every edit, F6 between panes, punctuation-only selections, one undo
for span + status, auto-scroll while dragging, and the text pane's width."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from view_geometry import point_in_char

from annotator.core.model import NewDocument, Status

WRAPPED = ("قال المتحدث باسم الحكومة في مؤتمر صحفي عقده اليوم إن الوزارة ستواصل العمل على "
           "تنفيذ الخطة الوطنية للإصلاح الاقتصادي وإن المفاوضات مع الشركاء الدوليين مستمرة "
           "حتى نهاية العام المقبل بحسب ما أعلنه المكتب الإعلامي للرئاسة في بيان رسمي.")


def stored(project, document_id, layer="amal"):
    return [(s.start, s.end, s.label) for s in project.spans(document_id, layer)]


def message(window) -> str:
    return window.statusBar().currentMessage()


def tag_all(qtbot, window, text: str, key: str = "1") -> None:
    window.view.set_selection(0, len(text))
    qtbot.keyClick(window.view, key)


# -- 1. silent relabel --------------------------------------------------------------

def test_a_moved_drag_inside_a_two_letter_word_selects_it_and_never_relabels_the_claim(
        qtbot, project, add_doc, make_window):
    doc = add_doc(WRAPPED)
    window = make_window(project, size=(900, 700))
    tag_all(qtbot, window, WRAPPED)
    claim = project.spans(doc, "amal")[0]
    word = WRAPPED.index(" في ") + 1
    viewport = window.view.viewport()
    # Both ends on the inner halves of the two letters: one caret position.
    press = point_in_char(window.view, WRAPPED, word, 0.75)
    release = point_in_char(window.view, WRAPPED, word + 1, 0.25)
    qtbot.mousePress(viewport, Qt.LeftButton, Qt.NoModifier, press)
    qtbot.mouseMove(viewport, release)
    qtbot.mouseRelease(viewport, Qt.LeftButton, Qt.NoModifier, release)
    assert window.view.selection() == (word, word + 2)
    qtbot.keyClick(window.view, "2")
    assert stored(project, doc) == [(0, len(WRAPPED) - 1, "CLAIM"), (word, word + 2, "ENTITY")]
    assert project.span(claim.id).label == "CLAIM"


def test_a_label_key_relabels_only_a_span_the_annotator_chose_and_says_so(
        qtbot, project, add_doc, make_window):
    doc = add_doc(WRAPPED)
    window = make_window(project)
    tag_all(qtbot, window, WRAPPED)
    claim = project.spans(doc, "amal")[0]
    # The new span is selected by the edit, not by the annotator: no relabel.
    qtbot.keyClick(window.view, "2")
    assert project.span(claim.id).label == "CLAIM"
    assert "to relabel a span, click it" in message(window)
    window.select_span(claim.id)  # as a click or the span list does
    qtbot.keyClick(window.view, "2")
    assert project.span(claim.id).label == "ENTITY"
    assert "Relabelled CLAIM as ENTITY" in message(window)
    window.undo_stack.undo()
    assert project.span(claim.id).label == "CLAIM"


# -- 2. the note field's keys ------------------------------------------------------------

def note_of_selected(qtbot, project, add_doc, make_window):
    first = add_doc("قال الرئيس إن القوات ستغادر", "one")
    add_doc("نص ثان", "two")
    window = make_window(project)
    tag_all(qtbot, window, "قال الرئيس إن القوات ستغادر")
    span = project.spans(first, "amal")[0]
    window.select_span(span.id)
    note = window.attribute_panel.note
    note.setFocus()
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClicks(note, "ok")
    return window, first, span, note


def test_ctrl_enter_in_the_note_saves_it_marks_done_and_opens_the_next(
        qtbot, project, add_doc, make_window):
    window, first, span, note = note_of_selected(qtbot, project, add_doc, make_window)
    qtbot.keyClick(note, Qt.Key_Return, Qt.ControlModifier)
    assert project.span(span.id).note == "ok"
    assert project.status(first, "amal") is Status.DONE
    assert window.document.name == "two"


def test_tab_in_the_note_moves_on_and_stores_no_tab(qtbot, project, add_doc, make_window):
    window, first, span, note = note_of_selected(qtbot, project, add_doc, make_window)
    qtbot.keyClick(note, Qt.Key_Tab)
    qtbot.waitUntil(lambda: not note.hasFocus())
    assert project.span(span.id).note == "ok"


def test_esc_in_the_note_saves_it_and_returns_to_the_text(qtbot, project, add_doc, make_window):
    window, first, span, note = note_of_selected(qtbot, project, add_doc, make_window)
    qtbot.keyClick(note, Qt.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus)
    assert project.span(span.id).note == "ok"


# -- 3./4. focus after an edit, F6 between panes, Tab leaves tables ------------------------

def test_after_f2_and_a_type_key_the_text_has_the_keyboard_and_the_span_stays(
        qtbot, project, add_doc, make_window):
    text = "\n".join([WRAPPED] * 12)
    doc = add_doc(text)
    window = make_window(project, size=(900, 500))
    start = text.rindex("الحكومة")
    window.view.set_selection(start, start + len("الحكومة"))
    qtbot.keyClick(window.view, "2")
    entity = project.spans(doc, "amal")[0]
    window.select_span(entity.id)
    scrolled = window.view.verticalScrollBar().value()
    assert scrolled > 0
    qtbot.keyClick(window.view, Qt.Key_F2)
    box = window.attribute_panel.attribute_widgets["type"]
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, "P")  # keyboard search in the combo box: PER
    assert project.span(entity.id).attributes == {"type": "PER"}
    qtbot.waitUntil(window.view.hasFocus)
    assert window.selected_span_id == entity.id
    assert window.view.verticalScrollBar().value() == scrolled
    qtbot.keyClick(window.view, Qt.Key_U, Qt.ControlModifier)  # the next key is not lost
    assert project.span(entity.id).attributes == {"type": "PER", "unsure": True}


def test_f6_and_shift_f6_cycle_the_panes(qtbot, project, add_doc, make_window):
    doc = add_doc(WRAPPED)
    window = make_window(project)
    tag_all(qtbot, window, WRAPPED)
    window.select_span(project.spans(doc, "amal")[0].id)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    order = [window.span_list, window.linking.list, window.attribute_panel.label_box,
             window.document_list.table, window.view]
    for widget in order:
        qtbot.keyClick(window.focusWidget(), Qt.Key_F6)
        qtbot.waitUntil(widget.hasFocus)
    for widget in reversed(order[:-1]):
        qtbot.keyClick(window.focusWidget(), Qt.Key_F6, Qt.ShiftModifier)
        qtbot.waitUntil(widget.hasFocus)


@pytest.mark.parametrize("pane", ["document_list", "span_list"])
def test_tab_leaves_the_tables(qtbot, project, add_doc, make_window, pane):
    doc = add_doc(WRAPPED, "one")
    add_doc("نص ثان", "two")
    project.add_annotator("amal")
    project.add_span(doc, "amal", 0, 3, "CLAIM")
    project.add_span(doc, "amal", 4, 11, "ENTITY")
    window = make_window(project)
    table = window.document_list.table if pane == "document_list" else window.span_list
    table.setCurrentIndex(table.model().index(0, 0))
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key_Tab)
    qtbot.waitUntil(lambda: not table.hasFocus())


def test_the_text_keeps_the_keyboard_after_an_edit_started_in_the_span_list(
        qtbot, project, add_doc, make_window):
    doc = add_doc(WRAPPED)
    window = make_window(project)
    tag_all(qtbot, window, WRAPPED)
    span_list = window.span_list
    span_list.setFocus()
    span_list.setCurrentIndex(span_list.span_model.index(0, 0))
    qtbot.waitUntil(span_list.hasFocus)
    qtbot.keyClick(span_list, Qt.Key_U, Qt.ControlModifier)
    assert project.spans(doc, "amal")[0].attributes == {"unsure": True}
    qtbot.waitUntil(window.view.hasFocus)


# -- 5. punctuation only ---------------------------------------------------------------------

def test_a_selection_of_punctuation_only_tags_nothing_and_says_why(
        qtbot, project, add_doc, make_window):
    doc = add_doc(WRAPPED)
    window = make_window(project)
    end = len(WRAPPED)
    for modifier in (Qt.NoModifier, Qt.AltModifier):
        window.view.set_selection(end - 1, end)  # the final "."
        qtbot.keyClick(window.view, "1", modifier)
        assert stored(project, doc) == []
        assert "only punctuation" in message(window)
    assert window.undo_stack.count() == 0


# -- 6. span and status in one undo ------------------------------------------------------------

def test_the_first_span_and_in_progress_are_one_undoable_edit(qtbot, project, add_doc, make_window):
    doc = add_doc(WRAPPED)
    window = make_window(project)
    tag_all(qtbot, window, WRAPPED)
    assert project.status(doc, "amal") is Status.IN_PROGRESS
    assert window.undo_stack.count() == 1
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert stored(project, doc) == []
    assert project.status(doc, "amal") is Status.TODO
    row = window.document_list.model.row_of(doc)
    assert window.document_list.model.index(row, 1).data() == "to do"
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert len(stored(project, doc)) == 1
    assert project.status(doc, "amal") is Status.IN_PROGRESS


# -- 9. auto-scroll while dragging ---------------------------------------------------------------

def test_a_drag_held_below_the_view_scrolls_and_extends_the_selection(
        qtbot, project, add_doc, make_window):
    text = "\n".join([WRAPPED] * 20)
    add_doc(text)
    window = make_window(project, size=(900, 500))
    view, viewport = window.view, window.view.viewport()
    press = point_in_char(view, text, 0, 0.2)
    qtbot.mousePress(viewport, Qt.LeftButton, Qt.NoModifier, press)
    below = QPoint(press.x() - 40, viewport.height() + 30)
    qtbot.mouseMove(viewport, below)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() >= 5, timeout=5000)
    qtbot.mouseRelease(viewport, Qt.LeftButton, Qt.NoModifier, below)
    start, end = view.selection()
    assert start == 0
    # Past the first screenful: the paragraphs scrolled into view are selected.
    assert text.count("\n", 0, end) >= 2


# -- 11. the text pane gets the space first ------------------------------------------------------

def test_in_an_860_px_window_the_text_pane_gets_most_of_the_width(
        qtbot, project, add_doc, make_window):
    add_doc(WRAPPED)
    window = make_window(project, size=(860, 600))
    assert window.view.width() >= 860 // 2


def test_hidden_side_panels_stay_hidden_after_a_restart(
        qtbot, project, add_doc, make_window):
    project.add_documents([NewDocument("one", WRAPPED)])
    window = make_window(project)
    window.findChild(type(window.undo_action), "show_documents").trigger()
    assert window.document_list.isHidden()
    width = window.view.width()
    window.close()
    again = make_window(project)
    assert again.document_list.isHidden()
    assert again.view.width() >= width - 20
    again.findChild(type(again.undo_action), "show_documents").trigger()
    assert not again.document_list.isHidden()


def test_a_value_committed_as_its_box_loses_focus_leaves_the_focus_where_it_went(
        qtbot, project, add_doc, make_window):
    text = "قال إن الاجتماع في 27 يوليو 2021"
    doc = add_doc(text)
    window = make_window(project)
    start = text.index("27")
    window.view.set_selection(start, len(text))
    qtbot.keyClick(window.view, "3")
    date = project.spans(doc, "amal")[0]
    window.select_span(date.id)
    box = window.attribute_panel.attribute_widgets["value"]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "2021-07-27")
    window.span_list.setFocus()  # the annotator clicks the span list
    qtbot.waitUntil(lambda: project.span(date.id).attributes == {"value": "2021-07-27"})
    assert window.span_list.hasFocus()


def test_undo_and_redo_say_what_they_did(qtbot, project, add_doc, make_window):
    add_doc(WRAPPED)
    window = make_window(project)
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert message(window) == "Nothing to undo"
    tag_all(qtbot, window, WRAPPED)
    assert window.undo_action.text() == "&Undo Add CLAIM"
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert message(window) == "Undone: Add CLAIM"
    qtbot.keyClick(window.view, Qt.Key_Y, Qt.ControlModifier)
    assert message(window) == "Redone: Add CLAIM"
    qtbot.keyClick(window.view, Qt.Key_Y, Qt.ControlModifier)
    assert message(window) == "Nothing to redo"


def test_a_side_panel_saved_as_a_sliver_comes_back_readable(
        qtbot, project, add_doc, make_window):
    # Qt keeps each panel at least its minimum size hint when it restores.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QSplitter, QWidget

    add_doc(WRAPPED)
    window = make_window(project)
    window.close()
    # A state saved by an older version (or a smaller screen) with both
    # side panels a few pixels wide, not collapsed.
    old = QSplitter(Qt.Horizontal)
    for _ in range(3):
        old.addWidget(QWidget())
    old.resize(1200, 600)
    old.setSizes([12, 1179, 9])
    assert old.sizes()[0] == 12 and old.sizes()[2] == 9
    window.settings.set_window_state(window.saveGeometry(), window.saveState(), old.saveState())
    again = make_window(project)
    left, middle, right = again.splitter.sizes()
    assert left >= 80 and right >= 80  # readable, not the saved 12 and 9
    assert middle >= sum(again.splitter.sizes()) // 2


def test_a_side_panel_collapsed_by_dragging_stays_collapsed(qtbot, project, add_doc, make_window):
    add_doc(WRAPPED)
    window = make_window(project)
    total = sum(window.splitter.sizes())
    window.splitter.setSizes([0, total - 300, 300])
    window.close()
    again = make_window(project)
    assert again.splitter.sizes()[0] == 0
