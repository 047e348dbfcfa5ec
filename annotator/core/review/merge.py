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
- everything is read and checked before the target is touched, then written
  in one transaction: a failed merge changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace as _with
from pathlib import Path

from annotator.core.bulk import bulk
from annotator.core.errors import AnnotatorError, InputError, NotFoundError, ValidationError
from annotator.core.model import NewRelation, NewSpan, RelationType, Status, Tag
from annotator.core.review.merge_reading import (
    CopyContents,
    Layer,
    RelationKey,
    read_copy,
    read_layer,
)
from annotator.core.store.project import Project
from annotator.core.store.validation import hotkeys_clash

_PROGRESS = {Status.TODO: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}


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
    contents = [read_copy(path, renames) for path in paths]
    report = MergeReport(copies=[str(p) for p in paths])
    with target.transaction():  # drops its caches itself if it rolls back
        _write(target, contents, replace, report)
    return report




# Where each annotator's work in this merge came from, per document:
# (spans, relation keys, copy path).
Seen = dict[str, tuple[set, set[RelationKey], Path]]


def _write(target: Project, contents: list[CopyContents], replace: set[str], report: MergeReport) -> None:
    ids = {info.sha256: info.id for info in target.documents()}
    known_tags = {tag.name for tag in target.tags()}
    seen: dict[str, Seen] = {}
    for copy in contents:
        for tag in copy.tags:
            if tag.name not in known_tags:
                target.add_tag(Tag(tag.name, tag.color, tag.hotkey if not _hotkey_taken(target, tag)
                                   else None, tag.description, tag.attributes,
                                   style=tag.style, bio_group=tag.bio_group))
                known_tags.add(tag.name)
                report.tags_added.append(tag.name)
        _merge_relation_types(target, copy, report)
        missing = [doc for sha, doc in copy.documents.items() if sha not in ids]
        for added in target.add_documents(missing):
            report.documents_added += added.added
        ids = {info.sha256: info.id for info in target.documents()}
        report.gold_spans_skipped += copy.gold_spans
        report.gold_relations_skipped += copy.gold_relations
        for name, layer in copy.layers.items():
            _merge_layer(target, copy, name, layer, ids, seen.setdefault(name, {}),
                         name in replace, report)


def _hotkey_taken(target: Project, tag: Tag) -> bool:
    return any(hotkeys_clash(t.hotkey, tag.hotkey) for t in target.tags())


def _merge_relation_types(target: Project, copy: CopyContents, report: MergeReport) -> None:
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


def _merge_layer(target: Project, copy: CopyContents, name: str, layer: Layer,
                 ids: Mapping[str, int], seen: Seen, replacing: bool, report: MergeReport) -> None:
    new_layer = name not in target.annotators()
    if new_layer:
        existing = Layer({}, {})
    else:
        symmetric = {t.name for t in target.relation_types() if t.symmetric}
        existing = read_layer(target, target.path, name, {i: sha for sha, i in ids.items()},
                              symmetric)
    target.add_annotator(name)
    additions: list[NewSpan] = []
    removals: list[str] = []
    relations: dict[RelationKey, tuple] = {}
    for sha in copy.documents:
        spans, keys = incoming = layer.work(sha)
        earlier = seen.get(sha)
        if earlier is not None and earlier[:2] != incoming:
            # Two copies in this merge disagree: replacing cannot pick a winner.
            raise MergeConflict(name, copy.path, str(earlier[2]))
        seen[sha] = (spans, keys, copy.path)
        present = existing.work(sha)
        if present == incoming:
            continue
        if (present[0] or present[1]) and not replacing:
            raise MergeConflict(name, copy.path, "the target project")
        if present[0]:
            removals.append(sha)
        doc_id = ids[sha]
        additions.extend(
            NewSpan(doc_id, name, start, end, label, json.loads(attributes), note)
            for start, end, label, attributes, note in sorted(spans)
        )
        relations.update(layer.relations.get(sha, {}))
    # A span's relations go with it, a cross-document one too: count each once.
    report.relations_removed += len({key for sha in removals for key in existing.relations.get(sha, {})})
    for sha in removals:
        for span in target.spans(ids[sha], name):
            target.delete_span(span.id)
            report.spans_removed += 1
    report.spans_added += len(target.add_spans(additions).inserted)
    report.relations_added += _add_relations(target, copy, name, relations, ids)
    for sha, status in copy.statuses.get(name, {}).items():
        current = target.status(ids[sha], name)
        wanted = status if replacing else max(status, current, key=_PROGRESS.__getitem__)
        if wanted is not current:
            target.set_status(ids[sha], name, wanted)
            report.statuses_changed += 1
    state = ("added" if new_layer else "replaced" if removals
             else "extended" if additions or relations else "unchanged")
    if report.layers.get(name) not in (None, "unchanged") and state == "unchanged":
        return
    report.layers[name] = state


def _add_relations(target: Project, copy: CopyContents, name: str,
                   relations: Mapping[RelationKey, tuple], ids: Mapping[str, int]) -> int:
    """Store the copy's relations between the target's spans with the same
    ends, keeping type, attributes, note, provenance and timestamps."""
    if not relations:
        return 0
    documents = {ids[end[0]] for key in relations for end in key[1:3]}
    span_ids = target.span_ids_by_end(name, documents)

    def span_id(end: tuple[str, int, int, str]) -> int:
        return span_ids[(ids[end[0]], *end[1:])]

    batch = [NewRelation(name, type_, span_id(source), span_id(target_end), json.loads(attributes),
                         note, *extra)
             for (type_, source, target_end, attributes, note), extra in sorted(relations.items())]
    try:
        return target.add_relations(batch).inserted
    except (ValidationError, NotFoundError) as exc:
        raise InputError(copy.path, f"layer {name!r}: a relation cannot be merged: {exc}") from None
