"""`annotator export`: training data in the formats training code reads."""

from __future__ import annotations

import argparse
import sys

from annotator.cli import claim_pairs_export
from annotator.cli.claim_pairs_export import CLAIM_PAIRS
from annotator.cli.common import add_db_option, open_project
from annotator.core.errors import ValidationError
from annotator.core.formats.exports.dispatch import EXPORT_FORMATS, FormatOptions, export_project
from annotator.core.formats.exports.contents import ALL_LAYERS, ExportOptions, Split
from annotator.core.formats.textmap import OffsetUnits
from annotator.core.model import GOLD, Status


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="export a layer (or all) as training data",
        description="Export annotations. Files are written atomically (temporary file, then "
                    "rename); with --split, one file (or folder) per part: OUT.train.jsonl, ...",
    )
    parser.add_argument("--format", choices=(*EXPORT_FORMATS, CLAIM_PAIRS), required=True,
                        help="own: lossless JSONL; doccano; labelstudio: JSON tasks; brat: a folder; "
                             "conll: BIO columns; hf: token-classification rows + labels.json; "
                             "spacy: DocBin (needs spaCy); claim-pairs: JSONL claim pairs "
                             "(same/contradicts/unrelated) + OUT.clusters.jsonl")
    parser.add_argument("-o", "--output", required=True, metavar="PATH",
                        help="file to write (a folder for brat)")
    parser.add_argument("--layer", default=GOLD,
                        help=f"layer to export: {GOLD} (default), an annotator, or {ALL_LAYERS}")
    parser.add_argument("--status", action="append", metavar="STATUS",
                        help="only documents with this status in the layer (todo, in_progress, "
                             "done); repeat or comma-separate for several")
    parser.add_argument("--label", action="append", metavar="LABEL",
                        help="only these labels; repeat or comma-separate")
    parser.add_argument("--split", metavar="TRAIN,DEV,TEST",
                        help="train/dev/test ratios, e.g. 0.8,0.1,0.1 (by document)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the split and of claim-pairs' unrelated pairs (default 0)")
    parser.add_argument("--doccano-shape", choices=["label", "entities"], default="label",
                        help="doccano: [[start, end, label]] (default) or entities/relations")
    parser.add_argument("--offset-units", choices=[u.value for u in OffsetUnits],
                        default=OffsetUnits.CODEPOINTS.value,
                        help="doccano/Label Studio offsets: codepoints (default, what Python slices "
                             "with) or utf16 (what their web UIs count)")
    parser.add_argument("--split-proclitics", action="store_true",
                        help="token formats: make و ف ب ك ل ال tokens of their own")
    parser.add_argument("--bio-group", action="append", metavar="LABELS",
                        help="token formats: labels sharing one BIO column, comma-separated; "
                             "repeat for more columns (default: CLAIM apart from the rest)")
    parser.add_argument("--ents-label", choices=["label", "type"], default="label",
                        help="spacy: name doc.ents by the span's label (default: ENTITY, DATE) or "
                             "by its type attribute (PER, ORG, LOC, ...)")
    add_db_option(parser)
    parser.set_defaults(func=run)


def _list(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def parse_split(text: str | None, seed: int) -> Split | None:
    if text is None:
        return None
    try:
        ratios = tuple(float(x) for x in text.split(","))
    except ValueError:
        raise ValidationError(f"--split {text!r}: expected three numbers, e.g. 0.8,0.1,0.1") from None
    if len(ratios) != 3:
        raise ValidationError(f"--split {text!r}: expected three numbers, e.g. 0.8,0.1,0.1")
    return Split(ratios, seed)  # type: ignore[arg-type]


def run(args: argparse.Namespace) -> int:
    if args.format == CLAIM_PAIRS:
        return claim_pairs_export.run(args)
    try:
        statuses = frozenset(Status(s) for s in _list(args.status)) if args.status else None
    except ValueError as exc:
        raise ValidationError(f"--status: {exc}") from None
    options = ExportOptions(
        layer=args.layer, statuses=statuses,
        labels=frozenset(_list(args.label)) if args.label else None,
        split=parse_split(args.split, args.seed),
    )
    format_options = FormatOptions(
        doccano_shape=args.doccano_shape, offset_units=OffsetUnits(args.offset_units),
        split_proclitics=args.split_proclitics,
        bio_groups=[_list([g]) for g in args.bio_group] if args.bio_group else None,
        ents_label=args.ents_label,
    )
    with open_project(args, access="read") as project:
        report = export_project(project, args.format, args.output, options, format_options)
    print(report.summary(), file=sys.stderr)
    return 0
