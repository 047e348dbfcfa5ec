"""Atomic output: a reader never sees a half-written export.

Each file is written to a temporary file in the same folder, flushed to disk,
then renamed over the target (a rename within one folder is atomic). A folder
(brat) is built beside the target and swapped in with two renames.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from annotator.core.errors import InputError


@contextmanager
def atomic_file(path: str | Path, *, binary: bool = False) -> Iterator[IO]:
    """Open a temporary file for writing; it replaces ``path`` only when the
    block ends without an exception."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder; give a file name to export to")
    if not path.parent.is_dir():
        raise InputError(path, f"folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if binary:
            handle: IO = os.fdopen(fd, "wb")
        else:
            # newline="" : we write "\n" ourselves; no CRLF translation on Windows.
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_file(path, binary=True) as handle:
        handle.write(data)


@contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """Build a folder at a temporary sibling; it replaces ``path`` (which may
    exist) only when the block ends without an exception."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(path, "exists and is not a folder")
    if not path.parent.is_dir():
        raise InputError(path, f"folder {path.parent} does not exist")
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if path.exists():
        old = path.with_name(f".{path.name}.old-{os.getpid()}")
        os.replace(path, old)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
