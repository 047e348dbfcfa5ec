"""Long jobs off the GUI thread: the shared helper and the agreement
dashboard on it (progress shown, cancellable, errors as one line)."""

from __future__ import annotations

import threading

import pytest

from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, NewDocument
from annotator.core.review.adjudication import Review
from annotator.core.review.agreement import agreement, scores_against_gold
from annotator.core.store import Project
from annotator.gui import background
from annotator.gui.background import BackgroundJob, JobProgress
from annotator.gui.review import dashboard as dashboard_module
from annotator.gui.review.dashboard import AgreementDashboard

TEXTS = ["قال وزير الخارجية أمس إن المحادثات ستستأنف", "أعلنت الوزارة 😀 عن خطة جديدة للقاهرة"]


@pytest.fixture
def annotated(project: Project) -> Project:
    ids = [d.id for d in project.add_documents([NewDocument(f"d{i}", t) for i, t in enumerate(TEXTS)])]
    for name in ("lina", "omar", "sara"):
        project.add_annotator(name)
        project.add_span(ids[0], name, 4, 17, "ENTITY")
    project.add_span(ids[1], "lina", 6, 13, "ENTITY")
    project.add_span(ids[1], "omar", 0, 5, "CLAIM")
    project.add_span(ids[1], "sara", 0, 5, "CLAIM")
    return project


def waiting_work(started: threading.Event, release: threading.Event):
    """A job that reports progress until cancelled (or released)."""
    def work(project: Project, report) -> str:
        report(1, 4, "first step")
        started.set()
        while not release.wait(0.005):
            report(2, 4, "waiting")
        return "released"
    return work


def test_a_job_runs_on_its_own_read_only_connection_in_another_thread(qtbot, annotated) -> None:
    seen = {}

    def work(project: Project, report) -> int:
        seen.update(thread=threading.get_ident(), same=project is annotated, read_only=project.read_only)
        report(1, 1, "counting")
        return project.document_count()

    job = BackgroundJob(annotated.path, work)
    with qtbot.waitSignal(job.succeeded, timeout=10_000) as outcome:
        job.start()
    assert outcome.args == [2]
    assert seen == {"thread": seen["thread"], "same": False, "read_only": True}
    assert seen["thread"] != threading.get_ident()
    qtbot.waitUntil(lambda: job not in background._RUNNING)


def test_a_job_error_is_one_line_and_a_cancel_stops_it(qtbot, annotated) -> None:
    def refused(project: Project, report) -> None:
        raise ValidationError("no annotator to compare")

    job = BackgroundJob(annotated.path, refused)
    with qtbot.waitSignal(job.failed, timeout=10_000) as outcome:
        job.start()
    assert outcome.args == ["no annotator to compare"]

    started, release = threading.Event(), threading.Event()
    progress = JobProgress()
    qtbot.addWidget(progress)
    job = BackgroundJob(annotated.path, waiting_work(started, release))
    ended = []
    job.succeeded.connect(ended.append)
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        progress.run(job, "Waiting")
        assert not progress.isHidden()
        qtbot.waitUntil(lambda: progress.bar.maximum() == 4)
        assert "Waiting" in progress.label.text()
        progress.cancel_button.click()
    assert ended == [] and progress.isHidden() and progress.job is None
    assert job.wait(10_000)


def test_dashboard_opens_at_once_and_fills_from_the_background(qtbot, annotated, monkeypatch) -> None:
    started, release = threading.Event(), threading.Event()
    real = dashboard_module.agreement_and_gold

    def slow(project: Project, report):
        waiting_work(started, release)(project, report)
        return real(project, report)

    monkeypatch.setattr(dashboard_module, "agreement_and_gold", slow)
    dashboard = AgreementDashboard(annotated)
    qtbot.addWidget(dashboard)
    dashboard.show()
    qtbot.waitUntil(started.is_set)
    # The GUI thread is free while the job runs: the dialog answers.
    qtbot.waitUntil(lambda: "waiting" in dashboard.progress.label.text())
    assert dashboard.report is None and not dashboard.progress.isHidden()
    assert "Computing agreement" in dashboard.summary.text()
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        release.set()
    assert dashboard.progress.isHidden()
    assert dashboard.report.to_dict() == agreement(annotated).to_dict()
    assert dashboard.matrix.rowCount() == 3


