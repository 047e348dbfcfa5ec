"""A project: one SQLite file holding documents, tags, layers and spans.

Every public method that writes is one committed transaction (nested calls
inside ``transaction()`` become savepoints), so what the GUI shows as saved
survives a killed process.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.core.text.encoding import sha256_text
from annotator.core.errors import NotFoundError, ValidationError
from annotator.core.model import (
    GOLD,
    Document,
    DocumentInfo,
    NewDocument,
    Status,
    Tag,
)
from annotator.core.store.claim_reads import ClaimReads
from annotator.core.store.id_adoption import IdAdoption, IdsTaken, ids_given
from annotator.core.store.chunked import rows_in
from annotator.core.store.clock import now_iso
from annotator.core.store.columns import dumps as _dumps
from annotator.core.store.relation_batch import RelationBatchStore
from annotator.core.store.relations import RelationStore
from annotator.core.store.connection import (
    BUSY_TIMEOUT_S,
    StorageError,
    remove_project_file,
    write_transaction,
)
from annotator.core.store.listing import ListingReads
from annotator.core.store.opening import open_database
from annotator.core.store.reads import ReviewReads
from annotator.core.store.rejections import GoldRejections, RelationRejections
from annotator.core.store.spans import SpanStore
from annotator.core.store.validation import (
    check_document,
    check_layer_name,
    check_tag,
    check_tag_name,
    hotkeys_clash,
)



def default_project_path() -> Path:
    """$ANNOTATOR_PROJECT, else the user's data directory (XDG)."""
    if os.environ.get("ANNOTATOR_PROJECT"):
        return Path(os.environ["ANNOTATOR_PROJECT"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "arabic-annotator" / "project.db"


@dataclass(frozen=True)
class AddedDocument:
    id: int
    name: str
    added: bool  # False: the same text was already in the project




class Project(SpanStore, RelationStore, RelationBatchStore, ReviewReads, ClaimReads,
              ListingReads, GoldRejections, RelationRejections, IdAdoption):
    """Open with ``Project.open(path)``; use as a context manager to close.

    Spans live in ``store.spans``, relation types and relations in
    ``store.relations``, bulk reads for
    agreement and review in ``store.reads``, claim rows and link ends for
    the claims view in ``store.claim_reads``, the document list's pages in
    ``store.listing``, the gold and relation rejections in
    ``store.rejections``."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._lengths: dict[int, int] | None = None
        self._tags: dict[str, Tag] | None = None
        self._relation_types = None
        self.read_only = False  # opened read-only: every write raises StorageError
        self.created = False  # this process created the file (Project.opening removes it on failure)

    # -- lifecycle -----------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, access: str = "write",
             busy_timeout: float = BUSY_TIMEOUT_S) -> "Project":
        """Open a project file; ``create`` makes a new one where no file is.

        ``access`` is "write" (the default: the file must be writable),
        "read" (a command that only reads: a file it cannot write opens
        read-only) or "read-only" (never write the file, not even to migrate
        it: merge copies). An existing file is never made a project, even an
        empty one; store/opening.py says what is checked before any write.
        ``busy_timeout``: seconds a write waits for another process's write.
        """
        opened = open_database(Path(path), create=create, access=access, busy_timeout=busy_timeout)
        project = cls(opened.db, Path(path))
        project.read_only = opened.read_only
        project.created = opened.created
        return project

    @classmethod
    @contextmanager
    def opening(cls, path: str | Path, *, create: bool = False, access: str = "write",
                busy_timeout: float = BUSY_TIMEOUT_S) -> Iterator["Project"]:
        """Open, yield, close. A file this call created is removed again when
        the block fails: a refused import into a new path leaves nothing."""
        project = cls.open(path, create=create, access=access, busy_timeout=busy_timeout)
        try:
            yield project
        except BaseException:
            project.close()
            if project.created:
                remove_project_file(project.path)
            raise
        project.close()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator["Project"]:
        """Group several edits into one commit (all or nothing). On a rollback
        the cached tags and lengths may describe rows that are gone: drop them."""
        try:
            with self._writing():
                yield self
        except BaseException:
            self.forget_cached()
            raise

    def _writing(self) -> AbstractContextManager[None]:
        if self.read_only:
            # Also for an older file upgraded in memory: a write there would be lost.
            raise StorageError(f"{self.path}: project opened read-only; nothing was changed")
        return write_transaction(self.db.conn, self.path)

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    @property
    def in_transaction(self) -> bool:
        """An edit of this connection is half-way (a poll must wait)."""
        return self.db.conn.in_transaction

    def data_version(self) -> int:
        """A number that changes when another connection (another process,
        such as a CLI import) commits to the file; this connection's own
        commits leave it alone. Cheap enough to poll every second."""
        return self.db.conn.execute("PRAGMA data_version").fetchone()[0]

    def _execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        return self.db.conn.execute(sql, tuple(params))

    # -- documents -----------------------------------------------------------

    def add_documents(self, documents: Iterable[NewDocument], *,
                      ids: Sequence[int] | None = None) -> list[AddedDocument]:
        """Add documents in one transaction; a text already present (same
        SHA-256, also within the batch) is not added twice. ``ids``: the id
        to give each document added, as for ``add_spans``."""
        docs = list(documents)
        if ids is not None and len(ids) != len(docs):
            raise IdsTaken("documents")
        hashes = [sha256_text(doc.text) for doc in docs]
        results: list[AddedDocument] = []
        created = now_iso()
        with self._writing():
            # One SELECT per chunk instead of one per document: a merge or an
            # import adds thousands at a time (issue 15).
            known = self._ids_by_sha256(hashes)
            for index, (doc, sha) in enumerate(zip(docs, hashes)):
                if sha in known:
                    results.append(AddedDocument(known[sha], doc.name, added=False))
                    continue
                check_document(doc)
                with ids_given(ids is not None, "documents"):
                    cursor = self._execute(
                        "INSERT INTO documents (id, name, text, sha256, chars, source, external_id,"
                        " meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [None if ids is None else ids[index], doc.name, doc.text, sha,
                         len(doc.text), doc.source, doc.external_id, _dumps(doc.meta), created],
                    )
                known[sha] = cursor.lastrowid
                results.append(AddedDocument(cursor.lastrowid, doc.name, added=True))
                if self._lengths is not None:
                    # Kept, not dropped: a merge adds documents batch by batch
                    # and reading every length again each time adds up.
                    self._lengths[cursor.lastrowid] = len(doc.text)
        return results

    def _ids_by_sha256(self, hashes: list[str]) -> dict[str, int]:
        return dict(rows_in(self._execute, "SELECT sha256, id FROM documents WHERE sha256 IN ({marks})",
                            list(dict.fromkeys(hashes))))

    def documents(self) -> list[DocumentInfo]:
        rows = self._execute(
            "SELECT id, name, sha256, chars, source, external_id FROM documents ORDER BY id"
        ).fetchall()
        return [DocumentInfo(*row) for row in rows]

    def document_heads(self, chars: int = 400) -> dict[int, tuple[str, dict[str, Any]]]:
        """The first ``chars`` characters and the meta of every document, by
        id: enough for a title without reading whole texts."""
        rows = self._execute("SELECT id, substr(text, 1, ?), meta FROM documents", [chars])
        return {row[0]: (row[1], {} if row[2] == "{}" else json.loads(row[2])) for row in rows}

    def document(self, document_id: int) -> Document:
        row = self._execute(
            "SELECT id, name, text, sha256, source, external_id, meta FROM documents WHERE id = ?",
            [document_id],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return Document(*row[:6], meta=json.loads(row[6]))

    def documents_in(self, document_ids: Iterable[int]) -> list[Document]:
        """These documents with their texts, by id (a merge's batch); raises
        ValueError for a meta that is not JSON."""
        rows = self._execute(
            "SELECT id, name, text, sha256, source, external_id, meta FROM documents"
            " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            [json.dumps(sorted(set(document_ids)))])
        return [Document(*row[:6], meta={} if row[6] == "{}" else json.loads(row[6])) for row in rows]

    def document_by_sha256(self, sha256: str) -> Document | None:
        row = self._execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return self.document(row[0]) if row else None

    def document_count(self) -> int:
        return self._execute("SELECT count(*) FROM documents").fetchone()[0]

    def _document_lengths(self) -> dict[int, int]:
        """Length in code points of every document, cached (validation needs
        it for every span written)."""
        if self._lengths is None:
            self._lengths = dict(self._execute("SELECT id, chars FROM documents").fetchall())
        return self._lengths

    def _length(self, document_id: int) -> int:
        if self._lengths is not None:
            length = self._lengths.get(document_id)
        else:
            # One edit needs one length: reading every document's (100 ms at
            # 100,000 documents) is for batches.
            row = self._execute("SELECT chars FROM documents WHERE id = ?", [document_id]).fetchone()
            length = None if row is None else row[0]
        if length is None:
            raise NotFoundError(f"no document with id {document_id}")
        return length

    # -- tags ----------------------------------------------------------------

    def tags(self) -> list[Tag]:
        return sorted(self._tag_map().values(), key=lambda t: (t.position, t.name))

    def tag(self, name: str) -> Tag:
        try:
            return self._tag_map()[name]
        except KeyError:
            known = ", ".join(t.name for t in self.tags())
            raise ValidationError(f"unknown label {name!r} (tag set: {known})") from None

    def _tag_map(self) -> dict[str, Tag]:
        if self._tags is None:
            rows = self._execute(
                "SELECT name, color, hotkey, description, attributes, position, style, bio_group FROM tags"
            ).fetchall()
            self._tags = {
                r[0]: Tag(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7]) for r in rows
            }
        return self._tags

    def add_tag(self, tag: Tag) -> Tag:
        check_tag_name(tag.name)
        if tag.name in self._tag_map():
            raise ValidationError(f"label {tag.name} already exists")
        position = tag.position or (max((t.position for t in self.tags()), default=-1) + 1)
        check_tag(replace(tag, position=position), self._tag_map().values())
        self._check_hotkey_not_relation(tag.hotkey)
        with self._writing():
            self._execute(
                "INSERT INTO tags (name, color, hotkey, description, attributes, position, style, bio_group)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [tag.name, tag.color, tag.hotkey, tag.description, _dumps(tag.attributes), position,
                 tag.style, tag.bio_group],
            )
        self._tags = None
        return self.tag(tag.name)

    def update_tag(self, name: str, **changes: Any) -> Tag:
        """Change colour, hotkey, description, attributes, position, style or
        BIO group."""
        old = self.tag(name)
        allowed = {"color", "hotkey", "description", "attributes", "position", "style", "bio_group"}
        if set(changes) - allowed:
            raise ValidationError(f"cannot change {', '.join(sorted(set(changes) - allowed))} of a tag")
        new = replace(old, **changes)
        check_tag(new, self._tag_map().values())
        if new.hotkey != old.hotkey:
            self._check_hotkey_not_relation(new.hotkey)
        with self._writing():
            self._execute(
                "UPDATE tags SET color = ?, hotkey = ?, description = ?, attributes = ?, position = ?,"
                " style = ?, bio_group = ? WHERE name = ?",
                [new.color, new.hotkey, new.description, _dumps(new.attributes), new.position,
                 new.style, new.bio_group, name],
            )
        self._tags = None
        return new

    def _check_hotkey_not_relation(self, hotkey: str | None) -> None:
        for kind in self.relation_types():
            if hotkeys_clash(kind.hotkey, hotkey):
                raise ValidationError(f"hotkey {hotkey!r} is already used by {kind.name}")

    # -- layers --------------------------------------------------------------

    def annotators(self) -> list[str]:
        rows = self._execute("SELECT name FROM layers WHERE kind = 'annotator' ORDER BY name").fetchall()
        return [r[0] for r in rows]

    def layers(self) -> list[str]:
        """Every layer: annotators, then gold."""
        return self.annotators() + [GOLD]

    def add_annotator(self, name: str) -> str:
        """Create the annotator's layer if it does not exist yet."""
        check_layer_name(name)
        if name == GOLD:
            raise ValidationError(f"{GOLD!r} is the adjudicated layer, not an annotator name")
        with self._writing():
            self._execute(
                "INSERT OR IGNORE INTO layers (name, kind, created_at) VALUES (?, 'annotator', ?)",
                [name, now_iso()],
            )
        return name

    def _check_layer(self, layer: str) -> None:
        if not self._execute("SELECT 1 FROM layers WHERE name = ?", [layer]).fetchone():
            raise ValidationError(f"unknown layer {layer!r}; add the annotator first")

    # -- statuses ------------------------------------------------------------

    def status(self, document_id: int, layer: str) -> Status:
        row = self._execute(
            "SELECT status FROM statuses WHERE document_id = ? AND layer = ?", [document_id, layer]
        ).fetchone()
        return Status(row[0]) if row else Status.TODO

    def statuses(self, layer: str) -> dict[int, Status]:
        """Status of every document for one layer (missing rows are TODO)."""
        found = dict(self._execute("SELECT document_id, status FROM statuses WHERE layer = ?", [layer]))
        return {doc.id: Status(found.get(doc.id, "todo")) for doc in self.documents()}

    def set_status(self, document_id: int, layer: str, status: Status | str) -> Status:
        status = Status(status)
        self._length(document_id)
        self._check_layer(layer)
        with self._writing():
            self._execute(
                "INSERT INTO statuses (document_id, layer, status, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (document_id, layer) DO UPDATE SET status = excluded.status,"
                " updated_at = excluded.updated_at",
                [document_id, layer, status.value, now_iso()],
            )
        return status

    def set_statuses(self, rows: Iterable[tuple[int, str, Status]]) -> int:
        """Set many (document id, layer, status) in one transaction (a merge);
        returns how many rows were written."""
        stamp = now_iso()
        params = [(doc, layer, Status(status).value, stamp) for doc, layer, status in rows]
        with self._writing():
            self.db.conn.executemany(
                "INSERT INTO statuses (document_id, layer, status, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (document_id, layer) DO UPDATE SET status = excluded.status,"
                " updated_at = excluded.updated_at", params)
        return len(params)

    def forget_cached(self) -> None:
        """Drop cached tags and lengths, e.g. after a rolled-back transaction
        that added some (a merge that failed half-way)."""
        self._tags = None
        self._lengths = None
        self._relation_types = None

    # -- bulk reads for exports (issue 4) ------------------------------------

    def all_documents(self) -> Iterator[Document]:
        """Every document with its text, by id, in one query."""
        for row in self._execute(
            "SELECT id, name, text, sha256, source, external_id, meta FROM documents ORDER BY id"
        ):
            yield Document(*row[:6], meta={} if row[6] == "{}" else json.loads(row[6]))
