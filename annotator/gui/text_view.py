"""A read-only right-to-left view of one document, in code points.

Qt positions (UTF-16) never leave this module: everything it takes and
emits is a code-point offset. It does its own hit testing from the text
layout, because Qt's click-to-position is one character off in wrapped
right-to-left paragraphs (DESIGN §4), and paints highlights for the visible
lines only.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QTextCursor, QTextDocument, QTextOption
from PySide6.QtWidgets import QApplication, QPlainTextDocumentLayout, QPlainTextEdit, QWidget

from annotator.core.text.offsets import Utf16Index
from annotator.core.text.segmentation import cluster_end, snap_to_clusters, snap_to_words, word_at
from annotator.gui.document_reaper import BIG, reap
from annotator.gui.fonts import BASE_POINT_SIZE, arabic_font
from annotator.gui.highlights import HighlightPainter, VisibleLine

_LTR_CLASSES = {"L", "EN", "AN"}
MIN_POINT_SIZE, MAX_POINT_SIZE = 8.0, 48.0


class ArabicTextView(QPlainTextEdit):
    # Emitted after a mouse drag or double click: (start, end) in code points.
    selectionMade = Signal(int, int)
    # A click without a drag: code point under the pointer, or -1.
    clicked = Signal(int)
    # Pointer over a character (code point) or over nothing (-1).
    hovered = Signal(int)
    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None, point_size: float = BASE_POINT_SIZE) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setLayoutDirection(Qt.RightToLeft)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.setFont(arabic_font(point_size))
        self.document().setDocumentMargin(12)
        self._apply_rtl_option()
        self.viewport().setMouseTracking(True)
        self.snap_to_words = True
        self._text = ""
        self._offsets = Utf16Index("")
        # Highlight layers, painted in this order.
        self.layers: dict[str, HighlightPainter] = {}
        # Painted over the text after the layers (relation arcs): objects
        # with paint(painter, offsets, visible lines).
        self.overlays: list = []
        self._anchor: int | None = None
        self._dragged = False
        # Where the button went down: a drag that moved is never a click.
        self._press_point: QPoint | None = None
        self._press_char: int | None = None
        self._last_drag_point: QPoint | None = None
        # Held past the top or bottom edge: scroll and extend the selection.
        self._autoscroll = QTimer(self, interval=40)
        self._autoscroll.timeout.connect(self._autoscroll_step)
        # The selection this view snapped itself (mouse drag, double click),
        # words or exact characters as chosen then; see selection_is_snapped.
        self._snapped: tuple[int, int] | None = None
        self._last_hover = -1
        self._repaint_timer = QTimer(self, singleShot=True, interval=0)
        self._repaint_timer.timeout.connect(self.viewport().update)

    def _apply_rtl_option(self) -> None:
        # Layout direction alone leaves a paragraph that starts with Latin
        # left-to-right; AlignAbsolute makes AlignRight mean the right edge.
        option = self.document().defaultTextOption()
        option.setTextDirection(Qt.RightToLeft)
        option.setAlignment(Qt.AlignRight | Qt.AlignAbsolute)
        option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(option)

    # -- content -------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    @property
    def offsets(self) -> Utf16Index:
        return self._offsets

    def set_text(self, text: str) -> None:
        self._text = text
        self._snapped = None
        self._offsets = Utf16Index(text)
        for layer in self.layers.values():
            layer.set_highlights([])
        old = self.document()
        if old.characterCount() > BIG:
            old.setParent(None)  # setDocument deletes a document the view owns
            self._fresh_document()
            reap(old)
        self.setPlainText(text)
        self._apply_rtl_option()

    def _fresh_document(self) -> None:
        """An empty document set up as the first one, so the old one can
        be freed elsewhere (gui.document_reaper)."""
        document = QTextDocument()
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        document.setDefaultFont(self.font())
        document.setDocumentMargin(self.document().documentMargin())
        self.setDocument(document)
        self._fresh = document  # kept: the view does not own a document it did not make

    def add_layer(self, name: str, painter: HighlightPainter) -> HighlightPainter:
        """Paint ``painter`` as the named layer, after the older ones."""
        self.layers[name] = painter
        return painter

    def layer(self, name: str) -> HighlightPainter:
        """The named highlight layer (created empty, painted after older ones)."""
        if name not in self.layers:
            self.layers[name] = HighlightPainter()
        return self.layers[name]

    def refresh_highlights(self) -> None:
        # Deferred: repainting from inside a scroll or selection signal
        # re-enters Qt (DESIGN §4).
        self._repaint_timer.start()

    # -- selection in code points ----------------------------------------------

    def selection(self) -> tuple[int, int]:
        cursor = self.textCursor()
        return (self._offsets.to_cp(cursor.selectionStart()),
                self._offsets.to_cp(cursor.selectionEnd()))

    def selection_is_snapped(self) -> bool:
        """True when the current selection is the one the view snapped at a
        mouse release or double click (to words, or to characters with Alt
        or snapping off): it must be used as it is, not snapped again. A
        selection set by code or changed from the keyboard is not."""
        return self._snapped is not None and self.selection() == self._snapped

    def set_selection(self, start: int, end: int | None = None) -> None:
        """Select [start, end) (or put the caret at start) without scrolling."""
        self._snapped = None
        end = start if end is None else end
        cursor = self.textCursor()
        cursor.setPosition(self._offsets.to_utf16(start))
        cursor.setPosition(self._offsets.to_utf16(end), QTextCursor.KeepAnchor)
        bar = self.verticalScrollBar().value()
        self.setTextCursor(cursor)
        self.verticalScrollBar().setValue(bar)

    def scroll_to(self, start: int, end: int) -> None:
        """Bring [start, end) into view, centred; the caret moves to its start.

        Restoring the old caret afterwards would scroll straight back to it
        (setTextCursor keeps the caret visible), so the caret stays here.
        """
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_utf16(min(start, self._offsets.length)))
        self.setTextCursor(cursor)
        self.centerCursor()

    def visual_line(self, cp: int) -> int:
        """Which laid-out line of its paragraph holds code point cp (0: the
        first; more: a wrapped line)."""
        pos = self._offsets.to_utf16(min(cp, self._offsets.length))
        block = self.document().findBlock(pos)
        layout = block.layout()
        if layout is None:
            return 0
        return layout.lineForTextPosition(pos - block.position()).lineNumber()

    # -- zoom ----------------------------------------------------------------

    def point_size(self) -> float:
        return self.font().pointSizeF()

    def set_point_size(self, size: float) -> None:
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size))
        self.setFont(arabic_font(size))
        self.zoomChanged.emit(size)

    def zoom_by(self, factor: float) -> None:
        self.set_point_size(round(self.point_size() * factor, 1))

    # -- layout and hit testing ------------------------------------------------

    def visible_lines(self) -> list[VisibleLine]:
        """Laid-out lines that intersect the viewport, top to bottom."""
        lines: list[VisibleLine] = []
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            layout = block.layout()
            if block.isVisible() and layout is not None:
                position = block.position()
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    top = geometry.top() + line.y()
                    if top + line.height() < 0 or top > height:
                        continue
                    start = position + line.textStart()
                    lines.append(VisibleLine(start, start + line.textLength(), position, line,
                                             geometry.topLeft()))
            block = block.next()
        return lines

    def _line_at(self, point: QPoint) -> VisibleLine | None:
        lines = self.visible_lines()
        if not lines:
            return None
        for ln in lines:
            if point.y() < ln.origin.y() + ln.line.y() + ln.line.height():
                return ln
        return lines[-1]

    def _cluster_boxes(self, ln: VisibleLine) -> list[tuple[int, int, float, float]]:
        """(start, end, left, right) of every letter cluster on a line, code points."""
        boxes = []
        cp = self._offsets.to_cp(ln.start)
        line_end = self._offsets.to_cp(ln.end)
        while cp < line_end:
            nxt = min(cluster_end(self._text, cp + 1), line_end)
            a = self._offsets.to_utf16(cp) - ln.block_position
            b = self._offsets.to_utf16(nxt) - ln.block_position
            xs = []
            for run in ln.line.glyphRuns(a, b - a):
                box = run.boundingRect()
                xs += [box.left(), box.right()]
            if xs:
                boxes.append((cp, nxt, ln.origin.x() + min(xs), ln.origin.x() + max(xs)))
            cp = nxt
        return boxes

    def hit(self, point: QPoint) -> tuple[int, int | None]:
        """(caret position, character under the point or None), code points.

        The caret goes before a character when the point is on its leading
        half (its right half for Arabic), after it otherwise.
        """
        ln = self._line_at(point)
        if ln is None:
            return 0, None
        x = point.x()
        boxes = self._cluster_boxes(ln)
        for start, end, left, right in boxes:
            if left <= x <= right:
                ltr = unicodedata.bidirectional(self._text[start]) in _LTR_CLASSES
                leading = x < (left + right) / 2 if ltr else x > (left + right) / 2
                return (start if leading else end), start
        line_start, line_end = self._offsets.to_cp(ln.start), self._offsets.to_cp(ln.end)
        if not boxes:
            return line_start, None
        # Outside the glyphs: right of the line is its logical start (RTL).
        rightmost = max(b[3] for b in boxes)
        return (line_start if x > rightmost else line_end), None

    # -- mouse -----------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.MouseFocusReason)
        point = event.position().toPoint()
        caret, char = self.hit(point)
        self._press_point, self._press_char = point, char
        if event.modifiers() & Qt.ShiftModifier:
            self._anchor = self._offsets.to_cp(self.textCursor().anchor())
            self.set_selection(self._anchor, caret)
            self._dragged = True
        else:
            self._anchor = caret
            self._dragged = False
            self.set_selection(caret)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._anchor is not None and event.buttons() & Qt.LeftButton:
            self._last_drag_point = point
            outside = point.y() < 0 or point.y() > self.viewport().height()
            if outside and not self._autoscroll.isActive():
                self._autoscroll.start()
            elif not outside:
                self._autoscroll.stop()
            self._extend_drag(point)
            event.accept()
            return
        _, char = self.hit(point)
        hovered = -1 if char is None else char
        if hovered != self._last_hover:
            self._last_hover = hovered
            self.hovered.emit(hovered)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.LeftButton or self._anchor is None:
            super().mouseReleaseEvent(event)
            return
        self._autoscroll.stop()
        point = event.position().toPoint()
        caret, char = self.hit(self._clamped(point))
        anchor, self._anchor = self._anchor, None
        moved = self._dragged or self._moved(point, char)
        if moved:
            start, end = min(anchor, caret), max(anchor, caret)
            if start == end and self._press_char is not None and char is not None:
                # Both ends on the inner halves of a short word's letters map
                # to one caret: select the letters the drag went over.
                start = min(self._press_char, char)
                end = cluster_end(self._text, max(self._press_char, char) + 1)
            precise = bool(event.modifiers() & Qt.AltModifier) or not self.snap_to_words
            snapped = (snap_to_clusters if precise else snap_to_words)(self._text, start, end) \
                if start < end else None
            if snapped:
                self.set_selection(*snapped)
                self._snapped = snapped
                self.selectionMade.emit(*snapped)
            else:
                self.set_selection(caret)
        else:
            self.set_selection(caret)
            self.clicked.emit(-1 if char is None else char)
        event.accept()

    def _moved(self, point: QPoint, char: int | None) -> bool:
        if self._press_point is None:
            return False
        if char is not None and self._press_char is not None and char != self._press_char:
            return True
        return (point - self._press_point).manhattanLength() >= QApplication.startDragDistance()

    def _clamped(self, point: QPoint) -> QPoint:
        height = self.viewport().height()
        return QPoint(point.x(), max(0, min(point.y(), height - 1)))

    def _extend_drag(self, point: QPoint) -> None:
        if self._anchor is None:
            return
        caret, _ = self.hit(self._clamped(point))
        if caret != self._anchor:
            self._dragged = True
        self.set_selection(self._anchor, caret)

    def _autoscroll_step(self) -> None:
        point = self._last_drag_point
        if self._anchor is None or point is None:
            self._autoscroll.stop()
            return
        height = self.viewport().height()
        beyond = point.y() if point.y() < 0 else point.y() - height if point.y() > height else 0
        if beyond == 0:
            self._autoscroll.stop()
            return
        bar = self.verticalScrollBar()
        # QPlainTextEdit scrolls in lines: one per step near the edge,
        # faster further past it.
        step = (1 if abs(beyond) < 40 else 3) * (1 if beyond > 0 else -1)
        bar.setValue(bar.value() + step)
        self._extend_drag(point)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        _, char = self.hit(event.position().toPoint())
        word = word_at(self._text, char) if char is not None else None
        if word:
            self.set_selection(*word)
            self._snapped = word
            self.selectionMade.emit(*word)
        event.accept()

    def leaveEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        if self._last_hover != -1:
            self._last_hover = -1
            self.hovered.emit(-1)
        super().leaveEvent(event)

    # -- painting --------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        lines = self.visible_lines() if self.layers or self.overlays else []
        if lines:
            painter = QPainter(self.viewport())
            for layer in self.layers.values():
                layer.paint_under_text(painter, self._offsets, lines)
            painter.end()
        super().paintEvent(event)
        if lines:
            painter = QPainter(self.viewport())
            for layer in self.layers.values():
                layer.paint_over_text(painter, self._offsets, lines)
            for overlay in self.overlays:
                overlay.paint(painter, self._offsets, lines)
            painter.end()
