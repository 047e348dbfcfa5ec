"""Undo and redo that say what they did, for the annotation and review windows.

QUndoStack.createUndoAction gives an action that is disabled when there is
nothing to undo, so Ctrl+Z then does nothing and says nothing. These
actions stay enabled, name the command in the menu, and report in the
status bar what was undone or redone, or why nothing was.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QWidget

Show = Callable[[str], None]


def undo_with_feedback(stack: QUndoStack, show: Show) -> bool:
    """Undo one step and say which; True when something was undone."""
    if not stack.canUndo():
        show("Nothing to undo")
        return False
    text, count = stack.undoText(), stack.count()
    stack.undo()
    # A command whose undo failed reported the error itself and was dropped
    # from the stack (setObsolete): do not cover that message.
    if stack.count() < count:
        return False
    show(f"Undone: {text}")
    return True


def redo_with_feedback(stack: QUndoStack, show: Show) -> bool:
    """Redo one step and say which; True when something was redone."""
    if not stack.canRedo():
        show("Nothing to redo")
        return False
    text, count = stack.redoText(), stack.count()
    stack.redo()
    if stack.count() < count:
        return False
    show(f"Redone: {text}")
    return True


def undo_actions(stack: QUndoStack, parent: QWidget, show: Show) -> tuple[QAction, QAction]:
    """An Undo and a Redo action whose menu text follows the stack."""
    undo, redo = QAction("&Undo", parent), QAction("&Redo", parent)
    undo.triggered.connect(lambda _=False: undo_with_feedback(stack, show))
    redo.triggered.connect(lambda _=False: redo_with_feedback(stack, show))

    # The texts come with the signals: the stack may be half destroyed
    # when it sends the last ones.
    stack.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}".rstrip()))
    stack.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}".rstrip()))
    return undo, redo
