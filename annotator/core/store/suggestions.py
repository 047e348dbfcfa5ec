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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.text.encoding import read_text_file
from annotator.core.errors import InputError
from annotator.core.model import NewSpan, Span
from annotator.core.store.clock import now_iso
from annotator.core.store.project import Project
from annotator.core.store.spans import SpanBatchResult

PROVENANCE_PREFIX = "suggested:"
RejectionKey = tuple[int, int, int, str]  # document id, start, end, label


def reject(project: Project, layer: str, document_id: int, start: int, end: int,
           label: str) -> None:
    """Remember that ``layer`` does not want this suggestion (committed)."""
    project.tag(label)
    project.document(document_id)
    with project.transaction():
        project.db.conn.execute(
            'INSERT OR IGNORE INTO suggestion_rejections (document_id, layer, start, "end", label,'
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [document_id, layer, start, end, label, now_iso()],
        )


def unreject(project: Project, layer: str, document_id: int, start: int, end: int,
             label: str) -> None:
    """Forget a rejection (undo of reject)."""
    with project.transaction():
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
           attributes: dict, rule: str, note: str = "") -> Span:
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
    already: int  # the same name was in the gazetteer
    untyped: int = 0  # a type the tag set does not have (GPE, PERSON): the name kept, no type
    skipped: int = 0  # lines we do not model (spaCy token patterns)

    def summary(self) -> str:
        text = f"gazetteer: {self.added} name(s) added, {self.already} already there"
        if self.untyped:
            text += f"; {self.untyped} type(s) not in the tag set left empty"
        if self.skipped:
            text += f"; {self.skipped} token pattern(s) skipped"
        return text


def gazetteer(project: Project) -> list[GazetteerEntry]:
    rows = project.db.conn.execute("SELECT name, label, type FROM gazetteer ORDER BY label, name")
    return [GazetteerEntry(*row) for row in rows]


def read_gazetteer(path: Path, label: str = "ENTITY") -> tuple[list[tuple[GazetteerEntry, int]], int]:
    """Entries of a CSV (name,type; a header row is optional) or JSONL file
    ({"name", "type"}, or spaCy EntityRuler's {"label", "pattern"}) with their
    line numbers, and how many lines were token patterns (skipped)."""
    text = read_text_file(path).text
    entries: list[tuple[GazetteerEntry, int]] = []
    skipped = 0
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(path, f"not JSON ({exc.msg})", number) from None
            if isinstance(record, dict) and isinstance(record.get("pattern"), list):
                skipped += 1  # a spaCy token pattern: not a name we can match
                continue
            name = record.get("name", record.get("pattern")) if isinstance(record, dict) else None
            if not isinstance(name, str):
                raise InputError(path, 'expected an object with a "name" string', number)
            type_ = record.get("type", record.get("label"))
            if type_ is not None and not isinstance(type_, str):
                raise InputError(path, '"type" must be a string', number)
            entries.append((GazetteerEntry(name.strip(), label, type_ or None), number))
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
    return entries, skipped


def import_gazetteer(project: Project, path: str | Path, label: str = "ENTITY") -> GazetteerImport:
    """Add a gazetteer file's names in one transaction; any bad line adds nothing."""
    path = Path(path)
    tag = project.tag(label)
    entries, skipped = read_gazetteer(path, label)
    allowed = tag.attributes.get("type", {}).get("values")
    untyped = 0
    added = 0
    stamp = now_iso()
    with project.transaction():
        for entry, _ in entries:
            type_ = entry.type
            if type_ is not None and allowed and type_ not in allowed:
                type_ = None
                untyped += 1
            cursor = project.db.conn.execute(
                "INSERT OR IGNORE INTO gazetteer (name, label, type, source, created_at)"
                " VALUES (?, ?, ?, ?, ?)", [entry.name, entry.label, type_, path.name, stamp],
            )
            added += cursor.rowcount
    return GazetteerImport(added, len(entries) - added, untyped, skipped)


# Texts up to this long are sliced by SQLite's substr, which walks the
# text's UTF-8 from its start for every span; longer ones are read once and
# sliced in Python.
_SUBSTR_CHARS = 20_000
_TYPE = ("CASE WHEN s.attributes = '{}' THEN NULL WHEN json_type(s.attributes, '$.type') = 'text'"
         " THEN json_extract(s.attributes, '$.type') END")


def tagged_names(project: Project, label: str, layers: list[str]) -> list[tuple[str, str | None, int]]:
    """(text, type attribute or None, how many spans) of the spans of
    ``label`` in these layers: the names entity propagation proposes
    elsewhere. Counted in SQLite: 200,000 tagged names are a few thousand
    distinct ones, and each is folded once, not once per span."""
    marks = ", ".join("?" * len(layers))
    where = f"s.label = ? AND s.layer IN ({marks})"
    names: list[tuple[str, str | None, int]] = project.db.conn.execute(
        f"SELECT substr(d.text, s.start + 1, s.\"end\" - s.start), {_TYPE}, count(*)"
        f" FROM spans s JOIN documents d ON d.id = s.document_id WHERE {where}"
        " AND d.chars <= ? GROUP BY 1, 2", [label, *layers, _SUBSTR_CHARS]).fetchall()
    by_document: dict[int, list[tuple[int, int, str | None]]] = {}
    for doc, start, end, type_ in project.db.conn.execute(
        f'SELECT s.document_id, s.start, s."end", {_TYPE} FROM spans s JOIN documents d'
        f" ON d.id = s.document_id WHERE {where} AND d.chars > ?", [label, *layers, _SUBSTR_CHARS],
    ):
        by_document.setdefault(doc, []).append((start, end, type_))
    for doc, spans in by_document.items():
        text = project.db.conn.execute("SELECT text FROM documents WHERE id = ?", [doc]).fetchone()[0]
        counted = Counter((text[start:end], type_) for start, end, type_ in spans)
        names += [(name, type_, n) for (name, type_), n in counted.items()]
    return names
