"""Which records an export writes, decided before any text is read, and
the records themselves, read a batch of documents at a time (issue 15): an
export holds ids and statuses for the whole project, but texts, spans and
relations for one batch only.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from annotator.core.formats.exports.contents import (
    ALL_LAYERS,
    SPLIT_NAMES,
    ExportOptions,
    ExportRelation,
    ExportSpan,
    LayerRecord,
    Progress,
    Split,
    check_options,
)
from annotator.core.model import GOLD, Status
from annotator.core.store.project import Project

# Documents read per batch: a few MB of text for news articles, and few
# enough queries that batching costs nothing measurable.
BATCH_DOCUMENTS = 500


class RecordKey(NamedTuple):
    """One (document, layer) an export writes, without its contents."""

    document_id: int
    sha256: str
    layer: str
    status: Status


@dataclass
class Selection:
    """Every record an export writes, in export order: by document id, then
    layer (annotators by name, gold last)."""

    options: ExportOptions
    layers: list[str]
    statuses: dict[str, dict[int, Status]]
    keys: list[RecordKey]
    # Relations between documents of different split parts, left out.
    across_parts: int = 0

    def __len__(self) -> int:
        return len(self.keys)

    def exported(self, layer: str, document_id: int, label: str) -> bool:
        """Whether a span of this label in this document and layer is in
        the export (a relation's end outside the batch being read)."""
        options = self.options
        if options.labels is not None and label not in options.labels:
            return False
        status = self.statuses[layer].get(document_id, Status.TODO)
        return options.statuses is None or status in options.statuses


def plan(project: Project, options: ExportOptions) -> Selection:
    """The records to export, without their contents.

    For one layer every document whose status matches is exported, with or
    without spans (an empty document is a negative example). For every
    layer, a document contributes the layers that have spans or a status
    other than todo; a document that has neither still appears once, as gold,
    so that no text is lost."""
    check_options(project, options)
    layers = project.layers() if options.layer == ALL_LAYERS else [options.layer]
    statuses = {layer: project.statuses(layer) for layer in layers}
    present: dict[str, set[int]] = {}
    if options.layer == ALL_LAYERS:
        for layer in layers:
            present[layer] = project.documents_with_spans(layer, options.labels) | {
                doc for doc, status in statuses[layer].items() if status != Status.TODO}
    keys = []
    for info in project.documents():
        chosen = layers
        if options.layer == ALL_LAYERS:
            chosen = [layer for layer in layers if info.id in present[layer]] or [GOLD]
        for layer in chosen:
            status = statuses[layer].get(info.id, Status.TODO)
            if options.statuses is not None and status not in options.statuses:
                continue
            keys.append(RecordKey(info.id, info.sha256, layer, status))
    return Selection(options, layers, statuses, keys)


def select_records(project: Project, options: ExportOptions) -> list[LayerRecord]:
    """Every selected (document, layer) with its contents, at once: for
    tests and small projects; exports stream ``read_records``."""
    selection = plan(project, options)
    return list(read_records(project, selection, selection.keys))


def split_keys(selection: Selection, split: Split) -> dict[str, list[RecordKey]]:
    """Records by part; all layers of one document go to the same part."""
    shas = sorted({key.sha256 for key in selection.keys})
    random.Random(split.seed).shuffle(shas)
    total = sum(split.ratios)
    n_train = round(len(shas) * split.ratios[0] / total)
    n_dev = min(len(shas) - n_train, round(len(shas) * split.ratios[1] / total))
    part = {sha: "train" for sha in shas[:n_train]}
    part.update({sha: "dev" for sha in shas[n_train:n_train + n_dev]})
    part.update({sha: "test" for sha in shas[n_train + n_dev:]})
    parts: dict[str, list[RecordKey]] = {name: [] for name in SPLIT_NAMES}
    for key in selection.keys:
        parts[part[key.sha256]].append(key)
    return parts


def read_records(project: Project, selection: Selection, keys: list[RecordKey],
                 part_of: dict[int, str] | None = None,
                 seen: Callable[[LayerRecord], None] | None = None) -> Iterator[LayerRecord]:
    """The records of ``keys`` (in their order), a batch of documents at a
    time. With ``part_of`` (a split), a relation to a document of another
    part is left out and counted in ``selection.across_parts``: neither part
    could be read back with it. ``seen`` is shown each record as written."""
    for batch in _batches(keys):
        for record in _read_batch(project, selection, batch):
            if part_of is not None:
                part = part_of[record.document.id]
                kept = [r for r in record.relations if part_of.get(r.target_document) == part]
                selection.across_parts += len(record.relations) - len(kept)
                record.relations[:] = kept
            if seen is not None:
                seen(record)
            yield record


def _batches(keys: list[RecordKey]) -> Iterator[list[RecordKey]]:
    """Runs of keys covering up to BATCH_DOCUMENTS documents, never cutting
    a document's layers apart."""
    start, documents = 0, 0
    for index, key in enumerate(keys):
        if index > start and key.document_id != keys[index - 1].document_id:
            documents += 1
            if documents == BATCH_DOCUMENTS:
                yield keys[start:index]
                start, documents = index, 0
    if start < len(keys):
        yield keys[start:]


def _read_batch(project: Project, selection: Selection, batch: list[RecordKey]) -> Iterator[LayerRecord]:
    ids = sorted({key.document_id for key in batch})
    documents = {document.id: document for document in project.documents_in(ids)}
    layers = [layer for layer in selection.layers if any(key.layer == layer for key in batch)]
    labels = selection.options.labels
    wanted = {(key.document_id, key.layer) for key in batch}
    spans: dict[tuple[int, str], list[ExportSpan]] = defaultdict(list)
    for layer in layers:
        for span in map(ExportSpan._make, project.span_rows(layer, ids)):
            if (span.document_id, layer) in wanted and (labels is None or span.label in labels):
                spans[(span.document_id, layer)].append(span)
    for found in spans.values():
        found.sort(key=_span_order)
    exported = {span.id for found in spans.values() for span in found}
    relations: dict[tuple[int, str], list[ExportRelation]] = defaultdict(list)
    for layer in layers:
        for relation in map(ExportRelation._make, project.relation_rows(layer, ids)):
            if relation.source_id not in exported:
                continue
            if relation.target_document in documents:
                if relation.target_id not in exported:
                    continue
            elif not selection.exported(layer, relation.target_document, relation.target_label):
                continue
            relations[(relation.source_document, layer)].append(relation)
    for key in batch:
        where = (key.document_id, key.layer)
        yield LayerRecord(documents[key.document_id], key.layer, key.status,
                          spans.get(where, []), relations.get(where, []))


def _span_order(span: ExportSpan) -> tuple:
    # The store's order (Project.spans): position, longer first, label, id.
    return (span.start, -span.end, span.label, span.id)


def iterate_with_progress(records: Iterable[LayerRecord], total: int,
                          progress: Progress | None) -> Iterator[LayerRecord]:
    step = max(1, total // 200)  # about 200 updates, whatever the size
    for index, record in enumerate(records):
        if progress is not None and index % step == 0:
            progress(index, total)
        yield record
    if progress is not None:
        progress(total, total)
