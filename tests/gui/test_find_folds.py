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


def test_a_find_before_the_fold_is_done_shows_what_it_shows_after(qtbot, project, make_window):
    # A 20 MB document's fold is still running when the first query comes
    # (issue 15): that query is answered from the original text, with the
    # same hits, count, selection and painted highlights as once folded.
    import threading

    from annotator.core.text.search import Hits
    from annotator.core.text.search_unfolded import UnfoldedHits

    text = "😀 قالَ الرَّئِيسُ\nثم الرئيس وَالرَّئيسة ثم الرئيس"
    [added] = project.add_documents([NewDocument("one", text)])
    window = make_window(project)
    window.finder.folds.close()  # the window folded it as it started
    from annotator.core.text.fold_cache import FoldCache

    window.finder.folds = FoldCache()
    gate = threading.Event()
    # The fold queues behind this (a timeout, so a broken path fails, not hangs).
    window.finder.folds._worker.submit(gate.wait, 20)
    try:
        window.open_document(added.id)
        qtbot.keyClick(window.view, Qt.Key_F, Qt.ControlModifier)
        window.find_bar.field.insert("الرئيس")
        assert not window.finder.folds.future(text).done()
        assert isinstance(window.finder.hits, UnfoldedHits)
        before = (list(window.finder.hits), window.find_bar.count.text(),
                  window.view.selection(), window.view.layer("find").overlapping(0, len(text)))
        window.finder.step(1)
        stepped = window.view.selection()
    finally:
        gate.set()
    window.finder.folds.get(text)
    window.finder.closed()
    window.view.set_selection(0, 0)
    window.finder.open()
    assert isinstance(window.finder.hits, Hits)
    after = (list(window.finder.hits), window.find_bar.count.text(),
             window.view.selection(), window.view.layer("find").overlapping(0, len(text)))
    assert before == after
    assert [text[s:e] for s, e in before[0]] == ["الرَّئِيسُ", "الرئيس", "الرَّئيس", "الرئيس"]
    assert before[1] == "1 of 4"
    window.finder.step(1)
    assert window.view.selection() == stepped
