"""Agreement on relations between annotators: the definitions, stated once.

A relation is seen by its type and its two ends, each end being (document,
start, end, label) of its span. For a symmetric type the two ends are put in
one order (the smaller end first), so "A SAME_AS B" and "B SAME_AS A" are one
relation. A relation belongs to the document of its first end; a pair of
annotators is compared on it only when both annotated every document it
touches (annotated: marked done or holding a span, as for span agreement).

Per pair of annotators and relation type, pooled over documents:

- exact relation F1: two relations match when their types are equal and both
  ends are equal (same document, start, end and label);
  F1 = 2 x matches / (relations of a + relations of b).
- overlap relation F1: the ends match by the overlap rule of span agreement
  (same document and label, sharing at least one character), one-to-one,
  using a maximum matching per document and type; same formula.

Micro pools every type; "links" pools the cross-document types (SAME_AS,
CONTRADICTS): agreement on links between claims. Means and standard deviations (population) summarise
the pairs whose figure is defined; a figure is None when neither side has a
relation of that type.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotator.core.review.agreement import annotated_documents
from annotator.core.store.project import Project

End = tuple[int, int, int, str]  # document, start, end, label
Key = tuple[str, End, End]  # type, first end, second end

DEFINITIONS = (
    "relations: a pair is compared on the relations whose documents both annotated; "
    "a symmetric relation has no direction",
    "exact relation F1 = 2 x matches / (relations of a + relations of b); match = same type and "
    "both ends the same span (document, start, end, label)",
    "overlap relation F1 = same formula; ends match when same label sharing >= 1 character, "
    "one-to-one (maximum matching per document and type)",
)


@dataclass
class RelationCounts:
    relations_a: int = 0
    relations_b: int = 0
    exact: int = 0
    overlap: int = 0

    def add(self, other: "RelationCounts") -> None:
        self.relations_a += other.relations_a
        self.relations_b += other.relations_b
        self.exact += other.exact
        self.overlap += other.overlap

    @property
    def exact_f1(self) -> float | None:
        total = self.relations_a + self.relations_b
        return 2 * self.exact / total if total else None

    @property
    def overlap_f1(self) -> float | None:
        total = self.relations_a + self.relations_b
        return 2 * self.overlap / total if total else None

    def figures(self) -> dict[str, float | None]:
        return {"exact_f1": self.exact_f1, "overlap_f1": self.overlap_f1}


@dataclass
class RelationPair:
    a: str
    b: str
    documents: int = 0
    types: dict[str, RelationCounts] = field(default_factory=dict)
    # Types that may join documents (SAME_AS, CONTRADICTS): pooled as "links".
    link_types: tuple[str, ...] = ()

    @property
    def micro(self) -> RelationCounts:
        return self.pooled(self.types)

    def pooled(self, names: Iterable[str]) -> RelationCounts:
        total = RelationCounts()
        for name in names:
            total.add(self.types[name])
        return total

    def figures(self) -> dict[str, dict[str, float | None]]:
        out = {name: counts.figures() for name, counts in self.types.items()}
        out["micro"] = self.micro.figures()
        if self.link_types:
            out["links"] = self.pooled(self.link_types).figures()
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "documents": self.documents, "types": self.figures()}


@dataclass
class RelationDocument:
    document_id: int
    annotators: list[str]
    pairs: list[RelationPair]

    def to_dict(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "annotators": self.annotators,
                "pairs": [pair.to_dict() for pair in self.pairs]}


@dataclass
class RelationAgreement:
    annotators: list[str]
    types: list[str]
    pairs: list[RelationPair]
    per_document: list[RelationDocument]
    link_types: tuple[str, ...] = ()

    def _summary(self, summarise) -> dict[str, dict[str, float | None]]:
        figures = [pair.figures() for pair in self.pairs]
        out: dict[str, dict[str, float | None]] = {}
        for name in [*self.types, "micro", *(["links"] if self.link_types else [])]:
            out[name] = {}
            for figure in ("exact_f1", "overlap_f1"):
                values = [f[name][figure] for f in figures if f[name][figure] is not None]
                out[name][figure] = summarise(values) if values else None
        return out

    def mean(self) -> dict[str, dict[str, float | None]]:
        return self._summary(statistics.fmean)

    def std(self) -> dict[str, dict[str, float | None]]:
        return self._summary(statistics.pstdev)

    def to_dict(self) -> dict[str, Any]:
        return {"annotators": self.annotators, "types": self.types,
                "link_types": list(self.link_types),
                "definitions": list(DEFINITIONS),
                "pairs": [pair.to_dict() for pair in self.pairs],
                "mean": self.mean(), "std": self.std(),
                "per_document": [doc.to_dict() for doc in self.per_document]}


def relation_key(kind: str, symmetric: bool, source: End, target: End) -> Key:
    if symmetric and target < source:
        source, target = target, source
    return kind, source, target


def _ends_overlap(x: End, y: End) -> bool:
    return x[0] == y[0] and x[3] == y[3] and x[1] < y[2] and y[1] < x[2]


def overlap_matching(a: Sequence[Key], b: Sequence[Key]) -> int:
    """Size of a maximum one-to-one matching of relations whose types are
    equal and whose ends overlap pairwise (Kuhn's augmenting paths: a
    document holds few relations of one type, so this is cheap)."""
    edges = [[j for j, y in enumerate(b)
              if x[0] == y[0] and _ends_overlap(x[1], y[1]) and _ends_overlap(x[2], y[2])]
             for x in a]
    partner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in partner or augment(partner[j], seen):
                partner[j] = i
                return True
        return False

    return sum(1 for i in range(len(a)) if augment(i, set()))


def compute_relation_agreement(keys: dict[str, set[Key]], annotated: dict[str, set[int]],
                               types: Sequence[str],
                               link_types: Sequence[str] = ()) -> RelationAgreement:
    """``keys``: layer -> its relations; ``annotated``: layer -> documents;
    ``link_types``: the cross-document types, also pooled per pair as "links"
    (a link matches when its type and both claims match)."""
    links = tuple(link_types)
    annotators = sorted(keys)
    by_doc: dict[str, dict[int, list[Key]]] = {name: defaultdict(list) for name in annotators}
    for name, found in keys.items():
        for key in found:
            by_doc[name][key[1][0]].append(key)
    pairs = []
    per_document: dict[int, RelationDocument] = {}
    for a, b in combinations(annotators, 2):
        shared = annotated[a] & annotated[b]
        total = RelationPair(a, b, types={t: RelationCounts() for t in types}, link_types=links)
        for doc in sorted(shared):
            doc_pair = RelationPair(a, b, documents=1, types={t: RelationCounts() for t in types},
                                    link_types=links)
            for kind in types:
                ra = [k for k in by_doc[a].get(doc, []) if k[0] == kind and k[2][0] in shared]
                rb = [k for k in by_doc[b].get(doc, []) if k[0] == kind and k[2][0] in shared]
                counts = RelationCounts(len(ra), len(rb), len(set(ra) & set(rb)),
                                        overlap_matching(ra, rb))
                doc_pair.types[kind] = counts
                total.types[kind].add(counts)
            total.documents += 1
            entry = per_document.setdefault(doc, RelationDocument(doc, [], []))
            entry.pairs.append(doc_pair)
            for name in (a, b):
                if name not in entry.annotators:
                    entry.annotators.append(name)
        pairs.append(total)
    for entry in per_document.values():
        entry.annotators.sort()
    return RelationAgreement(annotators, list(types), pairs,
                             [per_document[d] for d in sorted(per_document)], links)


def relation_agreement(project: Project,
                       annotators: Iterable[str] | None = None) -> RelationAgreement:
    """Relation agreement among the project's annotators (all by default)."""
    names = list(annotators) if annotators is not None else project.annotators()
    kinds = {kind.name: kind for kind in project.relation_types()}
    keys: dict[str, set[Key]] = {name: set() for name in names}
    for layer, kind, *ends in project.relation_ends(names):
        source, target = tuple(ends[:4]), tuple(ends[4:])
        keys[layer].add(relation_key(kind, kinds[kind].symmetric, source, target))
    annotated = {name: annotated_documents(project, name) for name in names}
    return compute_relation_agreement(keys, annotated, list(kinds),
                                      [name for name, kind in kinds.items() if kind.cross_document])
