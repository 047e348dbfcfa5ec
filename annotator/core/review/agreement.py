"""Inter-annotator agreement: the exact definitions, stated once.

For every pair of annotators, over the documents both annotated (an annotator
annotated a document if they marked it done or have at least one span in it;
an annotator who annotated no document is left out), per label and
micro-averaged over labels:

- exact span F1: two spans match when start, end and label are all equal;
  F1 = 2 x matches / (spans of a + spans of b), pooled over documents.
- overlap F1: same-label spans match when they share at least one character,
  one-to-one, using a maximum matching per document; same formula.
- Cohen's kappa per label; the units are the non-whitespace characters
  (``not str.isspace()``) of the documents, pooled, each valued 1 if inside a
  span of that label in that annotator's layer, else 0.

Across all annotators, per label: Krippendorff's alpha (nominal) over the same
units, a unit being missing for an annotator who did not annotate its
document. Means and standard deviations (population, over the pairs whose
figure is defined) summarise the pairwise figures. A figure is None where it
is undefined: F1 when neither side has a span, kappa and alpha when every
unit has the same value.

Every figure is also computed per document.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotator.core.review.ranges import (
    CharCounter,
    Range,
    coverage_by_layers,
    exact_matches,
    overlap_matches,
    shared_units,
)
from annotator.core.model import GOLD
from annotator.core.store.project import Project

FIGURES = ("exact_f1", "overlap_f1", "kappa")
# (done, total, what is being done): a long job's progress; raising from it
# (a cancelled job in the window) stops the computation there.
Progress = Callable[[int, int, str], None]
PROGRESS_EVERY = 250  # documents between two progress reports
MICRO_FIGURES = ("exact_f1", "overlap_f1")

DEFINITIONS = (
    "annotated = marked done or has >= 1 span; each pair is compared over the documents both annotated",
    "annotators = every layer that annotated at least one document (an empty layer is left out)",
    "exact F1 = 2 x matches / (spans of a + spans of b); match = same start, end and label",
    "overlap F1 = same formula; match = same label sharing >= 1 character, one-to-one "
    "(maximum matching per document)",
    "kappa = Cohen's kappa per label over non-whitespace characters (1 inside a span of the label, else 0)",
    "alpha = Krippendorff's alpha (nominal) over the same characters, all annotators, "
    "missing where an annotator did not annotate the document",
    "micro = spans of all labels pooled; mean and std (population) over pairs with a defined figure",
    "- = undefined (no spans on either side, or every character has the same value)",
)


@dataclass
class DocumentLayers:
    """One document as agreement sees it: its units and each layer's ranges."""

    id: int
    name: str
    chars: CharCounter
    annotated: frozenset[str]
    # layer -> label -> sorted disjoint ranges
    ranges: dict[str, dict[str, list[Range]]]

    units: dict[tuple[str, str], int] = field(default_factory=dict)

    def of(self, layer: str, label: str) -> list[Range]:
        return self.ranges.get(layer, {}).get(label, [])

    def units_of(self, layer: str, label: str) -> int:
        """Units inside the layer's spans of the label (cached: every pair asks)."""
        key = (layer, label)
        if key not in self.units:
            self.units[key] = self.chars.sum(self.of(layer, label))
        return self.units[key]


@dataclass
class Counts:
    """Everything a pairwise figure is computed from; adds up over documents."""

    spans_a: int = 0
    spans_b: int = 0
    exact: int = 0
    overlap: int = 0
    both: int = 0      # units inside a span in both layers
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    def add(self, other: "Counts") -> None:
        # Spelled out: every document adds a few dozen of these.
        self.spans_a += other.spans_a
        self.spans_b += other.spans_b
        self.exact += other.exact
        self.overlap += other.overlap
        self.both += other.both
        self.only_a += other.only_a
        self.only_b += other.only_b
        self.neither += other.neither

    @property
    def exact_f1(self) -> float | None:
        return _f1(self.exact, self.spans_a + self.spans_b)

    @property
    def overlap_f1(self) -> float | None:
        return _f1(self.overlap, self.spans_a + self.spans_b)

    @property
    def kappa(self) -> float | None:
        n = self.both + self.only_a + self.only_b + self.neither
        a1, b1 = self.both + self.only_a, self.both + self.only_b
        # Integer arithmetic: kappa = (n*agree - E) / (n^2 - E), E = n^2 * p_e.
        expected = a1 * b1 + (n - a1) * (n - b1)
        denominator = n * n - expected
        if n == 0 or denominator == 0:
            return None
        return (n * (self.both + self.neither) - expected) / denominator

    def figures(self, names: Sequence[str] = FIGURES) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in names}


