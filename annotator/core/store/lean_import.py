"""Import sqlite-utils without pandas and numpy.

sqlite-utils imports pandas and numpy whenever they are installed, only to
map their value types to column types; the store never writes such values.
The test extras (datasets, spaCy, scikit-learn) install both into the same
environment, which made every command and the window pay ~0.3 s and ~100 MB
for them (issue 15). Hiding them for the one import keeps sqlite-utils on its
pure-Python path; anything that imports pandas later gets the real module.
"""

from __future__ import annotations

import sys
from types import ModuleType

_HIDDEN = ("pandas", "numpy")


def import_sqlite_utils() -> ModuleType:
    """sqlite_utils, imported (once) with pandas and numpy hidden unless
    something already imported them."""
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        # A None entry makes `import name` raise ImportError, which
        # sqlite-utils treats as "not installed".
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
        import sqlite_utils.db  # noqa: F401  (where the probe happens)
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return sqlite_utils
