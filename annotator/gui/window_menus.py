"""The annotation window's menus and keyboard shortcuts, in one table-like
place so the keys are easy to find (and to list in the help)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.gui.claims_view import open_claims_view

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

# Right-to-left: the start edge is on the right, moving right is earlier.
EDGE_MOVES = [
    ("Start edge one word right (grow)", "start", -1, "word", "Alt+Right"),
    ("Start edge one word left (shrink)", "start", 1, "word", "Alt+Left"),
    ("End edge one word left (grow)", "end", 1, "word", "Alt+Shift+Left"),
    ("End edge one word right (shrink)", "end", -1, "word", "Alt+Shift+Right"),
    ("Start edge one letter right", "start", -1, "char", "Ctrl+Alt+Right"),
    ("Start edge one letter left", "start", 1, "char", "Ctrl+Alt+Left"),
    ("End edge one letter left", "end", 1, "char", "Ctrl+Alt+Shift+Left"),
    ("End edge one letter right", "end", -1, "char", "Ctrl+Alt+Shift+Right"),
]


def add_action(window: MainWindow, menu: QMenu, text: str, slot: Callable[[], object],
               shortcut: str | list[str] | None = None, name: str | None = None) -> QAction:
    action = QAction(text, window)
    if shortcut:
        keys = [shortcut] if isinstance(shortcut, str) else shortcut
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _=False: slot())
    if name:
        action.setObjectName(name)
    menu.addAction(action)
    window.addAction(action)
    return action


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    add_action(w, file_menu, "&Import…", w.import_documents)
    add_action(w, file_menu, "&Export…", w.export_layer)
    add_action(w, file_menu, "&Merge copies…", w.merge_copies)
    file_menu.addSeparator()
    add_action(w, file_menu, "&Quit", w.close, QKeySequence(QKeySequence.Quit).toString() or "Ctrl+Q")

    edit = bar.addMenu("&Edit")
    undo = add_action(w, edit, "&Undo", w.undo, "Ctrl+Z", "undo")
    redo = add_action(w, edit, "&Redo", w.redo, ["Ctrl+Shift+Z", "Ctrl+Y"], "redo")
    w.undo_stack.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}".rstrip()))
    w.undo_stack.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}".rstrip()))
    w.undo_action, w.redo_action = undo, redo
    edit.addSeparator()
    add_action(w, edit, "&Find…", w.finder.open, "Ctrl+F", "find")
    add_action(w, edit, "Find &next", lambda: w.finder.step(1), "F3")
    add_action(w, edit, "Find &previous", lambda: w.finder.step(-1), "Shift+F3")
    edit.addSeparator()
    w.snap_action = QAction("&Snap selections to whole words", w, checkable=True)
    w.snap_action.setChecked(w.view.snap_to_words)
    w.snap_action.setToolTip("Off, or Alt held while selecting or tagging: exact characters")
    w.snap_action.toggled.connect(w.snap_toggled)
    edit.addAction(w.snap_action)
    add_action(w, edit, "&Tag set…", w.edit_tag_set, name="tag_set")

    span = bar.addMenu("&Span")
    w.span_menu = span
    add_action(w, span, "&Delete span", w.delete_selected_span, ["Delete", "Backspace"], "delete_span")
    add_action(w, span, "&Next span", lambda: w.step_span(1), "Alt+Down")
    add_action(w, span, "&Previous span", lambda: w.step_span(-1), "Alt+Up")
    add_action(w, span, "Toggle &unsure", w.toggle_unsure, "Ctrl+U")
    add_action(w, span, "Edit &attributes", w.focus_attributes, "F2")
    add_action(w, span, "Edit the &note", w.focus_note, "Shift+F2", "edit_note")
    span.addSeparator()
    for text, edge, step, unit, key in EDGE_MOVES:
        add_action(w, span, text, lambda e=edge, s=step, u=unit: w.move_edge(e, s, u), key)

    document = bar.addMenu("&Document")
    add_action(w, document, "&Next document", lambda: w.step_document(1), "Ctrl+PgDown")
    add_action(w, document, "&Previous document", lambda: w.step_document(-1), "Ctrl+PgUp")
    add_action(w, document, "Mark &done and go to next to-do", w.mark_done,
               ["Ctrl+Return", "Ctrl+Enter"], "mark_done")
    document.addSeparator()
    add_action(w, document, "Zoom &in", lambda: w.view.zoom_by(1.1), ["Ctrl+=", "Ctrl++"])
    add_action(w, document, "Zoom &out", lambda: w.view.zoom_by(1 / 1.1), "Ctrl+-")
    add_action(w, document, "&Reset zoom", lambda: w.view.set_point_size(15), "Ctrl+0")

    view = bar.addMenu("&View")
    add_action(w, view, "Next &pane", lambda: w.panes.cycle(1), "F6", "next_pane")
    add_action(w, view, "Previous pa&ne", lambda: w.panes.cycle(-1), "Shift+F6", "previous_pane")
    add_action(w, view, "&Text", w.view.setFocus, "Ctrl+1")
    view.addSeparator()
    for action in w.panes.toggle_actions():
        view.addAction(action)
        w.addAction(action)
    view.addSeparator()
    add_action(w, view, "&Guidelines and keys", w.show_guidelines, "F1", "guidelines")

    review = bar.addMenu("&Review")
    add_action(w, review, "&Agreement…", w.open_agreement)
    add_action(w, review, "&Review this document", w.review_document)
    add_action(w, review, "&Claims across articles…", lambda: open_claims_view(w),
               "Ctrl+Shift+L", "claims_view")

    who = bar.addMenu("&Annotator")
    add_action(w, who, "&Switch annotator…", w.switch_annotator)
