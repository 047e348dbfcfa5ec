"""Reading one annotator's copy for a merge: its documents, tag set, relation
types, and each annotator layer's spans, relations and statuses, keyed by
content so that they compare with the target's whatever the row ids.

A copy is another person's file, perhaps edited by hand or by a script:
every JSON column and every document's SHA-256 is checked as it is read, so
that a bad one is a one-line error naming the row, not a traceback or,
worse, spans attached to a text they were not made on.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import InputError, SchemaError, ValidationError
from annotator.core.model import GOLD, NewDocument, RelationType, Status, Tag
from annotator.core.store.project import Project
from annotator.core.store.validation import check_layer_name
from annotator.core.text.encoding import sha256_text

# (start, end, label, attributes as JSON, note): what makes two spans the same work.
SpanKey = tuple[int, int, str, str, str]
# A relation end by content: (document sha256, start, end, label).
End = tuple[str, int, int, str]
# (type, source end, target end, attributes as JSON, note): what makes two
# relations the same work. A symmetric type's ends are in sorted order, since
# which one is stored as source depends on span ids, which differ per file.
RelationKey = tuple[str, End, End, str, str]
# What a relation carries besides its identity: provenance and timestamps.
RelationExtra = tuple[str | None, str, str]


@dataclass
class Layer:
    """One annotator's work in one file, per document sha256. A relation is
    listed under each document it touches (two for a cross-document link),
    so a document's work is its spans and every relation reaching into it."""

    spans: dict[str, set[SpanKey]]
    relations: dict[str, dict[RelationKey, RelationExtra]]

    def work(self, sha: str) -> tuple[set[SpanKey], set[RelationKey]]:
        return self.spans.get(sha, set()), set(self.relations.get(sha, {}))


@dataclass
class CopyContents:
    """Everything a merge needs from one copy, read before any write."""

    path: Path
    documents: dict[str, NewDocument]                    # sha256 -> document
    tags: list[Tag]
    relation_types: list[RelationType]
    layers: dict[str, Layer]                             # annotator (renamed) -> work
    statuses: dict[str, dict[str, Status]]               # annotator -> sha256 -> status
    gold_spans: int = 0
    gold_relations: int = 0


def span_key(start: int, end: int, label: str, attributes: dict, note: str) -> SpanKey:
    return (start, end, label, json.dumps(attributes, ensure_ascii=False, sort_keys=True), note)


def relation_key(type_: str, source: End, target: End, attributes: dict, note: str,
                 symmetric: bool) -> RelationKey:
    if symmetric and target < source:
        source, target = target, source
    return (type_, source, target, json.dumps(attributes, ensure_ascii=False, sort_keys=True), note)


def read_copy(path: str | Path, renames: Mapping[str, str]) -> CopyContents:
    """Read one copy, read-only (an older copy is upgraded in memory, never
    in place). Missing, foreign, newer, damaged or hand-edited copies raise
    a one-line error."""
    path = Path(path)
    try:
        copy = Project.open(path, create=False, access="read-only")
    except SchemaError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot open: {exc}") from None
    with copy:
        try:
            return _read_contents(copy, path, renames)
        except sqlite3.DatabaseError as exc:
            raise InputError(path, f"damaged copy ({exc}); nothing was merged") from None


def _read_contents(copy: Project, path: Path, renames: Mapping[str, str]) -> CopyContents:
    by_id, documents = _read_documents(copy, path)
    tags = _read_tags(copy, path)
    kinds = _read_relation_types(copy, path)
    symmetric = {k.name for k in kinds if k.symmetric}
    layers: dict[str, Layer] = {}
    statuses: dict[str, dict[str, Status]] = {}
    for name in copy.annotators():
        new_name = renames.get(name, name)
        try:
            check_layer_name(new_name)
        except ValidationError as exc:
            raise InputError(path, f"cannot rename {name!r}: {exc}") from None
        if new_name == GOLD:
            raise InputError(path, f"cannot rename {name!r} to {GOLD!r}: that is the reviewer's layer")
        if new_name in layers:
            raise InputError(path, f"two annotators would both be called {new_name!r} after renaming")
        layers[new_name] = read_layer(copy, path, name, by_id, symmetric)
        statuses[new_name] = _read_statuses(copy, path, name, by_id)
    return CopyContents(path, documents, tags, kinds, layers, statuses,
                        len(copy.span_rows(GOLD)), len(copy.relation_rows(GOLD)))


