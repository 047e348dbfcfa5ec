"""Own JSONL imported in two streaming passes, so that memory is bounded by
a batch of lines and not by the file (issue 15): a large project's export
can be imported back, which reading it whole could not (over 512 MB).

Pass 1 (``scan``), before the project is opened, reads every line and runs
the same checks as ``own_jsonl.read``, keeping only what later checks need:
the first use of each label, layer and relation type, and where each
(document, layer) line starts, so that a relation naming a span of another
document can be checked against that line. Pass 2 (``OwnScan.apply``)
reads the files again inside the import's one transaction and writes them
500 lines at a time; a file that changed between the passes is refused and
the transaction rolled back.

Streaming is for the import that keeps every id: into a project without
documents, from files whose every document, span and relation has an id,
one line per document and layer, no span or relation given twice. Anything
else (another encoding, a CR inside a line, --annotator, a project that
already has documents, an id already taken) falls back to reading the files
whole, exactly as before; so does a file under STREAM_AT_BYTES, which is
faster to read once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError, error_at
from annotator.core.formats import own_jsonl
from annotator.core.formats.imports import line_files as lf
from annotator.core.formats.imports import relations as rel
from annotator.core.formats.imports.apply import (
    ImportReport,
    ParsedImport,
    ParsedRelation,
    ParsedSpan,
    add_labels_and_layers,
    add_relation_types,
    apply_import,
    check_labels,
    check_layer,
    describe_ref,
)
from annotator.core.formats.imports.line_files import NotStreamable
from annotator.core.formats.imports.plain_text import parse_json_line
from annotator.core.model import GOLD, NewDocument, NewRelation, NewSpan, Status
from annotator.core.store.id_adoption import IdsTaken
from annotator.core.store.project import Project

_TABLES = ("documents", "spans", "relations")


@dataclass
class OwnScan:
    """What pass 1 learnt; ``apply_import`` calls ``apply``."""

    files: list[Path]
    passes: lf.Passes
    stamps: list[lf.Stamp] = field(default_factory=list)
    uses: lf.FirstUses = field(default_factory=lf.FirstUses)
    status_layers: set[str] = field(default_factory=set)  # layers a status is set in
    # (document SHA-256, layer) -> (file index, byte offset of its line)
    lines: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def apply(self, project: Project, *, annotator: str | None, add_labels: bool,
              keep_ids: bool, progress: lf.Progress | None = None) -> ImportReport:
        self.passes.progress = progress or self.passes.progress
        if annotator is None and keep_ids and not project.document_count():
            try:
                return self._apply(project, add_labels)
            except (NotStreamable, IdsTaken):
                pass  # rolled back: nothing was written
        return apply_import(project, _read_whole(self.files), annotator=annotator,
                            add_labels=add_labels, keep_ids=keep_ids, progress=progress)

    def _apply(self, project: Project, add_labels: bool) -> ImportReport:
        for layer, origin in self.uses.layers.items():
            if layer != GOLD:
                check_layer(layer, origin)
        shown = self.uses.shown()
        new_labels = check_labels(project, shown, add_labels)
        new_types = rel.relation_types_to_add(project, shown, add_labels, new_labels)
        report = ImportReport(files=len(self.files), labels_added=list(new_labels),
                              relation_types_added=[t.name for t in new_types], ids_kept=True)
        with project.transaction():  # drops its caches itself if it rolls back
            floors = {table: project.first_unused_id(table) for table in _TABLES}
            if project.document_count():
                raise NotStreamable("documents appeared since the check")
            add_labels_and_layers(project, new_labels,
                                  [*self.uses.layers, *sorted(self.status_layers)])
            add_relation_types(project, new_types, shown.relations)
            deferred: list[tuple[NewRelation, int]] = []
            for index, path in enumerate(self.files):
                hasher = self.passes.hasher()
                with lf.same_file(path, self.stamps[index]):
                    for batch in lf.batches((lineno, parse_json_line(text, path, lineno)) for _, lineno, text
                                            in lf.lines(path, hasher, checked=True)):
                        _write_batch(project, path, batch, floors, deferred, report)
                if lf.stamp(path, hasher) != self.stamps[index]:
                    raise lf.changed(path)
            if deferred:
                _write_relations(project, deferred, floors, report)
            self.passes.tell(final=True)  # the last chance to cancel: still in the transaction
        return report


def scan(paths: list[Path], progress: lf.Progress | None = None) -> OwnScan | None:
    """Pass 1 over own-JSONL files; None when they are better read whole.
    Raises InputError (file and line) for what ``own_jsonl.read`` refuses."""
    try:
        if not lf.worth_streaming(paths):
            return None
        found = OwnScan(list(paths), lf.Passes(paths, progress))
        deferred: list[tuple[tuple, ParsedRelation]] = []
        for index, path in enumerate(paths):
            _scan_file(found, index, path, deferred)
        _resolve_deferred(found, deferred)
        return found if found.lines else None
    except NotStreamable:
        return None


def _scan_file(found: OwnScan, index: int, path: Path, deferred: list) -> None:
    hasher = found.passes.hasher()
    sha_by_id: dict[int, str] = {}  # as own_jsonl.read: one file's document ids
    for offset, lineno, text in lf.lines(path, hasher):
        line = ParsedImport()
        own_jsonl._read_line(path, lineno, parse_json_line(text, path, lineno), line, sha_by_id)
        (sha, document), = line.documents.items()
        (layer, _), = document.statuses.items()
        if document.id is None or (sha, layer) in found.lines:
            raise NotStreamable("a document without an id, or a second line for one layer")
        found.lines[(sha, layer)] = (index, offset)
        if document.statuses[layer] != Status.TODO:
            found.status_layers.add(layer)
        order = {id(r): number for number, r in enumerate(line.relations)}
        deferred.extend(((index, lineno, order[id(r)]), r) for r in _split_deferred(line))
        line.resolve()
        rel.check_relations(line, {id(s): s.layer for s in line.spans})
        _note_line(found, line, [(index, lineno, order[id(r)]) for r in line.relations])
    found.stamps.append(lf.stamp(path, hasher))


def _split_deferred(line: ParsedImport) -> list[ParsedRelation]:
    """Take out of ``line`` the relations whose target is on another line."""
    own = set(line.span_refs)
    kept, away = [], []
    for relation in line.relations:
        target = relation.target
        (away if not isinstance(target, ParsedSpan) and target[0] not in own else kept).append(relation)
    line.relations = kept
    return away


def _note_line(found: OwnScan, line: ParsedImport, where: list[tuple]) -> None:
    spans, relations = set(), set()
    for span in line.spans:
        if span.id is None or (span.label, span.start, span.end) in spans:
            raise NotStreamable("a span without an id, or one given twice")
        spans.add((span.label, span.start, span.end))
        if span.label not in found.uses.labels:
            _no_spaces(span.label)
        found.uses.note_span(span, span.layer)
    for relation, at in zip(line.relations, where):
        ends = frozenset((relation.source.id, relation.target.id))
        if relation.id is None or (relation.type, ends) in relations:
            raise NotStreamable("a relation without an id, or one given twice")
        relations.add((relation.type, ends))
        _no_spaces(relation.type)
        found.uses.note_relation(relation, at, cross=False)


def _no_spaces(name: str) -> None:
    # The whole read renames such names (imports.names) and says so.
    if any(c.isspace() for c in name):
        raise NotStreamable("a name with spaces")


def _resolve_deferred(found: OwnScan, deferred: list[tuple[tuple, ParsedRelation]]) -> None:
    """Check every relation that names a span of another line, in file
    order, by reading that line again: the in-memory read's ``resolve``."""
    identities = set()
    # Relations across documents often name the same few lines: each is
    # parsed again once while it is among the last 256 named.
    spans_on = functools.lru_cache(maxsize=256)(lambda at: _spans_on_line(found, at))
    for where, relation in deferred:
        scope, span_id = relation.target
        at = found.lines.get(scope[1:])
        target = spans_on(at).get(scope, {}).get(span_id) if at is not None else None
        if target is None:
            raise error_at(relation.origin, f"{relation.type} relation: target "
                                            f"{describe_ref(relation.target)} is not a span of the import")
        identity = (relation.type, frozenset(((relation.source.document, relation.source.id),
                                              (target.document, target.id))))
        if relation.id is None or identity in identities:
            raise NotStreamable("a relation without an id, or one given twice")
        identities.add(identity)
        relation.target = target
        _no_spaces(relation.type)
        found.uses.note_relation(relation, where, cross=True)


