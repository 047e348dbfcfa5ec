"""`annotator agreement`: inter-annotator agreement as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.cli import add_bidi_option
from annotator.cli.common import add_db_option, open_project
from annotator.core.review.agreement import DEFINITIONS, AgreementReport, agreement, scores_against_gold
from annotator.core.review.relation_agreement import DEFINITIONS as RELATION_DEFINITIONS
from annotator.core.review.relation_agreement import RelationAgreement, relation_agreement
from annotator.core.text.terminal import TerminalWriter

TOP_DOCUMENTS = 15


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "agreement", help="agreement between annotators: span F1, Cohen's kappa, Krippendorff's alpha",
        description="Pairwise exact and overlap span F1 and Cohen's kappa per label, "
                    "Krippendorff's alpha per label, means over pairs, and every figure per "
                    "document (--json). The table ends with the exact definitions.",
    )
    add_db_option(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object with every figure")
    add_bidi_option(parser)
    parser.set_defaults(func=run)


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def run(args: argparse.Namespace) -> int:
    with open_project(args, access="read") as project:
        report = agreement(project)
        gold = scores_against_gold(project)
        relations = relation_agreement(project, report.annotators)
    if args.json:
        data = report.to_dict()
        data["against_gold"] = [result.to_dict() for result in gold]
        data["relations"] = relations.to_dict()
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    out = TerminalWriter(sys.stdout, args.bidi)
    write_table(out, report)
    if gold:
        out.line("")
        out.line("Each annotator against gold (documents both annotated)")
        out.line(f"{'annotator':<16}{'docs':>5}  {'exact F1':>9}{'overlap F1':>11}")
        for result in gold:
            micro = result.micro
            out.line(f"{result.a[:15]:<16}{result.documents:>5}  {fmt(micro.exact_f1):>9}"
                     f"{fmt(micro.overlap_f1):>11}")
    write_relation_table(out, relations)
    out.line("")
    out.line("Definitions")
    for line in (*DEFINITIONS, *RELATION_DEFINITIONS):
        out.line(f"  {line}")
    return 0


def write_relation_table(out: TerminalWriter, report: RelationAgreement) -> None:
    """Pairwise relation F1 per type; nothing when no annotator made a relation."""
    used = [kind for kind in report.types
            if any(p.types[kind].relations_a + p.types[kind].relations_b for p in report.pairs)]
    if not used:
        return
    out.line("")
    out.line("Relations, pairwise")
    out.line(f"{'pair':<28}{'docs':>5}  {'type':<12}{'exact F1':>9}{'overlap F1':>11}")
    for pair in report.pairs:
        figures = pair.figures()
        name = f"{pair.a} / {pair.b}"[:27]
        links = ["links"] if any(kind in used for kind in report.link_types) else []
        for i, kind in enumerate([*used, "micro", *links]):
            head = f"{name:<28}{pair.documents:>5}" if i == 0 else " " * 33
            out.line(f"{head}  {kind[:11]:<12}{fmt(figures[kind]['exact_f1']):>9}"
                     f"{fmt(figures[kind]['overlap_f1']):>11}")


def write_table(out: TerminalWriter, report: AgreementReport) -> None:
    compared = len(report.per_document)
    out.line(f"Agreement among {len(report.annotators)} annotator(s) "
             f"({', '.join(report.annotators) or 'none'}); "
             f"{compared} document(s) annotated by two or more")
    if not report.pairs:
        out.line("Nothing to compare: agreement needs at least two annotators.")
        return
    # Labels nobody used would be rows of dashes; --json keeps them all.
    used = [label for label in report.labels
            if any(p.labels[label].spans_a + p.labels[label].spans_b for p in report.pairs)]
    labels = [*used, "micro"]
    out.line("")
    out.line("Pairwise")
    out.line(f"{'pair':<28}{'docs':>5}  {'label':<10}{'exact F1':>9}{'overlap F1':>11}{'kappa':>8}")
    for pair in report.pairs:
        figures = pair.figures()
        name = f"{pair.a} / {pair.b}"[:27]
        for i, label in enumerate(labels):
            row = figures[label]
            head = f"{name:<28}{pair.documents:>5}" if i == 0 else " " * 33
            out.line(f"{head}  {label:<10}{fmt(row['exact_f1']):>9}{fmt(row['overlap_f1']):>11}"
                     f"{fmt(row.get('kappa')):>8}")
    mean, std = report.mean(), report.std()
    out.line("")
    out.line("Mean ± std over pairs; alpha across all annotators")
    out.line(f"{'label':<10}{'exact F1':>16}{'overlap F1':>16}{'kappa':>16}{'alpha':>8}")
    for label in labels:
        cells = "".join(
            f"{_mean_std(mean[label][name], std[label][name]) if name in mean[label] else '':>16}"
            for name in ("exact_f1", "overlap_f1", "kappa"))
        alpha = fmt(report.alpha.get(label)) if label != "micro" else ""
        out.line(f"{label:<10}{cells}{alpha:>8}")
    ranked = sorted((d for d in report.per_document if d.disagreement is not None),
                    key=lambda d: -d.disagreement)
    if ranked:
        out.line("")
        out.line(f"Documents by disagreement (1 - mean micro exact F1 over pairs), "
                 f"top {min(TOP_DOCUMENTS, len(ranked))} of {len(ranked)}")
        out.line(f"{'id':>5}  {'disagree':>8}  {'annotators':>10}  name")
        for doc in ranked[:TOP_DOCUMENTS]:
            out.line(f"{doc.document_id:>5}  {doc.disagreement:>8.3f}  {len(doc.annotators):>10}  {doc.name}")


def _mean_std(mean: float | None, std: float | None) -> str:
    if mean is None or std is None:
        return "-"
    return f"{mean:.3f} ± {std:.3f}"
