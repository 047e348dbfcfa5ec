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

from annotator.core.model import RelationType
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


class RelationAccumulator:
    """The figures of ``compute_relation_agreement``, fed one document at a
    time (in id order), so a streamed agreement holds one batch of relations."""

    def __init__(self, annotators: Iterable[str], annotated: dict[str, set[int]],
                 types: Sequence[str], link_types: Sequence[str] = ()) -> None:
        self.annotators = sorted(annotators)
        self.annotated = annotated
        self.types = list(types)
        self.link_types = tuple(link_types)
        self.totals = {(a, b): RelationPair(a, b, types={t: RelationCounts() for t in self.types},
                                            link_types=self.link_types)
                       for a, b in combinations(self.annotators, 2)}

    def add(self, doc: int, keys: dict[str, Sequence[Key]]) -> RelationDocument | None:
        """Count in document ``doc``; ``keys``: layer -> its relations that
        belong to the document (first end in it). None when no pair of
        annotators both annotated it."""
        annotated = self.annotated
        entry = None
        for (a, b), total in self.totals.items():
            in_a, in_b = annotated[a], annotated[b]
            if doc not in in_a or doc not in in_b:
                continue
            doc_pair = RelationPair(a, b, documents=1, link_types=self.link_types)
            # Kept only when both annotated the document of the second end too.
            of_a = [k for k in keys.get(a, ()) if k[2][0] in in_a and k[2][0] in in_b]
            of_b = [k for k in keys.get(b, ()) if k[2][0] in in_a and k[2][0] in in_b]
            for kind in self.types:
                ra = [k for k in of_a if k[0] == kind] if of_a else []
                rb = [k for k in of_b if k[0] == kind] if of_b else []
                if ra or rb:
                    counts = RelationCounts(len(ra), len(rb), len(set(ra) & set(rb)),
                                            overlap_matching(ra, rb))
                    total.types[kind].add(counts)
                else:
                    counts = RelationCounts()
                doc_pair.types[kind] = counts
            total.documents += 1
            if entry is None:
                entry = RelationDocument(doc, [], [])
            entry.pairs.append(doc_pair)
            for name in (a, b):
                if name not in entry.annotators:
                    entry.annotators.append(name)
        if entry is not None:
            entry.annotators.sort()
        return entry

    def result(self, per_document: list[RelationDocument]) -> RelationAgreement:
        return RelationAgreement(self.annotators, self.types, list(self.totals.values()),
                                 per_document, self.link_types)


def compute_relation_agreement(keys: dict[str, set[Key]], annotated: dict[str, set[int]],
                               types: Sequence[str],
                               link_types: Sequence[str] = ()) -> RelationAgreement:
    """``keys``: layer -> its relations; ``annotated``: layer -> documents;
    ``link_types``: the cross-document types, also pooled per pair as "links"
    (a link matches when its type and both claims match)."""
    accumulator = RelationAccumulator(keys, annotated, types, link_types)
    by_doc: dict[int, dict[str, list[Key]]] = defaultdict(dict)
    for name, found in keys.items():
        for key in found:
            by_doc[key[1][0]].setdefault(name, []).append(key)
    per_document = []
    for doc in sorted(documents_in_pairs(accumulator.annotators, annotated)):
        entry = accumulator.add(doc, by_doc.get(doc, {}))
        if entry is not None:
            per_document.append(entry)
    return accumulator.result(per_document)


def documents_in_pairs(annotators: Sequence[str], annotated: dict[str, set[int]]) -> set[int]:
    """Documents at least two of the annotators annotated."""
    seen: set[int] = set()
    twice: set[int] = set()
    for name in set(annotators):
        found = annotated[name]
        twice |= seen & found
        seen |= found
    return twice


def relation_keys(rows: Iterable[tuple], kinds: dict[str, RelationType]) -> dict[str, set[Key]]:
    """layer -> relation keys, from ``relation_ends`` rows."""
    keys: dict[str, set[Key]] = defaultdict(set)
    for layer, kind, *ends in rows:
        source, target = tuple(ends[:4]), tuple(ends[4:])
        keys[layer].add(relation_key(kind, kinds[kind].symmetric, source, target))
    return keys


def relation_agreement(project: Project,
                       annotators: Iterable[str] | None = None) -> RelationAgreement:
    """Relation agreement among the project's annotators (all by default)."""
    names = list(annotators) if annotators is not None else project.annotators()
    kinds = {kind.name: kind for kind in project.relation_types()}
    found = relation_keys(project.relation_ends(names), kinds)
    keys: dict[str, set[Key]] = {name: found.get(name, set()) for name in names}
    annotated = project.annotated_by_layer(names)
    return compute_relation_agreement(keys, annotated, list(kinds),
                                      [name for name, kind in kinds.items() if kind.cross_document])
