"""Relations in adjudication: relation items, their decisions, and carrying
an accepted version's relations into gold (issue 12 item 5, issue 13 item 6).

A relation item is one pair of ends (each end: document, start, end, label)
that at least one annotator related. Each annotator's version of the item is
the set of their relations on those ends (type and direction); the item is a
disagreement when the versions differ: same ends with another type, or a
relation some annotator lacks. Cross-document links (SAME_AS, CONTRADICTS)
are items of every document they touch: a link matches when both claims
match.

A relation goes into gold between gold spans with the same ends, so the
spans must be decided first. Every decision is one transaction and returns
a ``RelationChange`` that ``revert`` undoes and ``reapply`` redoes exactly
(same relation ids). Gold relations carry their provenance: the accepted
annotator, ``unanimous`` or ``edited``.

A relation rejection is stored (relation_rejections, by the item's ends)
in the decision's transaction, so a rejected item stays decided when the
review is opened again; undo and redo take it out and put it back with the
gold relations, in one transaction.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, Relation, Span
from annotator.core.store.project import Project

End = tuple[int, int, int, str]          # document id, start, end, label
Ends = tuple[End, End]                   # sorted: the item's identity
Link = tuple[str, End, End]              # type, source end, target end


class RelationState(str, enum.Enum):
    AGREED = "agreed"
    DISPUTED = "disputed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class RelationKind(str, enum.Enum):
    TYPE = "type"          # same ends, another type (or direction)
    MISSING = "missing"    # some annotators have no relation there
    NONE = "none"          # unanimous


def end_of(span: Span) -> End:
    return (span.document_id, span.start, span.end, span.label)


@dataclass(frozen=True)
class RelationVersion:
    annotator: str
    relations: tuple[Relation, ...]
    links: frozenset[Link]


@dataclass(frozen=True)
class RelationItem:
    ends: Ends
    versions: tuple[RelationVersion, ...]
    kind: RelationKind

    @property
    def cross_document(self) -> bool:
        return self.ends[0][0] != self.ends[1][0]

    @property
    def unanimous(self) -> bool:
        return self.kind is RelationKind.NONE

    def version(self, annotator: str) -> RelationVersion:
        for version in self.versions:
            if version.annotator == annotator:
                return version
        raise ValidationError(f"{annotator} did not annotate this document")


@dataclass(frozen=True)
class RelationChange:
    """What one decision did to gold relations, enough to undo and redo it."""

    removed: tuple[Relation, ...] = ()
    added: tuple[Relation, ...] = ()
    ends: Ends | None = None
    rejected_before: bool = False
    rejected_after: bool = False

    @property
    def empty(self) -> bool:
        return not (self.removed or self.added) and self.rejected_before == self.rejected_after


def _link(relation: Relation, ends: dict[int, End], symmetric: set[str]) -> Link:
    source, target = ends[relation.source_id], ends[relation.target_id]
    if relation.type in symmetric and target < source:
        source, target = target, source
    return (relation.type, source, target)


def _span_ends(project: Project, relations: Iterable[Relation], known: dict[int, End]) -> dict[int, End]:
    """Span id -> end for every end of these relations (other documents' too)."""
    ends = dict(known)
    for relation in relations:
        for span_id in (relation.source_id, relation.target_id):
            if span_id not in ends:
                ends[span_id] = end_of(project.span(span_id))
    return ends


def relation_items(project: Project, document_id: int, annotators: Sequence[str],
                   tracks: dict[str, list[Span]]) -> list[RelationItem]:
    """Relation items of a document: type disputes, then missing relations,
    then unanimous ones, each in text order."""
    symmetric = {t.name for t in project.relation_types() if t.symmetric}
    known = {s.id: end_of(s) for group in tracks.values() for s in group}
    by_ends: dict[Ends, dict[str, list[tuple[Relation, Link]]]] = {}
    for name in annotators:
        relations = project.relations(layer=name, document_id=document_id)
        ends = _span_ends(project, relations, known)
        for relation in relations:
            link = _link(relation, ends, symmetric)
            pair = tuple(sorted((link[1], link[2])))
            by_ends.setdefault(pair, {}).setdefault(name, []).append((relation, link))
    items = []
    for pair, per in by_ends.items():
        versions = tuple(RelationVersion(name, tuple(r for r, _ in per.get(name, ())),
                                         frozenset(link for _, link in per.get(name, ())))
                         for name in annotators)
        distinct = {v.links for v in versions}
        if len(distinct) == 1:
            kind = RelationKind.NONE
        elif all(v.links for v in versions):
            kind = RelationKind.TYPE
        else:
            kind = RelationKind.MISSING
        items.append(RelationItem(pair, versions, kind))  # type: ignore[arg-type]
    order = {kind: i for i, kind in enumerate(RelationKind)}  # type disputes are the worst
    items.sort(key=lambda i: (order[i.kind], i.ends))
    return items


class RelationDecisions:
    """Decisions on relation items of one review (``Review.relations``)."""

    def __init__(self, project: Project, document_id: int, items: list[RelationItem]) -> None:
        self.project = project
        self.document_id = document_id
        self.items = items
        self.rejected: set[Ends] = project.relation_rejections(document_id)

    def gold_on(self, item: RelationItem) -> list[Relation]:
        """Gold relations whose two ends are this item's ends."""
        found = []
        for relation in self.project.relations(layer=GOLD, document_id=item.ends[0][0]):
            ends = _span_ends(self.project, [relation], {})
            pair = tuple(sorted((ends[relation.source_id], ends[relation.target_id])))
            if pair == item.ends:
                found.append(relation)
        return found

    def state(self, item: RelationItem) -> RelationState:
        if self.gold_on(item):
            return RelationState.ACCEPTED
        if item.ends in self.rejected:
            return RelationState.REJECTED
        return RelationState.AGREED if item.unanimous else RelationState.DISPUTED

    def _gold_span(self, end: End) -> Span | None:
        document_id, start, stop, label = end
        return next((s for s in self.project.spans(document_id, GOLD)
                     if (s.start, s.end, s.label) == (start, stop, label)), None)

    def _decide(self, item: RelationItem, links: Sequence[Relation], provenance: str,
                source_ends: dict[int, End]) -> RelationChange:
        gold_spans = {end: self._gold_span(end) for end in item.ends}
        if links and any(span is None for span in gold_spans.values()):
            missing = next(end for end, span in gold_spans.items() if span is None)
            raise ValidationError(f"the {missing[3]} at {missing[1]}–{missing[2]} is not in gold: "
                                  "accept its span first")
        removed = tuple(self.gold_on(item))
        added = []
        before = item.ends in self.rejected
        with self.project.transaction():
            for relation in removed:
                self.project.delete_relation(relation.id)
            for relation in links:
                source = gold_spans[source_ends[relation.source_id]]
                target = gold_spans[source_ends[relation.target_id]]
                added.append(self.project.add_relation(
                    GOLD, relation.type, source.id, target.id,  # type: ignore[union-attr]
                    attributes=relation.attributes, note=relation.note, provenance=provenance))
            self._store_mark(item.ends, not links)
        self._mark(item.ends, not links)
        return RelationChange(removed, tuple(added), item.ends, before, not links)

    def accept(self, item: RelationItem, annotator: str) -> RelationChange:
        """Gold takes this annotator's relations on the item's ends (none, if
        they have none: siding with the annotator who left it out)."""
        version = item.version(annotator)
        ends = _span_ends(self.project, version.relations, {})
        provenance = UNANIMOUS_NAME if item.unanimous and len(item.versions) > 1 else annotator
        return self._decide(item, version.relations, provenance, ends)

    def accept_unanimous(self) -> list[Relation]:
        """Inside the unanimous units' transaction: every unanimous relation
        item still waiting whose two ends are now in gold goes in."""
        added: list[Relation] = []
        for item in self.items:
            if (self.state(item) is RelationState.AGREED
                    and all(self._gold_span(end) is not None for end in item.ends)):
                added += self.accept(item, item.versions[0].annotator).added
        return added

    def reject(self, item: RelationItem) -> RelationChange:
        """No relation on these ends goes into gold."""
        return self._decide(item, (), "edited", {})

    def undo(self, change: RelationChange) -> None:
        with self.project.transaction():
            revert(self.project, change)
            self._store_mark(change.ends, change.rejected_before)
        self._mark(change.ends, change.rejected_before)

    def redo(self, change: RelationChange) -> None:
        with self.project.transaction():
            reapply(self.project, change)
            self._store_mark(change.ends, change.rejected_after)
        self._mark(change.ends, change.rejected_after)

    def _store_mark(self, ends: Ends | None, rejected: bool) -> None:
        if ends is None or rejected == (ends in self.rejected):
            return
        if rejected:
            self.project.add_relation_rejection(ends)
        else:
            self.project.remove_relation_rejection(ends)

    def _mark(self, ends: Ends | None, rejected: bool) -> None:
        if ends is None:
            return
        if rejected:
            self.rejected.add(ends)
        else:
            self.rejected.discard(ends)


UNANIMOUS_NAME = "unanimous"


def revert(project: Project, change: RelationChange) -> None:
    _swap(project, change.added, change.removed)


def reapply(project: Project, change: RelationChange) -> None:
    _swap(project, change.removed, change.added)


def _swap(project: Project, drop: Iterable[Relation], put: Iterable[Relation]) -> None:
    with project.transaction():
        for relation in drop:
            project.delete_relation(relation.id)
        for relation in put:
            project.restore_relation(relation)


def carry_relations(project: Project, annotator: str, spans: Sequence[Span],
                    added: Sequence[Span]) -> list[Relation]:
    """Inside an accept's transaction: the annotator's relations with an end
    among ``spans`` (their accepted version) whose both ends now have a gold
    span (``added`` or already there) go into gold, provenance the annotator.
    A gold relation of that type already on those ends is kept as it is."""
    symmetric = {t.name for t in project.relation_types() if t.symmetric}
    carried: list[Relation] = []
    seen: set[int] = set()
    gold_by_end: dict[End, Span] = {}
    for document_id in {s.document_id for s in spans}:
        for span in project.spans(document_id, GOLD):
            gold_by_end.setdefault(end_of(span), span)
    for span in added:
        gold_by_end[end_of(span)] = span
    for span in spans:
        for relation in project.relations(layer=annotator, span_id=span.id):
            if relation.id in seen:
                continue
            seen.add(relation.id)
            ends = _span_ends(project, [relation], {})
            source_end, target_end = ends[relation.source_id], ends[relation.target_id]
            for end in (source_end, target_end):
                if end not in gold_by_end and end[0] != span.document_id:
                    gold_by_end.update({end_of(g): g for g in project.spans(end[0], GOLD)})
            source, target = gold_by_end.get(source_end), gold_by_end.get(target_end)
            if source is None or target is None:
                continue
            link = _link(relation, ends, symmetric)
            existing = [r for r in project.relations(layer=GOLD, span_id=source.id, type=relation.type)
                        if {r.source_id, r.target_id} == {source.id, target.id}]
            if existing and (link[0] in symmetric or existing[0].source_id == source.id):
                continue
            carried.append(project.add_relation(GOLD, relation.type, source.id, target.id,
                                                attributes=relation.attributes,
                                                note=relation.note, provenance=annotator))
    return carried
