"""The claims view: every CLAIM of the annotator's layer across the project,
grouped by cluster (SAME_AS), searchable and filtered, with the selected
claim's candidates from other documents. S links the chosen candidate as
SAME_AS, C as CONTRADICTS, U unlinks; each is one undo step on the
window's undo stack. Enter (or a double click) opens the claim in its
document. Both tables are lazy models: a row is formatted when painted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.claims.clusters import Claim, ClaimCluster, cluster_claims, load_claims
from annotator.core.claims.edits import LinkClaims, UnlinkClaims
from annotator.core.claims.similarity import Candidate, ClaimIndex
from annotator.core.errors import AnnotatorError
from annotator.core.store import Project
from annotator.core.text.search import fold
from annotator.gui.commands import EditCommand, push

_Index = QModelIndex | QPersistentModelIndex
ALL = "(all)"


class ClaimsModel(QAbstractTableModel):
    HEADERS = ("Cluster", "Document", "Claim", "Speaker", "Date", "Links")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[ClaimCluster, Claim]] = []
        self._all: list[tuple[ClaimCluster, Claim]] = []
        self._folded: list[str] | None = None  # made on the first search only

    def set_clusters(self, clusters: list[ClaimCluster]) -> None:
        self.beginResetModel()
        self._all = [(c, m) for c in clusters for m in c.members]
        self.rows = self._all
        self._folded = None
        self.endResetModel()

    def apply_filter(self, text: str = "", document: int | None = None,
                     speaker: str | None = None, contradicted: bool = False,
                     unlinked: bool = False) -> None:
        query = fold(text.strip())
        if query and self._folded is None:
            self._folded = [fold(m.text) for _, m in self._all]
        self.beginResetModel()
        self.rows = [row for i, row in enumerate(self._all)
                     if (not query or query in self._folded[i])  # type: ignore[index]
                     and (document is None or row[1].document_id == document)
                     and (speaker is None or speaker in row[1].speakers)
                     and (not contradicted or row[0].contradicts)
                     and (not unlinked or (len(row[0].members) == 1 and not row[0].contradicts))]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        cluster, claim = self.rows[index.row()]
        column = index.column()
        if role == Qt.ToolTipRole:
            return f"span {claim.span_id}, document {claim.document_id} [{claim.start}, {claim.end})"
        if column == 0:
            return f"#{cluster.id} ({len(cluster.members)})"
        if column == 1:
            return claim.document_title
        if column == 2:
            return claim.text
        if column == 3:
            return ", ".join(claim.speakers)
        if column == 4:
            return ", ".join(claim.dates)
        return ("contradicts " + ", ".join(f"#{c}" for c in sorted(cluster.contradicts))
                if cluster.contradicts else "")


class CandidatesModel(QAbstractTableModel):
    HEADERS = ("Score", "Document", "Claim", "Shared words", "Hints")

    def __init__(self) -> None:
        super().__init__()
        self.candidates: list[Candidate] = []

    def set_candidates(self, candidates: list[Candidate]) -> None:
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


class ClaimsView(QWidget):
    def __init__(self, project: Project, layer: str, undo_stack: QUndoStack,
                 on_error: Callable[[str], None],
                 open_claim: Callable[[Claim], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.Window)
        self.setWindowTitle(f"Claims across articles — {layer}")
        self.project, self.layer, self.undo_stack = project, layer, undo_stack
        self.on_error, self.open_claim = on_error, open_claim
        self.index: ClaimIndex | None = None  # built on the first candidates asked for
        self.claims_model, self.candidates_model = ClaimsModel(), CandidatesModel()
        self.search = QLineEdit(placeholderText="Search claims (harakat, tatweel and letter "
                                                "variants ignored)")
        self.document_filter, self.speaker_filter = QComboBox(), QComboBox()
        self.contradicted = QCheckBox("has contradiction")
        self.unlinked = QCheckBox("unlinked")
        self.status = QLabel()
        self.claims_table = self._table(self.claims_model, 2)
        self.candidates_table = self._table(self.candidates_model, 2)
        self._layout()
        self.search.textChanged.connect(self._filter)
        for box in (self.document_filter, self.speaker_filter):
            box.currentIndexChanged.connect(self._filter)
        self.contradicted.toggled.connect(self._filter)
        self.unlinked.toggled.connect(self._filter)
        self.claims_table.selectionModel().currentRowChanged.connect(self._claim_chosen)
        self.claims_table.doubleClicked.connect(lambda _i: self.open_current())
        self._actions()
        self.reload()

    def _table(self, model: QAbstractTableModel, stretch: int) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QTableView.SelectRows)
        table.setSelectionMode(QTableView.SingleSelection)
        table.setLayoutDirection(Qt.RightToLeft)
        table.horizontalHeader().setStretchLastSection(False)
        table.horizontalHeader().setSectionResizeMode(stretch,
                                                      table.horizontalHeader().ResizeMode.Stretch)
        table.verticalHeader().hide()
        return table

    def _layout(self) -> None:
        filters = QHBoxLayout()
        for widget in (self.search, QLabel("Document"), self.document_filter, QLabel("Speaker"),
                       self.speaker_filter, self.contradicted, self.unlinked):
            filters.addWidget(widget)
        filters.setStretch(0, 1)
        candidates = QWidget()
        inner = QVBoxLayout(candidates)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(QLabel("Candidates from other documents — S: same as, "
                               "C: contradicts, U: unlink"))
        inner.addWidget(self.candidates_table)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.claims_table)
        splitter.addWidget(candidates)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    def _actions(self) -> None:
        for key, slot in (("S", lambda: self.link("SAME_AS")),
                          ("C", lambda: self.link("CONTRADICTS")), ("U", self.unlink)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, s=slot: s())
            self.candidates_table.addAction(action)
        opener = QAction(self)
        opener.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        opener.setShortcutContext(Qt.WidgetShortcut)
        opener.triggered.connect(lambda _=False: self.open_current())
        self.claims_table.addAction(opener)

    # -- data ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the claims again (after an edit); the index is updated claim by claim."""
        current = self.current_claim()
        claims = load_claims(self.project, self.layer)
        if self.index is not None:
            self.index.sync(claims)
        self.clusters = cluster_claims(self.project, self.layer, claims)
        self.claims_model.set_clusters(self.clusters)
        self._fill_filters(claims)
        self._filter()
        if current is not None:
            self.select_claim(current.span_id)
        self.status.setText(f"{len(claims)} claim(s) in {len(self.clusters)} cluster(s)")

    def _fill_filters(self, claims: list[Claim]) -> None:
        for box, values in ((self.document_filter,
                             sorted({(c.document_id, c.document_title) for c in claims})),
                            (self.speaker_filter,
                             sorted({(s, s) for c in claims for s in c.speakers}))):
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(ALL, None)
            for key, title in values:
                box.addItem(str(title)[:60], key)
            found = box.findData(chosen)
            box.setCurrentIndex(max(0, found))
            box.blockSignals(False)

    def _filter(self) -> None:
        self.claims_model.apply_filter(self.search.text(), self.document_filter.currentData(),
                                       self.speaker_filter.currentData(),
                                       self.contradicted.isChecked(), self.unlinked.isChecked())

    def current_claim(self) -> Claim | None:
        row = self.claims_table.currentIndex().row()
        rows = self.claims_model.rows
        return rows[row][1] if 0 <= row < len(rows) else None

    def select_claim(self, span_id: int) -> bool:
        for row, (_, claim) in enumerate(self.claims_model.rows):
            if claim.span_id == span_id:
                self.claims_table.setCurrentIndex(self.claims_model.index(row, 2))
                return True
        return False

    def _claim_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        claim = self.current_claim()
        if claim is None:
            self.candidates_model.set_candidates([])
            return
        if self.index is None:
            self.index = ClaimIndex(load_claims(self.project, self.layer))
        self.candidates_model.set_candidates(self.index.similar(claim.span_id, top=10)
                                             if claim.span_id in self.index else [])
        if self.candidates_model.candidates:
            self.candidates_table.setCurrentIndex(self.candidates_model.index(0, 2))

    def current_candidate(self) -> Candidate | None:
        row = self.candidates_table.currentIndex().row()
        candidates = self.candidates_model.candidates
        return candidates[row] if 0 <= row < len(candidates) else None

    # -- gestures -----------------------------------------------------------------

    def link(self, type: str) -> bool:
        return self._push(lambda a, b: LinkClaims(self.project, self.layer, type, a, b))

    def unlink(self) -> bool:
        return self._push(lambda a, b: UnlinkClaims(self.project, a, b))

    def _push(self, make) -> bool:
        claim, candidate = self.current_claim(), self.current_candidate()
        if claim is None or candidate is None:
            self.on_error("choose a claim and one of its candidates first")
            return False
        try:
            edit = make(claim.span_id, candidate.claim.span_id)
        except AnnotatorError as exc:
            self.on_error(str(exc))
            return False
        row = self.candidates_table.currentIndex().row()
        done = push(self.undo_stack, EditCommand(edit, lambda _changes: self.reload(),
                                                 self.on_error))
        self.candidates_table.setCurrentIndex(self.candidates_model.index(row, 2))
        self.candidates_table.setFocus()
        return done

    def open_current(self) -> None:
        claim = self.current_claim()
        if claim is not None and self.open_claim is not None:
            self.open_claim(claim)


def open_claims_view(window) -> ClaimsView:
    """The main window's menu entry: one view per window, raised when open."""
    view = getattr(window, "claims_view", None)
    if view is None or view.layer != window.annotator:
        def open_claim(claim: Claim) -> None:
            window.open_document(claim.document_id)
            window.select_span(claim.span_id)
            window.activateWindow()

        view = ClaimsView(window.project, window.annotator, window.undo_stack,
                          window.show_error, open_claim, window)
        view.resize(1100, 700)
        window.claims_view = view
    else:
        view.reload()
    view.show()
    view.raise_()
    return view
