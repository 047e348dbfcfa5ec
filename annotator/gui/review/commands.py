"""Undo for adjudication: each decision is one command around a GoldChange.

The decision is made (and validated) before the command is pushed, so the
stack's first redo() is a no-op, as in the annotation window's commands.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.adjudication import GoldChange, Review
from annotator.core.errors import AnnotatorError


class GoldCommand(QUndoCommand):
    def __init__(self, text: str, review: Review, change: GoldChange,
                 refresh: Callable[[], None], on_error: Callable[[str], None]) -> None:
        super().__init__(text)
        self.review = review
        self.change = change
        self.refresh = refresh
        self.on_error = on_error
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guarded(self.review.redo)

    def undo(self) -> None:
        self._guarded(self.review.undo)

    def _guarded(self, action: Callable[[GoldChange], None]) -> None:
        # Exceptions must not escape into Qt's undo machinery.
        try:
            action(self.change)
        except AnnotatorError as exc:
            self.setObsolete(True)
            self.on_error(f"could not {self.text().lower()}: {exc}")
        self.refresh()
