"""The SQLite project file (DESIGN §5)."""

from annotator.core.store.lean_import import import_sqlite_utils

# Before any store module imports sqlite_utils (see lean_import).
import_sqlite_utils()

from annotator.core.store.project import Project, default_project_path  # noqa: E402

__all__ = ["Project", "default_project_path"]
