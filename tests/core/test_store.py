"""The project file: schema guard, validation, one transaction per edit."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.errors import NotFoundError, SchemaError, ValidationError
from annotator.core.model import GOLD, NewDocument, NewSpan, Status, Tag
from annotator.core.store import Project
from annotator.core.store.schema import SCHEMA_VERSION

TEXT = "😀 قالَ الرئيسُ إنّ القوات ستنسحب في 2021-12"


@pytest.fixture
def doc_id(project: Project) -> int:
    project.add_annotator("alice")
    return project.add_documents([NewDocument("d", TEXT)])[0].id


def test_new_project_has_default_tags_gold_and_wal(project: Project) -> None:
    assert [t.name for t in project.tags()] == ["CLAIM", "ENTITY", "DATE"]
    assert [t.hotkey for t in project.tags()] == ["1", "2", "3"]
    assert project.tag("ENTITY").attributes["type"]["values"] == ["PER", "ORG", "LOC", "MISC"]
    assert project.layers() == [GOLD]
    assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert project.schema_version == SCHEMA_VERSION


def test_reopening_keeps_everything_and_applies_no_migration(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.open(path) as p:
        p.add_annotator("alice")
        doc = p.add_documents([NewDocument("d", TEXT)])[0].id
        span = p.add_span(doc, "alice", 2, 6, "CLAIM", note="ملاحظة")
    with Project.open(path) as p:
        assert p.spans(doc) == [span]
        assert p.document(doc).text == TEXT


def test_documents_are_deduplicated_by_content(project: Project) -> None:
    first = project.add_documents([NewDocument("a", TEXT), NewDocument("b", TEXT)])
    assert [d.added for d in first] == [True, False]
    assert first[0].id == first[1].id
    again = project.add_documents([NewDocument("c", TEXT)])
    assert not again[0].added
    assert project.document_count() == 1


@pytest.mark.parametrize(
    "start, end, label, attributes, message",
    [
        (-1, 3, "CLAIM", {}, "outside the document"),
        (3, 3, "CLAIM", {}, "outside the document"),
        (5, 2, "CLAIM", {}, "outside the document"),
        (0, len(TEXT) + 1, "CLAIM", {}, "outside the document"),
        (0, 3, "PERSON", {}, "unknown label 'PERSON'"),
        (0, 3, "ENTITY", {"type": "CITY"}, "must be one of PER, ORG, LOC, MISC"),
        (0, 3, "DATE", {"value": "2021-13"}, "not a real date"),
        (0, 3, "DATE", {"value": "Dec 2021"}, "not ISO 8601"),
        (0, 3, "CLAIM", {"type": "PER"}, "has no attribute 'type'"),
        (0, 3, "CLAIM", {"unsure": "yes"}, "true or false"),
    ],
)
def test_invalid_spans_are_refused(project: Project, doc_id: int, start: int, end: int,
                                   label: str, attributes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        project.add_span(doc_id, "alice", start, end, label, attributes)
    assert project.spans(doc_id) == []


def test_partial_and_full_iso_dates_are_accepted(project: Project, doc_id: int) -> None:
    for i, value in enumerate(["2021", "2021-12", "2021-12-05", "2021-12-05T14:30"]):
        project.add_span(doc_id, "alice", i * 2, i * 2 + 1, "DATE", {"value": value})
    assert len(project.spans(doc_id, label="DATE")) == 4


def test_same_label_overlap_refused_other_labels_and_layers_allowed(project: Project, doc_id: int) -> None:
    project.add_annotator("bob")
    claim = project.add_span(doc_id, "alice", 2, 20, "CLAIM")
    with pytest.raises(ValidationError, match="overlaps CLAIM span"):
        project.add_span(doc_id, "alice", 10, 25, "CLAIM")
    with pytest.raises(ValidationError, match="overlaps"):
        project.add_span(doc_id, "alice", 2, 20, "CLAIM")  # exact duplicate
    project.add_span(doc_id, "alice", 7, 14, "ENTITY", {"type": "PER"})  # nested, other label
    project.add_span(doc_id, "bob", 10, 25, "CLAIM")  # other layer
    project.add_span(doc_id, "alice", 20, 22, "CLAIM")  # touching is not overlapping
    with pytest.raises(ValidationError, match=r"overlaps CLAIM span \[20, 22\)"):
        project.update_span(claim.id, end=21)


def test_overlap_found_behind_spans_of_other_labels(project: Project, doc_id: int) -> None:
    # The check walks back from the new span's end: a long CLAIM that
    # started before many ENTITY spans still clashes, its end decides.
    claim = project.add_span(doc_id, "alice", 0, 30, "CLAIM")
    for k in range(10):
        project.add_span(doc_id, "alice", 2 + 2 * k, 3 + 2 * k, "ENTITY", {"type": "PER"})
    with pytest.raises(ValidationError, match=r"overlaps CLAIM span \[0, 30\)"):
        project.add_span(doc_id, "alice", 29, 35, "CLAIM")
    project.add_span(doc_id, "alice", 30, 35, "CLAIM")  # touching its end
    moved = project.update_span(claim.id, end=29)  # the span itself is no clash
    assert (moved.start, moved.end) == (0, 29)
    with pytest.raises(ValidationError, match=r"overlaps ENTITY span \[20, 21\)"):
        project.add_span(doc_id, "alice", 20, 22, "ENTITY", {"type": "PER"})


def test_unknown_layer_and_document_refused(project: Project, doc_id: int) -> None:
    with pytest.raises(ValidationError, match="unknown layer"):
        project.add_span(doc_id, "nobody", 0, 2, "CLAIM")
    with pytest.raises(NotFoundError, match="no document with id 999"):
        project.add_span(999, "alice", 0, 2, "CLAIM")
    with pytest.raises(ValidationError, match="not an annotator name"):
        project.add_annotator(GOLD)
    with pytest.raises(ValidationError, match="annotator name must not be empty"):
        project.add_annotator("  ")


def test_update_delete_restore_round_trip(project: Project, doc_id: int) -> None:
    span = project.add_span(doc_id, "alice", 2, 6, "ENTITY", {"type": "PER", "unsure": True})
    relabelled = project.update_span(span.id, label="CLAIM")
    assert relabelled.attributes == {"unsure": True}  # type meant nothing for CLAIM
    project.replace_span(span)
    assert project.span(span.id).attributes == span.attributes
    deleted = project.delete_span(span.id)
    assert project.spans(doc_id) == []
    project.restore_span(deleted)
    assert project.span(span.id) == deleted


def test_each_edit_is_committed_before_returning(tmp_path: Path) -> None:
    """Another connection sees the edit at once: nothing waits in a buffer."""
    path = tmp_path / "p.db"
    with Project.open(path) as p:
        p.add_annotator("alice")
        doc = p.add_documents([NewDocument("d", TEXT)])[0].id
        p.add_span(doc, "alice", 2, 6, "CLAIM")
        other = sqlite3.connect(path)
        assert other.execute("SELECT count(*) FROM spans").fetchone()[0] == 1
        other.close()


def test_killed_process_loses_no_shown_edit(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    script = f"""
import os
from annotator.core.store import Project
from annotator.core.model import NewDocument
p = Project.open({str(path)!r})
p.add_annotator("alice")
doc = p.add_documents([NewDocument("d", {TEXT!r})])[0].id
for i in range(20):
    p.add_span(doc, "alice", i, i + 1, "CLAIM")
