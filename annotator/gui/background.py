"""Long jobs started from the window, off the GUI thread (issue 15).

A ``BackgroundJob`` runs ``work(project, report)`` in a QThread on a project
connection of its own, opened from the project's path (read-only unless the
job writes: an import, a merge): a sqlite3 connection is never shared across
threads, and the window keeps reading and writing through its own (WAL lets
both go on). ``report(done, total, what)``
publishes progress and is where a cancelled job stops: it raises
``JobCancelled`` inside the worker, which then closes its connection and
ends. ``JobProgress`` is the bar, the text and the Cancel button a dialog
shows while a job runs.

Results and errors come back as queued signals, so every slot runs on the
GUI thread. ``run_blocking`` is the same for code that wants the answer
before it goes on (a merge asks about conflicts between runs): a modal
progress dialog and a local event loop keep the window painted meanwhile. A job whose owner goes away (a dialog closed mid-way) is
cancelled and kept alive until its thread ends; the application waits for
such stragglers as it quits.
"""

from __future__ import annotations

import gc
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QProgressDialog, QPushButton, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.store import Project

# (done, total, what is being done); total 0 means "not known yet"
Report = Callable[[int, int, str], None]
Work = Callable[[Project, Report], Any]

_RUNNING: set["BackgroundJob"] = set()
_GC_LOCK = threading.Lock()
_GC_PAUSE = [0, True]  # jobs running, whether the collector was on before the first


def _pause_gc(pause: bool) -> None:
    """Python's cyclic collector off while a job runs. A job builds millions
    of objects (every span of the project); each collector pass then walked
    them holding the GIL, and the window froze for up to 2.4 s at a time
    (20,000 documents x 5 annotators, measured; raising only the oldest
    generation's threshold still left 1 s passes). At the end what the job
    left alive (its result) is frozen out of later passes instead of walked
    once more (2.2 s); reference counting still frees it. The price: cyclic
    garbage made while a job ran is never collected, a small leak."""
    with _GC_LOCK:
        _GC_PAUSE[0] += 1 if pause else -1
        if pause and _GC_PAUSE[0] == 1:
            _GC_PAUSE[1] = gc.isenabled()
            gc.disable()
        elif not pause and _GC_PAUSE[0] == 0 and _GC_PAUSE[1]:
            gc.freeze()
            gc.enable()


class JobCancelled(Exception):
    """Raised by ``report`` in the worker once the job was cancelled."""


class _Worker(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, path: Path, work: Work, access: str) -> None:
        super().__init__()
        self.path = path
        self.work = work
        self.access = access
        self.stop = threading.Event()
        self.error: BaseException | None = None  # what ``work`` raised, for run_blocking
        self.result: list[Any] = []  # what it returned, once it did

    def report(self, done: int, total: int, what: str = "") -> None:
        if self.stop.is_set():
            raise JobCancelled
        self.progressed.emit(done, total, what)

    def run(self) -> None:
        _pause_gc(True)
        try:
            with Project.opening(self.path, access=self.access) as project:
                result = self.work(project, self.report)
        except JobCancelled:
            self.cancelled.emit()
        except AnnotatorError as exc:
            self.error = exc
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - our bug: say so, never die silently in a thread
            self.error = exc
            traceback.print_exc(file=sys.stderr)
            self.failed.emit(f"internal error: {exc.__class__.__name__}: {exc}")
        else:
            # A job that wrote and returned has committed: a cancel that came
            # too late must not say nothing was done.
            if self.stop.is_set() and self.access == "read-only":
                self.cancelled.emit()
            else:
                self.result.append(result)
                self.succeeded.emit(result)
        finally:
            _pause_gc(False)


class BackgroundJob(QObject):
    """One run of ``work`` on its own connection to ``path`` (``access`` as
    for ``Project.open``: "read-only" unless the job writes)."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, path: Path, work: Work, parent: QObject | None = None,
                 access: str = "read-only") -> None:
        super().__init__(parent)
        self.worker = _Worker(Path(path), work, access)
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


def run_blocking(parent: QWidget | None, project: Project, work: Work, caption: str, *,
                 access: str = "read-only", cancellable: bool = True) -> Any:
    """Run ``work`` in the background and return its result, the window
    painted and a progress dialog shown meanwhile (after 300 ms, so a quick
    job flashes nothing). An error ``work`` raised is raised here; a
    cancelled job raises ``JobCancelled``. ``cancellable=False`` for work
    with no progress reports, which could not stop before its end anyway.
    A job that wrote leaves the caller's cached tags and lengths dropped."""
    _install_quit_hook()
    job = BackgroundJob(project.path, work, access=access)
    dialog = QProgressDialog(f"{caption}…", "Cancel" if cancellable else None, 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(job.cancel)

    def progressed(done: int, total: int, what: str) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(done)
        dialog.setLabelText(f"{caption}: {what}…" if what else f"{caption}…")

    job.progressed.connect(progressed)
    loop = QEventLoop()
    job.worker.finished.connect(loop.quit)
    job.start()
    if job.running:
        loop.exec()
    job.wait()
    dialog.close()
    dialog.deleteLater()
    if access != "read-only":
        project.forget_cached()
    if job.worker.error is not None:
        raise job.worker.error
    if not job.worker.result:
        raise JobCancelled
    return job.worker.result[0]