def test_dashboard_cancel_leaves_a_message_and_recompute_works(qtbot, annotated, monkeypatch) -> None:
    started, release = threading.Event(), threading.Event()
    real = dashboard_module.agreement_and_gold
    calls = []

    def first_slow(project: Project, report):
        calls.append(1)
        if len(calls) == 1:
            waiting_work(started, release)(project, report)
        return real(project, report)

    monkeypatch.setattr(dashboard_module, "agreement_and_gold", first_slow)
    dashboard = AgreementDashboard(annotated)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(started.is_set)
    assert not dashboard.recompute.isEnabled()
    dashboard.progress.cancel_button.click()
    qtbot.waitUntil(lambda: "Cancelled" in dashboard.summary.text())
    assert dashboard.report is None and dashboard.recompute.isEnabled()
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        dashboard.recompute.click()
    assert len(calls) == 2 and dashboard.report is not None


def test_dashboard_error_is_shown_in_one_line(qtbot, annotated, monkeypatch) -> None:
    def broken(project, report):
        raise ValidationError(f"{project.path}: cannot read")

    monkeypatch.setattr(dashboard_module, "agreement_and_gold", broken)
    dashboard = AgreementDashboard(annotated)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(lambda: "could not be computed" in dashboard.summary.text())
    assert "cannot read" in dashboard.summary.text() and "Traceback" not in dashboard.summary.text()


def test_a_review_from_the_dashboard_refreshes_only_gold_scores(qtbot, annotated, monkeypatch) -> None:
    dashboard = AgreementDashboard(annotated)
    qtbot.addWidget(dashboard)
    qtbot.waitUntil(lambda: dashboard.report is not None)
    assert dashboard.gold_table.rowCount() == 0
    report_before = dashboard.report
    jobs = []
    monkeypatch.setattr(dashboard_module, "BackgroundJob",
                        lambda *args: jobs.append(args) or pytest.fail("recomputed everything"))

    def review_one(project, document_id, parent=None, changed=None):
        review = Review.open(project, document_id)
        unit = next(u for u in review.units if u.version("omar").spans)
        review.accept(unit, "omar")
        changed.add(document_id)
        return True

    monkeypatch.setattr("annotator.gui.review.open_review", review_one)
    ranking = dashboard.ranking
    row = next(r for r in range(ranking.rowCount()) if ranking.index(r, 1).data() == "d1")
    dashboard.documents.doubleClicked.emit(ranking.index(row, 0))
    assert dashboard.gold_changed and jobs == [] and dashboard.report is report_before
    assert annotated.spans(layer=GOLD)
    rows = [[dashboard.gold_table.item(r, c).text() for c in range(4)]
            for r in range(dashboard.gold_table.rowCount())]
    expected = [[r.a, str(r.documents), f"{r.micro.exact_f1:.3f}", f"{r.micro.overlap_f1:.3f}"]
                for r in scores_against_gold(annotated)]
    assert rows == expected and [r[0] for r in rows] == ["lina", "omar", "sara"]


def test_run_blocking_returns_raises_and_writes_on_its_own_connection(qtbot, annotated) -> None:
    assert [t.name for t in annotated.tags()][-1] != "EVENT"  # tags cached on this connection

    def add_label(project: Project, report) -> int:
        from annotator.core.model import Tag

        assert project is not annotated and not project.read_only
        report(1, 1, "adding")
        project.add_tag(Tag("EVENT", "#7048e8"))
        return threading.get_ident()

    worker_thread = background.run_blocking(None, annotated, add_label, "Adding", access="write")
    assert worker_thread != threading.get_ident()
    assert annotated.tag("EVENT").color == "#7048e8"  # the cache was dropped: read afresh

    def refused(project: Project, report) -> None:
        raise ValidationError("d0.txt:3: not UTF-8")

    with pytest.raises(ValidationError, match=r"^d0.txt:3: not UTF-8$"):
        background.run_blocking(None, annotated, refused, "Importing", access="write")

    def cancelled(project: Project, report) -> None:
        raise background.JobCancelled  # what report raises once Cancel was pressed

    with pytest.raises(background.JobCancelled):
        background.run_blocking(None, annotated, cancelled, "Reading")