print("saved", flush=True)
os._exit(9)  # no close, no checkpoint
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "saved", out.stderr
    with Project.open(path) as p:
        assert len(p.spans()) == 20


def test_bulk_spans_count_duplicates_and_name_origin(project: Project, doc_id: int) -> None:
    result = project.add_spans([
        NewSpan(doc_id, "alice", 0, 1, "CLAIM"),
        NewSpan(doc_id, "alice", 0, 1, "CLAIM"),
        NewSpan(doc_id, "alice", 2, 6, "ENTITY", {"type": "LOC"}),
    ])
    assert len(result.inserted) == 2 and result.duplicates == 1
    again = project.add_spans([NewSpan(doc_id, "alice", 0, 1, "CLAIM")])
    assert again.inserted == [] and again.duplicates == 1
    before = project.spans()
    with pytest.raises(Exception, match=r"^in\.jsonl:7: .*overlaps"):
        project.add_spans([
            NewSpan(doc_id, "alice", 10, 12, "CLAIM", origin=("in.jsonl", 6)),
            NewSpan(doc_id, "alice", 11, 14, "CLAIM", origin=("in.jsonl", 7)),
        ])
    with pytest.raises(Exception, match=r"^in\.jsonl:3: span \[0, 999\) outside"):
        project.add_spans([NewSpan(doc_id, "alice", 0, 999, "CLAIM", origin=("in.jsonl", 3))])
    assert project.spans() == before


def test_statuses_default_to_todo(project: Project, doc_id: int) -> None:
    assert project.status(doc_id, "alice") is Status.TODO
    project.set_status(doc_id, "alice", "done")
    assert project.statuses("alice") == {doc_id: Status.DONE}
    with pytest.raises(ValueError, match="'finished' is not a valid Status"):
        project.set_status(doc_id, "alice", "finished")


def test_tags_are_configurable(project: Project) -> None:
    project.add_tag(Tag("EVENT", "#aa00aa", hotkey="4"))
    assert project.tags()[-1].name == "EVENT"
    with pytest.raises(ValidationError, match="already used by CLAIM"):
        project.add_tag(Tag("QUOTE", hotkey="1"))
    assert project.update_tag("CLAIM", hotkey="c").hotkey == "c"
    with pytest.raises(ValidationError, match="must be non-empty without spaces"):
        project.add_tag(Tag("TWO WORDS"))


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Project.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaError, match="newer version"):
        Project.open(path)
    assert path.read_bytes() == before


