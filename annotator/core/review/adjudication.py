"""Adjudication: from several annotators' layers to one gold layer.

A disagreement unit is a cluster of overlapping spans across the annotators
who annotated a document. Two spans join a cluster when they overlap and
either carry the same label, or carry different labels but cover mostly the
same text (their overlap is at least half of the longer span: a label
dispute). The second rule is deliberately narrow: an ENTITY inside a CLAIM
sentence is not a dispute, and must not drag the whole claim into its unit.

Each annotator's version of a unit is the set of their spans in it (possibly
empty). Severity is the share of annotators outside the largest group of
identical versions: 0 when all agree, highest when they split evenly.

Every decision is one transaction and returns a ``GoldChange`` that
``revert`` undoes and ``reapply`` redoes exactly (same span ids), so the GUI
can put each decision on its undo stack. Gold spans carry their provenance:
the annotator whose version was accepted, ``unanimous``, or ``edited``.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.review.agreement import PairResult
from annotator.core.errors import ValidationError
from annotator.core.review.gold_scores import GoldScores
from annotator.core.model import GOLD, Document, Relation, Span
from annotator.core.review.relation_review import (
    RelationChange,
    RelationDecisions,
    carry_relations,
    relation_items,
)
from annotator.core.store.project import Project

UNANIMOUS = "unanimous"
EDITED = "edited"


class UnitState(str, enum.Enum):
    AGREED = "agreed"        # every annotator has the same version, not yet in gold
    DISPUTED = "disputed"    # versions differ, no decision yet
    ACCEPTED = "accepted"    # gold holds a version (or an edited span) for the unit
    REJECTED = "rejected"    # the reviewer rejected every version


class Kind(str, enum.Enum):
    """What the annotators disagree about, worst first when severities tie."""

    LABEL = "label"          # different labels on (mostly) the same text
    MISSING = "missing"      # some annotators marked nothing there
    BOUNDARY = "boundary"    # same labels, different start or end
    NONE = "none"            # unanimous


_KIND_ORDER = {kind: i for i, kind in enumerate(Kind)}


@dataclass(frozen=True)
class Version:
    annotator: str
    spans: tuple[Span, ...]

    @property
    def key(self) -> frozenset[tuple[int, int, str]]:
        return frozenset((s.start, s.end, s.label) for s in self.spans)


@dataclass(frozen=True)
class Unit:
    document_id: int
    start: int
    end: int
    versions: tuple[Version, ...]  # one per annotator of the document, in track order
    severity: float
    kind: Kind

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(s.label for v in self.versions for s in v.spans)

    @property
    def unanimous(self) -> bool:
        return self.severity == 0

    def version(self, annotator: str) -> Version:
        for version in self.versions:
            if version.annotator == annotator:
                return version
        raise ValidationError(f"{annotator} did not annotate this document")

    def holds(self, span: Span) -> bool:
        """Whether a gold span belongs to this unit: it would have joined the
        cluster (so an edit that changes the label still counts)."""
        if not (span.start < self.end and self.start < span.end):
            return False
        return any(_linked(span, member, across_layers=False)
                   for version in self.versions for member in version.spans)


@dataclass(frozen=True)
class GoldChange:
    """What one decision did to the gold layer, enough to undo and redo it."""

    document_id: int
    removed: tuple[Span, ...] = ()
    added: tuple[Span, ...] = ()
    rejections_added: tuple[tuple[int, int], ...] = ()
    rejections_removed: tuple[tuple[int, int], ...] = ()
    # Gold relations that went with the removed spans, and those carried in
    # with the accepted version (restored and deleted by id on undo/redo).
    relations_removed: tuple[Relation, ...] = ()
    relations_added: tuple[Relation, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.removed or self.added or self.rejections_added or self.rejections_removed
                    or self.relations_added)


# -- units -------------------------------------------------------------------


def _linked(a: Span, b: Span, across_layers: bool = True) -> bool:
    overlap = min(a.end, b.end) - max(a.start, b.start)
    if overlap <= 0:
        return False
    if a.label == b.label:
        return True
    # One annotator's ENTITY and DATE on the same words are two decisions,
    # not a dispute with themselves.
    if across_layers and a.layer == b.layer:
        return False
    return 2 * overlap >= max(a.end - a.start, b.end - b.start)


def disagreement_units(spans_by_annotator: dict[str, Sequence[Span]], document_id: int) -> list[Unit]:
    """Units of one document, most severe first, then in text order.

    ``spans_by_annotator`` holds every annotator who annotated the document
    (an empty list for one who marked it done with no span), in track order.
    """
    spans = sorted((s for group in spans_by_annotator.values() for s in group),
                   key=lambda s: (s.start, s.end))
    parent = list(range(len(spans)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    active: list[int] = []  # spans still open at the current start
    for i, span in enumerate(spans):
        active = [j for j in active if spans[j].end > span.start]
        for j in active:
            if _linked(spans[j], span):
                parent[root(j)] = root(i)
        active.append(i)
    clusters: dict[int, list[Span]] = {}
    for i, span in enumerate(spans):
        clusters.setdefault(root(i), []).append(span)
    units = [_unit(document_id, members, list(spans_by_annotator)) for members in clusters.values()]
    units.sort(key=lambda u: (-u.severity, _KIND_ORDER[u.kind], u.start, u.end))
    return units


def _unit(document_id: int, members: list[Span], annotators: list[str]) -> Unit:
    versions = tuple(
        Version(name, tuple(sorted((s for s in members if s.layer == name),
                                   key=lambda s: (s.start, s.end, s.label))))
        for name in annotators
    )
    groups = Counter(v.key for v in versions)
    severity = 1 - max(groups.values()) / len(versions)
    if severity == 0:
        kind = Kind.NONE
    elif len({frozenset(s.label for s in v.spans) for v in versions if v.spans}) > 1:
        kind = Kind.LABEL
    elif any(not v.spans for v in versions):
        kind = Kind.MISSING
    else:
        kind = Kind.BOUNDARY
    return Unit(document_id, min(s.start for s in members), max(s.end for s in members),
                versions, round(severity, 12), kind)


# -- applying and undoing ------------------------------------------------------


def reapply(project: Project, change: GoldChange) -> None:
    """Redo a decision exactly as it was first made (same span ids)."""
    _swap(project, change.document_id, change.removed, change.added,
          change.rejections_removed, change.rejections_added,
          change.relations_removed, change.relations_added)


def revert(project: Project, change: GoldChange) -> None:
    """Undo a decision: the same swap the other way round."""
    _swap(project, change.document_id, change.added, change.removed,
          change.rejections_added, change.rejections_removed,
          change.relations_added, change.relations_removed)


def _swap(project: Project, document_id: int, drop: Iterable[Span], put: Iterable[Span],
          unreject: Iterable[tuple[int, int]], reject: Iterable[tuple[int, int]],
          drop_relations: Iterable[Relation] = (), put_relations: Iterable[Relation] = ()) -> None:
    with project.transaction():
        for relation in drop_relations:
            project.delete_relation(relation.id)
        for span in drop:
            project.delete_span(span.id)
        for span in put:
            project.restore_span(span)
        for extent in unreject:
            project.remove_rejection(document_id, *extent)
        for extent in reject:
            project.add_rejection(document_id, *extent)
        for relation in put_relations:
            project.restore_relation(relation)


# -- a review of one document ----------------------------------------------------


def neighbour_document(project: Project, document_id: int, forward: bool = True) -> int | None:
    """The next (or previous) document by id that some annotator annotated:
    where a reviewer goes from this one. None at either end."""
    return project.annotated_neighbour(document_id, forward)


@dataclass
class Review:
    """One document under review: its text, its annotators' tracks, its units.

    Units come from the annotator layers, which a review never changes; the
    gold layer and the rejections are re-read after every decision, and so
    is this document's contribution to the scores against gold. Everything
    is read by document id: opening a review and every decision cost the
    same whatever the size of the project.
    """

    project: Project
    document: Document
    annotators: list[str]
    tracks: dict[str, list[Span]]
    units: list[Unit]
    gold: list[Span] = field(default_factory=list)
    rejected: set[tuple[int, int]] = field(default_factory=set)
    relations: RelationDecisions | None = None
    gold_scores: GoldScores | None = None

    @classmethod
    def open(cls, project: Project, document_id: int) -> "Review":
        document = project.document(document_id)
        annotated = project.document_layers(document_id)
        annotators = [name for name in project.annotators() if name in annotated]
        spans = project.spans(document_id)
        tracks: dict[str, list[Span]] = {name: [] for name in annotators}
        for span in spans:
            if span.layer in tracks:
                tracks[span.layer].append(span)
        review = cls(project, document, annotators, tracks,
                     disagreement_units(tracks, document_id))
        review.gold = [s for s in spans if s.layer == GOLD]
        review.rejected = project.rejections(document_id)
        review.relations = RelationDecisions(
            project, document_id, relation_items(project, document_id, annotators, tracks))
        return review

    def reload_gold(self) -> None:
        self.gold = self.project.spans(self.document.id, GOLD)
        self.rejected = self.project.rejections(self.document.id)
        if self.gold_scores is not None:
            self.gold_scores.refresh(self.project, self.document.id)

    # -- state ---------------------------------------------------------------

    def gold_in(self, unit: Unit) -> list[Span]:
        return [span for span in self.gold if unit.holds(span)]

    def state(self, unit: Unit) -> UnitState:
        if self.gold_in(unit):
            return UnitState.ACCEPTED
        if (unit.start, unit.end) in self.rejected:
            return UnitState.REJECTED
        return UnitState.AGREED if unit.unanimous else UnitState.DISPUTED

    def counts(self) -> Counter[UnitState]:
        return Counter(self.state(unit) for unit in self.units)

    def scores(self) -> list[PairResult]:
        """Each annotator of this document against its gold layer (equal to
        ``scores_against_gold(project, [document id])``)."""
        if self.gold_scores is None:
            self.gold_scores = GoldScores.of_documents(self.project, [self.document.id])
        return self.gold_scores.results(self.project.annotators())

    # -- decisions -----------------------------------------------------------

    def _decide(self, unit: Unit, spans: Sequence[Span], provenance: str,
                carry_from: str | None = None) -> GoldChange:
        extent = (unit.start, unit.end)
        removed = tuple(self.gold_in(unit))
        added: list[Span] = []
        carried: list[Relation] = []
        rejections_added: tuple[tuple[int, int], ...] = ()
        rejections_removed = (extent,) if extent in self.rejected else ()
        with self.project.transaction():
            # Read under the write lock: these go by ON DELETE CASCADE and
            # undo must put them back.
            lost = {r.id: r for span in removed for r in self.project.relations(span_id=span.id)}
            for span in removed:
                self.project.delete_span(span.id)
            for span in spans:
                added.append(self.project.add_span(
                    self.document.id, GOLD, span.start, span.end, span.label,
                    attributes=span.attributes, note=span.note, provenance=provenance))
            if not spans:
                # Already rejected: the rejection stays and undo must keep it.
                if not rejections_removed:
                    self.project.add_rejection(self.document.id, *extent)
                    rejections_added = (extent,)
                rejections_removed = ()
            elif rejections_removed:
                self.project.remove_rejection(self.document.id, *extent)
            if carry_from is not None:
                carried = carry_relations(self.project, carry_from, spans, added)
        self.reload_gold()
        return GoldChange(self.document.id, removed, tuple(added), rejections_added,
                          rejections_removed, tuple(lost.values()), tuple(carried))

    def accept(self, unit: Unit, annotator: str) -> GoldChange:
        """Gold takes this annotator's version of the unit (nothing, if their
        version is empty: that is siding with the annotator who left it out)."""
        version = unit.version(annotator)
        return self._decide(unit, version.spans, annotator, carry_from=annotator)

    def reject(self, unit: Unit) -> GoldChange:
        """No version of this unit goes into gold."""
        return self._decide(unit, (), EDITED)

    def accept_unanimous(self) -> GoldChange:
        """Every unit all annotators agree on and the reviewer has not decided
        yet, and then every relation they all agree on whose ends are gold."""
        pending = [u for u in self.units if self.state(u) is UnitState.AGREED]
        provenance = self.annotators[0] if len(self.annotators) == 1 else UNANIMOUS
        added: list[Span] = []
        with self.project.transaction():
            for unit in pending:
                for span in unit.versions[0].spans:
                    added.append(self.project.add_span(
                        self.document.id, GOLD, span.start, span.end, span.label,
                        attributes=span.attributes, note=span.note, provenance=provenance))
            assert self.relations is not None
            carried = self.relations.accept_unanimous()
        self.reload_gold()
        return GoldChange(self.document.id, added=tuple(added), relations_added=tuple(carried))

    def edit(self, unit: Unit, start: int, end: int, label: str) -> GoldChange:
        """Set the unit's gold span to [start, end) with this label (provenance
        "edited"); replaces whatever gold held for the unit."""
        current = self.gold_in(unit)
        source = current[0] if current else next(
            (s for v in unit.versions for s in v.spans if s.label == label), None)
        attributes = source.attributes if source is not None and source.label == label else {}
        template = Span(0, self.document.id, GOLD, start, end, label, attributes,
                        source.note if source else "")
        return self._decide(unit, [template], EDITED)

    def undo(self, change: GoldChange | RelationChange) -> None:
        if isinstance(change, RelationChange):
            assert self.relations is not None
            self.relations.undo(change)
        else:
            revert(self.project, change)
        self.reload_gold()

    def redo(self, change: GoldChange | RelationChange) -> None:
        if isinstance(change, RelationChange):
            assert self.relations is not None
            self.relations.redo(change)
        else:
            reapply(self.project, change)
        self.reload_gold()