def _spans_on_line(found: OwnScan, at: tuple[int, int]) -> dict[Any, dict[int, ParsedSpan]]:
    """The span references (scope -> span id -> span) of the line at
    ``at`` (file index, byte offset)."""
    path = found.files[at[0]]
    with open(path, "rb") as file:
        file.seek(at[1])
        raw = file.readline()
    line = ParsedImport()
    try:
        # Line number 0: this line passed every check when it was first read.
        own_jsonl._read_line(path, 0, parse_json_line(lf.decode(raw), path, 0), line, {})
    except InputError:
        raise NotStreamable("the file changed while it was read") from None
    return line.span_refs


def _write_batch(project: Project, path: Path, batch: list[tuple[int, dict]],
                 floors: dict[str, int], deferred: list[tuple[NewRelation, int]],
                 report: ImportReport) -> None:
    try:
        documents, statuses, spans, relations, away = _rows(path, batch)
    except (KeyError, TypeError, AttributeError, ValueError):
        # Pass 1 checked every line; only a file changed since fails here.
        raise lf.changed(path) from None
    added = project.add_documents([document for document, _ in documents],
                                  ids=_ids(documents, "documents", floors))
    for (_, wanted), result in zip(documents, added):
        if result.id != wanted:  # a second layer of a document stored earlier
            raise NotStreamable("one text, two document ids")
        report.documents_added += result.added
    project.set_statuses(statuses)
    result = project.add_spans([span for span, _ in spans], ids=_ids(spans, "spans", floors))
    report.count_batch(spans=result)
    _write_relations(project, relations, floors, report)
    deferred.extend(away)


