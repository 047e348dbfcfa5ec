"""One button per label (colour swatch, hotkey, name). Each label's action
carries its hotkey, and Alt+hotkey for character precision."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QApplication, QToolBar, QWidget

from annotator.core.model import Tag


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class TagBar(QToolBar):
    # label, precise (Alt held or Alt+hotkey)
    labelChosen = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Labels", parent)
        self.setObjectName("tag_bar")
        self.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.label_actions: dict[str, QAction] = {}

    def set_tags(self, tags: list[Tag]) -> None:
        for action in self.label_actions.values():
            self.removeAction(action)
            action.deleteLater()
        self.label_actions = {}
        for tag in tags:
            hotkey = f"{tag.hotkey}  " if tag.hotkey else ""
            action = QAction(swatch(tag.color), f"{hotkey}{tag.name}", self)
            action.setObjectName(f"tag_{tag.name}")
            action.setToolTip(f"{tag.name}: {tag.description}\n"
                              f"Key {tag.hotkey or '—'} (Alt+{tag.hotkey or '…'}: exact characters)")
            if tag.hotkey:
                action.setShortcuts([QKeySequence(tag.hotkey), QKeySequence(f"Alt+{tag.hotkey}")])
            action.triggered.connect(lambda _=False, name=tag.name: self._chosen(name))
            self.addAction(action)
            self.label_actions[tag.name] = action

    def _chosen(self, name: str) -> None:
        self.labelChosen.emit(name, bool(QApplication.keyboardModifiers() & Qt.AltModifier))
