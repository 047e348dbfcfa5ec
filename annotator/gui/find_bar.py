"""Find bar (Ctrl+F): a query field with previous/next and a hit count.
Matching itself is core.search (harakat, tatweel and letter variants ignored)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.gui.fonts import arabic_font


class FindBar(QWidget):
    queryChanged = Signal(str)
    nextRequested = Signal()
    previousRequested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setObjectName("find_field")
        self.field.setFont(arabic_font(12))
        self.field.setLayoutDirection(Qt.RightToLeft)
        self.field.setPlaceholderText("بحث — ignores harakat, tatweel, alef/ya/ta-marbuta forms")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.queryChanged)
        self.field.returnPressed.connect(self._return_pressed)
        self.count = QLabel("")
        previous = QToolButton(text="▲", toolTip="Previous hit (Shift+F3)")
        previous.clicked.connect(self.previousRequested)
        following = QToolButton(text="▼", toolTip="Next hit (F3, Enter)")
        following.clicked.connect(self.nextRequested)
        close = QToolButton(text="✕", toolTip="Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (QLabel("Find:"), self.field, previous, following, self.count, close):
            layout.addWidget(widget)
        layout.setStretch(1, 1)

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def set_count(self, current: int | None, total: int) -> None:
        if not self.field.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("no hits")
        else:
            self.count.setText(f"{(current or 0) + 1} of {total}" if current is not None else f"{total} hits")

    def _return_pressed(self) -> None:
        if QApplication.keyboardModifiers() & Qt.ShiftModifier:
            self.previousRequested.emit()
        else:
            self.nextRequested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)
