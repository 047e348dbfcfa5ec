"""A reviewer who opens a merged project only to review adds no layer, and
the identity prompt names the project it is for (issue 10, defect 7)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from annotator.core.review.agreement import agreement
from annotator.core.model import NewDocument
from annotator.core.store import Project
from annotator.gui.identity import ask_annotator
from annotator.gui.review.review_window import ReviewDialog

TEXT = "قال وزير الخارجية أمس إن المحادثات ستستأنف في القاهرة قريبا"


def merged(project: Project) -> int:
    doc = project.add_documents([NewDocument("article", TEXT)])[0].id
    for name in ("lina", "omar", "sara"):
        project.add_annotator(name)
        project.add_span(doc, name, 4, 17, "ENTITY")
        project.set_status(doc, name, "done")
    return doc


def test_reviewer_opening_and_adjudicating_is_no_fourth_annotator(qtbot, project, make_window):
    doc = merged(project)
    window = make_window(project, annotator="reviewer")
    assert "no layer until the first edit" in window.annotator_label.text()
    review = ReviewDialog(project, doc, window)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitExposed(review)
    review.accept_unanimous()
    assert [s.label for s in project.spans(doc, "gold")] == ["ENTITY"]
    review.close()
    assert project.annotators() == ["lina", "omar", "sara"]
    assert agreement(project).annotators == ["lina", "omar", "sara"]


def test_first_edit_creates_the_layer(qtbot, project, make_window):
    merged(project)
    window = make_window(project, annotator="reviewer")
    start = TEXT.index("القاهرة")
    window.view.set_selection(start, start + len("القاهرة"))
    qtbot.keyClick(window.view, "2")
    assert "reviewer" in project.annotators()
    assert [(s.start, s.label) for s in project.spans(layer="reviewer")] == [(start, "ENTITY")]
    assert "no layer" not in window.annotator_label.text()


def test_an_empty_layer_left_behind_by_an_undo_is_not_in_agreement(qtbot, project, make_window):
    merged(project)
    window = make_window(project, annotator="reviewer")
    start = TEXT.index("القاهرة")
    window.view.set_selection(start, start + len("القاهرة"))
    qtbot.keyClick(window.view, "2")
    window.undo_stack.undo()
    window.project.set_status(window.document.id, "reviewer", "todo")
    assert agreement(project).annotators == ["lina", "omar", "sara"]


def test_identity_prompt_names_the_project(qtbot, project, monkeypatch):
    merged(project)
    asked = []

    def get_item(parent, title, message, items, current, editable):
        asked.append((title, message, list(items)))
        return "reviewer", True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    assert ask_annotator(project) == "reviewer"
    title, message, items = asked[0]
    assert project.path.name in title and str(project.path) in message
    assert "lina, omar, sara" in message and items == ["lina", "omar", "sara"]
    assert project.annotators() == ["lina", "omar", "sara"]


def test_identity_prompt_refuses_gold_and_says_why(qtbot, project, monkeypatch):
    answers = iter([("gold", True), ("amal", True)])
    messages = []
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda parent, title, message, *a: messages.append(message) or next(answers))
    assert ask_annotator(project) == "amal"
    assert "adjudicated layer" in messages[1]


def test_dashboard_names_the_empty_layers_it_left_out(qtbot, project):
    from annotator.gui.review.dashboard import AgreementDashboard

    merged(project)
    project.add_annotator("reviewer")
    dashboard = AgreementDashboard(project)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.report is not None)
    assert "3 annotator(s)" in dashboard.summary.text()
    assert "left out, nothing annotated: reviewer" in dashboard.summary.text()
    assert dashboard.matrix.rowCount() == 3


def test_a_remembered_name_new_to_an_annotated_project_is_asked_about(project):
    from annotator.gui.identity import choose_annotator

    asked = []

    def ask(proj, current):
        asked.append(current)
        return "reviewer"

    assert choose_annotator(project, None, ask) == "reviewer"          # first start
    assert choose_annotator(project, "amal", ask) == "amal"            # nobody here yet
    merged(project)
    assert choose_annotator(project, "lina", ask) == "lina"            # one of this project's
    assert choose_annotator(project, "amal", ask) == "reviewer"        # new to a merged project
    assert asked == [None, "amal"]