def _rows(path: Path, batch: list[tuple[int, dict]]) -> tuple[list, list, list, list, list]:
    """A batch of lines as rows to store, without checking them again: pass
    1 checked each line, and the file's SHA-256 is compared once it has been
    read again, so a file changed in between is rolled back. Ids are kept,
    so a document's or span's id in the store is the one its line gives,
    which is what relations name; a relation to a span of another document
    waits until every span is stored (``away``)."""
    documents: dict[str, tuple[NewDocument, int]] = {}
    statuses, spans, relations, away = [], [], [], []
    for lineno, record in batch:
        sha, doc_id, layer = record["sha256"], record["document_id"], record["layer"]
        if sha not in documents:
            documents[sha] = (NewDocument(name=record["name"], text=record["text"],
                                          source=record.get("source"),
                                          external_id=record.get("external_id"),
                                          meta=record.get("meta") or {}), doc_id)
        status = Status(record.get("status", "todo"))
        if status != Status.TODO:
            statuses.append((doc_id, layer, status))
        origin = (str(path), lineno)
        for item in record["spans"]:
            spans.append((NewSpan(doc_id, layer, item["start"], item["end"], item["label"],
                                  item.get("attributes") or {}, item.get("note") or "",
                                  item.get("provenance"), origin), item["id"]))
        for item in record.get("relations") or ():
            new = NewRelation(layer, item["type"], item["source"], item["target"],
                              item.get("attributes") or {}, item.get("note") or "",
                              item.get("provenance"), origin=origin)
            other = item.get("target_document")
            (away if other is not None and other["sha256"] != sha else relations).append(
                (new, item["id"]))
    return list(documents.values()), statuses, spans, relations, away


def _write_relations(project: Project, relations: list[tuple[NewRelation, int]],
                     floors: dict[str, int], report: ImportReport) -> None:
    if not relations:
        return
    result = project.add_relations([new for new, _ in relations],
                                   ids=_ids(relations, "relations", floors))
    report.count_batch(relations=result)


def _ids(rows: list[tuple[object, int]], table: str, floors: dict[str, int]) -> list[int]:
    """The ids the file gives these rows, if every one is past every id the
    project ever used (``Project.first_unused_id`` before the import)."""
    ids = [wanted for _, wanted in rows]
    if ids and min(ids) < floors[table]:
        raise NotStreamable(f"{table}: an id below the first unused one")
    return ids


def _read_whole(paths: list[Path]) -> ParsedImport:
    parsed = ParsedImport()
    for path in paths:
        own_jsonl.read(path, parsed)
    return parsed
