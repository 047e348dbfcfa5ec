"""Editing a unit's gold span: offsets and label, with the text it covers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from annotator.gui.fonts import arabic_font


class EditGoldDialog(QDialog):
    """Start and end are code points, end exclusive, as everywhere."""

    def __init__(self, text: str, labels: list[str], start: int, end: int, label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit gold span")
        self.text = text
        self.start_box = QSpinBox(maximum=len(text))
        self.end_box = QSpinBox(maximum=len(text))
        self.start_box.setValue(start)
        self.end_box.setValue(end)
        self.label_box = QComboBox()
        self.label_box.addItems(labels)
        self.label_box.setCurrentText(label)
        self.preview = QLabel()
        self.preview.setFont(arabic_font())
        self.preview.setLayoutDirection(Qt.RightToLeft)
        self.preview.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Label", self.label_box)
        form.addRow("Start", self.start_box)
        form.addRow("End (exclusive)", self.end_box)
        form.addRow("Text", self.preview)
        form.addRow(self.buttons)
        for box in (self.start_box, self.end_box):
            box.valueChanged.connect(self._update)
        self._update()

    def values(self) -> tuple[int, int, str]:
        return self.start_box.value(), self.end_box.value(), self.label_box.currentText()

    def _update(self) -> None:
        start, end, _ = self.values()
        valid = start < end
        self.preview.setText(self.text[start:end] if valid else "(empty: end must be after start)")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(valid)
