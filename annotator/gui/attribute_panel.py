"""Side panel for the selected span: its text and line:column, label, the
label's attributes (built from the tag set), "unsure", and a free note. It
only reports requested changes; the window turns them into undoable project
edits. In the note, Ctrl+Enter saves it and marks the document done, Esc
saves it and goes back to the text, Tab moves on (no tab characters)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from annotator.core.model import Span, Tag
from annotator.core.text.orientation import LineIndex

HEADING_CHARS = 60


class AttributePanel(QWidget):
    # span id, changes for Project.update_span (label=, attributes=, note=)
    changeRequested = Signal(int, dict)
    # Ctrl+Enter in the note: saved, now mark the document done.
    doneRequested = Signal()
    # Esc in the note: saved, give the keyboard back to the text.
    leaveRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.span: Span | None = None
        self.tags: dict[str, Tag] = {}
        self.text = ""
        self._lines: LineIndex | None = None
        self.form = QFormLayout(self)
        self.heading = QLabel("No span selected")
        self.heading.setWordWrap(True)
        self.form.addRow(self.heading)
        self.label_box = QComboBox()
        self.label_box.activated.connect(self._label_chosen)
        self.form.addRow("Label", self.label_box)
        self.attribute_widgets: dict[str, QComboBox | QLineEdit] = {}
        self.unsure = QCheckBox("Unsure")
        self.unsure.toggled.connect(self._unsure_toggled)
        self.form.addRow(self.unsure)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Note: saved when you leave the field (Tab, Esc);"
                                     " Ctrl+Enter saves and marks the document done")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        self.note.installEventFilter(self)
        self.note.textChanged.connect(self._note_changed)
        self.form.addRow("Note", self.note)
        self.setFocusProxy(self.label_box)
        self._loading = False
        self._note_edited = False
        self.show_span(None)

    def set_tags(self, tags: list[Tag]) -> None:
        self.tags = {t.name: t for t in tags}
        self.label_box.clear()
        self.label_box.addItems(list(self.tags))

    def set_text(self, text: str, lines: LineIndex | None = None) -> None:
        """The open document's text, for the heading's excerpt and position
        (``lines``: its line index, shared with the span list)."""
        self.text = text
        self._lines = lines

    @property
    def lines(self) -> LineIndex:
        if self._lines is None or self._lines.text is not self.text:
            self._lines = LineIndex(self.text)
        return self._lines

    def focus_first(self) -> None:
        widgets = list(self.attribute_widgets.values())
        (widgets[0] if widgets else self.note).setFocus(Qt.ShortcutFocusReason)

    def _heading(self, span: Span) -> str:
        piece = self.text[span.start:span.end].replace("\n", " ⏎ ")
        if len(piece) > HEADING_CHARS:
            piece = piece[:HEADING_CHARS] + "…"
        # A line index, not position_text: counting the lines from the
        # start of a 20 MB text took 25 ms per keypress.
        return f"{span.label} at {self.lines.position_text(span.start, span.end)}: {piece}"

    def show_span(self, span: Span | None) -> None:
        self._loading = True
        try:
            self.span = span
            for widget in self.attribute_widgets.values():
                # Not removeRow, which deletes the widget at once: this runs
                # inside a combo box's own key press (its activated signal
                # saved the edit that shows the span again), and Qt went on
                # using the deleted box (a crash 1 run in 5 under Xvfb).
                row = self.form.takeRow(widget)
                for item in (row.labelItem, row.fieldItem):
                    if item is not None and item.widget() is not None:
                        item.widget().hide()
                        item.widget().deleteLater()
            self.attribute_widgets = {}
            enabled = span is not None
            for widget in (self.label_box, self.unsure, self.note):
                widget.setEnabled(enabled)
            if span is None:
                self.heading.setText("No span selected")
                self.heading.setToolTip("")
                self.unsure.setChecked(False)
                self.note.setPlainText("")
                return
            self.heading.setText(self._heading(span))
            self.heading.setToolTip(f"offsets [{span.start}, {span.end})")
            self.label_box.setCurrentText(span.label)
            tag = self.tags.get(span.label)
            for row, (name, spec) in enumerate((tag.attributes if tag else {}).items(), start=2):
                widget = self._attribute_widget(name, spec, span.attributes.get(name))
                self.form.insertRow(row, name.capitalize(), widget)
                self.attribute_widgets[name] = widget
            self.unsure.setChecked(bool(span.attributes.get("unsure")))
            self.note.setPlainText(span.note)
        finally:
            # What the field shows is now the saved note: only an edit made
            # after this (textChanged outside loading) is committed.
            self._note_edited = False
            self._loading = False

    def _attribute_widget(self, name: str, spec: dict[str, Any], value: Any) -> QComboBox | QLineEdit:
        if "values" in spec:
            box = QComboBox()
            box.setObjectName(f"attribute_{name}")
            box.addItem("—", None)
            for option in spec["values"]:
                box.addItem(str(option), option)
            box.setCurrentIndex(max(0, box.findData(value)))
            box.activated.connect(lambda _=0, n=name, b=box: self._set_attribute(n, b.currentData()))
            return box
        edit = QLineEdit("" if value is None else str(value))
        edit.setObjectName(f"attribute_{name}")
        if spec.get("format") == "iso8601":
            edit.setPlaceholderText("ISO 8601: 2021, 2021-12 or 2021-12-05")
        edit.editingFinished.connect(lambda n=name, e=edit: self._set_attribute(n, e.text().strip() or None))
        return edit

    # -- requests ------------------------------------------------------------------

    def _request(self, **changes: Any) -> None:
        if self.span is not None and not self._loading:
            self.changeRequested.emit(self.span.id, changes)

    def _label_chosen(self, _index: int) -> None:
        if self.span is not None and self.label_box.currentText() != self.span.label:
            self._request(label=self.label_box.currentText())

    def _set_attribute(self, name: str, value: Any) -> None:
        if self.span is None or self.span.attributes.get(name) == value:
            return
        attributes = dict(self.span.attributes)
        if value is None:
            attributes.pop(name, None)
        else:
            attributes[name] = value
        self._request(attributes=attributes)

    def _unsure_toggled(self, checked: bool) -> None:
        self._set_attribute("unsure", True if checked else None)

    def _note_changed(self) -> None:
        if not self._loading:
            self._note_edited = True

    def commit_note(self) -> None:
        # Only when the annotator edited the field: toPlainText() is not the
        # stored note (NBSP comes back as a space, U+2028 as a newline;
        # DESIGN §3), so comparing the two alone would rewrite such notes.
        if self.span is None or not self._note_edited:
            return
        self._note_edited = False
        text = self.note.toPlainText()
        if text != self.span.note:
            self._request(note=text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note:
            if event.type() == QEvent.FocusOut:
                self.commit_note()
            elif event.type() == QEvent.KeyPress and isinstance(event, QKeyEvent):
                if (event.key() in (Qt.Key_Return, Qt.Key_Enter)
                        and event.modifiers() & Qt.ControlModifier):
                    self.commit_note()
                    self.doneRequested.emit()
                    return True
                if event.key() == Qt.Key_Escape:
                    self.commit_note()
                    self.leaveRequested.emit()
                    return True
        return super().eventFilter(watched, event)
