"""Undo commands follow QUndoStack's convention (redo performs the edit,
also the first time) through one base for the window's and the review's
commands; both report storage errors instead of raising them (issue 11)."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtGui import QUndoStack

import annotator.core.review.adjudication as adjudication
from annotator.core.model import GOLD, NewDocument
from annotator.core.store import Project
from annotator.core.workflow import AnnotationWorkflow
from annotator.gui.commands import EditCommand, GuardedCommand
from annotator.gui.review.commands import GoldCommand
from annotator.gui.review.review_window import ReviewDialog

TEXT = "قال وزير الخارجية أمس إن المحادثات ستستأنف في القاهرة قريبا"


@pytest.fixture
def doc(project: Project) -> int:
    doc = project.add_documents([NewDocument("article", TEXT)])[0].id
    for name in ("lina", "omar"):
        project.add_annotator(name)
        project.add_span(doc, name, 4, 17, "ENTITY")
    return doc


def gold(project: Project, doc: int) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in project.spans(doc, GOLD)]


def locked(*_args, **_kwargs):
    raise sqlite3.OperationalError("database is locked")


def test_both_commands_share_the_guarded_base():
    assert issubclass(EditCommand, GuardedCommand)
    assert issubclass(GoldCommand, GuardedCommand)


def test_the_first_redo_performs_the_edit(project, doc):
    edit = AnnotationWorkflow(project, "lina").tag(doc, TEXT, 49, 55, "ENTITY")
    seen = []
    command = EditCommand(edit, seen.append, seen.append)
    assert len(project.spans(doc, "lina")) == 1   # not made before redo
    command.redo()
    assert len(project.spans(doc, "lina")) == 2
    command.undo()
    assert len(project.spans(doc, "lina")) == 1
    assert len(seen) == 2


def test_the_gold_command_decides_in_its_first_redo(qtbot, project, doc):
    dialog = ReviewDialog(project, doc)
    qtbot.addWidget(dialog)
    unit = dialog.review.units[0]
    errors = []
    command = GoldCommand("Accept lina's version", dialog.review,
                          lambda: dialog.review.accept(unit, "lina"), lambda: None, errors.append)
    assert gold(project, doc) == []
    command.redo()
    assert gold(project, doc) == [(4, 17, "ENTITY")]
    command.undo()
    command.redo()
    assert gold(project, doc) == [(4, 17, "ENTITY")]
    assert errors == []


def test_a_locked_file_during_a_review_decision_is_a_message(qtbot, project, doc, monkeypatch):
    dialog = ReviewDialog(project, doc)
    qtbot.addWidget(dialog)
    dialog.go_to(0)
    monkeypatch.setattr(Project, "add_span", locked)
    dialog.accept_version(1)
    assert "database is locked" in dialog.message.text()
    assert dialog.undo_stack.count() == 0
    assert gold(project, doc) == []


def test_a_locked_file_during_a_review_undo_is_reported_and_dropped(qtbot, project, doc, monkeypatch):
    dialog = ReviewDialog(project, doc)
    qtbot.addWidget(dialog)
    dialog.go_to(0)
    dialog.accept_version(1)
    assert gold(project, doc) == [(4, 17, "ENTITY")]
    monkeypatch.setattr(adjudication, "revert", locked)
    stack: QUndoStack = dialog.undo_stack
    stack.undo()
    assert "could not accept" in dialog.message.text()
    assert "database is locked" in dialog.message.text()
    # The decision stays in effect and is no longer on the stack.
    assert gold(project, doc) == [(4, 17, "ENTITY")]
    assert stack.count() == 0
