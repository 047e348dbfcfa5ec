"""Probes of the project file as an unlucky user meets it (issue 8, items
8-11): pending -wal files of refused projects, empty and damaged files, a
full disk, read-only opening, and hand-edited merge copies. Each refusal is
one line and leaves every byte as it was."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, InputError, SchemaError
from annotator.core.review.merge import merge_into
from annotator.core.model import NewDocument
from annotator.core.store import Project
from annotator.core.store.connection import StorageError
from annotator.core.store.schema import SCHEMA_VERSION, migrations

TEXTS = ["قال الرئيس إن القوات ستنسحب", "أعلنت الوزارة أمس عن خطة جديدة 😀", "نص ثالث للتجربة"]
ACCESS = ["write", "read", "read-only"]


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def files(path: Path) -> tuple[str | None, str]:
    """The project file and its -wal, byte for byte (the -shm is only an
    index). No -wal counts as an empty one: a read-only reader of a WAL file
    leaves SQLite's empty -wal behind, which holds nothing."""
    wal = path.with_name(path.name + "-wal")
    return digest(path), hashlib.sha256(wal.read_bytes() if wal.exists() else b"").hexdigest()


def make_project(path: Path, documents: int = 3, spans_per_document: int = 2) -> Path:
    with Project.open(path) as p:
        p.add_annotator("lina")
        texts = [f"{TEXTS[i % 3]} {i}" for i in range(documents)]
        for added in p.add_documents([NewDocument(f"n{i}", t) for i, t in enumerate(texts)]):
            for k in range(spans_per_document):
                p.add_span(added.id, "lina", k * 4, k * 4 + 3, "ENTITY")
    return path


