"""Suggestions for a layer of a project: dates and entities, minus what the
layer already has and what its annotator rejected.

A Suggestion is not a span and is never stored as one; accepting it (GUI or
``annotator suggest --apply``) makes a span with provenance
"suggested:<rule>".
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotator.core.model import GOLD, Document, NewSpan, Tag
from annotator.core.text.search import FoldedText
from annotator.core.store import suggestions as store
from annotator.core.store.project import Project
from annotator.core.suggest.dates import Anchor, DateMatch, iter_document_dates
from annotator.core.suggest.entities import EntityLexicon, EntityMatch, find_name, iter_entities, name_key

DATE, ENTITY = "DATE", "ENTITY"
KNOWN_LABELS = (DATE, ENTITY)


@dataclass(frozen=True)
class Suggestion:
    document_id: int
    start: int
    end: int
    label: str
    rule: str
    text: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""  # what the attributes cannot hold: the Hijri text, the anchor used

    @property
    def provenance(self) -> str:
        return store.PROVENANCE_PREFIX + self.rule

    def as_json(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "start": self.start, "end": self.end,
                "label": self.label, "text": self.text, "attributes": self.attributes,
                "rule": self.rule, "note": self.note}

    def as_new_span(self, layer: str) -> NewSpan:
        return NewSpan(self.document_id, layer, self.start, self.end, self.label,
                       dict(self.attributes), self.note, self.provenance)


class Found(NamedTuple):
    """One suggestion as a rule found it, before it is a Suggestion or a
    row of a suggest.table.SuggestionTable."""

    start: int
    end: int
    label: str
    rule: str
    attributes: dict[str, Any]
    note: str
    name: str | None  # the lexicon key an entity matched


def found_in_text(text: str, meta: dict[str, Any] | None, labels: Iterable[str],
                  lexicon: EntityLexicon | None = None, tags: dict[str, Tag] | None = None,
                  folded: FoldedText | None = None) -> list[Iterable[Found]]:
    """What the rules find in one text, ignoring what any layer holds: one
    run per rule family, each in text order. The entity run is a generator,
    so a 20 MB text's 1.8 million names are never all objects at once."""
    labels = set(labels)
    folded = folded or FoldedText(text)
    runs: list[Iterable[Found]] = []
    if DATE in labels:
        runs.append(_date_found(iter_document_dates(text, meta, folded), (tags or {}).get(DATE)))
    if ENTITY in labels and lexicon is not None and len(lexicon):
        runs.append(_entity_found(iter_entities(text, lexicon, folded), tags))
    return runs


def _date_found(dates: Iterable[tuple[DateMatch, Anchor | None]], allowed: Tag | None
                ) -> Iterator[Found]:
    for date, anchor in dates:
        attributes = {}
        if date.value and (allowed is None or "value" in allowed.attributes):
            attributes["value"] = date.value
        yield Found(date.start, date.end, DATE, date.rule, attributes, _date_note(date, anchor), None)


def suggest_text(document_id: int, text: str, meta: dict[str, Any] | None,
                 labels: Iterable[str], lexicon: EntityLexicon | None = None,
                 tags: dict[str, Tag] | None = None,
                 folded: FoldedText | None = None) -> list[Suggestion]:
    """Every suggestion for one text, ignoring what any layer holds."""
    return [Suggestion(document_id, f.start, f.end, f.label, f.rule, text[f.start:f.end],
                       f.attributes, f.note)
            for run in found_in_text(text, meta, labels, lexicon, tags, folded) for f in run]


def _entity_found(matches: Iterable[EntityMatch], tags: dict[str, Tag] | None) -> Iterator[Found]:
    allowed_types = _type_values((tags or {}).get(ENTITY))
    for entity in matches:
        attributes = {}
        if entity.type and (allowed_types is None or entity.type in allowed_types):
            attributes["type"] = entity.type
        yield Found(entity.start, entity.end, ENTITY, entity.rule, attributes, "", entity.name)


def _type_values(tag: Tag | None) -> set[str] | None:
    if tag is None:
        return None
    spec = tag.attributes.get("type")
    return set(spec["values"]) if spec and "values" in spec else set()


def _date_note(date: DateMatch, anchor: Anchor | None) -> str:
    parts = []
    if date.hijri:
        parts.append(f"hijri: {date.hijri}")
    if not date.absolute and date.value and anchor is not None:
        parts.append(f"value from the document date {anchor.date.isoformat()} ({anchor.source})")
    if date.remark:
        parts.append(date.remark)
    return "; ".join(parts)


