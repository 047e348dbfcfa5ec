"""What a user expects to see (issue 10): document titles, progress, span
positions as line:column with offsets in tooltips, and the guideline (F1)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTextBrowser

from annotator.core.model import NewDocument

TEXT = "عنوان الخبر الأول\nقال الرئيس 😀 جو بايدن إن القوات ستغادر"


def test_titles_progress_and_window_title(qtbot, project, make_window):
    project.add_documents([NewDocument("000_cd82adee", TEXT),
                           NewDocument("001_ffa0", "نص", meta={"title": "من الاستيراد"})])
    window = make_window(project)
    model = window.document_list.model
    assert [model.index(r, 0).data() for r in range(2)] == ["عنوان الخبر الأول", "من الاستيراد"]
    assert "000_cd82adee" in model.index(0, 0).data(Qt.ToolTipRole)
    assert window.windowTitle().startswith("عنوان الخبر الأول — ")
    assert window.progress_label.text() == "0 of 2 done"
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)
    assert window.progress_label.text() == "1 of 2 done"


def test_span_position_is_line_and_column_with_offsets_in_tooltips(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    start = TEXT.index("جو")
    window.view.set_selection(start, start + len("جو بايدن"))
    qtbot.keyClick(window.view, "2")
    column = start - TEXT.index("\n")  # 1-based, the emoji counts once
    heading = window.attribute_panel.heading
    assert heading.text() == f"ENTITY at 2:{column}: جو بايدن"
    assert f"[{start}, {start + 8})" in heading.toolTip()
    row = window.span_list.span_model.index(0, 3)
    assert row.data() == f"2:{column}"
    assert f"offsets [{start}, {start + 8})" in row.data(Qt.ToolTipRole)


def test_f1_lists_every_label_with_its_description_and_key(qtbot, project, make_window):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    qtbot.keyClick(window.view, Qt.Key_F1)
    dialog = window.findChild(QDialog, "guidelines")
    assert dialog is not None
    qtbot.addWidget(dialog)
    shown = dialog.findChild(QTextBrowser).toPlainText()
    for tag in project.tags():
        assert tag.name in shown
        assert tag.description in shown
        assert f"{tag.hotkey}, Alt+{tag.hotkey}" in shown
    assert "F6" in shown
