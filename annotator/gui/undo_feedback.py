"""Undo and redo that say what they did, for the annotation and review windows.

QUndoStack.createUndoAction gives an action that is disabled when there is
nothing to undo, so Ctrl+Z then does nothing and says nothing. The windows'
own Undo and Redo actions stay enabled and call these, which report in the
status bar what was undone or redone, or why nothing was.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack

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
