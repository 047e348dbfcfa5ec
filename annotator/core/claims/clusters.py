"""Every CLAIM of a layer with its document, text, speaker and date, grouped
into clusters joined by SAME_AS (union-find), with the CONTRADICTS links
between clusters."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.store.project import Project

CLAIM = "CLAIM"


@dataclass(frozen=True)
class Claim:
    span_id: int
    document_id: int
    document_title: str
    start: int
    end: int
    text: str
    speakers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # the TIME targets' ISO values (or texts)


@dataclass
class ClaimCluster:
    id: int  # the smallest span id of its members
    members: list[Claim] = field(default_factory=list)
    contradicts: set[int] = field(default_factory=set)  # other cluster ids


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _title(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def load_claims(project: "Project", layer: str) -> list[Claim]:
    """The layer's claims by document then position, with speakers and dates."""
    spans = [s for s in project.spans(layer=layer)]
    by_id = {s.id: s for s in spans}
    documents = sorted({s.document_id for s in spans})
    texts = project.texts(documents)
    speakers: dict[int, list[str]] = defaultdict(list)
    dates: dict[int, list[str]] = defaultdict(list)
    for relation in project.relations(layer=layer):
        if relation.type not in ("SPEAKER", "TIME") or relation.target_id not in by_id:
            continue
        target = by_id[relation.target_id]
        target_text = texts[target.document_id][target.start:target.end]
        if relation.type == "SPEAKER":
            speakers[relation.source_id].append(target_text)
        else:
            dates[relation.source_id].append(str(target.attributes.get("value") or target_text))
    claims = []
    for span in spans:
        if span.label != CLAIM:
            continue
        text = texts[span.document_id]
        claims.append(Claim(span.id, span.document_id, _title(text), span.start, span.end,
                            text[span.start:span.end], tuple(speakers[span.id]),
                            tuple(dates[span.id])))
    return claims


def cluster_claims(project: "Project", layer: str,
                   claims: list[Claim] | None = None) -> list[ClaimCluster]:
    """Clusters ordered by id; a claim with no SAME_AS is a cluster of one."""
    claims = load_claims(project, layer) if claims is None else claims
    ids = {c.span_id for c in claims}
    sets = _UnionFind()
    for claim in claims:
        sets.find(claim.span_id)
    links = project.relations(layer=layer)
    for relation in links:
        if relation.type == "SAME_AS" and {relation.source_id, relation.target_id} <= ids:
            sets.union(relation.source_id, relation.target_id)
    clusters: dict[int, ClaimCluster] = {}
    for claim in claims:
        root = sets.find(claim.span_id)
        clusters.setdefault(root, ClaimCluster(root)).members.append(claim)
    for relation in links:
        if relation.type == "CONTRADICTS" and {relation.source_id, relation.target_id} <= ids:
            a, b = sets.find(relation.source_id), sets.find(relation.target_id)
            if a != b:
                clusters[a].contradicts.add(b)
                clusters[b].contradicts.add(a)
    return [clusters[key] for key in sorted(clusters)]
