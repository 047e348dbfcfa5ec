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


class UnionFind:
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


def load_claims(project: "Project", layer: str) -> list[Claim]:
    """The layer's claims by document then position, with speakers and dates."""
    rows = project.claim_rows(layer, CLAIM)
    titles = project.document_titles({row[1] for row in rows})
    speakers: dict[int, list[str]] = defaultdict(list)
    dates: dict[int, list[str]] = defaultdict(list)
    for claim, kind, _, text, value in project.claim_targets(layer):
        (speakers[claim] if kind == "SPEAKER" else dates[claim]).append(
            text if kind == "SPEAKER" else value or text)
    who = {k: tuple(v) for k, v in speakers.items()}
    when = {k: tuple(v) for k, v in dates.items()}
    if not who and not when:  # most layers at scale: no lookups per claim
        return [Claim(i, d, titles[d], s, e, t) for i, d, s, e, t in rows]
    return [Claim(i, d, titles[d], s, e, t, who.get(i, ()), when.get(i, ()))
            for i, d, s, e, t in rows]


def cluster_claims(project: "Project", layer: str,
                   claims: list[Claim] | None = None) -> list[ClaimCluster]:
    """Clusters ordered by id; a claim with no SAME_AS is a cluster of one."""
    claims = load_claims(project, layer) if claims is None else claims
    ids = {c.span_id for c in claims}
    sets = UnionFind()
    for claim in claims:
        sets.find(claim.span_id)
    links = project.link_ends(layer)
    for _, kind, a, b in links:
        if kind == "SAME_AS" and a in ids and b in ids:
            sets.union(a, b)
    clusters: dict[int, ClaimCluster] = {}
    for claim in claims:
        root = sets.find(claim.span_id)
        clusters.setdefault(root, ClaimCluster(root)).members.append(claim)
    for _, kind, a, b in links:
        if kind == "CONTRADICTS" and a in ids and b in ids:
            ra, rb = sets.find(a), sets.find(b)
            if ra != rb:
                clusters[ra].contradicts.add(rb)
                clusters[rb].contradicts.add(ra)
    return [clusters[key] for key in sorted(clusters)]
