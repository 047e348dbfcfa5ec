"""Qt item models of the claims view: the claim rows of a ClaimTable
(handed to the view in batches as it scrolls), the candidates of the
selected claim, and the choices of a filter box. Rows are formatted when
painted."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.claims.clusters import Claim
from annotator.core.claims.table import ClaimTable

if TYPE_CHECKING:
    from annotator.core.claims.similarity import Candidate

_Index = QModelIndex | QPersistentModelIndex
ALL = "(all)"
# Rows handed to the view at a time (canFetchMore / fetchMore): the view
# asks for more as it scrolls, so opening costs the first screenfuls only.
BATCH = 2000


class ClaimsModel(QAbstractTableModel):
    """The shown rows of a ClaimTable (span ids in row order), formatted
    when painted."""

    HEADERS = ("Cluster", "Document", "Claim", "Speaker", "Date", "Links")

    def __init__(self, table: ClaimTable | None = None) -> None:
        super().__init__()
        self.table = table
        self.shown: list[int] = []
        self._exposed = 0

    def set_rows(self, table: ClaimTable, shown: list[int]) -> None:
        self.beginResetModel()
        self.table, self.shown = table, shown
        self._exposed = min(len(shown), BATCH)
        self.endResetModel()

    @property
    def rows(self) -> list[Claim]:
        """Every shown claim (built on demand: tests and small projects)."""
        assert self.table is not None
        return [self.table.claim(span_id) for span_id in self.shown]

    def row_of(self, span_id: int) -> int:
        """The row of a shown claim (fetched into the view if need be), or -1."""
        try:
            row = self.shown.index(span_id)
        except ValueError:
            return -1
        if row >= self._exposed:
            self._expose(row + 1 + BATCH)
        return row

    def span_at(self, row: int) -> int | None:
        return self.shown[row] if 0 <= row < self._exposed else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._exposed

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._exposed < len(self.shown)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if not parent.isValid():
            self._expose(self._exposed + BATCH)

    def _expose(self, wanted: int) -> None:
        wanted = min(wanted, len(self.shown))
        if wanted > self._exposed:
            self.beginInsertRows(QModelIndex(), self._exposed, wanted - 1)
            self._exposed = wanted
            self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        table = self.table
        assert table is not None
        span_id = self.shown[index.row()]
        _, document, start, end = table.rows[span_id]
        if role == Qt.ToolTipRole:
            return f"span {span_id}, document {document} [{start}, {end})"
        column = index.column()
        if column == 0:
            return f"#{table.cluster_of(span_id)} ({table.cluster_size(span_id)})"
        if column == 1:
            return table.title(document)
        if column == 2:
            return table.text(span_id)
        if column == 3:
            return ", ".join(table.speakers.get(span_id, ()))
        if column == 4:
            return ", ".join(table.dates.get(span_id, ()))
        against = table.contradicted_clusters(span_id)
        return "contradicts " + ", ".join(f"#{c}" for c in sorted(against)) if against else ""


class ChoiceModel(QAbstractListModel):
    """The choices of a filter box: keys, labelled when shown (10,000
    documents at scale: their titles are read as the list scrolls)."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[object] = []
        self.label: Callable[[object], str] = str

    def set_choices(self, keys: list, label: Callable[[object], str]) -> None:
        self.beginResetModel()
        self.keys, self.label = keys, label
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.keys) + 1

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        if role == Qt.DisplayRole:
            return ALL if row == 0 else self.label(self.keys[row - 1])[:60]
        if role == Qt.UserRole:
            return None if row == 0 else self.keys[row - 1]
        return None

    def row_of(self, key: object) -> int:
        """The row of a key (0, "(all)", when gone) without reading labels."""
        if key is None:
            return 0
        try:
            return self.keys.index(key) + 1
        except ValueError:
            return 0


class CandidatesModel(QAbstractTableModel):
    HEADERS = ("Score", "Document", "Claim", "Shared words", "Hints")

    def __init__(self) -> None:
        super().__init__()
        self.candidates: list["Candidate"] = []

    def set_candidates(self, candidates: list["Candidate"]) -> None:
        self.beginResetModel()
        self.candidates = candidates
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.candidates)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid() or role != Qt.DisplayRole:
            return None
        c = self.candidates[index.row()]
        return (f"{c.score:.3f}", c.claim.document_title, c.claim.text,
                " ".join(c.shared_words), "; ".join(c.hints))[index.column()]
