"""Painting span highlights over a laid-out text, visible lines only.

Reusable by any view of a document (the annotation window, the review
screen): give it (start, end, colour, style) in code points. Nested spans
stay visible because styles stack: backgrounds are translucent and drawn
under the text; underlines (with lanes for several at one place) and frames
are drawn over it. Rectangles come from QTextLine.glyphRuns, which is right
for mixed Arabic/Latin/digit lines, where two cursorToX calls would not be.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextLine

from annotator.core.text.intervals import IntervalIndex
from annotator.core.text.offsets import Utf16Index


class Style(enum.Enum):
    BACKGROUND = "background"
    UNDERLINE = "underline"
    FRAME = "frame"
    DASHED = "dashed"  # a suggestion, not yet a span (annotator/gui/suggestions.py)


class Highlight(NamedTuple):
    # A tuple, not a dataclass: a big document makes 20,000 of these at once.
    start: int  # code points, end exclusive
    end: int
    color: str  # any QColor name, "#rrggbb"
    style: Style = Style.BACKGROUND
    lane: int = 0  # underlines: 0 nearest the text, 1 below it, ...
    key: object = None  # e.g. the span id


@dataclass(frozen=True)
class VisibleLine:
    """One laid-out line on screen, positions in UTF-16 units."""

    start: int
    end: int
    block_position: int
    line: QTextLine
    origin: QPointF  # where the block's layout is drawn in the viewport


BACKGROUND_ALPHA = 80
UNDERLINE_WIDTH = 3.0


class HighlightPainter:
    def __init__(self, highlights: Iterable[Highlight] = ()) -> None:
        self.set_highlights(highlights)

    def set_highlights(self, highlights: Iterable[Highlight]) -> None:
        self._index: IntervalIndex[Highlight] = IntervalIndex((h.start, h.end, h) for h in highlights)

    def __len__(self) -> int:
        return len(self._index)

    def add(self, highlight: Highlight) -> None:
        self._index.add((highlight.start, highlight.end, highlight))

    def remove(self, highlight: Highlight) -> None:
        self._index.remove(highlight.start, highlight.end, highlight)

    def highlights_at(self, pos: int) -> list[Highlight]:
        """Highlights holding ``pos``, innermost first."""
        return [it[2] for it in self._index.at(pos)]

    def overlapping(self, start: int, end: int) -> list[Highlight]:
        """Highlights meeting [start, end) of the text (code points)."""
        return [it[2] for it in self._index.overlapping(start, end)]

    def _rects(self, offsets: Utf16Index, lines: Sequence[VisibleLine],
               styles: set[Style]) -> list[tuple[Highlight, QRectF, VisibleLine]]:
        if not lines:
            return []
        first = offsets.to_cp(lines[0].start)
        last = offsets.to_cp(min(lines[-1].end, offsets.utf16_length))
        starts = [ln.start for ln in lines]
        ends = [ln.end for ln in lines]
        found = []
        for hl in self.overlapping(first, last + 1):
            if hl.style not in styles:
                continue
            hs, he = offsets.to_utf16(hl.start), offsets.to_utf16(hl.end)
            # Lines meeting [hs, he): ends are sorted as starts are.
            for ln in lines[bisect_right(ends, hs):bisect_left(starts, he)]:
                a, b = max(hs, ln.start), min(he, ln.end)
                if a >= b:
                    continue
                for run in ln.line.glyphRuns(a - ln.block_position, b - a):
                    box = run.boundingRect()
                    if box.width() <= 0:
                        continue
                    rect = QRectF(ln.origin.x() + box.x(), ln.origin.y() + ln.line.y(),
                                  box.width(), ln.line.height())
                    found.append((hl, rect, ln))
        return found

    def paint_under_text(self, painter: QPainter, offsets: Utf16Index,
                         lines: Sequence[VisibleLine]) -> None:
        painter.setPen(Qt.NoPen)
        colors: dict[str, QColor] = {}
        for hl, rect, _ in self._rects(offsets, lines, {Style.BACKGROUND}):
            color = colors.get(hl.color)
            if color is None:
                color = colors[hl.color] = QColor(hl.color)
                color.setAlpha(BACKGROUND_ALPHA)
            painter.fillRect(rect, color)

    def paint_over_text(self, painter: QPainter, offsets: Utf16Index,
                        lines: Sequence[VisibleLine]) -> None:
        painter.setRenderHint(QPainter.Antialiasing, False)
        for hl, rect, _ in self._rects(offsets, lines, {Style.UNDERLINE, Style.FRAME, Style.DASHED}):
            color = QColor(hl.color)
            if hl.style is Style.UNDERLINE:
                # Kept clear of the line's last pixels, where a selection frame goes.
                y = rect.bottom() - 3 - UNDERLINE_WIDTH * (1.5 * hl.lane + 1)
                painter.fillRect(QRectF(rect.left(), y, rect.width(), UNDERLINE_WIDTH), color)
            else:
                pen = QPen(color, 2)
                box = rect.adjusted(1, 1, -1, -1)
                if hl.style is Style.DASHED:
                    pen.setStyle(Qt.DashLine)
                    box = rect.adjusted(-2, 1, 2, -1)  # clear of the first and last letters
                painter.setPen(pen)
                painter.setBrush(Qt.NoBrush)
                painter.drawRect(box)


class TablePainter(HighlightPainter):
    """A highlight layer read from a table of the open document's rows (a
    SpanTable, a SuggestionTable) for the lines on screen only: edits of the
    table show at the next paint, and nothing is kept or added here."""

    def __init__(self, empty: Callable[[], Any]) -> None:
        self._empty = empty
        super().__init__()  # set_highlights(()): the empty table

    def set_highlights(self, highlights: Iterable[Highlight]) -> None:
        # The view empties every layer when its text changes; this layer's
        # rows come from the table the window shows next.
        if any(True for _ in highlights):
            raise TypeError(f"{type(self).__name__} shows a table: use show()")
        self.table = self._empty()

    def add(self, highlight: Highlight) -> None:
        raise TypeError("edit the table instead")

    def remove(self, highlight: Highlight) -> None:
        raise TypeError("edit the table instead")
