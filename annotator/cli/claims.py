"""`annotator claims`: claim clusters across documents, similar claims with
contradiction hints, and SAME_AS / CONTRADICTS links made or removed."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.cli import add_bidi_option
from annotator.cli.common import add_db_option, open_project
from annotator.core.claims.clusters import CLAIM, cluster_claims, load_claims
from annotator.core.errors import ValidationError
from annotator.core.text.terminal import TerminalWriter

LINK_TYPES = ("SAME_AS", "CONTRADICTS")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("claims", help="claims across documents: clusters, "
                                                  "similar claims, links")
    commands = parser.add_subparsers(title="claims commands", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="claim clusters (joined by SAME_AS) and the "
                                               "CONTRADICTS links between them")
    add_db_option(listing)
    listing.add_argument("--layer", metavar="NAME", help="layer (default: the only annotator)")
    listing.add_argument("--json", action="store_true", help="print a JSON array of clusters")
    add_bidi_option(listing)
    listing.set_defaults(func=run_list)

    similar = commands.add_parser("similar", help="claims of other documents like a claim, "
                                                  "best first, with contradiction hints")
    add_db_option(similar)
    similar.add_argument("--span", type=int, required=True, metavar="ID", help="the claim")
    similar.add_argument("--top", type=int, default=10, metavar="K",
                         help="how many candidates (default 10)")
    similar.add_argument("--json", action="store_true", help="print a JSON array, best first")
    add_bidi_option(similar)
    similar.set_defaults(func=run_similar)

    link = commands.add_parser("link", help="link two claims as SAME_AS or CONTRADICTS")
    add_db_option(link)
    link.add_argument("a", type=int, metavar="A", help="a claim's span id")
    link.add_argument("b", type=int, metavar="B", help="the other claim's span id")
    link.add_argument("--type", choices=LINK_TYPES, default="SAME_AS",
                      help="relation type (default SAME_AS)")
    link.set_defaults(func=run_link)

    unlink = commands.add_parser("unlink", help="remove the SAME_AS / CONTRADICTS links "
                                                "between two claims")
    add_db_option(unlink)
    unlink.add_argument("a", type=int, metavar="A", help="a claim's span id")
    unlink.add_argument("b", type=int, metavar="B", help="the other claim's span id")
    unlink.add_argument("--type", choices=LINK_TYPES, help="only this type (default: both)")
    unlink.set_defaults(func=run_unlink)


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


def _claim_span(project, span_id: int):
    span = project.span(span_id)
    if span.label != CLAIM:
        raise ValidationError(f"span {span_id} is a {span.label}, not a {CLAIM}")
    return span


def _claim_json(claim) -> dict:
    return {"span_id": claim.span_id, "document_id": claim.document_id,
            "document_title": claim.document_title, "start": claim.start, "end": claim.end,
            "text": claim.text, "speakers": list(claim.speakers), "dates": list(claim.dates)}


def run_list(args: argparse.Namespace) -> int:
    with open_project(args, access="read") as project:
        layer = _layer(project, args.layer)
        clusters = cluster_claims(project, layer)
    if args.json:
        json.dump([{"cluster": c.id, "members": [_claim_json(m) for m in c.members],
                    "contradicts": sorted(c.contradicts)} for c in clusters],
                  sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        out = TerminalWriter(sys.stdout, args.bidi)
        for cluster in clusters:
            against = (" contradicts " + ", ".join(f"#{c}" for c in sorted(cluster.contradicts))
                       if cluster.contradicts else "")
            out.line(f"cluster #{cluster.id}: {len(cluster.members)} claim(s){against}")
            for m in cluster.members:
                extra = "".join(f" [{k}: {', '.join(v)}]" for k, v in
                                (("speaker", m.speakers), ("date", m.dates)) if v)
                out.line(f"  {m.span_id:>6} doc {m.document_id:>5}  {m.text}{extra}")
    claims = sum(len(c.members) for c in clusters)
    print(f"{claims} claim(s) in {len(clusters)} cluster(s) in layer {layer}", file=sys.stderr)
    return 0


def run_similar(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise ValidationError(f"--top takes a positive number, not {args.top}")
    # numpy comes with the index: only this subcommand imports it.
    from annotator.core.claims.similarity import ClaimIndex

    with open_project(args, access="read") as project:
        span = _claim_span(project, args.span)
        index = ClaimIndex(load_claims(project, span.layer))
    candidates = index.similar(span.id, top=args.top)
    if args.json:
        json.dump([c.as_json() for c in candidates], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        out = TerminalWriter(sys.stdout, args.bidi)
        for c in candidates:
            hints = f"  ! {'; '.join(c.hints)}" if c.hints else ""
            out.line(f"{c.score:6.3f} {c.claim.span_id:>6} doc {c.claim.document_id:>5}  "
                     f"{c.claim.text}  (shared: {' '.join(c.shared_words) or '-'}){hints}")
    print(f"{len(candidates)} candidate(s) for claim {span.id} from {len(index) - 1} other "
          f"claim(s) of layer {span.layer}", file=sys.stderr)
    return 0


def run_link(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        a, b = _claim_span(project, args.a), _claim_span(project, args.b)
        if a.layer != b.layer:
            raise ValidationError(f"span {a.id} is in layer {a.layer} and span {b.id} in "
                                  f"{b.layer}: a link joins claims of one layer")
        relation = project.add_relation(a.layer, args.type, a.id, b.id)
    print(f"linked {a.id} and {b.id} as {args.type} (relation #{relation.id})", file=sys.stderr)
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    with open_project(args) as project:
        _claim_span(project, args.a)
        _claim_span(project, args.b)
        types = [args.type] if args.type else list(LINK_TYPES)
        found = [r for r in project.relations(span_id=args.a)
                 if r.type in types and {r.source_id, r.target_id} == {args.a, args.b}]
        if not found:
            raise ValidationError(f"claims {args.a} and {args.b} have no "
                                  f"{' or '.join(types)} link")
        with project.transaction():
            for relation in found:
                project.delete_relation(relation.id)
    print(f"removed {len(found)} link(s) between {args.a} and {args.b}", file=sys.stderr)
    return 0
