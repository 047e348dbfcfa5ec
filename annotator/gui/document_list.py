"""The document list: name, this annotator's status, span counts per label,
filterable by status. A thin Qt model over the store's list reads
(store.listing), a page of rows at a time."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView, QVBoxLayout, QWidget

from annotator.core.model import Status
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
PAGE_ROWS = 200  # rows read from the store at a time
MAX_PAGES = 50  # pages kept: a few screens of scrolling back and forth


@dataclass
class _Row:
    id: int
    name: str
    chars: int
    title: str
    status: Status
    counts: dict[str, int]  # label -> spans in the shown layer


@dataclass
class _Page:
    rows: list[_Row]
    index: dict[int, int] = field(init=False)  # document id -> position in rows

    def __post_init__(self) -> None:
        self.index = {r.id: n for n, r in enumerate(self.rows)}

class DocumentListModel(QAbstractTableModel):
    """The documents of one layer's list (all, or one status), read from the
    store a page of rows at a time as they are shown: at 100,000 documents
    the window starts without reading every row (issue 15). Edits made in
    the window update the pages already read; a page read later comes from
    the store, which already holds them."""

    def __init__(self) -> None:
        super().__init__()
        self.project: Project | None = None
        self.layer = ""
        self.status: Status | None = None  # the filter: None shows every document
        self.labels: list[str] = []
        self.document_count = 0  # every document, whatever the filter
        self._count = 0  # rows shown
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self._row_cache: dict[int, int | None] = {}
        self._done: int | None = None  # shown documents done, counted when asked

    def reload(self, project: Project, layer: str) -> None:
        self.beginResetModel()
        self.project, self.layer = project, layer
        self.labels = [t.name for t in project.tags()]
        self.document_count = project.document_count()
        self._reset_rows()
        self.endResetModel()

    def set_filter(self, status: Status | None) -> None:
        if status == self.status:
            return
        self.beginResetModel()
        self.status = status
        self._reset_rows()
        self.endResetModel()

    def _reset_rows(self) -> None:
        self._pages.clear()
        self._row_cache.clear()
        self._done = None
        self._count = 0 if self.project is None else self.project.listed_count(self.layer, self.status)

    # -- rows from the store -------------------------------------------------------

    def _page(self, number: int) -> _Page:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        assert self.project is not None
        rows = self.project.listed_page(self.layer, self.status, number * PAGE_ROWS, PAGE_ROWS)
        # The shown layer's counts for these rows only (issue 15).
        counts = self.project.span_counts_of(self.layer, [r.id for r in rows])
        page = _Page([_Row(r.id, r.name, r.chars,
                           document_title(r.name, r.head, r.meta), r.status, counts.get(r.id, {}))
                      for r in rows])
        self._pages[number] = page
        if len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _row(self, row: int) -> _Row | None:
        # None: another program removed documents since the count; its
        # change reloads the list within a second (external_changes).
        rows = self._page(row // PAGE_ROWS).rows
        return rows[row % PAGE_ROWS] if row % PAGE_ROWS < len(rows) else None

    def _cached(self, document_id: int) -> tuple[int, _Row] | None:
        """(row, cached row) of a document on a page already read."""
        for number, page in self._pages.items():
            at = page.index.get(document_id)
            if at is not None:
                return number * PAGE_ROWS + at, page.rows[at]
        return None

    def row_of(self, document_id: int) -> int | None:
        """The document's row, None when the list does not show it."""
        cached = self._cached(document_id)
        if cached is not None:
            return cached[0]
        if document_id not in self._row_cache:
            if self.project is None:
                return None
            if len(self._row_cache) > 64:
                self._row_cache.clear()
            self._row_cache[document_id] = self.project.listed_row(document_id, self.layer, self.status)
        return self._row_cache[document_id]

    def document_id(self, row: int) -> int | None:
        found = self._row(row)
        return found.id if found is not None else None

    def title_of(self, document_id: int) -> str | None:
        cached = self._cached(document_id)
        if cached is not None:
            return cached[1].title
        head = self.project.document_head(document_id) if self.project is not None else None
        return document_title(*head) if head is not None else None

    @property
    def counts(self) -> dict[int, dict[str, int]]:
        """Span counts per label of the rows read so far that have spans."""
        return {r.id: {k: v for k, v in r.counts.items() if v} for page in self._pages.values()
                for r in page.rows if any(r.counts.values())}

    def done_count(self) -> int:
        """How many shown documents are done (counted again after a status
        change, not on every document opened: 20 ms at 100,000)."""
        if self._done is None:
            self._done = self.project.listed_done(self.layer, self.status) \
                if self.project is not None else 0
        return self._done

    def set_status(self, document_id: int, status: Status) -> None:
        cached = self._cached(document_id)
        if cached is not None and self._done is not None and self.status is None:
            # Counted again by the store it would be 26 ms at 100,000
            # documents on every first edit of a document (todo -> in progress).
            self._done += (status is Status.DONE) - (cached[1].status is Status.DONE)
        elif self.status is None or self.status is Status.DONE:
            self._done = None  # the old status is not known here: count again
        if cached is not None:
            cached[1].status = status
        if self.status is not None:
            # A filtered list drops a row whose status no longer matches and
            # takes in one that now does, as a filtering proxy would.
            self._refilter(document_id, status)
            return
        if cached is not None:
            self.dataChanged.emit(self.index(cached[0], 1), self.index(cached[0], 1))

    def _refilter(self, document_id: int, status: Status) -> None:
        assert self.project is not None
        row = self.row_of(document_id)
        if row is not None and status is not self.status:
            self.beginRemoveRows(QModelIndex(), row, row)
            self._drop_rows_from(row)
            self._count -= 1
            self.endRemoveRows()
        elif row is None and status is self.status:
            self._row_cache.clear()
            row = self.project.listed_row(document_id, self.layer, self.status)
            if row is None:
                return
            self.beginInsertRows(QModelIndex(), row, row)
            self._drop_rows_from(row)
            self._count += 1
            self.endInsertRows()
        elif row is not None:
            self.dataChanged.emit(self.index(row, 1), self.index(row, 1))

    def _drop_rows_from(self, row: int) -> None:
        """Forget the pages at and after ``row``: their row numbers moved."""
        for number in [n for n in self._pages if (n + 1) * PAGE_ROWS > row]:
            del self._pages[number]
        self._row_cache.clear()

    def add_count(self, document_id: int, label: str, delta: int) -> None:
        cached = self._cached(document_id)
        if cached is None:
            return  # read from the store, which holds the edit, when shown
        row, entry = cached
        entry.counts[label] = entry.counts.get(label, 0) + delta
        if label in self.labels:
            column = 2 + self.labels.index(label)
            self.dataChanged.emit(self.index(row, column), self.index(row, column))

    # -- Qt model interface ------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 2 + len(self.labels)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation != Qt.Horizontal or role != Qt.DisplayRole:
            return None
        return (["Document", "Status"] + self.labels)[section]

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._count:
            return None
        doc = self._row(index.row())
        if doc is None:
            return None
        column = index.column()
        if role == DISPLAY:
            if column == 0:
                return doc.title
            if column == 1:
                return STATUS_TEXT[doc.status]
            return doc.counts.get(self.labels[column - 2], 0)
        if role == DOCUMENT_ID:
            return doc.id
        if role == STATUS_ROLE:
            return doc.status.value
        if role == TOOLTIP and column == 0:
            counts = ", ".join(f"{label} {doc.counts.get(label, 0)}" for label in self.labels)
            return f"{doc.title}\nFile: {doc.name} — {doc.chars:,} characters\n{counts}"
        if role == ALIGNMENT and column >= 2:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class StatusFilter(QIdentityProxyModel):
    """The status filter in front of the list. The model filters in SQL
    (a filtering proxy would ask Python about every one of 100,000 rows);
    this proxy passes its rows through."""

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None

    def set_status(self, status: str | None) -> None:
        self.status = status
        source = self.sourceModel()
        if isinstance(source, DocumentListModel):
            source.set_filter(Status(status) if status is not None else None)


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
            self._size_columns()
            self._fit_columns()
        finally:
            self._quiet = False

    def _size_columns(self) -> None:
        # Widths from what the columns can hold, not ResizeToContents: a
        # hidden table measures every row, 100,000 of them read from the store.
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        header_metrics = header.fontMetrics()
        counts = metrics.horizontalAdvance("99999")
        for column in range(1, self.model.columnCount()):
            title = header_metrics.horizontalAdvance(str(self.model.headerData(column, Qt.Horizontal)))
            cells = max(metrics.horizontalAdvance(t) for t in STATUS_TEXT.values()) if column == 1 \
                else counts
            header.setSectionResizeMode(column, QHeaderView.Interactive)
            header.resizeSection(column, max(title, cells) + 24)

    def shown_ids(self) -> list[int]:
        """Document ids in the (filtered) list's order, from the store (every
        row: for tests and small lists; the window never needs them all)."""
        model = self.model
        if model.project is None:
            return []
        return model.project.listed_ids(model.layer, model.status)

    def progress_text(self) -> str:
        """ "12 of 40 done" over the listed documents, counted by the store."""
        return f"{self.model.done_count()} of {self.model.rowCount()} done"

    def step_from(self, document_id: int | None, step: int) -> int | None:
        """The document ``step`` rows from ``document_id`` in the shown list,
        wrapping; from before the first row when it is not shown; over every
        document when the filter shows none. One row number and one page
        from the store, whatever the size of the list."""
        model = self.model
        shown = model.rowCount()
        if shown == 0:
            if model.project is None or model.document_count == 0:
                return None
            here = model.project.listed_row(document_id, model.layer) if document_id is not None else None
            target = ((-1 if here is None else here) + step) % model.document_count
            return model.project.listed_page(model.layer, None, target, 1)[0].id
        row = model.row_of(document_id) if document_id is not None else None
        here = -1 if row is None else row
        return model.document_id((here + step) % shown)

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
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else QModelIndex()
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
