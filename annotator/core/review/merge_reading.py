"""Reading one annotator's copy for a merge, a batch of documents at a time:
its documents, tag set, relation types, and each annotator layer's spans,
relations and statuses, keyed by content so that they compare with the
target's whatever the row ids. Nothing but the document index (id and
SHA-256) and the statuses is held for the whole copy, so a merge's memory
is bounded by a batch, not by the copies.

A copy is another person's file, perhaps edited by hand or by a script:
every JSON column and every document's SHA-256 is checked as it is read, so
that a bad one is a one-line error naming the row, not a traceback or,
worse, spans attached to a text they were not made on.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
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


def work_digest(work: tuple[set[SpanKey], set[RelationKey]]) -> bytes:
    """A document's work in a few bytes: what a merge remembers of one copy
    to compare the next copy's with."""
    spans, keys = work
    return hashlib.blake2b(repr((sorted(spans), sorted(keys))).encode(), digest_size=16).digest()


class CopyReader:
    """One copy, open read-only for the length of a merge (an older copy is
    upgraded in memory, never in place). Opening reads the tag set, relation
    types, layer names and document index; ``documents`` and ``layer`` read
    and check one batch. Missing, foreign, newer, damaged or hand-edited
    copies raise a one-line error naming the copy."""

    def __init__(self, path: str | Path, renames: Mapping[str, str]) -> None:
        self.path = Path(path)
        try:
            self.project = Project.open(self.path, create=False, access="read-only")
        except SchemaError:
            raise
        except (OSError, ValueError) as exc:
            raise InputError(self.path, f"cannot open: {exc}") from None
        try:
            with self._damage():
                self._read_index(renames)
        except BaseException:
            self.project.close()
            raise

    def close(self) -> None:
        self.project.close()

    def _damage(self) -> AbstractContextManager[None]:
        return _damage_is_one_line(self.path)

    def _read_index(self, renames: Mapping[str, str]) -> None:
        copy, path = self.project, self.path
        self.by_id: dict[int, str] = {info.id: info.sha256 for info in copy.documents()}
        self.tags = _read_tags(copy, path)
        self.relation_types = _read_relation_types(copy, path)
        self.symmetric = {k.name for k in self.relation_types if k.symmetric}
        self.layers: dict[str, str] = {}  # original name -> name in the target
        for name in copy.annotators():
            new_name = renames.get(name, name)
            try:
                check_layer_name(new_name)
            except ValidationError as exc:
                raise InputError(path, f"cannot rename {name!r}: {exc}") from None
            if new_name == GOLD:
                raise InputError(path, f"cannot rename {name!r} to {GOLD!r}: that is the reviewer's layer")
            if new_name in self.layers.values():
                raise InputError(path, f"two annotators would both be called {new_name!r} after renaming")
            self.layers[name] = new_name
        self.gold_spans = sum(sum(c.values()) for c in copy.layer_span_counts(GOLD).values())
        self.gold_relations = sum(copy.relation_counts(GOLD).values())

    def batches(self, size: int) -> Iterator[list[tuple[int, str]]]:
        """(document id, sha256) of the copy's documents, ``size`` at a time."""
        index = sorted(self.by_id.items())
        for i in range(0, len(index), size):
            yield index[i:i + size]

    def documents(self, ids: Iterable[int]) -> dict[str, NewDocument]:
        """sha256 -> document for these ids, each text checked against its SHA-256."""
        path = self.path
        out: dict[str, NewDocument] = {}
        with self._damage():
            try:
                found = self.project.documents_in(ids)
            except ValueError:
                bad = next(i for i in sorted(ids) if not _meta_parses(self.project, i))
                raise InputError(path, f"document {bad}: its meta is not valid JSON") from None
        for doc in found:
            if not isinstance(doc.meta, dict):
                raise InputError(path, f"document {doc.id}: its meta is not a JSON object")
            if not isinstance(doc.text, str) or sha256_text(doc.text) != doc.sha256:
                raise InputError(path, f"document {doc.id} ({doc.name}): its sha256 does not match "
                                       "its text (edited outside annotator?); nothing was merged")
            out[doc.sha256] = NewDocument(doc.name, doc.text, doc.source, doc.external_id, doc.meta)
        return out

    def layer(self, name: str, ids: Iterable[int]) -> Layer:
        with self._damage():
            return read_layer(self.project, self.path, name, self.by_id, self.symmetric, ids)

    def statuses(self, name: str) -> dict[str, Status]:
        """sha256 -> status other than todo, for the whole layer (one small
        row per document)."""
        with self._damage():
            try:
                found = self.project.statuses(name)
            except ValueError as exc:
                raise InputError(self.path, f"layer {name!r}: {exc}") from None
        return {self.by_id[doc]: status for doc, status in found.items() if status is not Status.TODO}


