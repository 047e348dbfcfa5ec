"""The annotation window: documents, the right-to-left text, labels, the
span list and attributes. Widgets and wiring only: gestures become edits of
the core workflow (annotator.core.workflow) pushed as undo commands; the
window then shows what was saved. Menus are in window_menus, the pane
layout and F6 in panes, find in find_in_document."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QCursor, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core import workflow
from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, Span
from annotator.core.span_table import SpanTable
from annotator.core.store import Project
from annotator.core.store.validation import check_annotator_name
from annotator.gui.attribute_panel import AttributePanel
from annotator.gui.window_dialogs import DialogActions
from annotator.gui.window_navigation import NavigationActions
from annotator.gui.linking import LinkController
from annotator.gui.commands import EditCommand, push
from annotator.gui.document_list import DocumentList
from annotator.gui.external_changes import watch_external_changes
from annotator.gui.find_bar import FindBar
from annotator.gui.find_in_document import DocumentFinder
from annotator.gui.guidelines import show_guidelines
from annotator.gui.first_paint import FirstPaint
from annotator.gui.highlights import Highlight, Style
from annotator.gui.identity import ask_annotator
from annotator.gui.panes import Panes
from annotator.gui.settings import WindowSettings
from annotator.gui.span_list import SpanList
from annotator.gui.span_painter import HighlightsView, SpanTablePainter, span_highlight, span_style
from annotator.gui.suggestions import SuggestionController
from annotator.gui.tag_bar import TagBar
from annotator.gui.text_view import ArabicTextView
from annotator.gui.undo_feedback import redo_with_feedback, undo_with_feedback
from annotator.gui.window_menus import build_menus

log = logging.getLogger("annotator.gui")


class MainWindow(DialogActions, NavigationActions, QMainWindow):
    # Once, when the window is shown with its document painted (tests and
    # --screenshot wait for it).
    loaded = Signal()
    # Every saved edit's changes, after the window has shown them, and every
    # reload (an import, a merge, a tag set edit): views of the whole project
    # (the claims view) follow the window through these two.
    edited = Signal(object)
    reloaded = Signal()

    def __init__(self, project: Project, annotator: str | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.project = project
        self.qsettings = settings if settings is not None else QSettings()
        self.settings = WindowSettings(self.qsettings)
        # Only the name: the layer is created by the first edit (_perform).
        self.annotator = check_annotator_name(annotator or self.settings.annotator or "annotator")
        self.settings.annotator = self.annotator
        self.workflow = workflow.AnnotationWorkflow(project, self.annotator)
        self.undo_stack = QUndoStack(self)
        self.document: Document | None = None
        # The open document's spans in this layer (span id -> Span), shared
        # with the span list model and the painter.
        self.spans = SpanTable(0, self.annotator)
        self.selected_span_id: int | None = None
        # Only a span the annotator chose (click, list, Alt+Up/Down) may be
        # relabelled by a label key; one selected by an edit may not.
        self.selection_explicit = False
        self.counts = workflow.LabelCounts()
        self.last_saved: str | None = None

        self._build_widgets()
        build_menus(self)
        self.suggestions = SuggestionController(self, self.menuBar())
        self.linking = LinkController(self, self.menuBar())
        self.side.insertWidget(1, self.linking.list)
        # F6 order: after the span list it sits under, before the attributes.
        self.panes.focus_targets.insert(3, self.linking.list)
        self._restore_state()
        self.reload_project()
        self.external_changes = watch_external_changes(self)
        self._first_paint = FirstPaint(self.view.viewport())
        self._first_paint.painted.connect(self.loaded)

    # -- construction ------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.setObjectName("main_window")
        self.document_list = DocumentList()
        self.document_list.documentChosen.connect(self.open_document)
        self.document_list.filter.currentIndexChanged.connect(lambda _: self._update_counts())
        self.view = ArabicTextView(point_size=self.settings.point_size)
        self.view.snap_to_words = self.settings.snap_to_words
        self.view.clicked.connect(self._clicked_in_text)
        self.view.hovered.connect(self._hovered)
        self.view.selectionMade.connect(self._selection_made)
        self.view.zoomChanged.connect(self._zoom_changed)
        self.view.layer("find")
        self.span_painter = self.view.add_layer("spans", SpanTablePainter())
        self.view.layer("focus")
        self.finder = DocumentFinder(FindBar(), self.view)
        self.find_bar = self.finder.bar
        self.tag_bar = TagBar(self)
        self.tag_bar.labelChosen.connect(self.tag_selection)
        self.addToolBar(Qt.TopToolBarArea, self.tag_bar)
        self.span_list = SpanList()
        self.span_list.spanChosen.connect(self.select_span)
        self.attribute_panel = AttributePanel()
        self.attribute_panel.changeRequested.connect(self._attributes_requested)
        self.attribute_panel.doneRequested.connect(self.mark_done)
        self.attribute_panel.leaveRequested.connect(self.view.setFocus)

        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.finder.bar)
        column.addWidget(self.view)
        side = QSplitter(Qt.Vertical)
        side.addWidget(self.span_list)
        side.addWidget(self.attribute_panel)
        side.setStretchFactor(0, 3)
        self.side = side
        self.panes = Panes(self, self.document_list, centre, side,
                           [self.document_list.table, self.view, self.span_list, self.attribute_panel],
                           self.qsettings)
        self.splitter = self.panes.splitter
        self.setCentralWidget(self.splitter)

        self.annotator_label = QLabel()
        self.progress_label = QLabel()
        self.counts_label = QLabel()
        self.saved_label = QLabel()
        for label in (self.annotator_label, self.progress_label, self.counts_label, self.saved_label):
            self.statusBar().addPermanentWidget(label)

    def _restore_state(self) -> None:
        geometry, state, splitter = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        self.panes.restore(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.attribute_panel.commit_note()
        self.settings.set_window_state(self.saveGeometry(), self.saveState(), self.splitter.saveState())
        super().closeEvent(event)

    # -- loading -----------------------------------------------------------------

    def reload_project(self) -> None:
        """Tags, the document list and the current (or last) document."""
        self.tags = {t.name: t for t in self.project.tags()}
        self.tag_bar.set_tags(list(self.tags.values()))
        self.attribute_panel.set_tags(list(self.tags.values()))
        self.linking.reload_types()
        self.document_list.reload(self.project, self.annotator)
        self._update_identity()
        wanted = self.document.id if self.document else self.settings.last_document(self.project.path)
        if wanted is None or not self.project.has_document(wanted):
            wanted = self.project.listed_page(self.annotator, None, 0, 1)
            wanted = wanted[0].id if wanted else None
        if wanted is None:
            self.document = None
            self.view.set_text("")
            self.show_spans(SpanTable(0, self.annotator))
            self.attribute_panel.show_span(None)
            self._update_counts()
        else:
            self.open_document(wanted)
        self.reloaded.emit()

    def open_document(self, document_id: int) -> None:
        self.attribute_panel.commit_note()
        self.document = self.project.document(document_id)
        # Spans first, then the fold, then the view: a fold running while
        # 400,000 rows are fetched doubled the fetch (the GIL is handed back
        # at every row), and setPlainText holds the GIL itself.
        spans = self.project.span_table(document_id, self.annotator)
        self.suggestions.prepare(self.document.text)
        self.settings.set_last_document(self.project.path, document_id)
        self.view.set_text(self.document.text)
        self.show_spans(spans)
        self.attribute_panel.set_text(self.document.text, self.span_list.span_model.lines)
        self.document_list.select(document_id)
        self.selected_span_id = None
        self.linking.document_opened()
        self._show_selected()
        self.finder.document_changed()
        title = self.document_list.model.title_of(document_id) or self.document.name
        self.setWindowTitle(f"{title} — Arabic Annotator — {self.project.path.name}")
        self._update_counts()
        log.info("document opened id=%s spans=%s", document_id, len(self.spans))
        self.suggestions.show_document(self.document)

    def show_spans(self, table: SpanTable) -> None:
        """Show the open document's spans (as read from the store): one
        table for the span list, the painter and ``self.spans``."""
        self.spans = table
        self.counts = workflow.LabelCounts.of(table.label_counts())
        self.span_painter.show(table, self._style_of)
        colors = {name: tag.color for name, tag in self.tags.items()}
        self.span_list.span_model.set_spans(self.view.text, table, colors)

    def _style_of(self, label: str) -> tuple[str, Style]:
        return span_style(self.tags.get(label))

    @property
    def _highlights(self) -> HighlightsView:
        """span id -> how it is drawn (built when asked)."""
        return HighlightsView(self.span_painter)

    # -- status bar ----------------------------------------------------------------

    def show_message(self, message: str, timeout: int = 6000) -> None:
        self.statusBar().showMessage(message, timeout)
        log.info("status: %s", message)

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(f"⚠ {message}", 10000)
        log.info("status: ⚠ %s", message)

    def _update_identity(self) -> None:
        new = self.annotator not in self.project.annotators()
        self.annotator_label.setText(f"Annotator: {self.annotator}"
                                     + (" (no layer until the first edit)" if new else ""))

    def _update_counts(self, progress: bool = True) -> None:
        # Progress is counted by the store: only when a status, the filter
        # or the list changed, not on every span edit.
        if progress:
            self.progress_label.setText(self.document_list.progress_text())
        self.counts_label.setText(self.counts.summary(self.tags))
        self.saved_label.setText(f"Saved {self.last_saved}" if self.last_saved else "All changes saved")

    # -- changes (every command reports here) -------------------------------------------

    def _changes_applied(self, changes: list[workflow.Change]) -> None:
        self.last_saved = dt.datetime.now().strftime("%H:%M:%S")
        for change in changes:
            if isinstance(change, workflow.SpanChange):
                self._span_changed(change)
            elif isinstance(change, workflow.RelationChange):
                self.linking.relation_changed(change)
            elif change.layer == self.annotator:
                self.document_list.model.set_status(change.document_id, change.status)
        self._update_counts(progress=any(isinstance(c, workflow.StatusChange) for c in changes))
        self.linking.changes_applied(changes)
        log.info("saved %s", "; ".join(workflow.describe(c) for c in changes))
        self.edited.emit(changes)

    def _span_changed(self, change: workflow.SpanChange) -> None:
        old, new = change.old, change.new
        changed = new or old
        assert changed is not None
        if self.document is None or changed.document_id != self.document.id:
            # Undo of an edit made in another document: show that document.
            self.document = None
            self.open_document(changed.document_id)
            self.select_span(changed.id if new else None, explicit=False)
            return
        # The span list model edits the table that the painter and
        # self.spans read: one change, seen by all three.
        if old is not None:
            old_shown = self.spans.get(old.id, old)
            self.span_list.span_model.remove(old_shown)
            self.document_list.model.add_count(old.document_id, old_shown.label, -1)
            self.counts.apply(workflow.SpanChange(old_shown, None))
        if new is not None:
            self.span_list.span_model.insert(new)
            self.document_list.model.add_count(new.document_id, new.label, 1)
            self.counts.apply(workflow.SpanChange(None, new))
        same = new is not None and new.id == self.selected_span_id
        self.selection_explicit = self.selection_explicit and same
        self.selected_span_id = new.id if new is not None else None
        self._show_selected()
        self.view.refresh_highlights()
        self.suggestions.spans_changed(old, new)

    def _perform(self, make: Callable[[], workflow.Edit | None], refocus: bool = True) -> bool:
        """Make and push an edit; a refused one is shown in the status bar,
        never raised. The text view keeps the keyboard afterwards."""
        try:
            if self.annotator not in self.project.annotators():
                self.project.add_annotator(self.annotator)
                self._update_identity()
            edit = make()
        except (AnnotatorError, sqlite3.Error) as exc:
            # sqlite3.Error: a locked or read-only file; nothing was written.
            self.show_error(str(exc))
            return False
        if edit is None:
            return False
        done = push(self.undo_stack, EditCommand(edit, self._changes_applied, self.show_error))
        if refocus:
            self.view.setFocus()
        return done

    def undo(self) -> None:
        undo_with_feedback(self.undo_stack, self.show_message)

    def redo(self) -> None:
        redo_with_feedback(self.undo_stack, self.show_message)

    def _selected(self) -> Span | None:
        return self.spans.get(self.selected_span_id) if self.selected_span_id is not None else None

    # -- gestures ------------------------------------------------------------------

    def tag_selection(self, label: str, precise: bool = False) -> None:
        """Turn the selection into a span (or relabel the span the user chose)."""
        if self.document is None:
            return
        start, end = self.view.selection()
        if start == end:
            span = self._selected()
            if span is not None and self.selection_explicit:
                self.relabel_selected(label)
            elif span is not None:
                self.show_error(f"select text to tag it {label}; to relabel a span, "
                                "click it or choose it with Alt+Down first")
            else:
                self.show_error("select some text first, then press a label key")
            return
        # A drag or double click was snapped by the view when it ended (Alt
        # then chose characters): snapping it again here with the modifier
        # held now would undo an Alt-drag. Precise keeps the cluster check.
        precise = precise or not self.view.snap_to_words or self.view.selection_is_snapped()
        document = self.document
        if self._perform(lambda: self.workflow.tag(document.id, document.text, start, end, label,
                                                   precise=precise)):
            span = self._selected()
            self.view.set_selection(span.end if span is not None else end)
            self.show_message(f"{label} added")

    def relabel_selected(self, label: str) -> None:
        span = self._selected()
        if span is None:
            return
        if span.label == label:
            self.show_message(f"the span is already {label}")
            return
        old = span.label
        if self._perform(lambda: self.workflow.relabel(span, label)):
            self.show_message(f"Relabelled {old} as {label} (Ctrl+Z undoes)")

    def delete_selected_span(self) -> None:
        span = self._selected()
        if span is None:
            self.show_error("no span selected")
            return
        if self._perform(lambda: self.workflow.delete(span)):
            self.show_message(f"{span.label} deleted (Ctrl+Z undoes)")

    def move_edge(self, edge: str, step: int, unit: str) -> None:
        span = self._selected()
        if span is None or self.document is None:
            self.show_error("select a span first (click it, or Alt+Down)")
            return
        text = self.document.text
        self._perform(lambda: self.workflow.move_edge(text, span, edge, step, unit))

    def _attributes_requested(self, span_id: int, changes: dict[str, Any]) -> None:
        span = self.spans.get(span_id) or self.project.span(span_id)
        # Enter or a choice in the panel gives the keyboard back to the text;
        # a field committed as it loses focus (the note, a value box) leaves
        # the focus where the annotator sent it.
        focused = QApplication.focusWidget()
        refocus = focused is None or self.attribute_panel.isAncestorOf(focused)
        if not self._perform(lambda: self.workflow.update(span, "Edit " + ", ".join(changes), **changes),
                             refocus=refocus):
            self._show_selected()  # put the panel back to what is saved

    def toggle_unsure(self) -> None:
        span = self._selected()
        if span is None:
            self.show_error("select a span first (click it, or Alt+Down)")
            return
        self._perform(lambda: self.workflow.toggle_unsure(span))

    def focus_attributes(self) -> None:
        if self._selected() is None:
            self.show_error("select a span first (click it, or Alt+Down)")
            return
        self.attribute_panel.focus_first()

    def focus_note(self) -> None:
        if self._selected() is None:
            self.show_error("select a span first (click it, or Alt+Down)")
            return
        self.attribute_panel.note.setFocus(Qt.ShortcutFocusReason)

    def show_guidelines(self) -> None:
        show_guidelines(list(self.tags.values()), self)

    # -- span selection --------------------------------------------------------------

    def select_span(self, span_id: int | None, explicit: bool = True) -> None:
        self.attribute_panel.commit_note()
        self.selected_span_id = span_id if span_id in self.spans else None
        self.selection_explicit = explicit and self.selected_span_id is not None
        self._show_selected()
        log.info("span selected id=%s", self.selected_span_id)
        span = self._selected()
        if span is not None:
            self.view.scroll_to(span.start, span.end)

    def _show_selected(self) -> None:
        span = self._selected()
        focus = []
        if span is not None:
            focus = [Highlight(span.start, span.end, self.tags[span.label].color, Style.FRAME)]
        self.view.layer("focus").set_highlights(focus)
        self.view.refresh_highlights()
        self.span_list.select_span(self.selected_span_id, span)
        self.attribute_panel.show_span(span)
        self.linking.show_selected()

    def _clicked_in_text(self, pos: int) -> None:
        if self.linking.active:
            self.linking.pick_at(pos)
            return
        under = [hl.key for hl in self.view.layer("spans").highlights_at(pos)] if pos >= 0 else []
        if not under:
            self.select_span(None)
            return
        # Clicking again cycles from the innermost span outwards.
        if self.selected_span_id in under:
            under_index = under.index(self.selected_span_id)
            self.select_span(under[(under_index + 1) % len(under)])
        else:
            self.select_span(under[0])

    def _hovered(self, pos: int) -> None:
        under = [self.spans[hl.key] for hl in self.view.layer("spans").highlights_at(pos)
                 if hl.key in self.spans] if pos >= 0 else []
        if not under:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.span_list.span_model.nesting_text(under), self.view)

    def _selection_made(self, start: int, end: int) -> None:
        keys = " ".join(f"{t.hotkey}={t.name}" for t in self.tags.values() if t.hotkey)
        line, column = self.span_list.span_model.lines.line_column(start)
        self.show_message(f"{end - start} characters selected at {line}:{column} — {keys}", 4000)
        log.info("selection made [%d,%d) visual_line=%d", start, end, self.view.visual_line(start))

    # -- settings ------------------------------------------------------------------------

    def snap_toggled(self, on: bool) -> None:
        self.view.snap_to_words = on
        self.settings.snap_to_words = on

    def _zoom_changed(self, size: float) -> None:
        self.settings.point_size = size
        self.view.refresh_highlights()

    def switch_annotator(self, name: str | None = None) -> None:
        if name is None:
            name = ask_annotator(self.project, self, self.annotator)
            if name is None:
                return
        try:
            self.annotator = check_annotator_name(name)
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return
        self.settings.annotator = self.annotator
        self.workflow = workflow.AnnotationWorkflow(self.project, self.annotator)
        # The undo history belongs to the previous annotator's layer.
        self.undo_stack.clear()
        self.reload_project()
        self.show_message(f"Annotating as {self.annotator}")