def with_pending_wal(path: Path, statements: list[str]) -> Path:
    """Copy ``path`` with ``statements`` committed only to its -wal, as a
    process killed before its checkpoint leaves it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    for statement in statements:
        conn.execute(statement)
    copy = path.with_name("copy.db")
    copy.write_bytes(path.read_bytes())
    copy.with_name("copy.db-wal").write_bytes(path.with_name(path.name + "-wal").read_bytes())
    conn.close()
    return copy


# -- item 9: a refused file with a pending -wal is neither checkpointed nor rewritten --------


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("statements, match", [
    ([f"PRAGMA user_version = {SCHEMA_VERSION + 1}"], "newer version"),
    (["INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
      "VALUES ('annotator', 'm999_future', 'x')"], "m999_future"),
    (["DROP TABLE statuses"], "not an annotator project"),
])
def test_refused_file_keeps_its_pending_wal(tmp_path: Path, access: str, statements: list[str],
                                            match: str) -> None:
    copy = with_pending_wal(make_project(tmp_path / "p.db"), statements)
    before = files(copy)
    assert copy.with_name("copy.db-wal").stat().st_size > 0
    with pytest.raises(SchemaError, match=match):
        Project.open(copy, access=access)
    assert files(copy) == before


def test_accepted_file_with_pending_wal_keeps_what_the_wal_holds(tmp_path: Path) -> None:
    copy = with_pending_wal(make_project(tmp_path / "p.db"),
                            ["INSERT INTO layers (name, kind, created_at) VALUES ('omar', 'annotator', 'x')"])
    with Project.open(copy, access="read-only") as p:
        assert p.annotators() == ["lina", "omar"]
    with Project.open(copy) as p:
        assert p.annotators() == ["lina", "omar"]


# -- item 10: empty files and files made by a refused import ----------------------------------


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("create", [True, False])
def test_zero_byte_file_is_never_made_a_project(tmp_path: Path, access: str, create: bool) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(SchemaError, match=r"empty\.db: empty file \(0 bytes\), not a project"):
        Project.open(empty, create=create, access=access)
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_sqlite_file_without_tables_is_not_made_a_project(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")  # writes the header: a valid SQLite file with no tables
    conn.close()
    before = digest(path)
    with pytest.raises(SchemaError, match="holds no tables"):
        Project.open(path)
    assert digest(path) == before


def test_a_failed_block_removes_the_file_it_created_and_nothing_else(tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    with pytest.raises(AnnotatorError, match="refused"):
        with Project.opening(new, create=True) as p:
            p.add_documents([NewDocument("a", TEXTS[0])])
            raise AnnotatorError("refused")
    assert list(tmp_path.iterdir()) == []
    existing = make_project(tmp_path / "p.db")
    with pytest.raises(AnnotatorError, match="refused"):
        with Project.opening(existing, create=True) as p:
            raise AnnotatorError("refused")
    with Project.open(existing) as p:
        assert p.document_count() == 3


def test_read_only_copy_of_an_older_schema_is_upgraded_in_memory_only(tmp_path: Path) -> None:
    path = make_project(tmp_path / "old.db")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_span_ids_never_reused'")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    before = files(path)
    with Project.open(path, access="read-only") as p:
        assert p.read_only and p.schema_version == SCHEMA_VERSION
        assert len(p.spans(layer="lina")) == 6
        with pytest.raises(StorageError, match="opened read-only"):
            p.add_annotator("omar")
    assert files(path) == before


def test_write_to_a_read_only_project_is_one_line(tmp_path: Path) -> None:
    path = make_project(tmp_path / "p.db")
    before = files(path)
    with Project.open(path, access="read-only") as p:
        with pytest.raises(StorageError, match="opened read-only; nothing was changed"):
            p.add_span(1, "lina", 20, 22, "DATE")
    assert files(path) == before



def test_a_gold_rejection_in_a_read_only_project_is_refused_not_lost(tmp_path: Path) -> None:
    # The rejection was written through db.atomic(), past the read-only
    # check: into an older file's in-memory upgrade, shown as saved, lost.
    path = make_project(tmp_path / "p.db")
    before = files(path)
    with Project.open(path, access="read-only") as p:
        with pytest.raises(StorageError, match="opened read-only; nothing was changed"):
            p.add_rejection(1, 0, 3)
        with pytest.raises(StorageError, match="opened read-only; nothing was changed"):
            p.remove_rejection(1, 0, 3)
        assert p.rejections(1) == set()
    assert files(path) == before


def test_no_store_write_opens_a_deferred_transaction() -> None:
    # Every write goes through Project._writing() (BEGIN IMMEDIATE): a
    # deferred one upgrades its lock and fails at once beside another writer.
    root = Path(__file__).parents[2] / "annotator"
    found = [f"{path.relative_to(root)}:{n}" for path in sorted(root.rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if ".atomic()" in line]
    assert found == []

# -- item 8: damaged files ---------------------------------------------------------------------


def damage(path: Path, seed: int) -> None:
    """Overwrite one to three random pages (never page 1, which is the header)."""
    rng = random.Random(seed)
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    for number in rng.sample(range(1, pages), rng.randint(1, min(3, pages - 1))):
        data[number * page:(number + 1) * page] = rng.randbytes(page)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("access", ACCESS)
def test_damaged_file_is_refused_in_one_line_and_unchanged(tmp_path: Path, seed: int,
                                                           access: str) -> None:
    path = make_project(tmp_path / "p.db", documents=60, spans_per_document=4)
    with Project.open(path) as p:
        p.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(path, seed)
    before = digest(path)
    with pytest.raises(SchemaError, match=r"p\.db: project file is damaged \(.*\); it was not "
                                          r"changed\. Restore a copy"):
        Project.open(path, access=access)
    assert digest(path) == before


def test_damaged_header_is_not_a_project(tmp_path: Path) -> None:
    path = make_project(tmp_path / "p.db")
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))
    with pytest.raises(SchemaError, match="not an annotator project"):
        Project.open(path)
    assert path.read_bytes() == bytes(data)


# -- item 8: a full disk -------------------------------------------------------------------------


def test_disk_full_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    path = make_project(tmp_path / "p.db")
    with Project.open(path) as p:
        # SQLite reports a database that may not grow as SQLITE_FULL, the
        # same error a full disk gives.
        pages = p.db.execute("PRAGMA page_count").fetchone()[0]
        p.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        big = [NewDocument(f"big{i}", f"{TEXTS[0]} {i} " + "كلمة " * 2000) for i in range(20)]
        with pytest.raises(StorageError, match=r"p\.db: disk full; nothing was changed"):
            p.add_documents(big)
        assert p.document_count() == 3
        p.db.execute(f"PRAGMA max_page_count = {2 ** 30}")
        p.add_documents(big[:1])
        assert p.document_count() == 4
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- item 4: writers take the lock up front and a wait that runs out is one line --------------


def test_a_transaction_takes_the_write_lock_before_it_reads(tmp_path: Path) -> None:
    """A deferred BEGIN let another process commit between our read and our
    first write, and SQLite then refused the write at once (SQLITE_BUSY),
    whatever the busy timeout: one of two imports died that way."""
    path = make_project(tmp_path / "p.db")
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    with Project.open(path) as p:
        with p.transaction():
            p.document_count()
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("INSERT INTO layers (name, kind, created_at) VALUES ('omar', 'annotator', 'x')")
            p.add_documents([NewDocument("new", "نص جديد")])
        assert p.document_count() == 4
    other.close()


def test_a_wait_that_runs_out_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    path = make_project(tmp_path / "p.db")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with Project.open(path, busy_timeout=0.2) as p:
        with pytest.raises(StorageError, match=r"project file is busy: another program .* is "
                                               r"writing to it; nothing was changed"):
            p.add_span(1, "lina", 20, 22, "DATE")
        other.execute("ROLLBACK")
        assert len(p.spans(layer="lina")) == 6
        p.add_span(1, "lina", 20, 22, "DATE")
        assert len(p.spans(layer="lina")) == 7
    other.close()


# -- item 11: merge copies edited by hand -------------------------------------------------------


@pytest.mark.parametrize("statement, match", [
    ("UPDATE spans SET attributes = '{\"type\": ' WHERE id = 2",
     r"copy\.db: span 2: its attributes are not valid JSON"),
    ("UPDATE spans SET attributes = '[1, 2]' WHERE id = 2",
     r"copy\.db: span 2: its attributes are not a JSON object"),
    ("UPDATE tags SET attributes = 'nope' WHERE name = 'DATE'",
     r"copy\.db: a label's attributes in the tag set are not valid JSON"),
    ("UPDATE documents SET meta = '{' WHERE id = 2",
     r"copy\.db: document 2: its meta is not valid JSON"),
    (f"UPDATE documents SET sha256 = '{'ab' * 32}' WHERE id = 1",
     r"copy\.db: document 1 \(n0\): its sha256 does not match its text"),
    ("UPDATE documents SET text = 'نص آخر تماما 0' WHERE id = 1",
     r"copy\.db: document 1 \(n0\): its sha256 does not match its text"),
])
def test_hand_edited_copy_is_one_line_and_changes_nothing(tmp_path: Path, statement: str,
                                                          match: str) -> None:
    copy = make_project(tmp_path / "copy.db")
    conn = sqlite3.connect(copy)
    conn.execute(statement)
    conn.commit()
    conn.close()
    target = make_project(tmp_path / "target.db", documents=1)
    before_copy, before_target = files(copy), files(target)
    with Project.open(target) as p:
        with pytest.raises(InputError, match=match):
            merge_into(p, [copy])
    assert files(copy) == before_copy and files(target) == before_target


def test_merge_reads_an_older_copy_without_migrating_it(tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    conn = sqlite3.connect(copy)
    from sqlite_utils import Database

    migrations.apply(Database(conn), stop_before="m003_span_ids_never_reused")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO layers (name, kind, created_at) VALUES ('omar', 'annotator', 'x')")
    conn.execute("INSERT INTO documents (name, text, sha256, chars, created_at) VALUES (?, ?, ?, ?, 'x')",
                 ["n", TEXTS[0], hashlib.sha256(TEXTS[0].encode()).hexdigest(), len(TEXTS[0])])
    conn.execute("INSERT INTO spans (document_id, layer, start, \"end\", label, created_at, updated_at)"
                 " VALUES (1, 'omar', 0, 3, 'ENTITY', 'x', 'x')")
    conn.commit()
    conn.close()
    before = files(copy)
    target = make_project(tmp_path / "target.db", documents=1)
    with Project.open(target) as p:
        report = merge_into(p, [copy])
        assert report.layers == {"omar": "added"} and report.spans_added == 1
    assert files(copy) == before


def test_dangling_symlink_is_not_followed_into_a_new_project(tmp_path: Path) -> None:
    link = tmp_path / "p.db"
    link.symlink_to(tmp_path / "elsewhere" / "gone.db")
    with pytest.raises(SchemaError, match=r"p\.db: symbolic link to a file that does not exist"):
        Project.open(link, create=True)
    assert not (tmp_path / "elsewhere").exists()


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "p.db"
    os.mkfifo(fifo)
    with pytest.raises(SchemaError, match=r"p\.db: not a regular file"):
        Project.open(fifo, access="read")
