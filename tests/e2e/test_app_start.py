"""The app command on a first start: default project created and seeded,
window shown (offscreen) and captured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotator.core.store import Project


def _default_project_env(tmp_path: Path) -> dict[str, str]:
    return {"QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "ANNOTATOR_PROJECT": ""}


def test_first_start_in_process_emits_loaded_with_the_first_document_shown(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtCore import QSettings

    from annotator.gui.app import open_default_or
    from annotator.gui.main_window import MainWindow

    for key, value in _default_project_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    project = open_default_or(None)
    try:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
        window = MainWindow(project, annotator="tester", settings=settings)
        qtbot.addWidget(window)
        window.resize(1280, 820)
        with qtbot.waitSignal(window.loaded, timeout=30_000):
            window.show()
        assert project.document_count() == 5
        assert window.document is not None and window.view.toPlainText()
        assert window.document_list.model.rowCount() == 5
        picture = window.grab().toImage()
        assert (picture.width(), picture.height()) == (window.width(), window.height())
    finally:
        project.close()


def test_first_start_seeds_default_project_and_saves_a_screenshot_once_loaded(tmp_path: Path) -> None:
    """The real command in its own process: that is the point of this test."""
    from PySide6.QtGui import QImage

    env = {**os.environ, **_default_project_env(tmp_path)}
    shot = tmp_path / "window.png"
    out = subprocess.run([sys.executable, "-m", "annotator", "--annotator", "tester",
                          "--screenshot", str(shot)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    picture = QImage(str(shot))
    assert (picture.width(), picture.height()) == (1280, 820)
    with Project.open(tmp_path / "data" / "arabic-annotator" / "project.db", create=False) as project:
        assert project.document_count() == 5
    # A second start does not import the seeds again.
    out = subprocess.run([sys.executable, "-m", "annotator", "--annotator", "tester",
                          "--screenshot", str(shot)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    with Project.open(tmp_path / "data" / "arabic-annotator" / "project.db", create=False) as project:
        assert project.document_count() == 5


def test_unopenable_project_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_text("not sqlite", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "annotator", "--db", str(bad), "--annotator", "t",
                          "--screenshot", str(tmp_path / "s.png")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1
    assert "not an annotator project" in out.stderr and "Traceback" not in out.stderr


def test_a_refused_annotator_name_is_one_line_error(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    db = tmp_path / "p.db"
    out = subprocess.run([sys.executable, "-m", "annotator", "--db", str(db), "--annotator",
                          "gold\u202e", "--screenshot", str(tmp_path / "s.png")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    # repr() in the message: the override is shown as an escape, not obeyed
    assert out.stderr.startswith(r"annotator: error: annotator name 'gold\u202e' holds U+202E")
    assert len(out.stderr.strip().splitlines()) == 1
