"""Recall@5 and MRR of the claim candidates on the seed articles, against
the claims annotated by hand in tests/data/seed_claims.jsonl.

    .venv/bin/python bench/eval_claims.py [--k 5] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from annotator.core.claims.clusters import load_claims  # noqa: E402
from annotator.core.claims.evaluation import retrieval_scores  # noqa: E402
from annotator.core.claims.similarity import ClaimIndex  # noqa: E402
from annotator.core.formats.imports.plain_text import import_seeds  # noqa: E402
from annotator.core.store import Project  # noqa: E402

SEED_CLAIMS = REPO / "tests" / "data" / "seed_claims.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print each query's top k")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Project.open(Path(folder) / "p.db") as project:
        import_seeds(project)
        project.add_annotator("eval")
        ids = {doc.name: doc.id for doc in project.documents()}
        cluster_of = {}
        for line in SEED_CLAIMS.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "id" in row:
                span = project.add_span(ids[row["document"]], "eval", row["start"], row["end"],
                                        "CLAIM")
                cluster_of[span.id] = row["cluster"]
        index = ClaimIndex(load_claims(project, "eval"))
        scores = retrieval_scores(index, cluster_of, k=args.k)
        if args.verbose:
            for span_id in sorted(cluster_of):
                top = index.similar(span_id, top=args.k)
                print(span_id, cluster_of[span_id], [(c.claim.span_id, cluster_of[c.claim.span_id],
                                                       round(c.score, 3), c.hints) for c in top])
    print(f"claims: {len(cluster_of)}, clusters: {len(set(cluster_of.values()))}, "
          f"queries with a same claim in another article: {scores.queries}")
    print(f"recall@{args.k}: {scores.recall_at_k:.3f}   MRR: {scores.mrr:.3f}   "
          f"misses: {list(scores.misses) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