def _f1(matches: int, spans: int) -> float | None:
    return 2 * matches / spans if spans else None


@dataclass
class PairResult:
    a: str
    b: str
    documents: int = 0
    labels: dict[str, Counts] = field(default_factory=dict)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.labels.values():
            total.add(counts)
        return total

    def figures(self) -> dict[str, dict[str, float | None]]:
        out = {label: counts.figures() for label, counts in self.labels.items()}
        out["micro"] = self.micro.figures(MICRO_FIGURES)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "documents": self.documents, "labels": self.figures()}


@dataclass
class DocumentAgreement:
    document_id: int
    name: str
    annotators: list[str]
    pairs: list[PairResult]
    alpha: dict[str, float | None]

    @property
    def disagreement(self) -> float | None:
        """1 - mean micro exact F1 over pairs; a pair with no spans at all agrees.

        None when fewer than two annotators annotated the document.
        """
        if not self.pairs:
            return None
        scores = [pair.micro.exact_f1 for pair in self.pairs]
        return 1 - statistics.fmean(1.0 if s is None else s for s in scores)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id, "name": self.name, "annotators": self.annotators,
            "disagreement": self.disagreement,
            "pairs": [pair.to_dict() for pair in self.pairs],
            "alpha": self.alpha,
        }


@dataclass
class AgreementReport:
    annotators: list[str]
    labels: list[str]
    pairs: list[PairResult]
    alpha: dict[str, float | None]
    per_document: list[DocumentAgreement]

    def _summary(self, summarise) -> dict[str, dict[str, float | None]]:
        out: dict[str, dict[str, float | None]] = {}
        figures = [pair.figures() for pair in self.pairs]
        for label in [*self.labels, "micro"]:
            names = MICRO_FIGURES if label == "micro" else FIGURES
            out[label] = {}
            for name in names:
                values = [f[label][name] for f in figures if f[label][name] is not None]
                out[label][name] = summarise(values) if values else None
        return out

    def mean(self) -> dict[str, dict[str, float | None]]:
        return self._summary(statistics.fmean)

    def std(self) -> dict[str, dict[str, float | None]]:
        return self._summary(statistics.pstdev)

    def pair(self, a: str, b: str) -> PairResult:
        for pair in self.pairs:
            if {pair.a, pair.b} == {a, b}:
                return pair
        raise KeyError((a, b))

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": self.annotators,
            "labels": self.labels,
            "definitions": list(DEFINITIONS),
            "pairs": [pair.to_dict() for pair in self.pairs],
            "mean": self.mean(),
            "std": self.std(),
            "alpha": self.alpha,
            "per_document": [doc.to_dict() for doc in self.per_document],
        }


# -- loading -----------------------------------------------------------------


def annotated_documents(project: Project, layer: str) -> set[int]:
    """Documents the layer annotated: marked done, or holding at least one span."""
    return project.annotated_documents(layer)


def active_annotators(project: Project) -> list[str]:
    """Annotators with at least one span or one document marked done."""
    return [name for name in project.annotators() if annotated_documents(project, name)]


def load_documents(project: Project, layers: Sequence[str], minimum: int = 2,
                   document_ids: Iterable[int] | None = None,
                   progress: Progress | None = None) -> list[DocumentLayers]:
    """Documents that at least ``minimum`` of the layers annotated, with their
    ranges; only those in ``document_ids`` if given."""
    report = progress or (lambda done, total, what: None)
    annotated: dict[int, set[str]] = defaultdict(set)
    for layer in layers:
        report(0, 0, f"finding what {layer} annotated")
        for doc in annotated_documents(project, layer):
            annotated[doc].add(layer)
    wanted = {doc for doc, who in annotated.items() if len(who) >= minimum}
    if document_ids is not None:
        wanted &= set(document_ids)
    # One flat dict lookup per span row: this loop sees every span of the project.
    ranges: defaultdict[tuple[int, str, str], list[Range]] = defaultdict(list)
    report(0, 0, "reading spans")
    for doc, layer, label, start, end in project.spans_for_layers(layers, wanted):
        ranges[(doc, layer, label)].append((start, end))
    by_document: dict[int, dict[str, dict[str, list[Range]]]] = defaultdict(dict)
    # Emptied entry by entry: freeing a dict of every span's key at once is
    # one C call that holds the GIL (a window thread waits 0.3 s at 20,000
    # documents x 5 annotators).
    while ranges:
        (doc, layer, label), found = ranges.popitem()
        found.sort()
        by_document[doc].setdefault(layer, {})[label] = found
    report(0, 0, "reading texts")
    texts = project.texts(wanted)
    out = []
    for info in project.documents():
        if info.id not in wanted:
            continue
        if len(out) % PROGRESS_EVERY == 0:
            report(len(out), len(wanted), "reading documents")
        text = texts[info.id]
        out.append(DocumentLayers(
            id=info.id, name=info.name, chars=CharCounter(text),
            annotated=frozenset(annotated[info.id]),
            ranges=by_document.get(info.id, {}),
        ))
    return out


