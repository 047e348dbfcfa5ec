"""The window's save path when another process holds the project's write
lock (a CLI import): one line in the status bar, nothing stored, nothing
claimed by the undo stack (issue 8, item 4)."""

from __future__ import annotations

import sqlite3

from annotator.core.model import NewDocument

TEXT = "قال الرئيس جو بايدن إن القوات ستغادر العراق"


def test_an_edit_while_another_process_writes_is_a_one_line_message(qtbot, project, make_window) -> None:
    doc = project.add_documents([NewDocument("d", TEXT)])[0].id
    project.add_annotator("amal")
    window = make_window(project)
    project.db.execute("PRAGMA busy_timeout = 100")  # the test need not wait 5 s
    importer = sqlite3.connect(project.path, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")
    start = TEXT.index("العراق")
    window.view.set_selection(start, start + len("العراق"))
    window.tag_selection("ENTITY")
    message = window.statusBar().currentMessage()
    assert "project file is busy: another program" in message and "\n" not in message
    assert project.spans(doc) == [] and window.undo_stack.count() == 0
    importer.execute("ROLLBACK")
    importer.close()
    window.tag_selection("ENTITY")
    assert [(s.start, s.label) for s in project.spans(doc)] == [(start, "ENTITY")]
    assert window.undo_stack.count() == 1
