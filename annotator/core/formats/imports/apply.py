"""What every annotation import shares: parsed documents, spans and
relations, checked against the project, then written in one transaction.

A format's reader only parses: it returns a ``ParsedImport`` and raises
``InputError`` (file and line) for anything malformed. ``apply_import`` then
checks labels, layers, attributes and relation types before writing
anything, and writes documents, layers, labels, spans, relation types and
relations in one transaction (the store checks each relation's rules there,
``Project.add_relations``), so a failed import changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, Protocol

from annotator.core.bulk import bulk
from annotator.core.text.encoding import check_text, sha256_text
from annotator.core.errors import ValidationError, error_at
from annotator.core.formats.imports import relations as rel
from annotator.core.formats.imports.names import join_spaces_in_names
from annotator.core.model import GOLD, NewDocument, NewSpan, RelationType, Status, Tag
from annotator.core.store.project import Project
from annotator.core.store.validation import (
    check_document_name,
    check_layer_name,
    check_tag_name,
    short,
)

Origin = tuple[str, int | None]
# Colours for labels an import adds (the user can change them later).
_NEW_LABEL_COLORS = ("#7048e8", "#e64980", "#0c8599", "#f08c00", "#5c940d", "#495057")


@dataclass
class ParsedSpan:
    """A span read from a file, before its document is in the project (so it
    names the document by SHA-256) and before the layer is chosen. Becomes a
    ``NewSpan`` once the documents are stored (see ``model.Span``)."""

    document: str  # SHA-256 of the document's canonical text
    layer: str | None  # None: the layer chosen at import (--annotator, else gold)
    start: int
    end: int
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    provenance: str | None = None
    origin: Origin | None = None
    id: int | None = None  # own JSONL: the id to keep when it is free
    # A brat event trigger: stored only when some event argument becomes a
    # relation from it (see imports.relations), else skipped and counted.
    optional: bool = False


@dataclass
class ParsedRelation:
    """A relation read from a file. Its ends are the ``ParsedSpan`` objects
    of the same import, or, until ``ParsedImport.resolve`` runs, a key of
    ``ParsedImport.span_refs`` (own JSONL names a span of another document
    by that document's SHA-256 and the span's id)."""

    type: str
    source: Any  # ParsedSpan, or (span_refs scope, span id)
    target: Any
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    provenance: str | None = None
    origin: Origin | None = None
    id: int | None = None  # own JSONL: the id to keep when it is free
    # Label Studio "bi": a hint that a type created with --add-labels is symmetric.
    undirected: bool = False
    # brat event arguments: without a relation type of this name (and no
    # --add-labels) the relation is skipped and counted under this name,
    # never refused: the file is valid, we just do not model its events.
    skip_as: str | None = None


@dataclass
class ParsedDocument:
    document: NewDocument
    origin: Origin
    id: int | None = None  # own JSONL: the id to keep when it is free
    statuses: dict[str, Status] = field(default_factory=dict)


@dataclass
class ParsedImport:
    documents: dict[str, ParsedDocument] = field(default_factory=dict)  # by SHA-256
    spans: list[ParsedSpan] = field(default_factory=list)
    # Labels a tag-set file declares (brat's annotation.conf), in its order.
    declared_labels: list[str] = field(default_factory=list)
    relations: list[ParsedRelation] = field(default_factory=list)
    # Relation types a tag-set file declares (brat's [relations]), by name.
    declared_relation_types: dict[str, RelationType] = field(default_factory=dict)
    # Spans a relation may name from elsewhere in the import, by scope and
    # id: own JSONL's scope is ("own", document SHA-256, layer), one per line,
    # and a relation's end names (scope, span id).
    span_refs: dict[Any, dict[int, ParsedSpan]] = field(default_factory=dict)
    files: int = 0
    notes: list[str] = field(default_factory=list)  # what was skipped, for the report

    def add_document(self, text: str, name: str, origin: Origin, **extra: Any) -> str:
        """Register a document (canonical text) once; returns its key. Text
        and name follow the rules of a .txt import (no NUL, ESC, ...)."""
        check_text(text, origin[0], origin[1])
        try:
            check_document_name(name)
        except ValidationError as exc:
            raise error_at(origin, str(exc)) from None
        sha = sha256_text(text)
        if sha not in self.documents:
            self.documents[sha] = ParsedDocument(
                NewDocument(name=name, text=text, source=f"{origin[0]}" if origin[1] is None
                            else f"{origin[0]}:{origin[1]}", **extra),
                origin,
            )
        return sha

    def text(self, key: str) -> str:
        return self.documents[key].document.text

    def resolve(self) -> None:
        """Replace every relation end given as a ``span_refs`` key by its
        span; an end that names no span is an error at the relation's line."""
        for relation in self.relations:
            for side in ("source", "target"):
                end = getattr(relation, side)
                if isinstance(end, ParsedSpan):
                    continue
                span = self.span_refs.get(end[0], {}).get(end[1])
                if span is None:
                    raise error_at(relation.origin, f"{relation.type} relation: {side} "
                                                    f"{describe_ref(end)} is not a span of the import")
                setattr(relation, side, span)


