"""Merging annotators' copies of a project into one target project.

Each annotator works in their own copy (SQLite over a network share is not a
safe multi-writer setup). A merge brings every copy's annotator layers (spans
and the relations between them) and their statuses into the target;
documents are matched by SHA-256 of their text, and documents the target
lacks are added, as are labels and relation types it lacks. Gold layers of
copies are never merged: gold is the reviewer's, in the target.

Rules, chosen so a merge can never silently lose or mix anyone's work:
- an annotator's work on a document is its spans and every relation that
  reaches into it (a cross-document SAME_AS counts for both documents), all
  compared by content, not by row id;
- work equal to the target's changes nothing, which makes merging the same
  copy twice a no-op;
- the same name with different work, arriving from the target and a copy
  or from two copies, is an error unless the user renames the incoming
  layer (``renames``) or says the copy supersedes the target's (``replace``);
- statuses combine by progress (todo < in progress < done), except for a
  replaced layer, which takes the copy's;
- the copies are read and checked a batch of documents at a time (so memory
  does not grow with the copies) inside one transaction on the target: a
  failed merge, for a bad row in the last batch of the last copy too,
  changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace as _with
from pathlib import Path

from annotator.core.bulk import bulk
from annotator.core.errors import AnnotatorError, InputError, NotFoundError, ValidationError
from annotator.core.model import NewRelation, NewSpan, RelationType, Status, Tag
from annotator.core.review.merge_reading import (
    CopyReader,
    Layer,
    RelationExtra,
    RelationKey,
    read_layer,
    work_digest,
)
from annotator.core.store.project import Project
from annotator.core.store.validation import hotkeys_clash

_PROGRESS = {Status.TODO: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}
# Documents read, compared and written at a time: a few MB of text and spans.
BATCH = 500


class MergeConflict(AnnotatorError):
    """The same annotator name with different work from two places."""

    def __init__(self, annotator: str, copy: Path, other: str) -> None:
        self.annotator = annotator
        self.copy = copy
        super().__init__(
            f"{copy}: annotator {annotator!r} has different spans or relations than in {other}; "
            f"rename the incoming layer (--rename {annotator}=NEW) or let the copy replace it "
            f"(--replace {annotator})"
        )


@dataclass
class MergeReport:
    copies: list[str] = field(default_factory=list)
    documents_added: int = 0
    tags_added: list[str] = field(default_factory=list)
    layers: dict[str, str] = field(default_factory=dict)   # annotator -> added/unchanged/replaced/extended
    spans_added: int = 0
    spans_removed: int = 0
    statuses_changed: int = 0
    gold_spans_skipped: int = 0
    relation_types_added: list[str] = field(default_factory=list)
    relations_added: int = 0
    relations_removed: int = 0
    gold_relations_skipped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.documents_added or self.tags_added or self.spans_added
                    or self.spans_removed or self.statuses_changed or self.relation_types_added
                    or self.relations_added or self.relations_removed
                    or any(state == "added" for state in self.layers.values()))

    def summary(self) -> str:
        """One line for the CLI and the window."""
        copies = len(self.copies)
        extras = []
        if self.tags_added:
            extras.append(f"labels added: {', '.join(self.tags_added)}")
        if self.relation_types_added:
            extras.append(f"relation types added: {', '.join(self.relation_types_added)}")
        if self.gold_spans_skipped or self.gold_relations_skipped:
            extras.append(f"{self.gold_spans_skipped} gold span(s) and {self.gold_relations_skipped}"
                          " gold relation(s) in copies not merged")
        return (f"merged {copies} cop{'y' if copies == 1 else 'ies'}: "
                f"{self.documents_added} document(s) added, {self.spans_added} span(s) added, "
                f"{self.spans_removed} replaced, {self.relations_added} relation(s) added, "
                f"{self.relations_removed} replaced, {self.statuses_changed} status(es) changed"
                + ("; " + "; ".join(extras) if extras else ""))


@bulk
def merge_into(target: Project, copies: Iterable[str | Path], renames: Mapping[str, str] | None = None,
               replace: Iterable[str] = ()) -> MergeReport:
    """Merge every copy into ``target`` in one transaction; see the module notes."""
    renames = dict(renames or {})
    replace = set(replace)
    paths = [Path(c) for c in copies]
    for path in paths:
        if path.exists() and target.path.exists() and path.resolve() == target.path.resolve():
            raise InputError(path, "is the target project itself")
    report = MergeReport(copies=[str(p) for p in paths])
    readers: list[CopyReader] = []
    try:
        # Every copy opened (and its index read) before the write lock is taken.
        for path in paths:
            readers.append(CopyReader(path, renames))
        with target.transaction():  # drops its caches itself if it rolls back
            _write(target, readers, replace, report)
    finally:
        for reader in readers:
            reader.close()
    return report


class _Documents:
    """The target's documents by sha256 and by id, kept as batches add some."""

    def __init__(self, target: Project) -> None:
        self.ids = {info.sha256: info.id for info in target.documents()}
        self.shas = {doc_id: sha for sha, doc_id in self.ids.items()}

    def add(self, sha: str, doc_id: int) -> None:
        self.ids[sha] = doc_id
        self.shas[doc_id] = sha


