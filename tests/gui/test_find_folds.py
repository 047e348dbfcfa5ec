"""Find folds a document once and keeps it across reopenings (issue 15
item 3): going back to a document and finding again folds nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import NewDocument


def test_reopened_document_is_not_folded_again(qtbot, project, make_window):
    one, two = "قال الرَّئيس ثم الرئيس", "ذهبوا إلى المدرسة ثم الرئيس"
    ids = [added.id for added in project.add_documents([NewDocument("one", one),
                                                         NewDocument("two", two)])]
    window = make_window(project)
    window.open_document(ids[0])
    qtbot.keyClick(window.view, Qt.Key_F, Qt.ControlModifier)
    window.find_bar.field.insert("الرئيس")
    assert len(window.view.layer("find")) == 2
    window.open_document(ids[1])
    assert len(window.view.layer("find")) == 1
    window.open_document(ids[0])
    assert len(window.view.layer("find")) == 2
    assert window.finder.folds.folds_made == 2
