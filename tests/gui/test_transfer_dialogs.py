"""Import and export dialogs: they run the same core functions as the CLI."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.core.formats.exports.dispatch import export_project
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions
from annotator.core.model import GOLD, NewDocument, NewSpan, Status
from annotator.gui import transfer
from annotator.gui.transfer import ExportDialog, ImportDialog, open_export_dialog, open_import_dialog


def _select(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_import_dialog_brings_in_the_brat_project(qtbot, project, testdata) -> None:
    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)
    _select(dialog.format, "brat")
    dialog.path.setText(str(testdata / "brat-4-annotators"))
    dialog.add_labels.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        dialog.import_button.click()
    assert dialog.changed
    assert project.annotators() == list(testdata.brat_annotators)
    assert f"{testdata.brat_spans} span(s)" in dialog.message.text()


def test_import_dialog_shows_what_was_skipped(qtbot, project) -> None:
    from tests.conftest import LOCAL_TESTDATA

    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)
    _select(dialog.format, "brat")
    dialog.path.setText(str(LOCAL_TESTDATA / "brat-standoff-features"))
    dialog.add_labels.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        dialog.import_button.click()
    # Relations and event arguments are stored (issue 12); equivalences are not.
    assert "skipped, not stored by this tool: 2 equivalence(s)" in dialog.message.text()
    assert "5 relation(s)" in dialog.message.text()


def test_import_dialog_shows_one_line_and_changes_nothing_on_bad_input(qtbot, project,
                                                                       testdata) -> None:
    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)
    _select(dialog.format, "conll")
    invalid = testdata / "doccano" / "import_labeling.invalid.conll"
    dialog.path.setText(str(invalid))
    dialog.add_labels.setChecked(True)
    dialog.import_button.click()
    assert dialog.message.text().startswith(f"Nothing imported: {invalid}:1: invalid tag")
    assert not dialog.changed and project.documents() == []
    assert dialog.result() == 0  # still open for another try


def test_export_dialog_writes_what_the_cli_writes_with_progress(qtbot, project, tmp_path: Path) -> None:
    docs = project.add_documents(NewDocument(f"d{i}", f"زار الوفد بغداد {i}") for i in range(30))
    project.add_annotator("Lisa")
    project.add_spans(NewSpan(d.id, "Lisa", 10, 15, "ENTITY", {"type": "LOC"}) for d in docs)
    project.set_status(docs[0].id, "Lisa", Status.DONE)
    dialog = ExportDialog(project, layer="Lisa")
    qtbot.addWidget(dialog)
    assert dialog.layer.currentData() == "Lisa"
    seen = []
    dialog.progress.valueChanged.connect(seen.append)
    dialog.path.setText(str(tmp_path / "gui"))  # the suffix is added for file formats
    dialog.export_button.click()
    assert dialog.running and not dialog.export_button.isEnabled()  # in the background
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.export_button.isEnabled()
    export_project(project, "own", tmp_path / "cli.jsonl", ExportOptions(layer="Lisa"))
    assert (tmp_path / "gui.jsonl").read_bytes() == (tmp_path / "cli.jsonl").read_bytes()
    assert seen[-1] == dialog.progress.maximum() == 30
    assert "30 span(s)" in dialog.message.text()
    # Only documents marked done, as doccano:
    dialog.statuses[Status.TODO].setChecked(False)
    dialog.statuses[Status.IN_PROGRESS].setChecked(False)
    _select(dialog.format, "doccano")
    dialog.path.setText(str(tmp_path / "done.jsonl"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not dialog.running)
    assert len((tmp_path / "done.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def gate_export(monkeypatch) -> threading.Event:
    """The export in the worker waits after its first progress report until
    the returned event is set: a cancel then lands mid-way, every time."""
    gate = threading.Event()
    real = transfer.export_project

    def gated(*args, progress, **kwargs):
        def held(done: int, total: int) -> None:
            progress(done, total)
            assert gate.wait(10)
        return real(*args, progress=held, **kwargs)

    monkeypatch.setattr(transfer, "export_project", gated)
    return gate


def test_export_dialog_cancel_writes_nothing(qtbot, project, tmp_path: Path, monkeypatch) -> None:
    project.add_documents(NewDocument(f"d{i}", f"نص {i}") for i in range(400))
    gate = gate_export(monkeypatch)
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "x.jsonl"))
    dialog.export_button.click()
    # Press Cancel (the Close button) as soon as the first progress arrives.
    dialog.job.progressed.connect(lambda *_: (dialog.buttons.rejected.emit(), gate.set()))
    qtbot.waitUntil(lambda: not dialog.running)
    assert "cancelled" in dialog.message.text()
    assert not (tmp_path / "x.jsonl").exists() and list(tmp_path.glob(".x.jsonl*")) == []


def test_export_dialog_error_is_one_line(qtbot, project, tmp_path: Path) -> None:
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "missing" / "x.jsonl"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.message.text().startswith("Nothing exported: ") and "\n" not in dialog.message.text()


def _when_modal(qtbot, act) -> None:
    """Run ``act(dialog)`` once the modal dialog is up."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
        else:
            act(dialog)
    QTimer.singleShot(0, poll)


