"""Undo commands: one per user edit, each calling one Project method and
keeping what it needs to reverse it.

An edit is performed (and validated) before its command is pushed, so a
refused edit never lands on the stack; the stack's first redo() is then a
no-op. Every redo/undo reports the change through ``notify(old, new)`` so
the window shows exactly what was saved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span, Status
from annotator.core.store import Project

# old, new: (None, span) added, (span, None) deleted, (a, b) changed.
SpanNotify = Callable[[Span | None, Span | None], None]
ErrorReport = Callable[[str], None]


class _ProjectCommand(QUndoCommand):
    def __init__(self, text: str, project: Project, on_error: ErrorReport) -> None:
        super().__init__(text)
        self.project = project
        self.on_error = on_error
        self._skip_first_redo = True

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._guarded(self._redo)

    def undo(self) -> None:
        self._guarded(self._undo)

    def _guarded(self, action: Callable[[], None]) -> None:
        # Python exceptions must not escape into Qt's undo machinery; the
        # project is unchanged when a write is refused, whether by the core
        # (AnnotatorError) or by SQLite (a constraint, a locked file). An
        # obsolete command is deleted by QUndoStack instead of moving the
        # index over it: a failed undo leaves its change in effect and no
        # longer offered for redo, a failed redo leaves nothing to undo. So
        # every command below the index is still in effect, none above it.
        try:
            action()
        except (AnnotatorError, sqlite3.Error) as exc:
            self.setObsolete(True)
            self.on_error(f"could not {self.text().lower()}: {exc}")

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddSpanCommand(_ProjectCommand):
    @classmethod
    def perform(cls, project: Project, notify: SpanNotify, on_error: ErrorReport,
                document_id: int, layer: str, start: int, end: int, label: str) -> "AddSpanCommand":
        span = project.add_span(document_id, layer, start, end, label)
        notify(None, span)
        return cls(project, notify, on_error, span)

    def __init__(self, project: Project, notify: SpanNotify, on_error: ErrorReport, span: Span) -> None:
        super().__init__(f"Add {span.label}", project, on_error)
        self.span = span
        self.notify = notify

    def _redo(self) -> None:
        self.notify(None, self.project.restore_span(self.span))

    def _undo(self) -> None:
        self.notify(self.project.delete_span(self.span.id), None)


class DeleteSpanCommand(_ProjectCommand):
    @classmethod
    def perform(cls, project: Project, notify: SpanNotify, on_error: ErrorReport,
                span_id: int) -> "DeleteSpanCommand":
        span = project.delete_span(span_id)
        notify(span, None)
        return cls(project, notify, on_error, span)

    def __init__(self, project: Project, notify: SpanNotify, on_error: ErrorReport, span: Span) -> None:
        super().__init__(f"Delete {span.label}", project, on_error)
        self.span = span
        self.notify = notify

    def _redo(self) -> None:
        self.notify(self.project.delete_span(self.span.id), None)

    def _undo(self) -> None:
        self.notify(None, self.project.restore_span(self.span))


class UpdateSpanCommand(_ProjectCommand):
    @classmethod
    def perform(cls, project: Project, notify: SpanNotify, on_error: ErrorReport,
                span_id: int, description: str, **changes: Any) -> "UpdateSpanCommand":
        old = project.span(span_id)
        new = project.update_span(span_id, **changes)
        notify(old, new)
        return cls(project, notify, on_error, old, new, description)

    def __init__(self, project: Project, notify: SpanNotify, on_error: ErrorReport,
                 old: Span, new: Span, description: str) -> None:
        super().__init__(description, project, on_error)
        self.old, self.new = old, new
        self.notify = notify

    def _redo(self) -> None:
        self.notify(self.old, self.project.replace_span(self.new))

    def _undo(self) -> None:
        self.notify(self.new, self.project.replace_span(self.old))


StatusNotify = Callable[[int, Status], None]


class SetStatusCommand(_ProjectCommand):
    @classmethod
    def perform(cls, project: Project, notify: StatusNotify, on_error: ErrorReport,
                document_id: int, layer: str, status: Status) -> "SetStatusCommand":
        old = project.status(document_id, layer)
        project.set_status(document_id, layer, status)
        notify(document_id, status)
        return cls(project, notify, on_error, document_id, layer, old, status)

    def __init__(self, project: Project, notify: StatusNotify, on_error: ErrorReport,
                 document_id: int, layer: str, old: Status, new: Status) -> None:
        super().__init__(f"Mark {new.value.replace('_', ' ')}", project, on_error)
        self.document_id, self.layer, self.old, self.new = document_id, layer, old, new
        self.notify = notify

    def _redo(self) -> None:
        self.notify(self.document_id, self.project.set_status(self.document_id, self.layer, self.new))

    def _undo(self) -> None:
        self.notify(self.document_id, self.project.set_status(self.document_id, self.layer, self.old))
