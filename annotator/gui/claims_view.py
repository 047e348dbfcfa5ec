"""The claims view: every CLAIM of the annotator's layer across the project,
grouped by cluster (SAME_AS), searchable and filtered, with the selected
claim's candidates from other documents. S links the chosen candidate as
SAME_AS, C as CONTRADICTS, U unlinks; each is one undo step on the
window's undo stack. Enter (or a double click) opens the claim in its
document. Both tables are lazy models: a row is formatted when painted,
and claim rows reach the view in batches as it scrolls (claims_models).

The view follows the project without reopening: the main window's saved
edits (its ``edited`` signal) are applied to the ClaimTable and the
similarity index claim by claim; the window's reloads and another
program's commits (the window's file poll) read everything again."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
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

from annotator.core.claims.clusters import Claim
from annotator.core.claims.edits import LinkClaims, UnlinkClaims
from annotator.core.claims.table import ClaimTable
from annotator.core.errors import AnnotatorError
from annotator.core.store import Project
from annotator.gui.claims_models import CandidatesModel, ChoiceModel, ClaimsModel
from annotator.gui.commands import EditCommand, push

if TYPE_CHECKING:
    from annotator.core.claims.similarity import Candidate, ClaimIndex
    from annotator.core.workflow import Change

__all__ = ["ClaimsView", "open_claims_view", "ClaimsModel", "CandidatesModel"]

# From this many claims the similarity index is built on a worker thread
# (about 5 s at 200,000): the view stays usable and shows the candidates
# when it is ready. Below, it is built at once (half a second at most).
THREAD_FROM = 20_000
_CANDIDATES_HELP = "Candidates from other documents — S: same as, C: contradicts, U: unlink"


class _IndexBuilt(QObject):
    """Carries the index built on the worker thread to the view's thread."""

    done = Signal(object)  # the ClaimIndex, or the exception that stopped it


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
        self._building: threading.Thread | None = None
        self._pending: set[int] = set()  # claims edited while the index was being built
        self._resync = False  # reloaded while it was being built
        self.candidates_label = QLabel(_CANDIDATES_HELP)
        # What the filter boxes show (the table's list itself, held).
        self._filled: tuple[list[int], list[str]] | None = None
        self._reload_due = False
        self.claims_model, self.candidates_model = ClaimsModel(), CandidatesModel()
        self.search = QLineEdit(placeholderText="Search claims (harakat, tatweel and letter "
                                                "variants ignored)")
        self.document_filter, self.speaker_filter = self._choice_box(30), self._choice_box(8)
        self.contradicted = QCheckBox("has contradiction")
        self.unlinked = QCheckBox("unlinked")
        self.status = QLabel()
        # Column widths in characters (the claim column takes the rest): Qt's
        # default of 100 px wraps "contradicts #14" and most titles.
        self.claims_table = self._table(self.claims_model, 2, (10, 26, 0, 14, 12, 18))
        self.candidates_table = self._table(self.candidates_model, 2, (7, 26, 0, 22, 30))
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

    @staticmethod
    def _choice_box(characters: int) -> QComboBox:
        box = QComboBox()
        box.setModel(ChoiceModel())
        box.view().setUniformItemSizes(True)  # the popup asks only the rows it shows
        # Sizing to the contents would format every document title.
        box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(characters)
        return box

    def _table(self, model: QAbstractTableModel, stretch: int,
               widths: tuple[int, ...]) -> QTableView:
        table = QTableView()
        table.setModel(model)
        em = table.fontMetrics().horizontalAdvance("x")
        for column, characters in enumerate(widths):
            if characters:
                table.setColumnWidth(column, characters * em)
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
        inner.addWidget(self.candidates_label)
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
        """Read the claims again (another program changed the file); the
        index, if built, is brought up to them claim by claim."""
        current = self.current_span_id()
        self.table = ClaimTable(self.project, self.layer)
        if self.index is not None:
            self.index.sync(self.table.claims())
        self._resync = self._building is not None
        self._refresh(current)

    def reload_soon(self) -> None:
        """Reload once the window is done reloading (one poll of the file can
        bring both the window's reload and the poll's own signal)."""
        if not self._reload_due:
            self._reload_due = True
            QTimer.singleShot(0, self._reload_now)

    def _reload_now(self) -> None:
        self._reload_due = False
        self.reload()

    def changes_applied(self, changes: list["Change"]) -> None:
        """Follow saved edits (the main window's or this view's own links)."""
        changed, touched = self.table.apply(changes)
        if not changed:
            return
        if self._building is not None:
            self._pending |= touched
        elif self.index is not None:
            self._update_index(touched)
        self._refresh(self.current_span_id())

    def _update_index(self, touched: set[int]) -> None:
        assert self.index is not None
        for span_id in touched:
            if span_id in self.table.rows:
                self.index.add(self.table.claim(span_id))
            else:
                self.index.remove(span_id)

    def _refresh(self, current: int | None) -> None:
        self._fill_filters()
        self._filter()
        if current is not None:
            self.select_claim(current)
        self.status.setText(f"{len(self.table)} claim(s) in {self.table.cluster_count()} "
                            "cluster(s)")

    def _fill_filters(self) -> None:
        documents, speakers = self.table.documents(), self.table.speaker_names()
        filled = self._filled
        if filled is not None and filled[0] is documents and filled[1] == speakers:
            return  # the table's same list (most edits): nothing to redo
        self._filled = (documents, speakers)
        for box, keys, label in ((self.document_filter, documents, self.table.title),
                                 (self.speaker_filter, speakers, str)):
            model: ChoiceModel = box.model()  # type: ignore[assignment]
            if model.keys == keys and model.label == label:
                continue
            chosen = box.currentData()
            box.blockSignals(True)
            model.set_choices(list(keys), label)
            box.setCurrentIndex(model.row_of(chosen))
            box.blockSignals(False)

    def _filter(self) -> None:
        current = self.current_span_id()
        self.claims_model.set_rows(self.table, self.table.shown(
            self.search.text(), self.document_filter.currentData(),
            self.speaker_filter.currentData(), self.contradicted.isChecked(),
            self.unlinked.isChecked()))
        if current is not None:
            self.select_claim(current)

    def current_span_id(self) -> int | None:
        return self.claims_model.span_at(self.claims_table.currentIndex().row())

    def current_claim(self) -> Claim | None:
        span_id = self.current_span_id()
        return None if span_id is None else self.table.claim(span_id)

    def select_claim(self, span_id: int) -> bool:
        row = self.claims_model.row_of(span_id)
        if row < 0:
            return False
        self.claims_table.setCurrentIndex(self.claims_model.index(row, 2))
        return True

    def _claim_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        span_id = self.current_span_id()
        if span_id is None:
            self.candidates_model.set_candidates([])
            return
        index = self.candidate_index()
        if index is None:
            self.candidates_model.set_candidates([])
            return
        self.candidates_model.set_candidates(index.similar(span_id, top=10)
                                             if span_id in index else [])
        if self.candidates_model.candidates:
            self.candidates_table.setCurrentIndex(self.candidates_model.index(0, 2))

    def candidate_index(self) -> "ClaimIndex | None":
        """The similarity index, built on first use and then kept current;
        None while a worker thread builds it."""
        if self.index is None and self._building is None:
            # numpy is imported here, not when the window starts.
            from annotator.core.claims.similarity import ClaimIndex

            claims = self.table.claims()
            if len(claims) < THREAD_FROM:
                self.index = ClaimIndex(claims)
            else:
                self._build_in_background(claims)
        return self.index

    def _build_in_background(self, claims: list[Claim]) -> None:
        from annotator.core.claims.similarity import ClaimIndex

        notifier = _IndexBuilt()
        notifier.done.connect(self._index_built)

        def work() -> None:
            try:
                built: object = ClaimIndex(claims)
            except Exception as exc:  # noqa: BLE001  (reported in the view, not lost)
                built = exc
            notifier.done.emit(built)

        self._notifier = notifier  # lives as long as the view
        self._building = threading.Thread(target=work, name="claim-index", daemon=True)
        self.candidates_label.setText(f"Building the similarity index of {len(claims):,} "
                                      "claims… (the candidates follow)")
        self._building.start()

    def _index_built(self, built: object) -> None:
        self._building = None
        self.candidates_label.setText(_CANDIDATES_HELP)
        if isinstance(built, Exception):
            self.on_error(f"the similarity index could not be built: {built}")
            return
        self.index = built  # type: ignore[assignment]
        if self._resync:
            self.index.sync(self.table.claims())
        else:
            self._update_index(self._pending)
        self._pending, self._resync = set(), False
        self._claim_chosen(QModelIndex(), QModelIndex())

    def current_candidate(self) -> "Candidate | None":
        row = self.candidates_table.currentIndex().row()
        candidates = self.candidates_model.candidates
        return candidates[row] if 0 <= row < len(candidates) else None

    # -- gestures -----------------------------------------------------------------

    def link(self, type: str) -> bool:
        return self._push(lambda a, b: LinkClaims(self.project, self.layer, type, a, b))

    def unlink(self) -> bool:
        return self._push(lambda a, b: UnlinkClaims(self.project, a, b))

    def _push(self, make) -> bool:
        span_id, candidate = self.current_span_id(), self.current_candidate()
        if span_id is None or candidate is None:
            self.on_error("choose a claim and one of its candidates first")
            return False
        try:
            edit = make(span_id, candidate.claim.span_id)
        except AnnotatorError as exc:
            self.on_error(str(exc))
            return False
        row = self.candidates_table.currentIndex().row()
        done = push(self.undo_stack, EditCommand(edit, self.changes_applied, self.on_error))
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
    if view is not None and view.layer != window.annotator:
        window.edited.disconnect(view.changes_applied)
        window.reloaded.disconnect(view.reload_soon)
        window.external_changes.watcher.changed.disconnect(view.reload_soon)
        view.close()
        view.deleteLater()
        view = None
    if view is None:
        def open_claim(claim: Claim) -> None:
            window.open_document(claim.document_id)
            window.select_span(claim.span_id)
            window.activateWindow()

        view = ClaimsView(window.project, window.annotator, window.undo_stack,
                          window.show_error, open_claim, window)
        view.resize(1100, 700)
        # Edits in the window reach the view as they are saved; what another
        # program writes, through the window's poll of the file.
        window.edited.connect(view.changes_applied)
        window.reloaded.connect(view.reload_soon)
        window.external_changes.watcher.changed.connect(view.reload_soon)
        window.claims_view = view
    view.show()
    view.raise_()
    return view
