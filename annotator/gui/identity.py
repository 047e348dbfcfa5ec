"""Who is annotating: asked on first start, remembered, switchable."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.store import Project


def ask_annotator(project: Project, parent: QWidget | None = None,
                  current: str | None = None) -> str | None:
    """Let the user pick or type an annotator name; creates its layer.
    Returns None if cancelled."""
    names = project.annotators()
    message = "Your name (each annotator works in their own layer):"
    while True:
        start = names.index(current) if current in names else 0
        name, ok = QInputDialog.getItem(parent, "Who is annotating?", message, names, start, True)
        if not ok:
            return None
        try:
            return project.add_annotator(name.strip())
        except AnnotatorError as exc:
            message = f"{exc}\nYour name:"
