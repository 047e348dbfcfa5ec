"""The document list: name, this annotator's status, span counts per label,
filterable by status. A thin Qt model over plain project reads."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView, QVBoxLayout, QWidget

from annotator.core.model import DocumentInfo, Status
from annotator.core.text.orientation import document_title
from annotator.core.store import Project

STATUS_TEXT = {Status.TODO: "to do", Status.IN_PROGRESS: "in progress", Status.DONE: "done ✓"}
_Index = QModelIndex | QPersistentModelIndex
COUNTS_MIN_WIDTH = 360


# Plain ints: comparing against Qt's enum members costs microseconds per
# call, and data() runs for every painted cell.
DISPLAY, TOOLTIP, DECORATION = int(Qt.DisplayRole), int(Qt.ToolTipRole), int(Qt.DecorationRole)
ALIGNMENT, FONT = int(Qt.TextAlignmentRole), int(Qt.FontRole)
DOCUMENT_ID, STATUS_ROLE = int(Qt.UserRole), int(Qt.UserRole) + 1

class DocumentListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.documents: list[DocumentInfo] = []
        self.statuses: dict[int, Status] = {}
        self.counts: dict[int, dict[str, int]] = {}
        self.labels: list[str] = []
        self.titles: dict[int, str] = {}
        self._rows: dict[int, int] = {}

    def reload(self, project: Project, layer: str) -> None:
        self.beginResetModel()
        self.documents = project.documents()
        heads = project.document_heads()
        self.titles = {d.id: document_title(d.name, *heads.get(d.id, ("", {}))) for d in self.documents}
        self.statuses = project.statuses(layer)
        self.labels = [t.name for t in project.tags()]
        # The shown layer only (issue 15); add_count keeps it current.
        self.counts = project.layer_span_counts(layer)
        self._rows = {d.id: row for row, d in enumerate(self.documents)}
        self.endResetModel()

    def row_of(self, document_id: int) -> int | None:
        return self._rows.get(document_id)

    def title_of(self, document_id: int) -> str | None:
        return self.titles.get(document_id)

    def document_id(self, row: int) -> int:
        return self.documents[row].id

    def set_status(self, document_id: int, status: Status) -> None:
        self.statuses[document_id] = status
        self._changed(document_id, 1, 1)

    def add_count(self, document_id: int, label: str, delta: int) -> None:
        per = self.counts.setdefault(document_id, {})
        per[label] = per.get(label, 0) + delta
        if label in self.labels:
            column = 2 + self.labels.index(label)
            self._changed(document_id, column, column)

    def _changed(self, document_id: int, first: int, last: int) -> None:
        row = self._rows.get(document_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, first), self.index(row, last))

    # -- Qt model interface ------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 2 + len(self.labels)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation != Qt.Horizontal or role != Qt.DisplayRole:
            return None
        return (["Document", "Status"] + self.labels)[section]

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self.documents[index.row()]
        column = index.column()
        if role == DISPLAY:
            if column == 0:
                return self.titles.get(doc.id, doc.name)
            if column == 1:
                return STATUS_TEXT[self.statuses.get(doc.id, Status.TODO)]
            return self.counts.get(doc.id, {}).get(self.labels[column - 2], 0)
        if role == DOCUMENT_ID:
            return doc.id
        if role == STATUS_ROLE:
            return self.statuses.get(doc.id, Status.TODO).value
        if role == TOOLTIP and column == 0:
            counts = ", ".join(f"{label} {self.counts.get(doc.id, {}).get(label, 0)}" for label in self.labels)
            return (f"{self.titles.get(doc.id, doc.name)}\nFile: {doc.name} — {doc.chars:,} characters"
                    f"\n{counts}")
        if role == ALIGNMENT and column >= 2:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class StatusFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None

    def set_status(self, status: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10 deprecates invalidateRowsFilter
            self.beginFilterChange()
            self.status = status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.status = status
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:
        if self.status is None:
            return True
        index = self.sourceModel().index(row, 0, parent)
        return index.data(STATUS_ROLE) == self.status


class DocumentList(QWidget):
    """Filter box above a table of documents; emits the chosen document id."""

    documentChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel()
        self.proxy = StatusFilter()
        self.proxy.setSourceModel(self.model)
        self.filter = QComboBox()
        self.filter.addItem("All documents", None)
        for status in Status:
            self.filter.addItem(f"Only {STATUS_TEXT[status]}", status.value)
        self.filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_status(self.filter.currentData()))
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        # Tab leaves the table (moving between cells would trap it; F6 cycles panes).
        self.table.setTabKeyNavigation(False)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        self._quiet = False

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        # A narrow list keeps the title readable: the per-label counts
        # (also in the title's tooltip) come back when there is room.
        narrow = self.width() < COUNTS_MIN_WIDTH
        for column in range(2, self.model.columnCount()):
            self.table.setColumnHidden(column, narrow)

    def reload(self, project: Project, layer: str) -> None:
        self._quiet = True
        try:
            self.model.reload(project, layer)
            for column in range(1, self.model.columnCount()):
                self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeToContents)
            self._fit_columns()
        finally:
            self._quiet = False

    def shown_ids(self) -> list[int]:
        """Document ids in the (filtered) list's order. Read from the model's
        lists, not through a QModelIndex per row (100k documents: 0.5 s);
        the proxy filters by status and does not sort."""
        status, statuses = self.proxy.status, self.model.statuses
        if status is None:
            return [d.id for d in self.model.documents]
        return [d.id for d in self.model.documents
                if statuses.get(d.id, Status.TODO).value == status]

    def step_from(self, document_id: int | None, step: int) -> int | None:
        """The document ``step`` rows from ``document_id`` in the shown list,
        wrapping; from before the first row when it is not shown; over every
        document when the filter shows none. Maps one row through the proxy
        instead of listing every shown id."""
        shown = self.proxy.rowCount()
        if shown == 0:
            order = [d.id for d in self.model.documents]
            if not order:
                return None
            here = order.index(document_id) if document_id in order else -1
            return order[(here + step) % len(order)]
        row = self.model.row_of(document_id) if document_id is not None else None
        here = self.proxy.mapFromSource(self.model.index(row, 0)).row() if row is not None else -1
        target = self.proxy.mapToSource(self.proxy.index((here + step) % shown, 0))
        return self.model.document_id(target.row())

    def refresh(self, project: Project, layer: str, current: int | None) -> None:
        """Reload (another program changed the project) keeping the filter,
        the current row and the scroll position, without emitting
        documentChosen."""
        bar = self.table.verticalScrollBar()
        scrolled = bar.value()
        self.reload(project, layer)
        if current is not None:
            self.select(current, scroll=False)
        bar.setValue(scrolled)

    def select(self, document_id: int, scroll: bool = True) -> None:
        """Make the document current without emitting documentChosen."""
        row = self.model.row_of(document_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self._quiet = True
        try:
            if index.isValid():
                self.table.setCurrentIndex(index)
                if scroll:
                    self.table.scrollTo(index)
            else:
                self.table.clearSelection()
        finally:
            self._quiet = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self.documentChosen.emit(current.data(Qt.UserRole))
