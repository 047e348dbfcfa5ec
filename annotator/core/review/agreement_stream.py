"""Span agreement, scores against gold and relation agreement in one pass
over the project, a batch of documents at a time (``annotator agreement``).

The figures are exactly those of ``agreement``, ``scores_against_gold`` and
``relation_agreement`` (the tests compare them on random projects); only the
reading differs. Each batch of documents is read once for every layer, its
figures are added to the running totals, each document's own figures are
handed to a callback (the CLI writes them out at once) and the batch is
dropped: peak memory is one batch, not the project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from annotator.core.model import GOLD
from annotator.core.review.agreement import (
    BATCH,
    AgreementAccumulator,
    AgreementReport,
    Counts,
    DocumentAgreement,
    DocumentLayers,
    PairResult,
    documents_annotated_by,
    pair_counts,
    stream_documents,
)
from annotator.core.review.relation_agreement import (
    Key,
    RelationAccumulator,
    RelationAgreement,
    RelationDocument,
    relation_keys,
)
from annotator.core.store.project import Project


@dataclass
class StreamedAgreement:
    """What ``annotator agreement`` shows. ``report.per_document`` and
    ``relations.per_document`` are empty unless ``keep_documents``: each
    document went to the callbacks instead."""

    report: AgreementReport
    against_gold: list[PairResult]
    relations: RelationAgreement


class GoldScores:
    """``scores_against_gold`` for the whole project, fed one document at a time."""

    def __init__(self, names: Sequence[str], labels: Sequence[str]) -> None:
        self.results = {name: PairResult(name, GOLD, labels={label: Counts() for label in labels})
                        for name in names}
        self.labels = list(labels)

    def add(self, doc: DocumentLayers) -> None:
        if GOLD not in doc.annotated:
            return
        for name, result in self.results.items():
            if name in doc.annotated:
                result.documents += 1
                for label in self.labels:
                    result.labels[label].add(pair_counts(doc, name, GOLD, label))

    def scores(self) -> list[PairResult]:
        return [result for result in self.results.values() if result.documents]


def _batch_relation_keys(project: Project, names: Sequence[str], kinds: dict,
                         batch: set[int]) -> dict[int, dict[str, list[Key]]]:
    """document -> layer -> the relations that belong to it (first end in the
    document), for the documents of one batch. Relations read here whose
    first end lies in another batch are filed under that document, which
    this batch never asks for; its own batch reads them again."""
    by_doc: dict[int, dict[str, list[Key]]] = defaultdict(dict)
    rows = project.relation_ends_touching(names, batch)
    for layer, found in relation_keys(rows, kinds).items():
        for key in found:
            by_doc[key[1][0]].setdefault(layer, []).append(key)
    return by_doc


def stream_agreement(project: Project, annotators: Iterable[str] | None = None, *,
                     on_document: Callable[[DocumentAgreement], object] | None = None,
                     on_relation_document: Callable[[RelationDocument], object] | None = None,
                     keep_documents: bool = False, batch: int = BATCH) -> StreamedAgreement:
    """Agreement among ``annotators`` (by default every annotator who
    annotated something), every annotator against gold, and relation
    agreement among the same annotators, in one pass of ``batch`` documents
    at a time. Each document's figures go to the callbacks in id order."""
    everyone = project.annotators()
    asked = list(annotators) if annotators is not None else None
    annotated = project.annotated_by_layer([*everyone, *(asked or []), GOLD])
    names = asked if asked is not None else [name for name in everyone if annotated[name]]
    labels = [tag.name for tag in project.tags()]
    kinds = {kind.name: kind for kind in project.relation_types()}

    spans = AgreementAccumulator(names, labels)
    gold = GoldScores(everyone, labels)
    relations = RelationAccumulator(names, annotated, list(kinds),
                                    [name for name, kind in kinds.items() if kind.cross_document])
    compared = documents_annotated_by(annotated, names, minimum=2)
    with_gold = annotated[GOLD] & documents_annotated_by(annotated, everyone)
    per_document: list[DocumentAgreement] = []
    relation_documents: list[RelationDocument] = []
    wanted = sorted(compared | with_gold)
    layers = list(dict.fromkeys([*names, *everyone, GOLD]))
    for first in range(0, len(wanted), batch):
        chunk = wanted[first:first + batch]
        in_batch = set(chunk) & compared
        keys = _batch_relation_keys(project, names, kinds, in_batch) if in_batch and kinds else {}
        for doc in stream_documents(project, layers, annotated, chunk, batch):
            if doc.id in compared:
                result = spans.add(doc)
                if keep_documents:
                    per_document.append(result)
                if on_document is not None:
                    on_document(result)
                entry = relations.add(doc.id, keys.get(doc.id, {}))
                if entry is not None:
                    if keep_documents:
                        relation_documents.append(entry)
                    if on_relation_document is not None:
                        on_relation_document(entry)
            gold.add(doc)
    return StreamedAgreement(spans.report(per_document), gold.scores(),
                             relations.result(relation_documents))
