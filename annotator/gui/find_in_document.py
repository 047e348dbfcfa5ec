"""Find in the open document (Ctrl+F, F3, Shift+F3): the find bar's
queries become highlighted hits, folded so that harakat and letter
variants do not hide a match (core.search)."""

from __future__ import annotations

from annotator.core.text.fold_cache import FoldCache
from annotator.gui.find_bar import FindBar
from annotator.gui.highlights import Highlight
from annotator.gui.text_view import ArabicTextView

FIND_COLOR = "#fab005"


class DocumentFinder:
    def __init__(self, bar: FindBar, view: ArabicTextView, folds: FoldCache | None = None) -> None:
        self.bar = bar
        self.view = view
        # Folded once per document and kept: the first find in a large
        # document must not wait for a fold of the whole text.
        self.folds = folds or FoldCache()
        self.hits: list[tuple[int, int]] = []
        self.hit: int | None = None
        bar.hide()
        bar.queryChanged.connect(self.find)
        bar.nextRequested.connect(lambda: self.step(1))
        bar.previousRequested.connect(lambda: self.step(-1))
        bar.closed.connect(self.closed)

    def document_changed(self) -> None:
        self.folds.prefold(self.view.text)
        if self.bar.isVisible():
            self.find(self.bar.field.text())

    def open(self) -> None:
        self.bar.open_bar()
        self.find(self.bar.field.text())

    def find(self, query: str) -> None:
        self.hits = self.folds.get(self.view.text).find_all(query) if query else []
        self.view.layer("find").set_highlights([Highlight(s, e, FIND_COLOR) for s, e in self.hits])
        self.hit = None
        self.view.refresh_highlights()
        if self.hits:
            caret = self.view.selection()[0]
            first = next((i for i, (s, _) in enumerate(self.hits) if s >= caret), 0)
            self._show(first)
        else:
            self.bar.set_count(None, 0)

    def step(self, step: int) -> None:
        if not self.hits:
            if not self.bar.isVisible():
                self.open()
            return
        self._show(((self.hit if self.hit is not None else -step) + step) % len(self.hits))

    def _show(self, index: int) -> None:
        self.hit = index
        start, end = self.hits[index]
        self.view.scroll_to(start, end)
        self.view.set_selection(start, end)
        self.bar.set_count(index, len(self.hits))

    def closed(self) -> None:
        self.hits = []
        self.view.layer("find").set_highlights([])
        self.view.refresh_highlights()
        self.view.setFocus()
