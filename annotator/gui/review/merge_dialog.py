"""The GUI side of merging copies: pick files, settle name conflicts, report.

The questions are module functions so tests (and a future wizard) can
answer them without driving native file dialogs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.review.merge import MergeConflict, MergeReport, merge_into
from annotator.core.store import Project
from annotator.gui.background import run_blocking

RENAME, REPLACE = "rename", "replace"


def choose_copies(parent: QWidget | None) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(
        parent, "Merge annotators' copies", "", "Annotator projects (*.db *.sqlite);;All files (*)")
    return paths


def resolve_conflict(parent: QWidget | None, conflict: MergeConflict) -> tuple[str, str] | None:
    """(RENAME, new name) or (REPLACE, name), or None to cancel."""
    box = QMessageBox(QMessageBox.Warning, "Same annotator, different work",
                      str(conflict), parent=parent)
    rename = box.addButton("Rename incoming…", QMessageBox.AcceptRole)
    replace = box.addButton("Copy replaces project's", QMessageBox.DestructiveRole)
    box.addButton(QMessageBox.Cancel)
    box.exec()
    if box.clickedButton() is replace:
        return REPLACE, conflict.annotator
    if box.clickedButton() is rename:
        name, ok = QInputDialog.getText(parent, "Rename incoming annotator",
                                        f"Bring {conflict.annotator!r} from {conflict.copy.name} in as:",
                                        text=f"{conflict.annotator}-{conflict.copy.stem}")
        return (RENAME, name.strip()) if ok and name.strip() else None
    return None


def report_result(parent: QWidget | None, report: MergeReport) -> None:
    layers = ", ".join(f"{name} {state}" for name, state in sorted(report.layers.items()))
    QMessageBox.information(parent, "Merge finished",
                            f"{layers or 'no annotator layers'}.\n{report.summary()}.")


def show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, "Merge failed", message)


def run_merge(project: Project, parent: QWidget | None = None) -> bool:
    paths = choose_copies(parent)
    if not paths:
        return False
    renames: dict[str, str] = {}
    replace: set[str] = set()
    while True:
        try:
            # In the background on a connection of its own (merging 10,000
            # documents takes seconds); merge_into reports no progress, so
            # there is nothing to cancel at: all or nothing, as in the CLI.
            report = run_blocking(
                parent, project, lambda own, _report: merge_into(own, paths, renames, replace),
                "Merging copies", access="write", cancellable=False)
        except MergeConflict as conflict:
            if conflict.annotator in renames.values() or conflict.annotator in replace:
                # Renames apply to every copy: two copies of one name clash again.
                show_error(parent, f"{conflict}. Merge those copies one at a time to rename only one.")
                return False
            answer = resolve_conflict(parent, conflict)
            if answer is None:
                return False
            if answer[0] == REPLACE:
                replace.add(answer[1])
            else:
                renames[conflict.annotator] = answer[1]
            continue
        except AnnotatorError as exc:
            show_error(parent, str(exc))
            return False
        report_result(parent, report)
        return report.changed
