"""Editing a unit's gold span in the text itself: the document shown right
to left with the span highlighted, its edges moved a word at a time with
the same keys as the annotation window (Alt+arrows; Ctrl+Alt+arrows for
one letter), or a new selection dragged over the text. A resizable window;
offsets (code points, end exclusive) only in a tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from annotator.core.text.boundaries import move_boundary, selection_to_span
from annotator.core.errors import AnnotatorError
from annotator.gui.fonts import arabic_font
from annotator.gui.highlights import Highlight, Style
from annotator.gui.text_view import ArabicTextView

SPAN_COLOR = "#212529"
EXCERPT = 120  # code points of the span shown in full below the text

# Right to left: the start edge is on the right, moving right is earlier
# (as in the annotation window's Span menu).
EDGE_KEYS = [
    ("Alt+Right", "start", -1, "word"), ("Alt+Left", "start", 1, "word"),
    ("Alt+Shift+Left", "end", 1, "word"), ("Alt+Shift+Right", "end", -1, "word"),
    ("Ctrl+Alt+Right", "start", -1, "char"), ("Ctrl+Alt+Left", "start", 1, "char"),
    ("Ctrl+Alt+Shift+Left", "end", 1, "char"), ("Ctrl+Alt+Shift+Right", "end", -1, "char"),
]
HELP = ("Drag over the text to choose the span (Alt held: exact letters) · Alt+Right / Alt+Left "
        "move the start a word · Alt+Shift+Left / Alt+Shift+Right move the end · Ctrl adds: one "
        "letter · Enter saves, Esc cancels")


class EditGoldDialog(QDialog):
    def __init__(self, text: str, labels: list[str], start: int, end: int, label: str,
                 parent: QWidget | None = None, label_colors: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit gold span")
        self.text = text
        self.start, self.end = start, end
        self.label_colors = label_colors or {}
        self.label_box = QComboBox()
        self.label_box.addItems(labels)
        self.label_box.setCurrentText(label)
        self.label_box.setFocusPolicy(Qt.ClickFocus)  # arrows belong to the text
        self.label_box.currentTextChanged.connect(lambda _: self._update())
        self.view = ArabicTextView()
        self.view.set_text(text)
        self.view.selectionMade.connect(self._selected)
        self.preview = QLabel()
        self.preview.setFont(arabic_font(13))
        self.preview.setLayoutDirection(Qt.RightToLeft)
        self.preview.setWordWrap(True)
        # Apart from the Arabic: a right-to-left label would reorder
        # "CLAIM — 13 characters" around it.
        self.size_label = QLabel()
        self.message = QLabel()
        self.message.setStyleSheet("color: #c92a2a")
        help_label = QLabel(HELP)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #495057")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Label"))
        top.addWidget(self.label_box)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        below = QHBoxLayout()
        below.addWidget(self.size_label)
        below.addWidget(self.preview, 1)
        layout.addLayout(below)
        layout.addWidget(help_label)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        for key, edge, step, unit in EDGE_KEYS:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda e=edge, s=step, u=unit: self.move_edge(e, s, u))
        self.resize(820, 460)
        self._update()
        self.view.setFocus()

    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt event
        super().showEvent(event)
        # Scrolling needs a laid-out text: only possible once shown.
        QTimer.singleShot(0, lambda: self.view.scroll_to(self.start, self.end))

    def values(self) -> tuple[int, int, str]:
        return self.start, self.end, self.label_box.currentText()

    def move_edge(self, edge: str, step: int, unit: str) -> None:
        try:
            self.start, self.end = move_boundary(
                self.text, self.start, self.end, edge, step, unit)  # type: ignore[arg-type]
        except AnnotatorError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        self._update()
        self.view.scroll_to(self.start, self.end)

    def _selected(self, start: int, end: int) -> None:
        # The view snapped a drag to words (or letters with Alt) already;
        # this only trims spaces and refuses a selection with no word.
        try:
            self.start, self.end = selection_to_span(self.text, start, end, precise=True)
        except AnnotatorError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        self.view.set_selection(self.end)
        self._update()

    def _update(self) -> None:
        start, end, label = self.values()
        color = self.label_colors.get(label, SPAN_COLOR)
        self.view.layer("span").set_highlights(
            [Highlight(start, end, color, Style.BACKGROUND), Highlight(start, end, SPAN_COLOR, Style.FRAME)])
        self.view.refresh_highlights()
        piece = " ".join(self.text[start:end].split())
        if len(piece) > EXCERPT:
            piece = piece[:EXCERPT - 1] + "…"
        self.preview.setText(f"«{piece}»")
        self.size_label.setText(f"{label}, {end - start} characters:")
        for widget in (self.preview, self.size_label):
            widget.setToolTip(f"code points [{start}, {end})")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(start < end)
