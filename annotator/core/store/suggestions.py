"""What the project keeps about suggestions (schema m004): the ones an
annotator rejected, per layer, and the user's gazetteer.

Suggestions themselves are never stored: they are computed from the text,
so agreement and export, which read spans only, cannot count one that was
not accepted. Accepting makes an ordinary span with provenance
"suggested:<rule>".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.encoding import read_text_file
from annotator.core.errors import InputError, ValidationError
from annotator.core.model import NewSpan
from annotator.core.store.project import Project, SpanBatchResult, now_iso

PROVENANCE_PREFIX = "suggested:"
RejectionKey = tuple[int, int, int, str]  # document id, start, end, label


def reject(project: Project, layer: str, document_id: int, start: int, end: int,
           label: str) -> None:
    """Remember that ``layer`` does not want this suggestion (committed)."""
    project.tag(label)
    project.document(document_id)
    with project.db.atomic():
        project.db.conn.execute(
            'INSERT OR IGNORE INTO suggestion_rejections (document_id, layer, start, "end", label,'
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [document_id, layer, start, end, label, now_iso()],
        )


def unreject(project: Project, layer: str, document_id: int, start: int, end: int,
             label: str) -> None:
    """Forget a rejection (undo of reject)."""
    with project.db.atomic():
        project.db.conn.execute(
            'DELETE FROM suggestion_rejections WHERE document_id = ? AND layer = ? AND start = ?'
            ' AND "end" = ? AND label = ?', [document_id, layer, start, end, label],
        )


def rejections(project: Project, layer: str) -> set[RejectionKey]:
    return set(project.db.conn.execute(
        'SELECT document_id, start, "end", label FROM suggestion_rejections WHERE layer = ?',
        [layer],
    ).fetchall())


def accept(project: Project, layer: str, document_id: int, start: int, end: int, label: str,
           attributes: dict, rule: str, note: str = ""):
    """One suggestion made a span (committed); returns the Span."""
    return project.add_span(document_id, layer, start, end, label, attributes, note=note,
                            provenance=PROVENANCE_PREFIX + rule)


def accept_many(project: Project, spans: Iterable[NewSpan]) -> SpanBatchResult:
    """Many suggestions made spans in one transaction."""
    return project.add_spans(spans)


def suggested_span_count(project: Project, layer: str | None = None) -> int:
    """Spans that came from an accepted suggestion."""
    sql = "SELECT count(*) FROM spans WHERE provenance LIKE 'suggested:%'"
    params: list = []
    if layer is not None:
        sql += " AND layer = ?"
        params.append(layer)
    return project.db.conn.execute(sql, params).fetchone()[0]


# -- gazetteer ------------------------------------------------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    label: str
    type: str | None


@dataclass(frozen=True)
class GazetteerImport:
    added: int
    already: int  # the same name and label were in the gazetteer


def gazetteer(project: Project) -> list[GazetteerEntry]:
    rows = project.db.conn.execute("SELECT name, label, type FROM gazetteer ORDER BY label, name")
    return [GazetteerEntry(*row) for row in rows]


def read_gazetteer(path: Path, label: str = "ENTITY") -> list[tuple[GazetteerEntry, int]]:
    """Entries of a CSV (name,type; a header row is optional) or JSONL file
    ({"name": ..., "type": ...}) with their line numbers."""
    text = read_text_file(path).text
    entries: list[tuple[GazetteerEntry, int]] = []
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(path, f"not JSON ({exc.msg})", number) from None
            if not isinstance(record, dict) or not isinstance(record.get("name"), str):
                raise InputError(path, 'expected an object with a "name" string', number)
            type_ = record.get("type")
            if type_ is not None and not isinstance(type_, str):
                raise InputError(path, '"type" must be a string', number)
            entries.append((GazetteerEntry(record["name"].strip(), record.get("label", label),
                                           type_ or None), number))
    else:
        for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
            if not row or not "".join(row).strip():
                continue
            if number == 1 and row[0].strip().lower() == "name":
                continue
            if len(row) > 2:
                raise InputError(path, f"expected name,type; got {len(row)} columns", number)
            type_ = row[1].strip() if len(row) > 1 and row[1].strip() else None
            entries.append((GazetteerEntry(row[0].strip(), label, type_), number))
    for entry, number in entries:
        if not entry.name:
            raise InputError(path, "empty name", number)
    return entries


def import_gazetteer(project: Project, path: str | Path, label: str = "ENTITY") -> GazetteerImport:
    """Add a gazetteer file's names in one transaction; any bad line adds nothing."""
    path = Path(path)
    entries = read_gazetteer(path, label)
    for entry, number in entries:
        try:
            tag = project.tag(entry.label)
        except ValidationError as exc:
            raise InputError(path, str(exc), number) from None
        allowed = tag.attributes.get("type", {}).get("values")
        if entry.type is not None and allowed and entry.type not in allowed:
            raise InputError(path, f"type {entry.type!r} is not one of {', '.join(allowed)}", number)
    added = 0
    stamp = now_iso()
    with project.db.atomic():
        for entry, _ in entries:
            cursor = project.db.conn.execute(
                "INSERT OR IGNORE INTO gazetteer (name, label, type, source, created_at)"
                " VALUES (?, ?, ?, ?, ?)", [entry.name, entry.label, entry.type, path.name, stamp],
            )
            added += cursor.rowcount
    return GazetteerImport(added, len(entries) - added)
