"""The reviewer's screens: agreement dashboard, per-document adjudication,
merging annotators' copies. The main window calls these three lazily; each
is modal and returns once the reviewer closes it."""

from __future__ import annotations

from annotator.core.store import Project


def open_agreement_dashboard(project: Project, parent=None) -> bool:  # noqa: ANN001 - QWidget
    """Agreement figures; True when a review opened from them changed gold."""
    from annotator.gui.review.dashboard import AgreementDashboard

    dashboard = AgreementDashboard(project, parent)
    dashboard.exec()
    return dashboard.gold_changed


def open_review(project: Project, document_id: int, parent=None,  # noqa: ANN001 - QWidget
                changed: set[int] | None = None) -> bool:
    """Adjudicate from one document on; True when gold changed. ``changed``
    receives the ids of the documents where gold was written."""
    from annotator.gui.review.review_window import ReviewDialog

    dialog = ReviewDialog(project, document_id, parent)
    dialog.exec()
    if changed is not None:
        changed.update(dialog.changed_documents)
    return dialog.changed


def merge_copies(project: Project, parent=None) -> bool:  # noqa: ANN001 - QWidget
    """Ask for annotators' copies and merge them; True when the project changed."""
    from annotator.gui.review.merge_dialog import run_merge

    return run_merge(project, parent)


__all__ = ["open_agreement_dashboard", "open_review", "merge_copies"]