def _write(target: Project, readers: list[CopyReader], replace: set[str], report: MergeReport) -> None:
    documents = _Documents(target)
    known_tags = {tag.name for tag in target.tags()}
    # Per layer, per document: a digest of the work an earlier copy brought.
    seen: dict[str, dict[str, tuple[bytes, Path]]] = {}
    shared = Counter(name for copy in readers for name in copy.layers.values())
    for copy in readers:
        for tag in copy.tags:
            if tag.name not in known_tags:
                target.add_tag(Tag(tag.name, tag.color, tag.hotkey if not _hotkey_taken(target, tag)
                                   else None, tag.description, tag.attributes,
                                   style=tag.style, bio_group=tag.bio_group))
                known_tags.add(tag.name)
                report.tags_added.append(tag.name)
        _merge_relation_types(target, copy, report)
        report.gold_spans_skipped += copy.gold_spans
        report.gold_relations_skipped += copy.gold_relations
        layers = [_LayerMerge(target, copy, original, name, name in replace,
                              seen.setdefault(name, {}) if shared[name] > 1 else None, report)
                  for original, name in copy.layers.items()]
        for batch in copy.batches(BATCH):
            texts = copy.documents([doc_id for doc_id, _ in batch])
            missing = [(sha, doc) for sha, doc in texts.items() if sha not in documents.ids]
            for (sha, _), added in zip(missing, target.add_documents([doc for _, doc in missing])):
                documents.add(sha, added.id)
                report.documents_added += added.added
            del texts, missing
            for layer in layers:
                layer.merge_batch([sha for _, sha in batch], [doc_id for doc_id, _ in batch],
                                  documents)
        for layer in layers:
            layer.finish()


def _hotkey_taken(target: Project, tag: Tag) -> bool:
    return any(hotkeys_clash(t.hotkey, tag.hotkey) for t in target.tags())


def _merge_relation_types(target: Project, copy: CopyReader, report: MergeReport) -> None:
    """Relation types the target lacks come in as labels do (a hotkey the
    target already uses is left empty); one it has keeps the target's
    definition, and a copy's relation that breaks it is refused later."""
    for kind in copy.relation_types:
        try:
            mine: RelationType | None = target.relation_type(kind.name)
        except ValidationError:
            mine = None
        if mine is not None:
            if mine.symmetric != kind.symmetric:
                raise InputError(copy.path, f"relation type {kind.name} is "
                                 f"{'' if kind.symmetric else 'not '}symmetric here but "
                                 f"{'' if mine.symmetric else 'not '}in the target project; "
                                 "make them agree before merging")
            continue
        keys = [t.hotkey for t in target.tags()] + [t.hotkey for t in target.relation_types()]
        hotkey = None if any(hotkeys_clash(k, kind.hotkey) for k in keys) else kind.hotkey
        try:
            target.add_relation_type(_with(kind, hotkey=hotkey, position=0))
        except ValidationError as exc:
            raise InputError(copy.path, f"relation type {kind.name}: {exc}") from None
        report.relation_types_added.append(kind.name)