def _read_documents(copy: Project, path: Path) -> tuple[dict[int, str], dict[str, NewDocument]]:
    by_id: dict[int, str] = {}
    documents: dict[str, NewDocument] = {}
    for info in copy.documents():
        try:
            doc = copy.document(info.id)
        except ValueError:
            raise InputError(path, f"document {info.id}: its meta is not valid JSON") from None
        if not isinstance(doc.meta, dict):
            raise InputError(path, f"document {info.id}: its meta is not a JSON object")
        if not isinstance(doc.text, str) or sha256_text(doc.text) != doc.sha256:
            raise InputError(path, f"document {info.id} ({doc.name}): its sha256 does not match "
                                   "its text (edited outside annotator?); nothing was merged")
        by_id[info.id] = doc.sha256
        documents[doc.sha256] = NewDocument(doc.name, doc.text, doc.source, doc.external_id, doc.meta)
    return by_id, documents


def _read_tags(copy: Project, path: Path) -> list[Tag]:
    try:
        tags = copy.tags()
    except ValueError:
        raise InputError(path, "a label's attributes in the tag set are not valid JSON") from None
    for tag in tags:
        if not isinstance(tag.attributes, dict):
            raise InputError(path, f"label {tag.name!r}: its attributes are not a JSON object")
    return tags


def _read_relation_types(copy: Project, path: Path) -> list[RelationType]:
    try:
        kinds = copy.relation_types()
    except (ValueError, TypeError):
        raise InputError(path, "a relation type's labels are not a valid JSON list") from None
    for kind in kinds:
        if not all(isinstance(label, str) for label in kind.source_labels + kind.target_labels):
            raise InputError(path, f"relation type {kind.name!r}: its labels are not a list of names")
    return kinds


def _json_object(text: object, path: Path, what: str) -> dict:
    try:
        value = json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(path, f"{what}: its attributes are not valid JSON") from None
    if not isinstance(value, dict):
        raise InputError(path, f"{what}: its attributes are not a JSON object")
    return value


def read_layer(project: Project, path: Path, name: str, by_id: Mapping[int, str],
               symmetric: set[str]) -> Layer:
    """One layer's spans and relations by content (``by_id``: document id ->
    sha256 in that file). Used for copies and for the target alike."""
    spans: dict[str, set[SpanKey]] = defaultdict(set)
    ends: dict[int, End] = {}
    for span_id, start, end, label, attributes_json, note, _, doc in project.span_rows(name):
        attributes = {} if attributes_json == "{}" else _json_object(attributes_json, path,
                                                                     f"span {span_id}")
        if not (type(start) is int and type(end) is int and isinstance(label, str)
                and isinstance(note, str)):
            raise InputError(path, f"span {span_id}: start, end, label or note of the wrong type")
        sha = by_id[doc]
        spans[sha].add(span_key(start, end, label, attributes, note))
        ends[span_id] = (sha, start, end, label)
    relations: dict[str, dict[RelationKey, RelationExtra]] = defaultdict(dict)
    for rel_id, type_, source_id, target_id, attributes_json, note, provenance, created, updated \
            in project.relation_rows(name):
        what = f"relation {rel_id}"
        attributes = {} if attributes_json == "{}" else _json_object(attributes_json, path, what)
        if source_id not in ends or target_id not in ends:
            raise InputError(path, f"{what}: an end is not a span of layer {name!r}")
        if not (isinstance(type_, str) and isinstance(note, str)):
            raise InputError(path, f"{what}: type or note of the wrong type")
        source, target = ends[source_id], ends[target_id]
        key = relation_key(type_, source, target, attributes, note, type_ in symmetric)
        for sha in {source[0], target[0]}:
            relations[sha][key] = (provenance, created, updated)
    return Layer(dict(spans), dict(relations))


def _read_statuses(copy: Project, path: Path, name: str, by_id: Mapping[int, str]) -> dict[str, Status]:
    try:
        found = copy.statuses(name)
    except ValueError as exc:
        raise InputError(path, f"layer {name!r}: {exc}") from None
    return {by_id[doc]: status for doc, status in found.items() if status is not Status.TODO}
