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
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.bulk import bulk
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
    """Read one copy (missing, foreign or newer files raise a one-line error)."""
    path = Path(path)
    try:
        copy = Project.open(path, create=False)
    except SchemaError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot open: {exc}") from None
    with copy:
        by_id = {}
        documents = {}
        for info in copy.documents():
            doc = copy.document(info.id)
            by_id[info.id] = doc.sha256
            documents[doc.sha256] = NewDocument(doc.name, doc.text, doc.source, doc.external_id, doc.meta)
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
            layer: dict[str, set[SpanKey]] = defaultdict(set)
            for s in copy.spans(layer=name):
                layer[by_id[s.document_id]].add(_key(s.start, s.end, s.label, s.attributes, s.note))
            spans[new_name] = dict(layer)
            statuses[new_name] = {by_id[doc]: status for doc, status in copy.statuses(name).items()
                                  if status is not Status.TODO}
        gold = len(copy.spans(layer=GOLD))
        return CopyContents(path, documents, copy.tags(), spans, statuses, gold)


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
                                   else None, tag.description, tag.attributes))
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
