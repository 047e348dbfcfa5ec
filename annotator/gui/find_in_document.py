"""Find in the open document (Ctrl+F, F3, Shift+F3): the find bar's
queries become highlighted hits, folded so that harakat and letter
variants do not hide a match (core.search)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.text.fold_cache import FoldCache
from annotator.core.text.search_unfolded import unfolded_hits
from annotator.gui.find_bar import FindBar
from annotator.gui.highlights import Highlight, HighlightPainter
from annotator.gui.text_view import ArabicTextView

FIND_COLOR = "#fab005"


class HitPainter(HighlightPainter):
    """The find bar's hits for the lines on screen, read from the hits as
    found: no Highlight per hit (19,000 in a 20 MB document took 150 ms to
    index on the first find; issue 15)."""

    def __init__(self) -> None:
        self.hits: Sequence[tuple[int, int]] = []
        super().__init__()

    def set_highlights(self, highlights: Iterable[Highlight]) -> None:
        # The view empties every layer when its text changes.
        if any(True for _ in highlights):
            raise TypeError("HitPainter shows hits: use show()")
        self.hits = []

    def show(self, hits: Sequence[tuple[int, int]]) -> None:
        self.hits = hits

    def __len__(self) -> int:
        return len(self.hits)

    def overlapping(self, start: int, end: int) -> list[Highlight]:
        # Hits and UnfoldedHits bisect; the empty list of no query has no index.
        found = self.hits.overlapping(start, end) if hasattr(self.hits, "overlapping") else \
            [(s, e) for s, e in self.hits if s < end and e > start]
        return [Highlight(s, e, FIND_COLOR) for s, e in found]

    def highlights_at(self, pos: int) -> list[Highlight]:
        return self.overlapping(pos, pos + 1)


class DocumentFinder:
    def __init__(self, bar: FindBar, view: ArabicTextView, folds: FoldCache | None = None) -> None:
        self.bar = bar
        self.view = view
        # Folded once per document and kept: the first find in a large
        # document must not wait for a fold of the whole text.
        self.folds = folds or FoldCache()
        self.hits: Sequence[tuple[int, int]] = []
        self.hit: int | None = None
        self.painter = view.add_layer("find", HitPainter())
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
        self.hits = self._hits(query) if query else []
        self.painter.show(self.hits)
        self.hit = None
        self.view.refresh_highlights()
        if self.hits:
            first = self.hits.first_from(self.view.selection()[0])
            self._show(first if first < len(self.hits) else 0)
        else:
            self.bar.set_count(None, 0)

    def _hits(self, query: str) -> Sequence[tuple[int, int]]:
        text = self.view.text
        folding = self.folds.future(text)
        if not folding.done():
            # The fold of a big document is still running as it opens: a
            # query the original text can answer exactly does not wait.
            found = unfolded_hits(text, query)
            if found is not None:
                return found
        return folding.result().hits(query)

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
        self.painter.show([])
        self.view.refresh_highlights()
        self.view.setFocus()
