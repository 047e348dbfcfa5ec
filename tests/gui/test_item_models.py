"""Every item model the window and the review show passes Qt's
QAbstractItemModelTester (through pytest-qt's qtmodeltester).

One check per model: the tester stays connected and checks every signal of
the in-place edits that follow (a reset, rows inserted and removed, cells
changed)."""

from __future__ import annotations

from annotator.core.model import GOLD, NewDocument, Span, Status
from annotator.core.store import Project
from annotator.gui.document_list import DocumentListModel, StatusFilter
from annotator.gui.review.dashboard import AgreementDashboard
from annotator.gui.review.review_window import ReviewDialog
from annotator.gui.span_list import SpanListModel

TEXT = "قال وزير الخارجية 😀 أمس إن المحادثات ستستأنف في القاهرة قريبا"


def _project(project: Project) -> int:
    doc = project.add_documents([NewDocument("article", TEXT), NewDocument("other", "نص آخر")])[0].id
    for name in ("lina", "omar"):
        project.add_annotator(name)
        project.add_span(doc, name, 22, 25, "DATE")
        project.set_status(doc, name, Status.DONE)
    project.add_span(doc, "lina", 4, 17, "ENTITY", {"type": "ORG"})
    project.add_span(doc, "omar", 4, 8, "ENTITY", note="وزير فقط")
    return doc


def test_document_list_model(qapp, qtmodeltester, project: Project) -> None:
    doc = _project(project)
    model = DocumentListModel()
    model.reload(project, "lina")
    proxy = StatusFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    model.set_status(doc, Status.IN_PROGRESS)
    model.add_count(doc, "ENTITY", 1)
    assert model.data(model.index(0, 1)) != model.data(model.index(1, 1))
    model.reload(project, "omar")
    assert model.rowCount() == 2


def test_span_list_model(qapp, qtmodeltester, project: Project) -> None:
    doc = _project(project)
    spans = project.spans(doc, "lina")
    model = SpanListModel()
    model.set_spans(TEXT, spans, {t.name: t.color for t in project.tags()})
    qtmodeltester.check(model)
    extra = Span(999, doc, "lina", 0, len(TEXT), "CLAIM", note="كل النص")
    model.insert(extra)
    assert model.rowCount() == len(spans) + 1
    model.remove(extra)
    assert model.rowCount() == len(spans)
    model.set_spans(TEXT, [], {})
    assert model.rowCount() == 0


def test_review_panels_models(qtbot, qtmodeltester, project: Project) -> None:
    doc = _project(project)
    dialog = ReviewDialog(project, doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for widget in (dialog.queue, dialog.versions, dialog.scores):
        qtmodeltester.check(widget.model())
    assert project.spans(doc, GOLD) == []


def test_agreement_dashboard_models(qtbot, qtmodeltester, project: Project) -> None:
    _project(project)
    dashboard = AgreementDashboard(project)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.report is not None)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    qtmodeltester.check(dashboard.matrix.model())
    qtmodeltester.check(dashboard.documents.model())
    qtmodeltester.check(dashboard.gold_table.model())
    assert dashboard.documents.model().rowCount() == 1
