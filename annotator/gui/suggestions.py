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

from collections.abc import Callable
from concurrent.futures import CancelledError, ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMenuBar

from annotator.core.text.intervals import IntervalIndex
from annotator.core.model import Document, Span
from annotator.core.text.search import FoldedText
from annotator.core.store import suggestions as store
from annotator.core.suggest.engine import ENTITY, KNOWN_LABELS, Suggester, Suggestion
from annotator.core.suggest.edits import AcceptSuggestions, RejectSuggestion
from annotator.core.suggest.entities import name_key
from annotator.gui.highlights import Highlight, Style

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
        self._raw: IntervalIndex[Suggestion] = IntervalIndex()
        self._shown: dict[tuple[int, int, str], Suggestion] = {}
        self._ordered: list[Suggestion] | None = None
        self._folded: FoldedText | None = None
        self._generation = 0  # which document a worker's answer is for
        self._lexicon_version = 0
        self._pool: ThreadPoolExecutor | None = None
        self.computed.connect(self._worker_done, Qt.QueuedConnection)
        self._document: Document | None = None
        self._suggester: Suggester | None = None
        self._layer: tuple[str, dict] | None = None  # (layer, the window's tags it was built for)
        self._holding = False
        window.view.layer(LAYER)
        window.view.installEventFilter(self)
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
        self.enabled = on
        self._show_all()

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
        can be read and annotated meanwhile."""
        self._document = document
        self._generation += 1
        self._raw = IntervalIndex()
        self._shown = {}
        self._show_all()
        if document is None:
            return
        suggester = self.suggester()
        if len(document.text) > DEFER_CHARS:
            self._start_worker(suggester, document, self._generation)
        else:
            folded = FoldedText(document.text)
            self._computed(self._generation, folded, suggester.raw_for_document(document, folded))

    def _start_worker(self, suggester: Suggester, document: Document, generation: int) -> None:
        # Compile the entity pattern here, not in the worker: the lexicon is
        # changed from this thread only.
        if suggester.lexicon is not None:
            suggester.lexicon.pattern()
        lexicon_version = self._lexicon_version
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
                result: object = (folded, suggester.raw_for_document(document, folded),
                                  lexicon_version)
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
        folded, raw, lexicon_version = result  # type: ignore[misc]
        if generation != self._generation:
            return  # another document was opened meanwhile
        if lexicon_version != self._lexicon_version and self._document is not None:
            # A name was tagged while the worker ran: its answer lacks it.
            self._start_worker(self.suggester(), self._document, generation)
            return
        self._computed(generation, folded, raw)

    def _computed(self, generation: int, folded: FoldedText, raw: list[Suggestion]) -> None:
        self._folded = folded
        self._raw = IntervalIndex((x.start, x.end, x) for x in raw)
        self._show_all()
        self.ready.emit()

    @property
    def current(self) -> list[Suggestion]:
        """The suggestions shown, in text order."""
        if self._ordered is None:
            self._ordered = sorted(self._shown.values(), key=lambda x: (x.start, x.end, x.label))
        return self._ordered

    def _visible(self, x: Suggestion) -> bool:
        if not self.enabled or (x.document_id, x.start, x.end, x.label) in self.suggester().rejected:
            return False
        # The layer's spans here: the window's span table, kept current by
        # every edit before spans_changed is called.
        table = self.window.spans
        return not any(table.label_of(r) == x.label for r in table.overlapping(x.start, x.end))

    def _highlight(self, x: Suggestion) -> Highlight:
        color = self.window.tags[x.label].color if x.label in self.window.tags else "#888888"
        return Highlight(x.start, x.end, color, Style.DASHED, key=(x.start, x.end, x.label))

    def _show_all(self) -> None:
        everything = [it[2] for it in self._raw.overlapping(0, 1 << 62)]
        self._shown = {(x.start, x.end, x.label): x for x in everything if self._visible(x)}
        self.window.view.layer(LAYER).set_highlights(self._highlight(x) for x in self._shown.values())
        self._changed()

    def _set_shown(self, x: Suggestion, shown: bool) -> None:
        key = (x.start, x.end, x.label)
        painter = self.window.view.layer(LAYER)
        if shown and key not in self._shown:
            self._shown[key] = x
            painter.add(self._highlight(x))
        elif not shown and key in self._shown:
            painter.remove(self._highlight(self._shown.pop(key)))

    def _changed(self) -> None:
        self._ordered = None
        self.window.view.refresh_highlights()
        self.count_label.setText(f"{len(self._shown)} suggestion(s)" if self.enabled else "")

    def _recheck(self, start: int, end: int, label: str | None = None) -> None:
        for _, _, x in self._raw.overlapping(start, end):
            if label is None or x.label == label:
                self._set_shown(x, self._visible(x))

    def spans_changed(self, old: Span | None, new: Span | None) -> None:
        """A span of the layer was added, changed or removed (also by undo)."""
        if self._document is None:
            return
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
            for x in learned:
                if not any(o.label == ENTITY for _, _, o in self._raw.overlapping(x.start, x.end)):
                    self._raw.add((x.start, x.end, x))
                    self._set_shown(x, self._visible(x))
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
        if not gone:
            return
        key = name_key(surface)
        keys: dict[str, str] = {}  # each suggested text folded once
        for _, _, x in self._raw.overlapping(0, 1 << 62):
            if x.label != ENTITY:
                continue
            if x.text not in keys:
                keys[x.text] = name_key(x.text)
            if keys[x.text] == key:
                self._raw.remove(x.start, x.end, x)
                self._set_shown(x, False)

    def _rejections_changed(self, x: Suggestion) -> None:
        self._set_shown(x, self._visible(x))
        self._changed()

    def at_caret(self) -> Suggestion | None:
        """The suggestion holding the caret (its start or end included),
        the shortest if several."""
        caret = self.window.view.selection()[0]
        painter = self.window.view.layer(LAYER)
        keys = [h.key for h in painter.highlights_at(caret)]
        if caret > 0:
            keys += [h.key for h in painter.highlights_at(caret - 1) if h.key[1] == caret]
        inside = [self._shown[k] for k in keys if k in self._shown]
        return min(inside, key=lambda x: x.end - x.start) if inside else None

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
        chosen = [s for s in self.current if s.label == label]
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
        if not self.current:
            self.window.show_error("no suggestions in this document")
            return
        caret = self.window.view.selection()[0]
        if direction > 0:
            target = next((s for s in self.current if s.start > caret), self.current[0])
        else:
            target = next((s for s in reversed(self.current) if s.end < caret), self.current[-1])
        self.window.select_span(None)
        self.window.view.scroll_to(target.start, target.end)
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
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
