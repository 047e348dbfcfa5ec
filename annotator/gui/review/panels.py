"""The review screen's side panels: the unit queue, the current unit's
versions, and each annotator's scores against gold."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
)

from annotator.core.review.adjudication import Review, Unit, UnitState
from annotator.core.review.agreement import PairResult
from annotator.core.model import Span
from annotator.gui.fonts import arabic_font
from annotator.gui.review.colors import STATE_NAMES

EXCERPT = 40  # code points of a unit's text shown in the queue


def excerpt(text: str, start: int, end: int, limit: int = EXCERPT) -> str:
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= limit else piece[: limit - 1] + "…"


def tinted(colors: dict[UnitState, str], state: UnitState, alpha: int = 70) -> QBrush:
    color = QColor(colors[state])
    color.setAlpha(alpha)
    return QBrush(color)


class UnitQueue(QListWidget):
    """Every unit, most severe first, tinted by state; the row is the unit's index."""

    def __init__(self, colors: dict[UnitState, str]) -> None:
        super().__init__()
        self.colors = colors
        self.setFont(arabic_font(11))
        self.setUniformItemSizes(True)

    def fill(self, review: Review) -> None:
        current = self.currentRow()
        self.blockSignals(True)
        self.clear()
        text = review.document.text
        for unit in review.units:
            state = review.state(unit)
            labels = "/".join(sorted(unit.labels))
            item = QListWidgetItem(
                f"{unit.severity:.2f}  {STATE_NAMES[state]} · {unit.kind.value} · {labels}\n"
                f"«{excerpt(text, unit.start, unit.end)}»")
            item.setBackground(tinted(self.colors, state))
            item.setData(Qt.UserRole, state.value)
            self.addItem(item)
        self.blockSignals(False)
        if 0 <= current < self.count():
            self.setCurrentRow(current)


class VersionsPanel(QTreeWidget):
    """Each annotator's version of the current unit, numbered as the keys
    that accept them (one row per span), and what gold holds."""

    HEADERS = ["Key", "Annotator", "Label", "Text", "Offsets"]

    def __init__(self, colors: dict[UnitState, str]) -> None:
        super().__init__()
        self.colors = colors
        self.setHeaderLabels(self.HEADERS)
        self.setRootIsDecorated(False)
        self.setFont(arabic_font(11))
        header = self.header()
        # The Arabic font's tall line height makes Qt's default minimum
        # section width about 150 px; the key column needs a fraction of it.
        header.setMinimumSectionSize(24)
        header.setStretchLastSection(False)
        for column in range(len(self.HEADERS)):
            header.setSectionResizeMode(
                column, QHeaderView.Stretch if column == 3 else QHeaderView.Interactive)

    def _rows(self, key: str, who: str, spans: list[Span] | tuple[Span, ...], text: str,
              brush: QBrush | None, empty: str = "— nothing") -> None:
        for i, span in enumerate(spans or [None]):
            if span is None:
                cells = [key, who, "", empty, ""]
            else:
                cells = [key if i == 0 else "", who if i == 0 else "", span.label,
                         excerpt(text, span.start, span.end), f"[{span.start}, {span.end})"]
            row = QTreeWidgetItem(cells)
            # Arabic excerpts read from the right, like the text itself.
            row.setTextAlignment(3, Qt.AlignRight | Qt.AlignVCenter)
            if brush is not None:
                for column in range(len(cells)):
                    row.setBackground(column, brush)
            self.addTopLevelItem(row)

    def show_unit(self, review: Review, unit: Unit | None) -> None:
        self.clear()
        if unit is None:
            return
        text = review.document.text
        gold = review.gold_in(unit)
        gold_key = frozenset((s.start, s.end, s.label) for s in gold)
        for number, version in enumerate(unit.versions, start=1):
            same = bool(gold) and version.key == gold_key
            self._rows(str(number), version.annotator, version.spans, text,
                       tinted(self.colors, UnitState.ACCEPTED, 45) if same else None)
        state = review.state(unit)
        who = ", ".join(sorted({s.provenance or "?" for s in gold}))
        self._rows("G", f"gold ({who})" if gold else "gold", gold, text, tinted(self.colors, state, 45),
                   empty=f"— nothing ({STATE_NAMES[state]})")
        self._fit_columns()

    def _fit_columns(self) -> None:
        # resizeColumnToContents measures only laid-out rows, none while the
        # dialog is still hidden: measure the texts instead.
        metrics = self.fontMetrics()
        header_metrics = self.header().fontMetrics()
        for column in (0, 1, 2, 4):
            texts = [self.topLevelItem(i).text(column) for i in range(self.topLevelItemCount())]
            width = max([metrics.horizontalAdvance(t) for t in texts]
                        + [header_metrics.horizontalAdvance(self.HEADERS[column])])
            self.setColumnWidth(column, width + 24)


class ScoresTable(QTableWidget):
    """Each annotator against this document's gold layer."""

    HEADERS = ["Annotator", "Exact F1", "Overlap F1"]

    def __init__(self) -> None:
        super().__init__(0, len(self.HEADERS))
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.NoEditTriggers)

    def show_scores(self, scores: list[PairResult]) -> None:
        self.setRowCount(len(scores))
        self.setToolTip("" if scores else "Nothing in gold for this document yet")
        for row, result in enumerate(scores):
            micro = result.micro
            cells = [result.a, _fmt(micro.exact_f1), _fmt(micro.overlap_f1)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.setItem(row, column, item)
        self.resizeColumnsToContents()


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
