"""Who is annotating: asked on first start, remembered, switchable.

Choosing a name creates nothing: the window creates the annotator's layer
with their first edit, so a reviewer who only opens a merged project to
read agreement or adjudicate does not become one more (empty) annotator.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.store import Project
from annotator.core.store.validation import check_annotator_name


def identity_prompt(project: Project) -> tuple[str, str]:
    """Title and message of the prompt, naming the project it is for."""
    names = project.annotators()
    known = (f"Annotators already in it: {', '.join(names)}." if names
             else "Nobody has annotated it yet.")
    return (f"Who is annotating {project.path.name}?",
            f"Project {project.path}\n{known}\n"
            "Your name (each annotator works in their own layer, created with your first "
            "edit; reviewing alone adds none):")


def ask_annotator(project: Project, parent: QWidget | None = None,
                  current: str | None = None) -> str | None:
    """Let the user pick or type an annotator name (checked, not yet stored).
    Returns None if cancelled."""
    names = project.annotators()
    title, message = identity_prompt(project)
    choices = names if current is None or current in names else [current, *names]
    prompt = message
    while True:
        start = choices.index(current) if current in choices else 0
        name, ok = QInputDialog.getItem(parent, title, prompt, choices, start, True)
        if not ok:
            return None
        try:
            return check_annotator_name(name.strip())
        except AnnotatorError as exc:
            prompt = f"{exc}\n{message}"


def choose_annotator(project: Project, remembered: str | None,
                     ask: Callable[[Project, str | None], str | None]) -> str | None:
    """Who opens the window: the name remembered on this machine, unless it
    is new to a project others already annotate (a merged project opened to
    review): then ``ask`` (offering the remembered name), as on first start."""
    if remembered is None:
        return ask(project, None)
    names = project.annotators()
    if names and remembered not in names:
        return ask(project, remembered)
    return remembered
