"""Claim pairs for training claim matching and stance models: every pair of
one cluster (same), every pair across two contradicting clusters
(contradicts), and as many unrelated pairs, drawn reproducibly from a seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import combinations

from annotator.core.claims.clusters import Claim, ClaimCluster

SAME, CONTRADICTS, UNRELATED = "same", "contradicts", "unrelated"


def _pair(a: Claim, b: Claim, relation: str, cluster_a: int, cluster_b: int) -> dict:
    return {"claim_a": a.text, "claim_b": b.text, "span_a": a.span_id, "span_b": b.span_id,
            "document_a": a.document_id, "document_b": b.document_id,
            "cluster_a": cluster_a, "cluster_b": cluster_b, "relation": relation}


def claim_pairs(clusters: list[ClaimCluster], seed: int = 0,
                unrelated: int | None = None) -> list[dict]:
    """Pairs in a fixed order: same, contradicts, then ``unrelated`` sampled
    pairs (default: as many as the linked pairs, at least one)."""
    pairs = [_pair(a, b, SAME, c.id, c.id) for c in clusters for a, b in
             combinations(c.members, 2)]
    by_id = {c.id: c for c in clusters}
    linked = set()
    for cluster in clusters:
        for other in sorted(cluster.contradicts):
            if cluster.id < other:
                linked.add((cluster.id, other))
                pairs += [_pair(a, b, CONTRADICTS, cluster.id, other)
                          for a in cluster.members for b in by_id[other].members]
    wanted = max(1, len(pairs)) if unrelated is None else unrelated
    claims = [(m, c.id) for c in clusters for m in c.members]
    rng = random.Random(seed)
    chosen: set[tuple[int, int]] = set()
    # Unrelated: two clusters neither joined nor linked; tries are bounded so a
    # project of one cluster ends with fewer pairs rather than looping.
    for _ in range(wanted * 20):
        if len(chosen) >= wanted or len(claims) < 2:
            break
        (a, ca), (b, cb) = rng.sample(claims, 2)
        key = (min(a.span_id, b.span_id), max(a.span_id, b.span_id))
        if ca == cb or (min(ca, cb), max(ca, cb)) in linked or key in chosen:
            continue
        chosen.add(key)
        if a.span_id > b.span_id:
            (a, ca), (b, cb) = (b, cb), (a, ca)
        pairs.append(_pair(a, b, UNRELATED, ca, cb))
    return pairs


def cluster_rows(clusters: list[ClaimCluster]) -> Iterator[dict]:
    """One row per cluster: its members and the clusters it contradicts."""
    for c in clusters:
        yield {"cluster": c.id, "span_ids": [m.span_id for m in c.members],
               "document_ids": [m.document_id for m in c.members],
               "texts": [m.text for m in c.members], "contradicts": sorted(c.contradicts)}
