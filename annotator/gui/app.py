"""Application start-up: open the project, ask who is annotating, show the window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.formats.imports.plain_text import import_seeds
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


DEBUG_LOG_VARIABLE = "ANNOTATOR_DEBUG_LOG"
log = logging.getLogger("annotator.gui")


def _start_debug_log() -> None:
    """With ANNOTATOR_DEBUG_LOG=1 the window prints what it does and saves
    on stderr, one line each: end-to-end tests wait on these lines."""
    if os.environ.get(DEBUG_LOG_VARIABLE, "") in ("", "0"):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("annotator-log: %(message)s"))
    logger = logging.getLogger("annotator")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _log_ready(window: QWidget) -> None:
    view = window.view  # type: ignore[attr-defined]
    viewport = view.viewport()
    corner = viewport.mapToGlobal(QPoint(0, 0))
    log.info("window ready view=%d,%d,%d,%d line_height=%d margin=%d", corner.x(), corner.y(),
             viewport.width(), viewport.height(), view.fontMetrics().lineSpacing(),
             int(view.document().documentMargin()))


def run(db: str | None = None, annotator: str | None = None, screenshot: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Arabic Annotator")
    app.setOrganizationName("arabic-annotator")
    register_arabic_font()
    _start_debug_log()
    try:
        project = open_default_or(db)
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 1
    from annotator.gui.identity import ask_annotator, choose_annotator
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import WindowSettings

    settings = QSettings()
    if annotator is None and not screenshot:
        # First start, or a project others annotate that this name is new
        # to: ask who is annotating; the window remembers it.
        log.info("asking who is annotating")
        annotator = choose_annotator(project, WindowSettings(settings).annotator,
                                     lambda p, current: ask_annotator(p, None, current))
        if annotator is None:
            project.close()
            return 0
    try:
        window = MainWindow(project, annotator=annotator, settings=settings)
    except AnnotatorError as exc:  # --annotator (or a saved name) the name rule refuses
        print(f"annotator: error: {exc}; start with --annotator NAME", file=sys.stderr)
        project.close()
        return 1
    window.resize(1280, 820)
    window.show()
    QTimer.singleShot(0, lambda: _log_ready(window))
    if screenshot:
        def grab() -> None:
            window.grab().save(screenshot)
            app.quit()

        window.loaded.connect(grab)
    code = app.exec()
    project.close()
    log.info("closed")
    return code
