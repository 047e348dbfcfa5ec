"""The agreement dashboard: per label the pairwise matrix and alpha, a chart
of the mean figures, each annotator against gold, and documents sorted by
disagreement (double-click one to review it). Every number comes from
core.review (agreement, gold_scores).

The figures are computed off the GUI thread (gui/background.py) with the
progress shown and a Cancel button: at 20,000 documents x 5 annotators that
takes a minute, and the window stays responsive meanwhile. A review opened
from here changes gold only, so afterwards only the scores against gold of
the documents it changed are recomputed, each read by its id."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.review.agreement import DEFINITIONS, AgreementReport, DocumentAgreement, Progress
from annotator.core.review.gold_scores import GoldScores, agreement_and_gold
from annotator.core.store import Project
from annotator.gui.background import BackgroundJob, JobProgress
from annotator.gui.review.chart import BarChart

FIGURE_NAMES = {"exact_f1": "exact F1", "overlap_f1": "overlap F1", "kappa": "kappa"}


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def heat(value: float | None) -> QBrush:
    """Red for poor agreement through yellow to green for good."""
    if value is None:
        return QBrush(QColor("#f1f3f5"))
    hue = int(120 * max(0.0, min(1.0, value)))
    return QBrush(QColor.fromHsv(hue, 90, 250))


Ranked = list[tuple[float, DocumentAgreement]]


def rank_documents(report: AgreementReport) -> Ranked:
    """(disagreement, document), worst first; each figure computed once (in
    the background job: at 20,000 documents that is seconds of work)."""
    scored = [(doc.disagreement, doc) for doc in report.per_document]
    ranked = [(value, doc) for value, doc in scored if value is not None]
    ranked.sort(key=lambda pair: (-pair[0], pair[1].document_id))
    return ranked


def compute(project: Project, report: Progress) -> tuple[AgreementReport, GoldScores, Ranked]:
    """The dashboard's background job."""
    agreement_report, gold = agreement_and_gold(project, report)
    report(0, 0, "ranking documents")
    return agreement_report, gold, rank_documents(agreement_report)


class DocumentRanking(QAbstractTableModel):
    """Documents by disagreement, worst first. A model, not a table of items:
    20,000 documents cost nothing until their rows are painted."""

    HEADERS = ("Disagreement", "Document", "Annotators", "Id")

    def __init__(self) -> None:
        super().__init__()
        self.ranked: Ranked = []

    def set_ranking(self, ranked: Ranked) -> None:
        self.beginResetModel()
        self.ranked = ranked
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self.ranked)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):  # noqa: ANN201 - any Qt value
        if not index.isValid():
            return None
        value, doc = self.ranked[index.row()]
        if role == Qt.DisplayRole:
            return (f"{value:.3f}", doc.name, ", ".join(doc.annotators),
                    str(doc.document_id))[index.column()]
        if role == Qt.BackgroundRole and index.column() == 0:
            return heat(1 - value)
        if role == Qt.UserRole:
            return doc.document_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.DisplayRole):  # noqa: ANN201
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.HEADERS[section]
        return None


