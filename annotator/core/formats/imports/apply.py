"""What every annotation import shares: parsed documents and spans, checked
against the project, then written in one transaction.

A format's reader only parses: it returns a ``ParsedImport`` and raises
``InputError`` (file and line) for anything malformed. ``apply_import`` then
checks labels, layers and attributes before writing anything, and writes
documents, layers, labels and spans in one transaction, so a failed import
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core.bulk import bulk
from annotator.core.text.encoding import check_text, sha256_text
from annotator.core.errors import ValidationError, error_at
from annotator.core.model import GOLD, NewDocument, NewSpan, Status, Tag
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


@dataclass
class ImportReport:
    files: int = 0
    documents_added: int = 0
    documents_matched: int = 0  # already in the project (same SHA-256)
    spans_added: int = 0
    duplicates: int = 0  # kept once
    spans_by_layer: dict[str, int] = field(default_factory=dict)
    labels_added: list[str] = field(default_factory=list)
    ids_kept: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        layers = ", ".join(f"{layer} {n}" for layer, n in sorted(self.spans_by_layer.items())) or "none"
        text = (f"imported {self.documents_added} new document(s), {self.documents_matched} already "
                f"in the project, from {self.files} file(s); {self.spans_added} span(s) "
                f"(by layer: {layers}); {self.duplicates} duplicate(s) kept once")
        if self.labels_added:
            text += f"; labels added: {', '.join(self.labels_added)}"
        return text


@bulk
def apply_import(project: Project, parsed: ParsedImport, *, annotator: str | None = None,
                 add_labels: bool = False, keep_ids: bool = False) -> ImportReport:
    """Check ``parsed`` against the project, then write it all or nothing.

    ``annotator`` puts every span in that layer (``gold`` allowed); otherwise
    spans keep the layer their file names, and gold when it names none.
    """
    if annotator is not None:
        _check_layer(annotator, None)
    spans = parsed.spans
    layer_of = [annotator or span.layer or GOLD for span in spans]
    for layer in dict.fromkeys(layer_of):
        if layer != GOLD:
            _check_layer(layer, next(s.origin for s, l in zip(spans, layer_of) if l == layer))
    new_labels = _check_labels(project, parsed, add_labels)
    # Attributes and notes are checked by Project.add_spans, with each span's
    # origin, inside the import's transaction: a bad one still changes nothing.
    for span in spans:
        length = len(parsed.text(span.document))
        if not 0 <= span.start < span.end <= length:
            raise error_at(span.origin, f"span [{span.start}, {span.end}) outside the text "
                                      f"(length {length})")

    report = ImportReport(files=parsed.files, notes=list(parsed.notes), labels_added=list(new_labels))
    with project.transaction():  # drops its caches itself if it rolls back
        _write(project, parsed, spans, layer_of, new_labels, keep_ids, annotator, report)
    return report


def _write(project: Project, parsed: ParsedImport, spans: list[ParsedSpan], layer_of: list[str],
           new_labels: dict[str, dict], keep_ids: bool, annotator: str | None,
           report: ImportReport) -> None:
    position = max((t.position for t in project.tags()), default=-1) + 1
    for index, (label, attributes) in enumerate(new_labels.items()):
        project.add_tag(Tag(label, color=_NEW_LABEL_COLORS[index % len(_NEW_LABEL_COLORS)],
                            attributes=attributes, position=position + index))
    for layer in dict.fromkeys(layer_of):
        if layer != GOLD:
            project.add_annotator(layer)
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
    if keep_ids and result.duplicates == 0 and all(s.id is not None for s in spans):
        ids_kept = project.adopt_ids("spans", dict(zip(result.inserted, (s.id for s in spans)))) and ids_kept
    else:
        ids_kept = False
    report.ids_kept = keep_ids and ids_kept
    report.spans_by_layer = result.by_layer


def _check_layer(layer: str, origin: Origin | None) -> None:
    if layer == GOLD:
        return
    try:
        check_layer_name(layer)
    except ValidationError as exc:
        raise error_at(origin, str(exc)) from None


def _check_labels(project: Project, parsed: ParsedImport, add_labels: bool) -> dict[str, dict]:
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
