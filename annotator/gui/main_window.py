"""Main window: documents on one side, the right-to-left text view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMainWindow, QPlainTextEdit, QSplitter

from annotator.core.store import Project
from annotator.gui.fonts import arabic_font


class MainWindow(QMainWindow):
    def __init__(self, project: Project, annotator: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.annotator = annotator
        self.setWindowTitle(f"Arabic Annotator — {project.path.name}")
        self.documents = QListWidget()
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.view.setLayoutDirection(Qt.RightToLeft)
        self.view.setFont(arabic_font())
        option = self.view.document().defaultTextOption()
        option.setTextDirection(Qt.RightToLeft)
        self.view.document().setDefaultTextOption(option)
        splitter = QSplitter()
        splitter.addWidget(self.documents)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 4)
        self.setCentralWidget(splitter)
        for doc in project.documents():
            item = QListWidgetItem(doc.name)
            item.setData(Qt.UserRole, doc.id)
            self.documents.addItem(item)
        self.documents.currentItemChanged.connect(self._show_current)
        if self.documents.count():
            self.documents.setCurrentRow(0)

    def _show_current(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.view.setPlainText(self.project.document(item.data(Qt.UserRole)).text)