def describe_ref(ref: Any) -> str:
    """A relation end (scope, span id) in words."""
    scope, span_id = ref
    if isinstance(scope, tuple) and len(scope) == 3 and scope[0] == "own":
        return f"span {span_id} (layer {scope[2]}, document sha256 {scope[1][:12]}...)"
    return f"span {span_id!r} of {scope!r}"


@dataclass
class ImportReport:
    files: int = 0
    documents_added: int = 0
    documents_matched: int = 0  # already in the project (same SHA-256)
    spans_added: int = 0
    duplicates: int = 0  # kept once
    spans_by_layer: dict[str, int] = field(default_factory=dict)
    labels_added: list[str] = field(default_factory=list)
    relations_added: int = 0
    relation_duplicates: int = 0  # kept once
    relation_types_added: list[str] = field(default_factory=list)
    ids_kept: bool = False
    notes: list[str] = field(default_factory=list)

    def count_batch(self, spans: Any = None, relations: Any = None) -> None:
        """Add a streamed batch's SpanBatchResult and RelationBatchResult."""
        if spans is not None:
            self.spans_added += len(spans.inserted)
            self.duplicates += spans.duplicates
            for layer, count in spans.by_layer.items():
                self.spans_by_layer[layer] = self.spans_by_layer.get(layer, 0) + count
        if relations is not None:
            self.relations_added += len(relations.inserted)
            self.relation_duplicates += relations.duplicates

    def summary(self) -> str:
        layers = ", ".join(f"{layer} {n}" for layer, n in sorted(self.spans_by_layer.items())) or "none"
        text = (f"imported {self.documents_added} new document(s), {self.documents_matched} already "
                f"in the project, from {self.files} file(s); {self.spans_added} span(s) "
                f"(by layer: {layers}); {self.duplicates} duplicate(s) kept once")
        if self.relations_added or self.relation_duplicates:
            text += (f"; {self.relations_added} relation(s), {self.relation_duplicates} "
                     "duplicate relation(s) kept once")
        if self.labels_added:
            text += f"; labels added: {', '.join(self.labels_added)}"
        if self.relation_types_added:
            text += f"; relation types added: {', '.join(self.relation_types_added)}"
        return text


class StreamedImport(Protocol):
    """Files checked in a first pass and written in a second, batch by
    batch (own_stream.OwnScan), instead of a ``ParsedImport`` held whole."""

    def apply(self, project: Project, *, annotator: str | None, add_labels: bool,
              keep_ids: bool, progress: Callable[[int, int], None] | None = None
              ) -> ImportReport: ...


