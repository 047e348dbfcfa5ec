"""Hover and click on nested spans, zoom, remembered state, status filter,
hotkeys from the tag set."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolTip
from view_geometry import point_in_char

from annotator.core.model import NewDocument, Status

TEXT = "قال الرئيس جو بايدن إن القوات ستغادر العراق"


def nested(project):
    doc = project.add_documents([NewDocument("one", TEXT), NewDocument("two", "نص ثان")])[0].id
    project.add_annotator("amal")
    claim = project.add_span(doc, "amal", 4, len(TEXT), "CLAIM")
    start = TEXT.index("بايدن")
    entity = project.add_span(doc, "amal", start, start + 5, "ENTITY", {"type": "PER"})
    return claim, entity


def test_click_selects_innermost_span_then_cycles_outwards(qtbot, project, make_window):
    claim, entity = nested(project)
    window = make_window(project)
    point = point_in_char(window.view, TEXT, entity.start + 2, 0.5)
    qtbot.mouseClick(window.view.viewport(), Qt.LeftButton, pos=point)
    assert window.selected_span_id == entity.id
    assert window.attribute_panel.span.id == entity.id
    assert window.span_list.currentIndex().row() == 1
    qtbot.mouseClick(window.view.viewport(), Qt.LeftButton, pos=point)
    assert window.selected_span_id == claim.id
    outside = point_in_char(window.view, TEXT, 1, 0.5)  # "قال": no span
    qtbot.mouseClick(window.view.viewport(), Qt.LeftButton, pos=outside)
    assert window.selected_span_id is None


def test_hover_names_every_span_under_the_pointer(qtbot, project, make_window):
    claim, entity = nested(project)
    window = make_window(project)
    qtbot.mouseMove(window.view.viewport(), point_in_char(window.view, TEXT, entity.start + 2, 0.5))
    qtbot.waitUntil(lambda: "ENTITY" in QToolTip.text())
    assert "ENTITY (type=PER)" in QToolTip.text() and "CLAIM" in QToolTip.text()


def test_zoom_and_window_state_are_remembered(qtbot, project, make_window):
    nested(project)
    window = make_window(project)
    size = window.view.point_size()
    qtbot.keyClick(window.view, Qt.Key_Equal, Qt.ControlModifier)
    assert window.view.point_size() > size
    zoomed = window.view.point_size()
    window.step_document(1)
    assert window.document.name == "two"
    window.close()
    again = make_window(project)
    assert again.view.point_size() == zoomed
    assert again.document.name == "two"
    qtbot.keyClick(again.view, Qt.Key_Minus, Qt.ControlModifier)
    assert again.view.point_size() < zoomed


def test_document_list_filters_by_status(qtbot, project, make_window):
    project.add_documents([NewDocument("one", "نص أول"), NewDocument("two", "نص ثان")])
    window = make_window(project)
    window.mark_done()
    documents = window.document_list
    documents.filter.setCurrentIndex(documents.filter.findData(Status.DONE.value))
    assert documents.proxy.rowCount() == 1
    # The list shows titles (the first line); the file name is in the tooltip.
    assert documents.proxy.index(0, 0).data() == "نص أول"
    assert "File: one" in documents.proxy.index(0, 0).data(Qt.ToolTipRole)
    assert window.progress_label.text() == "1 of 1 done"
    documents.filter.setCurrentIndex(documents.filter.findData(Status.TODO.value))
    assert [documents.proxy.index(r, 0).data() for r in range(documents.proxy.rowCount())] == ["نص ثان"]


def test_hotkeys_come_from_the_tag_set(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    project.update_tag("ENTITY", hotkey="e")
    project.update_tag("CLAIM", hotkey="2")
    window = make_window(project)
    start = TEXT.index("بايدن")
    window.view.set_selection(start, start + 5)
    qtbot.keyClick(window.view, Qt.Key_E)
    window.view.set_selection(4, 10)
    qtbot.keyClick(window.view, Qt.Key_2)
    assert [(s.start, s.label) for s in project.spans(window.document.id, "amal")] == [
        (4, "CLAIM"), (start, "ENTITY")]


def test_choosing_a_span_row_scrolls_the_text_to_it(qtbot, project, make_window):
    paragraph = "قال الرئيس إن القوات ستغادر العراق بحلول نهاية العام.\n"
    text = paragraph * 200 + "الخبر الأخير في بغداد"
    doc = project.add_documents([NewDocument("long", text)])[0].id
    project.add_annotator("amal")
    start = text.index("بغداد")
    span = project.add_span(doc, "amal", start, start + 5, "ENTITY", {"type": "LOC"})
    window = make_window(project)
    bar = window.view.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    row = window.span_list.span_model.spans.index(window.spans[span.id])
    window.span_list.selectRow(row)
    window.span_list.spanChosen.emit(span.id)
    qtbot.waitUntil(lambda: bar.value() > bar.maximum() // 2)
    # The span's line is inside the viewport.
    rect = window.view.cursorRect()
    assert 0 <= rect.top() < window.view.viewport().height()
    assert window.selected_span_id == span.id


def test_the_tag_sets_style_decides_underline_or_background() -> None:
    from annotator.core.model import Span, Tag
    from annotator.gui.highlights import Style
    from annotator.gui.main_window import span_highlight

    span = Span(1, 1, "amal", 0, 4, "EVENT")
    assert span_highlight(span, Tag("EVENT", "#112233", style="underline")).style is Style.UNDERLINE
    assert span_highlight(span, Tag("EVENT", "#112233")).style is Style.BACKGROUND
    assert span_highlight(span, None).color == "#888888"
