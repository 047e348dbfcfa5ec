"""Edit > Tag set…: the labels in a table; change a colour, hotkey,
description or style (underline or background), or add a label. Every change is Project.update_tag/add_tag,
saved at once; a refused one (ValidationError) is shown under the table and
the cell goes back to what is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import Tag
from annotator.core.store.project import Project
from annotator.gui.tag_bar import swatch

NAME, KEY, COLOR, DESCRIPTION, ATTRIBUTES, UNDERLINE = range(6)
_EDITABLE = {KEY: "hotkey", DESCRIPTION: "description"}


class TagSetDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tag_set_dialog")
        self.setWindowTitle("Tag set")
        self.project = project
        self.changed = False
        self.names: list[str] = []

        hint = QLabel("Double-click a key or description to edit it; click a colour to change it. "
                      "Labels cannot be removed: spans refer to them.")
        hint.setWordWrap(True)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("tag_table")
        self.table.setHorizontalHeaderLabels(["Label", "Key", "Colour", "Description", "Attributes", "Underline"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                   | QAbstractItemView.AnyKeyPressed)
        header = self.table.horizontalHeader()
        for column in (NAME, KEY, COLOR):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.Stretch)
        header.setSectionResizeMode(ATTRIBUTES, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(UNDERLINE, QHeaderView.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)

        self.error = QLabel()
        self.error.setObjectName("tag_set_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c92a2a;")
        self.error.hide()

        self.new_name = QLineEdit()
        self.new_name.setObjectName("new_label_name")
        self.new_name.setPlaceholderText("New label, e.g. EVENT")
        self.new_name.returnPressed.connect(self.add_label)
        add = QPushButton("Add label")
        add.setObjectName("add_label")
        add.setAutoDefault(False)
        add.clicked.connect(self.add_label)
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(add)

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.Close).setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(adding)
        layout.addWidget(buttons)
        self.resize(780, 320)
        self.fill()

    # -- showing ----------------------------------------------------------------

    def fill(self) -> None:
        tags = self.project.tags()
        self.names = [tag.name for tag in tags]
        self.table.blockSignals(True)
        self.table.setRowCount(len(tags))
        for row, tag in enumerate(tags):
            self._show_row(row, tag)
        self.table.blockSignals(False)

    def _show_row(self, row: int, tag: Tag) -> None:
        # Items are reused, not replaced: this runs inside itemChanged.
        blocked = self.table.blockSignals(True)
        cells = {NAME: tag.name, KEY: tag.hotkey or "", DESCRIPTION: tag.description,
                 ATTRIBUTES: tag.attribute_summary()}
        for column, text in cells.items():
            item = self.table.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                if column not in _EDITABLE:
                    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                if column == KEY:
                    item.setTextAlignment(Qt.AlignCenter)
                    item.setToolTip("One character, not used by another label; empty for none")
                self.table.setItem(row, column, item)
            item.setText(text)
        underline = self.table.item(row, UNDERLINE)
        if underline is None:
            underline = QTableWidgetItem()
            underline.setFlags((underline.flags() | Qt.ItemIsUserCheckable) & ~Qt.ItemIsEditable)
            underline.setToolTip("Drawn as an underline, for labels whose spans hold others "
                                 "(CLAIM); else a background")
            self.table.setItem(row, UNDERLINE, underline)
        underline.setCheckState(Qt.Checked if tag.style == "underline" else Qt.Unchecked)
        button = self.table.cellWidget(row, COLOR)
        if not isinstance(button, QPushButton):
            button = QPushButton()
            button.setAutoDefault(False)
            button.setFlat(True)
            button.clicked.connect(lambda _=False, b=button: self.choose_color(b.property("label")))
            self.table.setCellWidget(row, COLOR, button)
        button.setObjectName(f"color_{tag.name}")
        button.setProperty("label", tag.name)
        button.setIcon(swatch(tag.color))
        button.setText(tag.color)
        self.table.blockSignals(blocked)

    def row_of(self, name: str) -> int:
        return self.names.index(name)

    def show_error(self, message: str) -> None:
        self.error.setText(f"⚠ {message}")
        self.error.setVisible(bool(message))

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    # -- changing ---------------------------------------------------------------

    def update_tag(self, name: str, **changes: object) -> bool:
        """Save one change; False (and the error shown) when it is refused."""
        try:
            tag = self.project.update_tag(name, **changes)
        except AnnotatorError as exc:
            tag = self.project.tag(name)
            self.show_error(str(exc))
            ok = False
        else:
            self._clear_error()
            self.changed = True
            ok = True
        self._show_row(self.row_of(name), tag)
        return ok

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == UNDERLINE:
            style = "underline" if item.checkState() == Qt.Checked else "background"
            if style != self.project.tag(self.names[item.row()]).style:
                self.update_tag(self.names[item.row()], style=style)
            return
        field = _EDITABLE.get(item.column())
        if field is None:
            return
        value = item.text().strip() if field == "hotkey" else item.text()
        self.update_tag(self.names[item.row()], **{field: value or None} if field == "hotkey"
                        else {field: value})

    def choose_color(self, name: str) -> None:
        color = QColorDialog.getColor(QColor(self.project.tag(name).color), self,
                                      f"Colour of {name}")
        if color.isValid():
            self.update_tag(name, color=color.name())

    def add_label(self) -> bool:
        name = self.new_name.text().strip()
        try:
            tag = self.project.add_tag(Tag(name))
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return False
        self._clear_error()
        self.changed = True
        self.new_name.clear()
        self.fill()
        row = self.row_of(tag.name)
        self.table.setCurrentCell(row, KEY)
        self.table.scrollToItem(self.table.item(row, KEY))
        return True


def open_tag_set_dialog(project: Project, parent: QWidget | None = None) -> bool:
    """Run the dialog; True when the tag set changed."""
    dialog = TagSetDialog(project, parent)
    dialog.exec()
    changed = dialog.changed
    dialog.deleteLater()
    return changed