class _LayerMerge:
    """One copy's layer, merged batch by batch.

    A relation between documents of two batches is part of both documents'
    work; it is written once both documents are settled (``pending`` until
    then). Replacing a document deletes the target's relations reaching into
    it from documents of later batches too (ON DELETE CASCADE): ``cascaded``
    keeps them so those documents still compare equal, and the copy's
    version of the relation is written back.
    """

    def __init__(self, target: Project, copy: CopyReader, original: str, name: str,
                 replacing: bool, seen: dict[str, tuple[bytes, Path]] | None,
                 report: MergeReport) -> None:
        self.target, self.copy, self.original, self.name = target, copy, original, name
        self.replacing, self.seen, self.report = replacing, seen, report
        self.new_layer = name not in target.annotators()
        target.add_annotator(name)
        self.symmetric = {t.name for t in target.relation_types() if t.symmetric}
        self.statuses = copy.statuses(original)
        self.current = {} if self.new_layer else target.statuses(name)
        self.settled: set[str] = set()
        self.pending: dict[RelationKey, RelationExtra] = {}
        self.cascaded: dict[str, set[RelationKey]] = defaultdict(set)
        self.removed = self.added = False

    def merge_batch(self, shas: list[str], copy_ids: list[int], documents: _Documents) -> None:
        name, target = self.name, self.target
        incoming = self.copy.layer(self.original, copy_ids)
        target_ids = [documents.ids[sha] for sha in shas]
        existing = (Layer({}, {}) if self.new_layer else
                    read_layer(target, target.path, name, documents.shas, self.symmetric, target_ids))
        additions: list[NewSpan] = []
        removals: list[str] = []
        relations: dict[RelationKey, RelationExtra] = {}
        for sha in shas:
            work = incoming.work(sha)
            if self.seen is not None:  # another copy of this merge has the layer too
                digest = work_digest(work)
                earlier = self.seen.get(sha)
                if earlier is not None and earlier[0] != digest:
                    # Two copies in this merge disagree: replacing cannot pick a winner.
                    raise MergeConflict(name, self.copy.path, str(earlier[1]))
                self.seen[sha] = (digest, self.copy.path)
            present_spans, present_keys = existing.work(sha)
            present_keys |= self.cascaded.pop(sha, set())
            if (present_spans, present_keys) == work:
                continue
            if (present_spans or present_keys) and not self.replacing:
                raise MergeConflict(name, self.copy.path, "the target project")
            if present_spans:
                removals.append(sha)
            doc_id = documents.ids[sha]
            additions.extend(
                NewSpan(doc_id, name, start, end, label,
                        {} if attributes == "{}" else json.loads(attributes), note)
                for start, end, label, attributes, note in sorted(work[0])
            )
            relations.update(incoming.relations.get(sha, {}))
        self._remove(removals, existing, documents, set(shas))
        self.report.spans_added += len(target.add_spans(additions).inserted)
        self.added = self.added or bool(additions)
        self.settled.update(shas)
        self.pending.update(relations)
        ready = {key: extra for key, extra in self.pending.items()
                 if key[1][0] in self.settled and key[2][0] in self.settled}
        for key in ready:
            del self.pending[key]
        self.report.relations_added += self._add_relations(ready, documents)
        self.added = self.added or bool(ready)
        self._statuses(shas, documents)

    def _remove(self, removals: list[str], existing: Layer, documents: _Documents,
                batch: set[str]) -> None:
        # A span's relations go with it, a cross-document one too: count each once.
        lost = {key for sha in removals for key in existing.relations.get(sha, {})}
        self.report.relations_removed += len(lost)
        for key in lost:
            for sha in {key[1][0], key[2][0]} - batch - self.settled:
                self.cascaded[sha].add(key)
        for sha in removals:
            self.report.spans_removed += self.target.delete_layer_spans(documents.ids[sha], self.name)
        self.removed = self.removed or bool(removals)

    def _add_relations(self, relations: Mapping[RelationKey, RelationExtra],
                       documents: _Documents) -> int:
        """Store the copy's relations between the target's spans with the
        same ends, keeping type, attributes, note, provenance and timestamps."""
        if not relations:
            return 0
        ids = documents.ids
        span_ids = self.target.span_ids_by_end(
            self.name, {ids[end[0]] for key in relations for end in key[1:3]})

        def span_id(end: tuple[str, int, int, str]) -> int:
            return span_ids[(ids[end[0]], *end[1:])]

        batch = [NewRelation(self.name, type_, span_id(source), span_id(target_end),
                             {} if attributes == "{}" else json.loads(attributes), note, *extra)
                 for (type_, source, target_end, attributes, note), extra in sorted(relations.items())]
        try:
            return len(self.target.add_relations(batch).inserted)
        except (ValidationError, NotFoundError) as exc:
            raise InputError(self.copy.path, f"layer {self.name!r}: a relation cannot be merged: "
                             f"{exc}") from None

    def _statuses(self, shas: list[str], documents: _Documents) -> None:
        changes = []
        for sha in shas:
            status = self.statuses.get(sha)
            if status is None:
                continue
            doc_id = documents.ids[sha]
            current = self.current.get(doc_id, Status.TODO)
            wanted = status if self.replacing else max(status, current, key=_PROGRESS.__getitem__)
            if wanted is not current:
                changes.append((doc_id, self.name, wanted))
                self.current[doc_id] = wanted
        self.report.statuses_changed += self.target.set_statuses(changes)

    def finish(self) -> None:
        assert not self.pending, "every relation's documents are in the copy"
        state = ("added" if self.new_layer else "replaced" if self.removed
                 else "extended" if self.added else "unchanged")
        if self.report.layers.get(self.name) not in (None, "unchanged") and state == "unchanged":
            return
        self.report.layers[self.name] = state
