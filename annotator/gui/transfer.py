"""Import and export dialogs (File menu). They only gather options and call
the same core functions as the CLI (annotator.core.formats); every error is
an AnnotatorError shown as one line, never a traceback. An export runs in
the background (gui/background.py) on its own read-only connection: the
window stays responsive and Close cancels it, writing nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.formats import spacy_docbin
from annotator.core.formats.exports.dispatch import EXPORT_FORMATS, SUFFIXES, FormatOptions, export_project
from annotator.core.formats.imports.dispatch import DOCUMENT_FORMATS, IMPORT_FORMATS, import_any
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions, Split
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.model import GOLD, Status
from annotator.core.store.project import Project
from annotator.gui.background import BackgroundJob, JobCancelled, run_blocking

_FORMAT_NAMES = {
    "text": "Plain text (.txt, folders, JSONL with \"text\")", "jsonl": "JSONL documents",
    "own": "Annotator JSONL (lossless)", "doccano": "doccano JSONL", "labelstudio": "Label Studio JSON",
    "brat": "brat standoff (folder)", "conll": "CoNLL / BIO", "hf": "Hugging Face token rows (JSONL)",
    "spacy": "spaCy DocBin",
}
_FOLDER_FORMATS = {"brat"}


def _path_row(edit: QLineEdit, parent: QWidget, *, save: bool, folder_button: bool) -> QWidget:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit)
    file_button = QPushButton("File…", row)
    file_button.clicked.connect(lambda: _choose_file(edit, parent, save))
    layout.addWidget(file_button)
    if folder_button:
        button = QPushButton("Folder…", row)
        button.clicked.connect(lambda: _choose_folder(edit, parent))
        layout.addWidget(button)
    return row


def _choose_file(edit: QLineEdit, parent: QWidget, save: bool) -> None:
    chooser = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
    path, _ = chooser(parent, "Choose a file", edit.text())
    if path:
        edit.setText(path)


def _choose_folder(edit: QLineEdit, parent: QWidget) -> None:
    path = QFileDialog.getExistingDirectory(parent, "Choose a folder", edit.text())
    if path:
        edit.setText(path)


class ImportDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.changed = False
        self.setWindowTitle("Import")
        self.format = QComboBox(self)
        for key in DOCUMENT_FORMATS + IMPORT_FORMATS:
            self.format.addItem(_FORMAT_NAMES[key], key)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("file or folder")
        self.annotator = QLineEdit(self)
        self.annotator.setPlaceholderText("layer named in the file, else gold")
        self.add_labels = QCheckBox("Add labels the tag set lacks", self)
        self.units = QComboBox(self)
        self.units.addItem("automatic", None)
        for unit in OffsetUnits:
            self.units.addItem(unit.value, unit)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("From", _path_row(self.path, self, save=False, folder_button=True))
        form.addRow("Into layer", self.annotator)
        form.addRow("", self.add_labels)
        form.addRow("Offsets count", self.units)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.AcceptRole)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    def _format_changed(self) -> None:
        annotations = self.format.currentData() in IMPORT_FORMATS
        for widget in (self.annotator, self.add_labels, self.units):
            widget.setEnabled(annotations)

    def run_import(self) -> bool:
        """Import with the chosen options; on success close the dialog."""
        if not self.path.text().strip():
            self.message.setText("Choose a file or folder to import.")
            return False
        fmt = self.format.currentData()
        paths = [self.path.text().strip()]
        annotator = self.annotator.text().strip() or None if fmt in IMPORT_FORMATS else None
        add_labels = self.add_labels.isChecked() and fmt in IMPORT_FORMATS
        units = self.units.currentData() if fmt in IMPORT_FORMATS else None

        def work(project: Project, report) -> str:  # noqa: ANN001 - runs in the worker
            return import_any(project, fmt, paths, annotator=annotator, add_labels=add_labels,
                              offset_units=units, progress=lambda done, total: report(done, total, ""))

        try:
            # One transaction on the worker's own connection: all or nothing.
            # Annotation imports report progress (a streamed one as it reads)
            # and a last time before their commit, where a cancel rolls back.
            summary = run_blocking(self, self.project, work, "Importing", access="write",
                                   cancellable=fmt in IMPORT_FORMATS)
        except JobCancelled:
            self.message.setText("Import cancelled; nothing was imported.")
            return False
        except AnnotatorError as exc:
            self.message.setText(f"Nothing imported: {exc}")
            return False
        self.changed = True
        self.message.setText(summary)
        self.accept()
        return True


class ExportDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None, layer: str | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.report = None
        self.job: BackgroundJob | None = None
        self.setWindowTitle("Export")
        self.format = QComboBox(self)
        for key in EXPORT_FORMATS:
            self.format.addItem(_FORMAT_NAMES[key], key)
        if not spacy_docbin.available():
            item = self.format.model().item(EXPORT_FORMATS.index("spacy"))
            item.setEnabled(False)
            item.setToolTip("needs spaCy: pip install 'arabic-annotator[spacy]'")
        self.layer = QComboBox(self)
        for name in project.layers():
            self.layer.addItem(name, name)
        self.layer.addItem("every layer", ALL_LAYERS)
        index = self.layer.findData(layer if layer in project.layers() else GOLD)
        self.layer.setCurrentIndex(index)
        self.statuses = {status: QCheckBox(status.value.replace("_", " "), self) for status in Status}
        status_row = QWidget(self)
        row = QHBoxLayout(status_row)
        row.setContentsMargins(0, 0, 0, 0)
        for box in self.statuses.values():
            box.setChecked(True)
            row.addWidget(box)
        self.labels = QListWidget(self)
        for tag in project.tags():
            item = QListWidgetItem(tag.name, self.labels)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
        self.labels.setMaximumHeight(90)
        self.split = QCheckBox("Split into train / dev / test", self)
        self.ratios = [self._ratio(v) for v in (0.8, 0.1, 0.1)]
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2**31 - 1)
        split_row = QWidget(self)
        row = QHBoxLayout(split_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.split)
        for box in self.ratios:
            row.addWidget(box)
        row.addWidget(QLabel("seed", self))
        row.addWidget(self.seed)
        self.doccano_shape = QComboBox(self)
        self.doccano_shape.addItems(["label", "entities"])
        self.units = QComboBox(self)
        for unit in OffsetUnits:
            self.units.addItem(unit.value, unit)
        self.proclitics = QCheckBox("Split proclitics (و ف ب ك ل ال) into tokens", self)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("file (a folder for brat)")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Layer", self.layer)
        form.addRow("Documents", status_row)
        form.addRow("Labels", self.labels)
        form.addRow("", split_row)
        form.addRow("doccano shape", self.doccano_shape)
        form.addRow("Offsets count", self.units)
        form.addRow("", self.proclitics)
        form.addRow("To", _path_row(self.path, self, save=True, folder_button=True))
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        self.buttons.accepted.connect(self.run_export)
        self.buttons.rejected.connect(self._close_or_cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _ratio(self, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(0.0, 1.0)
        box.setSingleStep(0.05)
        box.setValue(value)
        return box

    def options(self) -> tuple[ExportOptions, FormatOptions]:
        statuses = frozenset(s for s, box in self.statuses.items() if box.isChecked())
        labels = frozenset(self.labels.item(i).text() for i in range(self.labels.count())
                           if self.labels.item(i).checkState() == Qt.Checked)
        export = ExportOptions(
            layer=self.layer.currentData(),
            statuses=None if len(statuses) == len(Status) else statuses,
            labels=None if len(labels) == self.labels.count() else labels,
            split=Split(tuple(b.value() for b in self.ratios), self.seed.value())  # type: ignore[arg-type]
            if self.split.isChecked() else None,
        )
        fmt = FormatOptions(doccano_shape=self.doccano_shape.currentText(),
                            offset_units=self.units.currentData(),
                            split_proclitics=self.proclitics.isChecked())
        return export, fmt

    @property
    def running(self) -> bool:
        return self.job is not None

    def run_export(self) -> bool:
        """Start the export with progress; True when it started. The dialog
        stays open to show the report (or the one-line error)."""
        if self.running:
            return False
        target = self.path.text().strip()
        if not target:
            self.message.setText("Choose where to export to.")
            return False
        fmt = self.format.currentData()
        if SUFFIXES[fmt] and not Path(target).suffix:
            target += SUFFIXES[fmt]
            self.path.setText(target)
        export, format_options = self.options()

        def work(project: Project, report):  # noqa: ANN001, ANN202 - runs in the worker
            return export_project(project, fmt, target, export, format_options,
                                  progress=lambda done, total: report(done, total, ""))

        self.job = job = BackgroundJob(self.project.path, work, self)
        job.progressed.connect(self._progress)
        job.succeeded.connect(self._exported)
        job.failed.connect(lambda message: self._ended(f"Nothing exported: {message}"))
        job.cancelled.connect(lambda: self._ended("Export cancelled; nothing was written."))
        self.export_button.setEnabled(False)
        self.message.setText("Exporting…")
        job.start()
        return True

    def _progress(self, done: int, total: int, _what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _exported(self, report) -> None:  # noqa: ANN001 - an ExportReport
        self.report = report
        self._ended(report.summary())

    def _ended(self, message: str) -> None:
        if self.job is not None:
            self.job.wait()
        self.job = None
        self.export_button.setEnabled(True)
        self.message.setText(message)

    def _close_or_cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        else:
            self.reject()

    def done(self, result: int) -> None:
        # Closed mid-way (Esc): stop the export and let it remove its
        # temporary file before the dialog goes.
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
            self.job = None
        super().done(result)


def open_import_dialog(project: Project, parent: QWidget | None = None) -> bool:
    """Run the import dialog; True when the project changed."""
    dialog = ImportDialog(project, parent)
    dialog.exec()
    return dialog.changed


def open_export_dialog(project: Project, parent: QWidget | None = None, layer: str | None = None) -> bool:
    """Run the export dialog; an export never changes the project: False."""
    dialog = ExportDialog(project, parent, layer)
    dialog.exec()
    return False