BATCH = 500  # documents per read of a streamed agreement: a few MB of spans and texts


def documents_annotated_by(annotated: dict[str, set[int]], layers: Iterable[str],
                           minimum: int = 1) -> set[int]:
    """Documents that at least ``minimum`` of the layers annotated."""
    seen: Counter[int] = Counter()
    for layer in set(layers):
        seen.update(annotated.get(layer, ()))
    return {doc for doc, count in seen.items() if count >= minimum}


def stream_documents(project: Project, layers: Sequence[str], annotated: dict[str, set[int]],
                     document_ids: Iterable[int], batch: int = BATCH) -> Iterator[DocumentLayers]:
    """The documents ``load_documents`` would give for ``document_ids``, in
    id order, read ``batch`` documents at a time (one store call each), so
    that memory holds one batch however big the project.

    ``annotated``: layer -> documents it annotated (``annotated_by_layer``);
    each document's ``annotated`` is the set of ``layers`` that did."""
    layers = list(dict.fromkeys(layers))
    ids = sorted(set(document_ids))
    for first in range(0, len(ids), batch):
        chunk = ids[first:first + batch]
        documents, rows = project.agreement_batch(layers, chunk)
        ranges: defaultdict[tuple[int, str, str], list[Range]] = defaultdict(list)
        for doc, layer, label, start, end in rows:
            ranges[(doc, layer, label)].append((start, end))
        del rows
        by_document: dict[int, dict[str, dict[str, list[Range]]]] = defaultdict(dict)
        for (doc, layer, label), found in ranges.items():
            found.sort()
            by_document[doc].setdefault(layer, {})[label] = found
        del ranges
        for doc_id, name, text in documents:
            yield DocumentLayers(
                id=doc_id, name=name, chars=CharCounter(text),
                annotated=frozenset(layer for layer in layers if doc_id in annotated.get(layer, ())),
                ranges=by_document.get(doc_id, {}),
            )


# -- computing ---------------------------------------------------------------


def pair_counts(doc: DocumentLayers, a: str, b: str, label: str) -> Counts:
    ra, rb = doc.of(a, label), doc.of(b, label)
    in_a, in_b = doc.units_of(a, label), doc.units_of(b, label)
    both = shared_units(ra, rb, doc.chars)
    return Counts(
        spans_a=len(ra), spans_b=len(rb),
        exact=exact_matches(ra, rb), overlap=overlap_matches(ra, rb),
        both=both, only_a=in_a - both, only_b=in_b - both,
        neither=doc.chars.total - in_a - in_b + both,
    )


class AlphaAccumulator:
    """Krippendorff's alpha (nominal, two values) from coverage histograms.

    A unit valued by m annotators, k of them with 1, contributes
    k(m-k)/(m-1) to the observed coincidences of 0 with 1; units valued by
    fewer than two annotators are not pairable and contribute nothing.
    alpha = 1 - (n - 1) * o01 / (n0 * n1).
    """

    def __init__(self) -> None:
        self.disagreement = 0.0
        self.ones = 0
        self.zeros = 0

    def add(self, valued_by: int, histogram: Counter[int]) -> None:
        if valued_by < 2:
            return
        for k, units in histogram.items():
            self.ones += units * k
            self.zeros += units * (valued_by - k)
            self.disagreement += units * k * (valued_by - k) / (valued_by - 1)

    @property
    def alpha(self) -> float | None:
        n = self.ones + self.zeros
        if self.ones == 0 or self.zeros == 0:
            return None
        return 1 - (n - 1) * self.disagreement / (self.ones * self.zeros)


