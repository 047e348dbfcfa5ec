"""The app command on a first start: default project created and seeded,
window shown (offscreen) and captured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotator.core.store import Project


def test_first_start_seeds_default_project_and_shows_window(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "ANNOTATOR_PROJECT": ""}
    shot = tmp_path / "window.png"
    out = subprocess.run([sys.executable, "-m", "annotator", "--annotator", "tester",
                          "--screenshot", str(shot)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert shot.stat().st_size > 10_000  # a real picture, not an empty grab
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
