"""The agreement dashboard and the GUI merge, on real project files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from annotator.core.model import NewDocument
from annotator.core.store import Project
from annotator.gui.review import merge_copies, open_agreement_dashboard
from annotator.gui.review import merge_dialog
from annotator.gui.review.dashboard import AgreementDashboard

TEXTS = ["قال وزير الخارجية أمس إن المحادثات ستستأنف", "أعلنت الوزارة عن خطة جديدة للقاهرة"]


def copy_of(path: Path, name: str, spans: list[tuple[int, int, int, str]]) -> Path:
    with Project.open(path) as p:
        p.add_annotator(name)
        ids = [d.id for d in p.add_documents([NewDocument(f"d{i}", t) for i, t in enumerate(TEXTS)])]
        for index, start, end, label in spans:
            p.add_span(ids[index], name, start, end, label)
    return path


@pytest.fixture
def annotated(project: Project) -> Project:
    ids = [d.id for d in project.add_documents([NewDocument(f"d{i}", t) for i, t in enumerate(TEXTS)])]
    for name in ("lina", "omar", "sara"):
        project.add_annotator(name)
        project.add_span(ids[0], name, 4, 17, "ENTITY")
    project.add_span(ids[1], "lina", 6, 13, "ENTITY")  # the second document is the disputed one
    project.add_span(ids[1], "omar", 0, 5, "CLAIM")
    project.add_span(ids[1], "sara", 0, 5, "CLAIM")
    return project


def test_dashboard_matrix_alpha_chart_and_documents(qtbot, annotated: Project) -> None:
    dashboard = AgreementDashboard(annotated)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.report is not None)
    dashboard.label_box.setCurrentText("ENTITY")
    dashboard.figure_box.setCurrentIndex(0)  # exact F1
    assert dashboard.matrix.rowCount() == 3
    # lina/omar agree on the first document's entity; lina has one more on the second.
    assert dashboard.matrix.item(0, 1).text() == "0.667"
    assert dashboard.matrix.item(1, 2).text() == "1.000"
    assert dashboard.matrix.item(0, 0).text() == ""
    assert "alpha (ENTITY)" in dashboard.alpha_label.text()
    ranking = dashboard.documents.model()
    names = [ranking.index(r, 1).data() for r in range(ranking.rowCount())]
    assert names == ["d1", "d0"]
    series, groups = dashboard.chart.series, dashboard.chart.groups
    assert series == ["exact F1", "overlap F1", "kappa", "alpha"]
    assert [g[0] for g in groups] == ["CLAIM", "ENTITY", "all (micro)"]


def test_dashboard_chart_is_drawn(qtbot, annotated: Project) -> None:
    dashboard = AgreementDashboard(annotated)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.report is not None)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    image = dashboard.chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)}
    assert "#1c7ed6" in colours  # exact F1 bars are on screen


def test_open_agreement_dashboard_with_no_annotators(qtbot, project: Project) -> None:
    QTimer.singleShot(0, lambda: next(w for w in QApplication.topLevelWidgets()
                                      if isinstance(w, AgreementDashboard) and w.isVisible()
                                      ).done(QDialog.Accepted))
    assert open_agreement_dashboard(project, None) is False


def test_gui_merge_renames_on_conflict(qtbot, project: Project, tmp_path: Path, monkeypatch) -> None:
    first = copy_of(tmp_path / "a.db", "lina", [(0, 4, 17, "ENTITY")])
    second = copy_of(tmp_path / "b.db", "lina", [(0, 4, 8, "ENTITY")])
    reports = []
    monkeypatch.setattr(merge_dialog, "report_result", lambda parent, report: reports.append(report))
    monkeypatch.setattr(merge_dialog, "choose_copies", lambda parent: [str(first)])
    assert merge_copies(project, None) is True
    asked = []
    monkeypatch.setattr(merge_dialog, "choose_copies", lambda parent: [str(second)])
    monkeypatch.setattr(merge_dialog, "resolve_conflict",
                        lambda parent, conflict: asked.append(conflict.annotator) or ("rename", "lina-b"))
    assert merge_copies(project, None) is True
    assert asked == ["lina"] and project.annotators() == ["lina", "lina-b"]
    assert merge_copies(project, None) is False  # the same copy again changes nothing
    assert len(reports) == 3


def test_gui_merge_error_is_shown_not_raised(qtbot, project: Project, tmp_path: Path, monkeypatch) -> None:
    errors = []
    monkeypatch.setattr(merge_dialog, "choose_copies", lambda parent: [str(tmp_path / "missing.db")])
    monkeypatch.setattr(merge_dialog, "show_error", lambda parent, message: errors.append(message))
    assert merge_copies(project, None) is False
    assert errors and "no such project file" in errors[0]
