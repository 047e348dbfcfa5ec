"""Scores against gold kept up to date one document at a time (issue 15).

``scores_against_gold`` (agreement.py) is the definition: each annotator
against the gold layer, counts pooled over the documents both annotated.
Counts add up over documents, so the pooled figures are a sum of per-document
contributions. ``GoldScores`` caches those contributions: a review decision
changes gold in one document only, and recomputing that document's
contribution (reads by document id, through an index) costs the same in a
project of a thousand documents as in one of a hundred thousand. The sum is
exactly what the full recomputation gives; tests/core/test_gold_scores.py
checks that over random decisions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from annotator.core.errors import NotFoundError
from annotator.core.model import GOLD
from annotator.core.review.agreement import (
    PROGRESS_EVERY,
    AgreementReport,
    Counts,
    DocumentLayers,
    PairResult,
    Progress,
    active_annotators,
    compute_agreement,
    load_documents,
    pair_counts,
)
from annotator.core.review.ranges import CharCounter, Range
from annotator.core.store.project import Project

# annotator -> label -> counts, for one document
Contribution = dict[str, dict[str, Counts]]


def load_document(project: Project, document_id: int) -> DocumentLayers:
    """One document as agreement sees it, read by its id alone: every layer
    that annotated it (gold too) and their ranges."""
    annotated = project.document_layers(document_id)
    ranges: defaultdict[tuple[str, str], list[Range]] = defaultdict(list)
    for layer, label, start, end in project.document_span_ranges(document_id):
        if layer in annotated:
            ranges[(layer, label)].append((start, end))
    by_layer: dict[str, dict[str, list[Range]]] = {}
    for (layer, label), found in ranges.items():
        by_layer.setdefault(layer, {})[label] = sorted(found)
    document = project.document(document_id)
    return DocumentLayers(id=document.id, name=document.name, chars=CharCounter(document.text),
                          annotated=frozenset(annotated), ranges=by_layer)


def contribution(doc: DocumentLayers, annotators: Iterable[str], labels: Sequence[str]) -> Contribution:
    """What one document adds to each annotator's scores against gold: nothing
    unless gold and the annotator both annotated it."""
    if GOLD not in doc.annotated:
        return {}
    return {name: {label: pair_counts(doc, name, GOLD, label) for label in labels}
            for name in annotators if name in doc.annotated}


class GoldScores:
    """Per-document contributions and their sum (see the module docstring).

    Holds no project: ``refresh`` is given the one to read from, so a
    board built by a background job on its own connection is refreshed
    later on the window's.
    """

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.contributions: dict[int, Contribution] = {}

    @classmethod
    def of_documents(cls, project: Project, document_ids: Iterable[int]) -> "GoldScores":
        """Contributions of these documents only, each read by its id."""
        board = cls([tag.name for tag in project.tags()])
        for document_id in document_ids:
            board.refresh(project, document_id)
        return board

    @classmethod
    def of_project(cls, project: Project, progress: Progress | None = None) -> "GoldScores":
        """Every document's contribution, from one bulk read of the project."""
        names = project.annotators()
        documents = load_documents(project, [*names, GOLD], progress=progress)
        return cls.of_loaded(documents, names, [tag.name for tag in project.tags()], progress)

    @classmethod
    def of_loaded(cls, documents: Sequence[DocumentLayers], annotators: Sequence[str],
                  labels: Sequence[str], progress: Progress | None = None) -> "GoldScores":
        board = cls(labels)
        for done, doc in enumerate(documents):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, len(documents), "scoring against gold")
            found = contribution(doc, annotators, board.labels)
            if found:
                board.contributions[doc.id] = found
        return board

    def refresh(self, project: Project, document_id: int) -> None:
        """Recompute one document's contribution (after a decision there)."""
        try:
            doc = load_document(project, document_id)
        except NotFoundError:  # deleted meanwhile: it adds nothing any more
            self.contributions.pop(document_id, None)
            return
        names = [layer for layer in doc.annotated if layer != GOLD]
        found = contribution(doc, names, self.labels)
        if found:
            self.contributions[document_id] = found
        else:
            self.contributions.pop(document_id, None)

    def results(self, annotators: Sequence[str]) -> list[PairResult]:
        """Each annotator (in this order) against gold, over the documents
        both annotated; an annotator with no such document is left out, as in
        ``scores_against_gold``."""
        totals = {name: PairResult(name, GOLD, labels={label: Counts() for label in self.labels})
                  for name in annotators}
        for found in self.contributions.values():
            for name, per_label in found.items():
                total = totals.get(name)
                if total is None:
                    continue
                total.documents += 1
                for label, counts in per_label.items():
                    total.labels[label].add(counts)
        return [result for result in totals.values() if result.documents]


def agreement_and_gold(project: Project, progress: Progress | None = None
                       ) -> tuple[AgreementReport, GoldScores]:
    """What the agreement dashboard shows, from one read of the project:
    ``agreement(project)`` and every document's scores against gold."""
    names = project.annotators()
    active = active_annotators(project)
    labels = [tag.name for tag in project.tags()]
    documents = load_documents(project, [*names, GOLD], progress=progress)
    board = GoldScores(labels)

    def each() -> Iterator[DocumentLayers]:
        """Every document once, for both figures; dropped once used, so that
        they are freed one by one (freeing them all at the end is one long
        C-level deallocation that holds the GIL: a window waiting on it
        froze for a second at 20,000 documents x 5 annotators)."""
        total = len(documents)
        for index in range(total):
            doc = documents[index]
            documents[index] = None  # type: ignore[call-overload]
            if progress is not None and index % PROGRESS_EVERY == 0:
                progress(index, total, "computing agreement")
            found = contribution(doc, names, labels)
            if found:
                board.contributions[doc.id] = found
            # The documents load_documents(active) gives: two active annotators.
            if len(doc.annotated.intersection(active)) >= 2:
                yield doc

    return compute_agreement(each(), active, labels), board
