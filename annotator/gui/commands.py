"""Undo commands, QUndoStack's way: redo() performs the edit, also the
first time (push calls it), and undo() takes it back.

``GuardedCommand`` is the one base of the window's and the review's
commands: a refused edit (AnnotatorError from the core, sqlite3.Error from
a locked or read-only file) never escapes into Qt's undo machinery. It is
reported through ``on_error`` and the command made obsolete, so QUndoStack
drops it: a refused first redo never lands on the stack, a failed undo
leaves its change in effect and no longer offered for redo. Every command
below the stack's index is in effect, none above it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.core.workflow import Change, Edit

ErrorReport = Callable[[str], None]
ChangeNotify = Callable[[list[Change]], None]


class Outcome:
    """Whether the last redo/undo failed. A plain Python object the caller
    keeps: QUndoStack deletes an obsolete command as soon as push returns."""

    def __init__(self) -> None:
        self.failed = False
        self.empty = False  # performed, but there was nothing to change


class GuardedCommand(QUndoCommand):
    def __init__(self, text: str, on_error: ErrorReport) -> None:
        super().__init__(text)
        self.on_error = on_error
        self.outcome = Outcome()

    def redo(self) -> None:
        self._guarded(self.perform)

    def undo(self) -> None:
        self._guarded(self.take_back)

    def _guarded(self, action: Callable[[], None]) -> None:
        self.outcome.failed = False
        try:
            action()
        except (AnnotatorError, sqlite3.Error) as exc:
            self.outcome.failed = True
            self.setObsolete(True)
            self.on_error(f"could not {self.text().lower()}: {exc}")
        self.after()

    def perform(self) -> None:
        raise NotImplementedError

    def take_back(self) -> None:
        raise NotImplementedError

    def after(self) -> None:
        """Runs after every redo and undo, failed or not (a refresh)."""


class EditCommand(GuardedCommand):
    """A core workflow Edit on the undo stack; changes go to ``notify``."""

    def __init__(self, edit: Edit, notify: ChangeNotify, on_error: ErrorReport) -> None:
        super().__init__(edit.description, on_error)
        self.edit = edit
        self.notify = notify

    def perform(self) -> None:
        self.notify(self.edit.apply())

    def take_back(self) -> None:
        self.notify(self.edit.revert())


def push(stack: QUndoStack, command: GuardedCommand) -> bool:
    """Push (which performs it); True when the edit was made."""
    outcome = command.outcome
    stack.push(command)
    return not outcome.failed
