"""Opening a project file: what is checked before anything may be written.

1. A path with no file is created only when asked (``import`` into a new
   path), exclusively, and removed again if setting it up fails.
2. An existing file must be readable, non-empty and SQLite: a zero-byte
   file is never silently made a project.
3. A read-only connection (``mode=ro``, so no checkpoint of a pending
   -wal) checks that it is one of ours, of a schema we know, and passes
   PRAGMA quick_check. A refused file is closed with its bytes unchanged.
4. Only then is it opened read-write (and migrated), or kept read-only for
   a command that only reads a file it cannot write, and for merge copies.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from annotator.core.errors import SchemaError
from annotator.core.store import schema
from annotator.core.store.connection import (
    BUSY_TIMEOUT_S,
    check_openable,
    connect_read_only,
    connect_read_write,
    create_exclusively,
    damaged_message,
    is_damage,
    is_transient,
    quick_check,
    remove_project_file,
    storage_error,
    writable,
    write_transaction,
)

ACCESS = ("write", "read", "read-only")


@dataclass
class Opened:
    db: Database
    read_only: bool = False
    created: bool = False


def open_database(path: Path, *, create: bool, access: str,
                  busy_timeout: float = BUSY_TIMEOUT_S) -> Opened:
    """See the module notes; every refusal is a one-line SchemaError."""
    if access not in ACCESS:
        raise ValueError(f"unknown access {access!r}")
    if not path.exists():
        if path.is_symlink():
            raise SchemaError(f"{path}: symbolic link to a file that does not exist")
        if not create or access != "write":
            raise SchemaError(f"{path}: no such project file")
        return _create(path, busy_timeout)
    check_openable(path)
    conn = _checked_read_only(path)
    reason = writable(path)
    if access == "read-only" or (access == "read" and reason):
        return Opened(_read_only(conn, path), read_only=True)
    conn.close()
    if reason:
        raise SchemaError(f"{path}: cannot change the project: {reason}; commands that only "
                          "read it (list, export, agreement, tags) still work")
    return Opened(_setup(connect_read_write(path, busy_timeout), path, new=False))


def _checked_read_only(path: Path) -> sqlite3.Connection:
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as exc:
        raise SchemaError(f"{path}: cannot open the project file ({exc})") from None
    try:
        # execute_plugins=False: no sqlite-utils plugin touches our connection, and
        # loading them scans every installed distribution's entry points.
        if schema.check_compatible(Database(conn, execute_plugins=False), str(path)):  # no tables
            raise SchemaError(f"{path}: SQLite file holds no tables: not an annotator project; "
                              "refusing to modify it")
        quick_check(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_damage(exc):  # the schema pages themselves
            raise SchemaError(damaged_message(path, str(exc))) from None
        if is_transient(exc):  # busy, an I/O error: not a verdict on the file
            raise storage_error(exc, path) from None
        raise SchemaError(f"{path}: not an annotator project ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _create(path: Path, busy_timeout: float) -> Opened:
    create_exclusively(path)
    try:
        db = _setup(connect_read_write(path, busy_timeout), path, new=True)
    except BaseException:
        remove_project_file(path)
        raise
    return Opened(db, created=True)


def _setup(conn: sqlite3.Connection, path: Path, *, new: bool) -> Database:
    db = Database(conn, execute_plugins=False)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        if new or db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        # FULL: a committed edit survives power loss too, not only a crash.
        db.execute("PRAGMA synchronous = FULL")
        # Under the write lock, so that two processes opening an older file
        # do not both migrate it (migrate() looks again inside the lock);
        # an up-to-date file is opened without waiting for another writer.
        if schema.migrations.pending(db):
            with write_transaction(conn, path):
                schema.migrate(db)
    except sqlite3.Error as exc:
        conn.close()
        raise storage_error(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return db


def _read_only(conn: sqlite3.Connection, path: Path) -> Database:
    db = Database(conn, execute_plugins=False)
    if not schema.migrations.pending(db):
        return db
    # An older file is upgraded in a private copy in memory, never in place.
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.backup(memory)
    finally:
        conn.close()
    with write_transaction(memory, path):
        schema.migrate(Database(memory, execute_plugins=False))
    return Database(memory, execute_plugins=False)
