"""PySide6 6.12.0 on Python 3.11 corrupts None's reference count on every
void Qt call and aborts after ~5,000 (DESIGN §7). 20,000 such calls in a
child process catch a bad upgrade without killing the test run."""

from __future__ import annotations

import os
import subprocess
import sys

VOID_CALLS = r"""
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication([])
edit = QPlainTextEdit()
for i in range(20_000):
    edit.setReadOnly(i % 2 == 0)   # returns None
    edit.setUpdatesEnabled(True)   # returns None
print("ok")
"""


def test_twenty_thousand_void_calls_do_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", VOID_CALLS], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 0, f"PySide6 aborted (see DESIGN §7): {out.stderr[-500:]}"
    assert out.stdout.strip() == "ok"
