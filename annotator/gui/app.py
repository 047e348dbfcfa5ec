"""Application start-up: open the project, ask who is annotating, show the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from annotator.core.errors import AnnotatorError
from annotator.core.importing import import_seeds
from annotator.core.store import Project, default_project_path
from annotator.gui.fonts import register_arabic_font


def open_default_or(db: str | None) -> Project:
    """The given project, or the user's default one (seeded on first start)."""
    path = Path(db) if db else default_project_path()
    first_start = not path.exists()
    project = Project.open(path)
    if db is None and (first_start or project.document_count() == 0):
        import_seeds(project)
    return project


def run(db: str | None = None, annotator: str | None = None, screenshot: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Arabic Annotator")
    app.setOrganizationName("arabic-annotator")
    register_arabic_font()
    try:
        project = open_default_or(db)
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 1
    from annotator.gui.identity import ask_annotator
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import WindowSettings

    settings = QSettings()
    annotator = annotator or WindowSettings(settings).annotator
    if annotator is None and not screenshot:
        # First start: ask who is annotating; the window remembers it.
        annotator = ask_annotator(project)
        if annotator is None:
            project.close()
            return 0
    window = MainWindow(project, annotator=annotator, settings=settings)
    window.resize(1280, 820)
    window.show()
    if screenshot:
        def grab() -> None:
            window.grab().save(screenshot)
            app.quit()

        window.loaded.connect(grab)
    code = app.exec()
    project.close()
    return code
