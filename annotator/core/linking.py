"""Which spans a selected span may be linked to, nearest first, and which
relation type a link gets (issue 12 item 3). No Qt: the window cycles
through ``link_candidates`` with Tab and asks ``link_types`` what to store.
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


def link_candidates(source: Span, spans: Iterable[Span], kinds: Sequence[RelationType],
                    chosen: str | None = None) -> list[Span]:
    """The spans ``source`` may be linked to, nearest first.

    Ties (same distance) go in reading order, so the span just after the
    source comes before the one just before it; a span of the source's own
    document only unless no type links documents (the window shows one
    document, so in practice: one document)."""
    fits: dict[str, bool] = {}  # per label: 20,000 spans, a handful of labels

    def allowed(label: str) -> bool:
        if label not in fits:
            fits[label] = bool(link_types(kinds, source.label, label, chosen))
        return fits[label]

    out = [s for s in spans
           if s.id != source.id and s.layer == source.layer
           and s.document_id == source.document_id and allowed(s.label)]
    out.sort(key=lambda s: (distance(source, s), s.start < source.start, s.start, -s.end, s.id))
    return out
