"""The window's File and Review dialogs (import, export, merge, tag set,
agreement, review): each may change the project under the undo history,
so a change reloads the window and starts the history afresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document
from annotator.core.store import Project
from annotator.gui import review, tag_set_dialog, transfer


class DialogActions:
    """Mixed into MainWindow, which provides project, document, annotator,
    undo_stack, reload_project, show_message and show_error."""

    project: Project
    document: Document | None
    annotator: str
    undo_stack: QUndoStack
    reload_project: Callable[[], None]
    show_message: Callable[..., None]
    show_error: Callable[[str], None]

    def _dialog(self, run: Callable[[], Any]) -> Any:
        try:
            return run()
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return None

    def _after_dialog(self, changed: Any) -> None:
        if changed is True:
            # Spans may have changed under the undo history: start it afresh.
            self.undo_stack.clear()
            self.reload_project()
            self.show_message("Project updated")

    def import_documents(self) -> None:
        self._after_dialog(self._dialog(lambda: transfer.open_import_dialog(self.project, self)))

    def export_layer(self) -> None:
        self._dialog(lambda: transfer.open_export_dialog(self.project, self, layer=self.annotator))

    def merge_copies(self) -> None:
        self._after_dialog(self._dialog(lambda: review.merge_copies(self.project, self)))

    def edit_tag_set(self) -> None:
        # Spans keep their labels, so the undo history stays; the reload
        # rebuilds the tag bar (hotkeys) and the highlights (colours).
        if self._dialog(lambda: tag_set_dialog.open_tag_set_dialog(self.project, self)) is True:
            self.reload_project()
            self.show_message("Tag set updated")

    def open_agreement(self) -> None:
        # Reviews opened from the dashboard write gold, as Review this
        # document does: the same fresh start when one did.
        self._after_dialog(self._dialog(lambda: review.open_agreement_dashboard(self.project, self)))

    def review_document(self) -> None:
        if self.document is None:
            return
        document_id = self.document.id
        self._after_dialog(self._dialog(lambda: review.open_review(self.project, document_id, self)))

