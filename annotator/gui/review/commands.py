"""Undo for adjudication: each decision is one command around a GoldChange.

As in the annotation window (annotator.gui.commands, the shared base),
redo() makes the decision, also the first time: ``decide`` runs then and
its GoldChange is replayed by later redos. Storage errors (a locked file)
are reported, never raised into Qt.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.review.adjudication import GoldChange, Review
from annotator.core.review.relation_review import RelationChange
from annotator.gui.commands import ErrorReport, GuardedCommand


class GoldCommand(GuardedCommand):
    def __init__(self, text: str, review: Review, decide: Callable[[], GoldChange | RelationChange],
                 refresh: Callable[[], None], on_error: ErrorReport) -> None:
        super().__init__(text, on_error)
        self.review = review
        self.decide = decide
        self.change: GoldChange | RelationChange | None = None
        self.refresh = refresh

    def perform(self) -> None:
        if self.change is None:
            change = self.decide()
            if change.empty:
                # Nothing to undo: QUndoStack drops an obsolete command.
                self.outcome.empty = True
                self.setObsolete(True)
                return
            self.change = change
        else:
            self.review.redo(self.change)

    def take_back(self) -> None:
        assert self.change is not None
        self.review.undo(self.change)

    def after(self) -> None:
        self.refresh()