class AgreementAccumulator:
    """The figures of ``compute_agreement``, fed one document at a time: the
    pairwise counts and alpha add up as documents arrive, so a caller that
    streams documents holds one document's figures, not the project's."""

    def __init__(self, annotators: Sequence[str], labels: Sequence[str]) -> None:
        self.annotators = sorted(annotators)
        self.labels = list(labels)
        self.pairs = {(a, b): PairResult(a, b, labels={label: Counts() for label in self.labels})
                      for a, b in combinations(self.annotators, 2)}
        self.alphas = {label: AlphaAccumulator() for label in self.labels}

    def add(self, doc: DocumentLayers) -> DocumentAgreement:
        """Count the document in (documents in id order: alpha sums floats)."""
        present = [name for name in self.annotators if name in doc.annotated]
        pairs = list(combinations(range(len(present)), 2))
        doc_pairs = [PairResult(present[i], present[j], documents=1) for i, j in pairs]
        total_units = doc.chars.total
        doc_alpha = {}
        for label in self.labels:
            ranges = [doc.of(name, label) for name in present]
            histogram, by_set = coverage_by_layers(ranges, doc.chars)
            # Units inside each layer's spans, and inside both of each pair's.
            inside = [0] * len(present)
            both = [0] * len(pairs)
            for layers, units in by_set.items():
                for i in range(len(present)):
                    if layers >> i & 1:
                        inside[i] += units
                for k, (i, j) in enumerate(pairs):
                    if layers >> i & 1 and layers >> j & 1:
                        both[k] += units
            for k, (i, j) in enumerate(pairs):
                ra, rb = ranges[i], ranges[j]
                shared = both[k]
                doc_pairs[k].labels[label] = Counts(
                    spans_a=len(ra), spans_b=len(rb),
                    exact=exact_matches(ra, rb) if ra and rb else 0,
                    overlap=overlap_matches(ra, rb) if ra and rb else 0,
                    both=shared, only_a=inside[i] - shared, only_b=inside[j] - shared,
                    neither=total_units - inside[i] - inside[j] + shared,
                )
            self.alphas[label].add(len(present), histogram)
            single = AlphaAccumulator()
            single.add(len(present), histogram)
            doc_alpha[label] = single.alpha
        for result in doc_pairs:
            total = self.pairs[(result.a, result.b)]
            total.documents += 1
            for label, counts in result.labels.items():
                total.labels[label].add(counts)
        return DocumentAgreement(doc.id, doc.name, present, doc_pairs, doc_alpha)

    def report(self, per_document: list[DocumentAgreement]) -> AgreementReport:
        return AgreementReport(
            annotators=self.annotators, labels=self.labels, pairs=list(self.pairs.values()),
            alpha={label: acc.alpha for label, acc in self.alphas.items()},
            per_document=per_document,
        )


def compute_agreement(documents: Iterable[DocumentLayers], annotators: Sequence[str],
                      labels: Sequence[str], progress: Progress | None = None) -> AgreementReport:
    accumulator = AgreementAccumulator(annotators, labels)
    total = len(documents) if isinstance(documents, Sized) else 0
    per_document = []
    for done, doc in enumerate(documents):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total, "computing agreement")
        per_document.append(accumulator.add(doc))
    return accumulator.report(per_document)


def agreement(project: Project, annotators: Sequence[str] | None = None) -> AgreementReport:
    """Agreement among the project's annotators: by default every annotator
    who annotated something (an empty layer, such as a reviewer's, is no
    annotator to agree with)."""
    annotated = project.annotated_by_layer(
        annotators if annotators is not None else project.annotators())
    names = (list(annotators) if annotators is not None
             else [name for name in project.annotators() if annotated[name]])
    labels = [tag.name for tag in project.tags()]
    wanted = documents_annotated_by(annotated, names, minimum=2)
    return compute_agreement(stream_documents(project, names, annotated, wanted), names, labels)


def scores_against_gold(project: Project, document_ids: Iterable[int] | None = None) -> list[PairResult]:
    """Each annotator compared with the gold layer (a = annotator, b = gold),
    over the documents both annotated; restricted to ``document_ids`` if given."""
    names = project.annotators()
    labels = [tag.name for tag in project.tags()]
    documents = load_documents(project, [*names, GOLD], document_ids=document_ids)
    results = []
    for name in names:
        result = PairResult(name, GOLD, labels={label: Counts() for label in labels})
        for doc in documents:
            if name in doc.annotated and GOLD in doc.annotated:
                result.documents += 1
                for label in labels:
                    result.labels[label].add(pair_counts(doc, name, GOLD, label))
        if result.documents:
            results.append(result)
    return results
