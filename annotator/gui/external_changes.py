"""Noticing what another process wrote to the project file while the
window is open (a CLI import, a merge, `annotator tags add`).

SQLite's PRAGMA data_version changes only when another connection commits,
so polling it on a timer costs one tiny query a second and never fires for
the window's own edits. On a change the window is refreshed in place: the
document list (keeping its filter, selection and scroll position), the
counts, the tag bar if labels changed, and the open document's spans only
if they changed. The text is not reloaded (a document's text never
changes), so the caret, selection and scroll position stay; the undo
history is cleared only when the open document's spans changed under it,
and the status bar says so.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.store import Project

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

POLL_MS = 1000


class DataVersionWatcher(QObject):
    """Emits ``changed`` once per poll in which another connection committed."""

    changed = Signal()

    def __init__(self, project: Project, interval_ms: int = POLL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.version = self._read()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _read(self) -> int | None:
        try:
            if self.project.in_transaction:
                return None  # our own edit is half-way: look again next tick
            return self.project.data_version()
        except sqlite3.Error:
            return None  # closed, or unreadable for a moment: try again next tick

    def poll(self) -> bool:
        """Check now; True (and ``changed`` emitted) when something changed."""
        version = self._read()
        if version is None or version == self.version:
            return False
        self.version = version
        self.changed.emit()
        return True


class ExternalRefresher:
    """Applies another process's changes to a MainWindow without losing the
    annotator's place."""

    def __init__(self, window: MainWindow, interval_ms: int = POLL_MS) -> None:
        self.window = window
        self.watcher = DataVersionWatcher(window.project, interval_ms, window)
        self.watcher.changed.connect(self.refresh)

    def refresh(self) -> None:
        window = self.window
        project = window.project
        try:
            project.forget_cached()
            self._refresh(window, project)
        except (sqlite3.Error, KeyError) as exc:
            # A writer half-way through, or a row gone between two reads:
            # the next change (or tick) brings it up to date.
            window.show_error(f"could not read another program's changes yet: {exc}")

    def _refresh(self, window: MainWindow, project: Project) -> None:
        tags = {t.name: t for t in project.tags()}
        if tags != window.tags:
            window.tags = tags
            window.tag_bar.set_tags(list(tags.values()))
            window.attribute_panel.set_tags(list(tags.values()))
        before = window.document_list.model.document_count
        current = window.document.id if window.document else None
        window.document_list.refresh(project, window.annotator, current)
        after = window.document_list.model.document_count
        window._update_identity()
        if current is not None and not project.has_document(current):
            # The open document is gone: nothing of its history can be undone.
            window.undo_stack.clear()
            window.document = None
            window.reload_project()
            window.show_message("The open document was removed by another program; "
                                "undo history cleared")
            return
        if window.document is None and after:
            window.reload_project()
        spans_changed = window.document is not None and self._reload_spans(window, project)
        window._update_counts()
        added = after - before
        news = f"{added:,} document(s) added by another program" if added > 0 else \
            "Project changed by another program"
        if spans_changed:
            window.show_message(f"{news}; this document's spans changed there too: "
                                "reloaded, undo history cleared")
        else:
            window.show_message(f"{news}; list refreshed")

    @staticmethod
    def _reload_spans(window: MainWindow, project: Project) -> bool:
        """Show the open document's spans as stored; False when they were
        already what the window shows."""
        assert window.document is not None
        if project.span_table(window.document.id, window.annotator).same(window.spans):
            return False
        # A note being typed is saved first: showing the reloaded span would
        # otherwise replace the field's text with the stored note.
        window.attribute_panel.commit_note()
        table = project.span_table(window.document.id, window.annotator)
        # Commands on the stack hold spans as they were: undoing one now
        # would overwrite what the other program wrote.
        window.undo_stack.clear()
        window.show_spans(table)
        if window.selected_span_id not in window.spans:
            window.selected_span_id = None
        window._show_selected()
        return True


def watch_external_changes(window: MainWindow, interval_ms: int = POLL_MS) -> ExternalRefresher:
    """Start polling for the window's project; the refresher lives as long
    as the window (its timer is the window's child)."""
    return ExternalRefresher(window, interval_ms)
