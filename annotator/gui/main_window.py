"""The annotation window: documents, the right-to-left text, labels, the
span list and attributes. Gestures become core operations through undo
commands; the window then shows what was saved."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core.boundaries import move_boundary, selection_to_span
from annotator.core.errors import AnnotatorError
from annotator.core.intervals import neighbour
from annotator.core.model import Document, Span, Status
from annotator.core.search import FoldedText
from annotator.core.store import Project
from annotator.gui.attribute_panel import AttributePanel
from annotator.gui.commands import AddSpanCommand, DeleteSpanCommand, SetStatusCommand, UpdateSpanCommand
from annotator.gui.document_list import DocumentList
from annotator.gui.find_bar import FindBar
from annotator.gui.first_paint import FirstPaint
from annotator.gui.highlights import Highlight, Style
from annotator.gui.settings import WindowSettings
from annotator.gui.span_list import SpanList
from annotator.gui.tag_bar import TagBar
from annotator.gui.text_view import ArabicTextView

# Labels drawn as an underline; every other label is a background, so a
# claim holding entities and dates shows all of them at once.
UNDERLINE_LABELS = {"CLAIM"}
FIND_COLOR = "#fab005"


def span_highlight(span: Span, color: str) -> Highlight:
    style = Style.UNDERLINE if span.label in UNDERLINE_LABELS else Style.BACKGROUND
    return Highlight(span.start, span.end, color, style, key=span.id)


class MainWindow(QMainWindow):
    # Once, when the window is shown with its document painted (tests and
    # --screenshot wait for it).
    loaded = Signal()

    def __init__(self, project: Project, annotator: str | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.project = project
        self.settings = WindowSettings(settings if settings is not None else QSettings())
        self.annotator = project.add_annotator(annotator or self.settings.annotator or "annotator")
        self.settings.annotator = self.annotator
        self.undo_stack = QUndoStack(self)
        self.document: Document | None = None
        self.spans: dict[int, Span] = {}
        self.selected_span_id: int | None = None
        self._highlights: dict[int, Highlight] = {}
        self._label_counts: dict[str, int] = {}
        self._folded: FoldedText | None = None
        self._hits: list[tuple[int, int]] = []
        self._hit: int | None = None
        self.last_saved: str | None = None

        self._build_widgets()
        self._build_actions()
        self._restore_state()
        self.reload_project()
        self._first_paint = FirstPaint(self.view.viewport())
        self._first_paint.painted.connect(self.loaded)

    # -- construction ------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.setObjectName("main_window")
        self.document_list = DocumentList()
        self.document_list.documentChosen.connect(self.open_document)
        self.view = ArabicTextView(point_size=self.settings.point_size)
        self.view.snap_to_words = self.settings.snap_to_words
        self.view.clicked.connect(self._clicked_in_text)
        self.view.hovered.connect(self._hovered)
        self.view.selectionMade.connect(self._selection_made)
        self.view.zoomChanged.connect(self._zoom_changed)
        self.view.layer("find")
        self.view.layer("spans")
        self.view.layer("focus")
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.find_bar.queryChanged.connect(self._find)
        self.find_bar.nextRequested.connect(lambda: self._step_hit(1))
        self.find_bar.previousRequested.connect(lambda: self._step_hit(-1))
        self.find_bar.closed.connect(self._find_closed)
        self.tag_bar = TagBar(self)
        self.tag_bar.labelChosen.connect(self.tag_selection)
        self.addToolBar(Qt.TopToolBarArea, self.tag_bar)
        self.span_list = SpanList()
        self.span_list.spanChosen.connect(self.select_span)
        self.attribute_panel = AttributePanel()
        self.attribute_panel.changeRequested.connect(self._attributes_requested)

        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.find_bar)
        column.addWidget(self.view)
        side = QSplitter(Qt.Vertical)
        side.addWidget(self.span_list)
        side.addWidget(self.attribute_panel)
        side.setStretchFactor(0, 3)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.document_list)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([300, 680, 320])
        self.setCentralWidget(self.splitter)

        self.annotator_label = QLabel()
        self.counts_label = QLabel()
        self.saved_label = QLabel()
        for label in (self.annotator_label, self.counts_label, self.saved_label):
            self.statusBar().addPermanentWidget(label)

    def _action(self, menu, text: str, slot, shortcut: str | list[str] | None = None,
                name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            keys = [shortcut] if isinstance(shortcut, str) else shortcut
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _=False: slot())
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&Import…", self._import)
        self._action(file_menu, "&Export…", self._export)
        self._action(file_menu, "&Merge copies…", self._merge)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence(QKeySequence.Quit).toString() or "Ctrl+Q")

        edit = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            edit.addAction(action)
            self.addAction(action)
        self.undo_action, self.redo_action = undo, redo
        edit.addSeparator()
        self._action(edit, "&Find…", self._open_find, "Ctrl+F", "find")
        self._action(edit, "Find &next", lambda: self._step_hit(1), "F3")
        self._action(edit, "Find &previous", lambda: self._step_hit(-1), "Shift+F3")
        edit.addSeparator()
        self.snap_action = QAction("&Snap selections to whole words", self, checkable=True)
        self.snap_action.setChecked(self.view.snap_to_words)
        self.snap_action.setToolTip("Off, or Alt held while selecting or tagging: exact characters")
        self.snap_action.toggled.connect(self._snap_toggled)
        edit.addAction(self.snap_action)
        self._action(edit, "&Tag set…", self._tag_set, name="tag_set")

        span = bar.addMenu("&Span")
        self.span_menu = span
        self._action(span, "&Delete span", self.delete_selected_span, ["Delete", "Backspace"], "delete_span")
        self._action(span, "&Next span", lambda: self.step_span(1), "Alt+Down")
        self._action(span, "&Previous span", lambda: self.step_span(-1), "Alt+Up")
        self._action(span, "Toggle &unsure", self._toggle_unsure, "Ctrl+U")
        self._action(span, "Edit &attributes", self._focus_attributes, "F2")
        span.addSeparator()
        # Right-to-left: the start edge is on the right, moving right is earlier.
        moves = [
            ("Start edge one word right (grow)", "start", -1, "word", "Alt+Right"),
            ("Start edge one word left (shrink)", "start", 1, "word", "Alt+Left"),
            ("End edge one word left (grow)", "end", 1, "word", "Alt+Shift+Left"),
            ("End edge one word right (shrink)", "end", -1, "word", "Alt+Shift+Right"),
            ("Start edge one letter right", "start", -1, "char", "Ctrl+Alt+Right"),
            ("Start edge one letter left", "start", 1, "char", "Ctrl+Alt+Left"),
            ("End edge one letter left", "end", 1, "char", "Ctrl+Alt+Shift+Left"),
            ("End edge one letter right", "end", -1, "char", "Ctrl+Alt+Shift+Right"),
        ]
        for text, edge, step, unit, key in moves:
            self._action(span, text, lambda e=edge, s=step, u=unit: self.move_edge(e, s, u), key)

        document = bar.addMenu("&Document")
        self._action(document, "&Next document", lambda: self.step_document(1), "Ctrl+PgDown")
        self._action(document, "&Previous document", lambda: self.step_document(-1), "Ctrl+PgUp")
        self._action(document, "Mark &done and go to next to-do", self.mark_done,
                     ["Ctrl+Return", "Ctrl+Enter"], "mark_done")
        document.addSeparator()
        self._action(document, "Zoom &in", lambda: self.view.zoom_by(1.1), ["Ctrl+=", "Ctrl++"])
        self._action(document, "Zoom &out", lambda: self.view.zoom_by(1 / 1.1), "Ctrl+-")
        self._action(document, "&Reset zoom", lambda: self.view.set_point_size(15), "Ctrl+0")

        review = bar.addMenu("&Review")
        self._action(review, "&Agreement…", self._agreement)
        self._action(review, "&Review this document", self._review)

        who = bar.addMenu("&Annotator")
        self._action(who, "&Switch annotator…", self.switch_annotator)

    def _restore_state(self) -> None:
        geometry, state, splitter = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        if splitter is not None:
            self.splitter.restoreState(splitter)

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
        self.document_list.reload(self.project, self.annotator)
        self._update_identity()
        wanted = self.document.id if self.document else self.settings.last_document(self.project.path)
        ids = [d.id for d in self.document_list.model.documents]
        if wanted not in ids:
            wanted = ids[0] if ids else None
        if wanted is None:
            self.document = None
            self.view.set_text("")
            self.span_list.span_model.set_spans("", [], {})
            self.attribute_panel.show_span(None)
            return
        self.open_document(wanted)

    def open_document(self, document_id: int) -> None:
        self.attribute_panel.commit_note()
        self.document = self.project.document(document_id)
        self.settings.set_last_document(self.project.path, document_id)
        self.view.set_text(self.document.text)
        self._folded = None
        spans = self.project.spans(document_id, self.annotator)
        self.spans = {s.id: s for s in spans}
        self._label_counts: dict[str, int] = {}
        for span in spans:
            self._label_counts[span.label] = self._label_counts.get(span.label, 0) + 1
        colors = {name: tag.color for name, tag in self.tags.items()}
        self._highlights = {s.id: span_highlight(s, colors.get(s.label, "#888888")) for s in spans}
        self.view.layer("spans").set_highlights(self._highlights.values())
        self.span_list.span_model.set_spans(self.document.text, spans, colors)
        self.document_list.select(document_id)
        self.selected_span_id = None
        self._show_selected()
        if self.find_bar.isVisible():
            self._find(self.find_bar.field.text())
        self.setWindowTitle(f"{self.document.name} — Arabic Annotator — {self.project.path.name}")
        self._update_counts()

    # -- status bar ----------------------------------------------------------------

    def show_message(self, message: str, timeout: int = 6000) -> None:
        self.statusBar().showMessage(message, timeout)

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(f"⚠ {message}", 10000)

    def _update_identity(self) -> None:
        self.annotator_label.setText(f"Annotator: {self.annotator}")

    def _update_counts(self) -> None:
        per = self._label_counts
        text = "  ".join(f"{name} {per.get(name, 0)}" for name in self.tags)
        self.counts_label.setText(text)
        self.saved_label.setText(f"Saved {self.last_saved}" if self.last_saved else "All changes saved")

    def _saved(self) -> None:
        self.last_saved = dt.datetime.now().strftime("%H:%M:%S")

    # -- span changes (every command reports here) ------------------------------------

    def _span_changed(self, old: Span | None, new: Span | None) -> None:
        self._saved()
        changed = new or old
        assert changed is not None
        if self.document is None or changed.document_id != self.document.id:
            # Undo of an edit made in another document: show that document.
            self.document = None
            self.open_document(changed.document_id)
            self.select_span(changed.id if new else None)
            return
        painter = self.view.layer("spans")
        if old is not None:
            old_shown = self.spans.pop(old.id, old)
            self.span_list.span_model.remove(old_shown)
            highlight = self._highlights.pop(old.id, None)
            if highlight is not None:
                painter.remove(highlight)
            self.document_list.model.add_count(old.document_id, old_shown.label, -1)
            self._label_counts[old_shown.label] -= 1
        if new is not None:
            self.spans[new.id] = new
            self.span_list.span_model.insert(new)
            self._highlights[new.id] = span_highlight(new, self.tags[new.label].color)
            painter.add(self._highlights[new.id])
            self.document_list.model.add_count(new.document_id, new.label, 1)
            self._label_counts[new.label] = self._label_counts.get(new.label, 0) + 1
        self.selected_span_id = new.id if new is not None else None
        self._show_selected()
        self._update_counts()
        self.view.refresh_highlights()

    def _status_changed(self, document_id: int, status: Status) -> None:
        self._saved()
        self.document_list.model.set_status(document_id, status)
        self._update_counts()

    def _perform(self, make) -> bool:  # noqa: ANN001 - a zero-argument factory
        """Run an edit; a refused one is shown in the status bar, never raised."""
        try:
            command = make()
        except (AnnotatorError, sqlite3.Error) as exc:
            # sqlite3.Error: a locked or read-only file; nothing was written.
            self.show_error(str(exc))
            return False
        self.undo_stack.push(command)
        return True

    # -- gestures ------------------------------------------------------------------

    def tag_selection(self, label: str, precise: bool = False) -> None:
        """Turn the selection into a span (or relabel the selected span)."""
        if self.document is None:
            return
        start, end = self.view.selection()
        if start == end:
            if self.selected_span_id is not None:
                self.relabel_selected(label)
            else:
                self.show_error("select some text first, then press a label key")
            return
        # A drag or double click was snapped by the view when it ended (Alt
        # then chose characters): snapping it again here with the modifier
        # held now would undo an Alt-drag. Precise keeps the cluster check.
        precise = precise or not self.view.snap_to_words or self.view.selection_is_snapped()
        try:
            start, end = selection_to_span(self.document.text, start, end, precise=precise)
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return
        document_id = self.document.id
        added = self._perform(lambda: AddSpanCommand.perform(
            self.project, self._span_changed, self.show_error, document_id, self.annotator,
            start, end, label))
        if added:
            self.view.set_selection(end)
            if self.project.status(document_id, self.annotator) is Status.TODO:
                self._status_changed(document_id,
                                     self.project.set_status(document_id, self.annotator, Status.IN_PROGRESS))
            self.show_message(f"{label} added")

    def relabel_selected(self, label: str) -> None:
        span = self.spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        if span is None or span.label == label:
            return
        self._update_span(span.id, f"Relabel {span.label} as {label}", label=label)

    def _update_span(self, span_id: int, description: str, **changes: Any) -> bool:
        return self._perform(lambda: UpdateSpanCommand.perform(
            self.project, self._span_changed, self.show_error, span_id, description, **changes))

    def delete_selected_span(self) -> None:
        if self.selected_span_id is None:
            self.show_error("no span selected")
            return
        span_id = self.selected_span_id
        self._perform(lambda: DeleteSpanCommand.perform(
            self.project, self._span_changed, self.show_error, span_id))

    def move_edge(self, edge: str, step: int, unit: str) -> None:
        span = self.spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        if span is None or self.document is None:
            self.show_error("select a span first (click it, or Alt+Down)")
            return
        try:
            start, end = move_boundary(self.document.text, span.start, span.end, edge, step, unit)  # type: ignore[arg-type]
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return
        self._update_span(span.id, f"Move {span.label} {edge}", start=start, end=end)

    def _attributes_requested(self, span_id: int, changes: dict) -> None:
        if not self._update_span(span_id, "Edit " + ", ".join(changes), **changes):
            self._show_selected()  # put the panel back to what is saved

    def _toggle_unsure(self) -> None:
        span = self.spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        if span is None:
            return
        attributes = dict(span.attributes)
        if attributes.pop("unsure", False) is not True:
            attributes["unsure"] = True
        self._update_span(span.id, "Toggle unsure", attributes=attributes)

    def _focus_attributes(self) -> None:
        widgets = list(self.attribute_panel.attribute_widgets.values())
        (widgets[0] if widgets else self.attribute_panel.note).setFocus()

    # -- span selection --------------------------------------------------------------

    def select_span(self, span_id: int | None) -> None:
        self.attribute_panel.commit_note()
        self.selected_span_id = span_id if span_id in self.spans else None
        self._show_selected()
        span = self.spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        if span is not None:
            self.view.scroll_to(span.start, span.end)

    def _show_selected(self) -> None:
        span = self.spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        focus = []
        if span is not None:
            focus = [Highlight(span.start, span.end, self.tags[span.label].color, Style.FRAME)]
        self.view.layer("focus").set_highlights(focus)
        self.view.refresh_highlights()
        self.span_list.select_span(self.selected_span_id, span)
        self.attribute_panel.show_span(span)

    def step_span(self, step: int) -> None:
        rows = self.span_list.span_model.spans
        current = self.spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        if current is None:
            # From the caret: a key of the same (start, -end) shape that sorts
            # before every span starting at the caret (its end lies past the
            # text), so the next span may start right here and the previous
            # one starts before it. (caret, -caret), a span of length 0,
            # would sort after them.
            caret = self.view.selection()[0]
            key = (caret, -(len(self.view.text) + 1))
        else:
            key = (current.start, -current.end)
        positions = [(s.start, -s.end) for s in rows]
        index = neighbour(positions, key, step)
        if index is not None:
            self.select_span(rows[index].id)

    def _clicked_in_text(self, pos: int) -> None:
        if pos < 0:
            self.select_span(None)
            return
        under = [hl.key for hl in self.view.layer("spans").highlights_at(pos)]
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
        if pos < 0:
            QToolTip.hideText()
            return
        under = [self.spans[hl.key] for hl in self.view.layer("spans").highlights_at(pos)
                 if hl.key in self.spans]
        if not under:
            QToolTip.hideText()
            return
        lines = []
        for span in under:  # innermost first
            detail = ", ".join(f"{k}={v}" for k, v in span.attributes.items())
            lines.append(f"{span.label}{f' ({detail})' if detail else ''}: "
                         f"{self.span_list.span_model.excerpt(span)}")
        QToolTip.showText(QCursor.pos(), "\n⊂ ".join(lines), self.view)

    def _selection_made(self, start: int, end: int) -> None:
        keys = " ".join(f"{t.hotkey}={t.name}" for t in self.tags.values() if t.hotkey)
        self.show_message(f"{end - start} characters selected — {keys}", 4000)

    # -- navigation ------------------------------------------------------------------

    def _document_ids(self) -> list[int]:
        proxy = self.document_list.proxy
        return [proxy.index(row, 0).data(Qt.UserRole) for row in range(proxy.rowCount())]

    def step_document(self, step: int) -> None:
        ids = self._document_ids() or [d.id for d in self.document_list.model.documents]
        if not ids:
            return
        here = ids.index(self.document.id) if self.document and self.document.id in ids else -1
        self.open_document(ids[(here + step) % len(ids)])

    def mark_done(self) -> None:
        if self.document is None:
            return
        document_id = self.document.id
        self.attribute_panel.commit_note()
        if not self._perform(lambda: SetStatusCommand.perform(
                self.project, self._status_changed, self.show_error, document_id, self.annotator,
                Status.DONE)):
            return
        statuses = self.document_list.model.statuses
        ids = [d.id for d in self.document_list.model.documents]
        here = ids.index(document_id)
        for candidate in ids[here + 1:] + ids[:here]:
            if statuses.get(candidate, Status.TODO) is Status.TODO:
                self.open_document(candidate)
                self.show_message("Marked done; this is the next document to do")
                return
        self.show_message("Marked done; no documents left to do")

    # -- find --------------------------------------------------------------------------

    def _open_find(self) -> None:
        self.find_bar.open_bar()
        self._find(self.find_bar.field.text())

    def _find(self, query: str) -> None:
        if self.document is None:
            return
        if self._folded is None:
            self._folded = FoldedText(self.document.text)
        self._hits = self._folded.find_all(query) if query else []
        self.view.layer("find").set_highlights(
            [Highlight(s, e, FIND_COLOR) for s, e in self._hits])
        self._hit = None
        self.view.refresh_highlights()
        if self._hits:
            caret = self.view.selection()[0]
            first = next((i for i, (s, _) in enumerate(self._hits) if s >= caret), 0)
            self._show_hit(first)
        else:
            self.find_bar.set_count(None, 0)

    def _step_hit(self, step: int) -> None:
        if not self._hits:
            if not self.find_bar.isVisible():
                self._open_find()
            return
        self._show_hit(((self._hit if self._hit is not None else -step) + step) % len(self._hits))

    def _show_hit(self, index: int) -> None:
        self._hit = index
        start, end = self._hits[index]
        self.view.scroll_to(start, end)
        self.view.set_selection(start, end)
        self.find_bar.set_count(index, len(self._hits))

    def _find_closed(self) -> None:
        self._hits = []
        self.view.layer("find").set_highlights([])
        self.view.refresh_highlights()
        self.view.setFocus()

    # -- settings ------------------------------------------------------------------------

    def _snap_toggled(self, on: bool) -> None:
        self.view.snap_to_words = on
        self.settings.snap_to_words = on

    def _zoom_changed(self, size: float) -> None:
        self.settings.point_size = size
        self.view.refresh_highlights()

    def switch_annotator(self, name: str | None = None) -> None:
        if name is None:
            from annotator.gui.identity import ask_annotator

            name = ask_annotator(self.project, self, self.annotator)
            if name is None:
                return
        try:
            self.annotator = self.project.add_annotator(name)
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return
        self.settings.annotator = self.annotator
        # The undo history belongs to the previous annotator's layer.
        self.undo_stack.clear()
        self.reload_project()
        self.show_message(f"Annotating as {self.annotator}")

    # -- other engineers' dialogs (imported lazily: they may not exist yet) -------------

    def _integration(self, module: str, function: str, *args: Any, **kwargs: Any) -> Any:
        try:
            imported = __import__(module, fromlist=[function])
            target = getattr(imported, function)
        except (ImportError, AttributeError) as exc:
            self.show_error(f"not available: {module}.{function} ({exc})")
            return None
        try:
            return target(*args, **kwargs)
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return None

    def _after_integration(self, changed: Any) -> None:
        if changed is True:
            # Spans may have changed under the undo history: start it afresh.
            self.undo_stack.clear()
            self.reload_project()
            self.show_message("Project updated")

    def _import(self) -> None:
        self._after_integration(self._integration(
            "annotator.gui.transfer", "open_import_dialog", self.project, self))

    def _export(self) -> None:
        self._integration("annotator.gui.transfer", "open_export_dialog", self.project, self,
                          layer=self.annotator)

    def _merge(self) -> None:
        self._after_integration(self._integration(
            "annotator.gui.review", "merge_copies", self.project, self))

    def _tag_set(self) -> None:
        # Spans keep their labels, so the undo history stays; the reload
        # rebuilds the tag bar (hotkeys) and the highlights (colours).
        if self._integration("annotator.gui.tag_set_dialog", "open_tag_set_dialog",
                             self.project, self) is True:
            self.reload_project()
            self.show_message("Tag set updated")

    def _agreement(self) -> None:
        # Reviews opened from the dashboard write gold, as Review this
        # document does: the same fresh start when one did.
        self._after_integration(self._integration(
            "annotator.gui.review", "open_agreement_dashboard", self.project, self))

    def _review(self) -> None:
        if self.document is None:
            return
        self._after_integration(self._integration(
            "annotator.gui.review", "open_review", self.project, self.document.id, self))