@contextmanager
def _damage_is_one_line(path: Path) -> Iterator[None]:
    """SQLite's word that the copy is damaged becomes one line naming it."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise InputError(path, f"damaged copy ({exc}); nothing was merged") from None


def _meta_parses(project: Project, document_id: int) -> bool:
    try:
        project.document(document_id)
    except ValueError:
        return False
    return True


def _canonical(attributes: dict) -> str:
    return json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else "{}"


def relation_key(type_: str, source: End, target: End, attributes_json: str, note: str,
                 symmetric: bool) -> RelationKey:
    if symmetric and target < source:
        source, target = target, source
    return (type_, source, target, attributes_json, note)


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


def _attributes(text: object, path: Path, what: str) -> str:
    """The attributes column in canonical JSON, checked."""
    if text == "{}":
        return "{}"
    try:
        value = json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(path, f"{what}: its attributes are not valid JSON") from None
    if not isinstance(value, dict):
        raise InputError(path, f"{what}: its attributes are not a JSON object")
    return _canonical(value)


def read_layer(project: Project, path: Path, name: str, by_id: Mapping[int, str],
               symmetric: set[str], document_ids: Iterable[int]) -> Layer:
    """One layer's spans in these documents and its relations reaching into
    them, by content (``by_id``: document id -> sha256 in that file, every
    document). Used for copies and for the target alike."""
    document_ids = list(document_ids)
    spans: dict[str, set[SpanKey]] = defaultdict(set)
    for span_id, start, end, label, attributes_json, note, _, doc in project.span_rows(
            name, document_ids):
        # No f-string or call unless needed: this runs for every span of
        # every copy and of the target.
        attributes = ("{}" if attributes_json == "{}"
                      else _attributes(attributes_json, path, f"span {span_id}"))
        if not (type(start) is int and type(end) is int and isinstance(label, str)
                and isinstance(note, str)):
            raise InputError(path, f"span {span_id}: start, end, label or note of the wrong type")
        spans[by_id[doc]].add((start, end, label, attributes, note))
    relations: dict[str, dict[RelationKey, RelationExtra]] = defaultdict(dict)
    for (rel_id, type_, attributes_json, note, provenance, created, updated,
         s_layer, s_doc, s_start, s_end, s_label,
         t_layer, t_doc, t_start, t_end, t_label) in project.relation_rows_touching(name, document_ids):
        attributes = ("{}" if attributes_json == "{}"
                      else _attributes(attributes_json, path, f"relation {rel_id}"))
        if s_layer != name or t_layer != name:
            raise InputError(path, f"relation {rel_id}: an end is not a span of layer {name!r}")
        if not (isinstance(type_, str) and isinstance(note, str)):
            raise InputError(path, f"relation {rel_id}: type or note of the wrong type")
        source = (by_id[s_doc], s_start, s_end, s_label)
        target = (by_id[t_doc], t_start, t_end, t_label)
        key = relation_key(type_, source, target, attributes, note, type_ in symmetric)
        extra = (provenance, created, updated)
        relations[source[0]][key] = extra
        if target[0] != source[0]:
            relations[target[0]][key] = extra
    return Layer(dict(spans), dict(relations))
