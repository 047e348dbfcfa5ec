"""Recall@k and mean reciprocal rank of the candidates against gold clusters."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.claims.similarity import ClaimIndex


@dataclass(frozen=True)
class RetrievalScores:
    queries: int  # claims with a same claim in another document
    recall_at_k: float  # share of queries whose first same claim is in the top k
    mrr: float
    misses: tuple[int, ...]  # span ids of queries that missed the top k
    k: int


def retrieval_scores(index: ClaimIndex, cluster_of: dict[int, str], k: int = 5) -> RetrievalScores:
    """For each claim with a same-cluster claim in another document: the rank
    of the first such claim among its candidates (other documents only)."""
    documents = {span_id: index.claim(span_id).document_id for span_id in cluster_of}
    hits, reciprocal, misses, queries = 0, 0.0, [], 0
    for span_id, cluster in sorted(cluster_of.items()):
        same = {other for other, c in cluster_of.items()
                if c == cluster and documents[other] != documents[span_id]}
        if not same:
            continue
        queries += 1
        ranked = [c.claim.span_id for c in index.similar(span_id, top=len(index))]
        rank = next((i for i, other in enumerate(ranked, 1) if other in same), None)
        if rank is not None:
            reciprocal += 1 / rank
        if rank is not None and rank <= k:
            hits += 1
        else:
            misses.append(span_id)
    return RetrievalScores(queries, hits / queries if queries else 0.0,
                           reciprocal / queries if queries else 0.0, tuple(misses), k)