@bulk
def apply_import(project: Project, parsed: ParsedImport | StreamedImport, *,
                 annotator: str | None = None, add_labels: bool = False,
                 keep_ids: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check ``parsed`` against the project, then write it all or nothing.

    ``annotator`` puts every span in that layer (``gold`` allowed); otherwise
    spans keep the layer their file names, and gold when it names none.
    ``progress(done, total)`` is told as the import goes (a streamed one:
    bytes read) and once more before the commit; if it raises (a cancelled
    job), nothing is written.
    """
    if not isinstance(parsed, ParsedImport):
        return parsed.apply(project, annotator=annotator, add_labels=add_labels, keep_ids=keep_ids,
                            progress=progress)
    if annotator is not None:
        check_layer(annotator, None)
    parsed.resolve()
    parsed.notes.extend(join_spaces_in_names(parsed))
    event_notes = rel.drop_unmodelled_events(project, parsed, add_labels)
    spans = parsed.spans
    layer_of = [annotator or span.layer or GOLD for span in spans]
    for layer in dict.fromkeys(layer_of):
        if layer != GOLD:
            check_layer(layer, next(s.origin for s, l in zip(spans, layer_of) if l == layer))
    new_labels = check_labels(project, parsed, add_labels)
    # Attributes and notes are checked by Project.add_spans, with each span's
    # origin, inside the import's transaction: a bad one still changes nothing.
    for span in spans:
        length = len(parsed.text(span.document))
        if not 0 <= span.start < span.end <= length:
            raise error_at(span.origin, f"span [{span.start}, {span.end}) outside the text "
                                      f"(length {length})")

    layer_by_span = {id(span): layer for span, layer in zip(spans, layer_of)}
    rel.check_relations(parsed, layer_by_span)
    new_types = rel.relation_types_to_add(project, parsed, add_labels, new_labels)

    report = ImportReport(files=parsed.files, notes=list(parsed.notes) + event_notes,
                          labels_added=list(new_labels),
                          relation_types_added=[t.name for t in new_types])
    with project.transaction():  # drops its caches itself if it rolls back
        span_ids = _write(project, parsed, spans, layer_of, new_labels, keep_ids, annotator, report)
        add_relation_types(project, new_types, parsed.relations)
        if parsed.relations:
            _write_relations(project, parsed, span_ids, layer_by_span, keep_ids, report)
        if progress is not None:
            progress(1, 1)  # the last chance to cancel: still in the transaction
    return report


def _write_relations(project: Project, parsed: ParsedImport, span_ids: dict[int, int],
                     layer_by_span: dict[int, str], keep_ids: bool, report: ImportReport) -> None:
    from annotator.core.formats.imports.relations import new_relations

    unused = project.next_relation_id()
    result = project.add_relations(new_relations(parsed, span_ids, layer_by_span))
    report.relations_added = len(result.inserted)
    report.relation_duplicates = result.duplicates
    if keep_ids and report.ids_kept and result.duplicates == 0 \
            and all(r.id is not None and r.id >= unused for r in parsed.relations):
        report.ids_kept = project.adopt_ids(
            "relations", dict(zip(result.inserted, (r.id for r in parsed.relations))))
    elif keep_ids:
        report.ids_kept = False


def _write(project: Project, parsed: ParsedImport, spans: list[ParsedSpan], layer_of: list[str],
           new_labels: dict[str, dict], keep_ids: bool, annotator: str | None,
           report: ImportReport) -> dict[int, int]:
    """Write labels, layers, documents, statuses and spans; returns the
    store id of every parsed span (by ``id()`` of the ParsedSpan)."""
    add_labels_and_layers(project, new_labels, layer_of)
    keys = list(parsed.documents)
    added = project.add_documents(parsed.documents[k].document for k in keys)
    ids = {key: result.id for key, result in zip(keys, added)}
    report.documents_added = sum(1 for r in added if r.added)
    report.documents_matched = len(added) - report.documents_added
    ids_kept = True
    if keep_ids:
        wanted = {r.id: parsed.documents[k].id for k, r in zip(keys, added)
                  if r.added and parsed.documents[k].id is not None}
        ids_kept = project.adopt_ids("documents", wanted)
        if ids_kept:
            ids.update({k: parsed.documents[k].id for k, r in zip(keys, added)
                        if r.added and parsed.documents[k].id is not None})
    for key in keys:
        for layer, status in parsed.documents[key].statuses.items():
            if status != Status.TODO:
                target = annotator or layer
                if target != GOLD:
                    project.add_annotator(target)
                project.set_status(ids[key], target, status)
    result = project.add_spans(
        NewSpan(ids[s.document], layer, s.start, s.end, s.label, s.attributes, s.note,
                s.provenance, s.origin)
        for s, layer in zip(spans, layer_of)
    )
    report.spans_added = len(result.inserted)
    report.duplicates = result.duplicates
    ids = result.ids
    if keep_ids and result.duplicates == 0 and all(s.id is not None for s in spans):
        adopted = project.adopt_ids("spans", dict(zip(result.inserted, (s.id for s in spans))))
        ids_kept = adopted and ids_kept
        if adopted:
            ids = [s.id for s in spans]
    else:
        ids_kept = False
    report.ids_kept = keep_ids and ids_kept
    report.spans_by_layer = result.by_layer
    return {id(span): span_id for span, span_id in zip(spans, ids)}


def add_labels_and_layers(project: Project, new_labels: dict[str, dict], layers: list[str]) -> None:
    """Add the labels ``check_labels`` found missing, after the tag set's,
    and every annotator layer named."""
    position = max((t.position for t in project.tags()), default=-1) + 1
    for index, (label, attributes) in enumerate(new_labels.items()):
        project.add_tag(Tag(label, color=_NEW_LABEL_COLORS[index % len(_NEW_LABEL_COLORS)],
                            attributes=attributes, position=position + index))
    for layer in dict.fromkeys(layers):
        if layer != GOLD:
            project.add_annotator(layer)


def add_relation_types(project: Project, kinds: list[RelationType],
                       relations: list[ParsedRelation]) -> None:
    """Create the relation types ``relation_types_to_add`` chose; the store's
    refusal names the first relation of that type."""
    for kind in kinds:
        try:
            project.add_relation_type(kind)
        except ValidationError as exc:
            first = next(r for r in relations if r.type == kind.name)
            raise error_at(first.origin, f"relation type {kind.name}: {exc}") from None


def check_layer(layer: str, origin: Origin | None) -> None:
    if layer == GOLD:
        return
    try:
        check_layer_name(layer)
    except ValidationError as exc:
        raise error_at(origin, str(exc)) from None


def check_labels(project: Project, parsed: ParsedImport, add_labels: bool) -> dict[str, dict]:
    """Labels to add (name -> attribute spec), or raise for unknown ones."""
    known = {t.name for t in project.tags()}
    first_use: dict[str, ParsedSpan] = {}
    for span in parsed.spans:
        first_use.setdefault(span.label, span)
    unknown = [label for label in dict.fromkeys(parsed.declared_labels + list(first_use))
               if label not in known]
    if not unknown:
        return {}
    if not add_labels:
        used = [label for label in unknown if label in first_use]
        if used:
            label = used[0]
            others = f" (also unknown: {', '.join(short(u) for u in used[1:6])}" \
                f"{', ...' if len(used) > 6 else ''})" if len(used) > 1 else ""
            raise error_at(first_use[label].origin,
                         f"unknown label {short(label)}{others}; tag set: {', '.join(sorted(known))}. "
                         "Add them with --add-labels")
        return {}  # declared but unused: nothing to add
    for label in unknown:
        try:
            check_tag_name(label)
        except ValidationError as exc:
            span = first_use.get(label)
            raise error_at(span.origin if span else None, str(exc)) from None
    # A new label takes every attribute its spans use, free-valued.
    new: dict[str, dict] = {label: {} for label in unknown}
    for span in parsed.spans:
        if span.label in new:
            for key in span.attributes:
                if key != "unsure":
                    new[span.label].setdefault(key, {})
    return new
