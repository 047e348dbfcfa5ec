"""Undo/redo that the store refuses, and edits made behind the window's
back (the agreement dashboard's reviews), leave the undo stack matching
what is stored: no traceback, no command claiming a change that never
happened."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import annotator.gui.review as review
from annotator.core.model import NewDocument
from annotator.core.store import Project
from annotator.gui.review.dashboard import AgreementDashboard

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


# -- Review > Agreement: reviews opened from the dashboard write gold ---------------


@pytest.fixture
def disputed(project):
    doc = project.add_documents([NewDocument("one", TEXT)])[0].id
    for name, word in (("lina", "الرئيس"), ("omar", "العراق")):
        project.add_annotator(name)
        project.add_span(doc, name, *where(word), "ENTITY")
    return project


def run_agreement(qtbot, window, monkeypatch, gold_changed: bool) -> list[int]:
    reviewed: list[int] = []

    def fake_review(project, document_id, parent=None, changed=None):
        reviewed.append(document_id)
        return gold_changed

    monkeypatch.setattr(review, "open_review", fake_review)

    def drive() -> None:
        dashboard = next(w for w in QApplication.topLevelWidgets()
                         if isinstance(w, AgreementDashboard) and w.isVisible())
        qtbot.waitUntil(lambda: dashboard.report is not None)
        dashboard.documents.doubleClicked.emit(dashboard.ranking.index(0, 1))
        dashboard.accept()

    QTimer.singleShot(0, drive)
    action = next(a for a in window.actions() if a.text() == "&Agreement…")
    action.trigger()
    return reviewed


@pytest.mark.parametrize("gold_changed", [True, False], ids=["gold-changed", "nothing-changed"])
def test_agreement_dashboard_review_clears_the_undo_history(qtbot, disputed, make_window, monkeypatch,
                                                             gold_changed):
    window = make_window(disputed)
    tag(window, "جو بايدن")
    assert window.undo_stack.count() == 1
    assert run_agreement(qtbot, window, monkeypatch, gold_changed) == [window.document.id]
    assert window.undo_stack.count() == (0 if gold_changed else 1)
    assert ("Project updated" in window.statusBar().currentMessage()) is gold_changed


def test_open_agreement_dashboard_reports_whether_gold_changed(qtbot, disputed, monkeypatch):
    results: list[bool] = []
    monkeypatch.setattr(review, "open_review",
                        lambda project, document_id, parent=None, changed=None: results.pop(0))

    def review_rows(outcomes: list[bool]) -> None:
        results[:] = outcomes

        def drive() -> None:
            dashboard = next(w for w in QApplication.topLevelWidgets()
                             if isinstance(w, AgreementDashboard) and w.isVisible())
            qtbot.waitUntil(lambda: dashboard.report is not None)
            for _ in outcomes:
                dashboard.documents.doubleClicked.emit(dashboard.ranking.index(0, 0))
            dashboard.reject()

        QTimer.singleShot(0, drive)

    review_rows([False, True, False])  # one of three reviews changed gold
    assert review.open_agreement_dashboard(disputed, None) is True
    assert results == []
    review_rows([False])
    assert review.open_agreement_dashboard(disputed, None) is False
    assert results == []


def test_a_storage_error_on_a_new_edit_is_a_message(qtbot, project, make_window, monkeypatch):
    doc = project.add_documents([NewDocument("d", TEXT)])[0].id
    project.add_annotator("amal")
    window = make_window(project)

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Project, "add_span", locked)
    tag(window, "العراق")
    assert "database is locked" in window.statusBar().currentMessage()
    assert project.spans(doc) == [] and window.undo_stack.count() == 0
