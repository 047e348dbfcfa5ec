"""Undo/redo that the store refuses leaves the undo stack matching what is
stored: no traceback, no command claiming a change that never happened."""

from __future__ import annotations

import sqlite3

from annotator.core.model import NewDocument
from annotator.core.store import Project

TEXT = "قال الرئيس جو بايدن إن القوات ستغادر العراق"


def where(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def tag(window, word: str, label: str = "ENTITY") -> None:
    window.view.set_selection(*where(word))
    window.tag_selection(label)


def stored(project, window):
    return [(s.start, s.end, s.label) for s in project.spans(window.document.id, window.annotator)]


def refuse_restore(monkeypatch) -> None:
    def fail(self, span):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: spans.id")
    monkeypatch.setattr(Project, "restore_span", fail)


def test_failed_undo_is_reported_and_dropped_from_the_stack(qtbot, project, make_window, monkeypatch):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    tag(window, "الرئيس")
    tag(window, "العراق")
    window.select_span(project.spans(window.document.id, "amal")[0].id)
    window.delete_selected_span()
    assert stored(project, window) == [(*where("العراق"), "ENTITY")]
    stack = window.undo_stack
    assert (stack.count(), stack.index()) == (3, 3)
    refuse_restore(monkeypatch)

    window.undo_action.trigger()  # restore_span raises: the span stays deleted
    assert "could not" in window.statusBar().currentMessage()
    assert "UNIQUE constraint failed" in window.statusBar().currentMessage()
    assert stored(project, window) == [(*where("العراق"), "ENTITY")]
    assert [(s.start, s.end) for s in window.span_list.span_model.spans] == [where("العراق")]
    # The delete is still in effect, so no command may offer to redo it; the
    # commands below it are still in effect and stay undoable.
    assert (stack.count(), stack.index()) == (2, 2)
    assert not stack.canRedo()
    assert stack.undoText() == "Add ENTITY"
    window.undo_action.trigger()
    assert stored(project, window) == []
    assert (stack.count(), stack.index()) == (2, 1)


def test_failed_redo_is_reported_and_dropped_from_the_stack(qtbot, project, make_window, monkeypatch):
    project.add_documents([NewDocument("one", TEXT)])
    window = make_window(project)
    tag(window, "الرئيس")
    tag(window, "العراق")
    stack = window.undo_stack
    stack.undo()
    assert stored(project, window) == [(*where("الرئيس"), "ENTITY")]
    refuse_restore(monkeypatch)

    window.redo_action.trigger()  # restore_span raises: nothing is added
    assert "could not" in window.statusBar().currentMessage()
    assert stored(project, window) == [(*where("الرئيس"), "ENTITY")]
    assert (stack.count(), stack.index()) == (1, 1)
    assert not stack.canRedo()
    assert stack.undoText() == "Add ENTITY"
