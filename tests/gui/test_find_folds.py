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


def test_the_fold_starts_before_the_view_is_filled(qtbot, project, make_window, monkeypatch):
    # setPlainText holds the interpreter lock for a second at 20 MB: a fold
    # started after it ran during the first find instead (issue 15).
    text = "قال الرَّئيس ثم الرئيس"
    [added] = project.add_documents([NewDocument("one", text)])
    window = make_window(project)
    window.finder.folds.close()
    from annotator.core.text.fold_cache import FoldCache

    window.finder.folds = FoldCache()
    seen = []
    original = window.view.set_text
    monkeypatch.setattr(window.view, "set_text",
                        lambda t: (seen.append(t in window.finder.folds._folds), original(t)))
    window.open_document(added.id)
    assert seen == [True]
