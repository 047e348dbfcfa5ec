"""Grouped bar chart drawn with QPainter: one group per label, one bar per
figure, on a fixed 0-1 scale so charts of different projects compare."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SERIES_COLORS = ["#1c7ed6", "#74c0fc", "#f08c00", "#7048e8"]


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[str] = []
        self.groups: list[tuple[str, list[float | None]]] = []
        # Shown with no groups; the dashboard says "computing" meanwhile.
        self.empty_text = "No figures yet: agreement needs two annotators"
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumHeight(220)

    def sizeHint(self) -> QSize:
        return QSize(640, 260)

    def set_data(self, series: list[str], groups: list[tuple[str, list[float | None]]]) -> None:
        self.series = series
        self.groups = groups
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        left, right, top, bottom = 36, 8, line + 10, line + 8
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        self._legend(painter, line)
        painter.setPen(QPen(QColor("#dee2e6")))
        for tick in range(6):
            value = tick / 5
            y = plot.bottom() - value * plot.height()
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(QColor("#495057"))
            painter.drawText(QRectF(0, y - line / 2, left - 4, line), Qt.AlignRight | Qt.AlignVCenter,
                             f"{value:.1f}")
            painter.setPen(QPen(QColor("#dee2e6")))
        if not self.groups:
            painter.setPen(QColor("#495057"))
            painter.drawText(plot, Qt.AlignCenter, self.empty_text)
            return
        group_width = plot.width() / len(self.groups)
        bar_width = group_width * 0.8 / max(1, len(self.series))
        for g, (name, values) in enumerate(self.groups):
            x0 = plot.left() + g * group_width + group_width * 0.1
            for s, value in enumerate(values):
                x = x0 + s * bar_width
                shown = 0.0 if value is None else max(0.0, min(1.0, value))
                height = shown * plot.height()
                bar = QRectF(x, plot.bottom() - height, bar_width - 2, height)
                painter.fillRect(bar, QColor(SERIES_COLORS[s % len(SERIES_COLORS)]))
                text = "–" if value is None else f"{value:.2f}".lstrip("0") if value >= 0 else f"{value:.2f}"
                painter.setPen(QColor("#212529"))
                painter.drawText(QRectF(x - 4, bar.top() - line, bar_width + 6, line),
                                 Qt.AlignHCenter | Qt.AlignBottom, text)
            painter.drawText(QRectF(x0, plot.bottom() + 2, group_width * 0.8, line),
                             Qt.AlignHCenter | Qt.AlignTop, name)
        painter.end()

    def _legend(self, painter: QPainter, line: int) -> None:
        x = 40
        for s, name in enumerate(self.series):
            painter.fillRect(QRectF(x, 4, 12, 12), QColor(SERIES_COLORS[s % len(SERIES_COLORS)]))
            painter.setPen(QColor("#212529"))
            painter.drawText(int(x + 16), 4 + line - 4, name)
            x += 24 + painter.fontMetrics().horizontalAdvance(name)
