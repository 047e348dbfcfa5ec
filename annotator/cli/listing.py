"""`annotator list`: the project's documents with span counts."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.cli import add_bidi_option
from annotator.cli.common import add_db_option, open_project
from annotator.core.text.terminal import TerminalWriter, escape_controls


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("list", help="list documents with span counts per layer and label")
    add_db_option(parser)
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per line: id, name, chars, sha256, spans")
    add_bidi_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args, access="read") as project:
        documents = project.documents()
        counts = project.span_counts()
        layers = project.layers()
    if args.json:
        for doc in documents:
            record = {
                "id": doc.id, "name": doc.name, "chars": doc.chars, "sha256": doc.sha256,
                "source": doc.source, "external_id": doc.external_id,
                "spans": counts.get(doc.id, {}),
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    out = TerminalWriter(sys.stdout, args.bidi)
    used = [layer for layer in layers if any(layer in counts.get(d.id, {}) for d in documents)]
    header = f"{'id':>5}  {'chars':>7}  " + "".join(f"{escape_controls(layer)[:12]:>13}" for layer in used) + "  name"
    out.line(header)
    for doc in documents:
        per_layer = counts.get(doc.id, {})
        cells = "".join(
            f"{_summary(per_layer.get(layer, {})):>13}" for layer in used
        )
        # Names come from imported files: escape what a terminal would obey.
        out.line(f"{doc.id:>5}  {doc.chars:>7}  {cells}  {escape_controls(doc.name)}")
    out.line(f"{len(documents)} document(s); spans shown as total per layer")
    return 0


def _summary(labels: dict[str, int]) -> str:
    return str(sum(labels.values())) if labels else "-"
