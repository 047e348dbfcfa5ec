"""Which spans a selected span may be linked to, nearest first, and which
relation type a link gets (issue 12 item 3). No Qt: the window cycles
through ``link_candidates`` with Tab and asks ``link_options`` what to store.

Linking starts from either end: with a CLAIM selected, R offers the ENTITY
it may take as SPEAKER; with the ENTITY selected, R offers the CLAIMs whose
SPEAKER it may be, and the relation is stored in the type's direction
(CLAIM -> ENTITY) whichever end the annotator started from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.model import RelationType, Span


def distance(a: Span, b: Span) -> int:
    """Code points between two spans (0 when they touch or overlap)."""
    return max(0, b.start - a.end, a.start - b.end)


def link_types(kinds: Iterable[RelationType], source_label: str, target_label: str,
               chosen: str | None = None) -> list[RelationType]:
    """The relation types that allow source -> target, in tag-set order;
    only ``chosen`` when one was asked for (and it allows the pair)."""
    allowed = [k for k in kinds if k.allows(source_label, target_label)
               and (chosen is None or k.name == chosen)]
    return sorted(allowed, key=lambda k: (k.position, k.name))


def link_options(kinds: Iterable[RelationType], selected_label: str, other_label: str,
                 chosen: str | None = None) -> list[tuple[RelationType, bool]]:
    """(type, forward) for every type that may link the selected span and
    another, in tag-set order: forward when the selected span is the
    source, else the other span is (a type allowing both ways is forward,
    as a symmetric one always is). Only ``chosen`` when one was asked for."""
    out = []
    for kind in sorted(kinds, key=lambda k: (k.position, k.name)):
        if chosen is not None and kind.name != chosen:
            continue
        if kind.allows(selected_label, other_label):
            out.append((kind, True))
        elif kind.allows(other_label, selected_label):
            out.append((kind, False))
    return out


def link_candidates(source: Span, spans: Iterable[Span], kinds: Sequence[RelationType],
                    chosen: str | None = None) -> list[Span]:
    """The spans ``source`` may be linked with, either way round, nearest first.

    Ties (same distance) go in reading order, so the span just after the
    source comes before the one just before it; a span of the source's own
    document only unless no type links documents (the window shows one
    document, so in practice: one document)."""
    fits: dict[str, bool] = {}  # per label: 20,000 spans, a handful of labels

    def allowed(label: str) -> bool:
        if label not in fits:
            fits[label] = bool(link_options(kinds, source.label, label, chosen))
        return fits[label]

    out = [s for s in spans
           if s.id != source.id and s.layer == source.layer
           and s.document_id == source.document_id and allowed(s.label)]
    out.sort(key=lambda s: (distance(source, s), s.start < source.start, s.start, -s.end, s.id))
    return out
