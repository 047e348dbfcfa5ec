"""Project schema as sqlite-utils migrations, plus the version guard.

Every migration appended here must bump nothing else: SCHEMA_VERSION is the
number of migrations, written to PRAGMA user_version so that a file from a
newer release is refused before anything touches it.
"""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from annotator.core.errors import SchemaError

MIGRATION_SET = "annotator"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            chars INTEGER NOT NULL,
            source TEXT,
            external_id TEXT,
            meta TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE TABLE tags (
            name TEXT PRIMARY KEY,
            color TEXT NOT NULL,
            hotkey TEXT,
            description TEXT NOT NULL DEFAULT '',
            attributes TEXT NOT NULL DEFAULT '{}',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE layers (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('annotator', 'gold')),
            created_at TEXT NOT NULL
        );
        CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            layer TEXT NOT NULL REFERENCES layers(name) ON UPDATE CASCADE,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            label TEXT NOT NULL REFERENCES tags(name) ON UPDATE CASCADE,
            attributes TEXT NOT NULL DEFAULT '{}',
            note TEXT NOT NULL DEFAULT '',
            provenance TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX spans_identity ON spans (document_id, layer, start, "end", label);
        CREATE TABLE statuses (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            layer TEXT NOT NULL REFERENCES layers(name) ON UPDATE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (document_id, layer)
        );
        """
    )
    db.execute(
        "INSERT INTO layers (name, kind, created_at) VALUES ('gold', 'gold', strftime('%Y-%m-%dT%H:%M:%fZ'))"
    )
    from annotator.resources import read_json

    for position, tag in enumerate(read_json("default_tagset.json")):
        db.execute(
            "INSERT INTO tags (name, color, hotkey, description, attributes, position) VALUES (?, ?, ?, ?, ?, ?)",
            [tag["name"], tag["color"], tag.get("hotkey"), tag.get("description", ""),
             json.dumps(tag.get("attributes", {}), ensure_ascii=False), position],
        )


@migrations()
def m002_gold_rejections(db: Database) -> None:
    # A reviewer who rejects every version of a disagreement leaves nothing in
    # gold; this row records that decision so the unit does not come back as
    # undecided when the project is reopened.
    _run_statements(
        db,
        """
        CREATE TABLE gold_rejections (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            created_at TEXT NOT NULL,
            PRIMARY KEY (document_id, start, "end")
        )
        """
    )


@migrations()
def m003_span_ids_never_reused(db: Database) -> None:
    # Undo of a delete puts a span back under its old id. A plain INTEGER
    # PRIMARY KEY hands the highest deleted id to the next new span (a gold
    # span written by a review, say), and the undo then collides with it.
    # AUTOINCREMENT never reuses an id. SQLite cannot add it in place, so the
    # table is rebuilt; its only index is recreated (a spans_by_layer index
    # that early files carry goes with the old table).
    _run_statements(
        db,
        """
        CREATE TABLE spans_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            layer TEXT NOT NULL REFERENCES layers(name) ON UPDATE CASCADE,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            label TEXT NOT NULL REFERENCES tags(name) ON UPDATE CASCADE,
            attributes TEXT NOT NULL DEFAULT '{}',
            note TEXT NOT NULL DEFAULT '',
            provenance TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        INSERT INTO spans_new (id, document_id, layer, start, "end", label, attributes, note,
                               provenance, created_at, updated_at)
            SELECT id, document_id, layer, start, "end", label, attributes, note,
                   provenance, created_at, updated_at FROM spans;
        DROP TABLE spans;
        ALTER TABLE spans_new RENAME TO spans;
        CREATE UNIQUE INDEX spans_identity ON spans (document_id, layer, start, "end", label)
        """,
    )


@migrations()
def m004_suggestions(db: Database) -> None:
    # Suggestions are computed, never stored as spans; only an annotator's
    # "no" to one is kept, so the same suggestion is not proposed again in
    # that layer. The gazetteer is the user's list of names to propose.
    _run_statements(
        db,
        """
        CREATE TABLE suggestion_rejections (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            layer TEXT NOT NULL REFERENCES layers(name) ON UPDATE CASCADE,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" > start),
            label TEXT NOT NULL REFERENCES tags(name) ON UPDATE CASCADE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (document_id, layer, start, "end", label)
        );
        CREATE TABLE gazetteer (
            name TEXT NOT NULL,
            label TEXT NOT NULL REFERENCES tags(name) ON UPDATE CASCADE,
            type TEXT,
            source TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (name, label)
        )
        """,
    )


@migrations()
def m005_relations(db: Database) -> None:
    # Relations between spans of one layer (who made a claim, when it is
    # about, which claims agree or contradict), typed by a relation tag set.
    # A relation goes when either span goes (ON DELETE CASCADE, in the same
    # transaction); AUTOINCREMENT so undo can restore a relation under its id.
    _run_statements(
        db,
        """
        CREATE TABLE relation_types (
            name TEXT PRIMARY KEY,
            color TEXT NOT NULL,
            hotkey TEXT,
            description TEXT NOT NULL DEFAULT '',
            source_labels TEXT NOT NULL DEFAULT '[]',
            target_labels TEXT NOT NULL DEFAULT '[]',
            symmetric INTEGER NOT NULL DEFAULT 0 CHECK (symmetric IN (0, 1)),
            cross_document INTEGER NOT NULL DEFAULT 0 CHECK (cross_document IN (0, 1)),
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE relations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            layer TEXT NOT NULL REFERENCES layers(name) ON UPDATE CASCADE,
            type TEXT NOT NULL REFERENCES relation_types(name) ON UPDATE CASCADE,
            source_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            target_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            attributes TEXT NOT NULL DEFAULT '{}',
            note TEXT NOT NULL DEFAULT '',
            provenance TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (source_id <> target_id)
        );
        CREATE UNIQUE INDEX relations_identity ON relations (type, source_id, target_id);
        CREATE INDEX relations_by_target ON relations (target_id);
        CREATE INDEX relations_by_layer ON relations (layer)
        """,
    )
    from annotator.resources import read_json

    # Only labels the project has: a project whose tag set dropped DATE gets
    # no TIME type (it can add one with `annotator tags relation add`).
    labels = {row[0] for row in db.execute("SELECT name FROM tags").fetchall()}
    hotkeys = {(row[0] or "").casefold() for row in db.execute("SELECT hotkey FROM tags").fetchall()}
    position = 0
    for spec in read_json("default_relation_types.json"):
        if not set(spec["source_labels"]) | set(spec["target_labels"]) <= labels:
            continue
        hotkey = spec.get("hotkey")
        if hotkey is not None and hotkey.casefold() in hotkeys:
            hotkey = None  # the project gave that key to a label already
        db.execute(
            "INSERT INTO relation_types (name, color, hotkey, description, source_labels,"
            " target_labels, symmetric, cross_document, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [spec["name"], spec["color"], hotkey, spec["description"],
             json.dumps(spec["source_labels"]), json.dumps(spec["target_labels"]),
             int(spec["symmetric"]), int(spec["cross_document"]), position],
        )
        position += 1


@migrations()
def m006_tag_styles(db: Database) -> None:
    # How a label is drawn and which BIO column it gets were a rule about the
    # name CLAIM in the code; they become the tag set's own properties. CLAIM
    # keeps what it had: an underline and a column of its own.
    _run_statements(
        db,
        """
        ALTER TABLE tags ADD COLUMN style TEXT NOT NULL DEFAULT 'background'
            CHECK (style IN ('background', 'underline'));
        ALTER TABLE tags ADD COLUMN bio_group TEXT NOT NULL DEFAULT '';
        UPDATE tags SET style = 'underline', bio_group = 'claim' WHERE name = 'CLAIM'
        """,
    )


@migrations()
def m007_relation_rejections(db: Database) -> None:
    # A reviewer who rejects every annotator's relations on a pair of ends
    # leaves nothing in gold relations; this row keeps that decision, as
    # gold_rejections does for spans, so the item stays decided on reopening.
    # Ends are by content (document, start, end, label), "a" the smaller, as
    # the review's relation items name them; a cross-document link is found
    # from either document. relations_identity starts with the type, so a
    # span's relations as source (a merge's batch, deleting a span) were a
    # scan of every relation: they get an index of their own.
    _run_statements(
        db,
        """
        CREATE TABLE relation_rejections (
            a_document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            a_start INTEGER NOT NULL CHECK (a_start >= 0),
            a_end INTEGER NOT NULL CHECK (a_end > a_start),
            a_label TEXT NOT NULL,
            b_document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            b_start INTEGER NOT NULL CHECK (b_start >= 0),
            b_end INTEGER NOT NULL CHECK (b_end > b_start),
            b_label TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (a_document_id, a_start, a_end, a_label, b_document_id, b_start, b_end,
                         b_label)
        );
        CREATE INDEX relation_rejections_by_b ON relation_rejections (b_document_id);
        CREATE INDEX relations_by_source ON relations (source_id)
        """,
    )


def _run_statements(db: Database, script: str) -> None:
    # executescript() would COMMIT the migration's transaction half-way.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


SCHEMA_VERSION = len(migrations._migrations)
KNOWN = {m.name for m in migrations._migrations}
_OUR_TABLES = {"documents", "tags", "layers", "spans", "statuses"}


def check_compatible(db: Database, path: str) -> bool:
    """Raise SchemaError for files we must not touch; True if the file is new."""
    tables = set(db.table_names())
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"{path}: project written by a newer version (schema {version}, this release knows "
            f"{SCHEMA_VERSION}); upgrade annotator to open it"
        )
    if not tables:
        return True
    if "_sqlite_migrations" not in tables or not _OUR_TABLES <= tables:
        raise SchemaError(f"{path}: SQLite file is not an annotator project; refusing to modify it")
    applied = {m.name for m in migrations.applied(db)}
    unknown = applied - KNOWN
    if unknown:
        raise SchemaError(
            f"{path}: project has migrations this release does not know ({', '.join(sorted(unknown))}); "
            "upgrade annotator to open it"
        )
    return False


def migrate(db: Database) -> None:
    if migrations.pending(db):
        migrations.apply(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
