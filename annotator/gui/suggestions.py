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
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMenuBar

from annotator.core.model import Document, Span
from annotator.core.store import suggestions as store
from annotator.core.suggest.engine import ENTITY, KNOWN_LABELS, Suggester, Suggestion
from annotator.gui.commands import ErrorReport, _ProjectCommand
from annotator.gui.highlights import Highlight, Style

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

LAYER = "suggestions"
# Several span changes reported at once: the window shows each, the
# suggestions are worked out again once.
ManyNotify = Callable[[list[tuple[Span | None, Span | None]]], None]


class AcceptSuggestionsCommand(_ProjectCommand):
    """One or many suggestions made spans (one transaction); undo deletes them."""

    @classmethod
    def perform(cls, suggester: Suggester, notify: ManyNotify, on_error: ErrorReport,
                suggestions: list[Suggestion]) -> "AcceptSuggestionsCommand":
        project, layer = suggester.project, suggester.layer
        if len(suggestions) == 1:
            s = suggestions[0]
            spans = [store.accept(project, layer, s.document_id, s.start, s.end, s.label,
                                  dict(s.attributes), s.rule, s.note)]
        else:
            result = store.accept_many(project, [s.as_new_span(layer) for s in suggestions])
            spans = [project.span(span_id) for span_id in result.inserted]
        notify([(None, span) for span in spans])
        return cls(suggester, notify, on_error, spans)

    def __init__(self, suggester: Suggester, notify: ManyNotify, on_error: ErrorReport,
                 spans: list[Span]) -> None:
        labels = sorted({s.label for s in spans})
        what = f"{spans[0].label} suggestion" if len(spans) == 1 else \
            f"{len(spans)} {'/'.join(labels)} suggestions"
        super().__init__(f"Accept {what}", suggester.project, on_error)
        self.spans = spans
        self.notify = notify

    def _redo(self) -> None:
        with self.project.transaction():
            restored = [self.project.restore_span(span) for span in self.spans]
        self.notify([(None, span) for span in restored])

    def _undo(self) -> None:
        with self.project.transaction():
            removed = [self.project.delete_span(span.id) for span in reversed(self.spans)]
        self.notify([(span, None) for span in removed])


class RejectSuggestionCommand(_ProjectCommand):
    # Takes the controller's suggester when it runs, not the one it was made
    # with: opening a document builds a new one, and an undo after that must
    # update the rejections the window now uses.
    @classmethod
    def perform(cls, suggester: Callable[[], Suggester], changed: Callable[[], None],
                on_error: ErrorReport, suggestion: Suggestion) -> "RejectSuggestionCommand":
        suggester().reject(suggestion)
        changed()
        return cls(suggester, changed, on_error, suggestion)

    def __init__(self, suggester: Callable[[], Suggester], changed: Callable[[], None],
                 on_error: ErrorReport, suggestion: Suggestion) -> None:
        super().__init__(f"Reject {suggestion.label} suggestion", suggester().project, on_error)
        self.suggester, self.suggestion, self.changed = suggester, suggestion, changed

    def _redo(self) -> None:
        self.suggester().reject(self.suggestion)
        self.changed()

    def _undo(self) -> None:
        self.suggester().unreject(self.suggestion)
        self.changed()


class SuggestionController(QObject):
    """Owns the window's suggestions for the current document and layer."""

    def __init__(self, window: "MainWindow", menu_bar: QMenuBar) -> None:
        super().__init__(window)
        self.window = window
        self.enabled = True
        self.current: list[Suggestion] = []
        self._raw: list[Suggestion] = []
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
        self._apply()

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

    def show_document(self, document: Document | None) -> None:
        """A document was opened (or the project reloaded)."""
        self._document = document
        self._recompute()

    def spans_changed(self, old: Span | None, new: Span | None) -> None:
        """A span of the layer was added, changed or removed (also by undo)."""
        if self._holding:
            return
        if any(s is not None and s.label == ENTITY for s in (old, new)):
            # Tagging a name is what makes it proposed elsewhere.
            self.suggester().refresh_lexicon()
            self._recompute()
        else:
            self._apply()

    def _many_changed(self, changes: list[tuple[Span | None, Span | None]]) -> None:
        self._holding = True
        try:
            for old, new in changes:
                self.window._span_changed(old, new)
        finally:
            self._holding = False
        entity = [c for c in changes if any(s is not None and s.label == ENTITY for s in c)]
        self.spans_changed(*(entity[0] if entity else changes[0]))

    def _recompute(self) -> None:
        doc = self._document
        self._raw = self.suggester().raw_for_document(doc) if doc is not None else []
        self._apply()

    def _apply(self) -> None:
        view = self.window.view
        if self._document is None or not self.enabled:
            self.current = []
        else:
            taken = [(s.start, s.end, s.label) for s in self.window.spans.values()]
            self.current = self.suggester().keep(self._raw, taken)
        colors = {name: tag.color for name, tag in self.window.tags.items()}
        view.layer(LAYER).set_highlights(
            Highlight(s.start, s.end, colors.get(s.label, "#888888"), Style.DASHED, key=i)
            for i, s in enumerate(self.current))
        view.refresh_highlights()
        self.count_label.setText(f"{len(self.current)} suggestion(s)" if self.enabled else "")

    def at_caret(self) -> Suggestion | None:
        """The suggestion holding the caret (its start or end included)."""
        caret = self.window.view.selection()[0]
        inside = [s for s in self.current if s.start <= caret <= s.end]
        return min(inside, key=lambda s: s.end - s.start) if inside else None

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
        done = window._perform(lambda: AcceptSuggestionsCommand.perform(
            suggester, self._many_changed, window.show_error, chosen))
        if done:
            window.show_message(f"{len(chosen)} suggestion(s) accepted")
        return done

    def reject_at_caret(self) -> bool:
        s = self.at_caret()
        if s is None:
            self.window.show_error("no suggestion at the caret")
            return False
        done = self.window._perform(lambda: RejectSuggestionCommand.perform(
            self.suggester, self._apply, self.window.show_error, s))
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
