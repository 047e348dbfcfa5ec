"""Merging annotators' copies of a project into one target project.

Each annotator works in their own copy (SQLite over a network share is not a
safe multi-writer setup). A merge brings every copy's annotator layers and
their statuses into the target; documents are matched by SHA-256 of their
text, and documents the target lacks are added. Gold layers of copies are
never merged: gold is the reviewer's, in the target.

Rules, chosen so a merge can never silently lose or mix anyone's work:
- an annotator layer equal to the target's (on the copy's documents) changes
  nothing, which makes merging the same copy twice a no-op;
- the same name with different spans, arriving from the target and a copy
  or from two copies, is an error unless the user renames the incoming
  layer (``renames``) or says the copy supersedes the target's (``replace``);
- statuses combine by progress (todo < in progress < done), except for a
  replaced layer, which takes the copy's;
- everything is read and checked before the target is touched, then written
  in one transaction: a failed merge changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.bulk import bulk
from annotator.core.text.encoding import sha256_text
from annotator.core.errors import (
    AnnotatorError,
    InputError,
    SchemaError,
    ValidationError,
)
from annotator.core.model import GOLD, NewDocument, NewSpan, Status, Tag
from annotator.core.store.project import Project
from annotator.core.store.validation import check_layer_name, hotkeys_clash

_PROGRESS = {Status.TODO: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}
# (start, end, label, attributes as JSON, note): what makes two spans the same work.
SpanKey = tuple[int, int, str, str, str]


class MergeConflict(AnnotatorError):
    """The same annotator name with different work from two places."""

    def __init__(self, annotator: str, copy: Path, other: str) -> None:
        self.annotator = annotator
        self.copy = copy
        super().__init__(
            f"{copy}: annotator {annotator!r} has different spans than in {other}; "
            f"rename the incoming layer (--rename {annotator}=NEW) or let the copy replace it "
            f"(--replace {annotator})"
        )


@dataclass
class CopyContents:
    """Everything a merge needs from one copy, read before any write."""

    path: Path
    documents: dict[str, NewDocument]                    # sha256 -> document
    tags: list[Tag]
    spans: dict[str, dict[str, set[SpanKey]]]            # annotator -> sha256 -> spans
    statuses: dict[str, dict[str, Status]]               # annotator -> sha256 -> status
    gold_spans: int = 0


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

    @property
    def changed(self) -> bool:
        return bool(self.documents_added or self.tags_added or self.spans_added
                    or self.spans_removed or self.statuses_changed
                    or any(state == "added" for state in self.layers.values()))


def _key(start: int, end: int, label: str, attributes: dict, note: str) -> SpanKey:
    return (start, end, label, json.dumps(attributes, ensure_ascii=False, sort_keys=True), note)


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
    spans: dict[str, dict[str, set[SpanKey]]] = {}
    statuses: dict[str, dict[str, Status]] = {}
    for name in copy.annotators():
        new_name = renames.get(name, name)
        try:
            check_layer_name(new_name)
        except ValidationError as exc:
            raise InputError(path, f"cannot rename {name!r}: {exc}") from None
        if new_name == GOLD:
            raise InputError(path, f"cannot rename {name!r} to {GOLD!r}: that is the reviewer's layer")
        if new_name in spans:
            raise InputError(path, f"two annotators would both be called {new_name!r} after renaming")
        spans[new_name] = _read_layer(copy, path, name, by_id)
        statuses[new_name] = _read_statuses(copy, path, name, by_id)
    gold = len(copy.span_rows(GOLD))
    return CopyContents(path, documents, tags, spans, statuses, gold)


# A copy is another person's file, perhaps edited by hand or by a script:
# every JSON column and every document's SHA-256 is checked as it is read,
# so that a bad one is a one-line error naming the row, not a traceback or,
# worse, spans attached to a text they were not made on.


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


def _read_layer(copy: Project, path: Path, name: str, by_id: Mapping[int, str]) -> dict[str, set[SpanKey]]:
    layer: dict[str, set[SpanKey]] = defaultdict(set)
    for span_id, start, end, label, attributes_json, note, _, doc in copy.span_rows(name):
        try:
            attributes = json.loads(attributes_json)
        except (TypeError, ValueError):
            raise InputError(path, f"span {span_id}: its attributes are not valid JSON") from None
        if not isinstance(attributes, dict):
            raise InputError(path, f"span {span_id}: its attributes are not a JSON object")
        if not (type(start) is int and type(end) is int and isinstance(label, str)
                and isinstance(note, str)):
            raise InputError(path, f"span {span_id}: start, end, label or note of the wrong type")
        layer[by_id[doc]].add(_key(start, end, label, attributes, note))
    return dict(layer)


def _read_statuses(copy: Project, path: Path, name: str, by_id: Mapping[int, str]) -> dict[str, Status]:
    try:
        found = copy.statuses(name)
    except ValueError as exc:
        raise InputError(path, f"layer {name!r}: {exc}") from None
    return {by_id[doc]: status for doc, status in found.items() if status is not Status.TODO}


def _target_layer(target: Project, name: str, ids: Mapping[str, int]) -> dict[str, set[SpanKey]]:
    sha_of = {doc_id: sha for sha, doc_id in ids.items()}
    layer: dict[str, set[SpanKey]] = defaultdict(set)
    if name in target.annotators():
        for s in target.spans(layer=name):
            layer[sha_of[s.document_id]].add(_key(s.start, s.end, s.label, s.attributes, s.note))
    return layer


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


def _write(target: Project, contents: list[CopyContents], replace: set[str], report: MergeReport) -> None:
    ids = {info.sha256: info.id for info in target.documents()}
    known_tags = {tag.name for tag in target.tags()}
    # Where each annotator's work in this merge came from, per document.
    seen: dict[str, dict[str, tuple[set[SpanKey], Path]]] = defaultdict(dict)
    for copy in contents:
        for tag in copy.tags:
            if tag.name not in known_tags:
                target.add_tag(Tag(tag.name, tag.color, tag.hotkey if not _hotkey_taken(target, tag)
                                   else None, tag.description, tag.attributes,
                                   style=tag.style, bio_group=tag.bio_group))
                known_tags.add(tag.name)
                report.tags_added.append(tag.name)
        missing = [doc for sha, doc in copy.documents.items() if sha not in ids]
        for added in target.add_documents(missing):
            report.documents_added += added.added
        ids = {info.sha256: info.id for info in target.documents()}
        report.gold_spans_skipped += copy.gold_spans
        for name, layer in copy.spans.items():
            _merge_layer(target, copy, name, layer, ids, seen[name], name in replace, report)


def _hotkey_taken(target: Project, tag: Tag) -> bool:
    return any(hotkeys_clash(t.hotkey, tag.hotkey) for t in target.tags())


def _merge_layer(target: Project, copy: CopyContents, name: str, layer: dict[str, set[SpanKey]],
                 ids: Mapping[str, int], seen: dict[str, tuple[set[SpanKey], Path]],
                 replacing: bool, report: MergeReport) -> None:
    existing = _target_layer(target, name, ids)
    new_layer = name not in target.annotators()
    target.add_annotator(name)
    additions: list[NewSpan] = []
    removals: list[str] = []
    for sha in copy.documents:
        incoming = layer.get(sha, set())
        earlier = seen.get(sha)
        if earlier is not None and earlier[0] != incoming:
            # Two copies in this merge disagree: replacing cannot pick a winner.
            raise MergeConflict(name, copy.path, str(earlier[1]))
        seen[sha] = (incoming, copy.path)
        present = existing.get(sha, set())
        if present == incoming:
            continue
        if present and not replacing:
            raise MergeConflict(name, copy.path, "the target project")
        if present:
            removals.append(sha)
        doc_id = ids[sha]
        additions.extend(
            NewSpan(doc_id, name, start, end, label, json.loads(attributes), note)
            for start, end, label, attributes, note in sorted(incoming)
        )
    for sha in removals:
        for span in target.spans(ids[sha], name):
            target.delete_span(span.id)
            report.spans_removed += 1
    report.spans_added += len(target.add_spans(additions).inserted)
    for sha, status in copy.statuses.get(name, {}).items():
        current = target.status(ids[sha], name)
        wanted = status if replacing else max(status, current, key=_PROGRESS.__getitem__)
        if wanted is not current:
            target.set_status(ids[sha], name, wanted)
            report.statuses_changed += 1
    state = "added" if new_layer else "replaced" if removals else "extended" if additions else "unchanged"
    if report.layers.get(name) not in (None, "unchanged") and state == "unchanged":
        return
    report.layers[name] = state
