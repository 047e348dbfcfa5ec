"""Suggestions in the annotation window: dashed outlines over the text,
accepted or rejected from the keyboard, undoable.

The core decides what to suggest (annotator.core.suggest.engine) and what
accepting or rejecting writes (annotator.core.store.suggestions); this
module only turns keys and menu commands into those operations and paints
the result. Suggestions are never spans until accepted, so agreement and
export cannot count one.

Keys, with the caret inside a suggestion: Enter accepts it, Backspace
rejects it (when no span is selected; otherwise Backspace still deletes the
span), F8 / Shift+F8 go to the next / previous suggestion. The Suggestions
menu accepts every suggestion of a label in the document at once.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from concurrent.futures import CancelledError, ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMenuBar

from annotator.core.model import Document, Span
from annotator.core.text.search import FoldedText
from annotator.core.suggest.engine import ENTITY, KNOWN_LABELS, Suggester, Suggestion
from annotator.core.suggest.edits import AcceptSuggestions, RejectSuggestion
from annotator.core.suggest.entities import name_key
from annotator.core.suggest.table import BuildCancelled, SpanCover, SuggestionTable
from annotator.gui.suggestion_painter import SuggestionPainter

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

LAYER = "suggestions"
DEFER_CHARS = 100_000  # longer documents get their suggestions from a worker thread
def _name_of(span: Span | None, text: str | None = None) -> tuple | None:
    """What the entity lexicon counts of a span: (text or place, type);
    None for a span of another label."""
    if span is None or span.label != ENTITY:
        return None
    type_ = span.attributes.get("type")
    where = text[span.start:span.end] if text is not None else (span.start, span.end)
    return where, type_ if isinstance(type_, str) else None


class SuggestionController(QObject):
    """Owns the window's suggestions for the current document and layer."""

    # (generation, result) from the worker thread; delivered in the GUI thread.
    computed = Signal(int, object)
    ready = Signal()  # the current document's suggestions are shown

    def __init__(self, window: "MainWindow", menu_bar: QMenuBar) -> None:
        super().__init__(window)
        self.window = window
        self.enabled = True
        self.table = SuggestionTable(0, "")
        # Span edits and rejections since the snapshot the table is built from.
        self._pending: list[tuple[int, int, str]] = []
        self._waiting = False
        self._folded: FoldedText | None = None
        self._generation = 0  # which document a worker's answer is for
        self._lexicon_version = 0
        self._pool: ThreadPoolExecutor | None = None
        self.computed.connect(self._worker_done, Qt.QueuedConnection)
        self._document: Document | None = None
        self._suggester: Suggester | None = None
        self._layer: tuple[str, dict] | None = None  # (layer, the window's tags it was built for)
        self._holding = False
        self.painter = window.view.add_layer(LAYER, SuggestionPainter())
        window.view.installEventFilter(self)
        window.view.viewport().installEventFilter(self)
        self._after_paint: Callable[[], None] | None = None  # the worker to start
        self._paint_timer = QTimer(self, singleShot=True, interval=500)
        self._paint_timer.timeout.connect(self._painted)
        window.view.cursorPositionChanged.connect(self._caret_moved)
        self.count_label = QLabel()
        window.statusBar().addPermanentWidget(self.count_label)
        self._build_menu(menu_bar)

    # -- menu --------------------------------------------------------------------

    def _build_menu(self, bar: QMenuBar) -> None:
        menu = bar.addMenu("S&uggestions")
        self.menu = menu
        self.show_action = QAction("&Show suggestions", self, checkable=True, checked=True)
        self.show_action.toggled.connect(self._toggled)
        menu.addAction(self.show_action)
        menu.addSeparator()
        # The keys are shown in the menu but taken by the event filter on the
        # text view only: Enter in the note field must stay Enter, and
        # Backspace deletes the selected span as before.
        for text, slot, key in (("&Accept suggestion at the caret", self.accept_at_caret, "Return"),
                                ("&Reject suggestion at the caret", self.reject_at_caret, "Backspace")):
            action = self._add(menu, text, slot, None)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.WidgetShortcut)  # the menu's widget: never fires itself
        self._add(menu, "&Next suggestion", lambda: self.step(1), ["F8"])
        self._add(menu, "&Previous suggestion", lambda: self.step(-1), ["Shift+F8"])
        menu.addSeparator()
        for label in KNOWN_LABELS:
            self._add(menu, f"Accept all {label} suggestions in this document",
                      lambda lb=label: self.accept_all(lb), None, f"accept_all_{label}")

    def _add(self, menu, text: str, slot, keys: list[str] | None,  # noqa: ANN001 - a QMenu
             name: str | None = None) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
            self.window.addAction(action)
        action.triggered.connect(lambda _=False: slot())
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        return action

    def _toggled(self, on: bool) -> None:
        self.enabled = self.painter.enabled = on
        self._changed()

    # -- what is shown ------------------------------------------------------------

    def suggester(self) -> Suggester:
        # Built again for another layer, or after a reload (the window's tag
        # dict is then a new object: the tag set or the project may differ);
        # kept while documents are opened, as it reads the layer's entities.
        key = (self.window.annotator, self.window.tags)
        if self._suggester is None or self._layer is None or self._layer[0] != key[0] \
                or self._layer[1] is not key[1]:
            self._suggester = Suggester(self.window.project, key[0])
            self._layer = key
        return self._suggester

    # Work per edit is kept to the suggestions the edited span meets: a big
    # document has tens of thousands, and a label key must answer at once.

    def show_document(self, document: Document | None) -> None:
        """A document was opened (or the project reloaded). A big one gets
        its suggestions from a worker thread, shown when ready, so the text
        can be read and annotated meanwhile. The old document's table goes
        as a few arrays: no per-suggestion work on the keypress."""
        self._document = document
        self._generation += 1
        self._pending, self._waiting = [], False
        self._show_table(SuggestionTable(0, ""))
        if document is None:
            return
        suggester = self.suggester()
        if len(document.text) > DEFER_CHARS:
            # After the text's first paint (or a moment, if the view is not
            # painted): the worker takes the interpreter lock half the time,
            # and the first screen of a 20 MB document must not share it.
            generation = self._generation
            self._after_paint = lambda: self._start_worker(suggester, document, generation) \
                if generation == self._generation else None
            self.window.view.viewport().update()
            self._paint_timer.start()
        else:
            folded = FoldedText(document.text)
            self._computed(self._generation, folded, self._build(suggester, document, folded,
                                                                 self._snapshot()))

    def _snapshot(self) -> tuple[tuple, set[tuple[int, int, str]]]:
        """What decides which suggestions are shown, as of now: the layer's
        spans (column copies, cheap; the cover is made by whoever builds)
        and the document's rejections. Edits from now on are replayed."""
        self._pending, self._waiting = [], True
        table = self.window.spans
        doc = self._document.id if self._document is not None else None
        rejected = {(s, e, lb) for d, s, e, lb in self.suggester().rejected if d == doc}
        return (array("q", table.starts), array("q", table.ends), array("H", table.labels),
                list(table.names)), rejected

    @staticmethod
    def _build(suggester: Suggester, document: Document, folded: FoldedText,
               snapshot: tuple, cancelled: Callable[[], bool] | None = None) -> SuggestionTable:
        columns, rejected = snapshot
        cover = SpanCover(*columns)
        return SuggestionTable.build(
            document.id, document.text, suggester.found_in_document(document, folded),
            lambda s, e, lb: (s, e, lb) not in rejected and not cover.covers(s, e, lb), cancelled)

    def prepare(self, text: str) -> None:
        """Another document is about to be shown: a worker still building
        the old one's table stops, and the fold of ``text`` (find's and the
        worker's) starts before the view is filled, as setPlainText holds
        the interpreter lock for a second at 20 MB."""
        self._generation += 1
        self.window.finder.folds.prefold(text)

    def _start_worker(self, suggester: Suggester, document: Document, generation: int) -> None:
        # Compile the entity pattern here, not in the worker: the lexicon is
        # changed from this thread only.
        if suggester.lexicon is not None:
            suggester.lexicon.pattern()
        lexicon_version = self._lexicon_version
        snapshot = self._snapshot()
        # The find bar's fold of this text (started as the document opened):
        # a second fold of a 20 MB text held another 150 MB.
        folding = self.window.finder.folds.future(document.text)

        def work() -> None:
            try:
                try:
                    folded = folding.result()
                except CancelledError:
                    # The cache let this text go (three others were opened
                    # since): this answer would be discarded anyway.
                    return
                result: object = (folded, self._build(suggester, document, folded, snapshot,
                                                      lambda: generation != self._generation),
                                  lexicon_version)
            except BuildCancelled:
                return  # another document was opened
            except Exception as exc:  # noqa: BLE001 - shown, not lost in the pool
                result = exc
            try:
                self.computed.emit(generation, result)
            except RuntimeError:
                pass  # the window was closed meanwhile

        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suggestions")
        self._pool.submit(work)

    def _worker_done(self, generation: int, result: object) -> None:
        if isinstance(result, Exception):
            self.window.show_error(f"suggestions could not be computed: {result}")
            return
        folded, table, lexicon_version = result  # type: ignore[misc]
        if generation != self._generation:
            return  # another document was opened meanwhile
        if lexicon_version != self._lexicon_version and self._document is not None:
            # A name was tagged while the worker ran: its answer lacks it.
            self._start_worker(self.suggester(), self._document, generation)
            return
        self._computed(generation, folded, table)

    def _computed(self, generation: int, folded: FoldedText, table: SuggestionTable) -> None:
        self._folded = folded
        self._show_table(table)
        # Edits made while the table was being built: the snapshot lacks them.
        pending, self._pending, self._waiting = self._pending, [], False
        for start, end, label in pending:
            self._recheck(start, end, label)
        self._changed()
        self.ready.emit()

    def _show_table(self, table: SuggestionTable) -> None:
        self.table = table
        self.painter.show(table, self._color_of)
        self._changed()

    def _color_of(self, label: str) -> str:
        return self.window.tags[label].color if label in self.window.tags else "#888888"

    @property
    def current(self) -> list[Suggestion]:
        """The suggestions shown, in text order (built for each call: a big
        document has a million)."""
        if not self.enabled:
            return []
        return [self.table.suggestion(r) for r in self.table.shown_rows()]

    def _visible(self, start: int, end: int, label: str) -> bool:
        if (self.table.document_id, start, end, label) in self.suggester().rejected:
            return False
        # The layer's spans here: the window's span table, kept current by
        # every edit before spans_changed is called.
        table = self.window.spans
        return not any(table.label_of(r) == label for r in table.overlapping(start, end))

    def _changed(self) -> None:
        self.window.view.refresh_highlights()
        self.count_label.setText(f"{self.table.shown_count} suggestion(s)" if self.enabled else "")

    def _recheck(self, start: int, end: int, label: str | None = None) -> None:
        table = self.table
        for r in table.overlapping(start, end):
            place = table.place(r)
            if label is None or place[2] == label:
                table.set_shown(r, self._visible(*place))

    def spans_changed(self, old: Span | None, new: Span | None) -> None:
        """A span of the layer was added, changed or removed (also by undo)."""
        if self._document is None:
            return
        if self._waiting:
            self._pending += [(x.start, x.end, x.label) for x in (old, new) if x is not None]
        # The lexicon counts tagged names: it hears of one only when an
        # entity's text or type changed, not of its note or "unsure".
        renamed = _name_of(old) != _name_of(new)
        if renamed and new is not None and new.label == ENTITY \
                and new.document_id == self._document.id:
            # Tagging a name is what makes it proposed elsewhere.
            surface, type_ = _name_of(new, self._document.text)  # type: ignore[misc]
            learned = self.suggester().learn_name(surface, type_, self._document, self._folded)
            if learned:
                self._lexicon_version += 1
            table = self.table
            for x in learned:
                if not any(table.label_of(r) == ENTITY for r in table.overlapping(x.start, x.end)):
                    table.insert(x, self._visible(x.start, x.end, ENTITY))
        if renamed and old is not None and old.label == ENTITY:
            self._forget_name(*_name_of(old, self._document.text))  # type: ignore[misc]
        for span in (old, new):
            if span is not None:
                self._recheck(span.start, span.end, span.label)
        if not self._holding:
            self._changed()

    def _forget_name(self, surface: str, type_: str | None) -> None:
        """An entity went away: if no span or gazetteer entry has its name
        any more, its suggestions go too."""
        gone = self.suggester().forget_name(surface, type_)
        self._lexicon_version += 1
        if gone:
            self.table.remove_rows(self.table.rows_named(name_key(surface)))

    def _rejections_changed(self, x: Suggestion) -> None:
        if self._waiting:
            self._pending.append((x.start, x.end, x.label))
        row = self.table.row_of(x.start, x.end, x.label)
        if row is not None:
            self.table.set_shown(row, self._visible(x.start, x.end, x.label))
        self._changed()

    def at_caret(self) -> Suggestion | None:
        """The suggestion holding the caret (its start or end included),
        the shortest if several."""
        table = self.table
        shown = self.window.document
        # The caret moves while a newly opened text goes in, before this
        # document's table replaces the last one's.
        if not self.enabled or shown is None or table.document_id != shown.id:
            return None
        caret = self.window.view.selection()[0]
        inside = [r for r in table.overlapping(max(0, caret - 1), caret + 1)
                  if table.shown[r] and table.start_of(r) <= caret <= table.end_of(r)]
        if not inside:
            return None
        return table.suggestion(min(inside, key=lambda r: table.end_of(r) - table.start_of(r)))

    def _caret_moved(self) -> None:
        s = self.at_caret()
        if s is None:
            return
        detail = ", ".join([f"{k}={v}" for k, v in s.attributes.items()] + [s.note] * bool(s.note))
        self.window.show_message(
            f"{s.label} suggestion{f' ({detail})' if detail else ''} by {s.rule}: "
            "Enter accepts, Backspace rejects", 8000)

    # -- gestures -----------------------------------------------------------------

    def accept_at_caret(self) -> bool:
        s = self.at_caret()
        if s is None:
            self.window.show_error("no suggestion at the caret (F8 goes to the next one)")
            return False
        return self._accept([s])

    def accept_all(self, label: str) -> bool:
        chosen = [self.table.suggestion(r) for r in self.table.shown_rows(label)] \
            if self.enabled else []
        if not chosen:
            self.window.show_error(f"no {label} suggestions in this document")
            return False
        return self._accept(chosen)

    def _accept(self, chosen: list[Suggestion]) -> bool:
        window = self.window
        suggester = self.suggester()
        # The window shows each new span; the suggestions are worked out
        # again once, not once per span.
        self._holding = True
        try:
            done = window._perform(lambda: AcceptSuggestions(suggester, chosen))
        finally:
            self._holding = False
        self._changed()
        if done:
            window.show_message(f"{len(chosen)} suggestion(s) accepted")
        return done

    def reject_at_caret(self) -> bool:
        s = self.at_caret()
        if s is None:
            self.window.show_error("no suggestion at the caret")
            return False
        done = self.window._perform(lambda: RejectSuggestion(
            self.suggester, s, lambda: self._rejections_changed(s)))
        if done:
            self.window.show_message(f"{s.label} suggestion rejected; not proposed again")
        return done

    def step(self, direction: int) -> None:
        caret = self.window.view.selection()[0]
        table = self.table
        row = None
        if self.enabled:
            row = table.next_shown(caret) if direction > 0 else table.previous_shown(caret)
        if row is None:
            self.window.show_error("no suggestions in this document")
            return
        self.window.select_span(None)
        self.window.view.scroll_to(table.start_of(row), table.end_of(row))
        self._caret_moved()

    # -- Backspace: reject here, delete a span elsewhere ---------------------------

    def _key_action(self, event: QEvent) -> Callable[[], bool] | None:
        if not isinstance(event, QKeyEvent) or event.modifiers() not in (
                Qt.NoModifier, Qt.KeypadModifier):
            return None
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            return self.accept_at_caret
        if (event.key() == Qt.Key_Backspace and self.window.selected_span_id is None
                and self.at_caret() is not None):
            return self.reject_at_caret
        return None

    def _painted(self) -> None:
        start, self._after_paint = self._after_paint, None
        self._paint_timer.stop()
        if start is not None:
            start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Paint and self._after_paint is not None:
            QTimer.singleShot(0, self._painted)  # once this paint is done
            return super().eventFilter(watched, event)
        if kind not in (QEvent.ShortcutOverride, QEvent.KeyPress):
            return super().eventFilter(watched, event)
        action = self._key_action(event)
        if action is None:
            return super().eventFilter(watched, event)
        if kind == QEvent.ShortcutOverride:
            event.accept()  # the key comes here, not to the Delete span shortcut
        else:
            action()
        return True
