"""The current document's spans in this annotator's layer, by position.

Rows are kept sorted by (start, longer first, label, id) so an edit inserts
or removes one row (a 20,000-span document is never rebuilt per edit); the
excerpt is cut only when a row is painted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, overload

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.core.model import Span
from annotator.core.span_table import SpanTable
from annotator.core.text.orientation import LineIndex
from annotator.gui.fonts import arabic_font

_Index = QModelIndex | QPersistentModelIndex
EXCERPT_CHARS = 60
SPAN_ID_ROLE = int(Qt.UserRole)


# Plain ints: comparing against Qt's enum members costs microseconds per
# call, and data() runs for every painted cell.
DISPLAY, TOOLTIP, DECORATION = int(Qt.DisplayRole), int(Qt.ToolTipRole), int(Qt.DecorationRole)
ALIGNMENT, FONT = int(Qt.TextAlignmentRole), int(Qt.FontRole)


class SpanRows(Sequence[Span]):
    """The list's rows as spans, built when read (a row per table entry)."""

    def __init__(self, table: SpanTable) -> None:
        self.table = table

    def __len__(self) -> int:
        return len(self.table)

    @overload
    def __getitem__(self, row: int) -> Span: ...

    @overload
    def __getitem__(self, row: slice) -> list[Span]: ...

    def __getitem__(self, row: int | slice) -> Span | list[Span]:
        if isinstance(row, slice):
            return [self.table.span_at(r) for r in range(len(self.table))[row]]
        if row < 0:
            row += len(self.table)
        if not 0 <= row < len(self.table):
            raise IndexError(row)
        return self.table.span_at(row)

    def index(self, span: Any, start: int = 0, stop: int | None = None) -> int:
        row = self.table.row_of(span.id) if isinstance(span, Span) else None
        if row is None or self.table.span_at(row) != span:
            raise ValueError(f"{span!r} is not in the list")
        return row


class SpanListModel(QAbstractTableModel):
    """Rows of the window's SpanTable (shared: the window reads the same
    table as ``window.spans``); an edit goes through ``insert``/``remove``
    here so the view hears of it."""

    HEADERS = ["Label", "Text", "✎", "Line:col"]

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self._lines: LineIndex | None = None
        self.table = SpanTable(0, "")
        self.colors: dict[str, QColor] = {}
        self._font = arabic_font(11)  # data() runs per painted cell: build once

    @property
    def spans(self) -> SpanRows:
        return SpanRows(self.table)

    @property
    def lines(self) -> LineIndex:
        # Built when a row is first painted, not as the document opens.
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def set_spans(self, text: str, spans: SpanTable | Iterable[Span], colors: dict[str, str]) -> None:
        self.beginResetModel()
        self.text = text
        self._lines = None
        if not isinstance(spans, SpanTable):
            spans = list(spans)
            first = spans[0] if spans else None
            spans = SpanTable.from_spans(first.document_id if first else 0,
                                         first.layer if first else "", spans)
        self.table = spans
        self.colors = {label: QColor(color) for label, color in colors.items()}
        self.endResetModel()

    def row_of(self, span_id: int) -> int | None:
        return self.table.row_of(span_id)

    def row_of_span(self, span: Span) -> int | None:
        return self.table.row_of(span.id)

    def insert(self, span: Span) -> int:
        row = self.table.row_for_key((span.start, -span.end, span.label, span.id))
        self.beginInsertRows(QModelIndex(), row, row)
        self.table.insert(span)
        self.endInsertRows()
        return row

    def remove(self, span: Span) -> None:
        row = self.table.row_of(span.id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self.table.remove(span.id)
        self.endRemoveRows()

    # -- Qt model interface ------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.table)

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
        span = self.table.span_at(index.row())
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
