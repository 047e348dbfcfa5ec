"""`annotator export --format claim-pairs`: the claim pairs of a layer as
JSONL, and its clusters beside them (OUT.clusters.jsonl), written atomically."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotator.cli.common import open_project
from annotator.core.claims.clusters import cluster_claims
from annotator.core.claims.pairs import claim_pairs, cluster_rows
from annotator.core.errors import ValidationError
from annotator.core.formats.exports.atomic import atomic_file, check_not_project
from annotator.core.model import GOLD

CLAIM_PAIRS = "claim-pairs"


def clusters_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.clusters{path.suffix or '.jsonl'}")


def run(args: argparse.Namespace) -> int:
    ignored = [name for name, given in (("--split", args.split), ("--status", args.status),
                                         ("--label", args.label)) if given]
    if ignored:
        raise ValidationError(f"--format {CLAIM_PAIRS} takes no {', '.join(ignored)}")
    path = Path(args.output)
    with open_project(args, access="read") as project:
        layer = args.layer
        if layer != GOLD and layer not in project.layers():
            raise ValidationError(f"no layer {layer!r} (layers: {', '.join(project.layers())})")
        for target in (path, clusters_path(path)):
            check_not_project(target, project.path)
        clusters = cluster_claims(project, layer)
    pairs = claim_pairs(clusters, seed=args.seed)
    with atomic_file(path) as out:
        for row in pairs:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    with atomic_file(clusters_path(path)) as out:
        for row in cluster_rows(clusters):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {kind: sum(p["relation"] == kind for p in pairs)
              for kind in ("same", "contradicts", "unrelated")}
    print(f"exported {len(pairs)} claim pair(s) ({', '.join(f'{v} {k}' for k, v in counts.items())})"
          f" of layer {layer} to {path}, and {len(clusters)} cluster(s) to {clusters_path(path)}",
          file=sys.stderr)
    return 0
