"""`annotator suggest`: DATE and ENTITY suggestions for a layer, printed,
as JSON, or stored as spans (--apply, one transaction)."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.cli import add_bidi_option
from annotator.cli.common import add_db_option, open_project
from annotator.core.errors import ValidationError
from annotator.core.store import suggestions as store
from annotator.core.suggest.engine import KNOWN_LABELS, Suggester
from annotator.core.text.terminal import TerminalWriter


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "suggest", help="propose DATE spans (with ISO values) and ENTITY spans for a layer")
    add_db_option(parser)
    parser.add_argument("--labels", default=",".join(KNOWN_LABELS), metavar="DATE,ENTITY",
                        help="which labels to propose (default: both)")
    parser.add_argument("--layer", metavar="NAME",
                        help="annotator layer (or gold); default: the only annotator")
    parser.add_argument("--document", type=int, action="append", metavar="ID",
                        help="only this document (repeatable)")
    parser.add_argument("--gazetteer", metavar="FILE",
                        help="first import names from a CSV (name,type) or JSONL file")
    parser.add_argument("--json", action="store_true", help="print a JSON array of suggestions")
    parser.add_argument("--apply", action="store_true",
                        help="store every suggestion as a span in the layer (one transaction)")
    add_bidi_option(parser)
    parser.set_defaults(func=run)


def _labels(raw: str) -> list[str]:
    labels = [label.strip() for label in raw.split(",") if label.strip()]
    unknown = [label for label in labels if label not in KNOWN_LABELS]
    if not labels or unknown:
        raise ValidationError(f"--labels takes {', '.join(KNOWN_LABELS)}; got {raw!r}")
    return labels


def _layer(project, name: str | None) -> str:
    if name:
        if name not in project.layers():
            raise ValidationError(f"no layer {name!r} (layers: {', '.join(project.layers())})")
        return name
    annotators = project.annotators()
    if len(annotators) != 1:
        raise ValidationError("name the layer with --layer (the project has "
                              f"{len(annotators)} annotators: {', '.join(annotators) or 'none'})")
    return annotators[0]


def run(args: argparse.Namespace) -> int:
    labels = _labels(args.labels)
    with open_project(args) as project:
        layer = _layer(project, args.layer)
        for doc in args.document or []:
            project.document(doc)
        if args.gazetteer:
            report = store.import_gazetteer(project, args.gazetteer)
            print(report.summary(), file=sys.stderr)
        suggester = Suggester(project, layer, labels)
        suggestions = list(suggester.all(args.document))
        if args.apply:
            result = store.accept_many(project, [s.as_new_span(layer) for s in suggestions])
            print(f"stored {len(result.inserted)} suggestion(s) as spans in layer {layer} "
                  f"(one transaction; {result.duplicates} already there)", file=sys.stderr)
        elif args.json:
            json.dump([s.as_json() for s in suggestions], sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            out = TerminalWriter(sys.stdout, args.bidi)
            for s in suggestions:
                value = s.attributes.get("value") or s.attributes.get("type") or "-"
                out.line(f"{s.document_id:>5} {s.start:>7} {s.end:>7}  {s.label:<7} {value:<11} "
                         f"{s.rule:<18} {s.text}")
        documents = len({s.document_id for s in suggestions})
        accepted = store.suggested_span_count(project, layer)
        print(f"{len(suggestions)} suggestion(s) in {documents} document(s) for layer {layer}; "
              f"{accepted} span(s) of the layer came from accepted suggestions", file=sys.stderr)
    return 0
