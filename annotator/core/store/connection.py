"""Opening a project file safely, write transactions, and storage errors
as one line.

Opening happens in two steps. First a read-only connection looks at the
file: is it SQLite, one of ours, of a schema we know, undamaged? Nothing
can be written through it, so a refused file (a newer release's, a foreign
database, a damaged one) keeps its bytes and its pending ``-wal`` exactly
as they were: a read-write connection would checkpoint that ``-wal`` into
the file when it closed. Only a file that passed is opened read-write.

Writes start with BEGIN IMMEDIATE. A deferred BEGIN takes the write lock
only at the first INSERT, and when another process committed in between,
SQLite refuses the upgrade at once (SQLITE_BUSY) without waiting for the
busy timeout: that is how one of two concurrent imports died after two
seconds. Taking the write lock up front makes the second writer wait.
"""

from __future__ import annotations

import errno
import itertools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from annotator.core.errors import AnnotatorError, SchemaError

# How long a writer waits for another process's write to finish; a wait
# that runs out is a StorageError. The window keeps it short (it must not
# freeze for long); the CLI, whose user is waiting anyway, waits longer,
# so an import beside another import of a million spans still succeeds.
BUSY_TIMEOUT_S = 5.0
CLI_BUSY_TIMEOUT_S = 60.0
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")

_savepoints = itertools.count()
# What the file or the machine can cause, as opposed to our SQL.
_STORAGE_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL,
                  sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB,
                  sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM}


class StorageError(AnnotatorError):
    """The project file could not be written or read: locked by another
    program, disk full, read-only, damaged. Nothing was changed."""


def storage_error(exc: sqlite3.Error, path: Path | str) -> AnnotatorError:
    """A one-line error for what SQLite reported about ``path``."""
    primary = _primary_code(exc)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StorageError(
            f"{path}: project file is busy: another program (an import or a merge?) is writing "
            "to it; nothing was changed, try again when it is done")
    if primary == sqlite3.SQLITE_FULL:
        return StorageError(f"{path}: disk full; nothing was changed")
    if primary == sqlite3.SQLITE_READONLY:
        return StorageError(f"{path}: project file is read-only here; nothing was changed")
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StorageError(damaged_message(path, str(exc)))
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return StorageError(f"{path}: cannot use the project file ({exc})")
    return StorageError(f"{path}: {exc}")


def os_error(exc: OSError) -> AnnotatorError:
    """A one-line error for a failed file operation (an export, a folder)."""
    where = exc.filename or "<file>"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(f"{where}: disk full; the file was not written")
    return StorageError(f"{where}: {exc.strerror or exc}")


def damaged_message(path: Path | str, detail: str) -> str:
    detail = " ".join(detail.split())  # quick_check reports span several lines
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return (f"{path}: project file is damaged ({detail}); it was not changed. Restore a copy "
            "(a backup, or an annotator's copy to merge)")


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: sqlite3.Error) -> bool:
    return _primary_code(exc) == sqlite3.SQLITE_CORRUPT


def is_transient(exc: sqlite3.Error) -> bool:
    """Busy, locked, out of space or an I/O error: says nothing about
    whether the file is a project."""
    return _primary_code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL,
                                  sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN,
                                  sqlite3.SQLITE_PERM, sqlite3.SQLITE_NOMEM)


@contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path | str) -> Iterator[None]:
    """One committed write: BEGIN IMMEDIATE outermost, a savepoint when
    nested. SQLite errors of the outermost become one-line StorageErrors."""
    if conn.in_transaction:
        name = f"annotator_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # an error may have ended it already
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        if _primary_code(exc) not in _STORAGE_CODES:
            raise  # a constraint or an SQL mistake: a bug, not the file's state
        raise storage_error(exc, path) from exc


# -- opening ------------------------------------------------------------------


def check_openable(path: Path) -> None:
    """Refuse, in one line, what is not a project file we may open."""
    if path.is_dir():
        raise SchemaError(f"{path}: is a folder, not a project file")
    if not path.is_file():  # a FIFO would block the read below; a device is no project
        raise SchemaError(f"{path}: not a regular file, not a project file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError:
        raise SchemaError(f"{path}: cannot read the project file (permission denied)") from None
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read the project file ({exc.strerror})") from None
    if not header:
        wal = path.with_name(path.name + "-wal")
        if not (wal.exists() and wal.stat().st_size):
            raise SchemaError(f"{path}: empty file (0 bytes), not a project; nothing was changed "
                              "(import or merge into a path with no file creates one)")
    elif header != SQLITE_HEADER:
        raise SchemaError(f"{path}: not an annotator project (not a SQLite file)")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write the file nor checkpoint its -wal.
    In a folder we cannot write, SQLite could not create the -shm that
    mode=ro needs; but no one else can write there either (a WAL writer
    needs the -wal), so without a -wal the file is read as ``immutable``.
    Elsewhere immutable would be wrong: another process may be
    checkpointing into the file while we read it."""
    wal = path.with_name(path.name + "-wal")
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    query = "mode=ro" if wal.exists() or folder_writable else "mode=ro&immutable=1"
    uri = f"file:{quote(str(path.resolve()))}?{query}"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    return conn


def connect_read_write(path: Path, busy_timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    # isolation_level=None: no implicit deferred BEGIN; write_transaction begins.
    return sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged file. PRAGMA quick_check reads every page but skips
    the index-content checks of integrity_check: about 0.1 s per 100 MB from
    the page cache, 2.3 s from a cold disk here (bench/bench_open.py)."""
    try:
        rows = conn.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_transient(exc):
            raise storage_error(exc, path) from None
        raise SchemaError(damaged_message(path, str(exc))) from None
    problems = [r[0] for r in rows if r[0] != "ok"]
    if problems:
        raise SchemaError(damaged_message(path, "; ".join(problems)))


def writable(path: Path) -> str | None:
    """Why the file cannot be written here, or None if it can (SQLite needs
    the folder too, for the -wal and -shm files)."""
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return None


def create_exclusively(path: Path) -> None:
    """Create the empty file, failing if it exists: of two processes
    creating one project, one creates it, and only that one may remove it
    again when its first write fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except FileExistsError:
        raise SchemaError(f"{path}: another program is creating this project file; "
                          "try again") from None
    except OSError as exc:
        raise os_error(exc) from None


def remove_project_file(path: Path) -> None:
    """Remove a project file this process created, with its side files."""
    for suffix in ("", *SIDE_FILES):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
