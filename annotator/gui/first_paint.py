"""Telling when a widget has been painted for the first time.

The window's ``loaded`` signal comes from here: tests and ``--screenshot``
wait for it instead of guessing how long a start takes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Emits ``painted`` once, just after ``widget`` finishes its first paint."""

    painted = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            # The paint event is being delivered now: emit once it is done.
            QTimer.singleShot(0, self.painted.emit)
        return False
