"""The open document's suggestions as dashed highlights, read from its
SuggestionTable for the lines on screen only: no Highlight is kept per
suggestion (a 20 MB document has 1.85 million; issue 15)."""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.suggest.table import SuggestionTable
from annotator.gui.highlights import Highlight, Style, TablePainter


class SuggestionPainter(TablePainter):
    """Shown rows of a SuggestionTable; flags changed in the table show at
    the next paint."""

    def __init__(self) -> None:
        self.enabled = True
        self.color_of: Callable[[str], str] = lambda _label: "#888888"
        super().__init__(lambda: SuggestionTable(0, ""))

    def show(self, table: SuggestionTable, color_of: Callable[[str], str]) -> None:
        self.table, self.color_of = table, color_of

    def __len__(self) -> int:
        return self.table.shown_count if self.enabled else 0

    def highlight(self, row: int) -> Highlight:
        start, end, label = self.table.place(row)
        return Highlight(start, end, self.color_of(label), Style.DASHED, key=(start, end, label))

    def overlapping(self, start: int, end: int) -> list[Highlight]:
        if not self.enabled:
            return []
        shown = self.table.shown
        return [self.highlight(r) for r in self.table.overlapping(start, end) if shown[r]]

    def highlights_at(self, pos: int) -> list[Highlight]:
        """Highlights holding ``pos``, innermost first."""
        return sorted(self.overlapping(pos, pos + 1), key=lambda h: h.end - h.start)
