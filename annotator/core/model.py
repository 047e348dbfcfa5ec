"""Plain data objects shared by the store, formats, agreement and GUI."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

GOLD = "gold"  # the adjudicated layer; never an annotator's name


class Status(str, enum.Enum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class Document:
    id: int
    name: str
    text: str
    sha256: str
    source: str | None = None
    external_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class DocumentInfo:
    """A document without its text, for lists."""

    id: int
    name: str
    sha256: str
    chars: int
    source: str | None = None
    external_id: str | None = None


# How a label's spans are drawn: a background, or an underline for labels
# whose spans hold other labels' spans (a claim holds entities and dates),
# so that what is inside stays visible.
TAG_STYLES = ("background", "underline")


@dataclass(frozen=True)
class Tag:
    name: str
    color: str = "#888888"
    hotkey: str | None = None
    description: str = ""
    # Attribute name -> {"values": [...]} or {"format": "iso8601"}.
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    position: int = 0
    style: str = "background"  # one of TAG_STYLES
    # Token exports (CoNLL, HF rows, spaCy groups): labels with the same group
    # share one BIO column; "" is the main column (HF ner_tags), which
    # overlapping labels such as CLAIM over ENTITY must not share.
    bio_group: str = ""

    def attribute_summary(self) -> str:
        """type=PER|ORG|LOC|MISC, value=iso8601; a free attribute shows as key=text."""
        return ", ".join(
            f"{key}={'|'.join(spec['values']) if 'values' in spec else spec.get('format', 'text')}"
            for key, spec in self.attributes.items()
        )


@dataclass(frozen=True)
class Span:
    """A stored span, as the store returns it and undo keeps it.

    One span has four shapes, each for a reason: ``Span`` (stored: has an
    id and timestamps; frozen, so an undo command's copy cannot change),
    ``NewSpan`` (about to be stored in bulk: no id yet, names its origin for
    errors), ``formats.importer.ParsedSpan`` (read from a file before the
    documents are in the project: refers to its document by SHA-256 and may
    have no layer yet) and ``formats.selection.ExportSpan`` (a tuple made
    straight from a row for exports of hundreds of thousands of spans).
    """

    id: int
    document_id: int
    layer: str
    start: int
    end: int
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    # For gold spans: the annotator whose version was accepted, or "edited".
    provenance: str | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class NewDocument:
    """A document about to be imported."""

    name: str
    text: str  # canonical
    source: str | None = None
    external_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class NewSpan:
    """A span about to be stored in bulk (imports, merges).

    Not frozen: imports build hundreds of thousands, and a frozen dataclass
    costs five times as much to construct.
    """

    document_id: int
    layer: str
    start: int
    end: int
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    provenance: str | None = None
    # (file, line) the span came from, so errors can name them.
    origin: tuple[str, int | None] | None = None


@dataclass(slots=True)
class NewRelation:
    """A relation about to be stored in bulk (imports, merges): its ends are
    span ids already in the project (or written earlier in the same
    transaction)."""

    layer: str
    type: str
    source_id: int
    target_id: int
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    provenance: str | None = None
    # Kept from where it came from (a merged copy); empty means now.
    created_at: str = ""
    updated_at: str = ""
    # (file, line) the relation came from, so errors can name them.
    origin: tuple[str, int | None] | None = None


@dataclass(frozen=True)
class RelationType:
    """A kind of link between two spans, part of the tag set.

    Empty ``source_labels`` / ``target_labels`` allow any label. A symmetric
    type (SAME_AS) has no direction: its relation is stored once, with the
    smaller span id as source. ``cross_document`` lets it join spans of
    different documents (claims across articles).
    """

    name: str
    color: str = "#868e96"
    hotkey: str | None = None
    description: str = ""
    source_labels: tuple[str, ...] = ()
    target_labels: tuple[str, ...] = ()
    symmetric: bool = False
    cross_document: bool = False
    position: int = 0

    def allows(self, source_label: str, target_label: str) -> bool:
        """Whether a relation of this type may go from one label to the other
        (either way round for a symmetric type)."""
        def fits(labels: tuple[str, ...], label: str) -> bool:
            return not labels or label in labels

        forward = fits(self.source_labels, source_label) and fits(self.target_labels, target_label)
        if forward or not self.symmetric:
            return forward
        return fits(self.source_labels, target_label) and fits(self.target_labels, source_label)

    def constraint_summary(self) -> str:
        """CLAIM -> ENTITY, CLAIM <-> CLAIM (across documents)."""
        arrow = "<->" if self.symmetric else "->"
        text = f"{'|'.join(self.source_labels) or 'any'} {arrow} {'|'.join(self.target_labels) or 'any'}"
        return text + (" (across documents)" if self.cross_document else "")


@dataclass(frozen=True)
class Relation:
    """A typed link between two spans of one layer (source -> target)."""

    id: int
    layer: str
    type: str
    source_id: int
    target_id: int
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    provenance: str | None = None
    created_at: str = ""
    updated_at: str = ""
