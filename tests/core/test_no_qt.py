"""The core is importable with Qt made impossible to import (DESIGN §2)."""

from __future__ import annotations

import subprocess
import sys

BLOCK_QT_AND_IMPORT_CORE = r"""
import importlib, pkgutil, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
            raise ImportError(f"Qt is blocked in this test: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
import annotator.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "annotator.core.")]
for name in names:
    importlib.import_module(name)
assert not any(m.startswith(("PySide6", "shiboken6")) for m in sys.modules)
print(len(names))
"""


def test_every_core_module_imports_without_qt() -> None:
    out = subprocess.run([sys.executable, "-c", BLOCK_QT_AND_IMPORT_CORE],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) >= 8  # the walk really found the modules


def test_core_tests_and_store_work_with_qt_blocked(tmp_path) -> None:
    script = BLOCK_QT_AND_IMPORT_CORE + f"""
from annotator.core.store import Project
from annotator.core.formats.imports.plain_text import import_seeds
with Project.open({str(tmp_path / 'p.db')!r}) as p:
    assert import_seeds(p).added == 5
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
