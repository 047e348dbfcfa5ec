"""Freeing a big QTextDocument off the GUI thread.

Replacing a 20 MB text with another made QPlainTextEdit destroy the old
laid-out document inside setPlainText: 35-55 ms of the Ctrl+PgDn that left
it (issue 15). A view about to show another text instead takes a fresh
document and hands the old one to a thread that only deletes what it is
given; nothing else holds the old document by then.
"""

from __future__ import annotations

import atexit

import shiboken6
from PySide6.QtCore import QThread
from PySide6.QtGui import QTextDocument

BIG = 1_000_000  # characters: smaller documents are freed where they are, in a millisecond

_reaper: QThread | None = None
# Held until deleted there: a wrapper Python let go of would delete its
# document in this thread, which is what reaping avoids.
_held: list[QTextDocument] = []


def _stop() -> None:
    if _reaper is not None:
        _reaper.quit()
        _reaper.wait()


def reap(document: QTextDocument) -> None:
    """Delete ``document`` (parentless, shown by nothing) in the reaper thread."""
    global _reaper
    if _reaper is None:
        _reaper = QThread()
        _reaper.setObjectName("document reaper")
        _reaper.start()
        atexit.register(_stop)
    _held[:] = [d for d in _held if shiboken6.isValid(d)]
    _held.append(document)
    document.moveToThread(_reaper)
    document.deleteLater()  # runs in the reaper's event loop
