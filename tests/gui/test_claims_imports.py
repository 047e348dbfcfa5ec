"""numpy (the claim index's) is imported only when an index is built: not
by the window, `annotator claims` or the claims view's table. Checked in a
fresh interpreter, since this process has long imported everything."""

from __future__ import annotations

import os
import subprocess
import sys


def test_numpy_comes_only_with_an_index() -> None:
    code = ("import sys, annotator.gui.main_window, annotator.cli.claims, "
            "annotator.core.claims.table\n"
            "assert 'numpy' not in sys.modules, 'imported without an index'\n"
            "import annotator.core.claims.similarity\n"
            "assert 'numpy' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
