"""`annotator agreement`: inter-annotator agreement as a table or JSON."""

from __future__ import annotations

import argparse
import heapq
import json
import shutil
import sys
import tempfile
from typing import IO, Any

from annotator.cli import add_bidi_option
from annotator.cli.common import add_db_option, open_project
from annotator.core.review.agreement import DEFINITIONS, AgreementReport, DocumentAgreement
from annotator.core.review.agreement_stream import stream_agreement
from annotator.core.review.relation_agreement import DEFINITIONS as RELATION_DEFINITIONS
from annotator.core.review.relation_agreement import RelationAgreement
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


class JsonListSpool:
    """A JSON list written item by item to a temporary file, then copied out:
    the per-document figures of a big project never sit in memory at once."""

    def __init__(self) -> None:
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        self.count = 0

    def add(self, item: Any) -> None:
        if self.count:
            self.file.write(", ")  # json.dumps' own item separator
        self.file.write(json.dumps(item.to_dict(), ensure_ascii=False))
        self.count += 1

    def copy_to(self, out: IO[str]) -> None:
        out.write("[")
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)
        out.write("]")

    def close(self) -> None:
        self.file.close()


class TopDocuments:
    """The documents with the most disagreement, as the table lists them:
    highest first, ties in document order."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.ranked = 0
        self.compared = 0
        self._heap: list[tuple[float, int, DocumentAgreement]] = []

    def add(self, doc: DocumentAgreement) -> None:
        self.compared += 1
        if doc.disagreement is None:
            return
        self.ranked += 1
        # Pairs are not needed for the listing; dropping them keeps this small.
        light = DocumentAgreement(doc.document_id, doc.name, doc.annotators, [], {})
        item = (doc.disagreement, -self.ranked, light)
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, item)
        else:
            heapq.heappushpop(self._heap, item)

    def top(self) -> list[tuple[float, DocumentAgreement]]:
        return [(score, doc) for score, _, doc in sorted(self._heap, key=lambda i: (-i[0], -i[1]))]


# Control characters cannot occur in layer, label or type names, so these
# strings mark where the spooled lists go in the JSON text.
_DOCUMENTS_MARK = "\x01per_document\x01"
_RELATION_DOCUMENTS_MARK = "\x01relation_per_document\x01"


def run(args: argparse.Namespace) -> int:
    if args.json:
        return _run_json(args)
    top = TopDocuments(TOP_DOCUMENTS)
    with open_project(args, access="read") as project:
        result = stream_agreement(project, on_document=top.add)
    report, gold, relations = result.report, result.against_gold, result.relations
    out = TerminalWriter(sys.stdout, args.bidi)
    write_table(out, report, top)
    if gold:
        out.line("")
        out.line("Each annotator against gold (documents both annotated)")
        out.line(f"{'annotator':<16}{'docs':>5}  {'exact F1':>9}{'overlap F1':>11}")
        for scores in gold:
            micro = scores.micro
            out.line(f"{scores.a[:15]:<16}{scores.documents:>5}  {fmt(micro.exact_f1):>9}"
                     f"{fmt(micro.overlap_f1):>11}")
    write_relation_table(out, relations)
    out.line("")
    out.line("Definitions")
    for line in (*DEFINITIONS, *RELATION_DEFINITIONS):
        out.line(f"  {line}")
    return 0


def _run_json(args: argparse.Namespace) -> int:
    """The same JSON text as ``json.dump`` of the whole report, written with
    the per-document lists streamed from their spools."""
    documents, relation_documents = JsonListSpool(), JsonListSpool()
    try:
        with open_project(args, access="read") as project:
            result = stream_agreement(project, on_document=documents.add,
                                      on_relation_document=relation_documents.add)
        data = result.report.to_dict()
        data["per_document"] = _DOCUMENTS_MARK
        data["against_gold"] = [scores.to_dict() for scores in result.against_gold]
        data["relations"] = result.relations.to_dict()
        data["relations"]["per_document"] = _RELATION_DOCUMENTS_MARK
        text = json.dumps(data, ensure_ascii=False)
        head, rest = text.split(json.dumps(_DOCUMENTS_MARK), 1)
        middle, tail = rest.split(json.dumps(_RELATION_DOCUMENTS_MARK), 1)
        out = sys.stdout
        out.write(head)
        documents.copy_to(out)
        out.write(middle)
        relation_documents.copy_to(out)
        out.write(tail)
        out.write("\n")
    finally:
        documents.close()
        relation_documents.close()
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


def write_table(out: TerminalWriter, report: AgreementReport, top: TopDocuments) -> None:
    compared = top.compared
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
    if top.ranked:
        out.line("")
        out.line(f"Documents by disagreement (1 - mean micro exact F1 over pairs), "
                 f"top {min(TOP_DOCUMENTS, top.ranked)} of {top.ranked}")
        out.line(f"{'id':>5}  {'disagree':>8}  {'annotators':>10}  name")
        for score, doc in top.top():
            out.line(f"{doc.document_id:>5}  {score:>8.3f}  {len(doc.annotators):>10}  {doc.name}")


def _mean_std(mean: float | None, std: float | None) -> str:
    if mean is None or std is None:
        return "-"
    return f"{mean:.3f} ± {std:.3f}"
