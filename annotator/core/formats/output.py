"""Atomic output: a reader never sees a half-written export.

Each file is written to a temporary file in the same folder, flushed to disk,
then renamed over the target (a rename within one folder is atomic). A folder
(brat) is built beside the target and swapped in with two renames.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
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


# Tells whether a folder was written by an earlier export (brat looks for
# its annotation.conf header), so that an export never replaces a folder of
# the user's own.
Owned = Callable[[Path], bool]


def check_replaceable(path: Path, owned: Owned | None) -> None:
    """An export may only replace an empty folder or one an earlier export
    wrote; anything else is the user's and stays untouched."""
    if path.is_dir() and any(path.iterdir()) and not (owned is not None and owned(path)):
        raise InputError(path, "folder is not empty and holds no earlier export; "
                               "choose a new or empty folder")


def install(built: Path, path: Path, owned: Owned | None = None) -> None:
    """Move a finished file or folder over ``path``."""
    if not built.is_dir():
        if path.is_dir():
            raise InputError(path, "is a folder; give a file name to export to")
        os.replace(built, path)
        return
    if path.exists() and not path.is_dir():
        raise InputError(path, "exists and is not a folder")
    check_replaceable(path, owned)
    old = None
    if path.exists():
        old = path.with_name(f".{path.name}.old-{os.getpid()}")
        os.replace(path, old)
    os.replace(built, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def atomic_folder(path: str | Path, owned: Owned) -> Iterator[Path]:
    """Build a folder at a temporary sibling; it replaces ``path`` (an empty
    folder or an earlier export) only when the block ends without an exception."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(path, "exists and is not a folder")
    if not path.parent.is_dir():
        raise InputError(path, f"folder {path.parent} does not exist")
    check_replaceable(path, owned)  # before any work, not only at the end
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
        install(tmp, path, owned)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def staged(parent: Path, owned: Owned | None = None) -> Iterator[Path]:
    """A temporary folder inside ``parent`` whose entries all move into
    ``parent`` when the block succeeds, or none of them (cancel, error): a
    split export never leaves train without dev and test."""
    # No suffix in the name: split_path() tells a folder target by its
    # missing suffix, and brat parts are built right inside this folder.
    tmp = Path(tempfile.mkdtemp(dir=parent, prefix=".export-staging-"))
    try:
        yield tmp
        entries = sorted(tmp.iterdir())
        for entry in entries:
            if entry.is_dir():
                check_replaceable(parent / entry.name, owned)
        for entry in entries:
            install(entry, parent / entry.name, owned)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