class Suggester:
    """Suggestions for one layer; build once, ask per document."""

    def __init__(self, project: Project, layer: str, labels: Iterable[str] = KNOWN_LABELS) -> None:
        self.project = project
        self.layer = layer
        known = {t.name: t for t in project.tags()}
        self.labels = [label for label in labels if label in known and label in KNOWN_LABELS]
        self.tags = known
        self.lexicon = self._lexicon() if ENTITY in self.labels else None
        self.rejected = store.rejections(project, layer)
        self._taken: dict[int, list[tuple[int, int, str]]] | None = None

    def _lexicon(self) -> EntityLexicon:
        lexicon = EntityLexicon()
        for name, type_, count in store.tagged_names(self.project, ENTITY, [self.layer, GOLD]):
            lexicon.add(name, type_, "entity.propagated", count)
        for entry in store.gazetteer(self.project):
            if entry.label == ENTITY:
                lexicon.add(entry.name, entry.type, "entity.gazetteer")
        return lexicon

    def refresh_lexicon(self) -> None:
        """Read the layer's and gold's entities again (one was just tagged)."""
        if ENTITY in self.labels:
            self.lexicon = self._lexicon()

    def raw_for_document(self, document: Document,
                         folded: FoldedText | None = None) -> list[Suggestion]:
        """Everything the rules find, before what the layer has is removed."""
        return suggest_text(document.id, document.text, document.meta, self.labels,
                            self.lexicon, self.tags, folded)

    def found_in_document(self, document: Document,
                          folded: FoldedText | None = None) -> list[Iterable[Found]]:
        """raw_for_document as runs of Found (suggest.table builds from them)."""
        return found_in_text(document.text, document.meta, self.labels, self.lexicon, self.tags,
                             folded)

    def learn_name(self, surface: str, type_: str | None, document: Document,
                   folded: FoldedText | None = None) -> list[Found]:
        """A name was just tagged: add it to the lexicon and return its
        occurrences in ``document`` (nothing if it was known already)."""
        if self.lexicon is None:
            return []
        key = name_key(surface)
        known = key in self.lexicon
        # Counted even when known, so that forget_name knows when the last goes.
        self.lexicon.add(surface, type_, "entity.propagated")
        if known or key not in self.lexicon:
            return []  # too short to propose
        matches = find_name(document.text, key, self.lexicon.type_of(key), "entity.propagated",
                            folded)
        return list(_entity_found(matches, self.tags))

    def forget_name(self, surface: str, type_: str | None) -> bool:
        """A tagged span of this name went away; True when no span or
        gazetteer entry has the name any more. Counted down in the lexicon:
        reading every tagged name again took 150 ms to 2 s per relabel."""
        if self.lexicon is None:
            return False
        gone = self.lexicon.discard(surface, type_)
        if gone is None:
            self.refresh_lexicon()
            return not self.knows_name(surface)
        return gone

    def knows_name(self, surface: str) -> bool:
        return self.lexicon is not None and name_key(surface) in self.lexicon

    def keep(self, suggestions: Iterable[Suggestion],
             taken: Iterable[tuple[int, int, str]]) -> list[Suggestion]:
        """Suggestions not rejected and overlapping no span of their label in
        ``taken`` ((start, end, label) of the layer's spans in that document)."""
        by_label: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for start, end, label in taken:
            by_label[label].append((start, end))
        ends: dict[str, list[int]] = {}
        for label, ranges in by_label.items():
            ranges.sort()
            # Spans of one label never overlap, so their ends are sorted too.
            ends[label] = [end for _, end in ranges]
        result = []
        for s in suggestions:
            if (s.document_id, s.start, s.end, s.label) in self.rejected:
                continue
            ranges = by_label.get(s.label)
            if ranges:
                i = bisect_right(ends[s.label], s.start)  # first span ending after s.start
                if i < len(ranges) and ranges[i][0] < s.end:
                    continue
            result.append(s)
        result.sort(key=lambda s: (s.start, s.end, s.label))
        return result

    def for_document(self, document: Document) -> list[Suggestion]:
        """This document's suggestions for the layer, in text order."""
        if self._taken is None:
            # The layer's spans, read once for a run over many documents (the
            # window passes its own instead, through keep()).
            self._taken = defaultdict(list)
            for _id, start, end, label, *_rest, doc in self.project.span_rows(self.layer):
                self._taken[doc].append((start, end, label))
        return self.keep(self.raw_for_document(document), self._taken.get(document.id, []))

    def all(self, document_ids: Iterable[int] | None = None) -> Iterator[Suggestion]:
        wanted = None if document_ids is None else set(document_ids)
        for document in self.project.all_documents():
            if wanted is None or document.id in wanted:
                yield from self.for_document(document)

    def reject(self, suggestion: Suggestion) -> None:
        store.reject(self.project, self.layer, suggestion.document_id, suggestion.start,
                     suggestion.end, suggestion.label)
        self.rejected.add((suggestion.document_id, suggestion.start, suggestion.end,
                           suggestion.label))

    def unreject(self, suggestion: Suggestion) -> None:
        store.unreject(self.project, self.layer, suggestion.document_id, suggestion.start,
                       suggestion.end, suggestion.label)
        self.rejected.discard((suggestion.document_id, suggestion.start, suggestion.end,
                               suggestion.label))