def test_unknown_migration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Project.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('annotator', 'm999_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaError, match="m999_future"):
        Project.open(path)


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b"SQLite format 3\x00garbage"])
def test_non_project_files_are_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(SchemaError, match="not an annotator project"):
        Project.open(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaError, match="not an annotator project"):
        Project.open(path)
    assert path.read_bytes() == before


def test_missing_project_without_create(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="no such project file"):
        Project.open(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_span_ids_are_never_reused_so_undo_of_delete_cannot_collide(project: Project, doc_id: int) -> None:
    first = project.add_span(doc_id, "alice", 0, 2, "CLAIM")
    newest = project.add_span(doc_id, "alice", 3, 5, "CLAIM")
    deleted = project.delete_span(newest.id)  # the highest id
    other = project.add_span(doc_id, GOLD, 3, 5, "CLAIM")  # e.g. a review writes gold
    bulk = project.add_spans([NewSpan(doc_id, GOLD, 6, 8, "CLAIM")]).inserted
    assert other.id != deleted.id and deleted.id not in bulk
    assert project.restore_span(deleted) == deleted  # undo of the delete
    with pytest.raises(ValidationError, match="id is in use"):
        project.restore_span(first)



def test_an_import_keeps_a_files_span_ids_only_where_none_was_ever_used(project: Project,
                                                                        doc_id: int) -> None:
    project.add_annotator("bob")
    kept = project.add_span(doc_id, "alice", 0, 2, "CLAIM")
    deleted = project.delete_span(project.add_span(doc_id, "alice", 3, 5, "CLAIM").id)
    # A file naming the deleted span's id: adopting it would give undo's id away.
    (inserted,) = project.add_spans([NewSpan(doc_id, "bob", 3, 5, "CLAIM")]).inserted
    assert not project.adopt_ids("spans", {inserted: deleted.id})
    assert project.span(inserted).layer == "bob" and inserted > deleted.id
    assert project.restore_span(deleted) == deleted
    # An id past every one used is kept, and is never given again once deleted.
    (later,) = project.add_spans([NewSpan(doc_id, "bob", 6, 8, "CLAIM")]).inserted
    assert project.adopt_ids("spans", {later: 500})
    project.delete_span(500)
    assert project.add_span(doc_id, "alice", 6, 8, "CLAIM").id == 501
    assert kept.id < deleted.id


def test_schema_2_file_migrates_keeping_every_span(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from annotator.core.store.schema import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m003_span_ids_never_reused")
    db.execute("PRAGMA user_version = 2")
    # Files made before the index was dropped from m001 carry it too.
    db.execute("CREATE INDEX spans_by_layer ON spans (document_id, layer, label, start)")
    db.execute("INSERT INTO layers VALUES ('alice', 'annotator', 'x')")
    db.execute("INSERT INTO documents (id, name, text, sha256, chars, created_at) VALUES (1, 'd', 'نص عربي', 's', 7, 'x')")
    db.execute("INSERT INTO spans (id, document_id, layer, start, \"end\", label, attributes, note, created_at, updated_at)"
               " VALUES (7, 1, 'alice', 0, 2, 'ENTITY', '{\"type\": \"LOC\"}', 'ملاحظة', 'x', 'y')")
    db.conn.commit()
    db.close()
    with Project.open(path) as project:
        assert project.schema_version == SCHEMA_VERSION
        [span] = project.spans()
        assert (span.id, span.start, span.end, span.attributes, span.note) == (7, 0, 2, {"type": "LOC"}, "ملاحظة")
        indexes = {r[0] for r in project.db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans'")}
        assert "spans_by_layer" not in indexes and "spans_identity" in indexes
        project.delete_span(7)
        assert project.add_span(1, "alice", 0, 2, "CLAIM").id == 8


def test_a_rolled_back_transaction_drops_cached_lengths(project: Project) -> None:
    project.add_annotator("alice")
    with pytest.raises(RuntimeError, match="a bug half-way through an import"):
        with project.transaction():
            doc = project.add_documents([NewDocument("d", TEXT)])[0].id
            project.add_span(doc, "alice", 0, 2, "CLAIM")  # caches the new length
            raise RuntimeError("a bug half-way through an import")
    assert project.document_count() == 0
    with pytest.raises(NotFoundError, match="no document with id"):  # not a foreign-key failure deep in SQLite
        project.add_span(doc, "alice", 0, 2, "CLAIM")


def test_a_span_may_end_at_the_last_character_and_no_further(project: Project, doc_id: int) -> None:
    last = len(TEXT)
    span = project.add_span(doc_id, "alice", last - 7, last, "DATE", {"value": "2021-12"})
    assert project.span(span.id).end == last and TEXT[span.start:span.end] == "2021-12"
    whole = project.add_span(doc_id, "alice", 0, last, "CLAIM")  # emoji first, date last
    assert (whole.start, whole.end) == (0, last)
    with pytest.raises(ValidationError, match=rf"span \[0, {last + 1}\) outside the document"):
        project.add_span(doc_id, "alice", 0, last + 1, "ENTITY")
    result = project.add_spans([NewSpan(doc_id, "alice", last - 1, last, "ENTITY")])
    assert len(result.inserted) == 1
