"""The current document's spans in this annotator's layer, by position.

Rows are kept sorted by (start, longer first, label, id) so an edit inserts
or removes one row (a 20,000-span document is never rebuilt per edit); the
excerpt is cut only when a row is painted.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.core.model import Span
from annotator.core.text.orientation import LineIndex
from annotator.gui.fonts import arabic_font

_Index = QModelIndex | QPersistentModelIndex
EXCERPT_CHARS = 60
SPAN_ID_ROLE = int(Qt.UserRole)


def _key(span: Span) -> tuple[int, int, str, int]:
    return (span.start, -span.end, span.label, span.id)


# Plain ints: comparing against Qt's enum members costs microseconds per
# call, and data() runs for every painted cell.
DISPLAY, TOOLTIP, DECORATION = int(Qt.DisplayRole), int(Qt.ToolTipRole), int(Qt.DecorationRole)
ALIGNMENT, FONT = int(Qt.TextAlignmentRole), int(Qt.FontRole)

class SpanListModel(QAbstractTableModel):
    HEADERS = ["Label", "Text", "✎", "Line:col"]

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self.lines = LineIndex("")
        self.spans: list[Span] = []
        self._keys: list[tuple[int, int, str, int]] = []
        self.colors: dict[str, QColor] = {}
        self._font = arabic_font(11)  # data() runs per painted cell: build once

    def set_spans(self, text: str, spans: list[Span], colors: dict[str, str]) -> None:
        self.beginResetModel()
        self.text = text
        self.lines = LineIndex(text)
        self.spans = sorted(spans, key=_key)
        self._keys = [_key(s) for s in self.spans]
        self.colors = {label: QColor(color) for label, color in colors.items()}
        self.endResetModel()

    def row_of(self, span_id: int) -> int | None:
        for row, key in enumerate(self._keys):
            if key[3] == span_id:
                return row
        return None

    def row_of_span(self, span: Span) -> int | None:
        row = bisect_left(self._keys, _key(span))
        return row if row < len(self.spans) and self.spans[row].id == span.id else None

    def insert(self, span: Span) -> int:
        row = bisect_left(self._keys, _key(span))
        self.beginInsertRows(QModelIndex(), row, row)
        self.spans.insert(row, span)
        self._keys.insert(row, _key(span))
        self.endInsertRows()
        return row

    def remove(self, span: Span) -> None:
        row = self.row_of_span(span)
        if row is None:
            row = self.row_of(span.id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.spans[row]
        del self._keys[row]
        self.endRemoveRows()

    # -- Qt model interface ------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def excerpt(self, span: Span) -> str:
        piece = self.text[span.start:min(span.end, span.start + EXCERPT_CHARS)]
        piece = piece.replace("\n", " ⏎ ")
        return piece + ("…" if span.end - span.start > EXCERPT_CHARS else "")

    def nesting_text(self, spans: list[Span]) -> str:
        """Spans under the pointer, innermost first, each inside the next."""
        lines = []
        for span in spans:
            detail = ", ".join(f"{k}={v}" for k, v in span.attributes.items())
            lines.append(f"{span.label}{f' ({detail})' if detail else ''}: {self.excerpt(span)}")
        return "\n⊂ ".join(lines)

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        span = self.spans[index.row()]
        column = index.column()
        if role == DISPLAY:
            if column == 0:
                detail = span.attributes.get("type") or span.attributes.get("value")
                unsure = " ?" if span.attributes.get("unsure") else ""
                return f"{span.label}{f' {detail}' if detail else ''}{unsure}"
            if column == 1:
                return self.excerpt(span)
            if column == 3:
                return self.lines.position_text(span.start, span.end)
            return "✎" if span.note else ""
        if role == TOOLTIP:
            where = f"{self.lines.position_text(span.start, span.end)}, offsets [{span.start}, {span.end})"
            return f"{span.label} at {where}" + (f"\nNote: {span.note}" if span.note else "")
        if role == DECORATION and column == 0:
            return self.colors.get(span.label)
        if role == ALIGNMENT and column == 1:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == FONT and column == 1:
            return self._font
        if role == SPAN_ID_ROLE:
            return span.id
        return None


class SpanList(QTableView):
    """Selecting a row emits spanChosen(span id)."""

    spanChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.span_model = SpanListModel()
        self.setModel(self.span_model)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        # Tab leaves the list instead of walking its cells (F6 cycles panes).
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        # Fixed row heights: a 20,000-row list must not measure every row.
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        # Fixed widths, never ResizeToContents: that measures all 20,000 rows
        # on every insert.
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.Fixed)
        header.setSectionResizeMode(3, QHeaderView.Interactive)
        header.resizeSection(0, 130)
        header.resizeSection(3, 64)
        header.resizeSection(2, 26)
        self._quiet = False
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def select_span(self, span_id: int | None, span: Span | None = None) -> None:
        """Show a span's row as current without emitting spanChosen."""
        self._quiet = True
        try:
            row = None
            if span is not None:
                row = self.span_model.row_of_span(span)
            if row is None and span_id is not None:
                row = self.span_model.row_of(span_id)
            if row is None:
                self.clearSelection()
                self.setCurrentIndex(QModelIndex())
            else:
                index = self.span_model.index(row, 0)
                self.setCurrentIndex(index)
                self.scrollTo(index)
        finally:
            self._quiet = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self.spanChosen.emit(current.data(SPAN_ID_ROLE))
