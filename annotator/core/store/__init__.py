"""The SQLite project file (DESIGN §5)."""

from annotator.core.store.project import Project, default_project_path

__all__ = ["Project", "default_project_path"]
