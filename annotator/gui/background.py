"""Long jobs started from the window, off the GUI thread (issue 15).

A ``BackgroundJob`` runs ``work(project, report)`` in a QThread on a project
connection of its own, opened read-only from the project's path: a sqlite3
connection is never shared across threads, and the window keeps reading and
writing through its own (WAL lets both go on). ``report(done, total, what)``
publishes progress and is where a cancelled job stops: it raises
``JobCancelled`` inside the worker, which then closes its connection and
ends. ``JobProgress`` is the bar, the text and the Cancel button a dialog
shows while a job runs.

Results and errors come back as queued signals, so every slot runs on the
GUI thread. A job whose owner goes away (a dialog closed mid-way) is
cancelled and kept alive until its thread ends; the application waits for
such stragglers as it quits.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.store import Project

# (done, total, what is being done); total 0 means "not known yet"
Report = Callable[[int, int, str], None]
Work = Callable[[Project, Report], Any]

_RUNNING: set["BackgroundJob"] = set()


class JobCancelled(Exception):
    """Raised by ``report`` in the worker once the job was cancelled."""


class _Worker(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, path: Path, work: Work) -> None:
        super().__init__()
        self.path = path
        self.work = work
        self.stop = threading.Event()

    def report(self, done: int, total: int, what: str = "") -> None:
        if self.stop.is_set():
            raise JobCancelled
        self.progressed.emit(done, total, what)

    def run(self) -> None:
        try:
            with Project.opening(self.path, access="read-only") as project:
                result = self.work(project, self.report)
        except JobCancelled:
            self.cancelled.emit()
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - our bug: say so, never die silently in a thread
            traceback.print_exc(file=sys.stderr)
            self.failed.emit(f"internal error: {exc.__class__.__name__}: {exc}")
        else:
            if self.stop.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)


class BackgroundJob(QObject):
    """One run of ``work`` on its own read-only connection to ``path``."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, path: Path, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = _Worker(Path(path), work)
        self.worker.progressed.connect(self.progressed)
        self.worker.succeeded.connect(self.succeeded)
        self.worker.failed.connect(self.failed)
        self.worker.cancelled.connect(self.cancelled)
        self.worker.finished.connect(self._finished)

    def start(self) -> None:
        _RUNNING.add(self)
        self.worker.start()

    @property
    def running(self) -> bool:
        return self.worker.isRunning()

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report; returns at once."""
        self.worker.stop.set()

    def abandon(self) -> None:
        """Cancel and forget: the owner is going away, the thread ends later.
        Signals still queued are not delivered to the owner any more."""
        self.cancel()
        for signal in (self.progressed, self.succeeded, self.failed, self.cancelled):
            try:
                signal.disconnect()
            except (RuntimeError, TypeError):  # nothing was connected
                pass
        self.setParent(None)

    def wait(self, milliseconds: int = 30_000) -> bool:
        return self.worker.wait(milliseconds)

    def _finished(self) -> None:
        # finished arrives queued, possibly a moment before the thread has
        # returned: destroying a running QThread aborts the process.
        self.worker.wait()
        _RUNNING.discard(self)


def wait_for_running_jobs() -> None:
    """Cancel what is still running and wait for it (the application quits:
    a QThread destroyed while it runs aborts the process)."""
    for job in list(_RUNNING):
        job.cancel()
        job.wait()


def _install_quit_hook() -> None:
    app = QCoreApplication.instance()
    if app is not None and not app.property("annotator_jobs_hook"):
        app.setProperty("annotator_jobs_hook", True)
        app.aboutToQuit.connect(wait_for_running_jobs)


class JobProgress(QWidget):
    """A job's progress: what it does, a bar, and Cancel. Hidden when idle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(240)
        self.cancel_button = QPushButton("Cancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.job: BackgroundJob | None = None
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    def run(self, job: BackgroundJob, what: str) -> None:
        """Show ``job``'s progress under the caption ``what`` and start it."""
        _install_quit_hook()
        self.job = job
        self.caption = what
        self.label.setText(f"{what}…")
        self.bar.setRange(0, 0)  # busy until the first report says how much
        self.cancel_button.setEnabled(True)
        job.progressed.connect(self._progressed)
        for signal in (job.succeeded, job.failed, job.cancelled):
            signal.connect(self._ended)
        self.show()
        job.start()

    def _progressed(self, done: int, total: int, what: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        self.label.setText(f"{self.caption}: {what}…" if what else f"{self.caption}…")

    def _ended(self, *_: object) -> None:
        self.job = None
        self.hide()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(f"{self.caption}: cancelling…")

    def abandon(self) -> None:
        """The owner closes: cancel the job and let it end on its own."""
        if self.job is not None:
            self.job.abandon()
            self.job = None
        self.hide()