class AgreementDashboard(QDialog):
    loaded = Signal()  # the figures are on screen (after each computation)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        # True once a review opened from here changed gold (the caller's
        # undo history may then no longer match what is stored).
        self.gold_changed = False
        self.report: AgreementReport | None = None
        self.gold: GoldScores | None = None
        # Documents whose gold changed while a computation was under way:
        # its board was read before, so they are refreshed when it lands.
        self._stale: set[int] = set()
        self.progress = JobProgress(self)
        self.recompute = QPushButton("Recompute")
        self.recompute.clicked.connect(self.reload)
        self.gold_table = QTableWidget(0, 4)
        self.gold_table.setHorizontalHeaderLabels(["Annotator", "Documents", "Exact F1", "Overlap F1"])
        self.gold_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.gold_table.verticalHeader().hide()
        self.setWindowTitle("Agreement")
        self.resize(1100, 760)
        self.summary = QLabel()
        self.chart = BarChart()
        self.label_box = QComboBox()
        self.figure_box = QComboBox()
        for key, name in FIGURE_NAMES.items():
            self.figure_box.addItem(name, key)
        self.alpha_label = QLabel()
        self.matrix = QTableWidget()
        self.matrix.setEditTriggers(QTableWidget.NoEditTriggers)
        self.ranking = DocumentRanking()
        self.documents = QTableView()
        self.documents.setModel(self.ranking)
        self.documents.setEditTriggers(QTableView.NoEditTriggers)
        self.documents.setSelectionBehavior(QTableView.SelectRows)
        self.documents.verticalHeader().hide()
        self.documents.horizontalHeader().setResizeContentsPrecision(50)
        self.documents.doubleClicked.connect(self._review_row)
        definitions = QLabel("<br>".join(DEFINITIONS))
        definitions.setWordWrap(True)
        definitions.setStyleSheet("color: #495057")
        self._layout(definitions)
        self.label_box.currentIndexChanged.connect(self._fill_matrix)
        self.figure_box.currentIndexChanged.connect(self._fill_matrix)
        self.reload()

    def _layout(self, definitions: QLabel) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Label"))
        controls.addWidget(self.label_box)
        controls.addWidget(QLabel("Figure"))
        controls.addWidget(self.figure_box)
        controls.addWidget(self.alpha_label, 1)
        matrix_box = QWidget()
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.addLayout(controls)
        matrix_layout.addWidget(self.matrix, 2)
        matrix_layout.addWidget(QLabel("<b>Each annotator against gold</b> (documents both annotated)"))
        matrix_layout.addWidget(self.gold_table, 1)
        documents_box = QWidget()
        documents_layout = QVBoxLayout(documents_box)
        documents_layout.setContentsMargins(0, 0, 0, 0)
        documents_layout.addWidget(QLabel("<b>Documents, most disagreement first</b> "
                                          "(double-click to review)"))
        documents_layout.addWidget(self.documents)
        lower = QSplitter(Qt.Horizontal)
        lower.addWidget(matrix_box)
        lower.addWidget(documents_box)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.recompute)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addLayout(top)
        layout.addWidget(QLabel("<b>Mean over pairs per label; alpha across all annotators</b>"))
        layout.addWidget(self.chart, 2)
        layout.addWidget(lower, 3)
        layout.addWidget(definitions)

    # -- filling -------------------------------------------------------------

    def reload(self) -> None:
        """Compute every figure again, in the background."""
        if self.progress.job is not None:
            return  # already under way
        self.recompute.setEnabled(False)
        if self.report is None:
            self.summary.setText("Computing agreement…")
            self.chart.empty_text = "Computing the figures (progress above)…"
            self.chart.update()
        self._stale.clear()
        job = BackgroundJob(self.project.path, compute, self)
        job.succeeded.connect(self._computed)
        job.failed.connect(lambda message: self._stopped(f"Agreement could not be computed: {message}"))
        job.cancelled.connect(lambda: self._stopped("Cancelled: Recompute starts again"))
        self.progress.run(job, "Computing agreement")

    def _stopped(self, message: str) -> None:
        self.recompute.setEnabled(True)
        if self.report is None:
            self.chart.empty_text = "No figures: Recompute to try again"
            self.chart.update()
            self.summary.setText(f"<span style='color:#c92a2a'>{message}</span>")

    def _computed(self, result: tuple[AgreementReport, GoldScores, Ranked]) -> None:
        self.recompute.setEnabled(True)
        self.chart.empty_text = "No figures yet: agreement needs two annotators"
        self.report, self.gold, self.ranked = result
        for document_id in self._stale:
            self.gold.refresh(self.project, document_id)
        self._stale.clear()
        self._show_report()
        self._fill_gold()
        self.loaded.emit()

    def done(self, result: int) -> None:
        self.progress.abandon()  # never wait for a minute-long job to notice
        super().done(result)

    def _show_report(self) -> None:
        assert self.report is not None
        report = self.report
        self.summary.setText(
            f"<b>{len(report.annotators)} annotator(s)</b> ({', '.join(report.annotators) or 'none'}); "
            f"{len(report.per_document)} document(s) annotated by two or more"
            + self._left_out(report))
        used = [label for label in report.labels
                if any(pair.labels[label].spans_a + pair.labels[label].spans_b for pair in report.pairs)]
        mean = report.mean()
        groups = [(label, [mean[label]["exact_f1"], mean[label]["overlap_f1"], mean[label]["kappa"],
                           report.alpha[label]]) for label in used]
        if used:
            groups.append(("all (micro)", [mean["micro"]["exact_f1"], mean["micro"]["overlap_f1"],
                                           None, None]))
        self.chart.set_data(["exact F1", "overlap F1", "kappa", "alpha"], groups)
        current = self.label_box.currentText()
        self.label_box.blockSignals(True)
        self.label_box.clear()
        self.label_box.addItems([*(used or report.labels), "micro"])
        if current:
            self.label_box.setCurrentText(current)
        self.label_box.blockSignals(False)
        self._fill_matrix()
        self._fill_documents()

    def _left_out(self, report: AgreementReport) -> str:
        idle = [name for name in self.project.annotators() if name not in report.annotators]
        return f"; left out, nothing annotated: {', '.join(idle)}" if idle else ""

    def _fill_gold(self) -> None:
        results = self.gold.results(self.project.annotators()) if self.gold is not None else []
        self.gold_table.setRowCount(len(results))
        self.gold_table.setToolTip("" if results else "Nothing in gold yet")
        for row, result in enumerate(results):
            micro = result.micro
            cells = [result.a, str(result.documents), fmt(micro.exact_f1), fmt(micro.overlap_f1)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.gold_table.setItem(row, column, item)
        self.gold_table.resizeColumnsToContents()

    def _fill_matrix(self) -> None:
        report = self.report
        if report is None:
            return
        label = self.label_box.currentText()
        figure = self.figure_box.currentData()
        if label == "micro" and figure == "kappa":
            figure = "exact_f1"  # kappa is per label only
        names = report.annotators
        self.matrix.setRowCount(len(names))
        self.matrix.setColumnCount(len(names))
        self.matrix.setHorizontalHeaderLabels(names)
        self.matrix.setVerticalHeaderLabels(names)
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                if i == j:
                    item = QTableWidgetItem("")
                    item.setBackground(QBrush(QColor("#e9ecef")))
                else:
                    pair = report.pair(a, b)
                    value = pair.figures()[label][figure] if label else None
                    item = QTableWidgetItem(fmt(value))
                    item.setToolTip(f"{a} / {b}: {pair.documents} document(s) both annotated")
                    item.setBackground(heat(value))
                item.setTextAlignment(Qt.AlignCenter)
                self.matrix.setItem(i, j, item)
        alpha = report.alpha.get(label)
        self.alpha_label.setText(
            f"  Krippendorff's alpha ({label}): <b>{fmt(alpha)}</b>" if label != "micro" else "")

    def _fill_documents(self) -> None:
        assert self.report is not None
        self.ranking.set_ranking(self.ranked)
        # Measures the first rows only (the header's resize precision).
        self.documents.resizeColumnsToContents()

    def _review_row(self, index: QModelIndex) -> None:
        from annotator.gui.review import open_review

        document_id = self.ranking.data(index, Qt.UserRole)
        changed: set[int] = set()
        if open_review(self.project, document_id, self, changed=changed):
            self.gold_changed = True
            # Annotators' layers are as they were: only gold scores move.
            if self.progress.job is not None:
                self._stale |= changed
            if self.gold is not None:
                for doc in changed:
                    self.gold.refresh(self.project, doc)
            self._fill_gold()
