"""GUI fixtures: a window on a project file, with throw-away QSettings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def make_window(qtbot, qsettings):
    """make_window(project, annotator="amal") -> a shown MainWindow."""
    from annotator.gui.main_window import MainWindow

    def make(project, annotator: str = "amal", size=(1200, 800)):
        window = MainWindow(project, annotator=annotator, settings=qsettings)
        qtbot.addWidget(window)
        window.resize(*size)
        # Label hotkeys are window shortcuts: they need an active window.
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        window.view.setFocus()
        return window

    return make


@pytest.fixture
def add_doc(project):
    """add_doc(text) -> document id in the fresh project."""
    from annotator.core.model import NewDocument

    def add(text: str, name: str = "doc") -> int:
        return project.add_documents([NewDocument(name, text)])[0].id

    return add
