"""Relations drawn as arcs over the text, for the visible lines only.

Each end is anchored above the middle of the span's part on its first
visible line, so in right-to-left text an arc starts at the glyphs the
span really covers (QTextLine.cursorToX knows the bidi layout). The arc
bows upwards, the arrowhead sits at the target end pointing into it, and
the type name is written at the top of the arc on a light plate. A
relation with one end off screen gets a short stub towards that end.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from annotator.core.text.offsets import Utf16Index
from annotator.gui.highlights import VisibleLine


@dataclass(frozen=True)
class Arc:
    """One relation to draw: code point ranges of its two ends."""

    key: int
    source: tuple[int, int]
    target: tuple[int, int]
    label: str
    color: str
    symmetric: bool = False


def anchor(offsets: Utf16Index, lines: Sequence[VisibleLine], start: int, end: int) -> QPointF | None:
    """Top middle of the span's part on the first visible line that holds it."""
    s, e = offsets.to_utf16(start), offsets.to_utf16(end)
    for ln in lines:
        # A span starting where a wrapped line ends belongs to the next line.
        if ln.end <= s or ln.start >= e:
            continue
        a, b = max(s, ln.start), min(e, ln.end)
        x1 = ln.line.cursorToX(a - ln.block_position)[0]
        x2 = ln.line.cursorToX(b - ln.block_position)[0]
        return QPointF(ln.origin.x() + (x1 + x2) / 2, ln.origin.y() + ln.line.y() + 2)
    return None


class RelationPainter:
    """Holds the arcs to show; the text view calls ``paint`` after the text."""

    def __init__(self) -> None:
        self.enabled = True
        self.set_arcs([])

    def set_arcs(self, arcs: Sequence[Arc]) -> None:
        # Sorted by their first code point, so a paint bisects to the arcs
        # that can reach the visible lines instead of walking all of them.
        self.arcs = sorted(arcs, key=lambda a: min(a.source[0], a.target[0]))
        self._lows = [min(a.source[0], a.target[0]) for a in self.arcs]
        self._longest = max((max(a.source[1], a.target[1]) - low
                             for a, low in zip(self.arcs, self._lows)), default=0)

    def visible(self, first: int, last: int) -> list[Arc]:
        """Arcs with an end in code points [first, last]."""
        lo = bisect_left(self._lows, first - self._longest)
        hi = bisect_right(self._lows, last)
        return [a for a in self.arcs[lo:hi]
                if max(a.source[1], a.target[1]) >= first]

    def paint(self, painter: QPainter, offsets: Utf16Index, lines: Sequence[VisibleLine]) -> None:
        if not self.enabled or not self.arcs or not lines:
            return
        first, last = lines[0].start, lines[-1].end
        arcs = self.visible(offsets.to_cp(first), offsets.to_cp(last))
        painter.setRenderHint(QPainter.Antialiasing, True)
        metrics = QFontMetricsF(painter.font())
        height = lines[-1].origin.y() + lines[-1].line.y() + lines[-1].line.height()
        for arc in arcs:
            s16, t16 = offsets.to_utf16(arc.source[0]), offsets.to_utf16(arc.target[0])
            a = anchor(offsets, lines, *arc.source)
            b = anchor(offsets, lines, *arc.target)
            if a is None and b is None:
                continue
            # Off-screen end: a stub towards the top or bottom edge.
            if a is None:
                a = QPointF(b.x(), 0.0 if s16 < first else height)
            if b is None:
                b = QPointF(a.x(), 0.0 if t16 < first else height)
            self._draw(painter, metrics, arc, a, b)

    def _draw(self, painter: QPainter, metrics: QFontMetricsF, arc: Arc, a: QPointF,
              b: QPointF) -> None:
        color = QColor(arc.color)
        lift = min(60.0, 14.0 + abs(a.x() - b.x()) / 6 + abs(a.y() - b.y()) / 4)
        top = min(a.y(), b.y()) - lift
        c1, c2 = QPointF(a.x(), top), QPointF(b.x(), top)
        path = QPainterPath(a)
        path.cubicTo(c1, c2, b)
        painter.setPen(QPen(color, 1.6))
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(path)
        self._arrowhead(painter, color, c2, b)
        if arc.symmetric:
            self._arrowhead(painter, color, c1, a)
        middle = path.pointAtPercent(0.5)
        width = metrics.horizontalAdvance(arc.label) + 6
        plate = QRectF(middle.x() - width / 2, middle.y() - metrics.height() / 2, width,
                       metrics.height())
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(255, 255, 255, 220))
        painter.drawRoundedRect(plate, 3, 3)
        painter.setPen(color.darker(140))
        painter.drawText(plate, Qt.AlignCenter, arc.label)

    @staticmethod
    def _arrowhead(painter: QPainter, color: QColor, towards_from: QPointF, tip: QPointF) -> None:
        angle = math.atan2(tip.y() - towards_from.y(), tip.x() - towards_from.x())
        size = 7.0
        left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
        right = QPointF(tip.x() - size * math.cos(angle + 0.45), tip.y() - size * math.sin(angle + 0.45))
        painter.setPen(Qt.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(QPolygonF([tip, left, right]))
