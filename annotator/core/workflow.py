"""The annotator's workflow rules, without Qt: what a gesture changes in the
project and how to take it back.

The window turns a gesture (a label key, Delete, Ctrl+U, Ctrl+Enter) into
an ``Edit`` from an ``AnnotationWorkflow``; an undo command applies and
reverts it. Every ``apply``/``revert`` returns the changes it made, so the
window shows exactly what was saved. Rules that live here: the first span
of a to-do document sets it in progress (in the same undoable edit), a
selection of punctuation only tags nothing, toggling "unsure", the next
document to do, and the per-label counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from annotator.core.text.boundaries import move_boundary, selection_to_span
from annotator.core.errors import ValidationError
from annotator.core.model import Relation, Span, Status, Tag
from annotator.core.text.segmentation import is_word_char
from annotator.core.store import Project

def label_style(tag: Tag | None) -> Literal["underline", "background"]:
    """How a label is drawn (the tag set's ``style``); an unknown label is a
    background."""
    return "underline" if tag is not None and tag.style == "underline" else "background"


@dataclass(frozen=True)
class SpanChange:
    """(None, span) added, (span, None) deleted, (a, b) changed."""

    old: Span | None
    new: Span | None


@dataclass(frozen=True)
class StatusChange:
    document_id: int
    layer: str
    status: Status


@dataclass(frozen=True)
class RelationChange:
    """(None, relation) added, (relation, None) deleted."""

    old: Relation | None
    new: Relation | None


Change = SpanChange | StatusChange | RelationChange


def describe(change: Change) -> str:
    """One line for the debug log (the end-to-end test waits on these)."""
    if isinstance(change, StatusChange):
        return f"status document={change.document_id} {change.status.value}"
    if isinstance(change, RelationChange):
        rel = change.new or change.old
        assert rel is not None
        kind = "added" if change.old is None else "deleted"
        return f"relation {kind} id={rel.id} {rel.type} {rel.source_id}->{rel.target_id}"
    span = change.new or change.old
    assert span is not None
    kind = "added" if change.old is None else "deleted" if change.new is None else "changed"
    return f"span {kind} id={span.id} [{span.start},{span.end}) {span.label}"


class Edit(Protocol):
    """One user operation on the project. ``apply`` performs it (the first
    time and again after a revert); ``revert`` takes it back. Both raise
    AnnotatorError or sqlite3.Error and then leave the project unchanged."""

    description: str

    def apply(self) -> list[Change]: ...

    def revert(self) -> list[Change]: ...


class AddSpan:
    def __init__(self, project: Project, document_id: int, layer: str, start: int, end: int,
                 label: str) -> None:
        self.project = project
        self.args = (document_id, layer, start, end, label)
        self.description = f"Add {label}"
        self.span: Span | None = None

    def apply(self) -> list[Change]:
        if self.span is None:
            self.span = self.project.add_span(*self.args)
        else:
            # The same id again, so later commands on the stack still find it.
            self.project.restore_span(self.span)
        return [SpanChange(None, self.span)]

    def revert(self) -> list[Change]:
        assert self.span is not None
        return [SpanChange(self.project.delete_span(self.span.id), None)]


class DeleteSpan:
    """Delete a span and its relations in one step; undo restores both."""

    def __init__(self, project: Project, span: Span) -> None:
        self.project = project
        self.span = span
        self.relations: list[Relation] = []
        self.description = f"Delete {span.label}"

    def apply(self) -> list[Change]:
        self.span, self.relations = self.project.delete_span_with_relations(self.span.id)
        return [RelationChange(r, None) for r in self.relations] + [SpanChange(self.span, None)]

    def revert(self) -> list[Change]:
        span = self.project.restore_span_with_relations(self.span, self.relations)
        return [SpanChange(None, span)] + [RelationChange(None, r) for r in self.relations]


class AddRelation:
    def __init__(self, project: Project, layer: str, type: str, source_id: int,
                 target_id: int) -> None:
        self.project = project
        self.args = (layer, type, source_id, target_id)
        self.relation: Relation | None = None
        self.description = f"Link {type}"

    def apply(self) -> list[Change]:
        if self.relation is None:
            self.relation = self.project.add_relation(*self.args)
        else:  # redo keeps the id, so later commands still find it
            self.project.restore_relation(self.relation)
        return [RelationChange(None, self.relation)]

    def revert(self) -> list[Change]:
        assert self.relation is not None
        return [RelationChange(self.project.delete_relation(self.relation.id), None)]


class DeleteRelation:
    def __init__(self, project: Project, relation: Relation) -> None:
        self.project = project
        self.relation = relation
        self.description = f"Delete {relation.type} relation"

    def apply(self) -> list[Change]:
        self.relation = self.project.delete_relation(self.relation.id)
        return [RelationChange(self.relation, None)]

    def revert(self) -> list[Change]:
        return [RelationChange(None, self.project.restore_relation(self.relation))]


class UpdateSpan:
    def __init__(self, project: Project, span_id: int, description: str, **changes: Any) -> None:
        self.project = project
        self.span_id = span_id
        self.description = description
        self.changes = changes
        self.old: Span | None = None
        self.new: Span | None = None

    def apply(self) -> list[Change]:
        if self.old is None or self.new is None:
            old = self.project.span(self.span_id)
            self.new = self.project.update_span(self.span_id, **self.changes)
            self.old = old
            return [SpanChange(self.old, self.new)]
        return [SpanChange(self.old, self.project.replace_span(self.new))]

    def revert(self) -> list[Change]:
        assert self.old is not None and self.new is not None
        return [SpanChange(self.new, self.project.replace_span(self.old))]


class SetStatus:
    def __init__(self, project: Project, document_id: int, layer: str, status: Status) -> None:
        self.project = project
        self.document_id, self.layer, self.status = document_id, layer, status
        self.description = f"Mark {status.value.replace('_', ' ')}"
        self.old: Status | None = None

    def _set(self, status: Status) -> list[Change]:
        saved = self.project.set_status(self.document_id, self.layer, status)
        return [StatusChange(self.document_id, self.layer, saved)]

    def apply(self) -> list[Change]:
        if self.old is None:
            self.old = self.project.status(self.document_id, self.layer)
        return self._set(self.status)

    def revert(self) -> list[Change]:
        assert self.old is not None
        return self._set(self.old)


class Together:
    """Several edits as one: all in one transaction, undone in reverse."""

    def __init__(self, project: Project, description: str, edits: Sequence[Edit]) -> None:
        self.project = project
        self.description = description
        self.edits = list(edits)

    def apply(self) -> list[Change]:
        changes: list[Change] = []
        with self.project.transaction():
            for edit in self.edits:
                changes += edit.apply()
        return changes

    def revert(self) -> list[Change]:
        changes: list[Change] = []
        with self.project.transaction():
            for edit in reversed(self.edits):
                changes += edit.revert()
        return changes


def has_word(text: str, start: int, end: int) -> bool:
    """True when [start, end) holds at least one letter or digit."""
    return any(is_word_char(ch) for ch in text[start:end])


class AnnotationWorkflow:
    """The rules of one annotator's work on a project (one layer)."""

    def __init__(self, project: Project, layer: str) -> None:
        self.project = project
        self.layer = layer

    def tag(self, document_id: int, text: str, start: int, end: int, label: str,
            precise: bool = False) -> Edit:
        """A span from a selection: snapped to words (clusters when precise).
        Raises ValidationError, naming why, when nothing would be tagged."""
        if start >= end:
            raise ValidationError("select some text first, then press a label key")
        if not has_word(text, start, end):
            # Trimming would leave nothing (or a bare "." in precise mode).
            raise ValidationError("the selection holds only punctuation or spaces: nothing tagged")
        start, end = selection_to_span(text, start, end, precise=precise)
        if not has_word(text, start, end):
            raise ValidationError("the selection holds only punctuation or spaces: nothing tagged")
        add = AddSpan(self.project, document_id, self.layer, start, end, label)
        if self.project.status(document_id, self.layer) is not Status.TODO:
            return add
        # The first span starts the document: one edit, so one undo takes both back.
        return Together(self.project, add.description, [add, SetStatus(self.project, document_id, self.layer,
                                                          Status.IN_PROGRESS)])

    def relabel(self, span: Span, label: str) -> Edit | None:
        if span.label == label:
            return None
        return UpdateSpan(self.project, span.id, f"Relabel {span.label} as {label}", label=label)

    def delete(self, span: Span) -> Edit:
        return DeleteSpan(self.project, span)

    def link(self, type: str, source: Span, target: Span) -> Edit:
        """Raises ValidationError (the store's words) when the link is refused."""
        self.project.check_relation(self.layer, type, source.id, target.id)
        return AddRelation(self.project, self.layer, type, source.id, target.id)

    def unlink(self, relation: Relation) -> Edit:
        return DeleteRelation(self.project, relation)

    def update(self, span: Span, description: str, **changes: Any) -> Edit:
        return UpdateSpan(self.project, span.id, description, **changes)

    def move_edge(self, text: str, span: Span, edge: str, step: int, unit: str) -> Edit:
        start, end = move_boundary(text, span.start, span.end, edge, step, unit)  # type: ignore[arg-type]
        return UpdateSpan(self.project, span.id, f"Move {span.label} {edge}", start=start, end=end)

    def toggle_unsure(self, span: Span) -> Edit:
        attributes = dict(span.attributes)
        if attributes.pop("unsure", False) is not True:
            attributes["unsure"] = True
        return UpdateSpan(self.project, span.id, "Toggle unsure", attributes=attributes)

    def mark_done(self, document_id: int) -> Edit:
        return SetStatus(self.project, document_id, self.layer, Status.DONE)


def next_to_do(order: Sequence[int], statuses: dict[int, Status], current: int) -> int | None:
    """The first to-do document after ``current`` in list order, wrapping
    round; None when none is left."""
    if current not in order:
        return next((d for d in order if statuses.get(d, Status.TODO) is Status.TODO), None)
    here = order.index(current)
    for candidate in list(order[here + 1:]) + list(order[:here]):
        if statuses.get(candidate, Status.TODO) is Status.TODO:
            return candidate
    return None


class LabelCounts:
    """Spans per label in the open document, kept in step with span changes."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.counts: Counter[str] = Counter(s.label for s in spans)

    @classmethod
    def of(cls, counts: Counter[str]) -> "LabelCounts":
        """From counts already made (SpanTable.label_counts)."""
        made = cls()
        made.counts = Counter(counts)
        return made

    def apply(self, change: SpanChange) -> None:
        if change.old is not None:
            self.counts[change.old.label] -= 1
        if change.new is not None:
            self.counts[change.new.label] += 1

    def summary(self, labels: Iterable[str]) -> str:
        return "  ".join(f"{name} {self.counts.get(name, 0)}" for name in labels)
