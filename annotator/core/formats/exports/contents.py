"""What an export contains: which layers, documents (by status), labels,
and a reproducible train/dev/test split. Shared by every export format.

The unit of export is a ``LayerRecord``: one document as one layer sees it.
"""

from __future__ import annotations

import functools
import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.errors import ValidationError
from annotator.core.model import GOLD, Document, Status
from annotator.core.store.project import Project

ALL_LAYERS = "all"
SPLIT_NAMES = ("train", "dev", "test")

# progress(done, total); raising from it (the GUI's Cancel) stops the export.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Split:
    """Documents shuffled with ``seed`` and cut by ``ratios`` (train, dev,
    test). Depends only on the documents' SHA-256 and the seed, so the same
    texts land in the same part in any project and on any machine."""

    ratios: tuple[float, float, float] = (0.8, 0.1, 0.1)
    seed: int = 0

    def __post_init__(self) -> None:
        if len(self.ratios) != 3 or any(r < 0 or not math.isfinite(r) for r in self.ratios):
            raise ValidationError("split needs three ratios >= 0 (train, dev, test)")
        if sum(self.ratios) <= 0:
            raise ValidationError("split ratios must not all be zero")


@dataclass(frozen=True)
class ExportOptions:
    layer: str = GOLD  # a layer name, or ALL_LAYERS
    statuses: frozenset[Status] | None = None  # None: any status
    labels: frozenset[str] | None = None  # None: every label
    split: Split | None = None


class ExportSpan(NamedTuple):
    """What an export needs of a span; a tuple made straight from the store's
    row (``Project.span_rows``), because an export reads hundreds of
    thousands."""

    id: int
    start: int
    end: int
    label: str
    attributes_json: str
    note: str
    provenance: str | None
    document_id: int

    @property
    def attributes(self) -> dict[str, Any]:
        """Shared between spans with equal attributes: read, never change."""
        return _decode_attributes(self.attributes_json)


class ExportRelation(NamedTuple):
    """What an export needs of a relation, straight from the store's row
    (``Project.relation_rows``). ``target_sha256`` is set only when the
    target is in another document than the source (SAME_AS, CONTRADICTS)."""

    id: int
    type: str
    source_id: int
    target_id: int
    attributes_json: str
    note: str
    provenance: str | None
    source_document: int
    target_document: int
    target_sha256: str | None

    @property
    def attributes(self) -> dict[str, Any]:
        """Shared between relations with equal attributes: read, never change."""
        return _decode_attributes(self.attributes_json)

    @property
    def cross_document(self) -> bool:
        return self.source_document != self.target_document


@functools.lru_cache(maxsize=4096)
def _decode_attributes(text: str) -> dict[str, Any]:
    return json.loads(text)


def _span_order(span: ExportSpan) -> tuple:
    # The store's order (Project.spans): position, longer first, label, id.
    return (span.start, -span.end, span.label, span.id)


@dataclass(frozen=True)
class LayerRecord:
    document: Document
    layer: str
    status: Status
    spans: list[ExportSpan] = field(default_factory=list)
    # The layer's relations whose source span is in this record and whose
    # target is exported too (in this record, or another document's).
    relations: list[ExportRelation] = field(default_factory=list)


def check_options(project: Project, options: ExportOptions) -> None:
    if options.layer != ALL_LAYERS and options.layer not in project.layers():
        raise ValidationError(
            f"unknown layer {options.layer!r} (layers: {', '.join(project.layers())}, or {ALL_LAYERS})"
        )
    for label in sorted(options.labels or ()):
        project.tag(label)  # raises for an unknown label


def export_labels(project: Project, options: ExportOptions) -> list[str]:
    """Selected labels in tag-set order (the order token formats number them)."""
    return [t.name for t in project.tags() if options.labels is None or t.name in options.labels]