def test_open_import_dialog_returns_true_when_the_project_changed(qtbot, project, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "قال الرئيس", "label": [[0, 3, "CLAIM"]]}\n', encoding="utf-8")

    def act(dialog) -> None:
        _select(dialog.format, "doccano")
        dialog.path.setText(str(source))
        dialog.import_button.click()

    _when_modal(qtbot, act)
    assert open_import_dialog(project, None) is True
    [span] = project.spans(layer=GOLD)
    assert span.label == "CLAIM"


def test_open_import_dialog_closed_without_import_returns_false(qtbot, project) -> None:
    _when_modal(qtbot, lambda dialog: dialog.reject())
    assert open_import_dialog(project, None) is False


def test_open_export_dialog_exports_every_layer(qtbot, project, tmp_path: Path) -> None:
    project.add_documents([NewDocument("d", "نص")])

    def act(dialog) -> None:
        _select(dialog.layer, ALL_LAYERS)
        dialog.path.setText(str(tmp_path / "out.jsonl"))
        dialog.export_button.click()
        qtbot.waitUntil(lambda: not dialog.running)
        dialog.reject()

    _when_modal(qtbot, act)
    assert open_export_dialog(project, None, layer="nobody-yet") is False
    assert (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("fmt", ["brat", "conll", "hf", "labelstudio"])
def test_export_dialog_formats(qtbot, project, tmp_path: Path, fmt: str) -> None:
    project.add_documents([NewDocument("d", "زار الوفد بغداد")])
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    _select(dialog.format, fmt)
    dialog.path.setText(str(tmp_path / "out"))
    assert dialog.run_export(), dialog.message.text()
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.report is not None, dialog.message.text()
    assert any(tmp_path.glob("out*"))


def test_export_dialog_closed_mid_way_writes_nothing(qtbot, project, tmp_path: Path, monkeypatch) -> None:
    project.add_documents(NewDocument(f"d{i}", f"نص {i}") for i in range(400))
    gate = gate_export(monkeypatch)
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "x.jsonl"))
    dialog.export_button.click()
    # Esc mid-way (the stop flag first: the worker is held until the gate opens).
    dialog.job.progressed.connect(lambda *_: (dialog.job.cancel(), gate.set(), dialog.done(0)))
    qtbot.waitUntil(lambda: not dialog.running)
    assert dialog.report is None
    assert not (tmp_path / "x.jsonl").exists() and list(tmp_path.glob(".x.jsonl*")) == []


def _doccano_file(tmp_path: Path, lines: int = 40) -> Path:
    source = tmp_path / "big.jsonl"
    source.write_text("".join(f'{{"text": "قال الرئيس {i}", "label": [[0, 3, "CLAIM"]]}}\n'
                              for i in range(lines)), encoding="utf-8")
    return source


def _streamed(monkeypatch) -> None:
    from annotator.core.formats.imports import line_files

    monkeypatch.setattr(line_files, "STREAM_AT_BYTES", 0)
    monkeypatch.setattr(line_files, "BATCH_LINES", 5)
    monkeypatch.setattr(line_files, "REPORT_EVERY", 64)


def test_import_cancelled_mid_way_imports_nothing_and_says_so(qtbot, project, tmp_path, monkeypatch):
    from annotator.gui import background

    _streamed(monkeypatch)
    real = transfer.import_any
    cancelled_at = []

    def cancel_in_pass_two(*args, progress, **kwargs):
        def report(done, total):
            # Past pass 1 and a few batches: written, not committed.
            if done > total // 2 + 1000 and not cancelled_at:
                cancelled_at.append(done)
                for job in list(background._RUNNING):
                    job.cancel()
            progress(done, total)
        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(transfer, "import_any", cancel_in_pass_two)
    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)
    _select(dialog.format, "doccano")
    dialog.path.setText(str(_doccano_file(tmp_path)))
    assert not dialog.run_import()
    assert cancelled_at  # the cancel came, in pass 2
    assert dialog.message.text() == "Import cancelled; nothing was imported."
    assert project.documents() == [] and not dialog.changed


def test_a_cancel_after_the_import_committed_reports_the_import(qtbot, project, tmp_path, monkeypatch):
    from annotator.gui import background

    _streamed(monkeypatch)
    real = transfer.import_any

    def cancel_too_late(*args, **kwargs):
        summary = real(*args, **kwargs)
        for job in list(background._RUNNING):
            job.cancel()
        return summary

    monkeypatch.setattr(transfer, "import_any", cancel_too_late)
    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)
    _select(dialog.format, "doccano")
    dialog.path.setText(str(_doccano_file(tmp_path)))
    assert dialog.run_import()
    assert "imported 40 new document(s)" in dialog.message.text()
    assert len(project.documents()) == 40 and dialog.changed