def select_records(project: Project, options: ExportOptions) -> list[LayerRecord]:
    """Every selected (document, layer), ordered by document id, then layer
    (annotators by name, gold last).

    For one layer every document whose status matches is exported, with or
    without spans (an empty document is a negative example). For every
    layer, a document contributes the layers that have spans or a status
    other than todo; a document that has neither still appears once, as gold,
    so that no text is lost.
    """
    check_options(project, options)
    layers = project.layers() if options.layer == ALL_LAYERS else [options.layer]
    statuses = {layer: project.statuses(layer) for layer in layers}
    by_key: dict[tuple[int, str], list[ExportSpan]] = defaultdict(list)
    for layer in layers:
        spans = map(ExportSpan._make, project.span_rows(layer))
        if options.labels is not None:
            spans = (s for s in spans if s.label in options.labels)
        for span in spans:
            by_key[(span.document_id, layer)].append(span)
    for spans in by_key.values():
        spans.sort(key=_span_order)
    if options.layer == ALL_LAYERS:
        present = {key for key in by_key} | {
            (doc, layer) for layer, per in statuses.items() for doc, st in per.items() if st != Status.TODO
        }
    records = []
    for document in project.all_documents():
        chosen = layers
        if options.layer == ALL_LAYERS:
            chosen = [layer for layer in layers if (document.id, layer) in present] or [GOLD]
        for layer in chosen:
            status = statuses[layer].get(document.id, Status.TODO)
            if options.statuses is not None and status not in options.statuses:
                continue
            records.append(LayerRecord(document, layer, status, by_key.get((document.id, layer), [])))
    _attach_relations(project, records, layers)
    return records


def _attach_relations(project: Project, records: list[LayerRecord], layers: list[str]) -> None:
    """Give each record the relations from its spans whose both ends are
    exported: a relation to a span the selection leaves out (its label,
    its document's status) is left out with it."""
    exported = {span.id for record in records for span in record.spans}
    by_key = {(record.document.id, record.layer): record for record in records}
    for layer in layers:
        for row in project.relation_rows(layer):
            relation = ExportRelation._make(row)
            if relation.source_id in exported and relation.target_id in exported:
                by_key[(relation.source_document, layer)].relations.append(relation)


def drop_cross_part_relations(parts: dict[str, list[LayerRecord]]) -> int:
    """A split writes each part on its own: a relation between documents of
    different parts could not be read back from either, so it is left out
    (and counted in the export's notes)."""
    part_of = {record.document.id: name for name, records in parts.items() for record in records}
    dropped = 0
    for name, records in parts.items():
        for record in records:
            kept = [r for r in record.relations if part_of.get(r.target_document) == name]
            dropped += len(record.relations) - len(kept)
            record.relations[:] = kept
    return dropped


def assign_splits(records: Iterable[LayerRecord], split: Split) -> dict[str, list[LayerRecord]]:
    """Records by part; all layers of one document go to the same part."""
    records = list(records)
    shas = sorted({r.document.sha256 for r in records})
    random.Random(split.seed).shuffle(shas)
    total = sum(split.ratios)
    n_train = round(len(shas) * split.ratios[0] / total)
    n_dev = min(len(shas) - n_train, round(len(shas) * split.ratios[1] / total))
    part = {sha: "train" for sha in shas[:n_train]}
    part.update({sha: "dev" for sha in shas[n_train:n_train + n_dev]})
    part.update({sha: "test" for sha in shas[n_train + n_dev:]})
    parts: dict[str, list[LayerRecord]] = {name: [] for name in SPLIT_NAMES}
    for record in records:
        parts[part[record.document.sha256]].append(record)
    return parts


def split_path(path: Path, part: str) -> Path:
    """data.jsonl -> data.train.jsonl; a folder (no suffix) -> folder/train."""
    if not path.suffix:
        return path / part
    return path.with_name(f"{path.stem}.{part}{path.suffix}")


def iterate_with_progress(records: list[LayerRecord], progress: Progress | None) -> Iterator[LayerRecord]:
    total = len(records)
    step = max(1, total // 200)  # about 200 updates, whatever the size
    for index, record in enumerate(records):
        if progress is not None and index % step == 0:
            progress(index, total)
        yield record
    if progress is not None:
        progress(total, total)
